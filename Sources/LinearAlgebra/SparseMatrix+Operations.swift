/// Allocation-free kernels on CSC matrices for iterative solvers.
extension SparseMatrix {
    /// y = A x, written into `y` (resized callers must pass `rowCount` entries).
    public func multiply(_ x: [Double], into y: inout [Double]) {
        precondition(x.count == columnCount && y.count == rowCount, "dimension mismatch in A·x")
        columnStarts.withUnsafeBufferPointer { cp in
        rowIndices.withUnsafeBufferPointer { ri in
        values.withUnsafeBufferPointer { v in
        x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count { y[i] = 0 }
            for j in 0..<x.count {
                let xj = x[j]
                if xj == 0 { continue }
                for k in cp[j]..<cp[j + 1] { y[ri[k]] += v[k] * xj }
            }
        }}}}}
    }

    /// y = Aᵀ x, written into `y` (`columnCount` entries).
    public func transposeMultiply(_ x: [Double], into y: inout [Double]) {
        precondition(x.count == rowCount && y.count == columnCount, "dimension mismatch in Aᵀ·x")
        columnStarts.withUnsafeBufferPointer { cp in
        rowIndices.withUnsafeBufferPointer { ri in
        values.withUnsafeBufferPointer { v in
        x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            for j in 0..<y.count {
                var s = 0.0
                for k in cp[j]..<cp[j + 1] { s += v[k] * x[ri[k]] }
                y[j] = s
            }
        }}}}}
    }

    /// R A C for diagonal R = diag(`rowScale`) and C = diag(`columnScale`).
    public func scaled(rows rowScale: [Double], columns columnScale: [Double]) -> SparseMatrix {
        precondition(rowScale.count == rowCount && columnScale.count == columnCount, "dimension mismatch in scaling")
        var scaledValues = values
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] { scaledValues[k] *= rowScale[rowIndices[k]] * columnScale[j] }
        }
        return SparseMatrix(validatedRows: rowCount, columns: columnCount, columnStarts: columnStarts,
                            rowIndices: rowIndices, values: scaledValues)
    }

    /// The columns `columns` of this matrix, in that order.
    public func selectingColumns(_ columns: [Int]) -> SparseMatrix {
        var starts = [0]
        starts.reserveCapacity(columns.count + 1)
        var rows: [Int] = []
        var vals: [Double] = []
        for j in columns {
            rows.append(contentsOf: rowIndices[columnStarts[j]..<columnStarts[j + 1]])
            vals.append(contentsOf: values[columnStarts[j]..<columnStarts[j + 1]])
            starts.append(rows.count)
        }
        return SparseMatrix(validatedRows: rowCount, columns: columns.count, columnStarts: starts, rowIndices: rows, values: vals)
    }

    /// The rows `rows` of this matrix, in that order (`rows` must be increasing).
    public func selectingRows(_ rows: [Int]) -> SparseMatrix {
        var newIndex = Array(repeating: -1, count: rowCount)
        for (k, i) in rows.enumerated() { newIndex[i] = k }
        var starts = [0]
        var ri: [Int] = []
        var vals: [Double] = []
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] where newIndex[rowIndices[k]] >= 0 {
                ri.append(newIndex[rowIndices[k]])
                vals.append(values[k])
            }
            starts.append(ri.count)
        }
        return SparseMatrix(validatedRows: rows.count, columns: columnCount, columnStarts: starts, rowIndices: ri, values: vals)
    }

    /// [A B]: this matrix with the columns of `other` appended.
    public func appendingColumns(_ other: SparseMatrix) -> SparseMatrix {
        precondition(other.rowCount == rowCount, "dimension mismatch in [A B]")
        let offset = nonzeroCount
        return SparseMatrix(validatedRows: rowCount, columns: columnCount + other.columnCount,
                            columnStarts: columnStarts + other.columnStarts.dropFirst().map { $0 + offset },
                            rowIndices: rowIndices + other.rowIndices, values: values + other.values)
    }
}

