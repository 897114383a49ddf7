/// A dense real matrix stored contiguously in row-major order.
public struct DenseMatrix: Sendable, Equatable {
    /// Number of rows (≥ 0).
    public let rows: Int
    /// Number of columns (≥ 0).
    public let columns: Int
    /// Row-major storage: entry (i, j) is `storage[i * columns + j]`.
    public var storage: [Double]

    /// A zero matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative dimension")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: 0, count: rows * columns)
    }

    /// A matrix from its rows; every row must have the same length.
    public init(rowArrays: [[Double]]) throws(LinearAlgebraError) {
        let n = rowArrays.first?.count ?? 0
        for (i, r) in rowArrays.enumerated() where r.count != n {
            throw .dimensionMismatch("row \(i + 1) has \(r.count) entries, expected \(n)")
        }
        self.rows = rowArrays.count
        self.columns = n
        self.storage = rowArrays.flatMap { $0 }
    }

    /// A matrix taking ownership of row-major storage (no copy); `storage.count` must be
    /// rows·columns.
    public init(rows: Int, columns: Int, storage: [Double]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, !rows.multipliedReportingOverflow(by: columns).overflow,
              storage.count == rows * columns
        else { throw .dimensionMismatch("\(storage.count) entries for a \(rows)×\(columns) matrix") }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// The identity matrix of order n.
    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Entry (i, j): row i, column j, both 0-based. The caller keeps i < rows and j < columns:
    /// only the storage access is checked.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i * columns + j] }
        set { storage[i * columns + j] = newValue }
    }

    /// Row i as an array.
    public func row(_ i: Int) -> [Double] { Array(storage[(i * columns)..<((i + 1) * columns)]) }

    /// y = A x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "dimension mismatch in A·x")
        var y = Array(repeating: 0.0, count: rows)
        storage.withUnsafeBufferPointer { a in
            for i in 0..<rows {
                var s = 0.0
                let base = i * columns
                for j in 0..<columns { s += a[base + j] * x[j] }
                y[i] = s
            }
        }
        return y
    }

    /// y = Aᵀ x.
    public func transposeMultiply(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "dimension mismatch in Aᵀ·x")
        var y = Array(repeating: 0.0, count: columns)
        storage.withUnsafeBufferPointer { a in
            for i in 0..<rows {
                let xi = x[i]
                if xi == 0 { continue }
                let base = i * columns
                for j in 0..<columns { y[j] += a[base + j] * xi }
            }
        }
        return y
    }

    /// The transpose.
    public func transposed() -> DenseMatrix {
        var t = DenseMatrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// A sparse (CSC) copy without zero entries.
    public func sparse() -> SparseMatrix {
        var starts = [0]
        var r: [Int] = []
        var v: [Double] = []
        for j in 0..<columns {
            for i in 0..<rows where self[i, j] != 0 {
                r.append(i)
                v.append(self[i, j])
            }
            starts.append(r.count)
        }
        return SparseMatrix(validatedRows: rows, columns: columns, columnStarts: starts, rowIndices: r, values: v)
    }
}

/// Small vector helpers shared by solvers.
public enum Vector {
    /// Euclidean dot product.
    @inlinable
    public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "dimension mismatch in dot")
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    /// Euclidean norm, scaled to avoid overflow.
    public static func norm2(_ a: [Double]) -> Double {
        var scale = 0.0
        for v in a { scale = max(scale, abs(v)) }
        if scale == 0 || !scale.isFinite { return scale }
        var s = 0.0
        for v in a { let t = v / scale; s += t * t }
        return scale * s.squareRoot()
    }

    /// Largest absolute entry (0 for an empty vector).
    public static func normInf(_ a: [Double]) -> Double {
        var m = 0.0
        for v in a { m = max(m, abs(v)) }
        return m
    }
}
