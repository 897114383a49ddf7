#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLearningKernels

/// The model of a `kind: learning` problem: which loss each sample pays.
public enum LearningModelType: String, Sendable, Codable, CaseIterable {
    /// Square loss ½(wᵀx + b − y)², real labels.
    case linear
    /// log(1 + exp(−y(wᵀx + b))), labels ±1 (0 read as −1).
    case logistic
    /// Cross-entropy logsumexp(Wx + b) − (Wx + b)_y, labels 0…K−1.
    case softmax
    /// max(0, 1 − y(wᵀx + b)), labels ±1 (0 read as −1). Not differentiable.
    case hinge

    /// Why `y` is not a label this model takes, or nil when it is.
    package func labelProblem(_ y: Double) -> String? {
        switch self {
        case .linear: return y.isFinite ? nil : "the label is not finite"
        case .logistic, .hinge:
            return y == 1 || y == -1 || y == 0 ? nil : "label \(y): the \(rawValue) model needs labels −1/+1 (or 0/1)"
        case .softmax:
            return y >= 0 && y == y.rounded() && y < 1e6 ? nil : "label \(y): the softmax model needs class labels 0, 1, …, K−1"
        }
    }

    /// Whether the loss has a gradient everywhere (all but hinge).
    public var isSmooth: Bool { self != .hinge }
    /// Whether labels are classes (accuracy is reported) rather than values (MSE).
    public var isClassification: Bool { self != .linear }
}

/// Samples for learning: features (dense rows, or sparse rows in CSR form) and labels.
///
/// Dense storage is row-major `values` with `featureCount` entries per row and no
/// `columnIndices`; sparse storage keeps row i's entries at `rowStarts[i]..<rowStarts[i+1]`
/// of `columnIndices` (0-based, increasing) and `values`. The loss kernels read both.
public struct LearningData: Sendable, Equatable {
    /// n, the number of samples (> 0); also `labels.count`.
    public let sampleCount: Int
    /// d, the number of features per sample (1-based feature k of a LIBSVM file is index k − 1).
    public let featureCount: Int
    /// `sampleCount + 1` offsets into `values` (and `columnIndices` when sparse): row i is
    /// `rowStarts[i]..<rowStarts[i+1]`; i·featureCount when dense.
    public let rowStarts: [Int]
    /// Empty when the data are dense.
    public let columnIndices: [Int32]
    /// Feature values (finite): row-major n×d when dense, else the stored entries of each row in
    /// `columnIndices` order.
    public let values: [Double]
    /// Labels as the model reads them: ±1 for logistic and hinge, 0…K−1 for softmax.
    public internal(set) var labels: [Double]

    /// Whether the features are stored as a row-major n×d array (no `columnIndices`).
    public var isDense: Bool { columnIndices.isEmpty }

    /// Sparse rows (CSR). Rows whose entries fill more than half of the n×d matrix are
    /// stored densely instead: the dense kernels skip the index indirection.
    public init(featureCount: Int, labels: [Double], rowStarts: [Int], columnIndices: [Int], values: [Double]) throws(ModelError) {
        let n = labels.count
        guard n > 0 else { throw ModelError("the data set has no samples") }
        guard rowStarts.count == n + 1, rowStarts.first == 0, rowStarts.last == values.count, columnIndices.count == values.count else {
            throw ModelError("sparse rows do not match \(n) samples")
        }
        guard featureCount >= 0, featureCount < Int(Int32.max) else { throw ModelError("feature count \(featureCount) out of range") }
        for i in 0..<n {
            var previous = -1
            for k in rowStarts[i]..<rowStarts[i + 1] {
                let j = columnIndices[k]
                guard j > previous, j < featureCount else { throw ModelError("sample \(i + 1): feature index \(j + 1) out of order or beyond \(featureCount)") }
                guard values[k].isFinite else { throw ModelError("sample \(i + 1): feature \(j + 1) is not finite") }
                previous = j
            }
        }
        if let bad = labels.firstIndex(where: { !$0.isFinite }) { throw ModelError("label of sample \(bad + 1) is not finite") }
        self.sampleCount = n
        self.featureCount = featureCount
        self.labels = labels
        if 2 * values.count >= n * featureCount {
            var dense = Array(repeating: 0.0, count: n * featureCount)
            for i in 0..<n { for k in rowStarts[i]..<rowStarts[i + 1] { dense[i * featureCount + columnIndices[k]] = values[k] } }
            self.rowStarts = (0...n).map { $0 * featureCount }
            self.columnIndices = []
            self.values = dense
        } else {
            self.rowStarts = rowStarts
            self.columnIndices = columnIndices.map { Int32($0) }
            self.values = values
        }
    }

