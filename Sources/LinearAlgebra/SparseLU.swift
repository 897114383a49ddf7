/// Sparse LU factorization of a square matrix by right-looking Gaussian elimination with
/// Markowitz pivot choice and threshold pivoting (after Suhl & Suhl, "Computing sparse LU
/// factorizations for large-scale linear programming bases", ORSA J. Computing 1990).
///
/// Each step picks, among the entries of the active submatrix that pass the threshold test
/// |aᵢⱼ| ≥ u·maxₖ|aₖⱼ| (column-wise), one of small Markowitz cost (rᵢ − 1)(cⱼ − 1), where
/// rᵢ and cⱼ are the active row and column counts. Columns and rows are kept in count
/// buckets, and the search looks at the sparsest columns and rows first and stops after a
/// few candidates once nothing cheaper can exist; singletons (cost 0) are therefore taken
/// first, which is what makes simplex bases (mostly slack and triangular columns) cheap.
///
/// The result is M_{n−1}⋯M₀ A = U′ with Mₖ = I − lₖ e_{rₖ}ᵀ (the multipliers of step k)
/// and U′ a row- and column-permuted upper triangle: row rₖ of U′ holds the pivot at column
/// cₖ and entries only in columns pivoted after step k. Both are stored flat (multipliers
/// by step, U by row), so a solve costs O(nnz(L) + nnz(U) + n).
///
/// Vector conventions: `solve` takes a right-hand side indexed by row and returns x indexed
/// by column (A x = b); `solveTransposed` takes one indexed by column and returns y indexed
/// by row (Aᵀ y = c).
package struct SparseLU: Sendable {
    /// The order n of the matrix.
    package let dimension: Int
    /// Row, column and value of the pivot of each elimination step.
    package private(set) var pivotRows: [Int] = []
    package private(set) var pivotColumns: [Int] = []
    private var pivotValues: [Double] = []
    /// Multipliers of step k: rows `lowerIndices[lowerStarts[k]..<lowerStarts[k+1]]`.
    private var lowerStarts: [Int] = [0]
    private var lowerIndices: [Int] = []
    private var lowerValues: [Double] = []
    /// Off-diagonal entries of the U row of step k, by column.
    private var upperStarts: [Int] = [0]
    private var upperIndices: [Int] = []
    private var upperValues: [Double] = []

    /// With `allowSingular`, the columns and rows left without a pivot when elimination
    /// found no usable entry (equal counts); empty when the matrix was factored. A
    /// factorization that left some is not usable for solves: the caller replaces those
    /// columns (a simplex puts the slacks of those rows in) and factors again.
    package private(set) var singularColumns: [Int] = []
    package private(set) var singularRows: [Int] = []

    /// For the hyper-sparse solves (``solve(_:pattern:workspace:)``): the elimination step
    /// of each row and column, the factors' indices as steps, and the transposed factors
    /// (U by column, L by row), each entry naming the step of its other index. Built once
    /// per factorization in O(nnz): a simplex basis solve touches far fewer entries than
    /// the factors hold (ken-18: a handful of 10⁵ rows), and a scatter-form solve visits
    /// only the steps a nonzero reaches, which needs the factors in both orientations.
    private var stepOfRow: [Int] = []
    private var stepOfColumn: [Int] = []
    private var lowerSteps: [Int] = []
    private var upperSteps: [Int] = []
    private var upperColumnStarts: [Int] = []
    private var upperColumnSteps: [Int] = []
    private var upperColumnValues: [Double] = []
    private var lowerRowStarts: [Int] = []
    private var lowerRowSteps: [Int] = []
    private var lowerRowValues: [Double] = []

    /// Whether every row and column got a pivot (the solves are valid).
    package var isComplete: Bool { pivotRows.count == dimension }

    /// Stored entries of L (multipliers) and U (including the diagonal).
    package var factorNonzeroCount: Int { lowerValues.count + upperValues.count + dimension }

    /// Factors the n × n matrix given by CSC arrays (row indices within a column in any
    /// order; duplicates are summed).
    ///
    /// - Parameters:
    ///   - pivotThreshold: u in the threshold test, in (0, 1]; 1 is partial pivoting within
    ///     the chosen column, smaller values favour sparsity over stability (0.1 is usual).
    ///   - pivotTolerance: entries with |a| ≤ pivotTolerance·max|A| are never pivots; when
    ///     no entry of the active submatrix qualifies the matrix is reported singular.
    ///   - allowSingular: report a singular matrix through ``singularColumns`` /
    ///     ``singularRows`` instead of throwing.
    ///   - shouldStop: asked every few dozen steps; a true answer throws `.interrupted`.
    /// - Throws: `.singular` (structurally or numerically, unless `allowSingular`), `.dimensionMismatch` /
    ///   `.indexOutOfRange` for malformed arrays, `.interrupted`.
    package init(dimension n: Int, columnStarts: [Int], rowIndices: [Int], values: [Double],
                pivotThreshold: Double = 0.1, pivotTolerance: Double = 1e-11, allowSingular: Bool = false,
                shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        guard n >= 0, columnStarts.count == n + 1, columnStarts.first == 0,
              columnStarts.last == rowIndices.count, rowIndices.count == values.count
        else { throw .dimensionMismatch("sparse LU needs n + 1 column starts and matching index/value arrays") }
        dimension = n
        var active = ActiveSubmatrix(n)
        var scale = 0.0
        for j in 0..<n {
            let lo = columnStarts[j], hi = columnStarts[j + 1]
            guard lo <= hi else { throw .dimensionMismatch("column starts decrease at column \(j)") }
            for p in lo..<hi {
                let i = rowIndices[p]
                guard i >= 0, i < n else { throw .indexOutOfRange("row index \(i) in column \(j) of an order-\(n) matrix") }
                active.add(row: i, column: j, value: values[p])
                scale = max(scale, abs(values[p]))
            }
            active.clearMarks(column: j)
        }
        let absoluteTolerance = pivotTolerance * max(scale, 1e-300)
        active.deadTolerance = absoluteTolerance
        active.buildBuckets()
        let threshold = min(max(pivotThreshold, 1e-6), 1)
        pivotRows.reserveCapacity(n)
        pivotColumns.reserveCapacity(n)
        pivotValues.reserveCapacity(n)
        lowerStarts.reserveCapacity(n + 1)
        upperStarts.reserveCapacity(n + 1)
        // An empty active column (dependent on the pivoted ones) is set aside and the
        // elimination goes on, so that only the dependent columns are reported, not every
        // column still active when the first one was found (a simplex replaces each
        // reported column by a slack: reporting too many throws good columns away).
        var dependent: [Int] = []
        var step = 0
        while pivotRows.count + dependent.count < n {
            if step & 31 == 31, let shouldStop, shouldStop() { throw .interrupted }
            step += 1
            if let empty = active.emptyColumn() {
                guard allowSingular else {
                    throw .singular("no pivot above \(absoluteTolerance) in the active submatrix at elimination step \(pivotRows.count)")
                }
                active.unlinkColumn(empty)
                dependent.append(empty)
                continue
            }
            guard let (r, c, position) = active.findPivot(threshold: threshold, tolerance: absoluteTolerance) else {
                guard allowSingular else {
                    throw .singular("no pivot above \(absoluteTolerance) in the active submatrix at elimination step \(pivotRows.count)")
                }
                dependent += active.activeColumns()
                break
            }
            pivotRows.append(r)
            pivotColumns.append(c)
            pivotValues.append(active.columnValues[c][position])
            active.eliminate(row: r, column: c, position: position,
                             lowerIndices: &lowerIndices, lowerValues: &lowerValues,
                             upperIndices: &upperIndices, upperValues: &upperValues)
            lowerStarts.append(lowerIndices.count)
            upperStarts.append(upperIndices.count)
        }
        if !dependent.isEmpty {
            singularColumns = dependent
            singularRows = active.activeRows()
        } else {
            buildTransposedFactors()
        }
    }

    /// Fills the step maps and transposed factors the hyper-sparse solves walk.
    private mutating func buildTransposedFactors() {
        let n = dimension
        stepOfRow = Array(repeating: 0, count: n)
        stepOfColumn = Array(repeating: 0, count: n)
        for k in 0..<n {
            stepOfRow[pivotRows[k]] = k
            stepOfColumn[pivotColumns[k]] = k
        }
        lowerSteps = lowerIndices.map { stepOfRow[$0] }
        upperSteps = upperIndices.map { stepOfColumn[$0] }
        // U by column: column c_k lists the steps k′ < k whose U row has an entry in it.
        (upperColumnStarts, upperColumnSteps, upperColumnValues) =
            Self.transpose(n: n, starts: upperStarts, targets: upperSteps, values: upperValues)
        // L by row: row r_k′ lists the steps k < k′ with a multiplier in it.
        (lowerRowStarts, lowerRowSteps, lowerRowValues) =
            Self.transpose(n: n, starts: lowerStarts, targets: lowerSteps, values: lowerValues)
    }

    /// The transpose of a step-indexed sparse structure (entry (k, targets[p]) becomes
    /// (targets[p], k)), sources in increasing order within each target.
    private static func transpose(n: Int, starts: [Int], targets: [Int], values: [Double]) -> ([Int], [Int], [Double]) {
        var counts = Array(repeating: 0, count: n + 1)
        for t in targets { counts[t + 1] += 1 }
        for k in 0..<n { counts[k + 1] += counts[k] }
        var next = counts
        var outSteps = Array(repeating: 0, count: targets.count)
        var outValues = Array(repeating: 0.0, count: targets.count)
        for k in 0..<n {
            for p in starts[k]..<starts[k + 1] {
                let t = targets[p]
                outSteps[next[t]] = k
                outValues[next[t]] = values[p]
                next[t] += 1
            }
        }
        return (counts, outSteps, outValues)
    }

    /// Factors a square sparse matrix; see the array initializer.
    package init(_ matrix: SparseMatrix, pivotThreshold: Double = 0.1, pivotTolerance: Double = 1e-11,
                allowSingular: Bool = false, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        guard matrix.rowCount == matrix.columnCount else {
            throw .dimensionMismatch("LU needs a square matrix, got \(matrix.rowCount)×\(matrix.columnCount)")
        }
        try self.init(dimension: matrix.rowCount, columnStarts: matrix.columnStarts, rowIndices: matrix.rowIndices,
                      values: matrix.values, pivotThreshold: pivotThreshold, pivotTolerance: pivotTolerance,
                      allowSingular: allowSingular, shouldStop: shouldStop)
    }

    /// Solves A x = b.
    package func solve(_ b: [Double]) -> [Double] {
        var x = b, work = Array(repeating: 0.0, count: dimension)
        solve(&x, work: &work)
        return x
    }

    /// Solves Aᵀ y = c.
    package func solveTransposed(_ c: [Double]) -> [Double] {
        var y = c, work = Array(repeating: 0.0, count: dimension)
        solveTransposed(&y, work: &work)
        return y
    }

    /// Solves A x = b in place without allocating: `vector` holds b (by row) on entry and
    /// x (by column) on return; `work` is scratch of length n (its contents are lost).
    package func solve(_ vector: inout [Double], work: inout [Double]) {
        let n = dimension
        guard n > 0, isComplete, vector.count == n, work.count == n else { return }
        vector.withUnsafeMutableBufferPointer { x in
            work.withUnsafeMutableBufferPointer { w in
                lowerIndices.withUnsafeBufferPointer { li in
                    lowerValues.withUnsafeBufferPointer { lv in
                        for k in 0..<n {
                            let br = x[pivotRows[k]]
                            if br == 0 { continue }
                            for p in lowerStarts[k]..<lowerStarts[k + 1] { x[li[p]] -= lv[p] * br }
                        }
                    }
                }
                upperIndices.withUnsafeBufferPointer { ui in
                    upperValues.withUnsafeBufferPointer { uv in
                        var k = n - 1
                        while k >= 0 {
                            var s = x[pivotRows[k]]
                            for p in upperStarts[k]..<upperStarts[k + 1] { s -= uv[p] * w[ui[p]] }
                            w[pivotColumns[k]] = s / pivotValues[k]
                            k -= 1
                        }
                    }
                }
            }
        }
        swap(&vector, &work)
    }

    /// Solves Aᵀ y = c in place without allocating: `vector` holds c (by column) on entry
    /// and y (by row) on return; `work` is scratch of length n.
    package func solveTransposed(_ vector: inout [Double], work: inout [Double]) {
        let n = dimension
        guard n > 0, isComplete, vector.count == n, work.count == n else { return }
        vector.withUnsafeMutableBufferPointer { x in
            work.withUnsafeMutableBufferPointer { z in
                upperIndices.withUnsafeBufferPointer { ui in
                    upperValues.withUnsafeBufferPointer { uv in
                        // U′ᵀ z = c: forward in pivot order, scattering each solved entry.
                        for k in 0..<n {
                            let zr = x[pivotColumns[k]] / pivotValues[k]
                            z[pivotRows[k]] = zr
                            if zr == 0 { continue }
                            for p in upperStarts[k]..<upperStarts[k + 1] { x[ui[p]] -= uv[p] * zr }
                        }
                    }
                }
                lowerIndices.withUnsafeBufferPointer { li in
                    lowerValues.withUnsafeBufferPointer { lv in
                        // y = M₀ᵀ⋯M_{n−1}ᵀ z, the last step first.
                        var k = n - 1
                        while k >= 0 {
                            var s = 0.0
                            for p in lowerStarts[k]..<lowerStarts[k + 1] { s += lv[p] * z[li[p]] }
                            z[pivotRows[k]] -= s
                            k -= 1
                        }
                    }
                }
            }
        }
        swap(&vector, &work)
    }
}

