import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// The activity-bound reductions of ``LPPresolve`` on hand-made LPs whose primal and
/// dual optima are known in closed form (and checked against GLPK's simplex).
@Suite struct PresolveTests {
    /// The counts of the full presolve of `lp` (minimization form).
    func counts(_ lp: LinearProgram) -> LPPresolve.Counts {
        LPPresolve(RowBoundLP(minimizing: lp), enabled: true, reductions: .full).counts
    }

    /// Solves with native.ipm (presolve on and off) and GLPK; checks objective, primal,
    /// duals and reduced costs against the closed-form answer and the KKT residuals.
    func check(_ lp: LinearProgram, objective: Double, x: [Double], y: [Double], d: [Double],
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let glpk = try solve(lp, "glpk.simplex")
        #expect(isClose(glpk.objective ?? .nan, objective, absolute: 1e-9), "GLPK disagrees with the closed form", sourceLocation: sourceLocation)
        for presolve in [true, false] {
            let result = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["presolve": .bool(presolve), "crossover": .bool(false)]))
            #expect(result.status == .optimal, sourceLocation: sourceLocation)
            #expect(isClose(result.objective ?? .nan, objective, absolute: 1e-7), sourceLocation: sourceLocation)
            let duals = try #require(result.duals), reduced = try #require(result.reducedCosts)
            for j in x.indices {
                #expect(isClose(result.primal[j], x[j], absolute: 1e-6), "x[\(j)] presolve \(presolve)", sourceLocation: sourceLocation)
                #expect(isClose(reduced[j], d[j], absolute: 1e-6), "d[\(j)] presolve \(presolve)", sourceLocation: sourceLocation)
            }
            for i in y.indices {
                #expect(isClose(duals[i], y[i], absolute: 1e-6), "y[\(i)] presolve \(presolve)", sourceLocation: sourceLocation)
            }
            let kkt = try #require(result.kkt)
            #expect(kkt.dualInfeasibility <= 1e-7 && kkt.complementarity <= 1e-6, "\(kkt)", sourceLocation: sourceLocation)
        }
    }

    @Test func redundantRowByBoundsImpliedByAnotherRow() throws {
        // min −x − 2y, x, y ≥ 0, s.t. x + y ≤ 4 (implies x, y ≤ 4), 1.5x + y ≤ 9 (its
        // maximum over x, y ≤ 4 is 10: kept) and x + y ≤ 9 (maximum 8: redundant). Optimum y = 4, x = 0, obj −8; the first row's
        // shadow price is −2, the others 0; d = (1, 0).
        let lp = try makeLP(c: [-1, -2], rows: [[1, 1], [1.5, 1], [1, 1]], rowLower: [-.infinity, -.infinity, -.infinity],
                            rowUpper: [4, 9, 9])
        #expect(counts(lp).redundantRows == 1)
        try check(lp, objective: -8, x: [0, 4], y: [-2, 0, 0], d: [1, 0])
    }

    @Test func rowsImplyingEachOtherAreNotBothDropped() throws {
        // x + z ≤ 4 and x + w ≤ 4 with z, w ∈ [0, 1e-12]: each row implies x ≤ 4, which
        // makes the other redundant to within tolerance — but only one of them may go.
        // min −x: x = 4, obj −4; the rows share the shadow price −1 (not uniquely).
        let lp = try makeLP(c: [-1, 0, 0], rows: [[1, 1, 0], [1, 0, 1]], rowLower: [-.infinity, -.infinity], rowUpper: [4, 4],
                            columnLower: [0, 0, 0], columnUpper: [.infinity, 1e-12, 1e-12])
        #expect(counts(lp).redundantRows == 1)
        let result = try solve(lp, "native.ipm", options: interiorOnly)
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, -4, absolute: 1e-7))
        let y = try #require(result.duals)
        #expect(isClose(y[0] + y[1], -1, absolute: 1e-7))
        #expect((result.kkt?.dualInfeasibility ?? 1) <= 1e-7)
    }

    @Test func forcingRowFixesItsColumnsAndPricesTheRow() throws {
        // min −x + y + z, x, y, z ≥ 0, s.t. x + y ≤ 0 (forcing: x = y = 0), x + z ≥ 2,
        // y + z ≥ 1. Then z = 2 (row 2 binds, dual 1), row 3 slack (dual 0). The forcing
        // row's dual must make d_x = −1 − y₁ − 1 ≥ 0 and d_y = 1 − y₁ ≥ 0 with y₁ ≤ 0:
        // presolve takes y₁ = −2 (the largest such), d = (0, 3, 0).
        let lp = try makeLP(c: [-1, 1, 1], rows: [[1, 1, 0], [1, 0, 1], [0, 1, 1]],
                            rowLower: [-.infinity, 2, 1], rowUpper: [0, .infinity, .infinity])
        #expect(counts(lp).forcingRows >= 1)
        let result = try solve(lp, "native.ipm", options: interiorOnly)
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, 2, absolute: 1e-7))
        #expect(zip(result.primal, [0.0, 0, 2]).allSatisfy { abs($0 - $1) <= 1e-7 })
        let y = try #require(result.duals), d = try #require(result.reducedCosts)
        #expect(isClose(y[0], -2, absolute: 1e-7) && isClose(y[1], 1, absolute: 1e-7) && isClose(y[2], 0, absolute: 1e-7))
        #expect(isClose(d[0], 0, absolute: 1e-7) && isClose(d[1], 3, absolute: 1e-7) && isClose(d[2], 0, absolute: 1e-7))
        #expect((result.kkt?.dualInfeasibility ?? 1) <= 1e-9 && (result.kkt?.complementarity ?? 1) <= 1e-9)
        let glpk = try solve(lp, "glpk.simplex")
        #expect(isClose(glpk.objective ?? .nan, 2, absolute: 1e-9))
    }

    @Test func forcingEqualityRowAtItsMaximum() throws {
        // max x + 2y + z, x, y ≤ 1 and z ≤ 5 (all ≥ 0), s.t. x + y = 2 (forcing at the
        // maximum activity: x = y = 1) and y + z ≤ 4 → z = 3. In minimization form the
        // row's dual must keep d_x = −1 − y₁ ≤ 0 and d_y = −2 − y₁ + 1 ≤ 0 (both at their
        // upper bounds): y₁ = max(0, −1, −1) = 0. Shadow prices in the max sense: y = (0, 1);
        // reduced costs d = c − Aᵀy = (1, 1, 0).
        let lp = try makeLP(.maximize, c: [1, 2, 1], rows: [[1, 1, 0], [0, 1, 1]], rowLower: [2, -.infinity], rowUpper: [2, 4],
                            columnLower: [0, 0, 0], columnUpper: [1, 1, 5])
        #expect(counts(lp).forcingRows == 1)
        let result = try solve(lp, "native.ipm", options: interiorOnly)
        #expect(isClose(result.objective ?? .nan, 6, absolute: 1e-7))
        let y = try #require(result.duals), d = try #require(result.reducedCosts)
        #expect(isClose(y[0], 0, absolute: 1e-7) && isClose(y[1], 1, absolute: 1e-7))
        #expect(isClose(d[0], 1, absolute: 1e-7) && isClose(d[1], 1, absolute: 1e-7) && isClose(d[2], 0, absolute: 1e-7))
        #expect((result.kkt?.dualInfeasibility ?? 1) <= 1e-9 && (result.kkt?.complementarity ?? 1) <= 1e-9)
    }

    @Test func impliedFreeColumnSingletonIsSubstitutedOut() throws {
        // min −x + 2y + s, x ∈ [0, 1], y ∈ [0, 2], s ≥ 0, s.t. x + y + s = 4 (s appears only
        // here and 4 − x − y ∈ [1, 4] keeps it ≥ 0: implied free), x + 2y ≥ 0.5.
        // With s = 4 − x − y the cost is 4 − 2x + y: x = 1, y = 0, s = 3, obj 2.
        // Duals: y₁ = c_s/1 = 1, y₂ = 0; d = c − Aᵀy = (−2, 1, 0).
        let lp = try makeLP(c: [-1, 2, 1], rows: [[1, 1, 1], [1, 2, 0]], rowLower: [4, 0.5], rowUpper: [4, .infinity],
                            columnLower: [0, 0, 0], columnUpper: [1, 2, .infinity])
        #expect(counts(lp).substitutedColumns == 1)
        try check(lp, objective: 2, x: [1, 0, 3], y: [1, 0], d: [-2, 1, 0])
    }

    @Test func columnSingletonThatIsNotImpliedFreeStays() throws {
        // As above but x + y + s = 2.5: s = 2.5 − x − y may go negative (x = 1, y = 2), so
        // s's bound s ≥ 0 is not implied and s must stay. Optimum: x = 1, y = 0, s = 1.5.
        let lp = try makeLP(c: [-1, 2, 1], rows: [[1, 1, 1], [1, 2, 0]], rowLower: [2.5, 0.5], rowUpper: [2.5, .infinity],
                            columnLower: [0, 0, 0], columnUpper: [1, 2, .infinity])
        #expect(counts(lp).substitutedColumns == 0)
        try check(lp, objective: 0.5, x: [1, 0, 1.5], y: [1, 0], d: [-2, 1, 0])
    }

    @Test func presolveDetectsAnUnreachableRow() throws {
        // x, y ≥ 0 and x + y ≤ −1: the row's minimum activity 0 exceeds its upper bound.
        let lp = try makeLP(c: [1, 1], rows: [[1, 1], [1, -1]], rowLower: [-.infinity, -5], rowUpper: [-1, 5])
        let presolve = LPPresolve(RowBoundLP(minimizing: lp), enabled: true, reductions: .full)
        guard case .infeasible = presolve.verdict else {
            Issue.record("presolve did not detect infeasibility: \(presolve.verdict)")
            return
        }
        for solver in ["native.ipm", "glpk.simplex"] {
            #expect(try solve(lp, solver).status == .infeasible, "\(solver)")
        }
    }

    @Test func simpleReductionsOnlyForQuadraticPrograms() throws {
        // The same forcing row as above, with a quadratic term: the full reductions are
        // not applied (they reason about a linear cost).
        let lp = try makeLP(c: [-1, 1, 1], rows: [[1, 1, 0], [1, 0, 1]], rowLower: [-.infinity, 2], rowUpper: [0, .infinity])
        var minimizing = RowBoundLP(minimizing: lp)
        minimizing.quadratic = try SparseMatrix(rowCount: 3, columnCount: 3, triplets: [(2, 2, 1)])
        let presolve = LPPresolve(minimizing, enabled: true, reductions: .full)
        #expect(presolve.counts.forcingRows == 0 && presolve.reduced.rowCount == 2)
    }
}

