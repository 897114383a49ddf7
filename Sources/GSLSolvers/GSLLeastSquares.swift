import CGSL
import LagrangeCore
import LinearAlgebra

/// Dense least squares by GSL's column-pivoted Householder QR (`gsl.qr`): A P = Q R
/// (Golub & Van Loan §5.4.1; the algorithm of `gsl_linalg_QRPT_decomp`).
///
/// Solves min ‖Ax − b‖² + λ‖x‖² (λ > 0 by factoring the stacked matrix [A; √λ I]). The
/// numerical rank r is the number of diagonal entries |R_kk| > rcond·|R_11| (option
/// `rcond`, default max(m, n)·ε); x = P [R₁₁⁻¹ (Qᵀb)₁…ᵣ; 0], the *basic* solution, which
/// is the least-squares solution when r = n (for r < n it has n − r zeros; `gsl.svd`
/// gives the minimum-norm one).
///
/// Limits: the factorization is `gsl_linalg_QRPT_decomp`'s loop run one column at a time
/// from GSL primitives (`gsl_blas_dnrm2` column norms, pivot to the largest remaining
/// norm with `gsl_matrix_swap_columns`, `gsl_linalg_householder_transform`, the reflector
/// applied to the trailing columns by `gsl_linalg_householder_hm` in column panels, the
/// norms downdated and recomputed when cancellation is large), and Qᵀb by
/// `gsl_linalg_householder_hv` per column — the same arithmetic as the one call, bit for
/// bit — with a time-limit/cancellation check after every panel (≤ 2¹⁸ entries touched,
/// about a millisecond). A stop returns `time_limit` or `interrupted` with x = 0 (a
/// direct method has no iterate before its factorization ends; a note says so) and one
/// history record. Otherwise one record and status `optimal`, or `numerical_error` when
/// GSL reports a failure (its abort handler is switched off and every return code
/// checked). Memory: a dense copy of A (factored in place) plus O(m + n).
package struct GSLQRSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.qr", kinds: [.linearSystem], options: [
            OptionSpec("rcond", default: "max(m,n)·ε", "relative threshold on |R_kk| for the numerical rank"),
            directStopOption,
        ], summary: "GSL column-pivoted QR least squares (dense, rank-revealing)")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        gsl_set_error_handler_off()
        let m = p.matrix.rowCount, n = p.matrix.columnCount
        let rcond = try readRelativeCutoff(context.options, rows: m, columns: n)
        let stacked = p.ridge > 0 ? m + n : m
        let diagonal = min(stacked, n)
        let clock = StepClock(control: context.control)
        if let status = context.control.checkInterrupt() { return stopped(p, status, control: context.control) }

        guard let a = GSLMatrix(uninitializedRows: stacked, columns: n), let tau = GSLVector(count: diagonal),
              let norm = GSLVector(count: n), let qtb = GSLVector(count: stacked),
              let permutation = gsl_permutation_alloc(n) else {
            return failure(p, "GSL could not allocate the \(stacked)×\(n) workspace")
        }
        defer { gsl_permutation_free(permutation) }
        for i in 0..<m { qtb[i] = p.rightHandSide[i] }

        do throws(StepStop) {
            try a.zero(clock: clock)
            a.fill(from: p.matrix)
            if p.ridge > 0 { for j in 0..<n { a[m + j, j] = p.ridge.squareRoot() } }
            try clock.check()
            try pivotedQR(a.pointer.pointee, tau: tau.pointer.pointee, permutation: permutation,
                          norms: norm.pointer.pointee, clock: clock)
            // Qᵀb, reflector by reflector (what gsl_linalg_QR_QTvec does).
            let perCheck = max(1, stepElements / stacked)
            for i in 0..<diagonal {
                let v = columnSegment(a.pointer.pointee, i, from: i, count: stacked - i)
                try applyReflector(tau: tau[i], v, to: segment(qtb.pointer.pointee, i, stacked - i))
                if (i + 1) % perCheck == 0 { try clock.check() }
            }
            try clock.check()
        } catch {
            switch error {
            case .limit(let status): return stopped(p, status, control: context.control)
            case .gsl(let message): return failure(p, message)
            }
        }

        let r11: Double = abs(a[0, 0])
        let cutoff: Double = rcond * r11
        var rank = 0
        if r11 > 0 {
            while rank < diagonal {
                let rkk: Double = abs(a[rank, rank])
                guard rkk > cutoff else { break }
                rank += 1
            }
        }
        // Back substitution R₁₁ z = (Qᵀb)₁…ᵣ (gsl_blas_dtrsv, in place in Qᵀb).
        if rank > 0 {
            var r = block(a.pointer.pointee, 0, 0, rank, rank)
            var z = segment(qtb.pointer.pointee, 0, rank)
            let solved = gsl_blas_dtrsv(CblasUpper, CblasNoTrans, CblasNonUnit, &r, &z)
            guard solved == GSL_SUCCESS else { return failure(p, "gsl_blas_dtrsv: \(gslMessage(solved))") }
        }
        var x = Array(repeating: 0.0, count: n)
        for k in 0..<rank { x[gsl_permutation_get(permutation, k)] = qtb[k] }

        var notes: [String] = []
        if rank < n {
            notes.append("rank-deficient: numerical rank \(rank) of \(n); basic solution with \(n - rank) zero components (gsl.svd gives the minimum-norm one)")
        }
        return directResult(p, x: x, rank: rank, raw: "QRPT rank \(rank)", notes: notes, control: context.control)
    }
}

