import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import LinearAlgebra
import Testing

// MARK: Helpers

private let registry = SolverRegistry.builtIn

private func load(_ name: String) throws -> ProblemDefinition {
    try ProblemFileReader.load(Fixtures.path("qp/\(name).qps"))
}

private func solve(_ problem: Problem, _ solver: String, parameters: [String: OptionValue] = [:], tolerance: Double? = nil) throws -> SolveResult {
    try registry.solve(problem, solverID: solver, options: SolveOptions(tolerance: tolerance, parameters: parameters))
}

/// min ½xᵀQx + cᵀx s.t. rows (equalities `rowLower == rowUpper` etc.), built from dense data.
private func makeQP(q: [[Double]], c: [Double], a: [[Double]], lower rowLower: [Double], upper rowUpper: [Double],
                    columnLower: [Double]? = nil, columnUpper: [Double]? = nil, sense: ObjectiveSense = .minimize) throws -> QuadraticProgram {
    let n = c.count
    let constraints = a.isEmpty ? SparseMatrix.zeros(rows: 0, columns: n) : try DenseMatrix(rowArrays: a).sparse()
    let lp = try LinearProgram(sense: sense, objective: c, constraints: constraints, rowLower: rowLower, rowUpper: rowUpper,
                               columnLower: columnLower ?? Array(repeating: -.infinity, count: n),
                               columnUpper: columnUpper ?? Array(repeating: .infinity, count: n))
    return try QuadraticProgram(linear: lp, quadratic: try DenseMatrix(rowArrays: q).sparse())
}

/// A seeded random SPD S = BBᵀ + nI and a full-rank m × n C (dense Gaussian).
private func randomSeedProblem(n: Int, m: Int, seed: UInt64) -> (s: [[Double]], c: [[Double]], b: [Double]) {
    var g = SeededGenerator(seed: seed)
    let b0 = (0..<n).map { _ in (0..<n).map { _ in g.nextGaussian() } }
    var s = Array(repeating: Array(repeating: 0.0, count: n), count: n)
    for i in 0..<n { for j in 0..<n { for k in 0..<n { s[i][j] += b0[i][k] * b0[j][k] } } }
    for i in 0..<n { s[i][i] += Double(n) }
    let c = (0..<m).map { _ in (0..<n).map { _ in g.nextGaussian() } }
    let b = (0..<m).map { _ in g.nextGaussian() }
    return (s, c, b)
}

/// Gaussian elimination with partial pivoting (test reference only).
private func denseSolve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    let n = b.count
    var m = a, x = b
    for k in 0..<n {
        let p = (k..<n).max { abs(m[$0][k]) < abs(m[$1][k]) }!
        m.swapAt(k, p); x.swapAt(k, p)
        for i in (k + 1)..<n {
            let f = m[i][k] / m[k][k]
            for j in k..<n { m[i][j] -= f * m[k][j] }
            x[i] -= f * x[k]
        }
    }
    for k in stride(from: n - 1, through: 0, by: -1) {
        var s = x[k]
        for j in (k + 1)..<n { s -= m[k][j] * x[j] }
        x[k] = s / m[k][k]
    }
    return x
}

// MARK: Maros–Mészáros reference set

