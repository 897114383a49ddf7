import BuiltInSolvers
import Lagrange
import LagrangeCore
import LinearAlgebra
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The stepwise GSL factorizations of `gsl.qr`, `gsl.svd` and `gsl.kkt` against
/// independent references (normal equations solved here by Gaussian elimination, the
/// null-space characterization of the minimum-norm solution, closed forms, `native.kkt`),
/// and their stops: a limited or cancelled solve returns its stop status with x = 0.
@Suite struct GSLDirectSolverTests {
    static let registry = SolverRegistry.builtIn

    static func solve(_ problem: Problem, _ solver: String, options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try registry.solve(problem, name: "test", solverID: solver, options: options)
    }

    static func system(_ rows: [[Double]], _ b: [Double], ridge: Double = 0) throws -> Problem {
        .linearSystem(try LinearSystemProblem(matrix: .dense(try DenseMatrix(rowArrays: rows)), rightHandSide: b, ridge: ridge))
    }

    /// A random m×n matrix with column scales 10^(−scaleDecades … 0).
    static func randomRows(_ m: Int, _ n: Int, seed: UInt64, scaleDecades: Double = 0) -> [[Double]] {
        var random = SeededGenerator(seed: seed)
        let scales = (0..<n).map { j in exp(-scaleDecades * Double(j) / Double(max(n - 1, 1)) * log(10.0)) }
        return (0..<m).map { _ in (0..<n).map { scales[$0] * random.nextGaussian() } }
    }

