import LagrangeCore

/// Dinic's phases: the level search from t, then the blocking flow (``DinicSolver`` says how).
extension DinicSolver {
    static func run<Residual: FixedWidthInteger & SignedInteger>(_ net: ResidualNetwork<Residual>,
                                                                 control: IterationControl) -> (TerminationStatus, Int) {
        let n = net.nodeCount
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        // partnerOpen[a] is 1 when a's partner has residual capacity: the search from t
        // asks that of every arc it scans, and a byte array read in order costs far less
        // than the partner's residual (a random read) or a second residual-sized array.
        let partnerOpen = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, net.arcCount))
        defer { partnerOpen.deallocate() }
        for a in 0..<net.arcCount { partnerOpen[a] = residual[Int(reverse[a])] > 0 ? 1 : 0 }
        let s = Int(net.source), t = Int(net.sink)
        // Distance to t; −1 for nodes not labelled this phase and for dead ends.
        let level = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let queue = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)  // one past the last node is written
        let current = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let path = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { level.deallocate(); queue.deallocate(); current.deallocate(); path.deallocate() }
        var flow: Int64 = 0
        var phase = 0
        var steps = 0
        while true {
            // BFS from t over reverse residual arcs (u gets a label when u → w has residual
            // capacity and w is labelled). Once s has its label every node nearer to t is
            // labelled already, so the search stops after the node that labelled s.
            level.update(repeating: -1, count: n)
            level[t] = 0
            queue[0] = Int32(t)
            var front = 0, back = 1
            // Branch-free arc tests (each is true about half the time, so branches on them
            // are mispredicted often): a node is queued by writing it one past the queue's
            // end and advancing the end only when it was taken.
            while front < back {
                let w = Int(queue[front]); front += 1
                let d = level[w] + 1
                for a in Int(first[w])..<Int(first[w + 1]) {
                    let u = Int(head[a])
                    // All ones when u → w (a's partner) has residual capacity.
                    let open = 0 &- Int32(partnerOpen[a])
                    let l = level[u]
                    let take = open & (l >> 31)
                    level[u] = l ^ ((l ^ d) & take)
                    queue[back] = Int32(u)
                    back &+= Int(take & 1)
                }
                if level[s] >= 0 { break }
                steps += 1
                if steps & 0x3FFF == 0, let stop = control.checkInterrupt() { return (stop, phase) }
            }
            if level[s] < 0 { return (.optimal, phase) }
            let depth = level[s]
            // Blocking flow by iterative DFS from s along arcs that go one level down.
            current.update(from: first, count: n)
            var paths = 0
            var top = 0
            var u = s
            while true {
                if u == t {
                    var bottleneck = Residual.max
                    for k in 0..<top { let r = residual[Int(path[k])]; if r < bottleneck { bottleneck = r } }
                    var firstSaturated = -1
                    for k in 0..<top {
                        let a = Int(path[k])
                        // The pair's residuals sum to its capacity, which fits in `Residual`.
                        let b = Int(reverse[a])
                        residual[a] &-= bottleneck
                        residual[b] &+= bottleneck
                        partnerOpen[a] = 1
                        partnerOpen[b] = residual[a] > 0 ? 1 : 0
                        if firstSaturated < 0 && residual[a] == 0 { firstSaturated = k }
                    }
                    flow += Int64(bottleneck)
                    paths += 1
                    // Retreat to the tail of the first saturated arc.
                    top = firstSaturated
                    u = top == 0 ? s : Int(head[Int(path[top - 1])])
                    continue
                }
                var a = Int(current[u])
                let end = Int(first[u + 1])
                let want = level[u] - 1
                while a < end && !(residual[a] > 0 && level[Int(head[a])] == want) { a += 1 }
                current[u] = Int32(a)
                if a < end {
                    path[top] = Int32(a); top += 1
                    u = Int(head[a])
                } else {
                    // Dead end: no admissible arc left at u this phase; no arc leads to a
                    // level of −1 (want ≥ 0 below s and t is handled above).
                    level[u] = -1
                    if top == 0 { break }
                    top -= 1
                    let back = Int(path[top])
                    u = Int(head[Int(reverse[back])])
                    current[u] = Int32(back + 1)
                }
                steps += 1
                if steps & 0x3FFF == 0, let stop = control.checkInterrupt() { return (stop, phase) }
            }
            phase += 1
            let record = IterationRecord(iteration: phase, objective: Double(flow),
                                         extras: [Metric("level_depth", Double(depth)), Metric("augmenting_paths", Double(paths))])
            if let stop = control.record(record) {
                // A phase that found no more than the limit still leaves a feasible flow.
                return (stop, phase)
            }
        }
    }
}
