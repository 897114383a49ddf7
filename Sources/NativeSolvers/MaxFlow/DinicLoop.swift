import LagrangeCore

/// Shortest augmenting paths with distance labels kept up by relabelling on retreat
/// (``DinicSolver`` says how and why).
extension DinicSolver {
    /// Work units charged per relabel on top of the arcs it scans (push–relabel's BETA). A
    /// search from t follows `6n + m` units, as push–relabel's global relabel does at its
    /// default frequency: on grid12, spacings of ½ to 4 times that changed the instructions
    /// and cache misses by under 10% (more searches, fewer relabels, or the reverse).
    static var relabelWork: Int { 12 }

    /// A node's current arc with the arc's head (−1 when the row is used up), side by side so
    /// that following current arcs costs one dependent load per node instead of two (the
    /// arc, then its head): re-walking a path after an augmentation is a chain of such loads.
    private struct CurrentArc {
        var arc: Int32
        var head: Int32
    }

    /// The labels' arrays. `label[v]` is a lower bound on v's residual distance to t (exact
    /// right after a search from t); `n` means v cannot reach t.
    private struct Labels {
        let n: Int
        let label: UnsafeMutablePointer<Int32>
        /// The search's distances before they replace `label`.
        let fresh: UnsafeMutablePointer<Int32>
        /// Nodes per label below n, for the gap test.
        let count: UnsafeMutablePointer<Int32>
        let queue: UnsafeMutablePointer<Int32>
        let current: UnsafeMutablePointer<CurrentArc>

        init(n: Int) {
            self.n = n
            label = .allocate(capacity: n)
            fresh = .allocate(capacity: n)
            count = .allocate(capacity: n + 1)
            queue = .allocate(capacity: n + 1)  // one past the last node is written
            current = .allocate(capacity: n)
        }

        func deallocate() {
            label.deallocate(); fresh.deallocate(); count.deallocate(); queue.deallocate(); current.deallocate()
        }

        /// Exact labels by BFS from t over reverse residual arcs. A node whose label did not
        /// change keeps its current arc: the arcs before it were inadmissible and stay so
        /// (labels never decrease, and an arc u → v regains residual only through a push
        /// v → u, which needs v one label above u). Nil when `control` said stop.
        func searchFromSink<Residual: FixedWidthInteger & SignedInteger>(_ net: ResidualNetwork<Residual>, partnerOpen: UnsafeMutablePointer<UInt8>,
                                                                          control: IterationControl) -> Bool? {
            let first = net.first, head = net.head
            let dead = Int32(n)
            let t = Int(net.sink)
            // −1 until labelled: the sign bit drives the branch-free test below.
            fresh.update(repeating: -1, count: n)
            fresh[t] = 0
            queue[0] = Int32(t)
            var front = 0, back = 1
            while front < back {
                if front & 0xFFF == 0xFFF, control.checkInterrupt() != nil { return nil }
                let w = Int(queue[front]); front += 1
                let d = fresh[w] + 1
                // Branch-free (each test is true about half the time, so branches on them
                // are mispredicted often): u is queued by writing it one past the queue's end
                // and advancing the end only when it was taken.
                for a in Int(first[w])..<Int(first[w + 1]) {
                    let u = Int(head[a])
                    // All ones when u → w (a's partner) has residual capacity.
                    let open = 0 &- Int32(partnerOpen[a])
                    let l = fresh[u]
                    let take = open & (l >> 31)
                    fresh[u] = l ^ ((l ^ d) & take)
                    queue[back] = Int32(u)
                    back &+= Int(take & 1)
                }
            }
            count.update(repeating: 0, count: n + 1)
            for v in 0..<n {
                let f = fresh[v]
                let d = f < 0 ? dead : f
                if d != label[v] {
                    label[v] = d
                    let a = first[v]
                    current[v] = CurrentArc(arc: a, head: a < first[v + 1] ? head[Int(a)] : -1)
                }
                count[Int(d)] += 1
            }
            return label[Int(net.source)] < dead
        }
    }

