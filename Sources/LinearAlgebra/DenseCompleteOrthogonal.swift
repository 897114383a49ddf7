/// A complete orthogonal decomposition A P = Q [T 0; 0 0] Z of a dense m × n matrix, for
/// the minimum-norm least-squares solution of any shape and rank (LAPACK's `xGELSY`
/// without its incremental condition estimator).
///
/// 1. Householder QR with column pivoting (Golub & Van Loan §5.4.1; LAPACK `xLAQP2`): the
///    column of largest remaining norm goes next; partial norms are downdated and
///    recomputed when cancellation has eaten half their digits.
/// 2. The numerical rank r is the count of |R_kk| > rcond·|R₁₁|.
/// 3. When r < n, the r × n trapezoid [R₁₁ R₁₂] is reduced to [T 0] by Householder
///    reflectors from the right (LAPACK `xLATRZ`), so that x = P Zᵀ [T⁻¹(Qᵀb)₁…ᵣ; 0] is
///    the least-squares solution of minimum norm (with r = n, Z = I).
///
/// Storage is column-major so that every reflector touches contiguous columns. Cost:
/// 2mn·min(m, n) − ⅔min(m, n)³ flops for the QR, O(r²(n − r)) for the reduction; memory
/// one m × n copy.
package struct DenseCompleteOrthogonal: Sendable {
    package let rows: Int
    package let columns: Int
    /// The numerical rank r.
    package let rank: Int
    /// |R₁₁|, the largest pivot (zero only for A = 0).
    package let largestPivot: Double
    /// Column-major: R (then T) on and above the diagonal, the left reflectors' tails below
    /// it, the right reflectors' tails in columns r..<n of rows 0..<r.
    private let packed: [Double]
    private let leftTau: [Double]
    private let rightTau: [Double]
    /// Column k of A P is column `permutation[k]` of A.
    private let permutation: [Int]

    /// Factors `matrix` (row-major; copied to column-major storage).
    package init(_ matrix: DenseMatrix, rcond: Double? = nil,
                shouldStop: () -> Bool = { false }) throws(LinearAlgebraError) {
        let m = matrix.rows, n = matrix.columns
        var a = Array(repeating: 0.0, count: m * n)
        for i in 0..<m { for j in 0..<n { a[j * m + i] = matrix.storage[i * n + j] } }
        try self.init(columnMajor: a, rows: m, columns: n, rcond: rcond, shouldStop: shouldStop)
    }

    /// Factors the m × n matrix whose column j is `columnMajor[j·m ..< (j+1)·m]`. `rcond`
    /// is the relative threshold on |R_kk| for the rank (default max(m, n)·ε).
    /// `shouldStop` is asked after every column; when it says true the factorization
    /// throws `.interrupted`.
    package init(columnMajor: [Double], rows m: Int, columns n: Int, rcond: Double? = nil,
                shouldStop: () -> Bool = { false }) throws(LinearAlgebraError) {
        guard m > 0, n > 0 else { throw .dimensionMismatch("A is \(m)×\(n)") }
        guard columnMajor.count == m * n else { throw .dimensionMismatch("\(columnMajor.count) entries for a \(m)×\(n) matrix") }
        var a = columnMajor
        let k = min(m, n)
        var leftTau = Array(repeating: 0.0, count: k)
        var permutation = Array(0..<n)
        var partialNorms = Array(repeating: 0.0, count: n)
        var referenceNorms = Array(repeating: 0.0, count: n)
        let recomputeBelow = Double.ulpOfOne.squareRoot()

        try a.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<Double>) throws(LinearAlgebraError) in
            guard let base = buffer.baseAddress else { return }
            func column(_ j: Int) -> UnsafeMutablePointer<Double> { base + j * m }
            for j in 0..<n {
                partialNorms[j] = norm2(column(j), count: m)
                referenceNorms[j] = partialNorms[j]
            }
            for i in 0..<k {
                var pivot = i
                for j in (i + 1)..<max(n, i + 1) where partialNorms[j] > partialNorms[pivot] { pivot = j }
                if pivot != i {
                    swapColumns(column(i), column(pivot), count: m)
                    permutation.swapAt(i, pivot)
                    partialNorms.swapAt(i, pivot)
                    referenceNorms.swapAt(i, pivot)
                }
                let v = column(i) + i
                let tau = makeReflector(v, count: m - i)
                leftTau[i] = tau
                if tau != 0 {
                    for j in (i + 1)..<max(n, i + 1) { applyReflector(tau: tau, v, to: column(j) + i, count: m - i) }
                }
                // Downdate the partial norms of the trailing columns (xLAQP2).
                for j in (i + 1)..<max(n, i + 1) where partialNorms[j] != 0 {
                    let ratio = abs(column(j)[i]) / partialNorms[j]
                    let shrink = max(0, (1 - ratio) * (1 + ratio))
                    let relative = shrink * (partialNorms[j] / referenceNorms[j]) * (partialNorms[j] / referenceNorms[j])
                    if relative <= recomputeBelow {
                        partialNorms[j] = i + 1 < m ? norm2(column(j) + i + 1, count: m - i - 1) : 0
                        referenceNorms[j] = partialNorms[j]
                    } else {
                        partialNorms[j] *= shrink.squareRoot()
                    }
                }
                if shouldStop() { throw .interrupted }
            }
        }

        let largest = abs(a[0])
        let cutoff = (rcond ?? Double(max(m, n)) * Double.ulpOfOne) * largest
        var rank = 0
        if largest > 0 { while rank < k, abs(a[rank * m + rank]) > cutoff { rank += 1 } }

        // [R₁₁ R₁₂] → [T 0] from the right, last row first (xLATRZ): reflector i mixes
        // column i with columns r..<n and zeroes row i's entries there; rows above it are
        // updated, rows below are untouched (their entries in those columns are already 0).
        var rightTau = Array(repeating: 0.0, count: rank)
        let tail = n - rank
        if tail > 0 {
            for i in stride(from: rank - 1, through: 0, by: -1) {
                var tailSquares = 0.0
                for l in 0..<tail { let t = a[(rank + l) * m + i]; tailSquares += t * t }
                let alpha = a[i * m + i]
                if tailSquares == 0 { continue }
                let beta = -(alpha >= 0 ? 1.0 : -1.0) * (alpha * alpha + tailSquares).squareRoot()
                let tau = (beta - alpha) / beta
                let scale = 1 / (alpha - beta)
                for l in 0..<tail { a[(rank + l) * m + i] *= scale }
                a[i * m + i] = beta
                rightTau[i] = tau
                for p in 0..<i {
                    var w = a[i * m + p]
                    for l in 0..<tail { w += a[(rank + l) * m + p] * a[(rank + l) * m + i] }
                    w *= tau
                    a[i * m + p] -= w
                    for l in 0..<tail { a[(rank + l) * m + p] -= w * a[(rank + l) * m + i] }
                }
                if shouldStop() { throw .interrupted }
            }
        }
        rows = m
        columns = n
        self.rank = rank
        largestPivot = largest
        packed = a
        self.leftTau = leftTau
        self.rightTau = rightTau
        self.permutation = permutation
    }

    /// The minimum-norm minimizer of ‖Ax − b‖₂ over the numerical rank.
    package func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let m = rows, n = columns
        guard b.count == m else { throw .dimensionMismatch("right-hand side has \(b.count) entries, expected \(m)") }
        var y = b
        var z = Array(repeating: 0.0, count: n)
        packed.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            y.withUnsafeMutableBufferPointer { yb in
                guard let yp = yb.baseAddress else { return }
                // y = Qᵀb.
                for i in 0..<min(m, n) where leftTau[i] != 0 {
                    applyReflector(tau: leftTau[i], UnsafeMutablePointer(mutating: base + i * m + i), to: yp + i, count: m - i)
                }
            }
            // T z₁…ᵣ = y₁…ᵣ.
            for i in stride(from: rank - 1, through: 0, by: -1) {
                var s = y[i]
                for j in (i + 1)..<max(rank, i + 1) { s -= base[j * m + i] * z[j] }
                z[i] = s / base[i * m + i]
            }
            // z ← H₀ᵀ… : apply the right reflectors, first to last (see the type's note).
            let tail = n - rank
            if tail > 0 {
                for i in 0..<rank where rightTau[i] != 0 {
                    var w = z[i]
                    for l in 0..<tail { w += base[(rank + l) * m + i] * z[rank + l] }
                    w *= rightTau[i]
                    z[i] -= w
                    for l in 0..<tail { z[rank + l] -= w * base[(rank + l) * m + i] }
                }
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for j in 0..<n { x[permutation[j]] = z[j] }
        return x
    }
}

