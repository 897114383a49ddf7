import BuiltInSolvers
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

/// The `linear-system` default is a direct method (issue #21): `native.kaczmarz` as the
/// default solved a 3×3 system to only 1e-9 and ran a 4×2 least-squares problem for 10⁶
/// steps to `iteration_limit` far from its answer.
@Suite struct DirectDefaultTests {
    static func problem(_ rows: [[Double]], _ b: [Double], ridge: Double = 0) throws -> LinearSystemProblem {
        let a = try DenseMatrix(rows: rows.count, columns: rows[0].count, storage: rows.flatMap { $0 })
        return try LinearSystemProblem(name: "small", matrix: .dense(a), rightHandSide: b, ridge: ridge)
    }

    /// Solves with the registry's default (no solver named).
    static func solveByDefault(_ p: LinearSystemProblem) throws -> SolveResult {
        try SolverRegistry.builtIn.solve(.linearSystem(p))
    }

    @Test("a 4×2 least-squares problem is exact to 1e-12 by default")
    func leastSquaresByDefault() throws {
        // The line through (0,1), (1,2), (2,2), (3,4): AᵀA = [4 6; 6 14], Aᵀb = (9, 18),
        // so x = (0.9, 0.9) exactly.
        let p = try Self.problem([[1, 0], [1, 1], [1, 2], [1, 3]], [1, 2, 2, 4])
        let result = try Self.solveByDefault(p)
        #expect(result.solverID == "native.qr")
        #expect(result.status == .optimal)
        #expect(result.convergedBy?.rawValue == "factorization")
        #expect(abs(result.primal[0] - 0.9) <= 1e-12 && abs(result.primal[1] - 0.9) <= 1e-12, "x = \(result.primal)")
        // ½‖Ax − b‖² = ½(0.1² + 0.2² + 0.7² + 0.4²) = 0.35.
        let objective = try #require(result.objective)
        #expect(abs(objective - 0.35) <= 1e-12, "objective \(objective)")
    }

