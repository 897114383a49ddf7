import LagrangeCore

/// The residual graph of a flow network in compressed sparse row form: every input arc
/// u → v with capacity c > 0 becomes a forward residual arc (in u's row, residual c) and a
/// reverse one (in v's row, residual 0), each knowing its partner's index.
///
/// Memory: 8 + `Residual`'s size bytes per residual arc (head, residual, reverse) plus 4 per
/// input arc, i.e. 28 bytes per input arc with 32-bit residuals and 36 with 64-bit ones.
/// `Residual` is the integer type of the residual capacities: an arc pair's two residuals
/// always sum to the input arc's capacity, so a type that holds the largest capacity never
/// overflows (see ``holdsCapacities(of:)``). Narrow residuals halve the array that the
/// push loop touches at random (the partner arc), which is where push–relabel spends its
/// time on large graphs. Self-loops and zero-capacity arcs are left out: they can never
/// carry flow, and leaving them out keeps the scans short. Buffers are raw pointers owned
/// by this object so the solvers' inner loops run without bounds checks or copy-on-write
/// checks; the object never escapes a solve.
final class ResidualNetwork<Residual: FixedWidthInteger & SignedInteger> {
    let nodeCount: Int
    /// Residual arcs (twice the kept input arcs).
    let arcCount: Int
    let source: Int32
    let sink: Int32
    /// Row starts, `nodeCount + 1` entries: node u's arcs are `first[u] ..< first[u + 1]`.
    let first: UnsafeMutablePointer<Int32>
    let head: UnsafeMutablePointer<Int32>
    let residual: UnsafeMutablePointer<Residual>
    /// Index of the partner arc (same endpoints, opposite direction).
    let reverse: UnsafeMutablePointer<Int32>
    /// For each input arc, its forward residual arc, or −1 when left out.
    let forwardArc: UnsafeMutablePointer<Int32>
    let inputArcCount: Int
    /// False when the build was stopped (then the arrays are not filled and must not be
    /// read; the solver returns the zero flow).
    private(set) var isComplete = true

    /// Whether every capacity of `problem` fits in `Residual` (then no residual overflows).
    static func holdsCapacities(of problem: MaxFlowProblem) -> Bool {
        problem.capacities.withUnsafeBufferPointer { caps in
            var largest: Int64 = 0
            for c in caps where c > largest { largest = c }
            return largest <= Int64(Residual.max)
        }
    }

    /// Builds the network in O(n + m) by counting sort on arc endpoints. The caller
    /// guarantees ``holdsCapacities(of:)``. `shouldStop` is asked every 65 536 arcs (a
    /// million arcs take tens of milliseconds, several hundred in a debug build); when it
    /// says stop the build ends with ``isComplete`` false.
    /// Throws when the residual graph would need more than 2³¹ − 1 arcs.
    init(_ problem: MaxFlowProblem, shouldStop: () -> Bool = { false }) throws(SolverError) {
        let n = problem.nodeCount, m = problem.arcCount
        var kept = 0
        let capacities = problem.capacities, tails = problem.tails, heads = problem.heads
        for k in 0..<m where capacities[k] > 0 && tails[k] != heads[k] { kept += 1 }
        guard 2 * kept <= Int(Int32.max) else {
            throw .unsupported("the network has \(kept) arcs; the native max-flow solvers handle at most \(Int32.max / 2)")
        }
        nodeCount = n
        arcCount = 2 * kept
        inputArcCount = m
        source = Int32(problem.source)
        sink = Int32(problem.sink)
        first = .allocate(capacity: n + 1)
        head = .allocate(capacity: max(1, arcCount))
        residual = .allocate(capacity: max(1, arcCount))
        reverse = .allocate(capacity: max(1, arcCount))
        forwardArc = .allocate(capacity: max(1, m))
        first.initialize(repeating: 0, count: n + 1)
        var complete = true
        tails.withUnsafeBufferPointer { tails in
            heads.withUnsafeBufferPointer { heads in
                capacities.withUnsafeBufferPointer { caps in
                    for k in 0..<m {
                        if k & 0xFFFF == 0xFFFF && shouldStop() { complete = false; return }
                        guard caps[k] > 0 && tails[k] != heads[k] else { continue }
                        first[Int(tails[k]) + 1] += 1
                        first[Int(heads[k]) + 1] += 1
                    }
                    for v in 0..<n { first[v + 1] += first[v] }
                    // Place arcs row by row through a per-node cursor; input order is kept
                    // within each row, so the result is deterministic.
                    let cursor = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                    defer { cursor.deallocate() }
                    cursor.update(from: first, count: n)
                    for k in 0..<m {
                        if k & 0xFFFF == 0xFFFF && shouldStop() { complete = false; return }
                        let u = Int(tails[k]), v = Int(heads[k]), c = caps[k]
                        guard c > 0 && u != v else { forwardArc[k] = -1; continue }
                        let f = cursor[u], r = cursor[v]
                        cursor[u] = f + 1
                        cursor[v] = r + 1
                        head[Int(f)] = Int32(v); residual[Int(f)] = Residual(truncatingIfNeeded: c); reverse[Int(f)] = r
                        head[Int(r)] = Int32(u); residual[Int(r)] = 0; reverse[Int(r)] = f
                        forwardArc[k] = f
                    }
                }
            }
        }
        isComplete = complete
    }