/// `gsl_linalg_QRPT_decomp` (GSL 2.7, linalg/qrpt.c) one column per step: the same
/// pivoting, reflectors and norm downdates, so the same factors bit for bit.
private func pivotedQR(_ a: gsl_matrix, tau: gsl_vector, permutation: UnsafeMutablePointer<gsl_permutation>,
                       norms: gsl_vector, clock: StepClock) throws(StepStop) {
    let m = a.size1, n = a.size2
    gsl_permutation_init(permutation)
    let normsPerCheck = max(1, stepElements / m)
    for j in 0..<n {
        var column = columnSegment(a, j, from: 0, count: m)
        entry(norms, j).pointee = gsl_blas_dnrm2(&column)
        if (j + 1) % normsPerCheck == 0 { try clock.check() }
    }
    // GSL recomputes a downdated norm that has lost more than half its digits.
    let recompute = (20.0).squareRoot() * Double.ulpOfOne.squareRoot()
    var matrix = a, normVector = norms
    for i in 0..<min(m, n) {
        var maxNorm = entry(norms, i).pointee
        var kmax = i
        for j in (i + 1)..<n {
            let x = entry(norms, j).pointee
            if x > maxNorm { maxNorm = x; kmax = j }
        }
        if kmax != i {
            gsl_matrix_swap_columns(&matrix, i, kmax)
            gsl_permutation_swap(permutation, i, kmax)
            gsl_vector_swap_elements(&normVector, i, kmax)
        }
        let v = columnSegment(a, i, from: i, count: m - i)
        let t = householderTransform(v)
        entry(tau, i).pointee = t
        if i + 1 < n { try applyLeftReflector(tau: t, v, to: block(a, i, i + 1, m - i, n - i - 1), clock: clock) }
        if i + 1 < m {
            for j in (i + 1)..<n {
                let x = entry(norms, j).pointee
                guard x > 0 else { continue }
                let temp = entry(a, i, j).pointee / x
                var y = abs(temp) >= 1 ? 0.0 : x * (1 - temp * temp).squareRoot()
                if abs(y / x) < recompute {
                    var rest = columnSegment(a, j, from: i + 1, count: m - i - 1)
                    y = gsl_blas_dnrm2(&rest)
                }
                entry(norms, j).pointee = y
            }
        }
        try clock.check()
    }
}

