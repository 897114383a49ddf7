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
