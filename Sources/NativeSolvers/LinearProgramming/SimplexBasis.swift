import LinearAlgebra

/// The basis matrix B of the revised simplex method, as a dense LU factorization of the
/// last refactorized basis plus a product-form eta file of the pivots since
/// (Dantzig & Orchard-Hays 1954): B⁻¹ = Eₖ⋯E₁(LU)⁻¹. Refactorized every
/// `refactorInterval` updates, which bounds both the eta file and rounding growth.
/// Dense, so O(m²) per solve and O(m³) per refactorization: meant for the small and
/// medium problems of the test set, not for large sparse LPs.
struct SimplexBasis {
    let rowCount: Int
    private var lu: DenseLU?
    /// Pivot row, pivot value and the ftran'd entering column (sparse) of each update.
    private var etaRows: [Int] = []
    private var etaPivots: [Double] = []
    private var etaStarts: [Int] = [0]
    private var etaIndices: [Int] = []
    private var etaValues: [Double] = []
    var updateCount: Int { etaRows.count }

    init(rowCount: Int) { self.rowCount = rowCount }

    /// Factors B from its columns (dense, length m each). `shouldStop` is asked before each
    /// column of the O(m³) factorization; a true answer throws `.interrupted`.
    mutating func refactor(columns: (Int) -> [(Int, Double)], basis: [Int], shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        var b = DenseMatrix(rows: rowCount, columns: rowCount)
        for (k, j) in basis.enumerated() {
            for (i, v) in columns(j) { b[i, k] = v }
        }
        lu = try DenseLU(b, tolerance: 1e-11, shouldStop: shouldStop)
        etaRows.removeAll(keepingCapacity: true)
        etaPivots.removeAll(keepingCapacity: true)
        etaStarts = [0]
        etaIndices.removeAll(keepingCapacity: true)
        etaValues.removeAll(keepingCapacity: true)
    }

    /// B⁻¹v (ftran).
    func solve(_ v: [Double]) -> [Double] {
        guard let lu else { return v }
        var x = lu.solve(v)
        for e in 0..<etaRows.count {
            let r = etaRows[e]
            let xr = x[r] / etaPivots[e]
            if xr == 0 { x[r] = 0; continue }
            for p in etaStarts[e]..<etaStarts[e + 1] { x[etaIndices[p]] -= etaValues[p] * xr }
            x[r] = xr
        }
        return x
    }

    /// B⁻ᵀv (btran).
    func solveTransposed(_ v: [Double]) -> [Double] {
        guard let lu else { return v }
        var x = v
        var e = etaRows.count - 1
        while e >= 0 {
            let r = etaRows[e]
            var s = x[r]
            for p in etaStarts[e]..<etaStarts[e + 1] { s -= etaValues[p] * x[etaIndices[p]] }
            x[r] = s / etaPivots[e]
            e -= 1
        }
        return lu.solveTransposed(x)
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
}
