import LagrangeCore

/// How `native.simplex`'s primal and dual loops end, in one place.
///
/// - **Optimal** when no nonbasic column prices out (reduced costs within
///   ``dualTolerance``) and every basic value is within ``primalTolerance`` of its bounds
///   (both relative to max(1, |value|)); the pivot rules themselves live in the loops.
/// - **Infeasible / unbounded** only with a certificate the engine verifies
///   (`provesInfeasible`, the ray test) before it is returned.
/// - **A stall** when a run of ``stallLimit(rows:columns:)`` pivots improves neither the
///   phase-1 infeasibility nor the objective by more than ``improvement`` relative: the
///   primal loop first falls back to Bland's rule, then ends `slow_progress`; the dual loop
///   hands over to the primal one.
enum SimplexTermination {
    /// Primal feasibility tolerance of a basic value (relative); the primal loop relaxes it
    /// once to ``relaxedPrimalTolerance`` when phase 1 ends with a residue its multipliers
    /// do not prove infeasible (rounding, not a proof).
    static let primalTolerance = 1e-9
    static let relaxedPrimalTolerance = 1e-7
    /// Dual feasibility tolerance of a reduced cost.
    static let dualTolerance = 1e-9

    /// The dual tolerance for costs as large as `costScale` (‖c‖∞): ``dualTolerance``, or
    /// the rounding floor of d_j = c_j − a_jᵀπ when that is larger, 1e-14·‖c‖∞ (about 45
    /// units in the last place of the largest cost). dfl001's costs reach 4e7: its reduced
    /// costs carry noise of 1e-8, and the crossover's primal clean-up spent 240 000
    /// degenerate pivots chasing it with an absolute 1e-9.
    static func dualTolerance(costScale: Double) -> Double {
        max(dualTolerance, 1e-14 * costScale)
    }
    /// Smallest |α| accepted as a pivot in a ratio test: smaller ones make the next basis
    /// nearly singular.
    static let pivotTolerance = 1e-7
    /// Relative change that counts as progress for the stall guard.
    static let improvement = 1e-9

    /// Pivots without progress before the stall guard acts (tuff once ran 571 052).
    static func stallLimit(rows m: Int, columns n: Int) -> Int { max(5_000, 5 * (m + n + m)) }

    /// Whether `measure` improves on `best` (smaller is better) by more than rounding. Any
    /// finite value improves on an infinite start (the relative margin of ∞ would be NaN).
    static func improves(_ measure: Double, on best: Double) -> Bool {
        guard best.isFinite else { return measure < best }
        return measure < best - improvement * max(1, abs(best))
    }
}
