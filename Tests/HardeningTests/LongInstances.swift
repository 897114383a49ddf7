import Expressions
import Lagrange
import LagrangeCore
import LinearAlgebra

/// Instances of every kind that take seconds to solve in a debug build, generated in code
/// from ``SeededGenerator`` (no files), for the limit and cancellation tests.
///
/// Each is generated once per process (they are shared by every solver of the kind).
enum LongInstances {
    /// Long instances of `kind`, in the order to try them (a solver takes the first it
    /// accepts: `native.linear-svr` only takes the linear kernel); empty for a kind with no
    /// generator yet (the limit test then fails, so a new kind cannot slip past it).
    static func problems(for kind: ProblemKind) -> [Problem] {
        switch kind {
        case .lp: return [lp]
        case .qp: return [qp, equalityQP]
        case .smooth: return [smooth]
        case .nlp: return [constrainedNLP, boundedNLP]
        case .linearSystem: return [linearSystem]
        case .svr: return [svr, linearSVR]
        case .maxFlow: return [maxFlow]
        case .matrixGame: return [matrixGame]
        case .learning: return [learning, hinge]
        }
    }

    /// Logistic regression on 20 000 samples × 20 features (a full gradient about 10 ms in
    /// a debug build, 20 epochs of SGD seconds), and a 2000-sample hinge
    /// problem for native.ipm, which builds its QP (one row per sample) before the first check.
    static let learning: Problem = makeLearning(model: .logistic, samples: 20_000, name: "long-learning")
    static let hinge: Problem = makeLearning(model: .hinge, samples: 2000, name: "long-hinge")

    static func makeLearning(model: LearningModelType, samples: Int, name: String) -> Problem {
        var random = SeededGenerator(seed: 19)
        let features = 20
        var values: [Double] = [], labels: [Double] = []
        values.reserveCapacity(samples * features)
        for _ in 0..<samples {
            var score = 0.0
            for k in 0..<features {
                let v = random.nextGaussian()
                values.append(v)
                score += (k % 2 == 0 ? 1 : -1) * v
            }
            labels.append(score + random.nextGaussian() > 0 ? 1 : -1)
        }
        let data = try! LearningData(featureCount: features, labels: labels, dense: values)
        return .learning(try! LearningProblem(name: name, model: model, lambda: 1e-4, training: data))
    }

    /// maximize cᵀx s.t. A x ≤ b, x ≥ 0 with A ≥ 0 random sparse (bounded, feasible at 0).
    static let lpModel: LinearProgram = {
        var random = SeededGenerator(seed: 11)
        let rows = 800, columns = 1600, perColumn = 12
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(columns * perColumn)
        for j in 0..<columns {
            for _ in 0..<perColumn { triplets.append((random.nextIndex(below: rows), j, 0.1 + random.nextUnit())) }
        }
        let a = try! SparseMatrix(rowCount: rows, columnCount: columns, triplets: triplets)
        let objective = (0..<columns).map { _ in 1 + random.nextUnit() }
        let upper = (0..<rows).map { _ in 10 + 10 * random.nextUnit() }
        return try! LinearProgram(name: "long-lp", sense: .maximize, objective: objective, constraints: a,
                                  rowLower: Array(repeating: -.infinity, count: rows), rowUpper: upper)
    }()

    static let lp: Problem = .linear(lpModel)

    /// The LP above plus a diagonal ½xᵀDx with D > 0.
    static let qp: Problem = {
        var random = SeededGenerator(seed: 12)
        let n = lpModel.columnCount
        let q = try! SparseMatrix(rowCount: n, columnCount: n,
                                  triplets: (0..<n).map { (row: $0, column: $0, value: 0.01 + random.nextUnit()) })
        var linear = lpModel
        linear.name = "long-qp"
        // Minimize so the quadratic is convex in the solved direction.
        let negated = try! LinearProgram(name: "long-qp", sense: .minimize, objective: linear.objective.map { -$0 },
                                         constraints: linear.constraints, rowLower: linear.rowLower, rowUpper: linear.rowUpper)
        return .quadratic(try! QuadraticProgram(linear: negated, quadratic: q))
    }()

