import CGSL
import LagrangeCore
import LinearAlgebra

/// `gsl.kkt`: the equality-constrained QP min ½xᵀSx + cᵀx + c₀ s.t. Aᵀx = b (x free),
/// solved densely with GSL as a cross-check of `native.kkt`.
///
/// Algorithm: the dense KKT matrix K = [S A; Aᵀ 0] (order N = n + m) is built once.
/// Inertia: K is reduced to a symmetric tridiagonal T = QᵀKQ by Householder similarity
/// transforms (Golub & Van Loan §8.3.1, `gsl_linalg_symmtd_decomp`'s loop, one column per
/// step: `gsl_linalg_householder_transform`, then x = τKv by `gsl_blas_dsymv` and the rank-2
/// update K ← K − vwᵀ − wvᵀ by `gsl_blas_dsyr2`, split into row panels with `dgemv`/`dger`
/// on the off-diagonal blocks); T has K's eigenvalues, and by Sylvester's law the number
/// below σ is the number of negative pivots of the LDLᵀ of T − σI (a Sturm count, O(N)).
/// With z = N·ε·‖K‖₂ (‖K‖₂ = max |eigenvalue|, found by bisection on the same counts to
/// a relative 10⁻⁶) the inertia is (N − #(< z), #(< −z), the rest zero) — the threshold
/// the previous `gsl_eigen_symm` version used; a minimizer needs exactly (n, m, 0).
/// Then K[x; λ] = [−c; b] is solved by LU with partial pivoting: `gsl_linalg_LU_decomp`'s
/// recursive Level-3 algorithm (GSL 2.7, ReLAPACK dgetrf: split the columns, factor the
/// left half, `gsl_blas_dtrsm` and `gsl_blas_dgemm` on the right, recurse; Level-2 `idamax`
/// / `dswap` / `dscal` / `dger` below 24 columns) run with the large dtrsm/dgemm calls cut
/// into tiles (same arithmetic as the one call, bit for bit), then `gsl_linalg_LU_solve`
/// and one step of iterative refinement (`gsl_linalg_LU_refine`). Duals are the shadow
/// prices ∂F*/∂b = −λ.
///
/// Limits: a time-limit/cancellation check runs after every panel or tile (≤ 2¹⁸ matrix
/// entries, about a millisecond); a stop returns `time_limit` / `interrupted` with
/// x = 0, λ = 0 (a direct method has no iterate before its factorization ends; a note
/// says so) and one history record. `max_iterations` does not apply. GSL's abort handler
/// is switched off and every return code is checked; a GSL failure is `numerical_error`.
/// Zero eigenvalues (a singular K) lead to the regularized solve described at
/// `solveSingular`; otherwise an inertia other than (n, m, 0) throws
/// ``SolverError/unsupported(_:)`` saying which condition fails. O(N³) work and 2·N² doubles of memory: meant for small problems
/// (refused above 3000 unknowns).
package struct GSLKKTSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.kkt", kinds: [.qp], options: [],
                         summary: "equality-constrained QP by GSL dense LU of the KKT matrix, inertia by tridiagonalization and Sturm counts")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try EqualityConstrainedQP(problem, solver: "gsl.kkt")
        let n = p.variableCount, m = p.constraintCount, order = n + m
        guard order <= 3000 else {
            throw SolverError.unsupported("gsl.kkt: the dense KKT matrix would be \(order)×\(order); use native.kkt for large problems")
        }
        gsl_set_error_handler_off()
        let clock = StepClock(control: context.control)
        if let status = context.control.checkInterrupt() { return p.stoppedResult(status, method: "gsl.lu", control: context.control) }
        guard let k = GSLMatrix(uninitializedRows: order, columns: order), let work = GSLMatrix(uninitializedRows: order, columns: order),
              let rhs = GSLVector(count: order), let solution = GSLVector(count: order), let scratch = GSLVector(count: order),
              let permutation = gsl_permutation_alloc(order) else {
            return failure(p, "GSL could not allocate the \(order)×\(order) KKT workspace")
        }
        defer { gsl_permutation_free(permutation) }
        let km = k.pointer.pointee, wm = work.pointer.pointee

        // Inertia (the tridiagonalization overwrites its input, hence the copy).
        var positive = 0, negative = 0, zeros = 0, spectralRadius = 0.0
        do throws(StepStop) {
            try k.zero(clock: clock)
            for j in 0..<n {
                p.hessian.forEachEntry(inColumn: j) { i, v in k[i, j] = v }
                p.constraints.forEachEntry(inColumn: j) { i, v in k[n + i, j] = v; k[j, n + i] = v }
            }
            try copyMatrix(km, to: wm, clock: clock)
            try tridiagonalize(wm, workspace: scratch.pointer.pointee, clock: clock)
            let tridiagonal = SymmetricTridiagonal(diagonal: (0..<order).map { work[$0, $0] },
                                                   offDiagonal: (0..<max(order - 1, 0)).map { work[$0 + 1, $0] })
            spectralRadius = try tridiagonal.spectralRadius(clock: clock)
            let zero = Double(order) * Double.ulpOfOne * max(spectralRadius, 1e-300)
            negative = tridiagonal.countBelow(-zero)
            positive = order - tridiagonal.countBelow(zero)
            zeros = order - negative - positive
        } catch {
            switch error {
            case .limit(let status): return p.stoppedResult(status, method: "gsl.lu", control: context.control)
            case .gsl(let message): return failure(p, message)
            }
        }
        if zeros > 0 {
            let inertia = KKTDetails(method: "gsl.lu", positivePivots: positive, negativePivots: negative, zeroPivots: zeros,
                                     refinementSteps: 0, regularization: 0, residual: .nan)
            return try solveSingular(p, inertia: inertia, spectralRadius: spectralRadius, k: k, work: work, vector: rhs,
                                     scratch: scratch, permutation: permutation, clock: clock, control: context.control)
        }
        if positive != n || negative != m {
            throw SolverError.unsupported("gsl.kkt: S is not positive definite on the null space of Aᵀ: the KKT matrix has inertia (\(positive), \(negative), 0), a minimizer needs (\(n), \(m), 0)")
        }

        for j in 0..<n { rhs[j] = -p.cost[j] }
        for i in 0..<m { rhs[n + i] = p.rightHandSide[i] }
        do throws(StepStop) {
            try copyMatrix(km, to: wm, clock: clock)
            let status = try luDecompose(wm, permutation: permutation, clock: clock)
            guard status == 0 else { throw .gsl("gsl_linalg_LU_decomp: U(\(status),\(status)) is exactly zero") }
            try gslCheck(gsl_linalg_LU_solve(work.pointer, permutation, rhs.pointer, solution.pointer), "gsl_linalg_LU_solve")
            try clock.check()
            try gslCheck(gsl_linalg_LU_refine(k.pointer, work.pointer, permutation, rhs.pointer, solution.pointer, scratch.pointer),
                         "gsl_linalg_LU_refine")
        } catch {
            switch error {
            case .limit(let status): return p.stoppedResult(status, method: "gsl.lu", control: context.control)
            case .gsl(let message): return failure(p, message)
            }
        }

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

    /// K is singular (`inertia` has zero eigenvalues): dependent or inconsistent
    /// equalities, or S only positive semidefinite on the null space of Aᵀ. As in
    /// `native.kkt`, K_ρ = K + ρ·diag(I, −I) is then factored, with ρ = max(1e-10·max(1,
    /// max|Kᵢⱼ|), 10³·N·ε·‖K‖₂) so that its eigenvalues ±ρ on null(K) clear the Sturm
    /// counts' zero threshold: for S positive semidefinite on the null space, K_ρ is
    /// quasi-definite with inertia (n, m, 0), and fewer positive eigenvalues mean negative
    /// curvature (unsupported). Its LU with refinement against K (at most 10 steps) solves a
    /// consistent system to `optimal`; a stalled one goes to the shared diagnosis
    /// (``EqualityConstrainedQP/diagnoseStalledRefinement(at:maxSteps:solve:)``), which
    /// certifies `infeasible` or `unbounded`, or says why it could not (`numerical_error`).
    private func solveSingular(_ p: EqualityConstrainedQP, inertia: KKTDetails, spectralRadius: Double, k: GSLMatrix,
                               work: GSLMatrix, vector: GSLVector, scratch: GSLVector,
                               permutation: UnsafeMutablePointer<gsl_permutation>, clock: StepClock,
                               control: IterationControl) throws -> SolveResult {
        let n = p.variableCount, m = p.constraintCount, order = n + m
        let rho = max(1e-10 * max(1, p.kktMatrixScale), 1e3 * Double(order) * Double.ulpOfOne * spectralRadius)
        let km = k.pointer.pointee, wm = work.pointer.pointee
        func regularizedCopy() throws(StepStop) {
            try copyMatrix(km, to: wm, clock: clock)
            for j in 0..<order { work[j, j] += j < n ? rho : -rho }
        }
        func solveRegularized(_ v: inout [Double]) throws(StepStop) {
            for i in 0..<order { vector[i] = v[i] }
            try gslCheck(gsl_linalg_LU_svx(work.pointer, permutation, vector.pointer), "gsl_linalg_LU_svx")
            for i in 0..<order { v[i] = vector[i] }
            try clock.check()
        }
        var positive = 0, negative = 0
        do throws(StepStop) {
            try regularizedCopy()
            try tridiagonalize(wm, workspace: scratch.pointer.pointee, clock: clock)
            let tridiagonal = SymmetricTridiagonal(diagonal: (0..<order).map { work[$0, $0] },
                                                   offDiagonal: (0..<max(order - 1, 0)).map { work[$0 + 1, $0] })
            let zero = Double(order) * Double.ulpOfOne * max(try tridiagonal.spectralRadius(clock: clock), 1e-300)
            negative = tridiagonal.countBelow(-zero)
            positive = order - tridiagonal.countBelow(zero)
        } catch {
            switch error {
            case .limit(let status): return p.stoppedResult(status, method: "gsl.lu", control: control)
            case .gsl(let message): return failure(p, message)
            }
        }
        guard positive == n, negative == m else {
            throw SolverError.unsupported("gsl.kkt: S is not positive semidefinite on the null space of Aᵀ: the KKT matrix is singular, with inertia (\(inertia.positivePivots), \(inertia.negativePivots), \(inertia.zeroPivots)), and K + ρ·diag(I, −I) has inertia (\(positive), \(negative), \(order - positive - negative)) where a minimizer needs (\(n), \(m), 0)")
        }
        do throws(StepStop) {
            try regularizedCopy()
            let status = try luDecompose(wm, permutation: permutation, clock: clock)
            guard status == 0 else { throw .gsl("gsl_linalg_LU_decomp: U(\(status),\(status)) of the regularized KKT matrix is exactly zero") }
            let (v, steps, residual) = try p.refine(rhs: p.kktRightHandSide, maxSteps: 10, solve: solveRegularized)
            var details = inertia
            (details.refinementSteps, details.regularization, details.residual) = (steps, rho, residual)
            let x = Array(v[0..<n]), y = v[n...].map { -$0 }
            let (primal, dual) = p.residuals(x: x, y: y)
            let stop = control.record(IterationRecord(iteration: 0, objective: p.original.objectiveValue(at: x),
                                                      primalResidual: primal, dualResidual: dual), iterationLimit: Int.max)
            var result: SolveResult
            if (residual.isFinite && residual <= p.kktResidualTolerance) || stop != nil {
                result = p.result(x: x, y: y, status: stop ?? .optimal, rawStatus: "GSL LU of the regularized KKT matrix", details: details)
            } else {
                let finding = try p.diagnoseStalledRefinement(at: v, maxSteps: 10, solve: solveRegularized)
                result = p.singularResult(finding, stalledAt: v, residual: residual, details: details)
            }
            result.notes.insert("the KKT matrix is singular (inertia (\(inertia.positivePivots), \(inertia.negativePivots), \(inertia.zeroPivots))): K + ρ·diag(I, −I) with ρ = \(rho) was factored, and refined against K", at: 0)
            return result
        } catch {
            switch error {
            case .limit(let status): return p.stoppedResult(status, method: "gsl.lu", control: control)
            case .gsl(let message): return failure(p, message)
            }
        }
    }

    private func failure(_ p: EqualityConstrainedQP, _ raw: String) -> SolveResult {
        let lp = p.original.linear
        return SolveResult(kind: .qp, status: .numericalError, rawStatus: raw, objective: nil, variableNames: lp.variableNames,
                           primal: Array(repeating: 0, count: lp.columnCount), constraintNames: lp.constraintNames,
                           iterations: 0)
    }
}