/// Scratch for ``SparseLU``'s hyper-sparse solves, reusable across solves and across
/// factorizations of the same order. `values` is all zeros between calls.
package struct SparseLUWorkspace: Sendable {
    var visited: [Int]
    var stamp = 0
    var stack: [Int]
    var edgePosition: [Int]
    var order: [Int]
    /// The previous search's order, the seeds of the next (swapped, not copied).
    var seeds: [Int]
    package internal(set) var values: [Double]

    package init(dimension n: Int) {
        visited = Array(repeating: 0, count: n)
        stack = Array(repeating: 0, count: n)
        edgePosition = Array(repeating: 0, count: n)
        order = []
        order.reserveCapacity(n)
        seeds = []
        seeds.reserveCapacity(n)
        values = Array(repeating: 0, count: n)
    }
}

extension SparseLU {
    /// A hyper-sparse solve visits at most this share of the steps; a solve that reaches
    /// more goes dense (its loops are cheaper per entry than the graph search).
    private static let hyperSparseShare = 0.1

    /// Solves A x = b in place for a sparse b: `vector` holds b (by row), zero outside
    /// `pattern` (distinct indices), on entry; on return x (by column), zero outside
    /// `pattern`, which then lists x's possibly nonzero entries. When few steps are
    /// reached, only those are visited (Gilbert & Peierls 1988: a depth-first search of the
    /// factors' graph finds them in a valid order), otherwise the dense loops run.
    package func solve(_ vector: inout [Double], pattern: inout [Int], workspace: inout SparseLUWorkspace) {
        let n = dimension
        guard n > 0, isComplete, vector.count == n, workspace.values.count == n else { return }
        let limit = Int(Self.hyperSparseShare * Double(n))
        var sparse = pattern.count <= limit
        // L: step k scatters x[r_k] into the rows of its multipliers.
        if sparse {
            sparse = Self.reach(seeds: pattern.lazy.map { stepOfRow[$0] }, starts: lowerStarts, targets: lowerSteps,
                                limit: limit, workspace: &workspace)
        }
        if sparse {
            vector.withUnsafeMutableBufferPointer { x in
                var q = workspace.order.count - 1
                while q >= 0 {
                    let k = workspace.order[q]
                    q -= 1
                    let br = x[pivotRows[k]]
                    if br == 0 { continue }
                    for p in lowerStarts[k]..<lowerStarts[k + 1] { x[lowerIndices[p]] -= lowerValues[p] * br }
                }
            }
            // U (by column, last step first): seeded by every row L reached.
            swap(&workspace.order, &workspace.seeds)
            let seeds = workspace.seeds
            sparse = Self.reach(seeds: seeds, starts: upperColumnStarts, targets: upperColumnSteps, limit: limit,
                                workspace: &workspace)
        } else {
            solveLower(&vector)
        }
        if sparse {
            vector.withUnsafeMutableBufferPointer { x in
                workspace.values.withUnsafeMutableBufferPointer { w in
                    pattern.removeAll(keepingCapacity: true)
                    var q = workspace.order.count - 1
                    while q >= 0 {
                        let k = workspace.order[q]
                        q -= 1
                        let r = pivotRows[k], c = pivotColumns[k]
                        let v = x[r]
                        x[r] = 0
                        pattern.append(c)
                        if v == 0 { continue }
                        let wc = v / pivotValues[k]
                        w[c] = wc
                        for p in upperColumnStarts[k]..<upperColumnStarts[k + 1] {
                            x[pivotRows[upperColumnSteps[p]]] -= upperColumnValues[p] * wc
                        }
                    }
                }
            }
            swap(&vector, &workspace.values)
        } else {
            solveUpper(&vector, into: &workspace.values)
            swap(&vector, &workspace.values)
            for i in 0..<n { workspace.values[i] = 0 }
            pattern.removeAll(keepingCapacity: true)
            for i in 0..<n where vector[i] != 0 { pattern.append(i) }
        }
    }

