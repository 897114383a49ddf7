/// Dense factorizations for small problems and as test references. Row-major storage,
/// O(n³) work; the sparse solvers use ``SparseLDLT`` instead.

/// Cholesky factorization A = LLᵀ of a symmetric positive definite matrix.
package struct DenseCholesky: Sendable {
    /// The lower-triangular factor (upper part zero).
    package let factor: DenseMatrix

    /// Factors `matrix` (only its lower triangle is read). Throws `.notPositiveDefinite`
    /// at the first pivot ≤ 0.
    package init(_ matrix: DenseMatrix) throws(LinearAlgebraError) {
        let n = matrix.rows
        guard matrix.columns == n else { throw .dimensionMismatch("Cholesky needs a square matrix") }
        var l = DenseMatrix(rows: n, columns: n)
        for j in 0..<n {
            var d = matrix[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            guard d > 0, d.isFinite else { throw .notPositiveDefinite("pivot \(j) is \(d)") }
            let r = d.squareRoot()
            l[j, j] = r
            for i in (j + 1)..<max(n, j + 1) {
                var s = matrix[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / r
            }
        }
        factor = l
    }

    /// Solves A x = b.
    package func solve(_ b: [Double]) -> [Double] {
        let n = factor.rows
        precondition(b.count == n, "dimension mismatch in Cholesky solve")
        var x = b
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= factor[i, k] * x[k] }
            x[i] = s / factor[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= factor[k, i] * x[k] }
            x[i] = s / factor[i, i]
        }
        return x
    }
}

/// LU factorization PA = LU with partial (row) pivoting.
package struct DenseLU: Sendable {
    /// L (unit lower, below the diagonal) and U (upper) packed together.
    package let packed: DenseMatrix
    /// `rowPermutation[i]` = the original row in position i.
    package let rowPermutation: [Int]

    /// Factors a square matrix. Throws `.singular` when a pivot column is zero to within
    /// `tolerance`·max|A|. `shouldStop` is asked before each column (a time limit, a
    /// cancellation); when it answers true the factorization ends with `.interrupted`.
    package init(_ matrix: DenseMatrix, tolerance: Double = 1e-14, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = matrix.rows
        guard matrix.columns == n else { throw .dimensionMismatch("LU needs a square matrix") }
        var a = matrix
        var perm = Array(0..<n)
        let scale = max(Vector.normInf(matrix.storage), 1e-300)
        for k in 0..<n {
            if let shouldStop, shouldStop() { throw .interrupted }
            var pivotRow = k
            var best = abs(a[k, k])
            for i in (k + 1)..<max(n, k + 1) where abs(a[i, k]) > best { best = abs(a[i, k]); pivotRow = i }
            guard best > tolerance * scale else { throw .singular("no pivot in column \(k)") }
            if pivotRow != k {
                for j in 0..<n { let t = a[k, j]; a[k, j] = a[pivotRow, j]; a[pivotRow, j] = t }
                perm.swapAt(k, pivotRow)
            }
            let pivot = a[k, k]
            for i in (k + 1)..<max(n, k + 1) {
                let factor = a[i, k] / pivot
                a[i, k] = factor
                if factor == 0 { continue }
                for j in (k + 1)..<n { a[i, j] -= factor * a[k, j] }
            }
        }
        packed = a
        rowPermutation = perm
    }

    /// Solves A x = b.
    package func solve(_ b: [Double]) -> [Double] {
        let n = packed.rows
        precondition(b.count == n, "dimension mismatch in LU solve")
        var x = rowPermutation.map { b[$0] }
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= packed[i, k] * x[k] }
            x[i] = s
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= packed[i, k] * x[k] }
            x[i] = s / packed[i, i]
        }
        return x
    }

    /// Solves Aᵀ x = b.
    package func solveTransposed(_ b: [Double]) -> [Double] {
        let n = packed.rows
        precondition(b.count == n, "dimension mismatch in LU solve")
        // Aᵀ = Uᵀ Lᵀ P: solve Uᵀ w = b, Lᵀ v = w, x = Pᵀ v.
        var w = b
        for i in 0..<n {
            var s = w[i]
            for k in 0..<i { s -= packed[k, i] * w[k] }
            w[i] = s / packed[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = w[i]
            for k in (i + 1)..<max(n, i + 1) { s -= packed[k, i] * w[k] }
            w[i] = s
        }
        var x = Array(repeating: 0.0, count: n)
        for i in 0..<n { x[rowPermutation[i]] = w[i] }
        return x
    }
}

/// Householder QR factorization A = QR of an m × n matrix with m ≥ n, for least squares.
package struct DenseQR: Sendable {
    /// R in the upper triangle; the Householder vectors below the diagonal.
    let packed: DenseMatrix
    let betas: [Double]

    package init(_ matrix: DenseMatrix) throws(LinearAlgebraError) {
        let m = matrix.rows, n = matrix.columns
        guard m >= n else { throw .dimensionMismatch("QR least squares needs rows ≥ columns") }
        var a = matrix
        var betas = Array(repeating: 0.0, count: n)
        for k in 0..<n {
            var norm = 0.0
            for i in k..<m { norm += a[i, k] * a[i, k] }
            norm = norm.squareRoot()
            if norm == 0 { continue }
            let alpha = a[k, k] > 0 ? -norm : norm
            let v0 = a[k, k] - alpha
            // v = (v0, a[k+1..m, k]); store v / v0 below the diagonal.
            for i in (k + 1)..<max(m, k + 1) { a[i, k] /= v0 }
            let beta = -v0 / alpha
            betas[k] = beta
            a[k, k] = alpha
            for j in (k + 1)..<max(n, k + 1) {
                var s = a[k, j]
                for i in (k + 1)..<max(m, k + 1) { s += a[i, k] * a[i, j] }
                s *= beta
                a[k, j] -= s
                for i in (k + 1)..<max(m, k + 1) { a[i, j] -= s * a[i, k] }
            }
        }
        packed = a
        self.betas = betas
    }

    /// The least-squares solution of min ‖Ax − b‖₂. Throws `.singular` if R has a zero
    /// diagonal entry (rank deficient).
    package func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let m = packed.rows, n = packed.columns
        guard b.count == m else { throw .dimensionMismatch("right-hand side has \(b.count) entries, expected \(m)") }
        var y = b
        for k in 0..<n where betas[k] != 0 {
            var s = y[k]
            for i in (k + 1)..<max(m, k + 1) { s += packed[i, k] * y[i] }
            s *= betas[k]
            y[k] -= s
            for i in (k + 1)..<max(m, k + 1) { y[i] -= s * packed[i, k] }
        }
        var x = Array(repeating: 0.0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            guard packed[i, i] != 0 else { throw .singular("R[\(i), \(i)] is zero") }
            var s = y[i]
            for k in (i + 1)..<max(n, i + 1) { s -= packed[i, k] * x[k] }
            x[i] = s / packed[i, i]
        }
        return x
    }
}