    /// Dense rows (row-major, `featureCount` per sample).
    public init(featureCount: Int, labels: [Double], dense: [Double]) throws(ModelError) {
        let n = labels.count
        guard n > 0 else { throw ModelError("the data set has no samples") }
        guard dense.count == n * featureCount else { throw ModelError("\(dense.count) feature values for \(n) samples × \(featureCount) features") }
        if let bad = dense.firstIndex(where: { !$0.isFinite }) {
            throw ModelError("feature \(bad % max(1, featureCount) + 1) of sample \(bad / max(1, featureCount) + 1) is not finite")
        }
        if let bad = labels.firstIndex(where: { !$0.isFinite }) { throw ModelError("label of sample \(bad + 1) is not finite") }
        sampleCount = n
        self.featureCount = featureCount
        self.labels = labels
        rowStarts = (0...n).map { $0 * featureCount }
        columnIndices = []
        values = dense
    }

    /// The same samples read by a wider model (a test file whose largest index is below
    /// the training data's).
    func widened(to d: Int) throws(ModelError) -> LearningData {
        guard d > featureCount else { return self }
        if isDense {
            var dense = Array(repeating: 0.0, count: sampleCount * d)
            for i in 0..<sampleCount { for j in 0..<featureCount { dense[i * d + j] = values[i * featureCount + j] } }
            return try LearningData(featureCount: d, labels: labels, dense: dense)
        }
        return try LearningData(featureCount: d, labels: labels, rowStarts: rowStarts, columnIndices: columnIndices.map { Int($0) }, values: values)
    }
}

/// Regularized empirical risk minimization (`kind: learning`):
/// f(W, b) = (1/n) Σᵢ lossᵢ + (λ/2)‖W‖², the intercept b not regularized.
///
/// The parameters are one vector θ: W feature by feature (θ[j·K + k] is class k's weight
/// of feature j, so a sample's K scores read its features once), then b (K entries) when
/// `intercept`. K is the number of classes for softmax and 1 otherwise.
public struct LearningProblem: Sendable {
    /// The problem's name (the file's `name:`), used in results; may be empty.
    public var name: String
    /// Which loss the samples pay (`model:` in problem files).
    public let model: LearningModelType
    /// λ ≥ 0.
    public let lambda: Double
    /// Whether θ ends with K unregularized intercepts b (default true).
    public let intercept: Bool
    /// The samples the risk is minimized over, with labels already converted (0 → −1 for the
    /// binary models) and widened to the test data's feature count.
    public let training: LearningData
    /// Held-out samples, only scored (`test_loss`, `test_accuracy` or `test_mse`); nil without `test:`.
    public let test: LearningData?
    /// Number of score outputs K: the class count for softmax, 1 otherwise.
    public let outputCount: Int

    /// Checks the labels for the model (±1 or 0/1 for logistic and hinge, 0…K−1 for
    /// softmax) and converts 0 to −1 for the binary models. `classCount` defaults to the
    /// largest training or test label + 1 for softmax.
    public init(name: String = "", model: LearningModelType, lambda: Double, intercept: Bool = true,
                training: LearningData, test: LearningData? = nil, classCount: Int? = nil) throws(ModelError) {
        guard lambda.isFinite, lambda >= 0 else { throw ModelError("l2 must be finite and ≥ 0, got \(lambda)") }
        var training = training, test = test
        let d = max(training.featureCount, test?.featureCount ?? 0)
        training = try training.widened(to: d)
        test = try test?.widened(to: d)
        func convert(_ data: inout LearningData, _ which: String) throws(ModelError) {
            for (i, y) in data.labels.enumerated() {
                if let reason = model.labelProblem(y) { throw ModelError("\(which) sample \(i + 1): \(reason)") }
                if y == 0, model == .logistic || model == .hinge { data.labels[i] = -1 }
            }
        }
        try convert(&training, "training")
        if var t = test { try convert(&t, "test"); test = t }
        var k = 1
        if model == .softmax {
            let largest = Int(max(training.labels.max() ?? 0, test?.labels.max() ?? 0))
            k = classCount ?? largest + 1
            guard k >= 2 else { throw ModelError("the softmax model needs at least 2 classes; the labels name \(k)") }
            guard largest < k else { throw ModelError("label \(largest) is not below the class count \(k)") }
        }
        guard d * k + k < 50_000_000 else { throw ModelError("\(d) features × \(k) classes is too many parameters") }
        self.name = name
        self.model = model
        self.lambda = lambda
        self.intercept = intercept
        self.training = training
        self.test = test
        outputCount = k
    }

    /// d, the feature count shared by the training and test data.
    public var featureCount: Int { training.featureCount }
    /// Length of θ: d·K weights, then K intercepts when `intercept`.
    public var parameterCount: Int { featureCount * outputCount + (intercept ? outputCount : 0) }

    /// Names of θ's entries: `w1…wd, b` (K = 1) or `w1[0]…` and `b[0]…` per class.
    public var parameterNames: [String] {
        let k = outputCount
        var names: [String] = []
        names.reserveCapacity(parameterCount)
        for j in 1..<(featureCount + 1) {
            if k == 1 { names.append("w\(j)") } else { for c in 0..<k { names.append("w\(j)[\(c)]") } }
        }
        if intercept { if k == 1 { names.append("b") } else { for c in 0..<k { names.append("b[\(c)]") } } }
        return names
    }

