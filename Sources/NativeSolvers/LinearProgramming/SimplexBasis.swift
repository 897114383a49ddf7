import LinearAlgebra

/// The basis matrix B of the revised simplex method: a sparse LU factorization of the last
/// refactorized basis (``SparseLU``, Markowitz threshold pivoting) plus a product-form eta
/// file of the pivots since (Dantzig & Orchard-Hays 1954): B⁻¹ = Eₖ⋯E₁(LU)⁻¹, each Eᵢ stored
/// sparsely. A solve costs O(nnz(L) + nnz(U) + nnz(etas) + m). The caller refactorizes when
/// ``needsRefactorization`` says so: after `refactorInterval` updates, or earlier when the
/// eta file has grown past the size of the factors (both bound rounding growth too).
struct SimplexBasis {
    let rowCount: Int
    private var lu: SparseLU?
    /// Pivot row, pivot value and the ftran'd entering column (sparse) of each update.
    private var etaRows: [Int] = []
    private var etaPivots: [Double] = []
    private var etaStarts: [Int] = [0]
    private var etaIndices: [Int] = []
    private var etaValues: [Double] = []
    /// CSC arrays of the basis matrix, reused across refactorizations.
    private var columnStarts: [Int] = []
    private var rowIndices: [Int] = []
    private var values: [Double] = []
    /// Scratch for the LU's in-place solves.
    private var work: [Double]
    /// Scratch for the sparse-pattern solves; `mark` is all false between calls.
    private var sparseWork: SparseLUWorkspace
    private var mark: [Bool]
    /// Updates between refactorizations. The crossover's push raises it for large bases
    /// while it runs (see ``SimplexEngine/dualPush(duals:control:iteration:)``).
    static let defaultRefactorInterval = 100
    var refactorInterval = defaultRefactorInterval
    var updateCount: Int { etaRows.count }
    /// Entries in the current factors (diagnostics).
    var factorNonzeroCount: Int { lu?.factorNonzeroCount ?? 0 }

    init(rowCount: Int) {
        self.rowCount = rowCount
        work = Array(repeating: 0, count: rowCount)
        sparseWork = SparseLUWorkspace(dimension: rowCount)
        mark = Array(repeating: false, count: rowCount)
    }

    /// Whether the eta file is long or heavy enough that a fresh factorization is cheaper.
    var needsRefactorization: Bool {
        etaRows.count >= refactorInterval || etaValues.count > 2 * (lu?.factorNonzeroCount ?? 0) + rowCount
    }