    /// Solves Aᵀ y = c in place for a sparse c: `vector` holds c (by column), zero outside
    /// `pattern`, on entry; y (by row), zero outside `pattern`, on return. See
    /// ``solve(_:pattern:workspace:)``.
    package func solveTransposed(_ vector: inout [Double], pattern: inout [Int], workspace: inout SparseLUWorkspace) {
        let n = dimension
        guard n > 0, isComplete, vector.count == n, workspace.values.count == n else { return }
        let limit = Int(Self.hyperSparseShare * Double(n))
        var sparse = pattern.count <= limit
        // U′ᵀ: step k solves z[r_k] from x[c_k] and scatters it along U row k.
        if sparse {
            sparse = Self.reach(seeds: pattern.lazy.map { stepOfColumn[$0] }, starts: upperStarts, targets: upperSteps,
                                limit: limit, workspace: &workspace)
        }
        if sparse {
            vector.withUnsafeMutableBufferPointer { x in
                workspace.values.withUnsafeMutableBufferPointer { z in
                    var q = workspace.order.count - 1
                    while q >= 0 {
                        let k = workspace.order[q]
                        q -= 1
                        let c = pivotColumns[k]
                        let zr = x[c] / pivotValues[k]
                        x[c] = 0
                        z[pivotRows[k]] = zr
                        if zr == 0 { continue }
                        for p in upperStarts[k]..<upperStarts[k + 1] { x[upperIndices[p]] -= upperValues[p] * zr }
                    }
                }
            }
            // Lᵀ (by row, last step first): seeded by every step U′ᵀ reached.
            swap(&workspace.order, &workspace.seeds)
            let seeds = workspace.seeds
            sparse = Self.reach(seeds: seeds, starts: lowerRowStarts, targets: lowerRowSteps, limit: limit,
                                workspace: &workspace)
            if sparse {
                workspace.values.withUnsafeMutableBufferPointer { z in
                    pattern.removeAll(keepingCapacity: true)
                    var q = workspace.order.count - 1
                    while q >= 0 {
                        let k = workspace.order[q]
                        q -= 1
                        let r = pivotRows[k]
                        pattern.append(r)
                        let zi = z[r]
                        if zi == 0 { continue }
                        for p in lowerRowStarts[k]..<lowerRowStarts[k + 1] {
                            z[pivotRows[lowerRowSteps[p]]] -= lowerRowValues[p] * zi
                        }
                    }
                }
                swap(&vector, &workspace.values)
                return
            }
            // Too many for Lᵀ: z (now zero x aside) goes through the dense loop below.
            swap(&vector, &workspace.values)
            solveLowerTransposed(&vector)
        } else {
            solveUpperTransposed(&vector, into: &workspace.values)
            swap(&vector, &workspace.values)
            for i in 0..<n { workspace.values[i] = 0 }
            solveLowerTransposed(&vector)
        }
        pattern.removeAll(keepingCapacity: true)
        for i in 0..<n where vector[i] != 0 { pattern.append(i) }
    }

