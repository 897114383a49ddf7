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
        SolverDescriptor(id: "native.kkt", kinds: [.qp], options: [
            OptionSpec("method", default: "auto", "ldlt (sparse LDLᵀ of the KKT matrix), schur (dense Cholesky of S and AᵀS⁻¹A), auto"),
            OptionSpec("regularization", default: "1e-10", "static regularization ρ of the LDLᵀ, relative to max|K_ij| (refined away)"),
            OptionSpec("max_refinement", default: "10", "iterative refinement steps at most"),
        ], summary: "equality-constrained QP by the KKT (saddle-point) system: sparse LDLᵀ or Schur complement")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let eqp = try EqualityConstrainedQP(problem, solver: "native.kkt")
        let options = context.options
        let method = try options.string("method", default: "auto", allowed: ["auto", "ldlt", "schur"])
        let regularization = try options.number("regularization", default: 1e-10)
        guard regularization >= 0, regularization < 1 else {
            throw SolverError.invalidOption(name: "regularization", reason: "must lie in [0, 1), got \(regularization)")
        }
        let maxRefinement = try options.number("max_refinement", default: 10)
        guard maxRefinement >= 0, maxRefinement <= 100, maxRefinement == maxRefinement.rounded() else {
            throw SolverError.invalidOption(name: "max_refinement", reason: "must be an integer in 0...100")
        }
        let n = eqp.variableCount, m = eqp.constraintCount
        let control = context.control
        // Direct work (ordering, factorizations) asks this between columns and panels.
        let shouldStop = { control.checkInterrupt() != nil }
        func stopped(_ status: TerminationStatus? = nil) -> SolveResult {
            eqp.stoppedResult(status ?? control.checkInterrupt() ?? .interrupted, method: "ldlt", control: control)
        }
        var notes: [String] = []
        func record(_ iteration: Int, _ x: [Double], _ y: [Double]) -> TerminationStatus? {
            let (primal, dual) = eqp.residuals(x: x, y: y)
            return control.record(IterationRecord(iteration: iteration, objective: eqp.original.objectiveValue(at: x),
                                                  primalResidual: primal, dualResidual: dual), iterationLimit: Int.max)
        }
        if method != "ldlt" && n <= (method == "schur" ? Int.max : 200) {
            if let cholesky = KKTSystem.wellConditionedCholesky(eqp.hessian) {
                if let (x, y) = KKTSystem.schurSolve(eqp, cholesky: cholesky) {
                    let residual = KKTSystem.residual(eqp, x: x, y: y)
                    if residual <= eqp.kktResidualTolerance {
                        let status = record(0, x, y)
                        let details = KKTDetails(method: "schur", positivePivots: n, negativePivots: m, refinementSteps: 0,
                                                 regularization: 0, residual: residual)
                        return eqp.result(x: x, y: y, status: status ?? .optimal, rawStatus: "Cholesky of S and of AᵀS⁻¹A", details: details)
                    }
                }
                // Dependent (or inconsistent) rows make C S⁻¹Cᵀ singular.
                if method == "schur" { notes.append("method schur: the Schur complement AᵀS⁻¹A is singular (dependent constraints), so the LDLᵀ of the KKT matrix solved the problem") }
            } else if method == "schur" {
                notes.append("method schur needs S positive definite (its Cholesky factorization fails or has a pivot below 1e-12·max|S_ij|), so the LDLᵀ of the KKT matrix solved the problem")
            }
        }
        // On a singular K the pivots of K_ρ = K + ρ·diag(I, −I) are ±ρ-sized, and the growth
        // of L (entries up to ‖K‖/ρ) can flip their signs: an inertia that looks indefinite
        // with ρ = 1e-10 is retried with 1e-8 and 1e-6 before it is called negative
        // curvature. (ρ = 0, if asked for, fails on a zero pivot and moves on the same way.)
        var system: KKTSystem?
        var inertia: (positive: Int, negative: Int)?
        var attempts: [String] = []
        for rho in [regularization] + [1e-10, 1e-8, 1e-6].filter({ $0 > regularization }) {
            let candidate: KKTSystem
            do { candidate = try KKTSystem(eqp, regularization: rho, shouldStop: shouldStop) } catch .interrupted {
                return stopped()
            } catch {
                attempts.append("ρ = \(rho) failed (\(error))")
                continue
            }
            if candidate.positivePivots == n && candidate.negativePivots == m {
                if !attempts.isEmpty {
                    notes.append("the LDLᵀ of K + ρ·diag(I, −I) with \(attempts.joined(separator: ", ")), and with ρ = \(rho) (relative) inertia (\(n), \(m), 0): K is singular or nearly so")
                }
                system = candidate
                break
            }
            inertia = (candidate.positivePivots, candidate.negativePivots)
            attempts.append("ρ = \(rho) had inertia (\(candidate.positivePivots), \(candidate.negativePivots), 0)")
        }
        guard let system else {
            guard let inertia else { return stopped(.numericalError) }
            throw SolverError.unsupported("native.kkt: S is not positive definite on the null space of Aᵀ: the LDLᵀ factorization of the KKT matrix has inertia (\(inertia.positive), \(inertia.negative), 0) but a minimizer needs (\(n), \(m), 0), also with regularization up to 1e-6·max|K_ij|; the stationary point is not a minimum")
        }
        var scratch = Array(repeating: 0.0, count: n + m)
        func solveK(_ v: inout [Double]) { system.factorization.solve(&v, scratch: &scratch) }
        var stop: TerminationStatus?
        let (v, steps, residual) = eqp.refine(rhs: eqp.kktRightHandSide, maxSteps: Int(maxRefinement), solve: solveK) { k, v in
            if stop == nil { stop = record(k, Array(v[0..<n]), v[n...].map { -$0 }) }
        }
        let details = KKTDetails(method: "ldlt", positivePivots: system.positivePivots, negativePivots: system.negativePivots,
                                 refinementSteps: steps, regularization: system.regularization, residual: residual)
        var result: SolveResult
        if (residual.isFinite && residual <= eqp.kktResidualTolerance) || stop != nil {
            result = eqp.result(x: Array(v[0..<n]), y: v[n...].map { -$0 }, status: stop ?? .optimal,
                                rawStatus: "sparse LDLᵀ of the KKT matrix", details: details)
        } else {
            let finding = eqp.diagnoseStalledRefinement(at: v, maxSteps: Int(maxRefinement), solve: solveK)
            result = eqp.singularResult(finding, stalledAt: v, residual: residual, details: details)
        }
        result.notes = notes + result.notes
        return result
    }
}

