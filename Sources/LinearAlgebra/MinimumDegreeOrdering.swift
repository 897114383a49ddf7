/// A fill-reducing symmetric ordering: approximate minimum degree (AMD) on a quotient graph.
///
/// Given the pattern of a symmetric matrix M, finds a permutation P such that the
/// Cholesky / LDLᵀ factor of PMPᵀ has few nonzeros (Amestoy, Davis & Duff, "An approximate
/// minimum degree ordering algorithm", SIAM J. Matrix Anal. Appl. 17, 1996; Davis, "Direct
/// Methods for Sparse Linear Systems", SIAM 2006, ch. 7).
///
/// The elimination graph is never formed. Eliminated nodes become *elements* that stand
/// for their cliques, stored in the same workspace as the uneliminated *variables*, so
/// memory stays O(nnz(M)):
/// - an element adjacent to the pivot is absorbed into the new one, and so is any element
///   whose variables all lie in the new one (aggressive absorption);
/// - degrees are AMD's upper bounds on the external degree, cheap to update;
/// - variables with the same adjacency are merged into supervariables (found by hashing)
///   and eliminated together (mass elimination);
/// - rows with more than 10√n entries are left out of the graph and ordered last.
/// The result is the postorder of the assembly tree.
///
/// It replaced minimum degree on an explicit elimination graph, whose clique updates cost
/// 15 s of native.ipm's 25 s on the lp-suite's ken-18 (10⁵ rows).
package enum MinimumDegreeOrdering {
    /// The ordering for the symmetric pattern given by `matrix` (either triangle or both;
    /// the diagonal and values are ignored). Returns `permutation` with
    /// `permutation[k]` = the original index eliminated k-th.
    package static func order(_ matrix: SparseMatrix) -> [Int] {
        // Without a stop check the throwing variant cannot fail.
        (try? order(matrix, shouldStop: nil)) ?? Array(0..<matrix.columnCount)
    }

    /// ``order(_:)`` that asks `shouldStop` every 16 pivots (a time limit, a cancellation)
    /// and throws `.interrupted` when it answers true.
    /// The remaining graph counts as nearly complete (ordered as is, see `orderTail`) once it
    /// has at least `denseTailOrder` variables and every approximate degree is at least
    /// `denseTailDegree` of the maximum.
    static let denseTailOrder = 32
    static let denseTailDegree = 0.7

    package static func order(_ matrix: SparseMatrix, shouldStop: (() -> Bool)?) throws(LinearAlgebraError) -> [Int] {
        let n = matrix.columnCount
        precondition(matrix.rowCount == n, "minimum degree needs a square matrix")
        if n <= 1 { return Array(0..<n) }
        let graph = symmetricGraph(matrix)
        var workspace = Workspace(graph: graph, n: n)
        defer { workspace.deallocate() }
        try workspace.eliminate(shouldStop: shouldStop)
        return workspace.postorder()
    }

    /// The inverse of a permutation: `inverse[permutation[k]] = k`.
    package static func inverse(_ permutation: [Int]) -> [Int] {
        var inverse = Array(repeating: 0, count: permutation.count)
        for (k, v) in permutation.enumerated() { inverse[v] = k }
        return inverse
    }

    /// The pattern of M + Mᵀ without the diagonal, each neighbour once, in CSC arrays.
    static func symmetricGraph(_ matrix: SparseMatrix) -> (starts: [Int], neighbours: [Int]) {
        let n = matrix.columnCount
        var starts = Array(repeating: 0, count: n + 1)
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i != j { starts[i + 1] += 1; starts[j + 1] += 1 }
            }
        }
        for j in 0..<n { starts[j + 1] += starts[j] }
        var fill = starts
        var neighbours = Array(repeating: 0, count: starts[n])
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i == j { continue }
                neighbours[fill[i]] = j; fill[i] += 1
                neighbours[fill[j]] = i; fill[j] += 1
            }
        }
        // Both triangles given: every edge came twice. Compact in place.
        var stamp = Array(repeating: -1, count: n)
        var write = 0
        var start = 0
        for v in 0..<n {
            let end = starts[v + 1]
            starts[v] = write
            for p in start..<end {
                let w = neighbours[p]
                if stamp[w] != v { stamp[w] = v; neighbours[write] = w; write += 1 }
            }
            start = end
        }
        starts[n] = write
        neighbours.removeLast(neighbours.count - write)
        return (starts, neighbours)
    }

    /// Encodes a parent (or "dead") in the pointer array: −i−2, so −1 stays free for "root".
    @inline(__always) static func flip(_ i: Int) -> Int { -i - 2 }

    /// The quotient graph and AMD's per-node arrays in one manually managed block of Ints
    /// (raw pointers: the hot loops index a dozen arrays and must not pay for bounds
    /// checks or copy-on-write). Node n is a dummy element, the parent of the dense rows.
    struct Workspace {
        let n: Int
        /// Capacity of `index` (elbow room for new elements, reclaimed by compaction).
        let capacity: Int
        /// Dense-row threshold: degree > max(16, 10√n) (AMD's default).
        let dense: Int
        let block: UnsafeMutablePointer<Int>
        /// Start of node i's list in `index` (≥ 0), −1 for a root of the assembly tree, or
        /// flip(parent) once i is absorbed, merged or dense.
        let pointer: UnsafeMutablePointer<Int>
        /// Variable i: its element list (elen[i] entries) then its variable list; element e:
        /// its variables.
        let index: UnsafeMutablePointer<Int>
        /// Length of each list in `index`.
        let length: UnsafeMutablePointer<Int>
        /// Supervariable size (negated while the variable is in the pivot's element); 0
        /// for a non-principal variable; element: its number of eliminated variables.
        let size: UnsafeMutablePointer<Int>
        /// Variables: number of elements in its list; −2 for an element, −1 for a dead variable.
        let elementCount: UnsafeMutablePointer<Int>
        /// Approximate external degree (variables), |Le| weighted (elements).
        let degree: UnsafeMutablePointer<Int>
        /// Degree lists (doubly linked), then reused as hash buckets and for the postorder.
        let head: UnsafeMutablePointer<Int>
        let next: UnsafeMutablePointer<Int>
        let last: UnsafeMutablePointer<Int>
        let hashHead: UnsafeMutablePointer<Int>
        /// Element marks: w[e] − mark = |Le \ Lk| during a degree update; 0 for a dead element.
        let w: UnsafeMutablePointer<Int>
        /// Next free slot in `index`.
        var used: Int

        init(graph: (starts: [Int], neighbours: [Int]), n: Int) {
            self.n = n
            let nonzeros = graph.neighbours.count
            capacity = nonzeros + nonzeros / 5 + 2 * n + 1
            dense = min(n - 2, max(16, Int(10 * Double(n).squareRoot())))
            let span = n + 1
            block = .allocate(capacity: 10 * span + capacity)
            pointer = block
            length = block + span
            size = block + 2 * span
            elementCount = block + 3 * span
            degree = block + 4 * span
            head = block + 5 * span
            next = block + 6 * span
            last = block + 7 * span
            hashHead = block + 8 * span
            w = block + 9 * span
            index = block + 10 * span
            // Dense rows first, so that they are neither in the graph nor in any degree.
            for i in 0..<n {
                pointer[i] = graph.starts[i]
                length[i] = graph.starts[i + 1] - graph.starts[i]
                size[i] = length[i] > dense ? 0 : 1
            }
            var write = 0
            for i in 0..<n {
                let start = write
                if size[i] != 0 {
                    for p in graph.starts[i]..<graph.starts[i + 1] where size[graph.neighbours[p]] != 0 {
                        index[write] = graph.neighbours[p]
                        write += 1
                    }
                }
                pointer[i] = start
                length[i] = write - start
            }
            used = write
            for i in 0...n {
                head[i] = -1; next[i] = -1; last[i] = -1; hashHead[i] = -1
                elementCount[i] = 0
                w[i] = 1
            }
            size[n] = 1
            elementCount[n] = -2
            pointer[n] = -1
            w[n] = 0
            // Reverse order, so that ties in a degree list go to the smallest index.
            for i in stride(from: n - 1, through: 0, by: -1) {
                degree[i] = length[i]
                if size[i] == 0 {
                    // Dense: a child of the dummy element, ordered after everything else.
                    elementCount[i] = -1
                    eliminatedCount += 1
                    pointer[i] = MinimumDegreeOrdering.flip(n)
                    size[n] += 1
                } else if length[i] == 0 {
                    // Isolated: an element of its own, a root of the assembly tree.
                    elementCount[i] = -2
                    eliminatedCount += 1
                    pointer[i] = -1
                    w[i] = 0
                } else {
                    linkDegree(i, degree[i])
                }
            }
            mark = 0
            resetMarks()
        }

        var eliminatedCount = 0
        var minimumDegree = 0
        var mark = 0
        /// Largest |Lk| so far: marks advance by it so that w[e] − mark stays meaningful.
        var largestElement = 0

        func deallocate() { block.deallocate() }

        @inline(__always) func linkDegree(_ i: Int, _ d: Int) {
            let first = head[d]
            if first >= 0 { last[first] = i }
            next[i] = first
            last[i] = -1
            head[d] = i
        }

        @inline(__always) func unlinkDegree(_ i: Int) {
            if next[i] >= 0 { last[next[i]] = last[i] }
            if last[i] >= 0 { next[last[i]] = next[i] } else { head[degree[i]] = next[i] }
        }

        /// Clears the element marks when `mark` would wrap (never in practice with 64-bit
        /// Ints, but the reset also sets the first mark).
        mutating func resetMarks() {
            if mark < 2 || mark + largestElement < 0 || mark + largestElement > Int.max / 2 {
                for i in 0..<n where w[i] != 0 { w[i] = 1 }
                mark = 2
            }
        }

        /// Moves every live list to the front of `index`, dropping absorbed space.
        mutating func compact() {
            // Mark each list's first slot with flip(owner), keeping the entry in `pointer`.
            for j in 0..<n {
                let p = pointer[j]
                if p >= 0 && length[j] > 0 {
                    pointer[j] = index[p]
                    index[p] = MinimumDegreeOrdering.flip(j)
                }
            }
            var q = 0, p = 0
            while p < used {
                let j = MinimumDegreeOrdering.flip(index[p])
                p += 1
                if j >= 0 {
                    index[q] = pointer[j]
                    pointer[j] = q
                    q += 1
                    for _ in 1..<max(length[j], 1) { index[q] = index[p]; q += 1; p += 1 }
                }
            }
            used = q
        }

        mutating func eliminate(shouldStop: (() -> Bool)?) throws(LinearAlgebraError) {
            var step = 0
            while eliminatedCount < n {
                step += 1
                if step & 15 == 0, let shouldStop, shouldStop() { throw .interrupted }
                // Pivot: a supervariable of least approximate degree.
                var k = -1
                while minimumDegree < n {
                    k = head[minimumDegree]
                    if k >= 0 { break }
                    minimumDegree += 1
                }
                guard k >= 0 else { break }
                let remaining = n - eliminatedCount
                if remaining >= MinimumDegreeOrdering.denseTailOrder
                    && Double(minimumDegree) >= MinimumDegreeOrdering.denseTailDegree * Double(remaining - 1) {
                    orderTail()
                    break
                }
                if next[k] >= 0 { last[next[k]] = -1 }
                head[minimumDegree] = next[k]
                let pivotElements = elementCount[k]
                var pivotSize = size[k]
                eliminatedCount += pivotSize
                if pivotElements > 0 && used + minimumDegree >= capacity { compact() }

                // Lk = (Ak ∪ ⋃ Le over the elements e of k) \ {k}, written in place when k
                // has no elements (its list only shrinks), else at the end of `index`.
                var elementDegree = 0
                size[k] = -pivotSize
                var p = pointer[k]
                let start = pivotElements == 0 ? p : used
                var end = start
                for position in 1...(pivotElements + 1) {
                    let e: Int, listStart: Int, listLength: Int
                    if position > pivotElements {
                        e = k; listStart = p; listLength = length[k] - pivotElements
                    } else {
                        e = index[p]; p += 1; listStart = pointer[e]; listLength = length[e]
                    }
                    var q = listStart
                    for _ in 0..<listLength {
                        let i = index[q]
                        q += 1
                        let nvi = size[i]
                        if nvi <= 0 { continue } // dead, or already in Lk
                        elementDegree += nvi
                        size[i] = -nvi
                        index[end] = i
                        end += 1
                        unlinkDegree(i)
                    }
                    if e != k {
                        pointer[e] = MinimumDegreeOrdering.flip(k) // absorbed into k
                        w[e] = 0
                    }
                }
                if pivotElements != 0 { used = end }
                degree[k] = elementDegree
                pointer[k] = start
                length[k] = end - start
                elementCount[k] = -2

                // |Le \ Lk| for every element e met by a variable of Lk: w[e] − mark.
                for pk in start..<end {
                    let i = index[pk]
                    let elements = elementCount[i]
                    if elements <= 0 { continue }
                    let nvi = -size[i]
                    let fresh = mark - nvi
                    for q in pointer[i]..<(pointer[i] + elements) {
                        let e = index[q]
                        if w[e] >= mark { w[e] -= nvi } else if w[e] != 0 { w[e] = degree[e] + fresh }
                    }
                }

                // Approximate degrees, pruned lists, aggressive absorption, hashes.
                for pk in start..<end {
                    let i = index[pk]
                    let p1 = pointer[i]
                    let p2 = p1 + elementCount[i] - 1
                    var write = p1
                    var hash = 0, d = 0
                    if p2 >= p1 {
                        for q in p1...p2 {
                            let e = index[q]
                            if w[e] == 0 { continue }
                            let external = w[e] - mark
                            if external > 0 {
                                d += external
                                index[write] = e
                                write += 1
                                hash += e
                            } else {
                                // Le ⊆ Lk: e adds nothing; absorb it into k.
                                pointer[e] = MinimumDegreeOrdering.flip(k)
                                w[e] = 0
                            }
                        }
                    }
                    elementCount[i] = write - p1 + 1 // + k, added below
                    let variablesStart = write
                    let listEnd = p1 + length[i]
                    var q = p2 + 1
                    while q < listEnd {
                        let j = index[q]
                        q += 1
                        let nvj = size[j]
                        if nvj <= 0 { continue } // dead, or in Lk (covered by k)
                        d += nvj
                        index[write] = j
                        write += 1
                        hash += j
                    }
                    if d == 0 {
                        // Adjacent to k only: eliminated together with k.
                        pointer[i] = MinimumDegreeOrdering.flip(k)
                        let nvi = -size[i]
                        elementDegree -= nvi
                        pivotSize += nvi
                        eliminatedCount += nvi
                        size[i] = 0
                        elementCount[i] = -1
                    } else {
                        degree[i] = min(degree[i], d)
                        // k becomes the first element: the freed slot (k or an absorbed
                        // element was in the list) takes the displaced entries.
                        index[write] = index[variablesStart]
                        index[variablesStart] = index[p1]
                        index[p1] = k
                        length[i] = write - p1 + 1
                        let bucket = hash % n
                        next[i] = hashHead[bucket]
                        hashHead[bucket] = i
                        last[i] = bucket
                    }
                }
                degree[k] = elementDegree
                largestElement = max(largestElement, elementDegree)
                mark += largestElement
                resetMarks()

                // Supervariables: variables of Lk with equal hash, then equal lists.
                for pk in start..<end {
                    var i = index[pk]
                    if size[i] >= 0 { continue }
                    let bucket = last[i]
                    i = hashHead[bucket]
                    hashHead[bucket] = -1
                    while i >= 0 && next[i] >= 0 {
                        let listLength = length[i]
                        let elements = elementCount[i]
                        for q in stride(from: pointer[i] + 1, to: pointer[i] + listLength, by: 1) { w[index[q]] = mark }
                        var previous = i
                        var j = next[i]
                        while j >= 0 {
                            var same = length[j] == listLength && elementCount[j] == elements
                            var q = pointer[j] + 1
                            let qEnd = pointer[j] + listLength
                            while same && q < qEnd {
                                if w[index[q]] != mark { same = false }
                                q += 1
                            }
                            if same {
                                pointer[j] = MinimumDegreeOrdering.flip(i)
                                size[i] += size[j] // both negative
                                size[j] = 0
                                elementCount[j] = -1
                                j = next[j]
                                next[previous] = j
                            } else {
                                previous = j
                                j = next[j]
                            }
                        }
                        i = next[i]
                        mark += 1
                    }
                }

                // Finish Lk: principal variables only, back in the degree lists.
                var write = start
                for pk in start..<end {
                    let i = index[pk]
                    let nvi = -size[i]
                    if nvi <= 0 { continue }
                    size[i] = nvi
                    let d = min(degree[i] + elementDegree - nvi, n - eliminatedCount - nvi)
                    degree[i] = d
                    linkDegree(i, d)
                    minimumDegree = min(minimumDegree, d)
                    index[write] = i
                    write += 1
                }
                size[k] = pivotSize
                length[k] = write - start
                if length[k] == 0 { pointer[k] = -1; w[k] = 0 }
                if pivotElements != 0 { used = write }
            }
        }

        /// Orders every remaining variable last, as one chain in degree order, below which
        /// hang the live elements: the remaining graph is nearly complete, so eliminating it
        /// one pivot at a time gains nothing, and a contiguous block of nearly full
        /// columns at the end is what SparseLDLT factors with its dense kernel.
        mutating func orderTail() {
            let first = head[minimumDegree]
            for e in 0..<n where elementCount[e] == -2 && pointer[e] >= 0 {
                pointer[e] = MinimumDegreeOrdering.flip(first)
            }
            var previous = -1
            for d in minimumDegree..<n {
                var v = head[d]
                while v >= 0 {
                    if previous >= 0 { pointer[previous] = MinimumDegreeOrdering.flip(v) }
                    elementCount[v] = -2
                    previous = v
                    v = next[v]
                }
                head[d] = -1
            }
            if previous >= 0 { pointer[previous] = -1 }
            eliminatedCount = n
        }

        /// The postorder of the assembly tree (children before parents, the dummy's dense
        /// rows last): the elimination order.
        func postorder() -> [Int] {
            // A list still live (an element never absorbed; none should be) makes a root.
            for i in 0..<n { pointer[i] = pointer[i] >= 0 ? -1 : MinimumDegreeOrdering.flip(pointer[i]) }
            // pointer[i] is now the parent (−1: root). Children lists: element subtrees
            // by increasing weight (|Lk| at elimination, the column count), then merged and
            // dense variables. Heavy subtrees last (as CHOLMOD's weighted postorder) keep
            // the densest columns together at the end, where SparseLDLT factors them densely.
            for j in 0...n { head[j] = -1 }
            for j in stride(from: n, through: 0, by: -1) where size[j] <= 0 {
                let parent = pointer[j]
                guard parent >= 0 else { continue }
                next[j] = head[parent]
                head[parent] = j
            }
            // Bucket the elements by weight (hashHead and last are free now).
            let bucketHead = hashHead, bucketNext = last
            for d in 0...n { bucketHead[d] = -1 }
            for e in 0...n where size[e] > 0 && pointer[e] >= 0 {
                let weight = min(max(degree[e], 0), n)
                bucketNext[e] = bucketHead[weight]
                bucketHead[weight] = e
            }
            for weight in stride(from: n, through: 0, by: -1) {
                var e = bucketHead[weight]
                while e >= 0 {
                    let parent = pointer[e]
                    next[e] = head[parent]
                    head[parent] = e
                    e = bucketNext[e]
                }
            }
            var order: [Int] = []
            order.reserveCapacity(n + 1)
            let stack = w
            // One tree per component; smaller trees first, so that the largest (with the
            // densest columns) ends the order, then the dense rows (the dummy's tree).
            var trees: [(start: Int, count: Int)] = []
            for root in 0...n where pointer[root] == -1 && root != n || root == n {
                let start = order.count
                var top = 0
                stack[0] = root
                while top >= 0 {
                    let p = stack[top]
                    let child = head[p]
                    if child < 0 {
                        top -= 1
                        if p != n { order.append(p) }
                    } else {
                        head[p] = next[child]
                        top += 1
                        stack[top] = child
                    }
                }
                if root != n { trees.append((start, order.count - start)) }
            }
            if trees.count > 1 {
                let denseRows = order[(trees.last.map { $0.start + $0.count } ?? 0)...]
                var sorted: [Int] = []
                sorted.reserveCapacity(n)
                for tree in trees.sorted(by: { ($0.count, $0.start) < ($1.count, $1.start) }) {
                    sorted.append(contentsOf: order[tree.start..<(tree.start + tree.count)])
                }
                sorted.append(contentsOf: denseRows)
                order = sorted
            }
            // Every node hangs below a root, so this holds; the natural order is the safe answer if not.
            guard order.count == n else {
                assertionFailure("AMD postorder lost nodes")
                return Array(0..<n)
            }
            return order
        }
    }
}