    /// An equality-constrained QP for the direct KKT solvers (`native.kkt`, `gsl.kkt`,
    /// which take no inequalities or bounds): n = 2400 free variables, m = 600 rows, S
    /// diagonally dominant with 1 % random off-diagonal entries, so the KKT matrix of order
    /// 3000 fills in almost completely (billions of flops to factor).
    static let equalityQP: Problem = {
        var random = SeededGenerator(seed: 17)
        let n = 2400, m = 600
        var hessian: [(row: Int, column: Int, value: Double)] = (0..<n).map { ($0, $0, 30 + random.nextUnit()) }
        for _ in 0..<(n * n / 200) {
            let i = random.nextIndex(below: n), j = random.nextIndex(below: n)
            guard i != j else { continue }
            let v = random.nextGaussian()
            hessian.append((i, j, v))
            hessian.append((j, i, v))
        }
        var rows: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<m {
            for _ in 0..<8 { rows.append((i, random.nextIndex(below: n), random.nextGaussian())) }
        }
        let s = try! SparseMatrix(rowCount: n, columnCount: n, triplets: hessian)
        let a = try! SparseMatrix(rowCount: m, columnCount: n, triplets: rows)
        let b = (0..<m).map { _ in random.nextGaussian() }
        let linear = try! LinearProgram(name: "long-eqp", objective: (0..<n).map { _ in random.nextGaussian() }, constraints: a,
                                        rowLower: b, rowUpper: b,
                                        columnLower: Array(repeating: -.infinity, count: n),
                                        columnUpper: Array(repeating: .infinity, count: n))
        return .quadratic(try! QuadraticProgram(linear: linear, quadratic: s))
    }()

    /// Chained Rosenbrock in 500 variables from the classic start (−1.2, 1, …), with its
    /// exact gradient and dense Hessian (so Newton-type methods factor 500×500 matrices).
    static let smooth: Problem = {
        let n = 500
        let start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        return .smooth(try! SmoothProblem(name: "long-smooth", start: start, objective: ChainedRosenbrock(dimension: n)))
    }()

    /// Chained Rosenbrock on [−2, 2]ⁿ (n = 500), and the same inside the ball ‖x‖² ≤ n/2.
    static let boundedNLP: Problem = {
        let n = 500
        let start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        return .nonlinear(try! NonlinearProgram(name: "long-nlp-bounds", objective: ChainedRosenbrock(dimension: n),
                                                lowerBounds: Array(repeating: -2, count: n), upperBounds: Array(repeating: 2, count: n),
                                                start: start))
    }()

    static let constrainedNLP: Problem = {
        let n = 500
        let start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        let ball = ClosureObjective(dimension: n, gradient: { x in x.map { 2 * $0 } }) { x in x.reduce(0) { $0 + $1 * $1 } }
        let constraint = try! NonlinearConstraint(name: "ball", function: ball, lower: -.infinity, upper: Double(n) / 2)
        return .nonlinear(try! NonlinearProgram(name: "long-nlp", objective: ChainedRosenbrock(dimension: n), constraints: [constraint],
                                                start: start))
    }()

    /// An overdetermined, ill-conditioned sparse system (column scales over 4 decades).
    static let linearSystem: Problem = {
        var random = SeededGenerator(seed: 13)
        let rows = 6000, columns = 3000, perRow = 10
        var triplets: [(row: Int, column: Int, value: Double)] = []
        let scale = (0..<columns).map { j in pow10(-2 + 4 * Double(j) / Double(columns)) }
        for i in 0..<rows {
            for _ in 0..<perRow {
                let j = random.nextIndex(below: columns)
                triplets.append((i, j, random.nextGaussian() * scale[j]))
            }
        }
        let a = try! SparseMatrix(rowCount: rows, columnCount: columns, triplets: triplets)
        let truth = (0..<columns).map { _ in random.nextGaussian() }
        let b = a.multiply(truth)
        return .linearSystem(try! LinearSystemProblem(name: "long-system", matrix: .sparse(a), rightHandSide: b, knownSolution: truth))
    }()

    /// 4000 noisy samples of a 10-feature nonlinear function, RBF kernel, large C.
    static let svr: Problem = makeSVR(kernel: .rbf(gamma: 0.5))
    /// The same data with the linear kernel.
    static let linearSVR: Problem = makeSVR(kernel: .linear)

    static func makeSVR(kernel: Kernel) -> Problem {
        var random = SeededGenerator(seed: 14)
        let samples = 4000, features = 10
        var storage: [Double] = []
        storage.reserveCapacity(samples * features)
        var targets: [Double] = []
        for _ in 0..<samples {
            var sum = 0.0
            for k in 0..<features {
                let v = 2 * random.nextUnit() - 1
                storage.append(v)
                sum += Double(k + 1) * v * v
            }
            targets.append(sum + 0.3 * random.nextGaussian())
        }
        let data = try! RegressionData(features: try! DenseMatrix(rows: samples, columns: features, storage: storage), targets: targets)
        return .supportVectorRegression(try! SVRProblem(name: "long-svr", training: data, kernel: kernel,
                                                        boxConstraint: 1000, epsilon: 0.01))
    }

    /// A random layered network: 22 500 nodes, about 112 000 arcs, large random capacities
    /// (push–relabel solves 45 000 arcs in under 50 ms on a quiet machine, and building
    /// the residual network of 300 000 arcs alone takes about 100 ms in a debug build).
    static let maxFlow: Problem = layeredNetwork(layers: 150)
    /// The same with 40 layers (6 000 nodes), for solvers that first build a model of the
    /// whole graph in one uninterruptible step (``LimitTests/modelBuilders``).
    static let smallMaxFlow: Problem = layeredNetwork(layers: 40)

