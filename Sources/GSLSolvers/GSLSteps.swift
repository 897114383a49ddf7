import CGSL
import LagrangeCore

// Interruptible dense factorizations built from GSL's linalg and BLAS primitives.
//
// GSL's one-call decompositions (`gsl_linalg_QRPT_decomp`, `_SV_decomp`, `_LU_decomp`,
// `gsl_eigen_symm`) take no time limit and no callback, so a plugin that calls one cannot
// honour a limit or a cancellation until it returns (seconds to minutes on a dense
// 3000-column matrix). The plugins instead run the same algorithms as loops of GSL
// calls — Householder transforms, `gsl_linalg_householder_hm/mh/hv`, `gsl_blas_*` on
// submatrix views — and ask `IterationControl.checkInterrupt()` between calls. Each call
// is cut to touch at most ``stepElements`` matrix entries (about a millisecond in GSL's
// CBLAS), splitting an update into column or row panels where GSL's routine treats
// columns (rows) independently, so the panels give bit-for-bit the result of one call.

/// Entries of a matrix one GSL call may touch between two limit checks: 2¹⁸ doubles
/// (2 MiB), about 1.5 ms for `gsl_linalg_householder_hm` on this machine.
let stepElements = 1 << 18

/// Why a stepwise factorization ended early.
enum StepStop: Error {
    /// `time_limit` or `interrupted` from `IterationControl.checkInterrupt()`.
    case limit(TerminationStatus)
    /// A GSL routine returned an error code (the message names it).
    case gsl(String)
}

/// The limit check between steps.
struct StepClock {
    let control: IterationControl

    func check() throws(StepStop) {
        if let status = control.checkInterrupt() { throw .limit(status) }
    }
}

/// The message for a GSL error code.
func gslMessage(_ code: Int32) -> String {
    guard let text = gsl_strerror(code) else { return "GSL error \(code)" }
    return "\(String(cString: text)) (GSL error \(code))"
}

/// Throws ``StepStop/gsl(_:)`` unless `status` is `GSL_SUCCESS`.
@inline(__always)
func gslCheck(_ status: Int32, _ routine: String) throws(StepStop) {
    if status != GSL_SUCCESS { throw .gsl("\(routine): \(gslMessage(status))") }
}

// MARK: - Views (plain structs pointing into a matrix that outlives them)

/// Rows i..<i+rows, columns j..<j+columns of `m` (both counts > 0).
@inline(__always)
func block(_ m: gsl_matrix, _ i: Int, _ j: Int, _ rows: Int, _ columns: Int) -> gsl_matrix {
    var m = m
    return gsl_matrix_submatrix(&m, i, j, rows, columns).matrix
}

/// Column j of `m` from row i, `count` entries (count > 0).
@inline(__always)
func columnSegment(_ m: gsl_matrix, _ j: Int, from i: Int, count: Int) -> gsl_vector {
    var m = m
    return gsl_matrix_subcolumn(&m, j, i, count).vector
}

/// Row i of `m` from column j, `count` entries (count > 0).
@inline(__always)
func rowSegment(_ m: gsl_matrix, _ i: Int, from j: Int, count: Int) -> gsl_vector {
    var m = m
    return gsl_matrix_subrow(&m, i, j, count).vector
}

/// Entries offset..<offset+count of `v` (count > 0).
@inline(__always)
func segment(_ v: gsl_vector, _ offset: Int, _ count: Int) -> gsl_vector {
    var v = v
    return gsl_vector_subvector(&v, offset, count).vector
}

/// The address of entry (i, j).
@inline(__always)
func entry(_ m: gsl_matrix, _ i: Int, _ j: Int) -> UnsafeMutablePointer<Double> {
    m.data + (i * m.tda + j)
}

/// The address of entry i.
@inline(__always)
func entry(_ v: gsl_vector, _ i: Int) -> UnsafeMutablePointer<Double> {
    v.data + i * v.stride
}

// MARK: - Steps

/// Replaces `v` by a Householder vector (v₀ = β stored, the rest scaled) and returns τ
/// (`gsl_linalg_householder_transform`).
@inline(__always)
func householderTransform(_ v: gsl_vector) -> Double {
    var v = v
    return gsl_linalg_householder_transform(&v)
}

/// A ← (I − τvvᵀ)A for the columns of `a`, in column panels with a limit check after
/// each (`gsl_linalg_householder_hm` updates each column on its own). v₀ is taken as 1.
func applyLeftReflector(tau: Double, _ v: gsl_vector, to a: gsl_matrix, clock: StepClock) throws(StepStop) {
    guard tau != 0, a.size1 > 0, a.size2 > 0 else { return }
    var v = v
    let width = max(1, stepElements / a.size1)
    var j = 0
    while j < a.size2 {
        let w = min(width, a.size2 - j)
        var panel = block(a, 0, j, a.size1, w)
        try gslCheck(gsl_linalg_householder_hm(tau, &v, &panel), "gsl_linalg_householder_hm")
        j += w
        try clock.check()
    }
}