/// Dense least squares by a singular value decomposition computed with GSL (`gsl.svd`):
/// Golub–Reinsch (Golub & Van Loan §5.4.5, §8.6), the algorithm of
/// `gsl_linalg_SV_decomp_mod`, run as interruptible steps.
///
/// x = Σ_{σₖ > rcond·σ₁} σₖ/(σₖ² + λ) (uₖᵀb) vₖ: the minimum-norm least-squares solution
/// (λ = 0) or the ridge solution of min ‖Ax − b‖² + λ‖x‖², with singular values below
/// rcond·σ₁ (option `rcond`, default max(m, n)·ε) treated as zero; the result reports
/// that numerical rank.
///
/// Algorithm (k = min(m, n)): (1) Householder QR of A (m ≥ n) or of Aᵀ (m < n) to a k×k
/// triangle R, one column per step (`gsl_linalg_householder_transform`, `_hm` in column
/// panels), Qᵀb by `_hv` alongside for m ≥ n; (2) Golub–Kahan bidiagonalization of R (or
/// Rᵀ) one column/row pair per step (`_hm` / `_mh` panels, as `gsl_linalg_bidiag_decomp`),
/// the left reflectors applied to the right-hand side; (3) Vᵀ accumulated from the right
/// reflectors (`_mh`, as `gsl_linalg_bidiag_unpack2` builds V); (4) GSL's implicit-shift
/// QR iteration on the bidiagonal (svdstep.c, ported, see ``BidiagonalSVD``) with the
/// right rotations applied to Vᵀ by `gsl_blas_drot` and the left ones to the projected
/// right-hand side only — U is never formed, which is what makes this cheaper than the
/// one call; (5) for m < n, x = Q [y; 0] by `_hv`. A time-limit/cancellation check runs
/// after every panel or every 16 rotations (each ≤ 2¹⁸ entries, about a millisecond); a
/// stop returns `time_limit` / `interrupted` with x = 0 (no iterate exists before the
/// decomposition ends; a note says so) and one history record. GSL's abort handler is off
/// and every return code checked. Memory: a dense copy of A, two k×k matrices, O(m + n).
package struct GSLSVDSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.svd", kinds: [.linearSystem], options: [
            OptionSpec("rcond", default: "max(m,n)·ε", "relative cutoff on singular values (truncated SVD)"),
            directStopOption,
        ], summary: "GSL SVD least squares (minimum-norm, truncated, ridge)")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        gsl_set_error_handler_off()
        let m = p.matrix.rowCount, n = p.matrix.columnCount
        let rcond = try readRelativeCutoff(context.options, rows: m, columns: n)
        let clock = StepClock(control: context.control)
        if let status = context.control.checkInterrupt() { return stopped(p, status, control: context.control) }
        // Factor A (m ≥ n) or Aᵀ (m < n): big × small with big ≥ small.
        let tall = m >= n
        let big = tall ? m : n, small = tall ? n : m
        guard let w = GSLMatrix(uninitializedRows: big, columns: small), let r = GSLMatrix(uninitializedRows: small, columns: small),
              let vt = GSLMatrix(uninitializedRows: small, columns: small), let tauQ = GSLVector(count: small),
              let tauV = GSLVector(count: small), let rhs = GSLVector(count: big), let y = GSLVector(count: small) else {
            return failure(p, "GSL could not allocate the \(big)×\(small) workspace")
        }
        let b = p.rightHandSide
        if tall { for i in 0..<m { rhs[i] = b[i] } }
        let wm = w.pointer.pointee, rm = r.pointer.pointee, vtm = vt.pointer.pointee, rv = rhs.pointer.pointee

        var svd: BidiagonalSVD
        do throws(StepStop) {
            try w.zero(clock: clock)
            w.fill(from: p.matrix, transposed: !tall)
            try clock.check()
            // (1) Householder QR of W; Qᵀb alongside when W = A.
            for i in 0..<small {
                let v = columnSegment(wm, i, from: i, count: big - i)
                let t = householderTransform(v)
                tauQ[i] = t
                if i + 1 < small { try applyLeftReflector(tau: t, v, to: block(wm, i, i + 1, big - i, small - i - 1), clock: clock) }
                if tall { try applyReflector(tau: t, v, to: segment(rv, i, big - i)) }
                try clock.check()
            }
            // R (W = A) or Rᵀ (W = Aᵀ, so that R's SVD gives A's right vectors as its V).
            try r.zero(clock: clock)
            for i in 0..<small {
                var from = rowSegment(wm, i, from: i, count: small - i)
                var to = tall ? rowSegment(rm, i, from: i, count: small - i) : columnSegment(rm, i, from: i, count: small - i)
                try gslCheck(gsl_blas_dcopy(&from, &to), "gsl_blas_dcopy")
                if i % 256 == 255 { try clock.check() }
            }
            // The right-hand side d of the square problem: (Qᵀb)₁…ₖ, or b itself.
            for i in 0..<small { y[i] = tall ? rhs[i] : b[i] }
            let yv = y.pointer.pointee
            // (2) Bidiagonalization (gsl_linalg_bidiag_decomp), left reflectors applied to d.
            for i in 0..<small {
                let v = columnSegment(rm, i, from: i, count: small - i)
                let tu = householderTransform(v)
                if i + 1 < small { try applyLeftReflector(tau: tu, v, to: block(rm, i, i + 1, small - i, small - i - 1), clock: clock) }
                try applyReflector(tau: tu, v, to: segment(yv, i, small - i))
                if i + 1 < small {
                    let h = rowSegment(rm, i, from: i + 1, count: small - i - 1)
                    let tv = householderTransform(h)
                    tauV[i] = tv
                    try applyRightReflector(tau: tv, h, to: block(rm, i + 1, i + 1, small - i - 1, small - i - 1), clock: clock)
                }
                try clock.check()
            }
            // (3) Vᵀ = (H₀H₁⋯)ᵀ: gsl_linalg_bidiag_unpack2's loop with each step transposed.
            try vt.zero(clock: clock)
            for i in 0..<small { vt[i, i] = 1 }
            if small >= 2 {
                for i in stride(from: small - 2, through: 0, by: -1) {
                    let h = rowSegment(rm, i, from: i + 1, count: small - i - 1)
                    try applyRightReflector(tau: tauV[i], h, to: block(vtm, i + 1, i + 1, small - i - 1, small - i - 1), clock: clock)
                    try clock.check()
                }
            }
            // (4) Implicit-shift QR on the bidiagonal.
            svd = BidiagonalSVD(s: (0..<small).map { r[$0, $0] }, f: (0..<max(small - 1, 0)).map { r[$0, $0 + 1] },
                                u: (0..<small).map { y[$0] }, vt: vtm, clock: clock)
            try svd.diagonalize()
            svd.makeNonNegative()
        } catch {
            switch error {
            case .limit(let status): return stopped(p, status, control: context.control)
            case .gsl(let message): return failure(p, message)
            }
        }

        // Decreasing σ, as GSL sorts them; y = Σ σₖ/(σₖ² + λ) uₖ vₖ over the kept ones.
        let order = (0..<small).sorted { svd.s[$0] > svd.s[$1] }
        let sigmaMax = order.first.map { svd.s[$0] } ?? 0
        var rank = 0
        let solution = y.pointer.pointee
        gsl_vector_set_zero(y.pointer)
        for k in order {
            let sk = svd.s[k]
            guard sk > rcond * sigmaMax, sk > 0 else { continue }
            rank += 1
            var row = rowSegment(vtm, k, from: 0, count: small), target = solution
            gsl_blas_daxpy(sk / (sk * sk + p.ridge) * svd.u[k], &row, &target)
        }
        var x = Array(repeating: 0.0, count: n)
        if tall {
            for j in 0..<n { x[j] = y[j] }
        } else {
            // (5) x = Q [y; 0] (gsl_linalg_QR_Qvec's loop).
            gsl_vector_set_zero(rhs.pointer)
            for i in 0..<small { rhs[i] = y[i] }
            do throws(StepStop) {
                for i in stride(from: small - 1, through: 0, by: -1) {
                    try applyReflector(tau: tauQ[i], columnSegment(wm, i, from: i, count: big - i), to: segment(rv, i, big - i))
                }
            } catch {
                if case .gsl(let message) = error { return failure(p, message) }
            }
            for j in 0..<n { x[j] = rhs[j] }
        }
        var notes: [String] = []
        if rank < min(m, n) { notes.append("numerical rank \(rank) of \(min(m, n)): minimum-norm solution over the \(rank) kept singular values") }
        return directResult(p, x: x, rank: rank, raw: "SVD rank \(rank), σ₁ = \(sigmaMax)", notes: notes, control: context.control)
    }
}