    /// x ← L⁻¹x, by row (the first half of ``solve(_:work:)``).
    private func solveLower(_ vector: inout [Double]) {
        let n = dimension
        vector.withUnsafeMutableBufferPointer { x in
            for k in 0..<n {
                let br = x[pivotRows[k]]
                if br == 0 { continue }
                for p in lowerStarts[k]..<lowerStarts[k + 1] { x[lowerIndices[p]] -= lowerValues[p] * br }
            }
        }
    }

    /// w ← U′⁻¹x (w by column; x is left as scratch).
    private func solveUpper(_ vector: inout [Double], into work: inout [Double]) {
        let n = dimension
        vector.withUnsafeMutableBufferPointer { x in
            work.withUnsafeMutableBufferPointer { w in
                var k = n - 1
                while k >= 0 {
                    var s = x[pivotRows[k]]
                    x[pivotRows[k]] = 0
                    for p in upperStarts[k]..<upperStarts[k + 1] { s -= upperValues[p] * w[upperIndices[p]] }
                    w[pivotColumns[k]] = s / pivotValues[k]
                    k -= 1
                }
            }
        }
    }

    /// z ← U′⁻ᵀx (z by row; x is zeroed).
    private func solveUpperTransposed(_ vector: inout [Double], into work: inout [Double]) {
        let n = dimension
        vector.withUnsafeMutableBufferPointer { x in
            work.withUnsafeMutableBufferPointer { z in
                for k in 0..<n {
                    let c = pivotColumns[k]
                    let zr = x[c] / pivotValues[k]
                    x[c] = 0
                    z[pivotRows[k]] = zr
                    if zr == 0 { continue }
                    for p in upperStarts[k]..<upperStarts[k + 1] { x[upperIndices[p]] -= upperValues[p] * zr }
                }
            }
        }
    }