/// The sparse saddle-point system K = [S Cᵀ; C 0] of an ``EqualityConstrainedQP``
/// (C = Aᵀ of the seed), factored with static regularization and expected signs.
struct KKTSystem {
    let factorization: SparseLDLT
    /// ρ·max|K_ij|.
    let regularization: Double
    let positivePivots: Int
    let negativePivots: Int

    /// `shouldStop` is asked during the ordering and the factorization (`.interrupted`).
    init(_ p: EqualityConstrainedQP, regularization relative: Double, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = p.variableCount, m = p.constraintCount
        let s = p.hessian, c = p.constraints
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var scale = 0.0
        for j in 0..<n {
            triplets.append((j, j, 0))  // every diagonal present, for the regularization
            for k in s.columnStarts[j]..<s.columnStarts[j + 1] where s.rowIndices[k] >= j {
                triplets.append((s.rowIndices[k], j, s.values[k]))
                scale = max(scale, abs(s.values[k]))
            }
            for k in c.columnStarts[j]..<c.columnStarts[j + 1] {
                triplets.append((n + c.rowIndices[k], j, c.values[k]))
                scale = max(scale, abs(c.values[k]))
            }
        }
        for i in 0..<m { triplets.append((n + i, n + i, 0)) }
        let k = try SparseMatrix(rowCount: n + m, columnCount: n + m, triplets: triplets)
        let symbolic = try SparseLDLTSymbolic(pattern: k, shouldStop: shouldStop)
        regularization = relative * max(scale, 1)
        let signs = (0..<(n + m)).map { $0 < n ? 1.0 : -1.0 }
        var factorization = SparseLDLT(symbolic: symbolic, signs: signs,
                                       policy: PivotPolicy(staticRegularization: regularization, pivotTolerance: -.infinity))
        try factorization.factor(k, shouldStop: shouldStop)
        var positive = 0, negative = 0
        for d in factorization.pivots { if d > 0 { positive += 1 } else if d < 0 { negative += 1 } }
        positivePivots = positive
        negativePivots = negative
        self.factorization = factorization
    }

    /// The KKT residual ‖K[x; −y] − [−c; b]‖∞.
    static func residual(_ p: EqualityConstrainedQP, x: [Double], y: [Double]) -> Double {
        let (primal, dual) = p.residuals(x: x, y: y)
        return max(primal, dual)
    }

    /// The dense Cholesky factor of S, or nil when S is not positive definite or a pivot
    /// falls below 1e-12·max|Sᵢⱼ| (then S⁻¹ would amplify rounding beyond use).
    static func wellConditionedCholesky(_ s: SparseMatrix) -> DenseCholesky? {
        guard let factor = try? DenseCholesky(s.dense()) else { return nil }
        var scale = 0.0
        for v in s.values { scale = max(scale, abs(v)) }
        for j in 0..<s.columnCount {
            let pivot = factor.factor[j, j]
            guard pivot * pivot > 1e-12 * scale else { return nil }
        }
        return factor
    }

    /// The Schur-complement route for a positive definite S (dense): returns nil if
    /// AᵀS⁻¹A is not positive definite.
    static func schurSolve(_ p: EqualityConstrainedQP, cholesky: DenseCholesky) -> (x: [Double], y: [Double])? {
        let n = p.variableCount, m = p.constraintCount
        let ct = p.constraints.transposed()  // n × m: column i is row i of C
        var sInverseCt: [[Double]] = []      // columns S⁻¹cᵢ
        sInverseCt.reserveCapacity(m)
        for i in 0..<m {
            var column = Array(repeating: 0.0, count: n)
            for k in ct.columnStarts[i]..<ct.columnStarts[i + 1] { column[ct.rowIndices[k]] = ct.values[k] }
            sInverseCt.append(cholesky.solve(column))
        }
        let sInverseC = cholesky.solve(p.cost)
        // M = C S⁻¹ Cᵀ, r = b + C S⁻¹ c; then Mλ = −r and y = −λ, so M y = r.
        var schur = DenseMatrix(rows: m, columns: m)
        for i in 0..<m {
            let column = p.constraints.multiply(sInverseCt[i])
            for k in 0..<m { schur[k, i] = column[k] }
        }
        for i in 0..<m { for k in 0..<i { let v = 0.5 * (schur[i, k] + schur[k, i]); schur[i, k] = v; schur[k, i] = v } }
        let csc = p.constraints.multiply(sInverseC)
        let r = (0..<m).map { p.rightHandSide[$0] + csc[$0] }
        var y = Array(repeating: 0.0, count: m)
        if m > 0 {
            guard let factor = try? DenseCholesky(schur) else { return nil }
            y = factor.solve(r)
        }
        // x = S⁻¹(Cᵀy − c).
        let cty = p.constraints.transposeMultiply(y)
        let x = cholesky.solve((0..<n).map { cty[$0] - p.cost[$0] })
        return (x, y)
    }
}