    /// θ with the softmax intercepts centred (Σₖ bₖ = 0): f is unchanged by adding one
    /// constant to every bₖ, so only the centred b is determined by the problem (and
    /// comparable between solvers and runs). Other models: θ itself.
    package func normalized(_ theta: [Double]) -> [Double] {
        guard model == .softmax, intercept, theta.count == parameterCount else { return theta }
        var out = theta
        let start = featureCount * outputCount
        let mean = out[start...].reduce(0, +) / Double(outputCount)
        for i in start..<out.count { out[i] -= mean }
        return out
    }

    /// The trained model at θ (for predictions and `--model` files).
    package func trainedModel(_ theta: [Double]) -> LearningModel {
        let k = outputCount, d = featureCount
        let weights = Array(theta.prefix(d * k))
        let b = intercept ? Array(theta[(d * k)..<(d * k + k)]) : Array(repeating: 0.0, count: k)
        return LearningModel(model: model, featureCount: d, classCount: model == .softmax ? k : nil, weights: weights, intercepts: b)
    }

    /// The objective as a ``SmoothObjective`` on θ (hinge: a subgradient).
    package var objective: LearningObjective { LearningObjective(problem: self) }
}

/// Per-sample losses, computed stably: softplus(z) = max(z, 0) + log1p(exp(−|z|)), and
/// log-sum-exp with the largest score subtracted.
package enum LearningLoss {
    /// log(1 + eᶻ) without overflow.
    @inlinable
    package static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

    /// 1/(1 + e⁻ᶻ) without overflow.
    @inlinable
    package static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    /// The loss of scores `z` (K entries) against label `y`, and dloss/dz into `r` when
    /// given. For softmax `r` may alias nothing; `z` is left unchanged.
    @inlinable
    package static func evaluate(_ model: LearningModelType, scores z: UnsafeMutablePointer<Double>, count k: Int, label y: Double,
                                derivative r: UnsafeMutablePointer<Double>?) -> Double {
        switch model {
        case .linear:
            let e = z[0] - y
            r?[0] = e
            return 0.5 * e * e
        case .logistic:
            let m = y * z[0]
            r?[0] = -y * sigmoid(-m)
            return softplus(-m)
        case .hinge:
            let m = y * z[0]
            r?[0] = m < 1 ? -y : 0
            return max(0, 1 - m)
        case .softmax:
            var top = z[0]
            for c in 1..<k where z[c] > top { top = z[c] }
            let label = Int(y)
            let margin = z[label] - top
            var sum = 0.0
            if let r {
                // One exp per class: r holds e^{z−top} until it is normalized to π − e_y.
                for c in 0..<k { let e = exp(z[c] - top); r[c] = e; sum += e }
                let inverse = 1 / sum
                for c in 0..<k { r[c] *= inverse }
                r[label] -= 1
            } else {
                for c in 0..<k { sum += exp(z[c] - top) }
            }
            return log(sum) - margin
        }
    }
}

extension LearningData {
    /// Scores z = Wᵀxᵢ + b of sample i into `z` (K entries); θ laid out as in
    /// ``LearningProblem``.
    @inlinable
    func scores(_ i: Int, theta: UnsafePointer<Double>, k: Int, intercept: Bool,
                values v: UnsafeBufferPointer<Double>, columns c: UnsafeBufferPointer<Int32>, into z: UnsafeMutablePointer<Double>) {
        let d = featureCount
        if intercept { for o in 0..<k { z[o] = theta[d * k + o] } } else { for o in 0..<k { z[o] = 0 } }
        let start = rowStarts[i], end = rowStarts[i + 1]
        if k == 1 {
            var s = z[0]
            if c.isEmpty { for j in 0..<(end - start) { s += v[start + j] * theta[j] } } else { for e in start..<end { s += v[e] * theta[Int(c[e])] } }
            z[0] = s
            return
        }
        for e in start..<end {
            let j = c.isEmpty ? e - start : Int(c[e])
            let x = v[e], row = theta + j * k
            for o in 0..<k { z[o] += x * row[o] }
        }
    }

    /// g += scale · x̃ᵢ rᵀ (x̃ᵢ = [xᵢ; 1] when `intercept`): sample i's share of Xᵀr.
    @inlinable
    func accumulate(_ i: Int, r: UnsafePointer<Double>, scale: Double, k: Int, intercept: Bool,
                    values v: UnsafeBufferPointer<Double>, columns c: UnsafeBufferPointer<Int32>, into g: UnsafeMutablePointer<Double>) {
        let d = featureCount
        let start = rowStarts[i], end = rowStarts[i + 1]
        if k == 1 {
            let a = scale * r[0]
            if a == 0 { return }
            if c.isEmpty { for j in 0..<(end - start) { g[j] += a * v[start + j] } } else { for e in start..<end { g[Int(c[e])] += a * v[e] } }
            if intercept { g[d] += a }
            return
        }
        for e in start..<end {
            let j = c.isEmpty ? e - start : Int(c[e])
            let x = scale * v[e], row = g + j * k
            for o in 0..<k { row[o] += x * r[o] }
        }
        if intercept { for o in 0..<k { g[d * k + o] += scale * r[o] } }
    }
}