    /// z ← L⁻ᵀz, by row (the second half of ``solveTransposed(_:work:)``).
    private func solveLowerTransposed(_ vector: inout [Double]) {
        let n = dimension
        vector.withUnsafeMutableBufferPointer { z in
            var k = n - 1
            while k >= 0 {
                var s = 0.0
                for p in lowerStarts[k]..<lowerStarts[k + 1] { s += lowerValues[p] * z[lowerIndices[p]] }
                z[pivotRows[k]] -= s
                k -= 1
            }
        }
    }

    /// The steps reachable from `seeds` along the edges k → targets[starts[k]..<starts[k+1]],
    /// into `workspace.order` in depth-first postorder (read backwards, every step comes
    /// before the steps it reaches). Returns false, with `order` unusable, once more than
    /// `limit` are found: the caller goes dense.
    private static func reach(seeds: some Sequence<Int>, starts: [Int], targets: [Int], limit: Int,
                              workspace: inout SparseLUWorkspace) -> Bool {
        workspace.stamp += 1
        let stamp = workspace.stamp
        var order = workspace.order
        workspace.order = []
        order.removeAll(keepingCapacity: true)
        defer { workspace.order = order }
        return workspace.visited.withUnsafeMutableBufferPointer { visited in
            workspace.stack.withUnsafeMutableBufferPointer { stack in
                workspace.edgePosition.withUnsafeMutableBufferPointer { position in
                    starts.withUnsafeBufferPointer { starts in
                        targets.withUnsafeBufferPointer { targets in
                            for seed in seeds where visited[seed] != stamp {
                                visited[seed] = stamp
                                var top = 0
                                stack[0] = seed
                                position[seed] = starts[seed]
                                while top >= 0 {
                                    let k = stack[top]
                                    var p = position[k]
                                    let end = starts[k + 1]
                                    var descended = false
                                    while p < end {
                                        let t = targets[p]
                                        p += 1
                                        if visited[t] != stamp {
                                            visited[t] = stamp
                                            position[k] = p
                                            top += 1
                                            stack[top] = t
                                            position[t] = starts[t]
                                            descended = true
                                            break
                                        }
                                    }
                                    if descended { continue }
                                    top -= 1
                                    order.append(k)
                                    if order.count > limit { return false }
                                }
                            }
                            return true
                        }
                    }
                }
            }
        }
    }
}