// MARK: - Tridiagonalization

/// `gsl_linalg_symmtd_decomp` (GSL 2.7, linalg/symmtd.c) one column per step: on exit the
/// diagonal and subdiagonal of `a` hold T (the lower triangle is referenced and updated;
/// the reflectors stay below the subdiagonal). `workspace` has ≥ N entries.
func tridiagonalize(_ a: gsl_matrix, workspace: gsl_vector, clock: StepClock) throws(StepStop) {
    let order = a.size1
    guard order > 2 else { return }
    for i in 0..<(order - 2) {
        let length = order - i - 1
        let v = columnSegment(a, i, from: i + 1, count: length)
        let tau = householderTransform(v)
        if tau != 0 {
            let trailing = block(a, i + 1, i + 1, length, length)
            let first = entry(v, 0).pointee
            entry(v, 0).pointee = 1
            let x = segment(workspace, 0, length)
            // x = τ K v; w = x − (τ/2)(xᵀv) v; K ← K − v wᵀ − w vᵀ.
            try symmetricProduct(tau, trailing, v, into: x, clock: clock)
            var xv = x, vv = v
            var dot = 0.0
            try gslCheck(gsl_blas_ddot(&xv, &vv, &dot), "gsl_blas_ddot")
            try gslCheck(gsl_blas_daxpy(-(tau / 2.0) * dot, &vv, &xv), "gsl_blas_daxpy")
            try symmetricRankTwoUpdate(trailing, v, x, clock: clock)
            entry(v, 0).pointee = first
        }
        try clock.check()
    }
}