/// f(θ) = (1/n) Σ lossᵢ + (λ/2)‖W‖² and its gradient Xᵀr/n + λW, written for the data's
/// structure (one pass over the rows, no expression tape); the exact Hessian
/// (1/n) Σ x̃ᵢx̃ᵢᵀ ⊗ Sᵢ + λI_W for Newton (Sᵢ = ∂²lossᵢ/∂z²). Hinge has none.
package struct LearningObjective: SmoothObjective {
    package let problem: LearningProblem
    package var dimension: Int { problem.parameterCount }
    package var isConvex: Bool { true }

    package init(problem: LearningProblem) { self.problem = problem }

    package func value(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { t in meanLoss(problem.training, theta: t, rows: nil, gradient: nil) } + regularization(x)
    }

    package func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        let p = dimension
        if gradient.count != p { gradient = Array(repeating: 0, count: p) }
        let loss = x.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { g in
                for i in 0..<p { g[i] = 0 }
                return meanLoss(problem.training, theta: t, rows: nil, gradient: g.baseAddress)
            }
        }
        let w = problem.featureCount * problem.outputCount
        for i in 0..<w { gradient[i] += problem.lambda * x[i] }
        return loss + regularization(x)
    }

    /// (λ/2)‖W‖².
    package func regularization(_ x: [Double]) -> Double {
        let w = problem.featureCount * problem.outputCount
        var s = 0.0
        for i in 0..<w { s += x[i] * x[i] }
        return 0.5 * problem.lambda * s
    }

    /// Mean loss over `rows` of `data` (all rows when nil), and when `gradient` is given,
    /// adds (1/|rows|) Σ x̃ᵢ rᵢᵀ to it. No regularization. No allocation beyond K scores.
    package func meanLoss(_ data: LearningData, theta t: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int>?,
                         gradient g: UnsafeMutablePointer<Double>?) -> Double {
        let k = problem.outputCount, model = problem.model, intercept = problem.intercept
        let count = rows?.count ?? data.sampleCount
        guard count > 0, let theta = t.baseAddress else { return 0 }
        if rows == nil, data.isDense {
            return k >= 2 ? blockedMeanLoss(data, theta: theta, gradient: g) : denseMeanLoss(data, theta: theta, gradient: g)
        }
        let scale = 1 / Double(count)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k) { buffer in
            let z = buffer.baseAddress!, r = z + k  // capacity 2k ≥ 2: never nil
            return data.values.withUnsafeBufferPointer { v in
                data.columnIndices.withUnsafeBufferPointer { c in
                    data.labels.withUnsafeBufferPointer { y in
                        var total = 0.0
                        for position in 0..<count {
                            let i = rows?[position] ?? position
                            data.scores(i, theta: theta, k: k, intercept: intercept, values: v, columns: c, into: z)
                            total += LearningLoss.evaluate(model, scores: z, count: k, label: y[i], derivative: g == nil ? nil : r)
                            if let g { data.accumulate(i, r: r, scale: scale, k: k, intercept: intercept, values: v, columns: c, into: g) }
                        }
                        return total * scale
                    }
                }
            }
        }
    }

    /// The full pass over dense rows for K ≥ 2 classes, as a blocked product: four samples
    /// at a time, classes in chunks of four (W copied feature-major with K padded to a
    /// multiple of 4 with zero columns). Each W chunk load serves four samples and each
    /// accumulator lane is one (sample, class) score, so there is no horizontal reduction;
    /// the scores, losses, residuals and Xᵀr share of a block are computed while its four
    /// rows are in L1 (one pass over X per evaluation). The two product loops are C
    /// (`CLearningKernels`: AVX2 where the CPU has it, same bits either way). Every score and
    /// gradient entry is summed in feature order, then blocks in sample order: the bits do
    /// not depend on the machine or on timing. K = 1 keeps ``denseMeanLoss`` (padding one
    /// output to four would quadruple the work).
    private func blockedMeanLoss(_ data: LearningData, theta: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>?) -> Double {
        let k = problem.outputCount, d = data.featureCount, n = data.sampleCount, model = problem.model
        let chunks = (k + 3) / 4, kp = 4 * chunks
        let capacity = 2 * d * kp + 10 * kp
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: capacity) { buffer in
            let base = buffer.baseAddress!  // capacity ≥ 40: never nil
            // wP, gP: d × kp; bP, gbP: kp; zB, rB: 4 × kp.
            let wP = base, gP = base + d * kp, bP = gP + d * kp, gbP = bP + kp, zB = gbP + kp, rB = zB + 4 * kp
            for i in 0..<capacity { base[i] = 0 }
            for j in 0..<d { for o in 0..<k { wP[j * kp + o] = theta[j * k + o] } }
            if problem.intercept { for o in 0..<k { bP[o] = theta[d * k + o] } }
            let wantGradient = g != nil
            return data.values.withUnsafeBufferPointer { v in
                data.labels.withUnsafeBufferPointer { y in
                    guard let values = v.baseAddress else { return 0 }
                    var total = 0.0
                    var s0 = 0
                    while s0 < n {
                        let count = min(4, n - s0)
                        // A short last block repeats its first row; those scores are unused
                        // and their residuals stay 0.
                        let x0 = values + s0 * d
                        let x1 = count > 1 ? x0 + d : x0, x2 = count > 2 ? x0 + 2 * d : x0, x3 = count > 3 ? x0 + 3 * d : x0
                        lagrange_learning_forward4(x0, x1, x2, x3, d, wP, kp, bP, zB)
                        for s in 0..<count {
                            total += LearningLoss.evaluate(model, scores: zB + s * kp, count: k, label: y[s0 + s],
                                                           derivative: wantGradient ? rB + s * kp : nil)
                        }
                        if wantGradient {
                            if count < 4 { for s in count..<4 { for o in 0..<kp { rB[s * kp + o] = 0 } } }
                            lagrange_learning_backward4(x0, x1, x2, x3, d, rB, kp, gP)
                            for s in 0..<4 { for o in 0..<kp { gbP[o] += rB[s * kp + o] } }
                        }
                        s0 += 4
                    }
                    let scale = 1 / Double(n)
                    if let g {
                        for j in 0..<d { for o in 0..<k { g[j * k + o] += scale * gP[j * kp + o] } }
                        if problem.intercept { for o in 0..<k { g[d * k + o] += scale * gbP[o] } }
                    }
                    return total * scale
                }
            }
        }
    }

    /// The full pass over dense rows, vectorized: W is transposed to class-major order
    /// so each score is a dot product of contiguous rows, and each gradient share an axpy.
    private func denseMeanLoss(_ data: LearningData, theta: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>?) -> Double {
        let k = problem.outputCount, d = data.featureCount, n = data.sampleCount, model = problem.model
        let scale = 1 / Double(n)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k * d + 2 * k + 2) { buffer in
            let base = buffer.baseAddress!  // capacity ≥ 2: never nil
            let wT = base, gT = base + k * d, z = base + 2 * k * d, r = z + k
            for j in 0..<d { for o in 0..<k { wT[o * d + j] = theta[j * k + o] } }
            if g != nil { for i in 0..<(k * d) { gT[i] = 0 } }
            let b: UnsafePointer<Double>? = problem.intercept ? theta + d * k : nil
            return data.values.withUnsafeBufferPointer { v in
                data.labels.withUnsafeBufferPointer { y in
                    guard let values = v.baseAddress else { return 0 }
                    var total = 0.0, interceptGradient = Array(repeating: 0.0, count: g == nil ? 0 : k)
                    for i in 0..<n {
                        let x = values + i * d
                        // Classes in pairs: each load of x serves two rows of W (or of G).
                        var o = 0
                        while o + 4 <= k {
                            let sums = LearningKernels.dot4(x, wT + o * d, d: d)
                            for c in 0..<4 { z[o + c] = (b?[o + c] ?? 0) + sums[c] }
                            o += 4
                        }
                        while o + 2 <= k {
                            let (s0, s1) = LearningKernels.dot2(x, wT + o * d, wT + (o + 1) * d, d)
                            z[o] = (b?[o] ?? 0) + s0
                            z[o + 1] = (b?[o + 1] ?? 0) + s1
                            o += 2
                        }
                        if o < k { z[o] = (b?[o] ?? 0) + LearningKernels.dot(x, wT + o * d, d) }
                        total += LearningLoss.evaluate(model, scores: z, count: k, label: y[i], derivative: g == nil ? nil : r)
                        guard g != nil else { continue }
                        o = 0
                        while o + 4 <= k {
                            LearningKernels.axpy4(SIMD4(scale * r[o], scale * r[o + 1], scale * r[o + 2], scale * r[o + 3]), x, gT + o * d, d: d)
                            o += 4
                        }
                        while o + 2 <= k {
                            LearningKernels.axpy2(scale * r[o], scale * r[o + 1], x, gT + o * d, gT + (o + 1) * d, d)
                            o += 2
                        }
                        if o < k { LearningKernels.axpy(scale * r[o], x, gT + o * d, d) }
                        for c in 0..<k { interceptGradient[c] += scale * r[c] }
                    }
                    if let g {
                        for j in 0..<d { for o in 0..<k { g[j * k + o] += gT[o * d + j] } }
                        if problem.intercept { for o in 0..<k { g[d * k + o] += interceptGradient[o] } }
                    }
                    return total * scale
                }
            }
        }
    }

    package func hessian(at x: [Double]) -> [Double]? { hessian(at: x, shouldStop: { false }) }

    package func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]? {
        guard problem.model.isSmooth else { return nil }
        let data = problem.training, k = problem.outputCount, d = data.featureCount, p = dimension
        let intercept = problem.intercept
        var h = Array(repeating: 0.0, count: p * p)
        var z = Array(repeating: 0.0, count: k), s = Array(repeating: 0.0, count: k * k)
        var indices: [Int] = [], entries: [Double] = []
        let scale = 1 / Double(data.sampleCount)
        let stopped: Bool = x.withUnsafeBufferPointer { t in
            data.values.withUnsafeBufferPointer { v in
                data.columnIndices.withUnsafeBufferPointer { c in
                    for i in 0..<data.sampleCount {
                        if i % 256 == 0, shouldStop() { return true }
                        z.withUnsafeMutableBufferPointer { zb in
                            data.scores(i, theta: t.baseAddress!, k: k, intercept: intercept, values: v, columns: c, into: zb.baseAddress!)
                        }
                        curvature(z, label: data.labels[i], into: &s)
                        // x̃ᵢ as (feature, value) pairs, the intercept as feature d.
                        indices.removeAll(keepingCapacity: true)
                        entries.removeAll(keepingCapacity: true)
                        for e in data.rowStarts[i]..<data.rowStarts[i + 1] {
                            indices.append(c.isEmpty ? e - data.rowStarts[i] : Int(c[e]))
                            entries.append(v[e])
                        }
                        if intercept { indices.append(d); entries.append(1) }
                        for a in 0..<indices.count {
                            let ja = indices[a] * k, xa = scale * entries[a]
                            for bIndex in 0..<indices.count {
                                let jb = indices[bIndex] * k, xab = xa * entries[bIndex]
                                if xab == 0 { continue }
                                for o in 0..<k {
                                    let row = (ja + o) * p + jb
                                    for q in 0..<k { h[row + q] += xab * s[o * k + q] }
                                }
                            }
                        }
                    }
                    return false
                }
            }
        }
        if stopped { return nil }
        for i in 0..<(d * k) { h[i * p + i] += problem.lambda }
        return h
    }

    /// ∂²loss/∂z² at scores z: 1 (square), σ(m)σ(−m) (logistic), diag(π) − ππᵀ (softmax).
    private func curvature(_ z: [Double], label y: Double, into s: inout [Double]) {
        switch problem.model {
        case .linear: s[0] = 1
        case .logistic, .hinge:
            let m = y * z[0]
            s[0] = LearningLoss.sigmoid(m) * LearningLoss.sigmoid(-m)
        case .softmax:
            let k = z.count
            let top = z.max() ?? 0
            var pi = z.map { exp($0 - top) }
            let sum = pi.reduce(0, +)
            for c in 0..<k { pi[c] /= sum }
            for a in 0..<k { for b in 0..<k { s[a * k + b] = (a == b ? pi[a] : 0) - pi[a] * pi[b] } }
        }
    }
}