/// Items 0..<n (columns or rows) in doubly linked lists by their entry count, so the
/// Markowitz search visits the sparsest first; `bucket[k]` is k's count, −1 when unlinked.
private struct CountBuckets {
    var head: [Int], next: [Int], previous: [Int], bucket: [Int]

    init(_ n: Int) {
        head = Array(repeating: -1, count: n + 1)
        next = Array(repeating: -1, count: n)
        previous = Array(repeating: -1, count: n)
        bucket = Array(repeating: -1, count: n)
    }

    func contains(_ k: Int) -> Bool { bucket[k] >= 0 }

    func first(withCount count: Int) -> Int? { head[count] >= 0 ? head[count] : nil }

    mutating func link(_ k: Int, count: Int) {
        bucket[k] = count
        previous[k] = -1
        next[k] = head[count]
        if head[count] >= 0 { previous[head[count]] = k }
        head[count] = k
    }

    mutating func unlink(_ k: Int) {
        let count = bucket[k]
        if count < 0 { return }
        if previous[k] >= 0 { next[previous[k]] = next[k] } else { head[count] = next[k] }
        if next[k] >= 0 { previous[next[k]] = previous[k] }
        bucket[k] = -1
    }
}

/// The active submatrix during elimination: values by column, patterns by row, and
/// doubly linked count buckets of columns and rows for the Markowitz search.
private struct ActiveSubmatrix {
    let n: Int
    var columnRows: [[Int]]
    var columnValues: [[Double]]
    var rowColumns: [[Int]]
    /// Position of a row in the column being assembled or updated, −1 elsewhere.
    var mark: [Int]
    var columns: CountBuckets
    var rows: CountBuckets
    /// Columns out of the buckets with no usable pivot (see ``linkColumn(_:)``).
    var parked: [Bool]
    var deadTolerance = 0.0
    /// Candidates looked at once a pivot is in hand (Suhl & Suhl search a few).
    let searchLimit = 4