/// Rows per panel of the symmetric kernels: each panel touches ≤ ``stepElements`` entries.
private func panelHeight(_ order: Int) -> Int { max(1, min(order, stepElements / max(order, 1))) }

/// x = α·A·v for A symmetric with its lower triangle stored (`gsl_blas_dsymv`), by row
/// panels: the diagonal block by dsymv, the block left of it by dgemv and its transpose.
/// One panel (order ≤ 512) is exactly GSL's single dsymv.
private func symmetricProduct(_ alpha: Double, _ a: gsl_matrix, _ v: gsl_vector, into x: gsl_vector,
                              clock: StepClock) throws(StepStop) {
    let order = a.size1, height = panelHeight(order)
    var r = 0
    while r < order {
        let h = min(height, order - r)
        var diagonal = block(a, r, r, h, h), vPanel = segment(v, r, h), xPanel = segment(x, r, h)
        try gslCheck(gsl_blas_dsymv(CblasLower, alpha, &diagonal, &vPanel, 0.0, &xPanel), "gsl_blas_dsymv")
        if r > 0 {
            var left = block(a, r, 0, h, r), vTop = segment(v, 0, r), xTop = segment(x, 0, r)
            try gslCheck(gsl_blas_dgemv(CblasNoTrans, alpha, &left, &vTop, 1.0, &xPanel), "gsl_blas_dgemv")
            try gslCheck(gsl_blas_dgemv(CblasTrans, alpha, &left, &vPanel, 1.0, &xTop), "gsl_blas_dgemv")
        }
        r += h
        try clock.check()
    }
}