    static func run<Residual: FixedWidthInteger & SignedInteger>(_ net: ResidualNetwork<Residual>,
                                                                 control: IterationControl) -> (TerminationStatus, Int) {
        let n = net.nodeCount
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        let s = Int(net.source), t = Int(net.sink)
        let dead = Int32(n)
        let labels = Labels(n: n)
        // The current path's arcs and their tails (a retreat reads the tail here instead of
        // through the partner arc: two random reads fewer).
        let path = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let pathTail = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        // partnerOpen[a] is 1 when a's partner has residual capacity: the search from t asks
        // that of every arc it scans, and a byte array read in order costs far less than the
        // partner's residual (a random read).
        let partnerOpen = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, net.arcCount))
        defer { labels.deallocate(); path.deallocate(); pathTail.deallocate(); partnerOpen.deallocate() }
        for a in 0..<net.arcCount { partnerOpen[a] = residual[Int(reverse[a])] > 0 ? 1 : 0 }
        let label = labels.label, count = labels.count, current = labels.current
        let workLimit = 6 * n + net.arcCount
        var work = 0
        var flow: Int64 = 0
        var phase = 0
        var steps = 0
        var relabels = 0
        var searches = 1  // the first search is below

        label.initialize(repeating: -1, count: n)  // differs from every distance: all current arcs reset
        guard let reached = labels.searchFromSink(net, partnerOpen: partnerOpen, control: control) else { return (control.checkInterrupt() ?? .interrupted, 0) }
        guard reached else { return (.optimal, 0) }
        // Every augmenting path of the current phase has `depth` arcs (= label[s]).
        var depth = label[s]
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
                u = Int(pathTail[top])
                continue
            }
            let want = label[u] - 1
            let c = current[u]
            if c.head >= 0 && residual[Int(c.arc)] > 0 && label[Int(c.head)] == want {
                // Advance along the current arc; it stays current (it may stay admissible after
                // augmenting).
                path[top] = c.arc; pathTail[top] = Int32(u); top += 1
                u = Int(c.head)
                steps += 1
                if steps & 0x3FFF == 0, let stop = control.checkInterrupt() { return (stop, phase) }
                continue
            }
            let rowStart = Int(first[u]), rowEnd = Int(first[u + 1])
            let from = Int(c.arc)
            var a = from
            // The lowest label over the residual arcs passed, for a relabel.
            var lowest = dead, lowestArc = rowStart
            while a < rowEnd {
                if residual[a] > 0 {
                    let l = label[Int(head[a])]
                    if l == want { break }
                    if l < lowest { lowest = l; lowestArc = a }
                }
                a += 1
            }
            if a < rowEnd {
                // Advance along the next admissible arc.
                let v = head[a]
                current[u] = CurrentArc(arc: Int32(a), head: v)
                path[top] = Int32(a); pathTail[top] = Int32(u); top += 1
                u = Int(v)
            } else {
                // Retreat: no admissible arc left at u. Relabel u to 1 + the lowest label over
                // its residual arcs (still a lower bound on its distance to t). Every residual
                // arc leads to a label ≥ label(u) (valid labels, none admissible), so when an arc
                // from the current one on, just scanned, reaches label(u), label(u) + 1 is the
                // new label and the current arc goes back to the row's start, which leaves the
                // arcs before it to the next visit. Otherwise the arcs before the current one
                // are scanned too, and the first arc that attains the lowest label becomes
                // current (the arcs before it are not admissible under the new label).
                let old = label[u]
                var scanned = rowEnd - from
                if lowest == old {
                    lowestArc = rowStart
                } else {
                    for b in rowStart..<from where residual[b] > 0 {
                        let l = label[Int(head[b])]
                        if l <= lowest { if l < lowest || b < lowestArc { lowest = l; lowestArc = b } }
                    }
                    scanned = rowEnd - rowStart
                }
                let new = lowest >= dead - 1 ? dead : lowest + 1
                work += Self.relabelWork + scanned
                relabels += 1
                label[u] = new
                current[u] = CurrentArc(arc: Int32(lowestArc), head: lowestArc < rowEnd ? head[lowestArc] : -1)
                count[Int(old)] -= 1
                count[Int(new)] += 1
                if u != s {
                    top -= 1
                    u = Int(pathTail[top])
                }
                // Gap: no node is left at label `old` ≤ label(s), so no residual path from
                // s reaches t (labels drop by at most one per arc): the flow is maximum.
                var finished = count[Int(old)] == 0 || label[s] >= dead
                if !finished && work > workLimit {
                    // The labels have fallen behind the distances: make them exact again.
                    work = 0
                    searches += 1
                    guard let reached = labels.searchFromSink(net, partnerOpen: partnerOpen, control: control) else {
                        return (control.checkInterrupt() ?? .interrupted, phase)
                    }
                    finished = !reached
                    top = 0
                    u = s
                }
                if finished || label[s] != depth {
                    // No augmenting path of length `depth` is left: the phase ends.
                    if paths > 0 {
                        phase += 1
                        let record = IterationRecord(iteration: phase, objective: Double(flow),
                                                     extras: [Metric("level_depth", Double(depth)),
                                                              Metric("augmenting_paths", Double(paths)),
                                                              Metric("relabels", Double(relabels)),
                                                              Metric("global_relabels", Double(searches))])
                        if let stop = control.record(record) { return (stop, phase) }
                    }
                    if finished { return (.optimal, phase) }
                    depth = label[s]
                    paths = 0
                }
            }
            steps += 1
            if steps & 0x3FFF == 0, let stop = control.checkInterrupt() { return (stop, phase) }
        }
    }
}
