import CGSL
import LagrangeCore
import LinearAlgebra

/// `gsl.kkt`: the equality-constrained QP min ½xᵀSx + cᵀx + c₀ s.t. Aᵀx = b (x free),
/// solved densely with GSL as a cross-check of `native.kkt`.
///
/// Algorithm: the dense KKT matrix K = [S A; Aᵀ 0] (order n + m) is built once; its
/// inertia comes from its eigenvalues (`gsl_eigen_symm`, symmetric QR), counted with a
/// zero threshold (n + m)·ε·max|eigenvalue|; a minimizer needs exactly (n, m, 0). Then
/// K[x; λ] = [−c; b] is solved by LU with partial pivoting (`gsl_linalg_LU_decomp`,
/// `_solve`) and one step of iterative refinement (`gsl_linalg_LU_refine`). Duals are
/// the shadow prices ∂F*/∂b = −λ. GSL's abort handler is switched off and every return
/// code is checked; a GSL failure is `numerical_error`. An inertia other than (n, m, 0)
/// throws ``SolverError/unsupported(_:)`` saying which condition fails. O((n + m)³) work
/// and O((n + m)²) memory: meant for small problems (refused above 3000 unknowns).
public struct GSLKKTSolver: SolverPlugin {
    public init() {}

    public var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.kkt", kinds: [.qp], options: [],
                         summary: "equality-constrained QP by GSL dense LU of the KKT matrix, inertia from its eigenvalues")
    }

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try EqualityConstrainedQP(problem, solver: "gsl.kkt")
        let n = p.variableCount, m = p.constraintCount, order = n + m
        guard order <= 3000 else {
            throw SolverError.unsupported("gsl.kkt: the dense KKT matrix would be \(order)×\(order); use native.kkt for large problems")
        }
        gsl_set_error_handler_off()
        guard let k = GSLMatrix(rows: order, columns: order), let copy = GSLMatrix(rows: order, columns: order),
              let lu = GSLMatrix(rows: order, columns: order), let eigenvalues = GSLVector(count: order),
              let rhs = GSLVector(count: order), let solution = GSLVector(count: order), let work = GSLVector(count: order),
              let permutation = gsl_permutation_alloc(order), let eigenWork = gsl_eigen_symm_alloc(order) else {
            return failure(p, "GSL could not allocate the \(order)×\(order) KKT workspace")
        }
        defer { gsl_permutation_free(permutation); gsl_eigen_symm_free(eigenWork) }
        for j in 0..<n {
            p.hessian.forEachEntry(inColumn: j) { i, v in k[i, j] = v }
            p.constraints.forEachEntry(inColumn: j) { i, v in k[n + i, j] = v; k[j, n + i] = v }
        }
        for i in 0..<order { for j in 0..<order { copy[i, j] = k[i, j]; lu[i, j] = k[i, j] } }

        // Inertia (the eigen routine destroys its input, hence the copy).
        let eigenStatus = gsl_eigen_symm(copy.pointer, eigenvalues.pointer, eigenWork)
        guard eigenStatus == GSL_SUCCESS else { return failure(p, "gsl_eigen_symm: \(message(eigenStatus))") }
        var largest = 0.0
        for i in 0..<order { largest = max(largest, abs(eigenvalues[i])) }
        let zero = Double(order) * Double.ulpOfOne * max(largest, 1e-300)
        var positive = 0, negative = 0, zeros = 0
        for i in 0..<order {
            let e = eigenvalues[i]
            if e > zero { positive += 1 } else if e < -zero { negative += 1 } else { zeros += 1 }
        }
        if zeros > 0 {
            throw SolverError.unsupported("gsl.kkt: the KKT matrix is singular: inertia (\(positive), \(negative), \(zeros)) has \(zeros) zero eigenvalue(s) — the equality constraints are linearly dependent, or S is only positive semidefinite on the null space of Aᵀ")
        }
        if positive != n || negative != m {
            throw SolverError.unsupported("gsl.kkt: S is not positive definite on the null space of Aᵀ: the KKT matrix has inertia (\(positive), \(negative), 0), a minimizer needs (\(n), \(m), 0)")
        }

        for j in 0..<n { rhs[j] = -p.cost[j] }
        for i in 0..<m { rhs[n + i] = p.rightHandSide[i] }
        var signum: Int32 = 0
        let decomposed = gsl_linalg_LU_decomp(lu.pointer, permutation, &signum)
        guard decomposed == GSL_SUCCESS else { return failure(p, "gsl_linalg_LU_decomp: \(message(decomposed))") }
        let solved = gsl_linalg_LU_solve(lu.pointer, permutation, rhs.pointer, solution.pointer)
        guard solved == GSL_SUCCESS else { return failure(p, "gsl_linalg_LU_solve: \(message(solved))") }
        let refined = gsl_linalg_LU_refine(k.pointer, lu.pointer, permutation, rhs.pointer, solution.pointer, work.pointer)
        guard refined == GSL_SUCCESS else { return failure(p, "gsl_linalg_LU_refine: \(message(refined))") }

        let x = (0..<n).map { solution[$0] }
        let y = (0..<m).map { -solution[n + $0] }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return failure(p, "non-finite solution from LU") }
        let (primal, dual) = p.residuals(x: x, y: y)
        let stop = context.control.record(IterationRecord(iteration: 0, objective: p.original.objectiveValue(at: x),
                                                          primalResidual: primal, dualResidual: dual), iterationLimit: Int.max)
        let details = KKTDetails(method: "gsl.lu", positivePivots: positive, negativePivots: negative, refinementSteps: 1,
                                 regularization: 0, residual: max(primal, dual))
        return p.result(x: x, y: y, status: stop ?? .optimal, rawStatus: "GSL LU of the KKT matrix", details: details)
    }

    private func failure(_ p: EqualityConstrainedQP, _ raw: String) -> SolveResult {
        let lp = p.original.linear
        return SolveResult(kind: .qp, status: .numericalError, rawStatus: raw, objective: nil, variableNames: lp.variableNames,
                           primal: Array(repeating: 0, count: lp.columnCount), constraintNames: lp.constraintNames,
                           iterations: 0)
    }

    private func message(_ code: Int32) -> String {
        guard let text = gsl_strerror(code) else { return "GSL error \(code)" }
        return "\(String(cString: text)) (GSL error \(code))"
    }
}