/// A ← A − v wᵀ − w vᵀ on the lower triangle (`gsl_blas_dsyr2`), by row panels: dsyr2 on
/// the diagonal block, two dger on the block left of it.
private func symmetricRankTwoUpdate(_ a: gsl_matrix, _ v: gsl_vector, _ w: gsl_vector, clock: StepClock) throws(StepStop) {
    let order = a.size1, height = panelHeight(order)
    var r = 0
    while r < order {
        let h = min(height, order - r)
        var diagonal = block(a, r, r, h, h), vPanel = segment(v, r, h), wPanel = segment(w, r, h)
        try gslCheck(gsl_blas_dsyr2(CblasLower, -1.0, &vPanel, &wPanel, &diagonal), "gsl_blas_dsyr2")
        if r > 0 {
            var left = block(a, r, 0, h, r), vTop = segment(v, 0, r), wTop = segment(w, 0, r)
            try gslCheck(gsl_blas_dger(-1.0, &vPanel, &wTop, &left), "gsl_blas_dger")
            try gslCheck(gsl_blas_dger(-1.0, &wPanel, &vTop, &left), "gsl_blas_dger")
        }
        r += h
        try clock.check()
    }
}

/// A symmetric tridiagonal matrix and its Sturm counts.
struct SymmetricTridiagonal {
    let diagonal: [Double]
    let offDiagonal: [Double]

