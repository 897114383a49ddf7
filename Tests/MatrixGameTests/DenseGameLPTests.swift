import Foundation
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

/// `native.game-lp`, the dense interior point (``DenseGameIPM``), against glpk.game-lp's
/// simplex answer on random games, and its memory shape.
@Suite("Dense game interior point (native.game-lp)")
struct DenseGameLPTests {
    @Test("Random games (square, wide, tall: the tall one is solved as −Aᵀ) match glpk.game-lp's value to 1e-7",
          arguments: [(300, 300, UInt64(300)), (40, 90, UInt64(7)), (90, 40, UInt64(8))])
    func againstSimplex(m: Int, n: Int, seed: UInt64) throws {
        let g = try MatrixGame.randomIntegers(rows: m, columns: n, seed: seed)
        let (simplex, reference) = try solveGame(g, "glpk.game-lp")
        #expect(simplex.status == .optimal)
        let (result, d) = try solveGame(g, "native.game-lp")
        #expect(result.status == .optimal, "\(result.rawStatus) \(result.notes)")
        #expect(abs(d.value - reference.value) <= 1e-7, "\(d.value) vs \(reference.value)")
        // Both guarantees recomputed here from the strategies, and they bracket the simplex value.
        let tolerance = 1e-9 * g.maxAbsolutePayoff
        let c = g.certificate(rowStrategy: d.rowStrategy, columnStrategy: d.columnStrategy, tolerance: tolerance)
        #expect(c.passed && c.strategyViolation <= 1e-12, "gap \(c.gap)")
        #expect(c.columnGuarantee <= reference.value + 1e-12 && reference.value - 1e-12 <= c.rowGuarantee)
        // Far fewer iterations than a simplex: the interior point's count does not grow with n.
        #expect(result.iterations <= 40, "\(result.iterations) iterations")
    }

    @Test("The history's gap is the certified one: never growing, upper − lower, the last within the tolerance")
    func history() throws {
        let g = try MatrixGame.randomIntegers(rows: 60, columns: 80, seed: 3)
        let (result, d) = try solveGame(g, "native.game-lp")
        #expect(result.status == .optimal)
        let records = result.history.records
        #expect(records.count == result.iterations + 1)
        var previous = Double.infinity
        for r in records {
            let gap = try #require(r.gap)
            let lower = try #require(r.value(forKey: "lower_bound")), upper = try #require(r.value(forKey: "upper_bound"))
            #expect(gap <= previous)
            #expect(abs(gap - (upper - lower)) <= 1e-12)
            #expect(lower <= d.value + 1e-9 && d.value - 1e-9 <= upper)
            previous = gap
        }
        #expect(previous <= 1e-9 * g.maxAbsolutePayoff)
    }

    @Test("A tolerance beyond double precision ends with an answer (the best strategies), not a stall without one")
    func unreachableTolerance() throws {
        // The sparse interior point behind native.game-lp used to end such runs with
        // slow_progress and no strategies at a gap of 3e-10 (issue #22).
        let name = "random_50x50_s2"
        let g = try fixtureGame(name)
        let v = try ReferenceGames.reference(name)
        let (result, d) = try solveGame(g, "native.game-lp", options: SolveOptions(tolerance: 1e-17))
        #expect(result.status == .almostOptimal || result.status == .optimal, "\(result.status) \(result.rawStatus)")
        #expect(result.iterations < 100, "\(result.iterations) iterations")
        #expect(result.primal.count == g.payoff.rows + g.payoff.columns)
        let c = g.certificate(rowStrategy: d.rowStrategy, columnStrategy: d.columnStrategy, tolerance: 1e-9 * g.maxAbsolutePayoff)
        #expect(c.passed, "the best strategies certify the default tolerance: gap \(c.gap)")
        #expect(c.columnGuarantee <= v + 1e-12 && v - 1e-12 <= c.rowGuarantee)
    }

    @Test("Workspace is O(mn): one working copy, a min(m, n)² normal matrix, O(m + n) vectors",
          arguments: [(150, 400), (400, 150)])
    func workspaceShape(m: Int, n: Int) throws {
        let g = try MatrixGame.randomIntegers(rows: m, columns: n, seed: 11)
        var method = DenseGameIPM(payoff: g.payoff, rows: Array(0..<m), columns: Array(0..<n))
        let outcome = method.run(targetGap: 1e-9 * g.maxAbsolutePayoff) { _ in nil }
        #expect(outcome.ending == .converged)
        let small = min(m, n), large = max(m, n)
        #expect(method.rowCount == small && method.columnCount == large && method.transposed == (m > n))
        let vectors = 16 * (m + n) + DenseGramCholesky.scratchCount
        // At least the copy and the normal matrix (the counter counts what is allocated) …
        #expect(method.workspaceDoubles >= m * n + small * small)
        // … and no more: normal equations of the larger side (large²) or of the whole LP
        // ((m + n)²) would break this bound at these shapes.
        #expect(method.workspaceDoubles <= m * n + small * small + vectors,
                "\(method.workspaceDoubles) doubles for \(m)×\(n)")
        #expect(method.workspaceDoubles < large * large)
    }

    @Test("The presolved game is what the interior point sees: a dominated row and column go first")
    func presolveBeforeTheInteriorPoint() throws {
        let g = try game([[3, 1, 4], [4, 2, 5], [0, 3, 1]])
        let (result, d) = try solveGame(g, "native.game-lp")
        #expect(result.status == .optimal)
        #expect(abs(d.value - 2.2) <= 1e-9 * 5)
        #expect(d.presolve?.removedRows == [1] && d.presolve?.removedColumns == [0])
        for (a, b) in zip(d.rowStrategy, [0.4, 0, 0.6]) { #expect(abs(a - b) <= 1e-8) }
        for (a, b) in zip(d.columnStrategy, [0, 0.6, 0.4]) { #expect(abs(a - b) <= 1e-8) }
    }
}