/// The normal-equations matrix M = A Θ Aᵀ (+ δI) of an m × n matrix A for a diagonal Θ,
/// as interior-point methods form it every iteration.
///
/// The pattern of M's lower triangle and, for each column j of A, the slots of M that
/// the outer product θⱼ aⱼaⱼᵀ touches are computed once; assembly is then a single
/// pass of Σⱼ nnz(aⱼ)² / 2 multiply–adds straight into the internal storage of a
/// ``SparseLDLTSymbolic``, with no searching.
public struct NormalEquationsMatrix: Sendable {
    /// The lower triangle of A Aᵀ (diagonal always present), values zero.
    public let pattern: SparseMatrix
    public let symbolic: SparseLDLTSymbolic
    let matrix: SparseMatrix
    /// Per column j of A: pairs [pairStarts[j], pairStarts[j+1]) of (entry p, entry q,
    /// internal slot).
    let pairStarts: [Int]
    let pairFirst: [Int]
    let pairSecond: [Int]
    let pairSlot: [Int]
    /// Internal slot of each diagonal entry of M by original row.
    let diagonalSlots: [Int]

    /// Analyzes A: the pattern of AAᵀ, a minimum-degree ordering and the symbolic LDLᵀ.
    /// `shouldStop` is asked every 64 rows or columns and during the ordering (a time
    /// limit, a cancellation); a true answer throws `.interrupted`.
    public init(_ a: SparseMatrix, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let m = a.rowCount
        let at = a.transposed()
        var starts = [0]
        starts.reserveCapacity(m + 1)
        var rows: [Int] = []
        var mark = Array(repeating: -1, count: m)
        var column: [Int] = []
        for i in 0..<m {
            if i & 63 == 0, let shouldStop, shouldStop() { throw .interrupted }
            column.removeAll(keepingCapacity: true)
            column.append(i)
            mark[i] = i
            for t in at.columnStarts[i]..<at.columnStarts[i + 1] {
                let j = at.rowIndices[t]
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let r = a.rowIndices[k]
                    if r > i && mark[r] != i { mark[r] = i; column.append(r) }
                }
            }
            column.sort()
            rows.append(contentsOf: column)
            starts.append(rows.count)
        }
        let pattern = SparseMatrix(validatedRows: m, columns: m, columnStarts: starts, rowIndices: rows,
                                   values: Array(repeating: 0, count: rows.count))
        let symbolic = try SparseLDLTSymbolic(pattern: pattern, shouldStop: shouldStop)
        func slot(row: Int, column: Int) -> Int {
            var lo = starts[column], hi = starts[column + 1]
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid] == row { return symbolic.entryMap[mid] }
                if rows[mid] < row { lo = mid + 1 } else { hi = mid }
            }
            return -1
        }
        var pairStarts = [0]
        var first: [Int] = [], second: [Int] = [], slots: [Int] = []
        for j in 0..<a.columnCount {
            if j & 63 == 0, let shouldStop, shouldStop() { throw .interrupted }
            let lo = a.columnStarts[j], hi = a.columnStarts[j + 1]
            for q in lo..<hi {
                for p in q..<hi {
                    first.append(p)
                    second.append(q)
                    slots.append(slot(row: a.rowIndices[p], column: a.rowIndices[q]))
                }
            }
            pairStarts.append(first.count)
        }
        self.pattern = pattern
        self.symbolic = symbolic
        self.matrix = a
        self.pairStarts = pairStarts
        self.pairFirst = first
        self.pairSecond = second
        self.pairSlot = slots
        self.diagonalSlots = (0..<m).map { slot(row: $0, column: $0) }
    }

    /// Writes A diag(θ) Aᵀ + diag(`shift`) into `values` (internal order of ``symbolic``).
    public func assemble(theta: [Double], shift: [Double]?, into values: inout [Double]) {
        precondition(theta.count == matrix.columnCount && values.count == symbolic.upperNonzeros, "dimension mismatch")
        matrix.values.withUnsafeBufferPointer { av in
        pairStarts.withUnsafeBufferPointer { ps in
        pairFirst.withUnsafeBufferPointer { pf in
        pairSecond.withUnsafeBufferPointer { pq in
        pairSlot.withUnsafeBufferPointer { slot in
        theta.withUnsafeBufferPointer { theta in
        values.withUnsafeMutableBufferPointer { out in
            for s in 0..<out.count { out[s] = 0 }
            for j in 0..<theta.count {
                let t = theta[j]
                for r in ps[j]..<ps[j + 1] { out[slot[r]] += t * av[pf[r]] * av[pq[r]] }
            }
        }}}}}}}
        if let shift {
            for i in 0..<shift.count { values[diagonalSlots[i]] += shift[i] }
        }
    }
}