    /// The number of eigenvalues below σ: the negative pivots of the LDLᵀ of T − σI
    /// (Sylvester's law of inertia), with LAPACK dstebz's guard against a zero pivot.
    func countBelow(_ sigma: Double) -> Int {
        var largestSquare = 1.0
        for b in offDiagonal { largestSquare = max(largestSquare, b * b) }
        let pivotFloor = Double.leastNormalMagnitude * largestSquare
        var count = 0
        var pivot = 1.0
        for i in 0..<diagonal.count {
            var q = diagonal[i] - sigma
            if i > 0 { q -= offDiagonal[i - 1] * offDiagonal[i - 1] / pivot }
            if abs(q) < pivotFloor { q = -pivotFloor }
            if q < 0 { count += 1 }
            pivot = q
        }
        return count
    }

    /// max |eigenvalue| to a relative 10⁻⁶, by bisection on the Sturm counts inside the
    /// Gershgorin interval.
    func spectralRadius(clock: StepClock) throws(StepStop) -> Double {
        let order = diagonal.count
        guard order > 0 else { return 0 }
        var low = Double.infinity, high = -Double.infinity
        for i in 0..<order {
            let radius = (i > 0 ? abs(offDiagonal[i - 1]) : 0) + (i < order - 1 ? abs(offDiagonal[i]) : 0)
            low = min(low, diagonal[i] - radius)
            high = max(high, diagonal[i] + radius)
        }
        let scale = max(abs(low), abs(high))
        guard scale > 0, scale.isFinite else { return scale }
        // Largest eigenvalue: the sup of σ with fewer than N eigenvalues below σ.
        var a = low, b = high
        while b - a > 1e-6 * scale {
            let mid = 0.5 * (a + b)
            if countBelow(mid) < order { a = mid } else { b = mid }
            try clock.check()
        }
        let largest = b
        // Smallest eigenvalue: the inf of σ with at least one eigenvalue below σ.
        a = low
        b = high
        while b - a > 1e-6 * scale {
            let mid = 0.5 * (a + b)
            if countBelow(mid) >= 1 { b = mid } else { a = mid }
            try clock.check()
        }
        return max(abs(largest), abs(a))
    }
}

// MARK: - LU

/// `gsl_linalg_LU_decomp` (GSL 2.7, linalg/lu.c) for a square matrix, with the limit
/// checked between tiles: PA = LU in place, `permutation` set as GSL sets it. Returns 0,
/// or GSL's status k > 0 when U(k,k) is exactly zero.
func luDecompose(_ a: gsl_matrix, permutation: UnsafeMutablePointer<gsl_permutation>, clock: StepClock) throws(StepStop) -> Int {
    let order = a.size1
    var pivots = Array(repeating: 0, count: order)
    let status = try luRecursive(a, &pivots, 0, clock: clock)
    gsl_permutation_init(permutation)
    for i in 0..<order where pivots[i] != i {
        // gsl_permutation_swap exchanges entries, as gsl_linalg_LU_decomp does with p->data.
        try gslCheck(gsl_permutation_swap(permutation, pivots[i], i), "gsl_permutation_swap")
    }
    return status
}

