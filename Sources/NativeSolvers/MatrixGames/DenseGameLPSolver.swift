import LagrangeCore
import LinearAlgebra

/// `native.game-lp`: a zero-sum matrix game by the game LP solved on its dense payoff
/// block (``DenseGameIPM``), not through a sparse LP solver.
///
/// Algorithm: presolve (``GamePresolve``: a pure saddle point answered without an LP,
/// strictly dominated strategies removed), then the interior-point method on the reduced
/// game's working matrix, whose normal equations are the dense k×k system of the smaller
/// side, k = min(m, n). Both strategies come from the same iterates.
///
/// Termination: `optimal` when the best strategies' guarantees are within `tolerance`
/// (absolute; default 1e-9·max(1, max|A|)), checked once more against every row and
/// column of the full game; a stall ends with the best strategies at hand, `almost_optimal`
/// when their gap is within max(1000 × tolerance, 1e-6·max(1, max|A|)), else
/// `numerical_error`; limits and
/// cancellation end with the best strategies at hand, whose guarantees bound the value.
/// Iteration limit: 200 unless the options set one.
///
/// Memory: the game, one working copy of the reduced payoff (its transpose when it has more
/// rows than columns), a min(m, n)² normal matrix and O(m + n) vectors: within three times
/// the payoff matrix (docs/benchmarks-games.md).
///
/// Reference: G. B. Dantzig (1951), the game as a linear program; S. Mehrotra, "On the
/// implementation of a primal-dual interior point method", SIAM J. Optim. 2 (1992).
package struct DenseGameLPSolver: SolverPlugin {
    package let descriptor: SolverDescriptor
    static let defaultIterationLimit = 200

    package init(id: String = "native.game-lp") {
        descriptor = SolverDescriptor(
            id: id, kinds: [.matrixGame],
            options: GameLPSettings.presolveOptionSpecs,
            summary: "dense interior point on the minimax LP (normal equations of the smaller side, dense Cholesky); saddle-point and dominance presolve; stops on a certified gap")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let game = try GameResult.game(problem, solverID: descriptor.id)
        let settings = try GameLPSettings(options: context.options, game: game, strategies: false)
        let (usePresolve, tolerance) = (settings.presolve, settings.tolerance)
        let a = game.payoff
        let m = a.rows, n = a.columns

        let reduction = GameResult.presolve(game, enabled: usePresolve, control: context.control, tolerance: tolerance)
        if let answered = reduction.saddlePointResult { return answered }
        let rows = reduction.rows, columns = reduction.columns

        var method = DenseGameIPM(payoff: a, rows: rows, columns: columns)
        let limit = context.control.iterationLimit(default: Self.defaultIterationLimit)
        // A margin below the tolerance: the working matrix is shifted and scaled, so the
        // full game's own check may differ from the working one in the last bits.
        let outcome = method.run(targetGap: 0.5 * tolerance) { progress in
            context.control.record(IterationRecord(
                iteration: progress.iteration, objective: 0.5 * (progress.upperBound + progress.lowerBound), gap: progress.gap,
                extras: [Metric("lower_bound", progress.lowerBound), Metric("upper_bound", progress.upperBound),
                         Metric("mu", progress.complementarity), Metric("primal_step", progress.primalStep),
                         Metric("dual_step", progress.dualStep)]),
                iterationLimit: limit)
        }

        var x = Array(repeating: 0.0, count: m), y = Array(repeating: 0.0, count: n)
        for (p, i) in rows.enumerated() { x[i] = outcome.rowStrategy[p] }
        for (q, j) in columns.enumerated() { y[j] = outcome.columnStrategy[q] }
        let bounds = game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance)
        let value = 0.5 * (bounds.rowGuarantee + bounds.columnGuarantee)
        var notes: [String] = []
        let status: TerminationStatus
        let rawStatus: String
        switch outcome.ending {
        case .stopped(let stop):
            status = stop
            rawStatus = "stopped (\(stop.rawValue)) after \(outcome.iterations) interior-point iterations"
            notes.append("stopped before the gap closed: the strategies are the best at hand; the value lies in [\(bounds.columnGuarantee), \(bounds.rowGuarantee)]")
        case .converged, .stalled:
            if bounds.passed {
                status = .optimal
            } else {
                // A tolerance below what double precision reaches (1e-14, say) ends in a
                // stall; strategies certified to 1e-6 of the payoff scale are still almost optimal.
                let almost = max(1000 * tolerance, 1e-6 * max(1, game.maxAbsolutePayoff))
                status = bounds.gap <= almost && bounds.strategyViolation <= 1e-9 ? .almostOptimal : .numericalError
                notes.append("certificate gap \(bounds.gap) exceeds the tolerance \(tolerance)")
            }
            if case .stalled(let why) = outcome.ending {
                rawStatus = "interior point stalled after \(outcome.iterations) iterations: \(why)"
            } else {
                rawStatus = "certified gap reached in \(outcome.iterations) interior-point iterations"
            }
        }
        if outcome.replacedPivots > 0 {
            notes.append("\(outcome.replacedPivots) tiny Cholesky pivots replaced (rank-deficient normal equations)")
        }
        var result = GameResult.make(game: game, rowStrategy: x, columnStrategy: y, value: value, status: status,
                                     rawStatus: rawStatus, iterations: outcome.iterations, tolerance: tolerance,
                                     presolve: reduction.report)
        result.notes = notes
        return result
    }
}