    /// Solves the square system M z = r by Gaussian elimination with partial pivoting.
    static func gaussianElimination(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
        var a = matrix, r = rhs
        let n = r.count
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) } ?? k
            a.swapAt(k, p)
            r.swapAt(k, p)
            for i in (k + 1)..<n {
                let factor = a[i][k] / a[k][k]
                for j in k..<n { a[i][j] -= factor * a[k][j] }
                r[i] -= factor * r[k]
            }
        }
        var z = Array(repeating: 0.0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var t = r[i]
            for j in (i + 1)..<n { t -= a[i][j] * z[j] }
            z[i] = t / a[i][i]
        }
        return z
    }

    /// (AᵀA + λI) x = Aᵀb, formed and solved here.
    static func normalEquations(_ rows: [[Double]], _ b: [Double], ridge: Double = 0) -> [Double] {
        let n = rows[0].count
        var gram = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        var atb = Array(repeating: 0.0, count: n)
        for (i, row) in rows.enumerated() {
            for j in 0..<n {
                atb[j] += row[j] * b[i]
                for k in 0..<n { gram[j][k] += row[j] * row[k] }
            }
        }
        for j in 0..<n { gram[j][j] += ridge }
        return gaussianElimination(gram, atb)
    }

    static func relativeDistance(_ x: [Double], _ y: [Double]) -> Double {
        let d = zip(x, y).map { $0 - $1 }
        return Vector.norm2(d) / max(Vector.norm2(y), 1e-300)
    }

    @Test("full-rank least squares equals the normal-equations solution", arguments: [(40, 7), (9, 9), (300, 120)])
    func fullRank(m: Int, n: Int) throws {
        let rows = Self.randomRows(m, n, seed: UInt64(m * 1000 + n), scaleDecades: 2)
        var random = SeededGenerator(seed: 5)
        let b = (0..<m).map { _ in random.nextGaussian() }
        let reference = Self.normalEquations(rows, b)
        for solver in ["gsl.qr", "gsl.svd"] {
            let result = try Self.solve(try Self.system(rows, b), solver)
            #expect(result.status == .optimal)
            #expect(Self.relativeDistance(result.primal, reference) <= 1e-9, "\(solver) \(m)×\(n)")
            #expect(result.details(as: LinearSystemDetails.self)?.rank == n)
        }
    }

    @Test("ridge, tall and wide, equals (AᵀA + λI)⁻¹Aᵀb")
    func ridge() throws {
        for (m, n) in [(30, 8), (6, 15)] {
            let rows = Self.randomRows(m, n, seed: UInt64(7 * m + n))
            let b = (0..<m).map { Double($0 % 5) - 2 }
            let reference = Self.normalEquations(rows, b, ridge: 0.7)
            for solver in ["gsl.qr", "gsl.svd"] {
                let result = try Self.solve(try Self.system(rows, b, ridge: 0.7), solver)
                #expect(Self.relativeDistance(result.primal, reference) <= 1e-11, "\(solver) \(m)×\(n)")
            }
        }
    }

    /// Column 3 = column 0 + column 1 (rank 3 of 4): the minimum-norm least-squares
    /// solution is the one that satisfies the normal equations and is orthogonal to the
    /// null vector z = (1, 1, 0, −1); gsl.qr's basic solution satisfies the normal
    /// equations with one zero component.
    @Test("rank-deficient tall system: minimum-norm (svd) and basic (qr) solutions")
    func rankDeficientTall() throws {
        var rows = Self.randomRows(12, 4, seed: 21)
        for i in 0..<rows.count { rows[i][3] = rows[i][0] + rows[i][1] }
        let b = (0..<12).map { Double(($0 * 7) % 11) - 5 }
        let a = try DenseMatrix(rowArrays: rows)
        func normalResidual(_ x: [Double]) -> Double {
            let r = zip(a.multiply(x), b).map { $0 - $1 }
            return Vector.norm2(a.transposeMultiply(r))
        }
        let svd = try Self.solve(try Self.system(rows, b), "gsl.svd")
        #expect(svd.details(as: LinearSystemDetails.self)?.rank == 3)
        #expect(normalResidual(svd.primal) <= 1e-11 * Vector.norm2(b))
        #expect(abs(svd.primal[0] + svd.primal[1] - svd.primal[3]) <= 1e-12 * Vector.norm2(svd.primal))
        let qr = try Self.solve(try Self.system(rows, b), "gsl.qr")
        #expect(qr.details(as: LinearSystemDetails.self)?.rank == 3)
        #expect(normalResidual(qr.primal) <= 1e-11 * Vector.norm2(b))
        #expect(qr.primal.filter { $0 == 0 }.count == 1)
        // Both minimize the residual; the minimum-norm one is not longer than the basic one.
        #expect(Vector.norm2(svd.primal) <= Vector.norm2(qr.primal) * (1 + 1e-12))
    }

    /// A = [a; 2a] with a = (1, 2, 3): rank 1, consistent for b = (1, 2). Minimum-norm
    /// solution a/‖a‖² = (1, 2, 3)/14.
    @Test("rank-deficient wide system: minimum-norm closed form")
    func rankDeficientWide() throws {
        let problem = try Self.system([[1, 2, 3], [2, 4, 6]], [1, 2])
        let svd = try Self.solve(problem, "gsl.svd")
        #expect(Self.relativeDistance(svd.primal, [1.0 / 14, 2.0 / 14, 3.0 / 14]) <= 1e-14)
        #expect(svd.details(as: LinearSystemDetails.self)?.rank == 1)
        let qr = try Self.solve(problem, "gsl.qr")
        #expect(qr.details(as: LinearSystemDetails.self)?.rank == 1)
        #expect(abs(qr.primal[0] + 2 * qr.primal[1] + 3 * qr.primal[2] - 1) <= 1e-14)
    }

    @Test("a zero matrix has rank 0 and solution 0")
    func zeroMatrix() throws {
        for solver in ["gsl.qr", "gsl.svd"] {
            let result = try Self.solve(try Self.system([[0, 0], [0, 0], [0, 0]], [1, 2, 3]), solver)
            #expect(result.primal == [0, 0])
            #expect(result.details(as: LinearSystemDetails.self)?.rank == 0)
        }
    }

    // MARK: gsl.kkt

    static func equalityQP(hessian: [(Int, Int, Double)], n: Int, constraints: [[Double]], b: [Double], cost: [Double]) throws -> Problem {
        let s = try SparseMatrix(rowCount: n, columnCount: n, triplets: hessian.map { (row: $0.0, column: $0.1, value: $0.2) })
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (i, row) in constraints.enumerated() { for (j, v) in row.enumerated() where v != 0 { triplets.append((i, j, v)) } }
        let a = try SparseMatrix(rowCount: constraints.count, columnCount: n, triplets: triplets)
        let lp = try LinearProgram(name: "eqp", objective: cost, constraints: a, rowLower: b, rowUpper: b,
                                   columnLower: Array(repeating: -.infinity, count: n),
                                   columnUpper: Array(repeating: .infinity, count: n))
        return .quadratic(try QuadraticProgram(linear: lp, quadratic: s))
    }

    /// Nearest point to p on the hyperplane aᵀx = β (min ½‖x‖² − pᵀx):
    /// x = p − a(aᵀp − β)/‖a‖².
    @Test("kkt: nearest point on a hyperplane (closed form)")
    func kktNearestPoint() throws {
        let p = [1.0, -2, 0.5, 3], a = [2.0, 1, -1, 0.5], beta = 4.0
        let problem = try Self.equalityQP(hessian: (0..<4).map { ($0, $0, 1.0) }, n: 4, constraints: [a], b: [beta], cost: p.map { -$0 })
        let result = try Self.solve(problem, "gsl.kkt")
        let shift = (zip(a, p).map { $0 * $1 }.reduce(0, +) - beta) / a.map { $0 * $0 }.reduce(0, +)
        let expected = zip(p, a).map { $0 - shift * $1 }
        #expect(result.status == .optimal)
        #expect(Self.relativeDistance(result.primal, expected) <= 1e-14)
    }

    /// S indefinite but positive definite on the null space of the constraints: inertia
    /// (n, m, 0) holds, and the answer agrees with native.kkt; n + m = 520 exercises the
    /// row panels of the tridiagonalization and the recursive LU.
    @Test("kkt: larger indefinite-S problem agrees with native.kkt")
    func kktAgreesWithNative() throws {
        let n = 400, m = 120
        var random = SeededGenerator(seed: 31)
        var hessian: [(Int, Int, Double)] = (0..<n).map { ($0, $0, $0 < m / 2 ? -0.5 : 4 + random.nextUnit()) }
        for _ in 0..<(3 * n) {
            let i = random.nextIndex(below: n), j = random.nextIndex(below: n)
            guard i != j else { continue }
            let v = 0.1 * random.nextGaussian()
            hessian.append((i, j, v))
            hessian.append((j, i, v))
        }
        // The first m/2 variables (negative curvature) are pinned by their own constraints.
        let constraints: [[Double]] = (0..<m).map { i in
            (0..<n).map { j in j == i && i < m / 2 ? 1 : (i >= m / 2 && random.nextUnit() < 0.05 ? random.nextGaussian() : 0) }
        }
        let b = (0..<m).map { _ in random.nextGaussian() }
        let cost = (0..<n).map { _ in random.nextGaussian() }
        let problem = try Self.equalityQP(hessian: hessian, n: n, constraints: constraints, b: b, cost: cost)
        let gsl = try Self.solve(problem, "gsl.kkt")
        let native = try Self.solve(problem, "native.kkt")
        #expect(gsl.status == .optimal)
        #expect(Self.relativeDistance(gsl.primal, native.primal) <= 1e-9)
        #expect(Self.relativeDistance(gsl.duals ?? [], native.duals ?? []) <= 1e-8)
        let details = try #require(gsl.details(as: KKTDetails.self))
        #expect(details.positivePivots == n && details.negativePivots == m)
    }

    @Test("kkt: wrong inertia is refused; a singular KKT matrix from a repeated constraint is solved")
    func kktWrongInertiaAndSingular() throws {
        // S = −I on R²: not positive definite on the null space of x₁ + x₂ = 1.
        let concave = try Self.equalityQP(hessian: [(0, 0, -1), (1, 1, -1)], n: 2, constraints: [[1, 1]], b: [1], cost: [0, 0])
        #expect(throws: SolverError.self) { try Self.solve(concave, "gsl.kkt") }
        // The same constraint twice: the KKT matrix is singular, the QP is not (x = (½, ½)).
        let dependent = try Self.equalityQP(hessian: [(0, 0, 1), (1, 1, 1)], n: 2, constraints: [[1, 1], [2, 2]], b: [1, 2], cost: [0, 0])
        let result = try Self.solve(dependent, "gsl.kkt")
        #expect(result.status == .optimal && Self.relativeDistance(result.primal, [0.5, 0.5]) <= 1e-12)
        #expect(result.details(as: KKTDetails.self)?.zeroPivots == 1)
    }

    // MARK: stops

    /// A time limit met during the factorization returns `time_limit`, x = 0 and one
    /// history record (LimitTests checks the wall time; this checks the point and note).
    @Test("a limited solve returns time_limit with the start point", arguments: ["gsl.qr", "gsl.svd", "gsl.kkt"])
    func timeLimitReturnsStartPoint(solver: String) throws {
        let problem = solver == "gsl.kkt" ? LongInstances.equalityQP : LongInstances.linearSystem
        let result = try Self.solve(problem, solver, options: SolveOptions(timeLimit: 0.02))
        #expect(result.status == .timeLimit)
        #expect(result.primal.allSatisfy { $0 == 0 })
        #expect(result.history.records.count == 1)
        #expect(result.notes.contains { $0.contains("no iterate") })
    }

    @Test("cancelling the task interrupts a GSL factorization", arguments: ["gsl.qr", "gsl.svd", "gsl.kkt"])
    func cancellation(solver: String) async throws {
        let problem = solver == "gsl.kkt" ? LongInstances.equalityQP : LongInstances.linearSystem
        let task = Task { try await Self.registry.solve(problem, name: "long", solverID: solver, options: SolveOptions()) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.status == .interrupted)
        #expect(result.primal.allSatisfy { $0 == 0 })
        #expect(!result.history.records.isEmpty)
    }
}