    static func layeredNetwork(layers: Int, width: Int = 150) -> Problem {
        var random = SeededGenerator(seed: 15)
        let nodeCount = layers * width + 2
        let source = nodeCount - 2, sink = nodeCount - 1
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        func arc(_ u: Int, _ v: Int, _ c: Int64) { tails.append(Int32(u)); heads.append(Int32(v)); capacities.append(c) }
        for k in 0..<width { arc(source, k, 1_000_000); arc((layers - 1) * width + k, sink, 1_000_000) }
        for layer in 0..<(layers - 1) {
            for k in 0..<width {
                let u = layer * width + k
                for _ in 0..<5 {
                    arc(u, (layer + 1) * width + random.nextIndex(below: width), Int64(1 + random.nextIndex(below: 1000)))
                }
            }
        }
        return .maxFlow(try! MaxFlowProblem(name: "long-flow", nodeCount: nodeCount, source: source, sink: sink,
                                            tails: tails, heads: heads, capacities: capacities))
    }

    /// A random 400×400 zero-sum game.
    static let matrixGame: Problem = {
        var random = SeededGenerator(seed: 16)
        let n = 400
        let payoff = try! DenseMatrix(rows: n, columns: n, storage: (0..<(n * n)).map { _ in random.nextGaussian() })
        return .matrixGame(try! MatrixGame(name: "long-game", payoff: payoff))
    }()

    private static func pow10(_ e: Double) -> Double { exp(e * log(10.0)) }

    // MARK: The sizes of issue #16 (defect 7), where limits were once not held

    /// The large instance of `kind` that every solver of the kind must stop on in time, or
    /// nil for a kind without one.
    static func large(for kind: ProblemKind) -> Problem? {
        switch kind {
        case .smooth: return largeSmooth
        case .maxFlow: return largeMaxFlow
        case .linearSystem: return largeDenseSystem
        default: return nil
        }
    }

    /// Chained Rosenbrock in 3000 variables as an expression, as a problem file gives it:
    /// its exact Hessian is 3000 Hessian–vector products over the whole tape (about a second),
    /// and factoring the dense 3000×3000 Hessian is billions of flops.
    static let largeSmooth: Problem = {
        let n = 3000
        let terms = (1..<n).map { i in "100*(x\(i + 1) - x\(i)^2)^2 + (1 - x\(i))^2" }
        let objective = try! CompiledExpression(terms.joined(separator: " + "), variables: (1...n).map { "x\($0)" })
        let start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        return .smooth(try! SmoothProblem(name: "large-smooth", start: start, objective: objective))
    }()

    /// A layered network of about a million arcs (200 layers of 1000 nodes, five arcs out of
    /// each).
    static let largeMaxFlow: Problem = layeredNetwork(layers: 200, width: 1000)

    /// A dense, inconsistent 50 000 × 500 system (25 million entries, 200 MB): one strided
    /// column of A touches 50 000 cache lines.
    static let largeDenseSystem: Problem = {
        var random = SeededGenerator(seed: 18)
        let rows = 50_000, columns = 500
        let a = try! DenseMatrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in 2 * random.nextUnit() - 1 })
        let b = (0..<rows).map { _ in 2 * random.nextUnit() - 1 }
        return .linearSystem(try! LinearSystemProblem(name: "large-dense-system", matrix: .dense(a), rightHandSide: b))
    }()
}

/// f(x) = Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² (the chained form, coupled, so quasi-Newton
/// methods need thousands of iterations), with exact derivatives.
struct ChainedRosenbrock: SmoothObjective {
    let dimension: Int

    func value(at x: [Double]) -> Double {
        var f = 0.0
        for i in 0..<(dimension - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            f += 100 * a * a + b * b
        }
        return f
    }

    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        if gradient.count != dimension { gradient = Array(repeating: 0, count: dimension) }
        for i in 0..<dimension { gradient[i] = 0 }
        var f = 0.0
        for i in 0..<(dimension - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            f += 100 * a * a + b * b
            gradient[i] += -400 * a * x[i] - 2 * b
            gradient[i + 1] += 200 * a
        }
        return f
    }

    func hessian(at x: [Double]) -> [Double]? {
        let n = dimension
        var h = Array(repeating: 0.0, count: n * n)
        for i in 0..<(n - 1) {
            h[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            h[i * n + i + 1] += -400 * x[i]
            h[(i + 1) * n + i] += -400 * x[i]
            h[(i + 1) * n + i + 1] += 200
        }
        return h
    }
}

#if canImport(Glibc)
import Glibc
#endif
