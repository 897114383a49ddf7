/// The symbolic part of a sparse LDLᵀ factorization of a symmetric matrix M: a
/// fill-reducing permutation P, the elimination tree and the column counts of L for
/// PMPᵀ = LDLᵀ. Computed once per sparsity pattern; ``SparseLDLT`` then factors any
/// matrix with this pattern.
///
/// The input pattern may hold either triangle or both; entries are mapped into an
/// internal upper-triangular CSC layout of PMPᵀ (``entryMap``), so callers that assemble
/// M repeatedly (interior-point normal equations) can write straight into it.
///
/// Algorithm: elimination tree and row counts as in Davis's LDL package (T. A. Davis,
/// "Algorithm 849: a concise sparse Cholesky factorization package", ACM TOMS 31, 2005).
package struct SparseLDLTSymbolic: Sendable {
    /// Order of M.
    package let dimension: Int
    /// `permutation[k]` = the original index in position k of PMPᵀ.
    package let permutation: [Int]
    /// `inversePermutation[i]` = the position of original index i.
    package let inversePermutation: [Int]
    /// Column starts of the upper triangle of PMPᵀ (column k holds rows ≤ k, diagonal last).
    let upperStarts: [Int]
    let upperRows: [Int]
    /// For each stored entry of the input pattern, its slot in the internal upper
    /// storage, or −1 for an entry mirrored from the other triangle (ignored).
    package let entryMap: [Int]
    /// Slot of each diagonal entry (in permuted order) in the internal storage.
    let diagonalSlot: [Int]
    /// Elimination tree parent of each column of L (−1 for a root).
    let parent: [Int]
    /// Column starts of L (strictly lower part).
    let factorStarts: [Int]
    /// First column of the trailing block of L that is factored as a dense matrix
    /// (`dimension` when there is none): see ``denseTrailingDensity``.
    package let denseStart: Int

    /// Default for the `denseTrailingDensity` argument of ``init(pattern:permutation:denseTrailingDensity:)``.
    /// Interior-point normal equations with medium-dense columns (Netlib israel, agg)
    /// have factors whose last few hundred columns are nearly full; there a dense kernel
    /// on contiguous storage runs several times faster than the sparse scatter loops.
    package static let defaultDenseTrailingDensity = 0.7
    /// Dense blocks smaller than this gain nothing; larger than the maximum would
    /// allocate order² doubles, so the sparse kernel is kept.
    static let minimumDenseOrder = 24
    static let maximumDenseOrder = 3000

    /// Number of stored entries in the internal upper triangle.
    package var upperNonzeros: Int { upperRows.count }
    /// Number of strictly-lower nonzeros of L.
    package var factorNonzeros: Int { factorStarts[dimension] }
    /// Multiply–adds of one numeric factorization, Σₖ cₖ² over the column counts cₖ of L
    /// (dense trailing block included): with ``factorNonzeros`` (a solve is ≈ 2 of them)
    /// it lets a caller weigh an extra solve against a factorization.
    package var factorizationOperations: Double {
        var total = 0.0
        for k in 0..<dimension {
            let count = Double(factorStarts[k + 1] - factorStarts[k])
            total += count * count
        }
        return total
    }

    /// Analyzes the pattern of `matrix` (square) with an approximate minimum degree
    /// ordering (``MinimumDegreeOrdering``), or with `permutation` when given. The longest
    /// trailing block of L (columns k₀..<n) whose strictly-lower part is at least
    /// `denseTrailingDensity` full is stored and factored densely (nil: never). `shouldStop` is passed to the ordering (`.interrupted`).
    package init(pattern matrix: SparseMatrix, permutation given: [Int]? = nil,
                denseTrailingDensity: Double? = SparseLDLTSymbolic.defaultDenseTrailingDensity,
                shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = matrix.columnCount
        guard matrix.rowCount == n else { throw .dimensionMismatch("LDLᵀ needs a square matrix, got \(matrix.rowCount)×\(n)") }
        let perm: [Int]
        if let given { perm = given } else { perm = try MinimumDegreeOrdering.order(matrix, shouldStop: shouldStop) }
        guard perm.count == n else { throw .dimensionMismatch("permutation has \(perm.count) entries for order \(n)") }
        var inverse = Array(repeating: -1, count: n)
        for (k, v) in perm.enumerated() {
            guard v >= 0, v < n, inverse[v] < 0 else { throw .indexOutOfRange("permutation is not a permutation of 0..<\(n)") }
            inverse[v] = k
        }
        // Count entries per permuted column of the upper triangle (+ diagonal always).
        // An input entry (i, j) goes to column max(pi, pj), row min(pi, pj). If both
        // (i, j) and (j, i) are stored, only the one from the lower triangle (i ≥ j) is kept,
        // unless only the upper one exists.
        let hasLower = (0..<n).contains { j in
            (matrix.columnStarts[j]..<matrix.columnStarts[j + 1]).contains { matrix.rowIndices[$0] > j }
        }
        let hasUpper = (0..<n).contains { j in
            (matrix.columnStarts[j]..<matrix.columnStarts[j + 1]).contains { matrix.rowIndices[$0] < j }
        }
        let keepLower = hasLower || !hasUpper
        var counts = Array(repeating: 0, count: n + 1)
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i == j { continue }
                if (i > j) != keepLower { continue }
                counts[max(inverse[i], inverse[j]) + 1] += 1
            }
        }
        for k in 0..<n { counts[k + 1] += 1 } // diagonal slot for every column
        for k in 0..<n { counts[k + 1] += counts[k] }
        var fill = counts
        var rows = Array(repeating: 0, count: counts[n])
        var map = Array(repeating: -1, count: matrix.nonzeroCount)
        var diagonalSlot = Array(repeating: 0, count: n)
        // Place off-diagonals first, then the diagonal last in each column.
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i == j || (i > j) != keepLower { continue }
                let pi = inverse[i], pj = inverse[j]
                let column = max(pi, pj)
                rows[fill[column]] = min(pi, pj)
                map[k] = fill[column]
                fill[column] += 1
            }
        }
        for k in 0..<n {
            diagonalSlot[k] = fill[k]
            rows[fill[k]] = k
            fill[k] += 1
        }
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] where matrix.rowIndices[k] == j {
                map[k] = diagonalSlot[inverse[j]]
            }
        }
        // Elimination tree and column counts of L (ldl_symbolic).
        var parent = Array(repeating: -1, count: n)
        var flag = Array(repeating: -1, count: n)
        var columnCounts = Array(repeating: 0, count: n)
        for k in 0..<n {
            flag[k] = k
            for p in counts[k]..<counts[k + 1] {
                var i = rows[p]
                if i >= k { continue }
                while flag[i] != k {
                    if parent[i] == -1 { parent[i] = k }
                    columnCounts[i] += 1
                    flag[i] = k
                    i = parent[i]
                }
            }
        }
        var starts = Array(repeating: 0, count: n + 1)
        for k in 0..<n { starts[k + 1] = starts[k] + columnCounts[k] }

        self.dimension = n
        self.permutation = perm
        self.inversePermutation = inverse
        self.upperStarts = counts
        self.upperRows = rows
        self.entryMap = map
        self.diagonalSlot = diagonalSlot
        self.parent = parent
        self.factorStarts = starts
        self.denseStart = Self.denseStart(columnCounts: columnCounts, density: denseTrailingDensity)
    }

    /// Smallest k₀ such that columns k₀..<n of L hold at least `density` of the
    /// (n−k₀)(n−k₀−1)/2 possible strictly-lower entries, within the size limits.
    static func denseStart(columnCounts: [Int], density: Double?) -> Int {
        let n = columnCounts.count
        guard let density, density.isFinite, density <= 1 else { return n }
        var best = n
        var entries = 0
        var k = n - 1
        while k >= 0 && n - k <= maximumDenseOrder {
            entries += columnCounts[k]
            let order = n - k
            if order >= minimumDenseOrder && Double(entries) >= density * Double(order * (order - 1) / 2) { best = k }
            k -= 1
        }
        return best
    }

    /// Scatters the values of a matrix with the analyzed pattern into internal order.
    package func internalValues(of matrix: SparseMatrix) -> [Double] {
        var values = Array(repeating: 0.0, count: upperNonzeros)
        for k in 0..<matrix.nonzeroCount where entryMap[k] >= 0 { values[entryMap[k]] += matrix.values[k] }
        return values
    }
}

