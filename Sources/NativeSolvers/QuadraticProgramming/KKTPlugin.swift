import LagrangeCore
import LinearAlgebra

/// `native.kkt`: the equality-constrained QP of the seed model,
///
///     min ½xᵀSx + cᵀx + c₀   s.t.   Aᵀx = b      (in the LP form: rows Cx = b, C = Aᵀ; x free)
///
/// solved in one shot through its saddle-point (KKT) system [S A; Aᵀ 0][x; λ] = [−c; b].
/// Reported duals are shadow prices ∂F*/∂b = −λ (L = F + λᵀ(Aᵀx − b)).
///
/// Methods (option `method`):
/// - `ldlt`: sparse LDLᵀ of K_ρ = K + diag(ρI, −ρI) with a minimum-degree ordering and no
///   pivot replacement, then iterative refinement against the unregularized K until the
///   residual stops falling (≤ `max_refinement` steps). By Sylvester's law the pivot
///   signs are the inertia of K_ρ, which is (n, m, 0) exactly when S + ρI + Aρ⁻¹Aᵀ is
///   positive definite, i.e. (for small ρ, Finsler's lemma) when S is positive definite
///   on the null space of Aᵀ (Gould, "On practical conditions for the existence and
///   uniqueness of solutions to the general equality quadratic programming problem",
///   Math. Prog. 32, 1985). Fewer than n positive pivots is reported as negative curvature.
/// - `schur`: dense Cholesky of S (must be positive definite) and of the Schur complement
///   AᵀS⁻¹A: λ = −(AᵀS⁻¹A)⁻¹(b + AᵀS⁻¹c), x = −S⁻¹(c + Aλ) (Nocedal & Wright, §16.2).
/// - `auto` (default): `schur` when n ≤ 200 and S is positive definite, else `ldlt`.
///
/// Singular K (dependent or inconsistent equalities, S only positive semidefinite on the
/// null space of Aᵀ) is not an error: ρ > 0 keeps K_ρ quasi-definite when S is positive
/// semidefinite there, so the LDLᵀ exists with the expected signs; the refinement then
/// reaches the residual tolerance exactly when the system is consistent (`optimal`, a
/// minimizer that may not be unique), and otherwise
/// ``EqualityConstrainedQP/diagnoseStalledRefinement(at:maxSteps:solve:)`` reads a Farkas
/// vector (`infeasible`) or a ray with Sd = 0 (`unbounded`) off K_ρ⁻¹ of the stalled
/// residual, verified before it is claimed (`numerical_error` when neither holds). Fewer
/// than n positive pivots (negative curvature on the null space: the stationary point is
/// not a minimum) throws ``SolverError/unsupported(_:)``. `schur` needs S positive
/// definite and C S⁻¹Cᵀ nonsingular; when either fails (or its residual misses the
/// tolerance) the `ldlt` route solves the problem, with a note.
/// The history holds one record per solve (the first and each refinement step).
package struct NativeKKTSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.kkt", kinds: [.qp], options: KKTSettings.optionSpecs,
                         summary: "equality-constrained QP by the KKT (saddle-point) system: sparse LDLᵀ or Schur complement")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let eqp = try EqualityConstrainedQP(problem, solver: "native.kkt")
        let settings = try KKTSettings(options: context.options)
        return try KKTMethod.solve(eqp, settings: settings, context: context)
    }
}