// MARK: - Shared

/// Accepted (and unused) so that a problem file written for an iterative solver can be
/// solved directly with `--solver gsl.qr`: a direct solve has no early stop.
private let directStopOption = OptionSpec("stop", default: "—", "accepted for files shared with iterative solvers; unused by a direct solve")

private func residualNorm(_ p: LinearSystemProblem, _ x: [Double]) -> Double {
    let ax = p.matrix.multiply(x)
    var s = 0.0
    for i in 0..<ax.count { let d = p.rightHandSide[i] - ax[i]; s += d * d }
    return s.squareRoot()
}

private func directResult(_ p: LinearSystemProblem, x: [Double], rank: Int, raw: String, notes: [String],
                          control: IterationControl) -> SolveResult {
    let residual = residualNorm(p, x)
    let error = p.errorNorm(x)
    _ = control.record(IterationRecord(iteration: 1, objective: p.objective(residualNorm: residual, solution: x),
                                       primalResidual: residual, extras: error.map { [Metric("error", $0)] } ?? []))
    let finite = x.allSatisfy(\.isFinite)
    var result = SolveResult(kind: .linearSystem, status: finite ? .optimal : .numericalError, rawStatus: raw,
                             objective: p.objective(residualNorm: residual, solution: x),
                             variableNames: p.variableNames, primal: x, iterations: 1)
    let relative = error.flatMap { e in p.knownSolution.map { e / max(Vector.norm2($0), Double.leastNormalMagnitude) } }
    result.details = [LinearSystemDetails(residualNorm: residual, errorNorm: error, relativeError: relative, rank: rank)]
    result.notes = notes
    // Rank 0 only when A = 0 (QR's |R₁₁| and the SVD's σ₁ are then 0).
    if rank == 0 { result.notes.append(LinearSystemProblem.zeroMatrixNote(residual: residual)) }
    return result
}

