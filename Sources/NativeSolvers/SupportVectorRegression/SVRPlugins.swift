import LagrangeCore
import LinearAlgebra

/// `native.smo`: sequential minimal optimization for ε-support vector regression.
///
/// **With bias** (libsvm's form) it solves, over the 2n variables z = (α, α*),
///
///     min ½ zᵀQz + pᵀz   s.t.  Σ sₜ zₜ = 0,  0 ≤ zₜ ≤ C,
///
/// with sₜ = +1 for αᵢ and −1 for αᵢ*, Qₜᵤ = sₜ sᵤ K(xᵢ, xⱼ) and pₜ = ε − sₜ yᵢ, i.e.
/// min ½βᵀKβ − βᵀy + ε Σ(αᵢ + αᵢ*) with β = α − α*. Each iteration picks the pair with
/// libsvm's second-order working-set selection (WSS3 of Fan, Chen & Lin, 2005), solves
/// the two-variable subproblem in closed form and updates the gradient with two kernel
/// columns. Shrinking (Joachims 1998, as in libsvm) drops variables stuck at a bound;
/// the gradient is reconstructed before the final optimality test. The intercept is
/// b = −ρ, with ρ the mean of sₜ∇ₜ over free variables (midpoint of the bounds if none).
///
/// **Without bias** (min ½βᵀKβ − βᵀy + ε‖β‖₁, |βᵢ| ≤ C; no equality constraint) it runs
/// greedy coordinate descent on β: each iteration minimizes the objective exactly in the
/// one coordinate whose minimization decreases it most (second-order selection) and
/// updates the residual with one kernel column.
///
/// Termination: `optimal` when the maximal KKT violation (the maximal violating pair's
/// gap m(α) − M(α) with bias; the largest minimal-norm subgradient entry without) is
/// below `tolerance` (default 1e-3, libsvm's `-e`); else a limit status. Kernel columns
/// come from an LRU cache bounded by `cache_mb`.
///
/// References: R.-E. Fan, P.-H. Chen, C.-J. Lin, "Working set selection using second
/// order information for training SVM", JMLR 6 (2005); C.-C. Chang, C.-J. Lin, "LIBSVM:
/// a library for support vector machines", ACM TIST 2 (2011).
package struct SMOSolver: SolverPlugin {
    package init() {}

    package static let defaultTolerance = 1e-3
    package static let defaultCacheMegabytes = 200.0
    /// History extras, in this order.
    package static let extraKeys = ["max_kkt_violation", "support_vectors", "cache_hit_rate", "active_size"]

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.smo", kinds: [.svr], options: SMOSettings.optionSpecs, summary: "SMO with second-order working-set selection, shrinking and a kernel cache (libsvm's algorithm); bias-free form by greedy coordinate descent")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .supportVectorRegression(let svr) = problem else { throw SolverError.unsupported("native.smo solves kind svr only") }
        let settings = try SMOSettings(options: context.options)
        let cache = KernelColumnCache(features: svr.training.features, kernel: svr.kernel, budgetBytes: settings.cacheMegabytes * 1_048_576)
        let outcome: SVROutcome
        if svr.bias {
            outcome = PairwiseSMO(problem: svr, cache: cache, tolerance: settings.tolerance, shrinking: settings.shrinking,
                                  control: context.control).run()
        } else {
            outcome = BiasFreeCoordinateDescent(problem: svr, cache: cache, tolerance: settings.tolerance, control: context.control).run()
        }
        return SVRResultBuilder.result(problem: svr, outcome: outcome, linearWeights: nil)
    }
}

/// `native.linear-svr`: dual coordinate descent for linear ε-SVR (liblinear's
/// L2-regularized L1-loss SVR dual, Ho & Lin 2012), for large n with a linear kernel.
///
/// It solves the bias-free dual min ½βᵀXXᵀβ − βᵀy + ε‖β‖₁, |βᵢ| ≤ C, keeping w = Xᵀβ so
/// that one coordinate update costs O(d) instead of a kernel column: each epoch visits the
/// active coordinates in a seeded random order, takes the exact one-dimensional minimizer
/// (soft threshold, clipped to the box) and shrinks coordinates that sit at 0 or ±C with
/// a gradient pointing outward beyond the previous epoch's maximal violation.
///
/// With `bias: true` the intercept is handled as liblinear's `-B`: a constant feature of
/// value `bias_feature` (default 1) is appended, so b = w₀·B is regularized with w. That is
/// not libsvm's unregularized intercept (use `native.smo` for that); the result says so.
///
/// Termination: `optimal` when the maximal KKT violation over all coordinates (checked
/// again after unshrinking) is below `tolerance` (default 1e-3); else a limit status.
///
/// Reference: C.-H. Ho, C.-J. Lin, "Large-scale linear support vector regression",
/// JMLR 13 (2012).
package struct LinearSVRSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.linear-svr", kinds: [.svr], options: LinearSVRSettings.optionSpecs,
                         summary: "dual coordinate descent for linear-kernel SVR (liblinear's method), seeded random order with shrinking", usesSeed: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .supportVectorRegression(let svr) = problem else { throw SolverError.unsupported("native.linear-svr solves kind svr only") }
        guard svr.kernel == .linear else {
            throw SolverError.unsupported("native.linear-svr needs kernel: linear (got \(svr.kernel.typeName)); use native.smo")
        }
        let settings = try LinearSVRSettings(options: context.options)
        return LinearSVRDualCoordinateDescent.run(svr, settings: settings, control: context.control, seed: context.options.effectiveSeed)
    }
}