    init(_ n: Int) {
        self.n = n
        columnRows = Array(repeating: [], count: n)
        columnValues = Array(repeating: [], count: n)
        rowColumns = Array(repeating: [], count: n)
        mark = Array(repeating: -1, count: n)
        columns = CountBuckets(n)
        rows = CountBuckets(n)
        parked = Array(repeating: false, count: n)
    }

    mutating func add(row i: Int, column j: Int, value: Double) {
        if mark[i] >= 0 { columnValues[j][mark[i]] += value; return }
        if value == 0 { return }
        mark[i] = columnRows[j].count
        columnRows[j].append(i)
        columnValues[j].append(value)
        rowColumns[i].append(j)
    }

    mutating func clearMarks(column j: Int) {
        for i in columnRows[j] { mark[i] = -1 }
    }

    mutating func buildBuckets() {
        for j in 0..<n { linkColumn(j) }
        for i in 0..<n { linkRow(i) }
    }

    func activeColumns() -> [Int] { (0..<n).filter { columns.contains($0) || parked[$0] } }
    func activeRows() -> [Int] { (0..<n).filter { rows.contains($0) } }

    func emptyColumn() -> Int? { columns.first(withCount: 0) }

    /// A nonempty column whose entries are all at most `deadTolerance` can never give a
    /// pivot, and the Markowitz search walked past every such column at every step: a
    /// nearly singular crossover guess (ken-18) has hundreds, which made its factorization
    /// quadratic (5 s). Such a column is parked outside the count buckets until an
    /// elimination changes it; it is reported dependent if it is still parked at the end.
    mutating func linkColumn(_ j: Int) {
        if !columnRows[j].isEmpty && columnMaximum(j) <= deadTolerance {
            parked[j] = true
        } else {
            columns.link(j, count: columnRows[j].count)
        }
    }
    mutating func unlinkColumn(_ j: Int) {
        if parked[j] { parked[j] = false } else { columns.unlink(j) }
    }
    mutating func linkRow(_ i: Int) { rows.link(i, count: rowColumns[i].count) }
    mutating func unlinkRow(_ i: Int) { rows.unlink(i) }

    func columnMaximum(_ j: Int) -> Double {
        var best = 0.0
        for v in columnValues[j] { best = max(best, abs(v)) }
        return best
    }

