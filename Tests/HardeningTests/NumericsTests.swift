import BuiltInSolvers
import Lagrange
import LagrangeCore
import Synchronization
import Testing

/// Non-finite values met mid-run, huge declared sizes, and the bounded history.
struct NumericsTests {
    /// A convex quadratic ½‖x − 1‖² that answers NaN from its `k`-th evaluation on (a
    /// user's closure going wrong mid-run).
    static func poisoned(after k: Int) -> Problem {
        let calls = Atomic<Int>(0)
        // Value and gradient share one counter: from the k-th call on both are NaN.
        let objective = ClosureObjective(dimension: 4, gradient: { x in
            if calls.add(1, ordering: .relaxed).newValue >= k { return Array(repeating: .nan, count: x.count) }
            return x.map { ($0 - 1) + 0.04 * $0 * $0 * $0 }
        }) { x in
            if calls.add(1, ordering: .relaxed).newValue >= k { return .nan }
            return 0.5 * x.reduce(0) { $0 + ($1 - 1) * ($1 - 1) } + 0.01 * x.reduce(0) { $0 + $1 * $1 * $1 * $1 }
        }
        return .smooth(try! SmoothProblem(name: "poisoned", start: [5, -3, 8, 2], objective: objective))
    }

    @Test("a smooth objective that turns NaN mid-run stops with numerical_error or a stall at the last finite point",
          arguments: ["native.gradient-descent", "native.bfgs", "native.newton", "gsl.bfgs2", "gsl.steepest-descent"])
    func nanMidRun(solverID: String) throws {
        let result = try SolverRegistry.builtIn.solve(Self.poisoned(after: 12), solverID: solverID, options: SolveOptions(maxIterations: 10_000))
        #expect([.numericalError, .slowProgress].contains(result.status), "\(solverID): \(result.status.rawValue) \(result.rawStatus)")
        #expect(result.primal.count == 4 && result.primal.allSatisfy(\.isFinite), "\(solverID) returned a non-finite point")
        if let objective = result.objective { #expect(objective.isFinite) }
        #expect(result.history.records.allSatisfy { $0.objective.map(\.isFinite) ?? true })
    }

    @Test("a DIMACS header declaring 4·10⁹ nodes is rejected without allocating them")
    func hugeDIMACS() {
        #expect(throws: InputError.self) {
            try DIMACSMaxFlow.parse(text: "p max 4000000000 4000000000\nn 1 s\nn 2 t\na 1 2 5\n", file: "huge.max")
        }
    }

    @Test("a Matrix Market header declaring 10¹² entries is rejected without allocating them")
    func hugeMatrixMarket() {
        #expect(throws: InputError.self) {
            try MatrixMarket.parse(text: "%%MatrixMarket matrix coordinate real general\n1000000 1000000 1000000000000\n1 1 1.0\n", path: "huge.mtx")
        }
        #expect(throws: InputError.self) {
            try MatrixMarket.parse(text: "%%MatrixMarket matrix array real general\n1000000000 1000000000\n1.0\n", path: "huge-dense.mtx")
        }
    }

    @Test("the default history keeps 10⁷ records small (count, not memory)")
    func boundedHistory() {
        var history = ConvergenceHistory()
        for k in 0..<10_000_000 { history.append(IterationRecord(iteration: k, objective: Double(k))) }
        history.finish()
        #expect(history.reportedCount == 10_000_000)
        #expect(history.records.count <= 10_001)
        #expect(history.records.first?.iteration == 0)
        #expect(history.records.last?.iteration == 9_999_999)
    }

    @Test("a 10⁷-iteration Kaczmarz run (10⁶ records) keeps a bounded history")
    func longKaczmarz() throws {
        let a = try DenseMatrix(rowArrays: [[1, 2], [3, 4], [5, 7]])
        let problem = Problem.linearSystem(try LinearSystemProblem(matrix: .dense(a), rightHandSide: [1, 2, 4]))
        let result = try SolverRegistry.builtIn.solve(problem, solverID: "native.kaczmarz",
                                                       options: SolveOptions(maxIterations: 10_000_000,
                                                                             parameters: ["stop": .string("iterations"), "record_every": .number(10)]))
        #expect(result.status == .iterationLimit)
        #expect(result.iterations == 10_000_000)
        #expect(result.history.records.count <= 10_001)
        #expect(result.history.reportedCount >= 1_000_000)
    }
}
