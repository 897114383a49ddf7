import LagrangeCore
import LinearAlgebra

/// How ``InteriorPointMethod`` decided to stop: the verdict (status and the test that
/// fired), the solver's own words, and the certificate of an `infeasible` or `unbounded`.
struct IPMVerdict {
    var verdict: TerminationVerdict
    var rawStatus: String
    var certificate: [Double]? = nil

    init(_ status: TerminationStatus, by test: ConvergenceTest?, _ rawStatus: String, certificate: [Double]? = nil) {
        verdict = TerminationVerdict(status, by: test)
        self.rawStatus = rawStatus
        self.certificate = certificate
    }
}

/// The termination rules of `native.ipm` (LP and QP), in one place: pure functions of one
/// iteration's measures (``IPMIterationInfo``, relative to the scaled standard form), plus
/// the small memory of best values that stall detection needs (``Progress``). With t the
/// `tolerance` (``IPMSettings/tolerance``, default 1e-8), each iteration, in this order:
///
/// 1. a non-finite objective, μ or residual → `numerical_error`;
/// 2. ‖b − Ax‖∞/(1+‖b‖∞), ‖rc‖∞/(1+‖c‖∞) and |pobj − dobj|/(1+|pobj + c₀|) all ≤ t →
///    `optimal` (``residualsAndGap``);
/// 3. primal residual > t and a Farkas ray (``rayTolerance``) → `infeasible` (``farkasRay``);
/// 4. dual residual > t, an LP, and a primal ray → `unbounded` (``primalRay``);
/// 5. (the run's) the iteration control's limits, then the iteration limit;
/// 6. ``Progress/stall(_:iteration:tolerance:)``: an unmet primal (dual) residual that has
///    not fallen below ``improvementFactor`` of its best in ``residualStallWindow``
///    iterations — the signature of an infeasible (unbounded) LP, which the plugin then
///    settles with ``LPDiagnosis`` — or max(residuals, gap) that has not in
///    ``meritStallWindow`` → `almost_optimal` when all three are ≤ ``relaxedTolerance``
///    (``relaxedResidualsAndGap``), else `slow_progress`.
///
/// A factorization that breaks down is judged by ``afterBreakdown(_:error:iteration:)``.
enum IPMTermination {
    // MARK: Constants

    /// The relaxed tolerance of `almost_optimal` (Clarabel's `reduced_tol_*`, OSQP's
    /// inaccurate solve): primal, dual and gap all ≤ 1e-6.
    static let relaxedTolerance = 1e-6
    /// A measure has improved when it falls below this fraction of its best so far.
    static let improvementFactor = 0.9
    /// Iterations an unmet primal or dual residual may go without improving.
    static let residualStallWindow = 12
    /// Iterations max(primal, dual, gap) may go without improving.
    static let meritStallWindow = 30
    /// A ray (Farkas or primal) is a certificate when its residual is at most this
    /// fraction of its size (``InteriorPointMethod``'s `farkasRay` and `primalRay`).
    static let rayTolerance = 1e-8

    // The primal-regularization strategy (not a stop, but driven by the same memory):
    // a dual residual stalled for ``dualStallWindow`` iterations at ≤ ``dualStallCeiling``,
    // or a gap stalled for ``gapStallWindow`` with both residuals met, divides ρ by
    // ``regularizationDecrease`` down to ``minimumPrimalRegularization``.
    static let dualStallWindow = 8
    static let dualStallCeiling = 1e-4
    static let gapStallWindow = 10
    static let regularizationDecrease = 100.0
    static let minimumPrimalRegularization = 1e-14

    // MARK: Tests that fire (`converged_by`)

    static let residualsAndGap = ConvergenceTest(rawValue: "residuals_and_gap")
    static let relaxedResidualsAndGap = ConvergenceTest(rawValue: "residuals_and_gap_relaxed")
    static let farkasRay = ConvergenceTest(rawValue: "farkas_ray")
    static let primalRay = ConvergenceTest(rawValue: "primal_ray")
    /// The plugin's: a stalled run settled by ``LPDiagnosis``'s auxiliary LPs.
    static let phaseOneLP = ConvergenceTest(rawValue: "phase_one_lp")
    static let rayLP = ConvergenceTest(rawValue: "ray_lp")
    /// The plugin's: presolve decided (no column left, an infeasible row, a free column
    /// whose cost pulls it to an infinite bound).
    static let presolve = ConvergenceTest(rawValue: "presolve")

    // MARK: Tests

    /// Whether primal, dual and gap are all ≤ `tolerance`.
    static func meets(_ info: IPMIterationInfo, _ tolerance: Double) -> Bool {
        info.primalResidual <= tolerance && info.dualResidual <= tolerance && info.relativeGap <= tolerance
    }

