import Foundation
import LagrangeCore
import LinearAlgebra

/// `native.lbfgsb`: L-BFGS-B (``LBFGSBEngine``) on a bound-constrained nonlinear program
/// (kind `nlp` without `subject_to`). One history record per iteration with the projected
/// gradient as the stationarity residual.
///
/// Statuses: `locally_optimal` (`optimal` for a known-convex objective) when
/// ‖P(x − ∇F) − x‖∞ ≤ tolerance·max(1, |F|) (tolerance default 1e-8); `almost_optimal` or
/// `slow_progress` when the line search or f stalls first (within √tolerance or not);
/// `unbounded` when F falls below −1e20 in the box (noted: not a proof); the limits.
package struct LBFGSBSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.lbfgsb", kinds: [.nlp],
        options: LBFGSBSettings.optionSpecs,
        summary: "L-BFGS-B: limited-memory BFGS with bounds (generalized Cauchy point, subspace minimization)")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .nonlinear(let program) = problem else { throw SolverError.unsupported("expected a nonlinear program") }
        guard program.constraints.isEmpty else {
            throw SolverError.unsupported("native.lbfgsb takes bounds only; this problem has \(program.constraints.count) constraints (use native.interior-point or native.augmented-lagrangian)")
        }
        let settings = try LBFGSBSettings(options: context.options)
        let memory = settings.memory, tolerance = settings.tolerance
        let evaluation = NLPEvaluation(program)
        let engine = LBFGSBEngine(lower: program.lowerBounds, upper: program.upperBounds, memory: memory)
        let control = context.control
        let limit = control.iterationLimit(default: 10_000)
        let convexObjective = evaluation.sign > 0 ? program.objective.isConvex : program.objective.isConcave
        var start = program.start
        var offset = 0, escapes = 0, tightenings = 0
        var engineTolerance = tolerance, relativeToF = true
        var state: LBFGSBEngine.State, outcome: LBFGSBEngine.Outcome
        while true {
            (state, outcome) = engine.minimize({ evaluation.objective($0, &$1) }, start: start, tolerance: engineTolerance,
                                               relativeToF: relativeToF, maxIterations: limit - offset) { state, pg in
                control.record(IterationRecord(iteration: offset + state.iterations, objective: evaluation.sign * state.f, primalResidual: 0,
                                               dualResidual: pg / max(1, abs(state.f)), gradientNorm: pg, extras: evaluation.counters),
                               iterationLimit: limit)
            }
            // The test relative to max(1, |f|) is loose where f is huge (≈ 1e12 at a vertex of
            // Brown's function in a box passed it with the gradient pointing inside): where the
            // KKT measures, relative to the gradient, disagree, go on against max(1, ‖∇F‖∞).
            if outcome == .converged, tightenings < 3 {
                let measures = NLPOptimality(evaluation, x: state.x, gradient: state.gradient, values: [], jacobian: [], multipliers: [])
                if measures.stationarity + measures.complementarity > NLPTermination.kktAgreement {
                    tightenings += 1
                    offset += state.iterations + 1
                    start = state.x
                    engineTolerance = tolerance * max(1, state.gradient.reduce(0) { max($0, abs($1)) })
                    relativeToF = false
                    continue
                }
            }
            // A stationary point is not yet a minimum: with an exact Hessian, negative
            // curvature over the variables off their bounds is followed, then L-BFGS-B restarts.
            guard outcome == .converged, !convexObjective, escapes < 20,
                  let step = curvatureEscape(program, evaluation, at: state) else { break }
            escapes += 1
            offset += state.iterations + 1
            start = step
            _ = control.record(IterationRecord(iteration: offset, objective: evaluation.sign * evaluation.objective(step, &state.gradient),
                                               extras: [Metric("negative_curvature", 1)] + evaluation.counters), iterationLimit: limit)
        }
        state.iterations += offset
        let optimality = NLPOptimality(evaluation, x: state.x, gradient: state.gradient, values: [], jacobian: [], multipliers: [])
        let convex = evaluation.sign > 0 ? program.objective.isConvex : program.objective.isConcave
        let (status, raw) = NLPTermination.afterLBFGSB(outcome, convex: convex, stationary: optimality.stationarity + optimality.complementarity,
                                                    tolerance: tolerance)
        var result = evaluation.result(status, raw, x: state.x, objective: state.f, multipliers: [], optimality: optimality,
                                       iterations: state.iterations, convergedBy: NLPTermination.projectedGradient)
        if status == .unbounded { result.notes.append("f fell below −1e20 inside the bounds: unbounded below as far as iterates can tell (not proved)") }
        return result
    }
}