/// How well θ fits a data set: mean loss (no regularization), accuracy for classifiers,
/// mean squared error (not halved) for the linear model.
public struct LearningFit: Sendable, Equatable {
    /// Mean loss over the samples, without the (λ/2)‖W‖² term. JSON: `train_loss` / `test_loss`.
    public var loss: Double
    /// Fraction of samples labelled correctly, in [0, 1]; nil for the linear model.
    /// JSON: `train_accuracy` / `test_accuracy`.
    public var accuracy: Double?
    /// (1/n) Σ (prediction − y)², not halved; the linear model only (nil for classifiers).
    /// JSON: `train_mse` / `test_mse`.
    public var meanSquaredError: Double?
}

extension LearningProblem {
    /// The fit of θ on `data` (the training or test set), in one pass over the samples.
    package func fit(_ theta: [Double], on data: LearningData) -> LearningFit {
        let k = outputCount
        var total = 0.0, correct = 0, squares = 0.0
        var z = Array(repeating: 0.0, count: k)
        theta.withUnsafeBufferPointer { t in
            data.values.withUnsafeBufferPointer { v in
                data.columnIndices.withUnsafeBufferPointer { c in
                    z.withUnsafeMutableBufferPointer { zb in
                        guard let scores = zb.baseAddress, let th = t.baseAddress else { return }
                        for i in 0..<data.sampleCount {
                            data.scores(i, theta: th, k: k, intercept: intercept, values: v, columns: c, into: scores)
                            let y = data.labels[i]
                            total += LearningLoss.evaluate(model, scores: scores, count: k, label: y, derivative: nil)
                            let predicted = LearningModel.label(model, scores: zb)
                            if predicted == y { correct += 1 }
                            squares += (predicted - y) * (predicted - y)
                        }
                    }
                }
            }
        }
        let n = Double(data.sampleCount)
        if model.isClassification { return LearningFit(loss: total / n, accuracy: Double(correct) / n) }
        return LearningFit(loss: total / n, meanSquaredError: squares / n)
    }
}

