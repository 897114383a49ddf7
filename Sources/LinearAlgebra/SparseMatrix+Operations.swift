/// Allocation-free kernels on CSC matrices for iterative solvers.
extension SparseMatrix {
    /// y = A x, written into `y` (resized callers must pass `rowCount` entries).
    package func multiply(_ x: [Double], into y: inout [Double]) {
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
    package func transposeMultiply(_ x: [Double], into y: inout [Double]) {
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
    package func scaled(rows rowScale: [Double], columns columnScale: [Double]) -> SparseMatrix {
        precondition(rowScale.count == rowCount && columnScale.count == columnCount, "dimension mismatch in scaling")
        var scaledValues = values
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] { scaledValues[k] *= rowScale[rowIndices[k]] * columnScale[j] }
        }
        return SparseMatrix(validatedRows: rowCount, columns: columnCount, columnStarts: columnStarts,
                            rowIndices: rowIndices, values: scaledValues)
    }

    /// The columns `columns` of this matrix, in that order.
    package func selectingColumns(_ columns: [Int]) -> SparseMatrix {
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
    package func selectingRows(_ rows: [Int]) -> SparseMatrix {
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
    package func appendingColumns(_ other: SparseMatrix) -> SparseMatrix {
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
/// the outer product θⱼ aⱼaⱼᵀ touches (with the products aᵢⱼaₖⱼ) are computed once;
/// assembly is then a single pass of Σⱼ nnz(aⱼ)² / 2 multiply–adds straight into the
/// internal storage of a ``SparseLDLTSymbolic``, with no searching.
package struct NormalEquationsMatrix: Sendable {
    /// The lower triangle of A Aᵀ (diagonal always present), values zero.
    package let pattern: SparseMatrix
    package let symbolic: SparseLDLTSymbolic
    let matrix: SparseMatrix
    /// Per column j of A: pairs [pairStarts[j], pairStarts[j+1]) of (product a_pj·a_qj,
    /// internal slot), p ≥ q.
    let pairStarts: [Int]
    let pairProduct: [Double]
    let pairSlot: [Int]
    /// Internal slot of each diagonal entry of M by original row.
    let diagonalSlots: [Int]

    /// Analyzes A: the pattern of AAᵀ, a minimum-degree ordering and the symbolic LDLᵀ.
    /// `shouldStop` is asked every 64 rows or columns and during the ordering (a time
    /// limit, a cancellation); a true answer throws `.interrupted`.
    package init(_ a: SparseMatrix, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let m = a.rowCount, n = a.columnCount
        let cs = a.columnStarts, ri = a.rowIndices
        // Row-wise listing of A: entry indices by row (counting sort) and each entry's column.
        var rowStarts = Array(repeating: 0, count: m + 1)
        for e in 0..<a.nonzeroCount { rowStarts[ri[e] + 1] += 1 }
        for i in 0..<m { rowStarts[i + 1] += rowStarts[i] }
        var rowEntries = Array(repeating: 0, count: a.nonzeroCount)
        var columnOf = Array(repeating: 0, count: a.nonzeroCount)
        var fill = rowStarts
        for j in 0..<n {
            for e in cs[j]..<cs[j + 1] {
                columnOf[e] = j
                rowEntries[fill[ri[e]]] = e
                fill[ri[e]] += 1
            }
        }
        // Lower triangle of A Aᵀ by columns.
        var starts = [0], rows: [Int] = []
        starts.reserveCapacity(m + 1)
        var mark = Array(repeating: -1, count: m)
        var column: [Int] = []
        for i in 0..<m {
            if i & 63 == 0, let shouldStop, shouldStop() { throw .interrupted }
            column.removeAll(keepingCapacity: true)
            column.append(i)
            mark[i] = i
            for t in rowStarts[i]..<rowStarts[i + 1] {
                let j = columnOf[rowEntries[t]]
                for e in cs[j]..<cs[j + 1] {
                    let r = ri[e]
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
        // Pair slots: for each column c of M (= row c of A), scatter its entries' slots by
        // row, then visit every column j of A holding row c: its pairs whose second entry
        // is at row c are consecutive (entries are ordered by row), at a computable offset.
        var pairStarts = Array(repeating: 0, count: n + 1)
        for j in 0..<n {
            let length = cs[j + 1] - cs[j]
            pairStarts[j + 1] = pairStarts[j] + length * (length + 1) / 2
        }
        var slots = Array(repeating: 0, count: pairStarts[n])
        var products = Array(repeating: 0.0, count: pairStarts[n])
        var slotOfRow = Array(repeating: -1, count: m)
        var diagonalSlots = Array(repeating: 0, count: m)
        let map = symbolic.entryMap
        for c in 0..<m {
            if c & 63 == 0, let shouldStop, shouldStop() { throw .interrupted }
            for e in starts[c]..<starts[c + 1] { slotOfRow[rows[e]] = map[e] }
            diagonalSlots[c] = slotOfRow[c]
            for t in rowStarts[c]..<rowStarts[c + 1] {
                let q = rowEntries[t]
                let j = columnOf[q]
                let u = q - cs[j], length = cs[j + 1] - cs[j]
                var r = pairStarts[j] + u * length - u * (u - 1) / 2
                let aq = a.values[q]
                for p in q..<cs[j + 1] {
                    slots[r] = slotOfRow[ri[p]]
                    products[r] = a.values[p] * aq
                    r += 1
                }
            }
        }
        self.pattern = pattern
        self.symbolic = symbolic
        self.matrix = a
        self.pairStarts = pairStarts
        self.pairProduct = products
        self.pairSlot = slots
        self.diagonalSlots = diagonalSlots
    }

    /// Writes A diag(θ) Aᵀ + diag(`shift`) into `values` (internal order of ``symbolic``).
    package func assemble(theta: [Double], shift: [Double]?, into values: inout [Double]) {
        precondition(theta.count == matrix.columnCount && values.count == symbolic.upperNonzeros, "dimension mismatch")
        pairStarts.withUnsafeBufferPointer { ps in
        pairProduct.withUnsafeBufferPointer { product in
        pairSlot.withUnsafeBufferPointer { slot in
        theta.withUnsafeBufferPointer { theta in
        values.withUnsafeMutableBufferPointer { out in
            for s in 0..<out.count { out[s] = 0 }
            for j in 0..<theta.count {
                let t = theta[j]
                for r in ps[j]..<ps[j + 1] { out[slot[r]] += t * product[r] }
            }
        }}}}}
        if let shift {
            for i in 0..<shift.count { values[diagonalSlots[i]] += shift[i] }
        }
    }
}