    /// Tests 1–4. The rays are asked for only when their residual is unmet (`primalRay` is
    /// nil for a QP).
    static func check(_ info: IPMIterationInfo, tolerance: Double, farkasRay: () -> [Double]?,
                      primalRay: (() -> [Double]?)?) -> IPMVerdict? {
        if !(info.primalObjective.isFinite && info.dualObjective.isFinite && info.mu.isFinite
             && info.primalResidual.isFinite && info.dualResidual.isFinite) {
            return IPMVerdict(.numericalError, by: nil, "non-finite iterate")
        }
        if meets(info, tolerance) { return IPMVerdict(.optimal, by: residualsAndGap, "converged") }
        if info.primalResidual > tolerance, let ray = farkasRay() {
            return IPMVerdict(.infeasible, by: Self.farkasRay, "Farkas certificate found", certificate: ray)
        }
        if info.dualResidual > tolerance, let primalRay, let ray = primalRay() {
            return IPMVerdict(.unbounded, by: Self.primalRay, "primal ray found", certificate: ray)
        }
        return nil
    }

    /// A factorization broke down: `almost_optimal` at relaxed tolerances, else `numerical_error`.
    static func afterBreakdown(_ info: IPMIterationInfo, error: LinearAlgebraError, iteration: Int) -> IPMVerdict {
        if meets(info, relaxedTolerance) {
            return IPMVerdict(.almostOptimal, by: relaxedResidualsAndGap, "factorization broke down near the optimum (\(error))")
        }
        return IPMVerdict(.numericalError, by: nil, "factorization broke down at iteration \(iteration) (\(error))")
    }

    /// The best values seen and when each last improved (test 6 and the ρ strategy).
    struct Progress {
        var bestMerit = Double.infinity, bestPrimal = Double.infinity, bestDual = Double.infinity
        var lastImprovement = 0, lastPrimalImprovement = 0, lastDualImprovement = 0

        /// Records this iteration's measures.
        mutating func update(_ info: IPMIterationInfo, iteration: Int) {
            let merit = max(info.primalResidual, info.dualResidual, info.relativeGap)
            if merit < improvementFactor * bestMerit { bestMerit = merit; lastImprovement = iteration }
            if info.primalResidual < improvementFactor * bestPrimal { bestPrimal = info.primalResidual; lastPrimalImprovement = iteration }
            if info.dualResidual < improvementFactor * bestDual { bestDual = info.dualResidual; lastDualImprovement = iteration }
        }

        /// Whether lowering ρ may help: a dual residual that stalls near the optimum is
        /// often ρ's doing (ρΔx is an error in the dual equation once Δx is large; pilot-ja
        /// solves once it falls, while a smaller ρ from the start breaks agg and dfl001), and
        /// so is a gap that stalls once both residuals are met (xᵀr_d is then what is left
        /// of it: pilot87).
        func regularizationStalled(_ info: IPMIterationInfo, iteration: Int, tolerance: Double) -> Bool {
            let dualStalled = info.dualResidual > tolerance && iteration - lastDualImprovement >= dualStallWindow
                && info.dualResidual <= dualStallCeiling
            let gapStalled = info.primalResidual <= tolerance && info.dualResidual <= tolerance
                && iteration - lastImprovement >= gapStallWindow
            return dualStalled || gapStalled
        }

        /// ρ was lowered: give the dual residual and the merit a fresh window.
        mutating func restartWindows(at iteration: Int) {
            lastDualImprovement = iteration
            lastImprovement = iteration
        }

        /// Test 6; nil while progress goes on.
        func stall(_ info: IPMIterationInfo, iteration: Int, tolerance: Double) -> IPMVerdict? {
            // An infeasible (unbounded) LP shows as a primal (dual) residual that stops
            // falling while μ keeps shrinking; stop early and let the plugin diagnose.
            if (info.primalResidual > tolerance && iteration - lastPrimalImprovement >= residualStallWindow)
                || (info.dualResidual > tolerance && iteration - lastDualImprovement >= residualStallWindow) {
                if meets(info, relaxedTolerance) {
                    return IPMVerdict(.almostOptimal, by: relaxedResidualsAndGap, "residuals stalled at relaxed tolerances")
                }
                return IPMVerdict(.slowProgress, by: nil, "residuals stalled")
            }
            if iteration - lastImprovement >= meritStallWindow {
                if meets(info, relaxedTolerance) {
                    return IPMVerdict(.almostOptimal, by: relaxedResidualsAndGap, "stalled at relaxed tolerances")
                }
                return IPMVerdict(.slowProgress, by: nil, "no progress in \(meritStallWindow) iterations")
            }
            return nil
        }
    }
}