struct MarosMeszarosTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("qp/reference.tsv"))) ?? []
    static let names: [String] = rows.compactMap { $0["name"] }

    @Test func referenceTableIsComplete() {
        #expect(Self.names.count == 14)
    }

    @Test(arguments: names)
    func interiorPointMatchesPublishedOptimum(name: String) throws {
        let row = try #require(Self.rows.first { $0["name"] == name })
        let published = try #require(Double(row["published_optimal"] ?? ""))
        let definition = try load(name)
        let result = try registry.solve(definition, solverID: "native.ipm")
        #expect(result.status == .optimal, "\(name): \(result.rawStatus)")
        let objective = try #require(result.objective)
        let tolerance = 1e-6 * max(1, abs(published))
        #expect(abs(objective - published) <= tolerance, "\(name): objective \(objective), published \(published)")
        // Primal and dual residuals are reported and small.
        let kkt = try #require(result.kkt)
        #expect(kkt.primalInfeasibility <= 1e-6 * max(1, abs(published)), "\(name): primal \(kkt.primalInfeasibility)")
        let last = try #require(result.history.records.last)
        let primal = try #require(last.primalResidual), dual = try #require(last.dualResidual)
        #expect(primal <= 1e-8 && dual <= 1e-8, "\(name): history residuals \(primal), \(dual)")
        #expect(result.duals?.count == Int(row["m"] ?? ""))
    }

    /// The equality-constrained, bound-free problems of the set: native.kkt, gsl.kkt and
    /// native.ipm agree to 1e-8.
    @Test(arguments: ["HS51", "GENHS28", "AUG3D"])
    func kktAgreesWithInteriorPoint(name: String) throws {
        let definition = try load(name)
        let ipm = try registry.solve(definition, solverID: "native.ipm", options: SolveOptions(tolerance: 1e-10))
        let kkt = try registry.solve(definition, solverID: "native.kkt")
        #expect(kkt.status == .optimal)
        let a = try #require(ipm.objective), b = try #require(kkt.objective)
        #expect(abs(a - b) <= 1e-8 * max(1, abs(a)), "\(name): ipm \(a) kkt \(b)")
        for (u, v) in zip(ipm.primal, kkt.primal) { #expect(abs(u - v) <= 1e-6 * max(1, abs(v))) }
        for (u, v) in zip(ipm.duals ?? [], kkt.duals ?? []) { #expect(abs(u - v) <= 1e-6 * max(1, abs(v))) }
        let details = try #require(kkt.details(as: KKTDetails.self))
        let n = kkt.primal.count, m = kkt.duals?.count ?? 0
        #expect(details.positivePivots == n && details.negativePivots == m && details.zeroPivots == 0)
        if n + m <= 100 {
            let gsl = try registry.solve(definition, solverID: "gsl.kkt")
            #expect(abs((gsl.objective ?? .nan) - b) <= 1e-8 * max(1, abs(b)))
            #expect(gsl.details(as: KKTDetails.self)?.positivePivots == n)
        }
    }
}

// MARK: Seed closed forms

struct SeedClosedFormTests {
    /// min x₁² + x₂² on a₁x₁ + a₂x₂ = b.
    @Test(arguments: [(3.0, 4.0, 5.0), (1.0, -2.0, 0.7), (0.5, 0.25, -3.0)])
    func nearestPointOnALine(a1: Double, a2: Double, b: Double) throws {
        let qp = try makeQP(q: [[2, 0], [0, 2]], c: [0, 0], a: [[a1, a2]], lower: [b], upper: [b])
        let norm = a1 * a1 + a2 * a2
        for solver in ["native.kkt", "native.ipm", "gsl.kkt"] {
            let r = try solve(.quadratic(qp), solver)
            #expect(r.status == .optimal)
            // The direct KKT solvers are exact to rounding; native.ipm to its 1e-8 tolerance.
            let accuracy = solver == "native.ipm" ? 1e-8 : 1e-9
            #expect(isClose(r.primal[0], a1 * b / norm, absolute: accuracy), "\(solver)")
            #expect(isClose(r.primal[1], a2 * b / norm, absolute: accuracy), "\(solver)")
            #expect(isClose(r.objective ?? .nan, b * b / norm, absolute: accuracy), "\(solver)")
            #expect(isClose(r.duals?[0] ?? .nan, 2 * b / norm, absolute: 1e-8), "\(solver): d(cost)/db")
            let kkt = try #require(r.kkt)
            #expect(kkt.primalInfeasibility <= 1e-9 && kkt.dualInfeasibility <= 1e-8 && kkt.complementarity <= 1e-8, "\(solver): \(kkt)")
        }
    }

    /// ½xᵀSx s.t. Aᵀx = b: λ* = −(AᵀS⁻¹A)⁻¹b, x* = S⁻¹A(AᵀS⁻¹A)⁻¹b, F* = ½bᵀ(AᵀS⁻¹A)⁻¹b.
    @Test(arguments: [(3, 1), (6, 2), (12, 5), (30, 12)])
    func randomSPD(n: Int, m: Int) throws {
        let (s, c, b) = randomSeedProblem(n: n, m: m, seed: UInt64(100 * n + m))
        // Reference: W = S⁻¹A (columns S⁻¹cᵢ), M = AᵀW, ν = M⁻¹b.
        let w = c.map { denseSolve(s, $0) }  // w[i] = S⁻¹cᵢ
        let mMatrix = (0..<m).map { i in (0..<m).map { k in zip(c[i], w[k]).reduce(0) { $0 + $1.0 * $1.1 } } }
        let nu = denseSolve(mMatrix, b)
        let lambda = nu.map { -$0 }
        let x = (0..<n).map { j in (0..<m).reduce(0.0) { $0 + w[$1][j] * nu[$1] } }
        let cost = 0.5 * zip(b, nu).reduce(0) { $0 + $1.0 * $1.1 }
        let qp = try makeQP(q: s, c: Array(repeating: 0, count: n), a: c, lower: b, upper: b)
        for (solver, method) in [("native.kkt", "ldlt"), ("native.kkt", "schur"), ("gsl.kkt", ""), ("native.ipm", "")] {
            let parameters: [String: OptionValue] = method.isEmpty ? [:] : ["method": .string(method)]
            let r = try solve(.quadratic(qp), solver, parameters: parameters, tolerance: solver == "native.ipm" ? 1e-10 : nil)
            #expect(r.status == .optimal)
            let scale = 1 + Vector.normInf(x)
            for j in 0..<n { #expect(abs(r.primal[j] - x[j]) <= 1e-8 * scale, "\(solver) \(method) x[\(j)]") }
            // Reported duals are shadow prices, −λ.
            let duals = try #require(r.duals)
            for i in 0..<m { #expect(abs(duals[i] + lambda[i]) <= 1e-7 * (1 + abs(lambda[i])), "\(solver) \(method) λ[\(i)]") }
            #expect(abs((r.objective ?? .nan) - cost) <= 1e-9 * (1 + abs(cost)), "\(solver) \(method) F*")
            if solver != "native.ipm" {
                let details = try #require(r.details(as: KKTDetails.self))
                #expect(details.positivePivots == n && details.negativePivots == m, "saddle-point signature")
            }
        }
    }

    /// Duals as sensitivities: (F*(b + h eᵢ) − F*(b − h eᵢ))/2h ≈ yᵢ, with inequality rows
    /// and bounds active (native.ipm) and on an equality problem (native.kkt).
    @Test func dualsAreFiniteDifferenceSensitivities() throws {
        // min ½‖x − p‖² s.t. x₁ + x₂ + x₃ ≤ 1 (active), x₁ − x₂ = 0.2, 0 ≤ x ≤ 0.5 (one bound active).
        let p = [0.9, 0.6, 0.4]
        func build(_ b: [Double]) throws -> QuadraticProgram {
            try makeQP(q: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], c: p.map { -$0 }, a: [[1, 1, 1], [1, -1, 0]],
                       lower: [-.infinity, b[1]], upper: [b[0], b[1]], columnLower: [0, 0, 0], columnUpper: [0.5, 0.5, 0.5])
        }
        let base = [1.0, 0.2]
        let result = try solve(.quadratic(try build(base)), "native.ipm", tolerance: 1e-11)
        #expect(result.status == .optimal)
        let duals = try #require(result.duals)
        let h = 1e-5
        for i in 0..<2 {
            var up = base, down = base
            up[i] += h; down[i] -= h
            let fUp = try #require(try solve(.quadratic(try build(up)), "native.ipm", tolerance: 1e-11).objective)
            let fDown = try #require(try solve(.quadratic(try build(down)), "native.ipm", tolerance: 1e-11).objective)
            #expect(abs((fUp - fDown) / (2 * h) - duals[i]) <= 1e-5, "row \(i): fd \((fUp - fDown) / (2 * h)) dual \(duals[i])")
        }
        // A maximization keeps ∂F*/∂b: max −(x² + y²) on x + 2y = b has dual −2b/5.
        let maxQP = try makeQP(q: [[-2, 0], [0, -2]], c: [0, 0], a: [[1, 2]], lower: [1.5], upper: [1.5], sense: .maximize)
        for solver in ["native.kkt", "native.ipm"] {
            let r = try solve(.quadratic(maxQP), solver)
            #expect(isClose(r.duals?[0] ?? .nan, -2 * 1.5 / 5, absolute: 1e-8), "\(solver)")
            #expect(isClose(r.objective ?? .nan, -1.5 * 1.5 / 5, absolute: 1e-9), "\(solver)")
        }
    }
}

// MARK: Statuses and diagnoses

struct QPDiagnosisTests {
    @Test func infeasibleQPIsInfeasible() throws {
        // x + y ≥ 3 with 0 ≤ x, y ≤ 1.
        let qp = try makeQP(q: [[2, 1], [1, 2]], c: [1, 0], a: [[1, 1]], lower: [3], upper: [.infinity],
                            columnLower: [0, 0], columnUpper: [1, 1])
        #expect(try solve(.quadratic(qp), "native.ipm").status == .infeasible)
        // Without presolve catching it: two coupled rows.
        let qp2 = try makeQP(q: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], c: [0, 0, 0], a: [[1, 1, 0], [0, 1, 1], [1, 0, -1]],
                             lower: [2, 2, -.infinity], upper: [.infinity, .infinity, -1], columnLower: [0, 0, 0],
                             columnUpper: [1, 1, 1])
        #expect(try solve(.quadratic(qp2), "native.ipm").status == .infeasible)
    }

    @Test func unboundedConvexQPIsUnbounded() throws {
        // min x² − y, y ≥ 0 free above: unbounded along (0, 1) with Q(0, 1) = 0.
        let qp = try makeQP(q: [[2, 0], [0, 0]], c: [0, -1], a: [[1, 0]], lower: [-1], upper: [1],
                            columnLower: [-.infinity, 0], columnUpper: [.infinity, .infinity])
        #expect(try solve(.quadratic(qp), "native.ipm").status == .unbounded)
    }

    @Test func nonConvexQIsRejected() throws {
        // x² − y²: indefinite.
        let qp = try makeQP(q: [[2, 0], [0, -2]], c: [0, 0], a: [[1, 1]], lower: [-.infinity], upper: [1],
                            columnLower: [0, 0], columnUpper: [2, 2])
        do {
            _ = try solve(.quadratic(qp), "native.ipm")
            Issue.record("expected a non-convexity error")
        } catch let error as SolverError {
            #expect(error.description.contains("not positive semidefinite"))
            #expect(error.description.contains("'x2'"))
        }
        // A maximization needs Q negative semidefinite.
        let maxQP = try makeQP(q: [[2, 0], [0, 2]], c: [0, 0], a: [[1, 1]], lower: [1], upper: [1], sense: .maximize)
        #expect(throws: SolverError.self) { try solve(.quadratic(maxQP), "native.ipm") }
    }

    /// The KKT solvers with every method they have.
    static let kktRuns: [(solver: String, parameters: [String: OptionValue])] = [
        ("native.kkt", ["method": .string("ldlt")]), ("native.kkt", ["method": .string("auto")]),
        ("native.kkt", ["method": .string("schur")]), ("gsl.kkt", [:]),
    ]

    @Test func kktSolvesRedundantConsistentConstraints() throws {
        // Row 3 = row 1 + row 2, and b₃ = b₁ + b₂: K is singular, the QP has one minimizer.
        // min ‖x‖² on x₁ + x₂ = 1, x₂ + x₃ = 1: x = (1/3, 2/3, 1/3).
        let qp = try makeQP(q: [[2, 0, 0], [0, 2, 0], [0, 0, 2]], c: [0, 0, 0], a: [[1, 1, 0], [0, 1, 1], [1, 2, 1]],
                            lower: [1, 1, 2], upper: [1, 1, 2])
        // More equalities than variables, all consistent: x₁ = 1, x₂ = 2 stated three ways.
        let tall = try makeQP(q: [[1, 0], [0, 1]], c: [1, 1], a: [[1, 0], [0, 1], [1, 1]], lower: [1, 2, 3], upper: [1, 2, 3])
        for (solver, parameters) in Self.kktRuns {
            let r = try solve(.quadratic(qp), solver, parameters: parameters)
            #expect(r.status == .optimal && r.certificateCheck?.passed == true, "\(solver) \(parameters): \(r.status) \(r.notes)")
            for (u, v) in zip(r.primal, [1.0 / 3, 2.0 / 3, 1.0 / 3]) { #expect(isClose(u, v, absolute: 1e-9), "\(solver)") }
            #expect(isClose(r.objective ?? .nan, 2.0 / 3, absolute: 1e-9))
            let t = try solve(.quadratic(tall), solver, parameters: parameters)
            #expect(t.status == .optimal && t.certificateCheck?.passed == true, "\(solver) \(parameters): \(t.status) \(t.notes)")
            #expect(isClose(t.primal[0], 1, absolute: 1e-9) && isClose(t.primal[1], 2, absolute: 1e-9), "\(solver)")
        }
    }

    @Test func kktReportsInconsistentConstraintsAsInfeasibleWithAFarkasVector() throws {
        // x₁ + x₂ = 1 and 2x₁ + 2x₂ = 3 cannot both hold: y = (−2, 1) has Cᵀy = 0, bᵀy = 1.
        let qp = try makeQP(q: [[2, 0], [0, 2]], c: [1, 0], a: [[1, 1], [2, 2]], lower: [1, 3], upper: [1, 3])
        // Three rows on two variables, inconsistent; and a maximization with the same rows.
        let tall = try makeQP(q: [[1, 0], [0, 1]], c: [0, 0], a: [[1, 0], [0, 1], [1, 1]], lower: [1, 2, 4], upper: [1, 2, 4])
        let maximize = try makeQP(q: [[-2, 0], [0, -2]], c: [1, 0], a: [[1, 1], [2, 2]], lower: [1, 3], upper: [1, 3],
                                  sense: .maximize)
        for problem in [qp, tall, maximize] {
            for (solver, parameters) in Self.kktRuns {
                let r = try solve(.quadratic(problem), solver, parameters: parameters)
                #expect(r.status == .infeasible, "\(solver) \(parameters): \(r.status) \(r.notes)")
                #expect(r.certificate?.kind == .farkas && r.certificateCheck?.passed == true, "\(solver): \(String(describing: r.certificateCheck))")
            }
        }
    }

    @Test func kktReportsUnboundedWithARayAndAFeasiblePoint() throws {
        // S = diag(1, 0), x₁ = 1, cost −x₂: unbounded along d = (0, 1), Sd = 0, Cd = 0.
        let qp = try makeQP(q: [[1, 0], [0, 0]], c: [0, -1], a: [[1, 0]], lower: [1], upper: [1])
        // An LP through the KKT solvers: min x₁ + x₂ s.t. x₁ − x₂ = 0, ray (−1, −1).
        let lp = try makeQP(q: [[0, 0], [0, 0]], c: [1, 1], a: [[1, -1]], lower: [0], upper: [0])
        // A maximization: max −x₁² + x₂ s.t. x₁ = 1 has the ray (0, +1).
        let maximize = try makeQP(q: [[-2, 0], [0, 0]], c: [0, 1], a: [[1, 0]], lower: [1], upper: [1], sense: .maximize)
        // Redundant rows as well: x₁ = 1 twice.
        let redundant = try makeQP(q: [[1, 0], [0, 0]], c: [0, -1], a: [[1, 0], [2, 0]], lower: [1, 2], upper: [1, 2])
        for (problem, direction) in [(qp, [0.0, 1]), (lp, [-1, -1]), (maximize, [0, 1]), (redundant, [0, 1])] {
            for (solver, parameters) in Self.kktRuns {
                let r = try solve(.quadratic(problem), solver, parameters: parameters)
                #expect(r.status == .unbounded, "\(solver) \(parameters): \(r.status) \(r.notes)")
                let ray = try #require(r.certificate?.vector)
                #expect(r.certificate?.kind == .primalRay && r.certificateCheck?.passed == true, "\(solver): \(String(describing: r.certificateCheck))")
                for (u, v) in zip(ray, direction) { #expect(isClose(u / (Vector.normInf(ray)), v, absolute: 1e-9), "\(solver) ray \(ray)") }
            }
        }
    }

    /// Seeded singular problems whose answer is known by construction: in coordinates
    /// x′ = Hx (H a Householder reflection, so x = Hx′), S′ = BBᵀ has rank n/2 and C′ has
    /// n/2 − 2 independent rows plus 2 combinations of them, both zero on the last two
    /// coordinates (the directions d = He_k with Sd = 0, Cd = 0). b = C′x₀ is consistent
    /// (perturbed: infeasible); a cost with weight on e_k is unbounded, one without is
    /// bounded (optimal).
    @Test(arguments: [(12, UInt64(1)), (12, 2), (30, 3), (60, 4)])
    func kktClassifiesSeededSingularProblems(n: Int, seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let r = n / 2, independent = n / 2 - 2, free = n - 2
        let b0 = (0..<n).map { i in (0..<r).map { _ in i < free ? g.nextGaussian() : 0 } }
        var sPrime = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n { for j in 0..<n { for k in 0..<r { sPrime[i][j] += b0[i][k] * b0[j][k] } } }
        var cPrime = (0..<independent).map { _ in (0..<n).map { j in j < free ? g.nextGaussian() : 0 } }
        for _ in 0..<2 {
            let w = (0..<independent).map { _ in g.nextGaussian() }
            cPrime.append((0..<n).map { j in (0..<independent).reduce(0.0) { $0 + w[$1] * cPrime[$1][j] } })
        }
        let v = (0..<n).map { _ in g.nextGaussian() }
        let vv = v.reduce(0) { $0 + $1 * $1 }
        let h = (0..<n).map { i in (0..<n).map { j in (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
        func times(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
            a.map { row in (0..<b[0].count).map { j in (0..<row.count).reduce(0.0) { $0 + row[$1] * b[$1][j] } } }
        }
        let s = times(times(h, sPrime), h), c = times(cPrime, h)
        let x0 = (0..<n).map { _ in g.nextGaussian() }
        let b = cPrime.map { row in zip(row, x0).reduce(0.0) { $0 + $1.0 * $1.1 } }
        var inconsistent = b
        inconsistent[cPrime.count - 1] += 1
        let boundedCost = (0..<n).map { j in j < free ? g.nextGaussian() : 0 }
        var unboundedCost = boundedCost
        unboundedCost[n - 1] = 1
        func cost(_ cp: [Double]) -> [Double] { (0..<n).map { i in (0..<n).reduce(0.0) { $0 + h[i][$1] * cp[$1] } } }
        let cases: [(String, [Double], [Double], TerminationStatus)] = [
            ("bounded", cost(boundedCost), b, .optimal), ("unbounded", cost(unboundedCost), b, .unbounded),
            ("inconsistent", cost(boundedCost), inconsistent, .infeasible), ("both", cost(unboundedCost), inconsistent, .infeasible),
        ]
        for (name, c0, rhs, expected) in cases {
            let qp = try makeQP(q: s, c: c0, a: c, lower: rhs, upper: rhs)
            for (solver, parameters) in Self.kktRuns {
                let result = try solve(.quadratic(qp), solver, parameters: parameters)
                #expect(result.status == expected && result.certificateCheck?.passed == true,
                        "n \(n) \(name) \(solver) \(parameters): \(result.status) \(result.notes)")
            }
        }
    }

    @Test func kktSolvesASemidefiniteNullSpaceWithABoundedObjective() throws {
        // S = diag(1, 0), x₁ = 1, no cost on x₂: every (1, t) is optimal (objective ½).
        let qp = try makeQP(q: [[1, 0], [0, 0]], c: [0, 0], a: [[1, 0]], lower: [1], upper: [1])
        for (solver, parameters) in Self.kktRuns {
            let r = try solve(.quadratic(qp), solver, parameters: parameters)
            #expect(r.status == .optimal && r.certificateCheck?.passed == true, "\(solver) \(parameters): \(r.status) \(r.notes)")
            #expect(isClose(r.objective ?? .nan, 0.5, absolute: 1e-9) && isClose(r.primal[0], 1, absolute: 1e-9))
        }
    }

    @Test func kktDiagnosesNegativeCurvatureOnNullSpace() throws {
        // S = diag(1, −1), constraint x₁ = 1: the null space (0, 1) has curvature −1.
        let qp = try makeQP(q: [[1, 0], [0, -1]], c: [0, 0], a: [[1, 0]], lower: [1], upper: [1])
        for solver in ["native.kkt", "gsl.kkt"] {
            for method in solver == "native.kkt" ? ["ldlt", "auto"] : [""] {
                do {
                    _ = try solve(.quadratic(qp), solver, parameters: method.isEmpty ? [:] : ["method": .string(method)])
                    Issue.record("\(solver) \(method): expected a curvature error")
                } catch let error as SolverError {
                    #expect(error.description.contains("not positive definite on the null space"), "\(solver): \(error)")
                }
            }
        }
        // S indefinite but positive definite on the null space: a genuine minimum.
        // min x₁² − x₂² + 4x₂² … written as S = [[0, 1], [1, 0]] with x₁ = x₂ + 1? Use
        // S = diag(−1, 1) and constraint x₁ = 2: null space (0, 1), curvature +1.
        let ok = try makeQP(q: [[-1, 0], [0, 1]], c: [0, -3], a: [[1, 0]], lower: [2], upper: [2])
        let r = try solve(.quadratic(ok), "native.kkt", parameters: ["method": .string("ldlt")])
        #expect(r.status == .optimal)
        #expect(isClose(r.primal[1], 3, absolute: 1e-10))
        #expect(isClose(r.duals?[0] ?? .nan, -2, absolute: 1e-10))  // ∂(−x₁²/2)/∂x₁ at 2
        let details = try #require(r.details(as: KKTDetails.self))
        #expect(details.positivePivots == 2 && details.negativePivots == 1)
    }

    @Test func kktRefusesInequalitiesAndBounds() throws {
        let definition = try load("HS21")
        do {
            _ = try registry.solve(definition, solverID: "native.kkt")
            Issue.record("expected a refusal")
        } catch let error as SolverError {
            #expect(error.description.contains("equality-constrained"))
            #expect(error.description.contains("native.ipm"))
        }
    }

    @Test func linearProgramsStillSolveOnTheNormalEquations() throws {
        // An LP read as a QP (Q = 0) gives the same optimum as the LP path.
        let lp = try LinearProgram(objective: [-1, -2], constraints: try DenseMatrix(rowArrays: [[1, 1], [1, 3]]).sparse(),
                                   rowLower: [-.infinity, -.infinity], rowUpper: [4, 6])
        let asLP = try solve(.linear(lp), "native.ipm")
        let asQP = try solve(.quadratic(try QuadraticProgram(linear: lp, quadratic: .zeros(rows: 2, columns: 2))), "native.ipm")
        // x, y ≥ 0 by default: the optimum is the vertex (3, 1).
        #expect(isClose(asLP.objective ?? .nan, -5, absolute: 1e-7))
        #expect(isClose(asQP.objective ?? .nan, -5, absolute: 1e-7))
        #expect(asQP.kind == .qp && asLP.kind == .lp)
    }

    /// The crossover is for LPs: asked for explicitly on a QP it is an error naming the
    /// option (a QP's optimum need not be a vertex); by default a QP simply has none.
    @Test func crossoverOnAQPIsAnErrorOnlyWhenAskedFor() throws {
        let lp = try LinearProgram(objective: [-1, -2], constraints: try DenseMatrix(rowArrays: [[1, 1], [1, 3]]).sparse(),
                                   rowLower: [-.infinity, -.infinity], rowUpper: [4, 6])
        let qp = Problem.quadratic(try QuadraticProgram(linear: lp, quadratic: try DenseMatrix(rowArrays: [[1, 0], [0, 1]]).sparse()))
        #expect(throws: SolverError.self) { _ = try solve(qp, "native.ipm", parameters: ["crossover": .string("on")]) }
        #expect(throws: SolverError.self) { _ = try solve(.linear(lp), "native.ipm", parameters: ["crossover": .string("maybe")]) }
        let plain = try solve(qp, "native.ipm")
        #expect(plain.status == .optimal)
        #expect(plain.details(as: BasisDetails.self) == nil)
        let vertex = try solve(.linear(lp), "native.ipm", parameters: ["crossover": .string("on")])
        #expect(isClose(vertex.primal[0], 3, absolute: 1e-12) && isClose(vertex.primal[1], 1, absolute: 1e-12), "a vertex to rounding")
    }
}

// MARK: Files

struct QPFileTests {
    private func write(_ text: String, name: String = "problem.yaml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func algebraicFormExtractsExactCoefficients() throws {
        let path = try write("""
        kind: qp
        minimize: "x^2 + y^2 + x*y/2 - 3*x + 7"
        subject_to:
          - "3*x + 4*y = 5"
          - limit: "x - y <= 2"
          - "-1 <= x + 2*y <= 4"
        variables: {x: free, y: [0, 10]}
        """)
        let definition = try ProblemFileReader.load(path)
        guard case .quadratic(let qp) = definition.problem else { Issue.record("not a QP"); return }
        #expect(qp.linear.variableNames == ["x", "y"])
        #expect(qp.quadratic[0, 0] == 2 && qp.quadratic[1, 1] == 2 && qp.quadratic[0, 1] == 0.5 && qp.quadratic[1, 0] == 0.5)
        #expect(qp.linear.objective == [-3, 0] && qp.linear.objectiveConstant == 7)
        #expect(qp.linear.constraintNames == ["c1", "limit", "c3"])
        #expect(qp.linear.rowLower == [5, -.infinity, -1] && qp.linear.rowUpper == [5, 2, 4])
        #expect(qp.linear.constraints[0, 1] == 4 && qp.linear.constraints[2, 1] == 2)
        #expect(qp.linear.columnLower == [-.infinity, 0] && qp.linear.columnUpper == [.infinity, 10])
    }

    @Test func algebraicFormRejectsNonQuadraticAndNonLinear() throws {
        let cubic = try write("kind: qp\nminimize: \"x^3 + y\"\nsubject_to: [\"x + y = 1\"]\n")
        #expect { try ProblemFileReader.load(cubic) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 2 && e.message.contains("not a quadratic")
        }
        let nonlinear = try write("kind: qp\nminimize: \"x^2\"\nsubject_to:\n  - \"x*y = 1\"\n")
        #expect { try ProblemFileReader.load(nonlinear) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 4 && e.message.contains("not linear")
        }
        let strict = try write("kind: qp\nminimize: \"x^2\"\nsubject_to: [\"x < 1\"]\n")
        #expect(throws: InputError.self) { try ProblemFileReader.load(strict) }
        let typo = try write("kind: qp\nminimize: \"x^2 +* y\"\n")
        #expect(throws: InputError.self) { try ProblemFileReader.load(typo) }
        // (x1 + … + x3000)² would expand into 4.5·10⁶ products: refused, with the way out.
        let sum = (1...3000).map { "x\($0)" }.joined(separator: " + ")
        let expanding = try write("kind: qp\nminimize: \"(\(sum))^2\"\n")
        #expect { try ProblemFileReader.load(expanding) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 2 && e.message.contains("matrix form")
        }
    }

    @Test func algebraicFormReadsALongObjectiveInLinearTime() throws {
        // Issue #16 defect 4: each discovered name was looked up in an array, n²/2 string
        // comparisons (a 10⁶-term objective never finished). 50 000 squares: about a
        // second in a debug build; the quadratic lookup took over a minute.
        let n = 50_000
        let terms = (1...n).map { "(x\($0) - \($0))^2" }.joined(separator: " + ")
        let path = try write("kind: qp\nminimize: \"\(terms)\"\n")
        let clock = ContinuousClock()
        let start = clock.now
        let definition = try ProblemFileReader.load(path)
        let elapsed = clock.now - start
        guard case .quadratic(let qp) = definition.problem else { Issue.record("not a QP"); return }
        #expect(qp.linear.columnCount == n && qp.quadratic.nonzeroCount == n)
        #expect(qp.linear.variableNames[n - 1] == "x\(n)" && qp.linear.objective[n - 1] == -2 * Double(n))
        #expect(elapsed < .seconds(20), "\(elapsed)")
    }

    @Test func matrixFormWithFullAndUpperQ() throws {
        let full = try write("""
        kind: qp
        minimize: [1, -1]
        Q: [[2, 1], [1, 4]]
        A: [[1, 1]]
        b: [1]
        lower: [-.inf, -.inf]
        """)
        let upper = try write("""
        kind: qp
        minimize: [1, -1]
        Q_upper: [[2, 1], [4]]
        A: [[1, 1]]
        b: [1]
        lower: [-.inf, -.inf]
        """)
        let a = try registry.solve(try ProblemFileReader.load(full), solverID: "native.kkt")
        let b = try registry.solve(try ProblemFileReader.load(upper), solverID: "native.kkt")
        // Stationarity: Qx + c = y(1, 1), x₁ + x₂ = 1 → x = (0.75, 0.25)? Check residual instead.
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(a.primal == b.primal)
        #expect((a.kkt?.dualInfeasibility ?? 1) < 1e-12 && (a.kkt?.primalInfeasibility ?? 1) < 1e-12)
        let asymmetric = try write("kind: qp\nminimize: [1, 1]\nQ: [[2, 1], [0, 2]]\n")
        #expect(throws: InputError.self) { try ProblemFileReader.load(asymmetric) }
    }

    @Test func qpsRoundTripThroughTheWriter() throws {
        for name in ["HS21", "HS118", "QAFIRO", "CVXQP1_S"] {
            let definition = try load(name)
            guard case .quadratic(let qp) = definition.problem else { Issue.record("\(name) is not a QP"); continue }
            let text = MPSWriter.write(qp.linear, quadratic: qp.quadratic)
            let path = try write(text, name: "\(name).qps")
            guard case .quadratic(let back) = try ProblemFileReader.load(path).problem else { Issue.record("round trip lost Q"); continue }
            #expect(back.quadratic.dense() == qp.quadratic.dense(), "\(name): Q")
            #expect(back.linear.objectiveConstant == qp.linear.objectiveConstant, "\(name): c₀")
            #expect(back.linear.constraints.dense() == qp.linear.constraints.dense(), "\(name): A")
            #expect(back.linear.rowLower == qp.linear.rowLower && back.linear.rowUpper == qp.linear.rowUpper, "\(name): rows")
            #expect(back.linear.columnLower == qp.linear.columnLower && back.linear.columnUpper == qp.linear.columnUpper, "\(name): bounds")
        }
    }

    @Test func exampleProblemsSolve() throws {
        let dir = Fixtures.problem("qp")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 3)
        for file in files + ["../tour/qp.yaml"] {
            let definition = try ProblemFileReader.load(dir + "/" + file)
            let result = try registry.solve(definition)
            #expect(result.status == .optimal, "\(file): \(result.rawStatus)")
        }
    }
}