    /// Factors B, whose k-th column is column `basis[k]` of [A −I] (A is m × `structuralCount`).
    /// When B is singular, returns the basis positions and rows the elimination could not
    /// pivot (as many of each; the factor is then unusable until the caller puts the slacks
    /// of those rows in those positions and factors again); otherwise returns an empty list.
    /// `shouldStop` is polled during the factorization; a true answer throws `.interrupted`.
    mutating func refactor(matrix a: SparseMatrix, structuralCount n: Int, basis: [Int],
                           shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) -> [(position: Int, row: Int)] {
        columnStarts.removeAll(keepingCapacity: true)
        rowIndices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        columnStarts.append(0)
        for j in basis {
            if j >= n {
                rowIndices.append(j - n)
                values.append(-1)
            } else {
                for p in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    rowIndices.append(a.rowIndices[p])
                    values.append(a.values[p])
                }
            }
            columnStarts.append(rowIndices.count)
        }
        lu = nil
        let factor = try SparseLU(dimension: rowCount, columnStarts: columnStarts, rowIndices: rowIndices, values: values,
                                  pivotThreshold: 0.1, pivotTolerance: 1e-11, allowSingular: true, shouldStop: shouldStop)
        lu = factor
        etaRows.removeAll(keepingCapacity: true)
        etaPivots.removeAll(keepingCapacity: true)
        etaStarts.removeAll(keepingCapacity: true)
        etaStarts.append(0)
        etaIndices.removeAll(keepingCapacity: true)
        etaValues.removeAll(keepingCapacity: true)
        return Array(zip(factor.singularColumns, factor.singularRows)).map { (position: $0.0, row: $0.1) }
    }

    /// x ← B⁻¹x (ftran): x holds a vector indexed by row on entry, by basis position on return.
    mutating func solve(_ x: inout [Double]) {
        guard let lu else { return }
        lu.solve(&x, work: &work)
        for e in 0..<etaRows.count {
            let r = etaRows[e]
            let xr = x[r] / etaPivots[e]
            if xr == 0 { x[r] = 0; continue }
            for p in etaStarts[e]..<etaStarts[e + 1] { x[etaIndices[p]] -= etaValues[p] * xr }
            x[r] = xr
        }
    }

    /// x ← B⁻ᵀx (btran): x holds a vector indexed by basis position on entry, by row on return.
    mutating func solveTransposed(_ x: inout [Double]) {
        guard let lu else { return }
        var e = etaRows.count - 1
        while e >= 0 {
            let r = etaRows[e]
            var s = x[r]
            for p in etaStarts[e]..<etaStarts[e + 1] { s -= etaValues[p] * x[etaIndices[p]] }
            x[r] = s / etaPivots[e]
            e -= 1
        }
        lu.solveTransposed(&x, work: &work)
    }

    /// Records the pivot that replaces basis position `row` by the column whose ftran is
    /// `alpha`.
    mutating func update(row: Int, alpha: [Double]) {
        etaRows.append(row)
        etaPivots.append(alpha[row])
        for (i, v) in alpha.enumerated() where i != row && v != 0 {
            etaIndices.append(i)
            etaValues.append(v)
        }
        etaStarts.append(etaIndices.count)
    }

    /// ``update(row:alpha:)`` for an `alpha` that is zero outside `pattern`: O(|pattern|)
    /// instead of a scan of all m entries.
    mutating func update(row: Int, alpha: [Double], pattern: [Int]) {
        etaRows.append(row)
        etaPivots.append(alpha[row])
        for i in pattern where i != row && alpha[i] != 0 {
            etaIndices.append(i)
            etaValues.append(alpha[i])
        }
        etaStarts.append(etaIndices.count)
    }

    /// ``solve(_:)`` for a sparse x: zero outside `pattern` (distinct indices) on entry and
    /// on return, when `pattern` lists the result's possibly nonzero entries. The work is
    /// proportional to the entries reached, not to m, while the result stays sparse (ken-18's
    /// crossover: tens of nonzeros of 10⁵ rows); the order of `pattern` is unspecified.
    mutating func solve(_ x: inout [Double], pattern: inout [Int]) {
        guard let lu else { return }
        lu.solve(&x, pattern: &pattern, workspace: &sparseWork)
        guard !etaRows.isEmpty else { return }
        for i in pattern { mark[i] = true }
        for e in 0..<etaRows.count {
            let r = etaRows[e]
            let x0 = x[r]
            if x0 == 0 { continue }
            let xr = x0 / etaPivots[e]
            for p in etaStarts[e]..<etaStarts[e + 1] {
                let i = etaIndices[p]
                if !mark[i] { mark[i] = true; pattern.append(i) }
                x[i] -= etaValues[p] * xr
            }
            x[r] = xr
        }
        for i in pattern { mark[i] = false }
    }

    /// ``solveTransposed(_:)`` for a sparse x; see ``solve(_:pattern:)``.
    mutating func solveTransposed(_ x: inout [Double], pattern: inout [Int]) {
        guard let lu else { return }
        if !etaRows.isEmpty {
            for i in pattern { mark[i] = true }
            // Every eta's dot product, O(nnz(etas)): unchecked buffers, since with the push's
            // long eta file this loop is most of a btran.
            etaIndices.withUnsafeBufferPointer { indices in
                etaValues.withUnsafeBufferPointer { values in
                    x.withUnsafeMutableBufferPointer { x in
                        var e = etaRows.count - 1
                        while e >= 0 {
                            let r = etaRows[e]
                            var s = x[r]
                            for p in etaStarts[e]..<etaStarts[e + 1] { s -= values[p] * x[indices[p]] }
                            if s != 0 && !mark[r] { mark[r] = true; pattern.append(r) }
                            x[r] = s / etaPivots[e]
                            e -= 1
                        }
                    }
                }
            }
            for i in pattern { mark[i] = false }
        }
        lu.solveTransposed(&x, pattern: &pattern, workspace: &sparseWork)
    }
}
