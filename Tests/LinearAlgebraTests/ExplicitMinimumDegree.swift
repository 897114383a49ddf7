import LinearAlgebra

/// The ordering `MinimumDegreeOrdering` used before AMD: exact minimum degree on an
/// explicit elimination graph (Tinney–Walker scheme 2, with mass elimination of
/// simplicial neighbours, dense rows last and a dense tail ordered as a whole). Kept
/// here as the yardstick for AMD's fill: it is too slow for large problems (15 s on
/// ken-18) but its fill is that of exact minimum degree.
enum ExplicitMinimumDegree {
    /// The remaining graph counts as nearly complete (ordered as is) once it has at least
    /// `denseTailOrder` nodes and every degree is at least `denseTailDegree` of the maximum.
    static let denseTailOrder = 32
    static let denseTailDegree = 0.7

    static func order(_ matrix: SparseMatrix) -> [Int] {
        let n = matrix.columnCount
        precondition(matrix.rowCount == n, "minimum degree needs a square matrix")
        if n == 0 { return [] }
        // Symmetric adjacency without the diagonal.
        var degreeCount = Array(repeating: 0, count: n)
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i != j { degreeCount[i] += 1; degreeCount[j] += 1 }
            }
        }
        var adjacency: [[Int]] = degreeCount.map { count in
            var a: [Int] = []
            a.reserveCapacity(count)
            return a
        }
        var stamp = Array(repeating: -1, count: n)
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let i = matrix.rowIndices[k]
                if i != j { adjacency[i].append(j); adjacency[j].append(i) }
            }
        }
        // Remove duplicates (both triangles given).
        for v in 0..<n {
            var unique: [Int] = []
            unique.reserveCapacity(adjacency[v].count)
            for w in adjacency[v] where stamp[w] != v {
                stamp[w] = v
                unique.append(w)
            }
            adjacency[v] = unique
        }
        for v in 0..<n { stamp[v] = -1 }

        // Degree buckets as doubly linked lists.
        var head = Array(repeating: -1, count: n)
        var next = Array(repeating: -1, count: n)
        var previous = Array(repeating: -1, count: n)
        var degree = Array(repeating: 0, count: n)
        func insert(_ v: Int, _ d: Int, _ head: inout [Int], _ next: inout [Int], _ previous: inout [Int]) {
            next[v] = head[d]
            previous[v] = -1
            if head[d] >= 0 { previous[head[d]] = v }
            head[d] = v
        }
        func remove(_ v: Int, _ d: Int, _ head: inout [Int], _ next: inout [Int], _ previous: inout [Int]) {
            if previous[v] >= 0 { next[previous[v]] = next[v] } else { head[d] = next[v] }
            if next[v] >= 0 { previous[next[v]] = previous[v] }
        }
        // Dense nodes (AMD's rule: degree > 10√n) are ordered last, in index order: they
        // would fill their rows anyway, and keeping them makes every clique update O(n).
        let denseThreshold = max(16, Int(10 * Double(n).squareRoot()))
        var eliminated = Array(repeating: false, count: n)
        var denseNodes: [Int] = []
        for v in 0..<n where adjacency[v].count > denseThreshold {
            denseNodes.append(v)
            eliminated[v] = true
        }
        if !denseNodes.isEmpty {
            for v in 0..<n where !eliminated[v] { adjacency[v].removeAll { eliminated[$0] } }
            for v in denseNodes { adjacency[v] = [] }
        }
        // Insert in reverse so that ties go to the smallest index (deterministic).
        for v in stride(from: n - 1, through: 0, by: -1) where !eliminated[v] {
            degree[v] = adjacency[v].count
            insert(v, degree[v], &head, &next, &previous)
        }
        var mark = Array(repeating: -1, count: n)
        var permutation: [Int] = []
        permutation.reserveCapacity(n)
        var minimum = 0
        let sparseCount = n - denseNodes.count
        var step = 0
        while permutation.count < sparseCount {
            step += 1
            while minimum < n && head[minimum] < 0 { minimum += 1 }
            let remaining = sparseCount - permutation.count
            if minimum == remaining - 1 || (remaining >= denseTailOrder && Double(minimum) >= denseTailDegree * Double(remaining - 1)) {
                // The remaining nodes form a clique, or nearly one: any order gives the same
                // fill, or a trailing block that SparseLDLTSymbolic factors as a dense
                // matrix anyway. Forming its cliques one elimination at a time would cost
                // O(remaining³) for nothing.
                for d in 0..<n { var v = head[d]; while v >= 0 { permutation.append(v); v = next[v] } }
                break
            }
            let v = head[minimum]
            remove(v, minimum, &head, &next, &previous)
            eliminated[v] = true
            permutation.append(v)
            let neighbours = adjacency[v]
            adjacency[v] = []
            // Form the clique: each neighbour u gets adj(u) ∪ adj(v) \ {u, v}.
            for u in neighbours {
                remove(u, degree[u], &head, &next, &previous)
                var list = adjacency[u]
                adjacency[u] = []  // unique ownership: mutate in place, no copy
                var write = 0
                let tag = step
                for w in list where w != v && !eliminated[w] {
                    list[write] = w
                    write += 1
                    mark[w] = tag
                }
                list.removeLast(list.count - write)
                for w in neighbours where w != u && mark[w] != tag {
                    list.append(w)
                    mark[w] = tag
                }
                // Clear the marks so the next neighbour starts clean.
                for w in list { mark[w] = -1 }
                adjacency[u] = list
                degree[u] = list.count
                insert(u, degree[u], &head, &next, &previous)
                if degree[u] < minimum { minimum = degree[u] }
            }
            // Mass elimination: a neighbour whose adjacency is now exactly the rest of the
            // clique is simplicial; eliminating it next creates no fill, so do it now and
            // spare the clique another round of merges.
            let cliqueDegree = neighbours.count - 1
            var absorbed = 0
            for u in neighbours where degree[u] == cliqueDegree && cliqueDegree > 0 {
                remove(u, degree[u], &head, &next, &previous)
                eliminated[u] = true
                permutation.append(u)
                adjacency[u] = []
                absorbed += 1
            }
            if absorbed > 0 {
                for u in neighbours where !eliminated[u] {
                    remove(u, degree[u], &head, &next, &previous)
                    adjacency[u].removeAll { eliminated[$0] }
                    degree[u] = adjacency[u].count
                    insert(u, degree[u], &head, &next, &previous)
                    if degree[u] < minimum { minimum = degree[u] }
                }
            }
        }
        permutation.append(contentsOf: denseNodes)
        return permutation
    }
}
