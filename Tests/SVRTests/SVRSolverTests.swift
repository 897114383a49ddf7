import Foundation
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

/// The largest KKT violation of the bias-free dual at β, from a freshly computed Kβ:
/// the minimal-norm subgradient of ½βᵀKβ − βᵀy + ε‖β‖₁ restricted to |βᵢ| ≤ C.
func biasFreeViolation(_ beta: [Double], _ k: [[Double]], _ y: [Double], epsilon: Double, box c: Double) -> Double {
    var worst = 0.0
    for i in beta.indices {
        var r = -y[i]
        for j in beta.indices { r += k[i][j] * beta[j] }
        let b = beta[i]
        let v: Double
        if b == 0 { v = max(0, abs(r) - epsilon) }
        else if b >= c { v = max(0, r + epsilon) }
        else if b <= -c { v = max(0, epsilon - r) }
        else { v = b > 0 ? abs(r + epsilon) : abs(r - epsilon) }
        worst = max(worst, v)
    }
    return worst
}

/// An independent solver for the bias-free dual as the box-constrained QP in the 2n
/// variables (α, α*) ∈ [0, C]²ⁿ: accelerated projected gradient (FISTA) with adaptive
/// restart (O'Donoghue & Candès 2015), step 1/L with L = 2·λmax(K) from power iteration.
func projectedGradientReference(_ k: [[Double]], _ y: [Double], epsilon: Double, box c: Double, iterations: Int) -> [Double] {
    let n = y.count
    func multiply(_ v: [Double]) -> [Double] { (0..<n).map { i in (0..<n).reduce(0.0) { $0 + k[i][$1] * v[$1] } } }
    var v = Array(repeating: 1.0, count: n), lambda = 0.0
    for _ in 0..<200 {
        let w = multiply(v)
        lambda = (w.map { $0 * $0 }.reduce(0, +)).squareRoot()
        v = w.map { $0 / max(lambda, 1e-300) }
    }
    let step = 1 / (2 * lambda * 1.01)
    var a = Array(repeating: 0.0, count: n), b = a    // α, α*
    var za = a, zb = b, t = 1.0
    func objective(_ a: [Double], _ b: [Double]) -> Double {
        let beta = zip(a, b).map { $0 - $1 }
        let kb = multiply(beta)
        var f = 0.0
        for i in 0..<n { f += 0.5 * beta[i] * kb[i] - beta[i] * y[i] + epsilon * (a[i] + b[i]) }
        return f
    }
    var previous = objective(a, b)
    for _ in 0..<iterations {
        let kb = multiply(zip(za, zb).map { $0 - $1 })
        // ∇_α = Kβ + ε − y, ∇_α* = −Kβ + ε + y.
        let na = (0..<n).map { min(max(za[$0] - step * (kb[$0] + epsilon - y[$0]), 0), c) }
        let nb = (0..<n).map { min(max(zb[$0] - step * (-kb[$0] + epsilon + y[$0]), 0), c) }
        let f = objective(na, nb)
        if f > previous { t = 1; za = a; zb = b; continue } // restart
        let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
        let m = (t - 1) / tNext
        za = (0..<n).map { na[$0] + m * (na[$0] - a[$0]) }
        zb = (0..<n).map { nb[$0] + m * (nb[$0] - b[$0]) }
        a = na; b = nb; t = tNext; previous = f
    }
    return zip(a, b).map { $0 - $1 }
}

@Suite("SVR solvers")
struct SVRSolverTests {
    /// The first 40 sinc training points, for dense checks.
    static func smallSinc(kernel: Kernel = .rbf(gamma: 0.5), bias: Bool = false, box: Double = 10, epsilon: Double = 0.05) throws -> SVRProblem {
        let full = try SVRFixture.data("sinc.train.libsvm")
        var features = DenseMatrix(rows: 40, columns: 1)
        for i in 0..<40 { features[i, 0] = full.features[i, 0] }
        let data = try RegressionData(features: features, targets: Array(full.targets.prefix(40)))
        return try SVRProblem(name: "sinc40", training: data, kernel: kernel, boxConstraint: box, epsilon: epsilon, bias: bias)
    }

