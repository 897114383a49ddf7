import LagrangeCore

/// Settings of `native.interior-point` (``NonlinearInteriorPointSolver``). The defaults are
/// Ipopt's (Wächter & Biegler, Math. Prog. 106, 2006, Table 1 and §3) unless a comment says
/// otherwise.
package struct InteriorPointSettings: Sendable, Equatable {
    /// Relative feasibility, stationarity and complementarity (the measures of the result's
    /// KKT residuals) to claim a local minimum (`tolerance`). Default 1e-8.
    package var tolerance = 1e-8
    /// Iteration limit (`max_iterations`). Default 3000 (Ipopt's).
    package var maxIterations = 3000
    /// Initial barrier parameter (`mu_init`). Default 1, not Ipopt's 0.1: on the shared nlp
    /// set (with κ_d = 1e-4) μ₀ = 1 reached the reference minimum on 71 of 77 problems, 0.5 on 69 and 0.1 on 68
    /// (hs016, hs044 and hs108 have other local minima; a larger first barrier keeps the
    /// early iterates nearer the analytic center, and from there the path found the better
    /// one). A measured choice on 77 problems, not a law: docs/nonlinear.md.
    package var initialBarrier = 1.0
    /// The variables' bounds are relaxed by this fraction of max(1, |bound|) (`bound_relax`);
    /// the returned point is put back into the original bounds. Default 0: Ipopt's 1e-8
    /// left hs071 1.5e-8 infeasible once x was put back, and 1e-10 still 2e-7 on hs114 (a
    /// ratio with a variable at 1e-5). A fixed variable (lower = upper) is always relaxed by
    /// at least 1e-10, so that it has an interior.
    package var boundRelaxation = 0.0
    /// Scale f and each constraint so that its gradient at the start is at most this in
    /// max-norm (`scaling_gradient`, Ipopt's gradient-based scaling); 0 turns scaling off.
    /// Default 100.
    package var scalingGradient = 100.0
    /// Barrier decrease: μ ← max(μ_min, min(κ_μ·μ, μ^θ_μ)). κ_μ = 0.2, θ_μ = 1.5.
    let barrierFactor = 0.2, barrierPower = 1.5
    /// The barrier subproblem is solved when its error is ≤ κ_ε·μ.
    let barrierSubproblemFactor = 10.0
    /// Fraction to the boundary: τ = max(τ_min, 1 − μ).
    let minimumBoundaryFraction = 0.99
    /// Filter margins γ_θ, γ_φ, the switching rule's δ, s_θ, s_φ, Armijo's η.
    let filterTheta = 1e-5, filterPhi = 1e-8, switching = 1.0, switchingTheta = 1.1, switchingPhi = 2.3, armijo = 1e-4
    /// At most this many second-order corrections per line search, each reducing θ by κ_soc.
    let maximumCorrections = 4, correctionReduction = 0.99
    /// The damping κ_d·μ·(w − bound) on variables with one finite bound, against drift.
    /// 1e-2, not Ipopt's 1e-4: on the shared nlp set κ_d = 1e-4 and 1e-3 left hs109 at
    /// `slow_progress` (its one-sided x₁, x₂ and slacks drift while the filter cuts the steps
    /// to 1e-4), 1e-2 solves it (72/77), 1e-1 solves it but loses hs044 to another local
    /// minimum (71/77). Measured on 77 problems: docs/nonlinear.md.
    let boundDamping = 1e-2
    /// A bound multiplier stays within [μ/(κ_Σ·d), κ_Σ·μ/d] of the primal-dual central value.
    let multiplierSafeguard = 1e10

    package init() {}

    /// Reads the settings from solve options, validating each.
    package init(options: SolveOptions) throws(SolverError) {
        if let t = options.tolerance {
            guard t > 0, t < 1 else { throw .invalidOption(name: "tolerance", reason: "must lie in (0, 1), got \(t)") }
            tolerance = t
        }
        if let k = options.maxIterations { maxIterations = k }
        initialBarrier = try options.number("mu_init", default: initialBarrier)
        guard initialBarrier > 0, initialBarrier.isFinite else { throw .invalidOption(name: "mu_init", reason: "must be > 0") }
        boundRelaxation = try options.number("bound_relax", default: boundRelaxation)
        guard boundRelaxation >= 0, boundRelaxation < 1e-2 else { throw .invalidOption(name: "bound_relax", reason: "must lie in [0, 0.01)") }
        scalingGradient = try options.number("scaling_gradient", default: scalingGradient)
        guard scalingGradient >= 0, scalingGradient.isFinite else { throw .invalidOption(name: "scaling_gradient", reason: "must be ≥ 0") }
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs: [OptionSpec] = [
        OptionSpec("mu_init", default: "1", "initial barrier parameter"),
        OptionSpec("bound_relax", default: "0", "relax each variable bound by this fraction of max(1, |bound|) (the result is put back inside; fixed variables by at least 1e-10)"),
        OptionSpec("scaling_gradient", default: "100", "scale f and each constraint so its gradient at the start is at most this (0: no scaling)"),
    ]
}
