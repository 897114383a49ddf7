import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// Full-batch and QP solves against f* of reference.tsv (SciPy L-BFGS-B refined by Newton /
/// the normal equations; the hinge f* from Clarabel and HiGHS on the QP).
@Suite("Learning: exact solves reach f*")
struct LearningExactTests {
    static let smooth = LearningFixture.smallProblems.filter { !$0.contains("hinge") }

    /// Solves a fixture (with `solverID`, or the routing default) and checks `optimal` and
    /// |f − f*| ≤ 1e-6·max(1, |f*|).
    static func solveToOptimum(_ name: String, solverID: String? = nil) throws -> SolveResult {
        let reference = try LearningFixture.reference(name)
        let result = try SolverRegistry.standard.solve(try LearningFixture.load(name), solverID: solverID)
        #expect(result.status == .optimal, "\(result.solverID): \(result.rawStatus)")
        let f = try #require(result.objective)
        #expect(LearningFixture.reachesOptimum(f, reference.fStar), "\(result.solverID): f = \(f), f* = \(reference.fStar)")
        return result
    }

    @Test("native.lbfgs (the default) reaches f* to 1e-6·max(1, |f*|)", arguments: smooth)
    func lbfgsReachesOptimum(name: String) throws {
        let reference = try LearningFixture.reference(name)
        let result = try Self.solveToOptimum(name)
        #expect(result.solverID == "native.lbfgs")
        // At the optimum the classifier's test accuracy (or the test MSE) is the reference's.
        let details = try #require(result.details(as: LearningDetails.self))
        if let accuracy = reference.testAccuracy { #expect(details.test?.accuracy == accuracy) }
        // The weights are determined only to about ‖∇f‖/μ (μ the Hessian's smallest
        // eigenvalue, small on diabetes at λ = 1e-4), so the MSE agrees less closely than f.
        if let mse = reference.testMSE { #expect(isClose(try #require(details.test?.meanSquaredError), mse, relative: 1e-5)) }
    }

    @Test("native.newton reaches f* where d·K ≤ 1000", arguments: smooth)
    func newtonReachesOptimum(name: String) throws {
        let reference = try LearningFixture.reference(name)
        #expect(reference.featureCount * (reference.classes ?? 1) <= 1000)
        let result = try Self.solveToOptimum(name, solverID: "native.newton")
        // Newton's local rate: few iterations (the Hessian is exact).
        #expect(result.iterations <= 20)
    }

    @Test("hinge goes to native.ipm by default and reaches the QP's f*")
    func hingeThroughQP() throws {
        let result = try Self.solveToOptimum("breast_cancer_hinge_l2_1e-2")
        #expect(result.solverID == "native.ipm")
        #expect(result.certificateCheck?.passed == true, "the QP's certificate check")
    }

    @Test("a gradient method refuses hinge, and native.ipm refuses a smooth loss, naming the alternatives")
    func refusals() throws {
        let hinge = try LearningFixture.load("breast_cancer_hinge_l2_1e-2")
        #expect(throws: SolverError.self) { try SolverRegistry.standard.solve(hinge, solverID: "native.lbfgs") }
        let logistic = try LearningFixture.load("iris_softmax_l2_1e-2")
        let error = try #require(LearningFixture.caught { _ = try SolverRegistry.standard.solve(logistic, solverID: "native.ipm") } as? SolverError,
                                 "native.ipm accepted a softmax problem")
        #expect(error.description.contains("native.lbfgs"))
    }

    @Test("ridge against its closed form: the normal equations on a 4×2 data set")
    func ridgeClosedForm() throws {
        // f(w, b) = (1/n) Σ ½(wᵀx + b − y)² + (λ/2)‖w‖²; stationarity: [XᵀX/n + λI, Xᵀ1/n; 1ᵀX/n, 1] [w; b] = [Xᵀy/n; mean y].
        let x: [[Double]] = [[1, 2], [2, 0], [0, 1], [3, 1]], y = [3.0, 1, 2, 5], lambda = 0.5, n = 4.0
        let data = try LearningData(featureCount: 2, labels: y, dense: x.flatMap { $0 })
        let problem = try LearningProblem(model: .linear, lambda: lambda, training: data)
        var a = [[Double]](repeating: [0, 0, 0], count: 3), rhs = [0.0, 0, 0]
        for i in 0..<4 {
            let row = x[i] + [1]
            for r in 0..<3 {
                for c in 0..<3 { a[r][c] += row[r] * row[c] / n }
                rhs[r] += row[r] * y[i] / n
            }
        }
        a[0][0] += lambda
        a[1][1] += lambda
        // Cramer's rule on the 3×3 system.
        func det(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let solution = (0..<3).map { k -> Double in
            var m = a
            for r in 0..<3 { m[r][k] = rhs[r] }
            return det(m) / det(a)
        }
        for id in ["native.lbfgs", "native.newton"] {
            let result = try SolverRegistry.standard.solve(.learning(problem), solverID: id)
            #expect(result.status == .optimal)
            for k in 0..<3 { #expect(isClose(result.primal[k], solution[k], absolute: 1e-7, relative: 1e-7), "\(id) θ[\(k)]") }
        }
    }
}

/// The gradient and Hessian written for the data's structure, against central
/// differences, on dense and on sparse storage of the same samples.
@Suite("Learning: objective, gradient and Hessian")
struct LearningObjectiveTests {
    /// 6 samples, 5 features, about a third of them zero (sparse enough for CSR).
    static func data(labels: [Double]) throws -> (dense: LearningData, sparse: LearningData) {
        var generator = SeededGenerator(seed: 3)
        var dense: [Double] = [], starts = [0], columns: [Int] = [], values: [Double] = []
        for _ in 0..<6 {
            for j in 0..<5 {
                let keep = generator.nextUnit() < 0.3
                let v = keep ? generator.nextGaussian() : 0
                dense.append(v)
                if keep { columns.append(j); values.append(v) }
            }
            starts.append(values.count)
        }
        return (try LearningData(featureCount: 5, labels: labels, dense: dense),
                try LearningData(featureCount: 5, labels: labels, rowStarts: starts, columnIndices: columns, values: values))
    }

    @Test("∇f and ∇²f match central differences; dense and sparse give the same f", arguments: LearningModelType.allCases)
    func derivatives(model: LearningModelType) throws {
        let labels: [Double] = model == .softmax ? [0, 2, 1, 2, 0, 1] : model == .linear ? [1.5, -2, 0.3, 4, -1, 0] : [1, -1, 1, 1, -1, -1]
        let (dense, sparse) = try Self.data(labels: labels)
        #expect(dense.isDense && !sparse.isDense)
        let p1 = try LearningProblem(model: model, lambda: 0.1, training: dense)
        let p2 = try LearningProblem(model: model, lambda: 0.1, training: sparse)
        let objective = p1.objective
        var generator = SeededGenerator(seed: 5)
        let theta = (0..<objective.dimension).map { _ in 0.5 * generator.nextGaussian() }
        var g = [Double](), g2 = [Double]()
        let f = objective.valueAndGradient(at: theta, gradient: &g)
        #expect(isClose(f, p2.objective.valueAndGradient(at: theta, gradient: &g2), relative: 1e-14))
        for i in 0..<g.count { #expect(isClose(g[i], g2[i], absolute: 1e-15, relative: 1e-13)) }
        guard model.isSmooth else {
            #expect(objective.hessian(at: theta) == nil)
            return
        }
        let h = try #require(objective.hessian(at: theta))
        let p = objective.dimension, step = 1e-6
        for k in 0..<p {
            var plus = theta, minus = theta
            plus[k] += step
            minus[k] -= step
            #expect(isClose(g[k], (objective.value(at: plus) - objective.value(at: minus)) / (2 * step), absolute: 1e-8, relative: 1e-6), "∂f/∂θ\(k)")
            var gp = [Double](), gm = [Double]()
            _ = objective.valueAndGradient(at: plus, gradient: &gp)
            _ = objective.valueAndGradient(at: minus, gradient: &gm)
            for j in 0..<p { #expect(isClose(h[j * p + k], (gp[j] - gm[j]) / (2 * step), absolute: 1e-7, relative: 1e-5), "H[\(j), \(k)]") }
        }
    }

    /// The blocked kernel of dense rows (K ≥ 2: blocks of 4 samples, classes in chunks of 4
    /// padded with zeros) against the per-sample pass that minibatches use (`rows` given),
    /// at sizes that leave a short last block and a padded last chunk; and the same bits
    /// from a second evaluation.
    @Test("blocked dense softmax pass: equals the per-sample pass; same bits twice", arguments: [false, true])
    func blockedKernel(intercept: Bool) throws {
        let n = 11, d = 7, k = 10
        var generator = SeededGenerator(seed: 11)
        let dense = (0..<(n * d)).map { _ in generator.nextGaussian() }
        let labels = (0..<n).map { Double($0 % k) }
        let problem = try LearningProblem(model: .softmax, lambda: 0.01, intercept: intercept,
                                          training: try LearningData(featureCount: d, labels: labels, dense: dense), classCount: k)
        let objective = problem.objective
        let theta = (0..<objective.dimension).map { _ in generator.nextGaussian() }
        var g = [Double](), again = [Double]()
        let f = objective.valueAndGradient(at: theta, gradient: &g)
        #expect(f.bitPattern == objective.valueAndGradient(at: theta, gradient: &again).bitPattern)
        #expect(g.map(\.bitPattern) == again.map(\.bitPattern))
        var perSample = Array(repeating: 0.0, count: objective.dimension)
        let all = Array(0..<n)
        let loss = theta.withUnsafeBufferPointer { t in
            all.withUnsafeBufferPointer { rows in
                perSample.withUnsafeMutableBufferPointer { objective.meanLoss(problem.training, theta: t, rows: rows, gradient: $0.baseAddress) }
            }
        }
        #expect(isClose(f, loss + objective.regularization(theta), relative: 1e-14))
        let w = d * k
        for i in 0..<objective.dimension {
            let expected = perSample[i] + (i < w ? 0.01 * theta[i] : 0)
            #expect(isClose(g[i], expected, absolute: 1e-15, relative: 1e-13), "θ[\(i)]")
        }
    }

    @Test("losses stay finite and exact at huge margins (softplus, log-sum-exp)")
    func stableLosses() throws {
        #expect(LearningLoss.softplus(1000) == 1000)
        #expect(LearningLoss.softplus(-1000) == 0)
        #expect(isClose(LearningLoss.softplus(-40), 4.248354255291589e-18, relative: 1e-12))
        #expect(LearningLoss.sigmoid(-1000) == 0 && LearningLoss.sigmoid(1000) == 1)
        // Softmax with scores 1000 apart: loss of the top class is e^{-1000} ≈ 0, of another 1000.
        let data = try LearningData(featureCount: 1, labels: [0, 1], dense: [1, 1])
        let problem = try LearningProblem(model: .softmax, lambda: 0, intercept: false, training: data, classCount: 2)
        let f = problem.objective.value(at: [1000, 0])  // scores (1000, 0) for both samples
        #expect(f == 500)
    }

    @Test("labels: 0/1 read as −1/+1; a bad label names the file and line")
    func labels() throws {
        let problem = try LearningFixture.learning("breast_cancer_logistic_l2_1e-2")
        #expect(Set(problem.training.labels) == [-1, 1])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("learning-labels-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "1 1:0.5\n# comment\n0 2:1\n\n2 1:3\n".write(toFile: directory + "/d.libsvm", atomically: true, encoding: .utf8)
        try "kind: learning\ntrain: d.libsvm\nmodel: logistic\nl2: 1e-2\n".write(toFile: directory + "/p.yaml", atomically: true, encoding: .utf8)
        let error = try #require(LearningFixture.caught { _ = try ProblemFileReader.load(directory + "/p.yaml") } as? InputError,
                                 "label 2 accepted for a logistic model")
        #expect(error.file == directory + "/d.libsvm")
        #expect(error.line == 5)
        #expect(error.message.contains("−1/+1"))
        // The same data as softmax classes 0, 1, 2 (and `1e-2` read as a number).
        try "kind: learning\ntrain: d.libsvm\nmodel: softmax\nl2: 1e-2\n".write(toFile: directory + "/s.yaml", atomically: true, encoding: .utf8)
        guard case .learning(let softmax) = try ProblemFileReader.load(directory + "/s.yaml").problem else { throw InputError("not learning") }
        #expect(softmax.outputCount == 3 && softmax.lambda == 0.01 && softmax.featureCount == 2)
        // CSV with the label first reads as the same samples.
        try "label,a,b\n1,0.5,0\n0,0,1\n1,3,0\n".write(toFile: directory + "/d.csv", atomically: true, encoding: .utf8)
        let csv = try LearningDataReader.read(directory + "/d.csv", model: .logistic)
        #expect(csv.labels == [1, 0, 1] && csv.featureCount == 2 && csv.values == [0.5, 0, 0, 1, 3, 0])
    }

    @Test("the fixtures read with the reference's sizes")
    func sizes() throws {
        for name in LearningFixture.smallProblems {
            let reference = try LearningFixture.reference(name)
            let problem = try LearningFixture.learning(name)
            #expect(problem.training.sampleCount == reference.trainCount)
            #expect(problem.featureCount == reference.featureCount)
            #expect(problem.lambda == reference.lambda)
            if let k = reference.classes, problem.model == .softmax { #expect(problem.outputCount == k) }
        }
    }
}