/// A solve stopped by the time limit or a cancellation before its decomposition ended:
/// a direct method has no iterate until then, so the point is x = 0 (where an iterative
/// solver starts), with one history record (iteration 0) and a note saying so.
private func stopped(_ p: LinearSystemProblem, _ status: TerminationStatus, control: IterationControl) -> SolveResult {
    let x = Array(repeating: 0.0, count: p.matrix.columnCount)
    let residual = residualNorm(p, x)
    let error = p.errorNorm(x)
    let objective = p.objective(residualNorm: residual, solution: x)
    _ = control.record(IterationRecord(iteration: 0, objective: objective, primalResidual: residual,
                                       extras: error.map { [Metric("error", $0)] } ?? []))
    var result = SolveResult(kind: .linearSystem, status: status, rawStatus: "stopped during the factorization",
                             objective: objective, variableNames: p.variableNames, primal: x, iterations: 0)
    let relative = error.flatMap { e in p.knownSolution.map { e / max(Vector.norm2($0), Double.leastNormalMagnitude) } }
    result.details = [LinearSystemDetails(residualNorm: residual, errorNorm: error, relativeError: relative, rank: 0)]
    result.notes = ["\(status.rawValue) before the factorization finished: a direct solve has no iterate until then, so the point returned is x = 0"]
    return result
}

