/// A real sparse matrix in compressed sparse column (CSC) form.
///
/// Column `j` holds the entries `values[columnStarts[j] ..< columnStarts[j + 1]]` at rows
/// `rowIndices[...]`, with row indices strictly increasing inside each column and no
/// stored duplicates. Explicit zeros may be stored (MPS files can contain them); use
/// ``droppingZeros()`` to remove them.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows (≥ 0).
    public let rowCount: Int
    /// Number of columns (≥ 0).
    public let columnCount: Int
    /// `columnCount + 1` offsets into `rowIndices` / `values`.
    public let columnStarts: [Int]
    /// 0-based row index of each stored entry, strictly increasing within a column.
    public let rowIndices: [Int]
    /// Value of each stored entry (explicit zeros allowed), parallel to `rowIndices`.
    public let values: [Double]

    /// Number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// Creates a matrix from CSC arrays, checking the structural invariants.
    public init(rowCount: Int, columnCount: Int, columnStarts: [Int], rowIndices: [Int], values: [Double]) throws(LinearAlgebraError) {
        guard rowCount >= 0, columnCount >= 0 else { throw .dimensionMismatch("negative dimension \(rowCount)×\(columnCount)") }
        guard columnStarts.count == columnCount + 1, columnStarts.first == 0,
              columnStarts.last == rowIndices.count, rowIndices.count == values.count
        else { throw .dimensionMismatch("inconsistent CSC arrays") }
        for j in 0..<columnCount {
            let lo = columnStarts[j], hi = columnStarts[j + 1]
            guard lo <= hi else { throw .dimensionMismatch("column starts decrease at column \(j)") }
            var previous = -1
            for k in lo..<hi {
                let r = rowIndices[k]
                guard r > previous, r < rowCount else {
                    throw .dimensionMismatch("row index \(r) out of order or out of range in column \(j)")
                }
                previous = r
            }
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
        self.values = values
    }

    /// Internal initializer for arrays already known to be valid.
    init(validatedRows rowCount: Int, columns columnCount: Int, columnStarts: [Int], rowIndices: [Int], values: [Double]) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
        self.values = values
    }

    /// An all-zero matrix.
    public static func zeros(rows: Int, columns: Int) -> SparseMatrix {
        SparseMatrix(validatedRows: rows, columns: columns,
                     columnStarts: Array(repeating: 0, count: columns + 1), rowIndices: [], values: [])
    }

    /// Builds a matrix from (row, column, value) triplets. Duplicate positions are summed.
    public init(rowCount: Int, columnCount: Int, triplets: [(row: Int, column: Int, value: Double)]) throws(LinearAlgebraError) {
        guard rowCount >= 0, columnCount >= 0 else { throw .dimensionMismatch("negative dimension \(rowCount)×\(columnCount)") }
        var counts = Array(repeating: 0, count: columnCount + 1)
        for t in triplets {
            guard t.row >= 0, t.row < rowCount, t.column >= 0, t.column < columnCount else {
                throw .indexOutOfRange("entry (\(t.row), \(t.column)) outside \(rowCount)×\(columnCount)")
            }
            counts[t.column + 1] += 1
        }
        for j in 0..<columnCount { counts[j + 1] += counts[j] }
        var next = counts
        var rows = Array(repeating: 0, count: triplets.count)
        var vals = Array(repeating: 0.0, count: triplets.count)
        for t in triplets {
            let p = next[t.column]
            rows[p] = t.row
            vals[p] = t.value
            next[t.column] += 1
        }
        // Sort each column by row and merge duplicates.
        var starts = [0]
        starts.reserveCapacity(columnCount + 1)
        var outRows: [Int] = []
        var outVals: [Double] = []
        outRows.reserveCapacity(triplets.count)
        outVals.reserveCapacity(triplets.count)
        for j in 0..<columnCount {
            let lo = counts[j], hi = counts[j + 1]
            let order = (lo..<hi).sorted { rows[$0] < rows[$1] }
            for p in order {
                if let last = outRows.last, outRows.count > starts[j], last == rows[p] {
                    outVals[outVals.count - 1] += vals[p]
                } else {
                    outRows.append(rows[p])
                    outVals.append(vals[p])
                }
            }
            starts.append(outRows.count)
        }
        self.init(validatedRows: rowCount, columns: columnCount, columnStarts: starts, rowIndices: outRows, values: outVals)
    }

    /// The entry at (row, column); zero when not stored. O(log nnz(column)).
    public subscript(row: Int, column: Int) -> Double {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "index out of range")
        var lo = columnStarts[column], hi = columnStarts[column + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if rowIndices[mid] == row { return values[mid] }
            if rowIndices[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// y = A x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columnCount, "dimension mismatch in A·x")
        var y = Array(repeating: 0.0, count: rowCount)
        y.withUnsafeMutableBufferPointer { yp in
            for j in 0..<columnCount {
                let xj = x[j]
                if xj == 0 { continue }
                for k in columnStarts[j]..<columnStarts[j + 1] { yp[rowIndices[k]] += values[k] * xj }
            }
        }
        return y
    }

    /// y = Aᵀ x.
    public func transposeMultiply(_ x: [Double]) -> [Double] {
        precondition(x.count == rowCount, "dimension mismatch in Aᵀ·x")
        var y = Array(repeating: 0.0, count: columnCount)
        for j in 0..<columnCount {
            var s = 0.0
            for k in columnStarts[j]..<columnStarts[j + 1] { s += values[k] * x[rowIndices[k]] }
            y[j] = s
        }
        return y
    }

    /// The transpose, also in CSC form (equivalently, this matrix in CSR form).
    public func transposed() -> SparseMatrix {
        var counts = Array(repeating: 0, count: rowCount + 1)
        for r in rowIndices { counts[r + 1] += 1 }
        for i in 0..<rowCount { counts[i + 1] += counts[i] }
        var next = counts
        var rows = Array(repeating: 0, count: nonzeroCount)
        var vals = Array(repeating: 0.0, count: nonzeroCount)
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let p = next[rowIndices[k]]
                rows[p] = j
                vals[p] = values[k]
                next[rowIndices[k]] += 1
            }
        }
        return SparseMatrix(validatedRows: columnCount, columns: rowCount, columnStarts: counts, rowIndices: rows, values: vals)
    }

    /// The same matrix without explicitly stored zeros.
    public func droppingZeros() -> SparseMatrix { dropping { _, _, value in value == 0 } }

    /// The matrix without the stored entries for which `drop(row, column, value)` is true.
    public func dropping(where drop: (Int, Int, Double) -> Bool) -> SparseMatrix {
        var starts = [0]
        var rows: [Int] = []
        var vals: [Double] = []
        rows.reserveCapacity(values.count)
        vals.reserveCapacity(values.count)
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] where !drop(rowIndices[k], j, values[k]) {
                rows.append(rowIndices[k])
                vals.append(values[k])
            }
            starts.append(rows.count)
        }
        return SparseMatrix(validatedRows: rowCount, columns: columnCount, columnStarts: starts, rowIndices: rows, values: vals)
    }

    /// Calls `body(row, value)` for each stored entry of `column`.
    @inlinable
    public func forEachEntry(inColumn column: Int, _ body: (Int, Double) throws -> Void) rethrows {
        for k in columnStarts[column]..<columnStarts[column + 1] { try body(rowIndices[k], values[k]) }
    }

    /// A dense row-major copy (for tests and small problems).
    public func dense() -> DenseMatrix {
        var m = DenseMatrix(rows: rowCount, columns: columnCount)
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] { m[rowIndices[k], j] = values[k] }
        }
        return m
    }
}

/// Errors from building or combining matrices.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Shapes do not fit together (or arrays do not match the stated shape); the text says how.
    case dimensionMismatch(String)
    /// An index outside the matrix; the text names it.
    case indexOutOfRange(String)
    /// A factorization found no usable pivot (the matrix is singular to working precision); the text says where.
    case singular(String)
    /// A Cholesky factorization met a pivot ≤ 0 or not finite; the text names it.
    case notPositiveDefinite(String)
    /// A long factorization was stopped by its caller's `shouldStop` check (a time limit
    /// or a cancellation); the partial factor is unusable.
    case interrupted

    public var description: String {
        switch self {
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .indexOutOfRange(let s): return "index out of range: \(s)"
        case .singular(let s): return "singular matrix: \(s)"
        case .notPositiveDefinite(let s): return "matrix is not positive definite: \(s)"
        case .interrupted: return "factorization interrupted"
        }
    }
}