    @Test("a 3×3 system is solved to the last bits by default")
    func squareSystemByDefault() throws {
        // x = (1, −2, 3).
        let p = try Self.problem([[4, -2, 1], [-2, 4, -2], [1, -2, 4]], [11, -16, 17])
        let result = try Self.solveByDefault(p)
        #expect(result.status == .optimal)
        for (value, expected) in zip(result.primal, [1.0, -2, 3]) { #expect(abs(value - expected) <= 4e-16 * 3) }
    }

    @Test("rank-deficient and underdetermined systems get the minimum-norm solution")
    func minimumNorm() throws {
        // Rank 1: every x with x₁ + x₂ = 1 solves it; the shortest is (½, ½).
        let repeated = try Self.solveByDefault(Self.problem([[1, 1], [1, 1], [2, 2]], [1, 1, 2]))
        #expect(repeated.status == .optimal)
        #expect(abs(repeated.primal[0] - 0.5) <= 1e-14 && abs(repeated.primal[1] - 0.5) <= 1e-14, "\(repeated.primal)")
        #expect(repeated.notes.contains { $0.contains("minimum-norm") })
        // One equation in three unknowns: x = aᵀb/‖a‖² = (1, 2, 2).
        let wide = try Self.solveByDefault(Self.problem([[1, 2, 2]], [9]))
        for (value, expected) in zip(wide.primal, [1.0, 2, 2]) { #expect(abs(value - expected) <= 1e-14) }
    }

    @Test("ridge: (AᵀA + λI)x = Aᵀb in closed form")
    func ridge() throws {
        // λ = 1: [5 6; 6 15] x = (9, 18), x = (27, 36)/39.
        let result = try Self.solveByDefault(Self.problem([[1, 0], [1, 1], [1, 2], [1, 3]], [1, 2, 2, 4], ridge: 1))
        #expect(abs(result.primal[0] - 27.0 / 39) <= 1e-14 && abs(result.primal[1] - 36.0 / 39) <= 1e-14, "\(result.primal)")
    }

    /// Against GSL's SVD (an independent backend and algorithm), on random tall, wide,
    /// square and rank-deficient systems, with and without ridge.
    @Test("agrees with gsl.svd on random systems of every shape and rank", arguments: 0..<24)
    func agreesWithSVD(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(100 + seed))
        let m = 1 + random.nextIndex(below: 12), n = 1 + random.nextIndex(below: 12)
        // A = U V with an inner dimension below min(m, n) for every third seed: rank deficient.
        let inner = seed % 3 == 0 ? max(1, min(m, n) - 1 - random.nextIndex(below: 2)) : max(m, n)
        let u = (0..<(m * inner)).map { _ in random.nextGaussian() }
        let v = (0..<(inner * n)).map { _ in random.nextGaussian() }
        var storage = Array(repeating: 0.0, count: m * n)
        for i in 0..<m { for j in 0..<n { for k in 0..<inner { storage[i * n + j] += u[i * inner + k] * v[k * n + j] } } }
        let b = (0..<m).map { _ in random.nextGaussian() }
        let ridge = seed % 4 == 1 ? 0.3 : 0
        let p = try LinearSystemProblem(name: "random", matrix: .dense(DenseMatrix(rows: m, columns: n, storage: storage)),
                                        rightHandSide: b, ridge: ridge)
        let ours = try SolverRegistry.builtIn.solve(.linearSystem(p), solverID: "native.qr")
        let svd = try SolverRegistry.builtIn.solve(.linearSystem(p), solverID: "gsl.svd", options: SolveOptions(parameters: ["rcond": .number(1e-10)]))
        #expect(ours.status == .optimal)
        let scale = max(1, svd.primal.map(abs).max() ?? 0)
        for j in 0..<n {
            #expect(abs(ours.primal[j] - svd.primal[j]) <= 1e-9 * scale, "m \(m) n \(n) inner \(inner) ridge \(ridge): x\(j + 1) \(ours.primal[j]) vs \(svd.primal[j])")
        }
    }

    @Test("systems too large for a dense factorization default to native.cgls")
    func largeSystemsGoToCGLS() throws {
        let small = try Self.problem([[1, 0], [0, 1]], [1, 1])
        #expect(SolverRegistry.builtIn.defaultID(for: .linearSystem(small)) == "native.qr")
        // 5000 × 500: 2.5·10⁶ entries, but 1.25·10⁹ multiply-adds to factor.
        let triplets = (0..<5000).map { i in (row: i, column: i % 500, value: 1.0) }
        let a = try SparseMatrix(rowCount: 5000, columnCount: 500, triplets: triplets)
        let large = try LinearSystemProblem(name: "large", matrix: .sparse(a), rightHandSide: Array(repeating: 1, count: 5000))
        #expect(!DirectLeastSquaresSolver.isAffordable(large))
        #expect(SolverRegistry.builtIn.defaultID(for: .linearSystem(large)) == "native.cgls")
    }

    @Test("iterative methods say which stopping test fired")
    func convergedBy() throws {
        let least = try Self.problem([[1, 0], [1, 1], [1, 2], [1, 3]], [1, 2, 2, 4])
        let cgls = try SolverRegistry.builtIn.solve(.linearSystem(least), solverID: "native.cgls")
        #expect(cgls.status == .optimal && cgls.convergedBy?.rawValue == "normal_residual_norm")
        let square = try Self.problem([[4, -2, 1], [-2, 4, -2], [1, -2, 4]], [11, -16, 17])
        let kaczmarz = try SolverRegistry.builtIn.solve(.linearSystem(square), solverID: "native.kaczmarz")
        #expect(kaczmarz.status == .optimal && kaczmarz.convergedBy?.rawValue == "residual_norm")
    }

    @Test("a cancelled solve stops before factoring and says x = 0")
    func cancelled() throws {
        let p = try Self.problem([[1, 0], [0, 1]], [1, 1])
        let result = try SolverRegistry.builtIn.solve(.linearSystem(p), solverID: "native.qr",
                                                       options: SolveOptions(timeLimit: 1e-9))
        #expect(result.status == .timeLimit)
        #expect(result.primal == [0, 0])
    }
}