private func norm2(_ v: UnsafeMutablePointer<Double>, count: Int) -> Double {
    // Scaled so that entries near the overflow or underflow threshold keep their norm.
    var scale = 0.0
    for i in 0..<count { scale = max(scale, abs(v[i])) }
    guard scale > 0, scale.isFinite else { return scale }
    var s = 0.0
    for i in 0..<count { let t = v[i] / scale; s += t * t }
    return scale * s.squareRoot()
}

private func swapColumns(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { let t = a[i]; a[i] = b[i]; b[i] = t }
}

/// Turns x (count entries) into a reflector H = I − τ v vᵀ with v₀ = 1 and H x = (β, 0…);
/// β goes to x₀, v's tail to x₁… (LAPACK `xLARFG`). Returns τ (0 when x is already there).
private func makeReflector(_ x: UnsafeMutablePointer<Double>, count: Int) -> Double {
    guard count > 1 else { return 0 }
    let tailNorm = norm2(x + 1, count: count - 1)
    if tailNorm == 0 { return 0 }
    let alpha = x[0]
    let norm = norm2Pair(alpha, tailNorm)
    let beta = alpha >= 0 ? -norm : norm
    let tau = (beta - alpha) / beta
    let scale = 1 / (alpha - beta)
    for i in 1..<count { x[i] *= scale }
    x[0] = beta
    return tau
}

private func norm2Pair(_ a: Double, _ b: Double) -> Double {
    let s = max(abs(a), abs(b))
    guard s > 0 else { return 0 }
    let p = a / s, q = b / s
    return s * (p * p + q * q).squareRoot()
}

/// y ← (I − τ v vᵀ) y with v₀ = 1 implied (v's stored head is β, not read).
private func applyReflector(tau: Double, _ v: UnsafeMutablePointer<Double>, to y: UnsafeMutablePointer<Double>, count: Int) {
    var w = y[0]
    for i in 1..<max(count, 1) { w += v[i] * y[i] }
    w *= tau
    y[0] -= w
    for i in 1..<max(count, 1) { y[i] -= w * v[i] }
}
