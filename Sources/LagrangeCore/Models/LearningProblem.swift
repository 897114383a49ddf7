#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    public func labelProblem(_ y: Double) -> String? {
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
    public let sampleCount: Int
    public let featureCount: Int
    public let rowStarts: [Int]
    /// Empty when the data are dense.
    public let columnIndices: [Int32]
    public let values: [Double]
    /// Labels as the model reads them: ±1 for logistic and hinge, 0…K−1 for softmax.
    public internal(set) var labels: [Double]

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
    public var name: String
    public let model: LearningModelType
    /// λ ≥ 0.
    public let lambda: Double
    public let intercept: Bool
    public let training: LearningData
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

    /// The trained model at θ (for predictions and `--model` files).
    public func trainedModel(_ theta: [Double]) -> LearningModel {
        let k = outputCount, d = featureCount
        let weights = Array(theta.prefix(d * k))
        let b = intercept ? Array(theta[(d * k)..<(d * k + k)]) : Array(repeating: 0.0, count: k)
        return LearningModel(model: model, featureCount: d, classCount: model == .softmax ? k : nil, weights: weights, intercepts: b)
    }

    /// The objective as a ``SmoothObjective`` on θ (hinge: a subgradient).
    public var objective: LearningObjective { LearningObjective(problem: self) }
}

/// Per-sample losses, computed stably: softplus(z) = max(z, 0) + log1p(exp(−|z|)), and
/// log-sum-exp with the largest score subtracted.
public enum LearningLoss {
    /// log(1 + eᶻ) without overflow.
    @inlinable
    public static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

    /// 1/(1 + e⁻ᶻ) without overflow.
    @inlinable
    public static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    /// The loss of scores `z` (K entries) against label `y`, and dloss/dz into `r` when
    /// given. For softmax `r` may alias nothing; `z` is left unchanged.
    @inlinable
    public static func evaluate(_ model: LearningModelType, scores z: UnsafeMutablePointer<Double>, count k: Int, label y: Double,
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
            var sum = 0.0
            for c in 0..<k { sum += exp(z[c] - top) }
            let lse = top + log(sum)
            let label = Int(y)
            if let r {
                for c in 0..<k { r[c] = exp(z[c] - lse) }
                r[label] -= 1
            }
            return lse - z[label]
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
public struct LearningObjective: SmoothObjective {
    public let problem: LearningProblem
    public var dimension: Int { problem.parameterCount }
    public var isConvex: Bool { true }

    public init(problem: LearningProblem) { self.problem = problem }

    public func value(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { t in meanLoss(problem.training, theta: t, rows: nil, gradient: nil) } + regularization(x)
    }

    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
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
    public func regularization(_ x: [Double]) -> Double {
        let w = problem.featureCount * problem.outputCount
        var s = 0.0
        for i in 0..<w { s += x[i] * x[i] }
        return 0.5 * problem.lambda * s
    }

    /// Mean loss over `rows` of `data` (all rows when nil), and when `gradient` is given,
    /// adds (1/|rows|) Σ x̃ᵢ rᵢᵀ to it. No regularization. No allocation beyond K scores.
    public func meanLoss(_ data: LearningData, theta t: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int>?,
                         gradient g: UnsafeMutablePointer<Double>?) -> Double {
        let k = problem.outputCount, model = problem.model, intercept = problem.intercept
        let count = rows?.count ?? data.sampleCount
        guard count > 0, let theta = t.baseAddress else { return 0 }
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

    public func hessian(at x: [Double]) -> [Double]? { hessian(at: x, shouldStop: { false }) }

    public func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]? {
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
    public var loss: Double
    public var accuracy: Double?
    public var meanSquaredError: Double?
}

extension LearningProblem {
    /// The fit of θ on `data` (the training or test set), in one pass over the samples.
    public func fit(_ theta: [Double], on data: LearningData) -> LearningFit {
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
    public var format = "lagrange-learning-model"
    public var version = 1
    public var model: LearningModelType
    public var featureCount: Int
    /// K for softmax; nil for the one-output models.
    public var classCount: Int?
    public var weights: [Double]
    public var intercepts: [Double]

    enum CodingKeys: String, CodingKey {
        case format, version, model, weights, intercepts
        case featureCount = "feature_count", classCount = "class_count"
    }

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
    public static func label(_ model: LearningModelType, scores z: UnsafeMutableBufferPointer<Double>) -> Double {
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