extension LBFGSBSolver {
    /// From a point that passed the projected-gradient test: with an exact Hessian and
    /// n ≤ 200, a direction of negative curvature of ∇²F over the variables strictly inside
    /// their bounds (``Cholesky/negativeCurvature(_:n:shouldStop:)``), and the point
    /// P(x + td) for the largest t of 1, ½, … whose F is below F(x) by ¼ of t²|κ|/2; nil when
    /// the reduced Hessian is positive semidefinite within its tolerance.
    func curvatureEscape(_ program: NonlinearProgram, _ evaluation: NLPEvaluation, at state: LBFGSBEngine.State) -> [Double]? {
        let n = program.variableCount
        guard program.objective.hasExactHessian, n <= SmoothCertificateChecker.maximumDimension,
              var h = program.objective.hessian(at: state.x) else { return nil }
        if evaluation.sign < 0 { for i in h.indices { h[i] = -h[i] } }
        let free = (0..<n).filter { state.x[$0] > program.lowerBounds[$0] && state.x[$0] < program.upperBounds[$0] }
        guard !free.isEmpty else { return nil }
        let k = free.count
        var reduced = Array(repeating: 0.0, count: k * k)
        for (a, i) in free.enumerated() { for (b, j) in free.enumerated() { reduced[a * k + b] = h[i * n + j] } }
        guard let (direction, curvature) = Cholesky.negativeCurvature(reduced, n: k) else { return nil }
        var d = Array(repeating: 0.0, count: n)
        for (a, i) in free.enumerated() { d[i] = direction[a] }
        if Vector.dot(d, state.gradient) > 0 { d = d.map { -$0 } }
        var gradient = Array(repeating: 0.0, count: n)
        var t = 1.0
        for _ in 0..<60 {
            let trial = (0..<n).map { min(max(state.x[$0] + t * d[$0], program.lowerBounds[$0]), program.upperBounds[$0]) }
            if evaluation.objective(trial, &gradient) <= state.f + 0.125 * t * t * curvature { return trial }
            t *= 0.5
        }
        return nil
    }
}

/// `native.augmented-lagrangian`: the Powell–Hestenes–Rockafellar augmented Lagrangian with
/// bound constraints kept in the subproblem, in the manner of ALGENCAN (Andreani, Birgin,
/// Martínez & Schuverdt, SIAM J. Optim. 18, 2007; Birgin & Martínez, *Practical Augmented
/// Lagrangian Methods*, 2014). Each outer iteration minimizes
///
///     L_ρ(x) = F(x) + Σ_eq [λᵢ(gᵢ − bᵢ) + ρ/2 (gᵢ − bᵢ)²] + Σ_ineq 1/(2ρ)[max(0, μᵢ + ρcᵢ)² − μᵢ²]
///
/// over the box with L-BFGS-B (cᵢ = gᵢ − uᵢ and lᵢ − gᵢ for the finite sides), to a
/// tolerance that tightens with the outer iterations; then λ ← λ + ρ(g − b),
/// μ ← max(0, μ + ρc), and ρ ← 10ρ when the infeasibility-complementarity measure did not
/// halve. Chosen as the second method because its subproblems are the bound-constrained
/// problems L-BFGS-B solves, so it shares no Hessian or KKT factorization with the
/// interior point and cross-checks it independently.
///
/// Statuses: `locally_optimal` when feasibility, stationarity and complementarity are all
/// ≤ tolerance (default 1e-8, relative); `infeasible` when the penalty has grown past 1e10
/// while the constraints stay violated and the constraints are convex (`<=` of a convex g,
/// `>=` of a concave g, `==` of an affine g), with the multipliers as a certificate: by
/// convexity Σyᵢcᵢ(x) ≥ Σyᵢcᵢ(x*) + (Σyᵢ∇cᵢ(x*))ᵀ(x − x*) > 0 on the whole box; without
/// convexity such a point is only locally infeasible: `slow_progress`, with a note;
/// `unbounded` when F falls below −1e20 at a feasible point (noted: not a proof).
package struct AugmentedLagrangianSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.augmented-lagrangian", kinds: [.nlp], options: AugmentedLagrangianSettings.optionSpecs,
        summary: "augmented Lagrangian (PHR, ALGENCAN-style) with L-BFGS-B subproblems over the bounds")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .nonlinear(let program) = problem else { throw SolverError.unsupported("expected a nonlinear program") }
        return AugmentedLagrangianMethod(settings: try AugmentedLagrangianSettings(options: context.options))
            .run(program, control: context.control)
    }
}