/// Random small LPs built to trigger every reduction at once (forcing rows, rows made
/// redundant by other rows' implied bounds, implied-free column singletons, singleton
/// rows), solved by native.ipm with the full presolve and by GLPK's simplex: same
/// optimal objective, and native.ipm's postsolved duals pass the KKT checks.
@Suite struct PresolveRandomTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func integer(_ n: Int) -> Int { min(n - 1, Int(next() * Double(n))) }
    }

    static func randomLP(seed: UInt64) throws -> LinearProgram {
        var g = Generator(state: seed &* 0x9E3779B97F4A7C15 &+ 1)
        let n = 10, m = 8
        var columnLower = Array(repeating: 0.0, count: n), columnUpper = Array(repeating: 0.0, count: n)
        var x0 = Array(repeating: 0.0, count: n)
        for j in 0..<n {
            columnUpper[j] = g.next() < 0.8 ? Double(1 + g.integer(5)) : .infinity
            // Several columns sit at 0 in the reference point, for the forcing row.
            x0[j] = j < 3 ? 0 : min(columnUpper[j], Double(g.integer(4)))
        }
        // The last column appears only in row 0 (an equality), with wide bounds: implied free.
        columnLower[n - 1] = -.infinity; columnUpper[n - 1] = .infinity
        var rows = Array(repeating: Array(repeating: 0.0, count: n), count: m)
        for i in 0..<m {
            for j in 0..<(n - 1) where g.next() < 0.45 { rows[i][j] = Double(1 + g.integer(4)) * (g.next() < 0.8 ? 1 : -1) }
        }
        rows[0][n - 1] = 2
        // Row 1: forcing, x₀ + x₁ + x₂ ≤ 0 over nonnegative columns.
        rows[1] = Array(repeating: 0.0, count: n); rows[1][0] = 1; rows[1][1] = 2; rows[1][2] = 1
        // Row 2: a singleton row.
        rows[2] = Array(repeating: 0.0, count: n); rows[2][3 + g.integer(5)] = 2
        var rowLower = Array(repeating: -Double.infinity, count: m), rowUpper = Array(repeating: Double.infinity, count: m)
        for i in 0..<m {
            var activity = 0.0
            for j in 0..<n { activity += rows[i][j] * (j == n - 1 ? 1 : x0[j]) }
            switch i {
            case 0: rowLower[i] = activity; rowUpper[i] = activity
            case 1: rowUpper[i] = 0
            default:
                let kind = g.integer(3)
                // Generous upper bounds make some rows redundant given the others.
                if kind == 0 { rowUpper[i] = activity + Double(g.integer(3)) * (g.next() < 0.3 ? 20 : 1) }
                else if kind == 1 { rowLower[i] = activity - Double(g.integer(3)) }
                else { rowLower[i] = activity - 1; rowUpper[i] = activity + 1 }
            }
        }
        // Costs that keep the LP bounded: the unbounded columns get nonnegative costs.
        let c = (0..<n).map { j in
            j == n - 1 ? 0.5 : columnUpper[j].isFinite ? Double(g.integer(7)) - 3 : Double(g.integer(3))
        }
        return try makeLP(c: c, rows: rows, rowLower: rowLower, rowUpper: rowUpper,
                          columnLower: columnLower, columnUpper: columnUpper)
    }

    @Test(arguments: 0..<24)
    func agreesWithGLPK(_ seed: Int) throws {
        let lp = try Self.randomLP(seed: UInt64(seed))
        let glpk = try solve(lp, "glpk.simplex")
        let native = try solve(lp, "native.ipm", options: interiorOnly)
        #expect(native.status == glpk.status, "seed \(seed): \(native.rawStatus) vs \(glpk.rawStatus)")
        guard glpk.status == .optimal, native.status == .optimal else { return }
        let reference = try #require(glpk.objective)
        #expect(abs((native.objective ?? .nan) - reference) <= 1e-6 * max(1, abs(reference)), "seed \(seed)")
        let kkt = try #require(native.kkt)
        #expect(kkt.primalInfeasibility <= 1e-6 && kkt.dualInfeasibility <= 1e-6
                && kkt.complementarity <= 1e-5 * max(1, abs(reference)), "seed \(seed): \(kkt)")
    }

    /// The generator does exercise the reductions (else the test above proves little).
    @Test func generatedLPsTriggerTheReductions() throws {
        var total = LPPresolve.Counts()
        for seed in 0..<24 {
            let c = LPPresolve(RowBoundLP(minimizing: try Self.randomLP(seed: UInt64(seed))), enabled: true, reductions: .full).counts
            total.forcingRows += c.forcingRows
            total.redundantRows += c.redundantRows
            total.substitutedColumns += c.substitutedColumns
            total.singletonRows += c.singletonRows
        }
        #expect(total.forcingRows > 0 && total.redundantRows > 0 && total.substitutedColumns > 0 && total.singletonRows > 0,
                "\(total)")
    }
}
