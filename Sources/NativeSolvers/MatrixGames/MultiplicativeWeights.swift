import LagrangeCore
import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiplicative weights (Hedge) in self-play for a zero-sum matrix game (A[i][j] paid by
/// row player X to column player Y).
///
/// Both players run Hedge on payoffs scaled to [0, 1] by the range R = max A − min A:
///
///     x_t ∝ exp(−η_t · L_t / R),  L_t = Σ_{s<t} A y_s   (X's cumulative payments)
///     y_t ∝ exp(+η_t · G_t / R),  G_t = Σ_{s<t} Aᵀx_s   (Y's cumulative receipts)
///
/// with η_t = √(8 ln N / T) for horizon T (`schedule: horizon`), √(8 ln N / t)
/// (`anytime`, the default) or `step_size` (`constant`); N is the player's number of
/// strategies. `optimistic: true` adds the last round's payoffs once more (optimistic
/// Hedge, which with a constant step converges at O(log N / T) instead of O(√(log N / T))).
/// The averaged strategies x̄_T, ȳ_T bound the value, lower = min_i (Aȳ)_i ≤ v ≤
/// max_j (x̄ᵀA)_j = upper, and the gap is at most the two players' average regrets,
/// O(R √(log N / T)) for the horizon and anytime steps. The best bounds seen are kept
/// with the averages that reached them. Deterministic (no seed). O(mn) work per round.
///
/// Termination: `optimal` when the gap ≤ tolerance (absolute, default 1e-3);
/// `iteration_limit` after max_iterations rounds (default: 2·10⁸ / (m·n) clamped to
/// [10 000, 1 000 000], see ``MultiplicativeWeightsSolver/defaultIterations(rows:columns:)``); time limit and
/// interrupts as usual. History: objective = midpoint of the bounds, gap, step_size (η_t
/// of the row player, on the [0, 1] scale), extras `lower_bound`, `upper_bound`,
/// `current_gap`.
///
/// References: Freund & Schapire, "Adaptive game playing using multiplicative weights",
/// Games and Economic Behavior 29 (1999); Arora, Hazan & Kale, "The multiplicative weights
/// update method", Theory of Computing 8 (2012); Rakhlin & Sridharan, "Optimization,
/// learning, and games with predictable sequences", NeurIPS 2013.
enum MultiplicativeWeights {
    static func run(_ game: MatrixGame, settings: MultiplicativeWeightsSettings, control: IterationControl) -> SolveResult {
        let (schedule, constantStep, optimistic, tolerance) = (settings.schedule, settings.stepSize, settings.optimistic, settings.tolerance)
        let a = game.payoff
        let m = a.rows, n = a.columns
        let limit = control.iterationLimit(default: MultiplicativeWeightsSolver.defaultIterations(rows: m, columns: n))
        let range = (a.storage.max() ?? 0) - (a.storage.min() ?? 0)
        let scale = range > 0 ? 1 / range : 1
        let logRows = log(Double(m)), logColumns = log(Double(n))

        var cumulativeRow = Array(repeating: 0.0, count: m)      // L: Σ A y_s
        var cumulativeColumn = Array(repeating: 0.0, count: n)   // G: Σ Aᵀ x_s
        var lastRow = Array(repeating: 0.0, count: m), lastColumn = Array(repeating: 0.0, count: n)
        var x = Array(repeating: 0.0, count: m), y = Array(repeating: 0.0, count: n)
        var sumX = Array(repeating: 0.0, count: m), sumY = Array(repeating: 0.0, count: n)
        var bestUpper = Double.infinity, bestLower = -Double.infinity
        var bestSumX = sumX, bestSumY = sumY
        var status: TerminationStatus = .iterationLimit
        var rounds = 0

        for t in 1...limit {
            rounds = t
            let etaRow: Double, etaColumn: Double
            switch schedule {
            case "horizon": etaRow = (8 * logRows / Double(limit)).squareRoot(); etaColumn = (8 * logColumns / Double(limit)).squareRoot()
            case "constant": etaRow = constantStep; etaColumn = constantStep
            default: etaRow = (8 * logRows / Double(t)).squareRoot(); etaColumn = (8 * logColumns / Double(t)).squareRoot()
            }
            Self.hedge(&x, cumulative: cumulativeRow, last: lastRow, optimistic: optimistic, eta: -etaRow * scale)
            Self.hedge(&y, cumulative: cumulativeColumn, last: lastColumn, optimistic: optimistic, eta: etaColumn * scale)
            // lastRow = A y, lastColumn = Aᵀx, in one pass over the row-major matrix.
            a.storage.withUnsafeBufferPointer { entries in
                for j in 0..<n { lastColumn[j] = 0 }
                for i in 0..<m {
                    let base = i * n
                    let xi = x[i]
                    var s = 0.0
                    for j in 0..<n {
                        let e = entries[base + j]
                        s += e * y[j]
                        lastColumn[j] += xi * e
                    }
                    lastRow[i] = s
                }
            }
            for i in 0..<m { cumulativeRow[i] += lastRow[i]; sumX[i] += x[i] }
            for j in 0..<n { cumulativeColumn[j] += lastColumn[j]; sumY[j] += y[j] }
            let inverse = 1 / Double(t)
            let upper = (cumulativeColumn.max() ?? 0) * inverse    // max_j (x̄ᵀA)_j
            let lower = (cumulativeRow.min() ?? 0) * inverse       // min_i (Aȳ)_i
            if upper < bestUpper { bestUpper = upper; bestSumX = sumX }
            if lower > bestLower { bestLower = lower; bestSumY = sumY }
            let gap = bestUpper - bestLower
            let converged = GameTermination.gapClosed(gap, tolerance: tolerance)
            let stop = control.record(IterationRecord(
                iteration: t, objective: 0.5 * (bestUpper + bestLower), gap: gap, stepSize: etaRow,
                extras: [Metric("lower_bound", bestLower), Metric("upper_bound", bestUpper), Metric("current_gap", upper - lower)]),
                iterationLimit: limit)
            if converged { status = .optimal; break }
            if let stop { status = stop; break }
        }
        return GameResult.make(
            game: game, rowStrategy: GameResult.normalized(bestSumX), columnStrategy: GameResult.normalized(bestSumY),
            value: 0.5 * (bestUpper + bestLower), status: status,
            rawStatus: "gap \(bestUpper - bestLower) after \(rounds) rounds", iterations: rounds, tolerance: tolerance, presolve: nil)
    }


    /// p ∝ exp(eta · (cumulative [+ last])), shifted by the extreme exponent so exp never
    /// overflows (eta < 0 for the minimizing player).
    static func hedge(_ p: inout [Double], cumulative: [Double], last: [Double], optimistic: Bool, eta: Double) {
        let count = p.count
        var top = -Double.infinity
        for k in 0..<count {
            let score = eta * (optimistic ? cumulative[k] + last[k] : cumulative[k])
            p[k] = score
            top = max(top, score)
        }
        var sum = 0.0
        for k in 0..<count {
            let w = exp(p[k] - top)
            p[k] = w
            sum += w
        }
        let inverse = 1 / sum
        for k in 0..<count { p[k] *= inverse }
    }
}