/// `native.interior-point`: a primal-dual interior-point method for nonlinear programs in
/// the manner of Ipopt (Wächter & Biegler, "On the implementation of an interior-point
/// filter line-search algorithm for large-scale nonlinear programming", Math. Prog. 106,
/// 2006), on ``InteriorPointWorkspace``'s form min F̃(x) s.t. c̃(w) = 0, lo ≤ w ≤ up:
///
/// - log barrier on every finite bound, monotone (Fiacco–McCormick) μ: once the barrier
///   problem's error is ≤ 10μ, μ ← max(μ_min, min(0.2μ, μ^1.5));
/// - Newton steps on the primal-dual equations with the exact Lagrangian Hessian (the AD
///   tape of the Expressions module), factored by the dense Bunch–Kaufman LDLᵀ
///   (``DenseSymmetricIndefinite``), whose inertia drives Ipopt's correction: δ_w added to
///   the Hessian until the inertia is (size, m, 0), δ_c on the constraints when they are
///   dependent (dense is enough for the sizes of the Hock–Schittkowski set; the project's
///   sparse LDLᵀ pivots statically and cannot report a trustworthy inertia);
/// - fraction to the boundary τ = max(0.99, 1 − μ) for w and for the bound multipliers;
/// - Ipopt's filter line search on (θ = ‖c̃‖₁, barrier φ_μ) with the switching rule and
///   Armijo condition, and up to four second-order corrections when the first trial step
///   increases θ;
/// - a simpler restoration phase than Ipopt's: Levenberg–Marquardt steps on ½‖c̃‖₂²
///   (kept inside the bounds by the fraction to the boundary) until θ has fallen by 10 % and
///   the point is acceptable to the filter. When those steps stall with θ > 0 the point is a
///   stationary point of the infeasibility: `infeasible` with the augmented Lagrangian's
///   convexity certificate where the constraints are convex, else `slow_progress` with a note.
///
/// Statuses: `optimal` / `locally_optimal` when the result's feasibility, stationarity and
/// complementarity (``NLPOptimality``, relative) are all ≤ tolerance (1e-8) — `locally_optimal`
/// only when the KKT matrix at the point, with the final multipliers and no more shift than
/// 1e-8 relative, has inertia (size, m, 0): the Lagrangian Hessian is positive semidefinite
/// (within that tolerance) on the tangent space of the active constraints and bounds; when it
/// is not, `stationary_point`. Without exact Hessians the claim carries the note that
/// second-order conditions were not checked. `almost_optimal` after 15 iterations in a row
/// with every measure ≤ 1e-6 (Ipopt's acceptable level); `unbounded` when F < −1e20 at a point
/// feasible to tolerance (noted: not a proof); the limits. Multipliers are the augmented
/// Lagrangian's shadow prices, built by the same ``NLPEvaluation/result``.
package struct NonlinearInteriorPointSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.interior-point", kinds: [.nlp], options: InteriorPointSettings.optionSpecs,
        summary: "primal-dual interior point for NLP (Ipopt-style): exact Lagrangian Hessian, inertia correction, filter line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .nonlinear(let program) = problem else { throw SolverError.unsupported("expected a nonlinear program") }
        let settings = try InteriorPointSettings(options: context.options)
        let workspace = InteriorPointWorkspace(NLPEvaluation(program), settings: settings)
        var run = InteriorPointRun(workspace, settings: settings, control: context.control)
        return try run.solve()
    }
}

/// Every native nonlinear-programming method, for registration.
package enum NativeNonlinearSolvers {
    package static let all: [any SolverPlugin] = [LBFGSBSolver(), AugmentedLagrangianSolver(), NonlinearInteriorPointSolver()]
}