/// A trained linear model: what `--model FILE.json` saves and `lagrange predict` applies.
/// Weights are laid out feature by feature (K per feature), as θ.
public struct LearningModel: Sendable, Equatable, Codable {
    /// Format tag, always `lagrange-learning-model`; ``validate()`` rejects any other.
    public var format = "lagrange-learning-model"
    /// File format version; 1 is the only one supported.
    public var version = 1
    /// The loss the model was trained with; decides how scores become predictions.
    public var model: LearningModelType
    /// d, the number of features a sample may have (JSON `feature_count`).
    public var featureCount: Int
    /// K for softmax; nil for the one-output models.
    public var classCount: Int?
    /// d·K weights, feature by feature (class k's weight of feature j at j·K + k), as θ.
    public var weights: [Double]
    /// K intercepts, one per output (zeros when trained without an intercept).
    public var intercepts: [Double]

    enum CodingKeys: String, CodingKey {
        case format, version, model, weights, intercepts
        case featureCount = "feature_count", classCount = "class_count"
    }

    /// A model from trained parameters; call ``validate()`` before trusting sizes.
    public init(model: LearningModelType, featureCount: Int, classCount: Int?, weights: [Double], intercepts: [Double]) {
        self.model = model
        self.featureCount = featureCount
        self.classCount = classCount
        self.weights = weights
        self.intercepts = intercepts
    }

