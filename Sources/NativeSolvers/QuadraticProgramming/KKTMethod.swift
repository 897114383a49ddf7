import LagrangeCore
import LinearAlgebra

/// `native.kkt`'s solve of an ``EqualityConstrainedQP`` (the method is described on
/// ``NativeKKTSolver``): the Schur-complement route when the settings allow it and S is
/// well conditioned, else the regularized sparse LDLᵀ of K (``KKTSystem``) with retries
/// on a suspicious inertia, iterative refinement, and the singular-case diagnosis. The
/// history holds one record per solve (the first and each refinement step).
enum KKTMethod {
    static func solve(_ eqp: EqualityConstrainedQP, settings: KKTSettings, context: SolveContext) throws -> SolveResult {
        let method = settings.method, regularization = settings.regularization, maxRefinement = settings.maxRefinement
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
        if method != .ldlt && n <= (method == .schur ? Int.max : 200) {
            if let cholesky = KKTSystem.wellConditionedCholesky(eqp.hessian) {
                if let (x, y) = KKTSystem.schurSolve(eqp, cholesky: cholesky) {
                    let residual = KKTSystem.residual(eqp, x: x, y: y)
                    if KKTTermination.solved(residual: residual, tolerance: eqp.kktResidualTolerance) {
                        let status = record(0, x, y)
                        let details = KKTDetails(method: "schur", positivePivots: n, negativePivots: m, refinementSteps: 0,
                                                 regularization: 0, residual: residual)
                        return eqp.result(x: x, y: y, status: status ?? .optimal, rawStatus: "Cholesky of S and of AᵀS⁻¹A", details: details)
                    }
                }
                // Dependent (or inconsistent) rows make C S⁻¹Cᵀ singular.
                if method == .schur { notes.append("method schur: the Schur complement AᵀS⁻¹A is singular (dependent constraints), so the LDLᵀ of the KKT matrix solved the problem") }
            } else if method == .schur {
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
        let (v, steps, residual) = eqp.refine(rhs: eqp.kktRightHandSide, maxSteps: maxRefinement, solve: solveK) { k, v in
            if stop == nil { stop = record(k, Array(v[0..<n]), v[n...].map { -$0 }) }
        }
        let details = KKTDetails(method: "ldlt", positivePivots: system.positivePivots, negativePivots: system.negativePivots,
                                 refinementSteps: steps, regularization: system.regularization, residual: residual)
        var result: SolveResult
        if KKTTermination.solved(residual: residual, tolerance: eqp.kktResidualTolerance) || stop != nil {
            result = eqp.result(x: Array(v[0..<n]), y: v[n...].map { -$0 }, status: stop ?? .optimal,
                                rawStatus: "sparse LDLᵀ of the KKT matrix", details: details)
        } else {
            let finding = eqp.diagnoseStalledRefinement(at: v, maxSteps: maxRefinement, solve: solveK)
            result = eqp.singularResult(finding, stalledAt: v, residual: residual, details: details)
        }
        result.notes = notes + result.notes
        return result
    }
}