    deinit {
        first.deallocate()
        head.deallocate()
        residual.deallocate()
        reverse.deallocate()
        forwardArc.deallocate()
    }

    /// The result of a solve stopped while its network was being built: the zero flow (a
    /// feasible one) with the trivial cut that `SolveResult.maxFlow` reports for it.
    static func stoppedBeforeStart(_ problem: MaxFlowProblem, status: TerminationStatus, options: SolveOptions) throws(SolverError) -> SolveResult {
        try SolveResult.maxFlow(problem: problem, flows: [Int64](repeating: 0, count: problem.arcCount),
                                inSourceSide: [Bool](repeating: false, count: problem.nodeCount), status: status,
                                rawStatus: "stopped while building the residual network", iterations: 0, options: options)
    }

    /// Flow on each input arc: the residual of its reverse arc (0 for left-out arcs).
    func inputFlows() -> [Int64] {
        [Int64](unsafeUninitializedCapacity: inputArcCount) { buffer, count in
            for k in 0..<inputArcCount {
                let f = forwardArc[k]
                buffer[k] = f < 0 ? 0 : Int64(residual[Int(reverse[Int(f)])])
            }
            count = inputArcCount
        }
    }

    /// The minimum cut's source side for a solve that ended with `status`: the nodes
    /// reachable from the source when the flow is maximum. Otherwise `SolveResult.maxFlow`
    /// reports a trivial cut instead, so the search (a pass over the network, after a stop)
    /// is skipped and no node is marked.
    func cutSourceSide(for status: TerminationStatus) -> [Bool] {
        status == .optimal ? reachableFromSource() : [Bool](repeating: false, count: nodeCount)
    }

    /// Nodes reachable from the source through arcs with positive residual capacity.
    func reachableFromSource() -> [Bool] {
        var seen = [Bool](repeating: false, count: nodeCount)
        let queue = UnsafeMutablePointer<Int32>.allocate(capacity: nodeCount)
        defer { queue.deallocate() }
        seen.withUnsafeMutableBufferPointer { seen in
            var front = 0, back = 0
            seen[Int(source)] = true
            queue[back] = source; back += 1
            while front < back {
                let u = Int(queue[front]); front += 1
                for a in Int(first[u])..<Int(first[u + 1]) where residual[a] > 0 {
                    let w = Int(head[a])
                    if !seen[w] { seen[w] = true; queue[back] = Int32(w); back += 1 }
                }
            }
        }
        return seen
    }
}