    var outputCount: Int { classCount ?? 1 }

    /// Checks sizes and finiteness (a model file is user input).
    public func validate() throws(ModelError) {
        guard format == "lagrange-learning-model" else { throw ModelError("format '\(format)' is not lagrange-learning-model") }
        guard version == 1 else { throw ModelError("version \(version) is not supported (1 is)") }
        guard featureCount >= 0 else { throw ModelError("feature_count must be ≥ 0") }
        if model == .softmax { guard let k = classCount, k >= 2 else { throw ModelError("a softmax model needs class_count ≥ 2") } }
        else if classCount != nil { throw ModelError("class_count is for softmax models only") }
        let k = outputCount
        guard featureCount.multipliedReportingOverflow(by: k).overflow == false, weights.count == featureCount * k else {
            throw ModelError("\(weights.count) weights for \(featureCount) features × \(k) outputs")
        }
        guard intercepts.count == k else { throw ModelError("\(intercepts.count) intercepts for \(k) outputs") }
        guard weights.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite) else { throw ModelError("weights and intercepts must be finite") }
    }

    /// The prediction from a sample's scores: the value (linear), the sign (logistic,
    /// hinge: +1 when the score is > 0) or the class of the largest score (softmax).
    @inlinable
    package static func label(_ model: LearningModelType, scores z: UnsafeMutableBufferPointer<Double>) -> Double {
        switch model {
        case .linear: return z[0]
        case .logistic, .hinge: return z[0] > 0 ? 1 : -1
        case .softmax:
            var best = 0
            for o in 1..<z.count where z[o] > z[best] { best = o }
            return Double(best)
        }
    }

    /// Predicted labels (±1, or the class 0…K−1) or values (linear) for every sample.
    /// Features beyond the model's are an error for the caller to catch (the reader
    /// bounds them by `featureCount`).
    public func predict(_ data: LearningData) -> [Double] {
        let k = outputCount
        let theta = weights + intercepts
        var out = Array(repeating: 0.0, count: data.sampleCount)
        var z = Array(repeating: 0.0, count: k)
        let shifted = LearningData.Shim(featureCount: featureCount, outputs: k)
        theta.withUnsafeBufferPointer { t in
            data.values.withUnsafeBufferPointer { v in
                data.columnIndices.withUnsafeBufferPointer { c in
                    z.withUnsafeMutableBufferPointer { zb in
                        for i in 0..<data.sampleCount {
                            shifted.scores(data, i, theta: t.baseAddress!, values: v, columns: c, into: zb.baseAddress!)
                            out[i] = LearningModel.label(model, scores: zb)
                        }
                    }
                }
            }
        }
        return out
    }
}

extension LearningData {
    /// Scores with a model whose width may exceed the data's (features the data lack are 0).
    struct Shim {
        let featureCount: Int
        let outputs: Int
        func scores(_ data: LearningData, _ i: Int, theta: UnsafePointer<Double>, values v: UnsafeBufferPointer<Double>,
                    columns c: UnsafeBufferPointer<Int32>, into z: UnsafeMutablePointer<Double>) {
            let k = outputs
            for o in 0..<k { z[o] = theta[featureCount * k + o] }
            let start = data.rowStarts[i], end = data.rowStarts[i + 1]
            for e in start..<end {
                let j = c.isEmpty ? e - start : Int(c[e])
                guard j < featureCount else { continue }
                for o in 0..<k { z[o] += v[e] * theta[j * k + o] }
            }
        }
    }
}