/// LU_decomp_L3: the ReLAPACK recursion (split GSL_LINALG_SPLIT(N) columns, Level 2 at
/// ≤ 24 columns). `pivots[offset…]` receives the row interchanges relative to `a`.
private func luRecursive(_ a: gsl_matrix, _ pivots: inout [Int], _ offset: Int, clock: StepClock) throws(StepStop) -> Int {
    let rows = a.size1, columns = a.size2
    if columns <= 24 {
        let status = luUnblocked(a, &pivots, offset)
        try clock.check()
        return status
    }
    let n1 = columns >= 16 ? ((columns + 8) / 16) * 8 : columns / 2
    let n2 = columns - n1, m2 = rows - n1
    let a11 = block(a, 0, 0, n1, n1), a12 = block(a, 0, n1, n1, n2)
    let a21 = block(a, n1, 0, m2, n1), a22 = block(a, n1, n1, m2, n2)
    var status = try luRecursive(block(a, 0, 0, rows, n1), &pivots, offset, clock: clock)
    if status != 0 { return status }
    try applyPivots(block(a, 0, n1, rows, n2), pivots[offset..<(offset + n1)], clock: clock)
    try solveUnitLower(a11, a12, clock: clock)
    try subtractProduct(a21, a12, from: a22, clock: clock)
    status = try luRecursive(a22, &pivots, offset + n1, clock: clock)
    if status != 0 { return status }
    try applyPivots(a21, pivots[(offset + n1)..<(offset + columns)], clock: clock)
    for i in 0..<n2 { pivots[offset + n1 + i] += n1 }
    return 0
}

/// LU_decomp_L2 (LAPACK dgetf2): idamax, dswap of rows, dscal, dger per column.
private func luUnblocked(_ a: gsl_matrix, _ pivots: inout [Int], _ offset: Int) -> Int {
    let rows = a.size1, columns = a.size2, count = min(rows, columns)
    var status = 0
    for j in 0..<count {
        var below = columnSegment(a, j, from: j, count: rows - j)
        let pivotRow = j + Int(gsl_blas_idamax(&below))
        pivots[offset + j] = pivotRow
        if entry(a, pivotRow, j).pointee != 0 {
            if pivotRow != j {
                var r1 = rowSegment(a, j, from: 0, count: columns), r2 = rowSegment(a, pivotRow, from: 0, count: columns)
                gsl_blas_dswap(&r1, &r2)
            }
            if j < rows - 1 {
                let ajj = entry(a, j, j).pointee
                if abs(ajj) >= Double.leastNormalMagnitude {
                    var multipliers = columnSegment(a, j, from: j + 1, count: rows - j - 1)
                    gsl_blas_dscal(1.0 / ajj, &multipliers)
                } else {
                    for i in 1..<(rows - j) { entry(a, j + i, j).pointee /= ajj }
                }
            }
        } else {
            status = j + 1
        }
        if j < count - 1 {
            var trailing = block(a, j + 1, j + 1, rows - j - 1, columns - j - 1)
            var multipliers = columnSegment(a, j, from: j + 1, count: rows - j - 1)
            var pivotRowTail = rowSegment(a, j, from: j + 1, count: columns - j - 1)
            gsl_blas_dger(-1.0, &multipliers, &pivotRowTail, &trailing)
        }
    }
    return status
}

/// Row interchanges i ↔ pivots[i] on `a`, in order (LAPACK dlaswp).
private func applyPivots(_ a: gsl_matrix, _ pivots: ArraySlice<Int>, clock: StepClock) throws(StepStop) {
    var matrix = a
    for (i, pivot) in pivots.enumerated() where pivot != i {
        gsl_matrix_swap_rows(&matrix, i, pivot)
        if i % 64 == 63 { try clock.check() }
    }
}