    @Test("bias-free form: KKT to 1e-8 and agreement with projected-gradient QP reference")
    func biasFree() throws {
        let problem = try SVRSolverTests.smallSinc()
        let result = try SVRFixture.solve(problem, tolerance: 1e-10)
        #expect(result.status == .optimal)
        let k = SVRFixture.kernelMatrix(problem.training, problem.kernel)
        let y = problem.training.targets
        let violation = biasFreeViolation(result.primal, k, y, epsilon: problem.epsilon, box: problem.boxConstraint)
        #expect(violation <= 1e-8, "KKT violation \(violation)")
        let details = try #require(result.details(as: SVRDetails.self))
        #expect(details.intercept == 0)
        // Some coordinates at the bound, some free, some zero: a non-trivial instance.
        #expect(result.primal.contains { abs($0) == problem.boxConstraint })
        #expect(result.primal.contains { $0 != 0 && abs($0) < problem.boxConstraint })
        #expect(result.primal.contains { $0 == 0 })

        let reference = projectedGradientReference(k, y, epsilon: problem.epsilon, box: problem.boxConstraint, iterations: 6000)
        let referenceObjective = SVRFixture.dualObjective(reference, k, y, problem.epsilon)
        let objective = try #require(result.objective)
        #expect(isClose(objective, SVRFixture.dualObjective(result.primal, k, y, problem.epsilon), relative: 1e-12))
        // The reference is feasible, so it can only be worse; it must come close.
        #expect(objective <= referenceObjective + 1e-12 * abs(objective))
        #expect(isClose(objective, referenceObjective, relative: 1e-7), "objective \(objective) vs reference \(referenceObjective)")
        // Training predictions use Kβ (no intercept).
        var mse = 0.0
        for i in y.indices { let f = zip(k[i], result.primal).reduce(0.0) { $0 + $1.0 * $1.1 }; mse += (f - y[i]) * (f - y[i]) }
        #expect(isClose(details.trainMSE, mse / Double(y.count), relative: 1e-9))
    }

    @Test("bias-free on the full diabetes data with a linear kernel: smo and linear-svr agree, KKT to 1e-8")
    func linearSVRAgreesWithSMO() throws {
        let row = try #require(SVRReferenceTests.rows.first { $0["dataset"] == "diabetes" && $0["kernel"] == "linear" })
        let problem = try SVRFixture.problem(row, bias: false)
        let smo = try SVRFixture.solve(problem, tolerance: 1e-9)
        let linear = try SVRFixture.solve(problem, solver: "native.linear-svr", tolerance: 1e-9)
        #expect(smo.status == .optimal)
        #expect(linear.status == .optimal)
        let k = SVRFixture.kernelMatrix(problem.training, .linear)
        let y = problem.training.targets
        for r in [smo, linear] {
            let v = biasFreeViolation(r.primal, k, y, epsilon: problem.epsilon, box: problem.boxConstraint)
            #expect(v <= 1e-8 * max(1, SVRFixture.standardDeviation(y)), "\(r.solverID) KKT violation \(v)")
        }
        #expect(isClose(try #require(smo.objective), try #require(linear.objective), relative: 1e-9))
        let a = try #require(smo.details(as: SVRDetails.self)), b = try #require(linear.details(as: SVRDetails.self))
        #expect(isClose(try #require(a.testMSE), try #require(b.testMSE), relative: 1e-6))
        // The linear model predicts with w = Xᵀβ.
        let w = try #require(b.model.linearWeights)
        #expect(w.count == 10)
        #expect(linear.seed == 0)
        #expect(linear.history.records.last?.extras.map(\.name) == SMOSolver.extraKeys)
    }