/// Dense vector kernels for the full-batch passes, in a fixed summation order (four
/// SIMD lanes, then the lanes in order, then the tail), so results do not depend on the
/// machine.
enum LearningKernels {
    /// Σ aᵢbᵢ.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc0 = SIMD4<Double>(repeating: 0), acc1 = SIMD4<Double>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc0 += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Double>.self)
            acc1 += UnsafeRawPointer(a + i + 4).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(b + i + 4).loadUnaligned(as: SIMD4<Double>.self)
            i += 8
        }
        let acc = acc0 + acc1
        var s = (acc[0] + acc[1]) + (acc[2] + acc[3])
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// (Σ xᵢaᵢ, Σ xᵢbᵢ), each in ``dot(_:_:_:)``'s order.
    @inline(__always)
    static func dot2(_ x: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> (Double, Double) {
        var a0 = SIMD4<Double>(repeating: 0), a1 = a0, b0 = a0, b1 = a0
        var i = 0
        while i + 8 <= n {
            let x0 = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            let x1 = UnsafeRawPointer(x + i + 4).loadUnaligned(as: SIMD4<Double>.self)
            a0 += x0 * UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Double>.self)
            a1 += x1 * UnsafeRawPointer(a + i + 4).loadUnaligned(as: SIMD4<Double>.self)
            b0 += x0 * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Double>.self)
            b1 += x1 * UnsafeRawPointer(b + i + 4).loadUnaligned(as: SIMD4<Double>.self)
            i += 8
        }
        let sa = a0 + a1, sb = b0 + b1
        var ra = (sa[0] + sa[1]) + (sa[2] + sa[3]), rb = (sb[0] + sb[1]) + (sb[2] + sb[3])
        while i < n { ra += x[i] * a[i]; rb += x[i] * b[i]; i += 1 }
        return (ra, rb)
    }

    /// The dot products of x with the four consecutive rows of `rows` (row length d).
    @inline(__always)
    static func dot4(_ x: UnsafePointer<Double>, _ rows: UnsafePointer<Double>, d: Int) -> SIMD4<Double> {
        var a0 = SIMD4<Double>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
        let r0 = rows, r1 = rows + d, r2 = rows + 2 * d, r3 = rows + 3 * d
        var i = 0
        while i + 4 <= d {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            a0 += xv * UnsafeRawPointer(r0 + i).loadUnaligned(as: SIMD4<Double>.self)
            a1 += xv * UnsafeRawPointer(r1 + i).loadUnaligned(as: SIMD4<Double>.self)
            a2 += xv * UnsafeRawPointer(r2 + i).loadUnaligned(as: SIMD4<Double>.self)
            a3 += xv * UnsafeRawPointer(r3 + i).loadUnaligned(as: SIMD4<Double>.self)
            i += 4
        }
        var out = SIMD4((a0[0] + a0[1]) + (a0[2] + a0[3]), (a1[0] + a1[1]) + (a1[2] + a1[3]),
                        (a2[0] + a2[1]) + (a2[2] + a2[3]), (a3[0] + a3[1]) + (a3[2] + a3[3]))
        while i < d {
            out += x[i] * SIMD4(r0[i], r1[i], r2[i], r3[i])
            i += 1
        }
        return out
    }

    /// Four consecutive rows (length d) of `rows` += αⱼ x, in one pass over x.
    @inline(__always)
    static func axpy4(_ alpha: SIMD4<Double>, _ x: UnsafePointer<Double>, _ rows: UnsafeMutablePointer<Double>, d: Int) {
        let a0 = SIMD4<Double>(repeating: alpha[0]), a1 = SIMD4<Double>(repeating: alpha[1])
        let a2 = SIMD4<Double>(repeating: alpha[2]), a3 = SIMD4<Double>(repeating: alpha[3])
        var i = 0
        while i + 4 <= d {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            update(rows + i, a0, xv)
            update(rows + d + i, a1, xv)
            update(rows + 2 * d + i, a2, xv)
            update(rows + 3 * d + i, a3, xv)
            i += 4
        }
        while i < d {
            for j in 0..<4 { rows[j * d + i] += alpha[j] * x[i] }
            i += 1
        }
    }

    @inline(__always)
    private static func update(_ row: UnsafeMutablePointer<Double>, _ a: SIMD4<Double>, _ xv: SIMD4<Double>) {
        UnsafeMutableRawPointer(row).storeBytes(of: UnsafeRawPointer(row).loadUnaligned(as: SIMD4<Double>.self) + a * xv, as: SIMD4<Double>.self)
    }

    /// y ← y + αx and z ← z + βx in one pass over x.
    @inline(__always)
    static func axpy2(_ alpha: Double, _ beta: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                      _ z: UnsafeMutablePointer<Double>, _ n: Int) {
        let a = SIMD4<Double>(repeating: alpha), b = SIMD4<Double>(repeating: beta)
        var i = 0
        while i + 4 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: UnsafeRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self) + a * xv, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(z + i).storeBytes(of: UnsafeRawPointer(z + i).loadUnaligned(as: SIMD4<Double>.self) + b * xv, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { y[i] += alpha * x[i]; z[i] += beta * x[i]; i += 1 }
    }

    /// y ← y + αx.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        let a = SIMD4<Double>(repeating: alpha)
        var i = 0
        while i + 4 <= n {
            let sum = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self) + a * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: sum, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }
}
