import LinearAlgebra

/// The quasi-definite augmented (KKT) system of an interior-point iteration for a QP,
///
///     [ −(Q + D)   Aᵀ ] [Δx]   [r_x]
///     [    A       0  ] [Δy] = [r_y]
///
/// with D the diagonal barrier term (plus the primal regularization ρ). It is factored
/// as K + diag(−δ_p I, +δ_d I) by ``SparseLDLT`` with expected pivot signs (− on the x
/// block, + on the y block; Vanderbei, "Symmetric quasi-definite matrices", SIAM J.
/// Optim. 5, 1995), so any symmetric ordering is stable enough; the minimum-degree
/// ordering and symbolic analysis are done once. The static regularization δ is then
/// removed by iterative refinement against the unregularized K (Altman and Gondzio,
/// "Regularized symmetric indefinite systems in interior point methods", OMS 11, 1999).
///
/// Unlike the normal equations, this handles any sparse symmetric Q, free columns (whose
/// D is just ρ) and dense columns of A without fill blow-up.
struct IPMAugmentedSystem {
    let n: Int
    let m: Int
    let a: SparseMatrix
    let q: SparseMatrix
    /// Q's diagonal (zero where Q has no diagonal entry).
    let qDiagonal: [Double]
    private var factorization: SparseLDLT
    /// K's values in the factorization's internal order, without the diagonal shift.
    private var values: [Double]
    /// Internal slot of K's diagonal entry for each of the n + m indices.
    private let diagonalSlot: [Int]
    /// Internal slots and values (−Q_ij) of Q's strictly lower entries.
    private let offDiagonalSlot: [Int]
    private let offDiagonalValue: [Double]
    private var vx: [Double]
    private var vy: [Double]
    private var shift: [Double]
    private var residual: [Double]
    private var correction: [Double]
    private var original: [Double]
    private var scratch: [Double]
    private var productN: [Double]
    private var productM: [Double]

    /// Number of refinement steps taken in the last ``solve(_:)``.
    private(set) var refinementSteps = 0

