import LagrangeCore
import LinearAlgebra

/// Fictitious play for a zero-sum matrix game (A[i][j] paid by row player X to column
/// player Y).
///
/// Each round, X plays a pure best response (the row of least total payment) to Y's past
/// plays, and Y plays a best response (the column of largest total receipt) to X's past
/// plays, including X's play of this round when `alternating` (Brown's original scheme;
/// `false` is the simultaneous variant). The empirical frequencies x̄_t, ȳ_t converge to
/// optimal strategies (Robinson 1951). They bound the value:
///
///     lower_t = min_i (A ȳ_t)_i  ≤  v  ≤  max_j (x̄_tᵀ A)_j = upper_t.
///
/// The solver keeps the best bounds seen and the averaged strategies that reached them,
/// so the recorded gap (best upper − best lower) never grows. Ties go to the lowest index:
/// the method is deterministic and uses no seed. O(m + n) work per round.
///
/// Termination: `optimal` when the gap ≤ tolerance (absolute, default 1e-3);
/// `iteration_limit` after max_iterations rounds (default 1 000 000); time limit and
/// interrupts as usual. History: objective = midpoint of the bounds, gap, and extras
/// `lower_bound`, `upper_bound`, `current_gap` (the gap of this round's averages).
///
/// References: G. W. Brown, "Iterative solution of games by fictitious play" (1951);
/// J. Robinson, "An iterative method of solving a game", Annals of Math. 54 (1951).
enum FictitiousPlay {
    static func run(_ game: MatrixGame, settings: FictitiousPlaySettings, control: IterationControl) -> SolveResult {
        let (alternating, tolerance) = (settings.alternating, settings.tolerance)
        let limit = control.iterationLimit(default: 1_000_000)
        let a = game.payoff, at = a.transposed()
        let m = a.rows, n = a.columns

        // rowTotals[i] = Σ_s A[i][j_s] (row i against Y's plays); columnTotals[j] = Σ_s A[i_s][j].
        var rowTotals = Array(repeating: 0.0, count: m), columnTotals = Array(repeating: 0.0, count: n)
        var rowCounts = Array(repeating: 0.0, count: m), columnCounts = Array(repeating: 0.0, count: n)
        var bestUpper = Double.infinity, bestLower = -Double.infinity
        var bestRowCounts = rowCounts, bestColumnCounts = columnCounts
        var status: TerminationStatus = .iterationLimit
        var rounds = 0

        for t in 1...limit {
            rounds = t
            let i = Self.argMin(rowTotals)
            var j = Self.argMax(columnTotals)
            rowCounts[i] += 1
            a.storage.withUnsafeBufferPointer { row in
                for c in 0..<n { columnTotals[c] += row[i * n + c] }
            }
            if alternating { j = Self.argMax(columnTotals) }
            columnCounts[j] += 1
            at.storage.withUnsafeBufferPointer { column in
                for r in 0..<m { rowTotals[r] += column[j * m + r] }
            }
            let scale = 1 / Double(t)
            let upper = (columnTotals.max() ?? 0) * scale
            let lower = (rowTotals.min() ?? 0) * scale
            if upper < bestUpper { bestUpper = upper; bestRowCounts = rowCounts }
            if lower > bestLower { bestLower = lower; bestColumnCounts = columnCounts }
            let gap = bestUpper - bestLower
            let converged = GameTermination.gapClosed(gap, tolerance: tolerance)
            let stop = control.record(IterationRecord(
                iteration: t, objective: 0.5 * (bestUpper + bestLower), gap: gap,
                extras: [Metric("lower_bound", bestLower), Metric("upper_bound", bestUpper), Metric("current_gap", upper - lower)]),
                iterationLimit: limit)
            if converged { status = .optimal; break }
            if let stop { status = stop; break }
        }
        return GameResult.make(
            game: game, rowStrategy: GameResult.normalized(bestRowCounts), columnStrategy: GameResult.normalized(bestColumnCounts),
            value: 0.5 * (bestUpper + bestLower), status: status,
            rawStatus: "gap \(bestUpper - bestLower) after \(rounds) rounds", iterations: rounds, tolerance: tolerance, presolve: nil)
    }

    /// Index of the smallest entry (the first one on ties).
    static func argMin(_ v: [Double]) -> Int {
        var best = 0
        for k in 1..<max(1, v.count) where v[k] < v[best] { best = k }
        return best
    }

    /// Index of the largest entry (the first one on ties).
    static func argMax(_ v: [Double]) -> Int {
        var best = 0
        for k in 1..<max(1, v.count) where v[k] > v[best] { best = k }
        return best
    }
}