private func failure(_ p: LinearSystemProblem, _ message: String) -> SolveResult {
    let n = p.matrix.columnCount
    var result = SolveResult(kind: .linearSystem, status: .numericalError, rawStatus: message, objective: nil,
                             variableNames: p.variableNames, primal: Array(repeating: 0, count: n), iterations: 0)
    result.notes = [message]
    return result
}

/// An owned `gsl_matrix` (freed on deinit).
final class GSLMatrix {
    let pointer: UnsafeMutablePointer<gsl_matrix>
    let rows: Int, columns: Int

    /// An uninitialized matrix (`gsl_matrix_alloc`): GSL's calloc zeroes entry by entry,
    /// about 0.4 ms per MB, so large matrices are zeroed in panels between limit checks
    /// (``zero(clock:)``) or overwritten whole.
    init?(uninitializedRows rows: Int, columns: Int) {
        guard rows > 0, columns > 0, let p = gsl_matrix_alloc(rows, columns) else { return nil }
        pointer = p
        self.rows = rows
        self.columns = columns
    }

    /// Sets every entry to 0, in row panels with a limit check after each.
    func zero(clock: StepClock) throws(StepStop) {
        let height = max(1, stepElements / columns)
        var i = 0
        while i < rows {
            var panel = block(pointer.pointee, i, 0, min(height, rows - i), columns)
            gsl_matrix_set_zero(&panel)
            i += height
            try clock.check()
        }
    }

    init?(rows: Int, columns: Int) {
        guard rows > 0, columns > 0, let p = gsl_matrix_calloc(rows, columns) else { return nil }
        pointer = p
        self.rows = rows
        self.columns = columns
    }
    deinit { gsl_matrix_free(pointer) }

    subscript(i: Int, j: Int) -> Double {
        get { pointer.pointee.data[i * pointer.pointee.tda + j] }
        set { pointer.pointee.data[i * pointer.pointee.tda + j] = newValue }
    }

    /// Copies A (or Aᵀ) into the top-left corner without densifying sparse storage first.
    func fill(from matrix: SystemMatrix, transposed: Bool = false) {
        switch matrix {
        case .dense(let a):
            for i in 0..<a.rows { for j in 0..<a.columns { if transposed { self[j, i] = a[i, j] } else { self[i, j] = a[i, j] } } }
        case .sparse(let c):
            for j in 0..<c.columnCount {
                c.forEachEntry(inColumn: j) { i, v in if transposed { self[j, i] = v } else { self[i, j] = v } }
            }
        case .sparseRows(let t):
            for i in 0..<t.columnCount {
                t.forEachEntry(inColumn: i) { j, v in if transposed { self[j, i] = v } else { self[i, j] = v } }
            }
        }
    }
}

/// An owned `gsl_vector` (freed on deinit).
final class GSLVector {
    let pointer: UnsafeMutablePointer<gsl_vector>

    init?(count: Int) {
        guard count > 0, let p = gsl_vector_calloc(count) else { return nil }
        pointer = p
    }
    deinit { gsl_vector_free(pointer) }

    subscript(i: Int) -> Double {
        get { pointer.pointee.data[i * pointer.pointee.stride] }
        set { pointer.pointee.data[i * pointer.pointee.stride] = newValue }
    }
}

/// The `rcond` option of both direct solvers: default max(m, n)·ε, valid in [0, 1).
private func readRelativeCutoff(_ options: SolveOptions, rows m: Int, columns n: Int) throws -> Double {
    let rcond = try options.number("rcond", default: Double(max(m, n)) * Double.ulpOfOne)
    guard rcond >= 0, rcond < 1 else { throw SolverError.invalidOption(name: "rcond", reason: "must lie in [0, 1), got \(rcond)") }
    return rcond
}
