import CGSL
import LagrangeCore
import LinearAlgebra

/// Dense least squares by GSL's column-pivoted Householder QR (`gsl.qr`): A P = Q R
/// (`gsl_linalg_QRPT_decomp`, Golub & Van Loan §5.4.1).
///
/// Solves min ‖Ax − b‖² + λ‖x‖² (λ > 0 by factoring the stacked matrix [A; √λ I]). The
/// numerical rank r is the number of diagonal entries |R_kk| > rcond·|R_11| (option
/// `rcond`, default max(m, n)·ε); x = P [R₁₁⁻¹ (Qᵀb)₁…ᵣ; 0], the *basic* solution, which
/// is the least-squares solution when r = n (for r < n it has n − r zeros; `gsl.svd`
/// gives the minimum-norm one). Direct: one record in the history; status `optimal`, or
/// `numerical_error` when GSL reports a failure (its abort handler is switched off and
/// every return code checked). Memory: a dense copy of A (GSL factors in place) plus
/// O(m + n).
public struct GSLQRSolver: SolverPlugin {
    public init() {}

    public var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.qr", kinds: [.linearSystem], options: [
            OptionSpec("rcond", default: "max(m,n)·ε", "relative threshold on |R_kk| for the numerical rank"),
            directStopOption,
        ], summary: "GSL column-pivoted QR least squares (dense, rank-revealing)")
    }

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        gsl_set_error_handler_off()
        let m = p.matrix.rowCount, n = p.matrix.columnCount
        let rcond = try readRelativeCutoff(context.options, rows: m, columns: n)
        let stacked = p.ridge > 0 ? m + n : m
        let diagonal = min(stacked, n)

        guard let a = GSLMatrix(rows: stacked, columns: n), let tau = GSLVector(count: diagonal),
              let norm = GSLVector(count: n), let qtb = GSLVector(count: stacked),
              let permutation = gsl_permutation_alloc(n) else {
            return failure(p, "GSL could not allocate the \(stacked)×\(n) workspace")
        }
        defer { gsl_permutation_free(permutation) }
        a.fill(from: p.matrix)
        if p.ridge > 0 { for j in 0..<n { a[m + j, j] = p.ridge.squareRoot() } }
        for i in 0..<m { qtb[i] = p.rightHandSide[i] }

        var signum: Int32 = 0
        let decomposed = gsl_linalg_QRPT_decomp(a.pointer, tau.pointer, permutation, &signum, norm.pointer)
        guard decomposed == GSL_SUCCESS else { return failure(p, "gsl_linalg_QRPT_decomp: \(gslMessage(decomposed))") }
        let applied = gsl_linalg_QR_QTvec(a.pointer, tau.pointer, qtb.pointer)
        guard applied == GSL_SUCCESS else { return failure(p, "gsl_linalg_QR_QTvec: \(gslMessage(applied))") }

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
        // Back substitution R₁₁ z = (Qᵀb)₁…ᵣ.
        var z = Array(repeating: 0.0, count: rank)
        for i in stride(from: rank - 1, through: 0, by: -1) {
            var t = qtb[i]
            for j in (i + 1)..<rank { t -= a[i, j] * z[j] }
            z[i] = t / a[i, i]
        }
        var x = Array(repeating: 0.0, count: n)
        for k in 0..<rank { x[gsl_permutation_get(permutation, k)] = z[k] }

        var notes: [String] = []
        if rank < n {
            notes.append("rank-deficient: numerical rank \(rank) of \(n); basic solution with \(n - rank) zero components (gsl.svd gives the minimum-norm one)")
        }
        return directResult(p, x: x, rank: rank, raw: "QRPT rank \(rank)", notes: notes, control: context.control)
    }
}

/// Dense least squares by GSL's singular value decomposition (`gsl.svd`): A = U Σ Vᵀ by
/// Golub–Reinsch (`gsl_linalg_SV_decomp`, or `_mod`, which
/// starts with a QR, when rows ≥ 2·columns; for m < n, of Aᵀ).
///
/// x = Σ_{σₖ > rcond·σ₁} σₖ/(σₖ² + λ) (uₖᵀb) vₖ: the minimum-norm least-squares solution
/// (λ = 0) or the ridge solution of min ‖Ax − b‖² + λ‖x‖², with singular values below
/// rcond·σ₁ (option `rcond`, default max(m, n)·ε) treated as zero; the result reports
/// that numerical rank. Direct: one history record; GSL's abort handler is off and every
/// return code checked. Memory: a dense copy of A, V (min(m,n)²) and O(m + n).
public struct GSLSVDSolver: SolverPlugin {
    public init() {}

    public var descriptor: SolverDescriptor {
        SolverDescriptor(id: "gsl.svd", kinds: [.linearSystem], options: [
            OptionSpec("rcond", default: "max(m,n)·ε", "relative cutoff on singular values (truncated SVD)"),
            directStopOption,
        ], summary: "GSL SVD least squares (minimum-norm, truncated, ridge)")
    }

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        gsl_set_error_handler_off()
        let m = p.matrix.rowCount, n = p.matrix.columnCount
        let rcond = try readRelativeCutoff(context.options, rows: m, columns: n)
        // GSL needs rows ≥ columns: decompose A (m ≥ n) or Aᵀ (m < n).
        let tall = m >= n
        let big = tall ? m : n, small = tall ? n : m
        guard let u = GSLMatrix(rows: big, columns: small), let v = GSLMatrix(rows: small, columns: small),
              let sigma = GSLVector(count: small), let work = GSLVector(count: small) else {
            return failure(p, "GSL could not allocate the \(big)×\(small) workspace")
        }
        u.fill(from: p.matrix, transposed: !tall)
        let status: Int32
        if big >= 2 * small, let scratch = GSLMatrix(rows: small, columns: small) {
            // Modified Golub–Reinsch (QR first, then the SVD of R): faster when rows ≫ columns.
            status = gsl_linalg_SV_decomp_mod(u.pointer, scratch.pointer, v.pointer, sigma.pointer, work.pointer)
        } else {
            status = gsl_linalg_SV_decomp(u.pointer, v.pointer, sigma.pointer, work.pointer)
        }
        guard status == GSL_SUCCESS else { return failure(p, "gsl_linalg_SV_decomp: \(gslMessage(status))") }
        // A = L Σ Rᵀ with (L, R) = (U, V) when tall, (V, U) when wide.
        let sigmaMax = sigma[0]
        var rank = 0
        var x = Array(repeating: 0.0, count: n)
        let b = p.rightHandSide
        for k in 0..<small {
            let s = sigma[k]
            guard s > rcond * sigmaMax, s > 0 else { continue }
            rank += 1
            var projection = 0.0 // lₖᵀ b
            for i in 0..<m { projection += (tall ? u[i, k] : v[i, k]) * b[i] }
            let coefficient = s / (s * s + p.ridge) * projection
            for j in 0..<n { x[j] += coefficient * (tall ? v[j, k] : u[j, k]) }
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

private func gslMessage(_ code: Int32) -> String {
    guard let text = gsl_strerror(code) else { return "GSL error \(code)" }
    return "\(String(cString: text)) (GSL error \(code))"
}

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