    @Test("linear-svr with bias uses a regularized constant feature and says so")
    func linearSVRWithBias() throws {
        let row = try #require(SVRReferenceTests.rows.first { $0["dataset"] == "diabetes" && $0["kernel"] == "linear" })
        let problem = try SVRFixture.problem(row)
        let result = try SVRFixture.solve(problem, solver: "native.linear-svr", tolerance: 1e-6)
        #expect(result.status == .optimal)
        let details = try #require(result.details(as: SVRDetails.self))
        // Same as the bias-free problem on data augmented with a column of ones.
        var augmented = DenseMatrix(rows: problem.training.features.rows, columns: 11)
        for i in 0..<augmented.rows {
            for j in 0..<10 { augmented[i, j] = problem.training.features[i, j] }
            augmented[i, 10] = 1
        }
        let plain = try SVRProblem(training: try RegressionData(features: augmented, targets: problem.training.targets),
                                   kernel: .linear, boxConstraint: problem.boxConstraint, epsilon: problem.epsilon, bias: false)
        let reference = try SVRFixture.solve(plain, tolerance: 1e-9)
        #expect(isClose(try #require(result.objective), try #require(reference.objective), relative: 1e-6))
        #expect(details.intercept > 100) // the target mean is about 150
        #expect(result.notes.contains { $0.contains("liblinear") })
        #expect(throws: SolverError.self) {
            _ = try SVRFixture.solve(try SVRSolverTests.smallSinc(), solver: "native.linear-svr")
        }
    }

    @Test("a two-column cache and no shrinking give the same model as a large cache")
    func cacheAndShrinking() throws {
        let row = try #require(SVRReferenceTests.rows.first { $0["dataset"] == "sinc" && $0["kernel"] == "rbf" })
        let problem = try SVRFixture.problem(row)
        let big = try SVRFixture.solve(problem)
        let tiny = try SVRFixture.solve(problem, parameters: ["cache_mb": .number(1e-9)])
        let plain = try SVRFixture.solve(problem, parameters: ["shrinking": .bool(false)])
        let reference = try #require(Double(row["dual_objective"] ?? ""))
        for r in [big, tiny, plain] {
            #expect(r.status == .optimal)
            #expect(isClose(try #require(r.objective), reference, relative: 1e-6))
        }
        // Same iterates whatever the cache holds.
        #expect(tiny.iterations == big.iterations)
        #expect(tiny.primal == big.primal)
        let bigRate = try #require(big.history.records.last?.value(forKey: "cache_hit_rate"))
        let tinyRate = try #require(tiny.history.records.last?.value(forKey: "cache_hit_rate"))
        #expect(bigRate > 0.9)
        #expect(tinyRate < bigRate)
        #expect(throws: SolverError.self) { _ = try SVRFixture.solve(problem, parameters: ["cache_mb": .number(-1)]) }
    }

    @Test("limits end with a status and the last iterate")
    func limits() throws {
        let row = try #require(SVRReferenceTests.rows.first { $0["dataset"] == "sinc" && $0["kernel"] == "poly" })
        let problem = try SVRFixture.problem(row)
        let result = try SVRFixture.solve(problem, maxIterations: 50)
        #expect(result.status == .iterationLimit)
        #expect(result.iterations == 50)
        #expect(result.history.records.count == 50)
        // The returned β is feasible and its objective is the reported one.
        #expect(abs(result.primal.reduce(0, +)) < 1e-9)
        let k = SVRFixture.kernelMatrix(problem.training, problem.kernel)
        #expect(isClose(try #require(result.objective), SVRFixture.dualObjective(result.primal, k, problem.training.targets, problem.epsilon), relative: 1e-9))
        // Observer stop → interrupted.
        var seen = 0
        let stopped = try SolverRegistry.standard.solve(.supportVectorRegression(problem), solverID: "native.smo",
                                                        observers: [ClosureObserver { _ in seen += 1; return seen < 5 }])
        #expect(stopped.status == .interrupted)
        #expect(stopped.iterations == 5)
    }

    @Test("svr routes to native.smo by default")
    func routing() throws {
        #expect(SolverRegistry.standard.defaultID(for: .svr) == "native.smo")
        #expect(SolverRegistry.standard.descriptors(for: .svr).map(\.id) == ["native.smo", "native.linear-svr"])
    }
}

/// Issue #21: a bare .libsvm file takes its model parameters as options, like svm-train.
struct SVRModelOptionTests {
    @Test("-o kernel=linear -o C=2 -o epsilon=0.2 on a .libsvm file trains that model")
    func libsvmFileTakesModelOptions() throws {
        let path = Fixtures.problem("svr/sinc.train.libsvm")
        let definition = try ProblemFileReader.load(path)
        var options = SolveOptions()
        options.parameters = ["kernel": .string("linear"), "C": .number(2), "epsilon": .number(0.2)]
        let viaOptions = try SolverRegistry.standard.solve(definition, options: options)
        guard case .supportVectorRegression(let svr) = definition.problem else { Issue.record("not svr"); return }
        let direct = try SVRProblem(name: svr.name, training: svr.training, kernel: .linear, boxConstraint: 2, epsilon: 0.2)
        let reference = try SolverRegistry.standard.solve(.supportVectorRegression(direct))
        #expect(viaOptions.status == .optimal && reference.status == .optimal)
        #expect(abs((viaOptions.objective ?? .nan) - (reference.objective ?? .nan)) <= 1e-9 * max(1, abs(reference.objective ?? 1)))
        #expect(viaOptions.notes.contains { $0.contains("model parameters from the options: C=2, epsilon=0.2, kernel=linear") })
        options.parameters = ["kernel": .string("sigmoid")]
        #expect(throws: SolverError.self) { try SolverRegistry.standard.solve(definition, options: options) }
    }
}
