/// Pᵀ A P = L D Lᵀ of a dense symmetric (possibly indefinite) matrix by Bunch–Kaufman
/// partial pivoting (Bunch & Kaufman, "Some stable methods for calculating inertia and
/// solving symmetric linear systems", Math. Comp. 31, 1977; Golub & Van Loan §4.4): D is
/// block diagonal with 1×1 and 2×2 blocks, L unit lower triangular, and the growth of L is
/// bounded whatever the signs, which the static-pivot ``SparseLDLT`` cannot promise for an
/// indefinite matrix.
///
/// By Sylvester's law of inertia the blocks of D give the numbers of positive, negative
/// and zero eigenvalues of A (``inertia``): what an interior-point method for nonlinear
/// programs needs to tell whether its KKT matrix has the inertia of a minimizer.
package struct DenseSymmetricIndefinite: Sendable {
    /// Order of A.
    package let order: Int
    /// Row-major n×n: below the diagonal L (unit diagonal implied); D's entries on the
    /// diagonal and, for a 2×2 block at k, its off-diagonal at (k + 1, k).
    private var packed: [Double]
    /// Position i of the factored matrix holds row `permutation[i]` of A.
    private var permutation: [Int]
    /// Whether a 2×2 block of D starts at position k.
    private var blockStarts: [Bool]
    /// Eigenvalue counts of A: positive, negative, and zero (a 1×1 pivot, or a 2×2 block's
    /// eigenvalue, at most `zeroTolerance` times the largest entry of its rows of A in
    /// magnitude: rows, not the whole matrix, because an interior point's KKT matrix spans
    /// twenty orders of magnitude and a global threshold counts legitimate pivots as zero).
    package private(set) var inertia: (positive: Int, negative: Int, zero: Int) = (0, 0, 0)
    /// `shouldStop` answered true: the factorization is incomplete, and neither ``inertia``
    /// nor ``solve(_:)`` means anything.
    package private(set) var stopped = false

    /// Factors `matrix` (row-major n×n, both triangles; only the lower one is read).
    /// - Parameter zeroTolerance: a pivot with |d| ≤ zeroTolerance·(largest entry of its row
    ///   of A) counts as zero (and is not divided by: its column of L is left zero).
    ///   - shouldStop: asked before each pivot while more than 64 rows remain (a caller's
    ///     time limit; n³/3 multiply–adds take seconds for n in the thousands, longer in a
    ///     debug build).
    package init(_ matrix: [Double], order n: Int, zeroTolerance: Double = 1e-13, shouldStop: (() -> Bool)? = nil) {
        precondition(matrix.count == n * n, "DenseSymmetricIndefinite: \(matrix.count) entries for order \(n)")
        order = n
        var a = matrix
        // Mirror the lower triangle so row and column swaps see one symmetric matrix.
        for i in 0..<n { for j in 0..<i { a[j * n + i] = a[i * n + j] } }
        // Each position's threshold, permuted with its row.
        var tiny = (0..<n).map { i in zeroTolerance * max((0..<n).reduce(0) { max($0, abs(a[i * n + $1])) }, 1e-300) }
        let alpha = (1 + Double(17).squareRoot()) / 8
        var permutation = Array(0..<n)
        var blockStarts = Array(repeating: false, count: n)
        var positive = 0, negative = 0, zero = 0

        func swap(_ p: Int, _ q: Int) {
            guard p != q else { return }
            for c in 0..<n { a.swapAt(p * n + c, q * n + c) }
            for r in 0..<n { a.swapAt(r * n + p, r * n + q) }
            permutation.swapAt(p, q)
            tiny.swapAt(p, q)
        }
        func count(_ eigenvalue: Double, threshold: Double) {
            if abs(eigenvalue) <= threshold { zero += 1 } else if eigenvalue > 0 { positive += 1 } else { negative += 1 }
        }

        var k = 0
        while k < n {
            // Each pivot's update is O((n − k)²), far more than the question costs.
            if let shouldStop, n - k > 64 {
                if shouldStop() {
                    packed = a
                    self.permutation = permutation
                    self.blockStarts = blockStarts
                    stopped = true
                    return
                }
            }
            let diagonal = abs(a[k * n + k])
            var r = k, columnMax = 0.0
            for i in (k + 1)..<max(n, k + 1) where abs(a[i * n + k]) > columnMax { columnMax = abs(a[i * n + k]); r = i }
            if max(diagonal, columnMax) <= tiny[k] {
                // A zero column: a zero eigenvalue, nothing to eliminate.
                count(0, threshold: 0)
                a[k * n + k] = 0
                for i in (k + 1)..<max(n, k + 1) { a[i * n + k] = 0 }
                k += 1
                continue
            }
            var twoByTwo = false
            if diagonal < alpha * columnMax {
                var rowMax = 0.0
                for j in k..<n where j != r { rowMax = max(rowMax, abs(a[r * n + j])) }
                if diagonal * rowMax >= alpha * columnMax * columnMax {
                    // 1×1 pivot at k as it is.
                } else if abs(a[r * n + r]) >= alpha * rowMax {
                    swap(k, r)
                } else {
                    swap(k + 1, r)
                    twoByTwo = true
                }
            }
            if !twoByTwo {
                let d = a[k * n + k]
                count(d, threshold: tiny[k])
                guard abs(d) > tiny[k] else {
                    a[k * n + k] = 0
                    for i in (k + 1)..<max(n, k + 1) { a[i * n + k] = 0 }
                    k += 1
                    continue
                }
                for i in (k + 1)..<max(n, k + 1) {
                    let l = a[i * n + k] / d
                    if l != 0 { for j in (k + 1)...i { a[i * n + j] -= l * a[j * n + k] } }
                }
                for i in (k + 1)..<max(n, k + 1) { a[i * n + k] /= d }
                // Keep the trailing block symmetric for the next pivot search and swaps.
                for i in (k + 1)..<max(n, k + 1) { for j in (k + 1)..<i { a[j * n + i] = a[i * n + j] } }
                k += 1
            } else {
                let d11 = a[k * n + k], d21 = a[(k + 1) * n + k], d22 = a[(k + 1) * n + k + 1]
                let determinant = d11 * d22 - d21 * d21
                // The eigenvalues of [d11 d21; d21 d22]: their product is the determinant.
                let mean = 0.5 * (d11 + d22)
                let radius = (0.25 * (d11 - d22) * (d11 - d22) + d21 * d21).squareRoot()
                count(mean + radius, threshold: max(tiny[k], tiny[k + 1]))
                count(mean - radius, threshold: max(tiny[k], tiny[k + 1]))
                blockStarts[k] = true
                // The rows of L first, then the update with the untouched columns of A.
                var l1 = Array(repeating: 0.0, count: n), l2 = Array(repeating: 0.0, count: n)
                for i in (k + 2)..<max(n, k + 2) {
                    let b1 = a[i * n + k], b2 = a[i * n + k + 1]
                    l1[i] = (b1 * d22 - b2 * d21) / determinant
                    l2[i] = (b2 * d11 - b1 * d21) / determinant
                }
                for i in (k + 2)..<max(n, k + 2) {
                    for j in (k + 2)...i { a[i * n + j] -= l1[i] * a[j * n + k] + l2[i] * a[j * n + k + 1] }
                }
                for i in (k + 2)..<max(n, k + 2) {
                    a[i * n + k] = l1[i]
                    a[i * n + k + 1] = l2[i]
                }
                for i in (k + 2)..<max(n, k + 2) { for j in (k + 2)..<i { a[j * n + i] = a[i * n + j] } }
                k += 2
            }
        }
        packed = a
        self.permutation = permutation
        self.blockStarts = blockStarts
        inertia = (positive, negative, zero)
    }

    /// x with A x = b. A zero pivot's component of the solution is set to 0 (a least-change
    /// choice, meaningful only when the system is consistent).
    package func solve(_ b: [Double]) -> [Double] {
        let n = order
        var y = (0..<n).map { b[permutation[$0]] }
        // L y' = y
        var k = 0
        while k < n {
            let width = blockStarts[k] ? 2 : 1
            for c in k..<(k + width) where y[c] != 0 {
                for i in (k + width)..<max(n, k + width) { y[i] -= packed[i * n + c] * y[c] }
            }
            k += width
        }
        // D y'' = y'
        k = 0
        while k < n {
            if blockStarts[k] {
                let d11 = packed[k * n + k], d21 = packed[(k + 1) * n + k], d22 = packed[(k + 1) * n + k + 1]
                let determinant = d11 * d22 - d21 * d21
                let y1 = y[k], y2 = y[k + 1]
                y[k] = (d22 * y1 - d21 * y2) / determinant
                y[k + 1] = (d11 * y2 - d21 * y1) / determinant
                k += 2
            } else {
                let d = packed[k * n + k]
                y[k] = d == 0 || !(y[k] / d).isFinite ? 0 : y[k] / d
                k += 1
            }
        }
        // Lᵀ x = y''
        k = n - 1
        while k >= 0 {
            let start = k > 0 && blockStarts[k - 1] ? k - 1 : k
            let width = k - start + 1
            for c in start...k {
                var sum = 0.0
                for i in (start + width)..<max(n, start + width) { sum += packed[i * n + c] * y[i] }
                y[c] -= sum
            }
            k = start - 1
        }
        var x = Array(repeating: 0.0, count: n)
        for i in 0..<n { x[permutation[i]] = y[i] }
        return x
    }
}
