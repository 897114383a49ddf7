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
public struct SparseLDLTSymbolic: Sendable {
    /// Order of M.
    public let dimension: Int
    /// `permutation[k]` = the original index in position k of PMPᵀ.
    public let permutation: [Int]
    /// `inversePermutation[i]` = the position of original index i.
    public let inversePermutation: [Int]
    /// Column starts of the upper triangle of PMPᵀ (column k holds rows ≤ k, diagonal last).
    let upperStarts: [Int]
    let upperRows: [Int]
    /// For each stored entry of the input pattern, its slot in the internal upper
    /// storage, or −1 for an entry mirrored from the other triangle (ignored).
    public let entryMap: [Int]
    /// Slot of each diagonal entry (in permuted order) in the internal storage.
    let diagonalSlot: [Int]
    /// Elimination tree parent of each column of L (−1 for a root).
    let parent: [Int]
    /// Column starts of L (strictly lower part).
    let factorStarts: [Int]

    /// Number of stored entries in the internal upper triangle.
    public var upperNonzeros: Int { upperRows.count }
    /// Number of strictly-lower nonzeros of L.
    public var factorNonzeros: Int { factorStarts[dimension] }

    /// Analyzes the pattern of `matrix` (square) with a minimum-degree ordering, or with
    /// `permutation` when given. `shouldStop` is passed to the ordering (`.interrupted`).
    public init(pattern matrix: SparseMatrix, permutation given: [Int]? = nil, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
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
    }

    /// Scatters the values of a matrix with the analyzed pattern into internal order.
    public func internalValues(of matrix: SparseMatrix) -> [Double] {
        var values = Array(repeating: 0.0, count: upperNonzeros)
        for k in 0..<matrix.nonzeroCount where entryMap[k] >= 0 { values[entryMap[k]] += matrix.values[k] }
        return values
    }
}

/// How ``SparseLDLT`` treats small or wrong-signed pivots.
public struct PivotPolicy: Sendable, Equatable {
    /// Added to every diagonal entry, times its expected sign (static regularization).
    public var staticRegularization: Double
    /// A pivot d with sign·d ≤ `pivotTolerance`·max(|M_kk|, 1e-300) is replaced by
    /// sign·`replacement` (dynamic regularization; with a huge replacement the pivot's
    /// row and column drop out of the solve, as in Wright's "modified Cholesky" for
    /// interior-point normal equations and LIPSOL).
    public var pivotTolerance: Double
    public var replacement: Double

    public init(staticRegularization: Double = 0, pivotTolerance: Double = 1e-14, replacement: Double = 1e128) {
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
/// Buffers are allocated once; ``factor(_:)`` can be called every iteration.
public struct SparseLDLT: Sendable {
    public let symbolic: SparseLDLTSymbolic
    /// Expected pivot sign per original index (nil: all positive).
    public var signs: [Double]?
    public var policy: PivotPolicy
    private var factorRows: [Int]
    private var factorValues: [Double]
    private var diagonal: [Double]
    private var work: [Double]
    private var pattern: [Int]
    private var flag: [Int]
    private var lengths: [Int]
    /// Number of pivots replaced in the last factorization.
    public private(set) var replacedPivots = 0

    public init(symbolic: SparseLDLTSymbolic, signs: [Double]? = nil, policy: PivotPolicy = PivotPolicy()) {
        self.symbolic = symbolic
        self.signs = signs
        self.policy = policy
        let n = symbolic.dimension
        factorRows = Array(repeating: 0, count: symbolic.factorNonzeros)
        factorValues = Array(repeating: 0, count: symbolic.factorNonzeros)
        diagonal = Array(repeating: 0, count: n)
        work = Array(repeating: 0, count: n)
        pattern = Array(repeating: 0, count: n)
        flag = Array(repeating: 0, count: n)
        lengths = Array(repeating: 0, count: n)
    }

    /// Factors the matrix whose values are given in the symbolic object's internal order
    /// (see ``SparseLDLTSymbolic/entryMap``). Never fails: tiny or wrong-signed pivots are
    /// replaced per ``policy`` and counted in ``replacedPivots``; non-finite input gives
    /// `.singular`. `shouldStop` is asked every 16 columns (a time limit, a cancellation);
    /// when it answers true the factorization ends with `.interrupted`.
    public mutating func factor(internalValues values: [Double], shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = symbolic.dimension
        guard values.count == symbolic.upperNonzeros else {
            throw .dimensionMismatch("\(values.count) values for a pattern of \(symbolic.upperNonzeros)")
        }
        var replaced = 0
        var failed = false
        var stopped = false
        let policy = self.policy
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
            for k in 0..<n {
                if k & 15 == 0, let shouldStop, shouldStop() { stopped = true; break }
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
                    while flag[i] != k {
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
                let sign = signs?[perm[k]] ?? 1
                var dk = y[k] + sign * policy.staticRegularization
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
                if !dk.isFinite { failed = true; dk = sign * policy.replacement }
                let threshold = policy.pivotTolerance * max(abs(diagonalEntry), 1e-300)
                if sign * dk <= threshold {
                    dk = sign * policy.replacement
                    replaced += 1
                }
                d[k] = dk
            }
        }}}}}}}}}}}}}
        if stopped { throw .interrupted }
        replacedPivots = replaced
        if failed { throw .singular("non-finite value during LDLᵀ factorization") }
    }

    /// Factors a matrix with exactly the analyzed pattern.
    public mutating func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        guard matrix.nonzeroCount == symbolic.entryMap.count, matrix.columnCount == symbolic.dimension else {
            throw .dimensionMismatch("matrix pattern differs from the analyzed one")
        }
        try factor(internalValues: symbolic.internalValues(of: matrix))
    }

    /// Solves M x = b in place (b in the original ordering). `scratch` must have
    /// `dimension` entries; it is overwritten.
    public func solve(_ b: inout [Double], scratch: inout [Double]) {
        let n = symbolic.dimension
        symbolic.permutation.withUnsafeBufferPointer { perm in
        symbolic.factorStarts.withUnsafeBufferPointer { lp in
        factorRows.withUnsafeBufferPointer { li in
        factorValues.withUnsafeBufferPointer { lx in
        diagonal.withUnsafeBufferPointer { d in
        b.withUnsafeMutableBufferPointer { b in
        scratch.withUnsafeMutableBufferPointer { x in
            for k in 0..<n { x[k] = b[perm[k]] }
            // L x = b (L stored by columns, unit diagonal).
            for j in 0..<n {
                let xj = x[j]
                if xj == 0 { continue }
                for p in lp[j]..<lp[j + 1] { x[li[p]] -= lx[p] * xj }
            }
            for j in 0..<n { x[j] /= d[j] }
            // Lᵀ x = y.
            var j = n - 1
            while j >= 0 {
                var s = x[j]
                for p in lp[j]..<lp[j + 1] { s -= lx[p] * x[li[p]] }
                x[j] = s
                j -= 1
            }
            for k in 0..<n { b[perm[k]] = x[k] }
        }}}}}}}
    }

    /// Solves M x = b, returning x.
    public func solve(_ b: [Double]) -> [Double] {
        var x = b
        var scratch = Array(repeating: 0.0, count: symbolic.dimension)
        solve(&x, scratch: &scratch)
        return x
    }

    /// The diagonal D of the factorization (in permuted order).
    public var pivots: [Double] { diagonal }
}