    /// A pivot (row, column, position in the column) of small Markowitz cost that passes
    /// the threshold test, or nil when no entry exceeds `tolerance`.
    func findPivot(threshold: Double, tolerance: Double) -> (Int, Int, Int)? {
        var best: (Int, Int, Int)?
        var bestCost = Int.max, bestMagnitude = 0.0
        var searched = 0
        for count in 1...max(n, 1) {
            let floorCost = (count - 1) * (count - 1)
            var j = columns.head[count]
            while j >= 0 {
                let limit = max(threshold * columnMaximum(j), tolerance)
                let rows = columnRows[j]
                for p in 0..<rows.count {
                    let v = abs(columnValues[j][p])
                    guard v >= limit, v > tolerance else { continue }
                    let cost = (rowColumns[rows[p]].count - 1) * (count - 1)
                    if cost < bestCost || (cost == bestCost && v > bestMagnitude) {
                        bestCost = cost
                        bestMagnitude = v
                        best = (rows[p], j, p)
                    }
                }
                searched += 1
                if best != nil && (bestCost <= floorCost || searched >= searchLimit) { return best }
                j = columns.next[j]
            }
            var i = rows.head[count]
            while i >= 0 {
                for j in rowColumns[i] {
                    let rows = columnRows[j]
                    var position = -1
                    var largest = 0.0
                    for p in 0..<rows.count {
                        largest = max(largest, abs(columnValues[j][p]))
                        if rows[p] == i { position = p }
                    }
                    guard position >= 0 else { continue }
                    let v = abs(columnValues[j][position])
                    guard v >= threshold * largest, v > tolerance else { continue }
                    let cost = (count - 1) * (rows.count - 1)
                    if cost < bestCost || (cost == bestCost && v > bestMagnitude) {
                        bestCost = cost
                        bestMagnitude = v
                        best = (i, j, position)
                    }
                }
                searched += 1
                if best != nil && (bestCost <= floorCost || searched >= searchLimit) { return best }
                i = rows.next[i]
            }
            // Every entry not yet looked at has row and column counts above `count`.
            if best != nil && bestCost <= count * count { return best }
        }
        return best
    }

    /// Eliminates with pivot (r, c): appends the multipliers of column c to `lower*`, the
    /// rest of row r to `upper*`, and applies the rank-one update to the active columns.
    mutating func eliminate(row r: Int, column c: Int, position: Int,
                            lowerIndices: inout [Int], lowerValues: inout [Double],
                            upperIndices: inout [Int], upperValues: inout [Double]) {
        let pivot = columnValues[c][position]
        let lowerBegin = lowerIndices.count
        unlinkColumn(c)
        unlinkRow(r)
        let pivotColumnRows = columnRows[c], pivotColumnValues = columnValues[c]
        for p in 0..<pivotColumnRows.count where p != position {
            let i = pivotColumnRows[p]
            lowerIndices.append(i)
            lowerValues.append(pivotColumnValues[p] / pivot)
            unlinkRow(i)
            remove(c, fromRow: i)
        }
        columnRows[c].removeAll()
        columnValues[c].removeAll()
        remove(c, fromRow: r)
        let lowerEnd = lowerIndices.count
        for j in rowColumns[r] {
            unlinkColumn(j)
            // Take a_rj out of column j.
            var q = 0
            while columnRows[j][q] != r { q += 1 }
            let arj = columnValues[j][q]
            let last = columnRows[j].count - 1
            columnRows[j][q] = columnRows[j][last]
            columnValues[j][q] = columnValues[j][last]
            columnRows[j].removeLast()
            columnValues[j].removeLast()
            upperIndices.append(j)
            upperValues.append(arj)
            if lowerEnd > lowerBegin && arj != 0 {
                for (q, i) in columnRows[j].enumerated() { mark[i] = q }
                for p in lowerBegin..<lowerEnd {
                    let i = lowerIndices[p]
                    let delta = -lowerValues[p] * arj
                    if mark[i] >= 0 {
                        columnValues[j][mark[i]] += delta
                    } else {
                        columnRows[j].append(i)
                        columnValues[j].append(delta)
                        rowColumns[i].append(j)
                    }
                }
                for i in columnRows[j] { mark[i] = -1 }
            }
            linkColumn(j)
        }
        rowColumns[r].removeAll()
        for p in lowerBegin..<lowerEnd { linkRow(lowerIndices[p]) }
    }

    private mutating func remove(_ j: Int, fromRow i: Int) {
        var q = 0
        let count = rowColumns[i].count
        while q < count && rowColumns[i][q] != j { q += 1 }
        guard q < count else { return }
        rowColumns[i][q] = rowColumns[i][count - 1]
        rowColumns[i].removeLast()
    }
}