    /// `shouldStop` is asked during the ordering (`.interrupted`).
    init(a: SparseMatrix, q: SparseMatrix, regularization: Double, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = a.columnCount, m = a.rowCount
        self.n = n
        self.m = m
        self.a = a
        self.q = q
        // Lower triangle of K by columns: diagonal first, then Q below it, then A.
        var starts = [0], rows: [Int] = [], entries: [Double] = []
        var diagonal = Array(repeating: 0.0, count: n)
        var diagonalEntry = Array(repeating: 0, count: n + m)
        var offDiagonalEntry: [Int] = []
        for j in 0..<n {
            diagonalEntry[j] = rows.count
            rows.append(j); entries.append(0)
            for k in q.columnStarts[j]..<q.columnStarts[j + 1] {
                let i = q.rowIndices[k]
                if i == j {
                    diagonal[j] += q.values[k]
                } else if i > j {
                    offDiagonalEntry.append(rows.count)
                    rows.append(i); entries.append(-q.values[k])
                }
            }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                rows.append(n + a.rowIndices[k]); entries.append(a.values[k])
            }
            starts.append(rows.count)
        }
        for i in 0..<m {
            diagonalEntry[n + i] = rows.count
            rows.append(n + i); entries.append(0)
            starts.append(rows.count)
        }
        let pattern = try SparseMatrix(rowCount: n + m, columnCount: n + m, columnStarts: starts, rowIndices: rows, values: entries)
        let symbolic = try SparseLDLTSymbolic(pattern: pattern, shouldStop: shouldStop)
        let signs = (0..<(n + m)).map { $0 < n ? -1.0 : 1.0 }
        // A tiny or wrong-signed pivot becomes sign·1e-5 (dynamic regularization, as in
        // Clarabel's QDLDL), not the LP path's 1e128: that value drops the variable from
        // the solve, and refinement can then never repair its component of the dual
        // residual (QSHARE1B, Q25FV47, QSCFXM1/3 stalled near 1e-5 with replaced pivots).
        // 1e-5 measured best among 1e-9, 1e-7, 1e-5 and 1 on the Q-Netlib QPs (QRECIPE
        // breaks down below it, QSHARE1B stalls above it).
        factorization = SparseLDLT(symbolic: symbolic, signs: signs,
                                   policy: PivotPolicy(staticRegularization: regularization, replacement: 1e-5))
        values = symbolic.internalValues(of: pattern)
        diagonalSlot = diagonalEntry.map { symbolic.entryMap[$0] }
        offDiagonalSlot = offDiagonalEntry.map { symbolic.entryMap[$0] }
        offDiagonalValue = offDiagonalEntry.map { entries[$0] }
        vx = Array(repeating: 0, count: n)
        vy = Array(repeating: 0, count: m)
        qDiagonal = diagonal
        shift = Array(repeating: 0, count: n)
        residual = Array(repeating: 0, count: n + m)
        correction = Array(repeating: 0, count: n + m)
        original = Array(repeating: 0, count: n + m)
        scratch = Array(repeating: 0, count: n + m)
        productN = Array(repeating: 0, count: n)
        productM = Array(repeating: 0, count: m)
    }

    /// Number of pivots the last factorization had to replace (wrong sign or tiny).
    var replacedPivots: Int { factorization.replacedPivots }

    /// Factors K for the diagonal D (`shift`, n entries, D ≥ 0). `withQuadratic == false`
    /// drops Q (used for the starting point, where only the constraints matter).
    /// `shouldStop` as in ``SparseLDLT/factor(internalValues:shouldStop:)``.
    mutating func factor(shift d: [Double], withQuadratic: Bool = true, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        for j in 0..<n {
            shift[j] = d[j]
            values[diagonalSlot[j]] = -((withQuadratic ? qDiagonal[j] : 0) + d[j])
        }
        for i in 0..<m { values[diagonalSlot[n + i]] = 0 }
        for (slot, value) in zip(offDiagonalSlot, offDiagonalValue) { values[slot] = withQuadratic ? value : 0 }
        try factorization.factor(internalValues: values, shouldStop: shouldStop)
        withoutQuadratic = !withQuadratic
    }

    private var withoutQuadratic = false

    /// residual = original − K·v for the unregularized K of the last factorization.
    private mutating func computeResidual(_ v: [Double]) {
        // x block: −(Q + D)vₓ + Aᵀv_y; y block: A vₓ.
        for j in 0..<n { vx[j] = v[j] }
        for i in 0..<m { vy[i] = v[n + i] }
        if withoutQuadratic {
            for j in 0..<n { productN[j] = 0 }
        } else {
            q.multiply(vx, into: &productN)
        }
        for j in 0..<n { residual[j] = -productN[j] - shift[j] * vx[j] }
        a.transposeMultiply(vy, into: &productN)
        for j in 0..<n { residual[j] = original[j] - residual[j] - productN[j] }
        a.multiply(vx, into: &productM)
        for i in 0..<m { residual[n + i] = original[n + i] - productM[i] }
    }

    /// Solves K v = rhs in place (rhs = [r_x; r_y]), refining up to `maxRefinement` times
    /// while the residual falls.
    mutating func solve(_ rhs: inout [Double], maxRefinement: Int = 3) {
        for k in 0..<(n + m) { original[k] = rhs[k] }
        factorization.solve(&rhs, scratch: &scratch)
        refinementSteps = 0
        let rhsNorm = Vector.normInf(original)
        var previous = Double.infinity
        for _ in 0..<maxRefinement {
            computeResidual(rhs)
            let norm = Vector.normInf(residual)
            if norm <= 1e-14 * (1 + rhsNorm) || norm >= 0.5 * previous { break }
            previous = norm
            for k in 0..<(n + m) { correction[k] = residual[k] }
            factorization.solve(&correction, scratch: &scratch)
            for k in 0..<(n + m) { rhs[k] += correction[k] }
            refinementSteps += 1
        }
    }
}