/// How ``SparseLDLT`` treats small or wrong-signed pivots.
package struct PivotPolicy: Sendable, Equatable {
    /// Added to every diagonal entry, times its expected sign (static regularization).
    package var staticRegularization: Double
    /// A pivot d with sign·d ≤ `pivotTolerance`·max(|M_kk|, 1e-300) is replaced by
    /// sign·`replacement` (dynamic regularization; with a huge replacement the pivot's
    /// row and column drop out of the solve, as in Wright's "modified Cholesky" for
    /// interior-point normal equations and LIPSOL).
    package var pivotTolerance: Double
    package var replacement: Double

    package init(staticRegularization: Double = 0, pivotTolerance: Double = 1e-14, replacement: Double = 1e128) {
        self.staticRegularization = staticRegularization
        self.pivotTolerance = pivotTolerance
        self.replacement = replacement
    }
}

/// The numeric LDLᵀ factorization PMPᵀ = LDLᵀ of a symmetric matrix with a pattern
/// analyzed by ``SparseLDLTSymbolic``.
///
/// Up-looking (row-by-row) factorization, Davis's LDL algorithm: row k of L is found by
/// a sparse triangular solve whose pattern is the reach of row k's entries in the
/// elimination tree. With `signs` all +1 this is a Cholesky of a positive (semi)definite
/// matrix without square roots; with mixed signs it factors quasi-definite matrices
/// [−H Aᵀ; A δI] whose pivot signs are known in advance (Vanderbei 1995).
///
/// When the symbolic analysis found a dense trailing block (columns k₀ = `denseStart`
/// onwards), the rows k ≥ k₀ run the same up-looking solve over the sparse columns only,
/// which leaves the Schur complement M₂₂ − L₂₁D₁L₂₁ᵀ in the work vector; it is copied
/// into a contiguous dense matrix and factored by a blocked right-looking LDLᵀ
/// (``DenseLDLTKernel``) with the same pivot policy. This is the "dense trailing
/// block" remedy of supernodal codes for the nearly full factors that medium-dense
/// columns cause in interior-point normal equations.
/// Buffers are allocated once; ``factor(_:)`` can be called every iteration.
package struct SparseLDLT: Sendable {
    package let symbolic: SparseLDLTSymbolic
    /// Expected pivot sign per original index (nil: all positive).
    package var signs: [Double]?
    package var policy: PivotPolicy
    private var factorRows: [Int]
    private var factorValues: [Double]
    private var diagonal: [Double]
    private var work: [Double]
    private var pattern: [Int]
    private var flag: [Int]
    private var lengths: [Int]
    /// Dense trailing block (order n − k₀, row-major, strictly lower part = L₂₂), the
    /// original diagonal entries of its rows (pivot thresholds) and the kernel's panel.
    private var dense: [Double]
    private var denseDiagonal: [Double]
    private var densePanel: [Double]
    /// Number of pivots replaced in the last factorization.
    package private(set) var replacedPivots = 0

    package init(symbolic: SparseLDLTSymbolic, signs: [Double]? = nil, policy: PivotPolicy = PivotPolicy()) {
        self.symbolic = symbolic
        self.signs = signs
        self.policy = policy
        let n = symbolic.dimension
        let denseOrder = n - symbolic.denseStart
        // Columns of the dense block keep no sparse entries.
        let sparseNonzeros = symbolic.factorStarts[symbolic.denseStart]
        factorRows = Array(repeating: 0, count: sparseNonzeros)
        factorValues = Array(repeating: 0, count: sparseNonzeros)
        diagonal = Array(repeating: 0, count: n)
        work = Array(repeating: 0, count: n)
        pattern = Array(repeating: 0, count: n)
        flag = Array(repeating: 0, count: n)
        lengths = Array(repeating: 0, count: n)
        dense = Array(repeating: 0, count: denseOrder * denseOrder)
        denseDiagonal = Array(repeating: 0, count: denseOrder)
        densePanel = Array(repeating: 0, count: denseOrder > 0 ? DenseLDLTKernel.panelWidth * denseOrder : 0)
    }

    /// Factors the matrix whose values are given in the symbolic object's internal order
    /// (see ``SparseLDLTSymbolic/entryMap``). Never fails: tiny or wrong-signed pivots are
    /// replaced per ``policy`` and counted in ``replacedPivots``; non-finite input gives
    /// `.singular`. `shouldStop` is asked every 16 columns and before each panel of the
    /// dense trailing block (a time limit, a cancellation); when it answers true the
    /// factorization ends with `.interrupted`.
    package mutating func factor(internalValues values: [Double], shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = symbolic.dimension
        let k0 = symbolic.denseStart
        let denseOrder = n - k0
        guard values.count == symbolic.upperNonzeros else {
            throw .dimensionMismatch("\(values.count) values for a pattern of \(symbolic.upperNonzeros)")
        }
        var replaced = 0
        var failed = false
        var stopped = false
        let policy = self.policy
        let signs = self.signs
        symbolic.upperStarts.withUnsafeBufferPointer { ap in
        symbolic.upperRows.withUnsafeBufferPointer { ai in
        symbolic.parent.withUnsafeBufferPointer { parent in
        symbolic.factorStarts.withUnsafeBufferPointer { lp in
        symbolic.permutation.withUnsafeBufferPointer { perm in
        values.withUnsafeBufferPointer { ax in
        factorRows.withUnsafeMutableBufferPointer { li in
        factorValues.withUnsafeMutableBufferPointer { lx in
        diagonal.withUnsafeMutableBufferPointer { d in
        work.withUnsafeMutableBufferPointer { y in
        pattern.withUnsafeMutableBufferPointer { pat in
        flag.withUnsafeMutableBufferPointer { flag in
        lengths.withUnsafeMutableBufferPointer { lnz in
        dense.withUnsafeMutableBufferPointer { block in
        denseDiagonal.withUnsafeMutableBufferPointer { blockDiagonal in
            for k in 0..<n {
                if k & 15 == 0, let shouldStop, shouldStop() { stopped = true; break }
                // Row k of L over the sparse columns (< k₀); y[k₀...k] collects row k of
                // the Schur complement when k is in the dense block.
                y[k] = 0
                var top = n
                flag[k] = k
                lnz[k] = 0
                var diagonalEntry = 0.0
                for p in ap[k]..<ap[k + 1] {
                    var i = ai[p]
                    y[i] += ax[p]
                    if i == k { diagonalEntry = ax[p]; continue }
                    var length = 0
                    while i < k0 && flag[i] != k {
                        pat[length] = i
                        length += 1
                        flag[i] = k
                        i = parent[i]
                    }
                    while length > 0 {
                        top -= 1
                        length -= 1
                        pat[top] = pat[length]
                    }
                }
                // Static regularization here for the sparse rows; the dense kernel adds it to its own.
                var dk = k < k0 ? y[k] + (signs?[perm[k]] ?? 1) * policy.staticRegularization : y[k]
                y[k] = 0
                while top < n {
                    let i = pat[top]
                    let yi = y[i]
                    y[i] = 0
                    let start = lp[i], end = lp[i] + lnz[i]
                    var q = start
                    while q < end {
                        y[li[q]] -= lx[q] * yi
                        q += 1
                    }
                    let lki = yi / d[i]
                    dk -= lki * yi
                    li[end] = k
                    lx[end] = lki
                    lnz[i] += 1
                    top += 1
                }
                if k >= k0 {
                    let row = (k - k0) * denseOrder - k0
                    for r in k0..<k { block[row + r] = y[r]; y[r] = 0 }
                    block[row + k] = dk
                    blockDiagonal[k - k0] = diagonalEntry
                    continue
                }
                let sign = signs?[perm[k]] ?? 1
                if !dk.isFinite { failed = true; dk = sign * policy.replacement }
                let threshold = policy.pivotTolerance * max(abs(diagonalEntry), 1e-300)
                if sign * dk <= threshold {
                    dk = sign * policy.replacement
                    replaced += 1
                }
                d[k] = dk
            }
        }}}}}}}}}}}}}}}
        if stopped { throw .interrupted }
        if denseOrder > 0 {
            let result = DenseLDLTKernel.factor(order: denseOrder, matrix: &dense, originalDiagonal: denseDiagonal,
                                                pivots: &diagonal, pivotOffset: k0, panel: &densePanel,
                                                signs: signs, permutation: symbolic.permutation, policy: policy,
                                                shouldStop: shouldStop)
            if result.stopped { throw .interrupted }
            replaced += result.replaced
            failed = failed || result.failed
        }
        replacedPivots = replaced
        if failed { throw .singular("non-finite value during LDLᵀ factorization") }
    }

    /// Factors a matrix with exactly the analyzed pattern; `shouldStop` as in
    /// ``factor(internalValues:shouldStop:)``.
    package mutating func factor(_ matrix: SparseMatrix, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        guard matrix.nonzeroCount == symbolic.entryMap.count, matrix.columnCount == symbolic.dimension else {
            throw .dimensionMismatch("matrix pattern differs from the analyzed one")
        }
        try factor(internalValues: symbolic.internalValues(of: matrix), shouldStop: shouldStop)
    }

    /// Solves M x = b in place (b in the original ordering). `scratch` must have
    /// `dimension` entries; it is overwritten.
    package func solve(_ b: inout [Double], scratch: inout [Double]) {
        let n = symbolic.dimension
        let k0 = symbolic.denseStart
        let denseOrder = n - k0
        symbolic.permutation.withUnsafeBufferPointer { perm in
        symbolic.factorStarts.withUnsafeBufferPointer { lp in
        factorRows.withUnsafeBufferPointer { li in
        factorValues.withUnsafeBufferPointer { lx in
        diagonal.withUnsafeBufferPointer { d in
        dense.withUnsafeBufferPointer { block in
        b.withUnsafeMutableBufferPointer { b in
        scratch.withUnsafeMutableBufferPointer { x in
            for k in 0..<n { x[k] = b[perm[k]] }
            // L x = b (L stored by columns, unit diagonal), sparse columns then the dense block by rows.
            for j in 0..<k0 {
                let xj = x[j]
                if xj == 0 { continue }
                for p in lp[j]..<lp[j + 1] { x[li[p]] -= lx[p] * xj }
            }
            // Dense block by rows: dot products with two SIMD2 partial sums, through raw
            // pointers so that no overflow-checked index arithmetic blocks vectorization.
            if denseOrder > 0, let blockBase = block.baseAddress, let xBase = x.baseAddress {
                let xd = xBase + k0
                for t in 0..<denseOrder {
                    let rowPointer = blockBase + t * denseOrder
                    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
                    var r = 0
                    while r + 4 <= t {
                        s0 += DenseLDLTKernel.load(rowPointer + r) * DenseLDLTKernel.load(xd + r)
                        s1 += DenseLDLTKernel.load(rowPointer + r + 2) * DenseLDLTKernel.load(xd + r + 2)
                        r += 4
                    }
                    var tail = 0.0
                    while r < t { tail += rowPointer[r] * xd[r]; r += 1 }
                    let sum = s0 + s1
                    xd[t] -= (sum[0] + sum[1]) + tail
                }
            }
            for j in 0..<n { x[j] /= d[j] }
            // Lᵀ x = y: the dense block (rows in decreasing order, as column sweeps), then the sparse columns.
            if denseOrder > 0, let blockBase = block.baseAddress, let xBase = x.baseAddress {
                let xd = xBase + k0
                var t = denseOrder - 1
                while t >= 0 {
                    let rowPointer = blockBase + t * denseOrder
                    let xt = xd[t]
                    if xt != 0 { for r in 0..<t { xd[r] -= rowPointer[r] * xt } }
                    t -= 1
                }
            }
            var j = k0 - 1
            while j >= 0 {
                var s = x[j]
                for p in lp[j]..<lp[j + 1] { s -= lx[p] * x[li[p]] }
                x[j] = s
                j -= 1
            }
            for k in 0..<n { b[perm[k]] = x[k] }
        }}}}}}}}
    }

    /// Solves M x = b, returning x.
    package func solve(_ b: [Double]) -> [Double] {
        var x = b
        var scratch = Array(repeating: 0.0, count: symbolic.dimension)
        solve(&x, scratch: &scratch)
        return x
    }

    /// The diagonal D of the factorization (in permuted order).
    package var pivots: [Double] { diagonal }
}