/// A ← A(I − τvvᵀ) for the rows of `a`, in row panels with a limit check after each
/// (`gsl_linalg_householder_mh` updates each row on its own). v₀ is taken as 1.
func applyRightReflector(tau: Double, _ v: gsl_vector, to a: gsl_matrix, clock: StepClock) throws(StepStop) {
    guard tau != 0, a.size1 > 0, a.size2 > 0 else { return }
    var v = v
    let height = max(1, stepElements / a.size2)
    var i = 0
    while i < a.size1 {
        let h = min(height, a.size1 - i)
        var panel = block(a, i, 0, h, a.size2)
        try gslCheck(gsl_linalg_householder_mh(tau, &v, &panel), "gsl_linalg_householder_mh")
        i += h
        try clock.check()
    }
}

/// w ← (I − τvvᵀ)w (`gsl_linalg_householder_hv`; v₀ taken as 1).
@inline(__always)
func applyReflector(tau: Double, _ v: gsl_vector, to w: gsl_vector) throws(StepStop) {
    var v = v, w = w
    try gslCheck(gsl_linalg_householder_hv(tau, &v, &w), "gsl_linalg_householder_hv")
}

/// dst ← src (same shape), in row panels with a limit check after each.
func copyMatrix(_ src: gsl_matrix, to dst: gsl_matrix, clock: StepClock) throws(StepStop) {
    let height = max(1, stepElements / max(src.size2, 1))
    var i = 0
    while i < src.size1 {
        let h = min(height, src.size1 - i)
        var from = block(src, i, 0, h, src.size2), to = block(dst, i, 0, h, dst.size2)
        try gslCheck(gsl_matrix_memcpy(&to, &from), "gsl_matrix_memcpy")
        i += h
        try clock.check()
    }
}

/// C ← C − A·B (`gsl_blas_dgemm`, no transposes) in tiles of C with a limit check after
/// each. GSL's CBLAS accumulates every entry of C over A's columns in order, so the tiles
/// give the one call's result bit for bit.
func subtractProduct(_ a: gsl_matrix, _ b: gsl_matrix, from c: gsl_matrix, clock: StepClock) throws(StepStop) {
    let inner = a.size2
    guard c.size1 > 0, c.size2 > 0, inner > 0 else { return }
    let budget = stepElements * 16  // multiply–adds per call: dgemm runs at several Gflop/s
    let width = min(c.size2, max(1, budget / inner))
    let height = max(1, budget / (inner * width))
    var i = 0
    while i < c.size1 {
        let h = min(height, c.size1 - i)
        var j = 0
        while j < c.size2 {
            let w = min(width, c.size2 - j)
            var aTile = block(a, i, 0, h, inner), bTile = block(b, 0, j, inner, w), cTile = block(c, i, j, h, w)
            try gslCheck(gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1.0, &aTile, &bTile, 1.0, &cTile), "gsl_blas_dgemm")
            j += w
            try clock.check()
        }
        i += h
    }
}

/// B ← L⁻¹B for L unit lower triangular (`gsl_blas_dtrsm` Left/Lower/NoTrans/Unit), by
/// row blocks: B₂ ← B₂ − L₂₁B₁ (tiled dgemm), then a small dtrsm on the diagonal block.
/// GSL's CBLAS dtrsm subtracts L[k,i]·B[i,j] from B[k,j] for i = 0, 1, … in order; so does
/// this, so the result is the one call's bit for bit.
func solveUnitLower(_ l: gsl_matrix, _ b: gsl_matrix, clock: StepClock) throws(StepStop) {
    let n = l.size1
    guard n > 0, b.size2 > 0 else { return }
    let rowsPerBlock = 32
    var r = 0
    while r < n {
        let h = min(rowsPerBlock, n - r)
        if r > 0 {
            try subtractProduct(block(l, r, 0, h, r), block(b, 0, 0, r, b.size2), from: block(b, r, 0, h, b.size2), clock: clock)
        }
        let width = max(1, stepElements / h)
        var j = 0
        while j < b.size2 {
            let w = min(width, b.size2 - j)
            var diagonal = block(l, r, r, h, h), target = block(b, r, j, h, w)
            try gslCheck(gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasUnit, 1.0, &diagonal, &target), "gsl_blas_dtrsm")
            j += w
        }
        r += h
        try clock.check()
    }
}
