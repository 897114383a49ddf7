import LagrangeCore

/// The workspace of one push–relabel solve: labels, excesses, current arcs, an active list
/// per label and a count of live nodes per label, all flat arrays allocated once.
///
/// Why counts rather than hi_pr's doubly linked inactive lists: on the million-arc
/// benchmark instances gaps happen 0–3 times in millions of pushes, while keeping the
/// inactive lists costs two to four scattered writes on every activation and every finished
/// discharge. A gap now relabels by one sequential scan over the labels (O(n) per gap, at
/// most n gaps: within the O(n²√m) bound of highest-label push–relabel).
final class PushRelabelEngine<Residual: FixedWidthInteger & SignedInteger> {
    let net: ResidualNetwork<Residual>
    let n: Int
    let label: UnsafeMutablePointer<Int32>
    let excess: UnsafeMutablePointer<Int64>
    let current: UnsafeMutablePointer<Int32>
    /// Successor in the node's active list.
    let next: UnsafeMutablePointer<Int32>
    let activeFirst: UnsafeMutablePointer<Int32>
    /// Live nodes (label < n) per label, active or not.
    let labelCount: UnsafeMutablePointer<Int32>
    let queue: UnsafeMutablePointer<Int32>
    /// Work units between global relabels.
    let workLimit: Double

    var pushes = 0
    var relabels = 0
    var globalRelabels = 0
    var work = 0.0
    /// Highest label that may hold an active node / any node.
    var activeMax: Int32 = -1
    var labelMax: Int32 = -1
    var target: Int32 = 0
    var excluded: Int32 = 0

    static var relabelWork: Double { 12.0 }   // hi_pr's BETA
    static var nodeWork: Double { 6.0 }       // hi_pr's ALPHA

    init(_ net: ResidualNetwork<Residual>, frequency: Double) {
        self.net = net
        n = net.nodeCount
        label = .allocate(capacity: n)
        excess = .allocate(capacity: n)
        current = .allocate(capacity: n)
        next = .allocate(capacity: n)
        activeFirst = .allocate(capacity: n + 1)
        labelCount = .allocate(capacity: n + 1)
        queue = .allocate(capacity: n)
        excess.initialize(repeating: 0, count: n)
        workLimit = (Self.nodeWork * Double(n) + Double(net.arcCount)) / frequency
    }

    deinit {
        label.deallocate(); excess.deallocate(); current.deallocate(); next.deallocate()
        activeFirst.deallocate(); labelCount.deallocate(); queue.deallocate()
    }

    // MARK: Buckets

    @inline(__always) func addActive(_ v: Int32, _ d: Int32) {
        next[Int(v)] = activeFirst[Int(d)]
        activeFirst[Int(d)] = v
    }


    /// Exact distance labels to `target` by a reverse BFS in the residual graph; rebuilds the
    /// buckets. Nodes that cannot reach the target get label n and leave the buckets.
    /// Returns the number of active nodes, or nil when `control` (asked every 4096 nodes: a
    /// pass over a million arcs) said stop; the labels are then unusable, but a stop needs
    /// none (``feasiblePart()`` reads only the flow).
    @discardableResult
    func globalRelabel(control: IterationControl? = nil) -> Int? {
        work = 0
        let dead = Int32(n)
        label.update(repeating: dead, count: n)
        activeFirst.update(repeating: -1, count: n + 1)
        labelCount.update(repeating: 0, count: n + 1)
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        label[Int(target)] = 0
        queue[0] = target
        var front = 0, back = 1
        while front < back {
            if front & 0xFFF == 0xFFF, let control, control.checkInterrupt() != nil { return nil }
            let u = Int(queue[front]); front += 1
            let d = label[u] + 1
            for a in Int(first[u])..<Int(first[u + 1]) {
                let j = Int(head[a])
                guard label[j] == dead, j != Int(excluded) else { continue }
                let b = Int(reverse[a])  // j → u
                let r = residual[b]
                guard r > 0 else { continue }
                // j → u is admissible once j is labelled d: push j's excess along it now
                // (OR-Tools' GlobalUpdate does this), which moves excess towards the target
                // without waiting for j's discharge. If that saturates the arc, j is left
                // for another arc to reach.
                let excessJ = excess[j]
                if excessJ > 0 {
                    let delta = Int64(r) < excessJ ? r : Residual(truncatingIfNeeded: excessJ)
                    residual[b] = r &- delta
                    residual[a] &+= delta
                    excess[j] = excessJ - Int64(delta)
                    excess[u] += Int64(delta)
                    pushes += 1
                    if r == delta { continue }
                }
                label[j] = d
                queue[back] = Int32(j); back += 1
            }
        }
        // Buckets, in visiting order (so increasing labels), once every excess is final:
        // the pushes above can give excess to a node visited earlier.
        labelCount[0] = 1
        var active = 0
        activeMax = -1
        labelMax = label[Int(queue[back - 1])]
        for k in 1..<back {
            let j = queue[k]
            let d = label[Int(j)]
            current[Int(j)] = first[Int(j)]
            labelCount[Int(d)] += 1
            if excess[Int(j)] > 0 {
                addActive(j, d)
                active += 1
                activeMax = d
            }
        }
        globalRelabels += 1  // a finished one: an interrupted one has no record
        return active
    }

    /// Phase 1: a maximum preflow. Returns `optimal`, or the limit status that stopped it.
    func maximumPreflow(control: IterationControl) -> TerminationStatus {
        target = net.sink
        excluded = net.source
        let s = Int(net.source)
        // Saturate every arc out of the source.
        for a in Int(net.first[s])..<Int(net.first[s + 1]) {
            let c = net.residual[a]
            guard c > 0 else { continue }
            net.residual[a] = 0
            net.residual[Int(net.reverse[a])] += c
            excess[Int(net.head[a])] += Int64(c)
        }
        excess[s] = 0
        guard var active = globalRelabel(control: control) else { return control.checkInterrupt() ?? .interrupted }
        var iteration = 0
        while true {
            iteration += 1
            let record = IterationRecord(iteration: iteration, objective: Double(excess[Int(net.sink)]),
                                         extras: [Metric("active_nodes", Double(active)), Metric("relabels", Double(relabels)),
                                                  Metric("pushes", Double(pushes))])
            let finished = activeMax < 0
            if finished {
                // The final record shows the value; limits no longer matter.
                _ = control.record(record, iterationLimit: Int.max)
                return .optimal
            }
            if let stop = control.record(record) { return stop }
            if let stop = discharge(control: control) { return stop }
            // Discharge stops when work calls for a global relabel, or when no active node
            // is left (then the final record needs no BFS).
            if activeMax < 0 {
                active = 0
            } else {
                guard let count = globalRelabel(control: control) else { return control.checkInterrupt() ?? .interrupted }
                active = count
            }
        }
    }

    /// Phase 2: sends the excess left on nodes that cannot reach the sink back to the
    /// source, so the preflow becomes a flow of the same value.
    func returnExcessToSource(control: IterationControl) {
        var any = false
        for v in 0..<n where v != Int(net.source) && v != Int(net.sink) && excess[v] > 0 { any = true; break }
        guard any else { return }
        target = net.source
        excluded = net.sink
        globalRelabel()
        while activeMax >= 0 {
            // Limits do not apply here: stopping would leave an invalid flow, and this phase
            // is bounded by the same push–relabel complexity.
            _ = discharge(control: nil)
            globalRelabel()
        }
    }

    /// Turns any preflow into a flow of the same value (the excess at the sink) by lowering
    /// arc flows only: the preflow's s–t paths and cycles without its paths that end at an
    /// excess (the decomposition of Ahuja, Magnanti & Orlin, §3.5, as in hi_pr's second
    /// stage). A depth-first search over the arcs that carry flow cancels each cycle it
    /// closes (lowering the cycle's flow by its smallest, so at least one arc empties and
    /// every node keeps its excess) and lists the nodes as they finish. The flow graph is
    /// then acyclic and a node finishes after every node it sends flow to, so taking the
    /// nodes in that order and removing each one's excess from the flow on its incoming
    /// arcs (which moves that excess to their tails, finished later) leaves no excess but at
    /// the source and the sink. Not interruptible: it runs after a stop to make the result a
    /// flow, in O(n + m) plus the length of each cancelled cycle (at most one per arc).
    func feasiblePart() {
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        let arcs = net.arcCount
        // The forward arc of each input arc carries its flow (the residual of its partner).
        let isForward = UnsafeMutablePointer<Bool>.allocate(capacity: max(arcs, 1))
        isForward.initialize(repeating: false, count: max(arcs, 1))
        for k in 0..<net.inputArcCount where net.forwardArc[k] >= 0 { isForward[Int(net.forwardArc[k])] = true }
        let white: UInt8 = 0, grey: UInt8 = 1, black: UInt8 = 2
        let color = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        color.initialize(repeating: white, count: n)
        let arcPointer = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        arcPointer.update(from: first, count: n)
        let parentArc = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let position = UnsafeMutablePointer<Int32>.allocate(capacity: n)  // stack index of a grey node
        let stack = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let finished = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer {
            isForward.deallocate(); color.deallocate(); arcPointer.deallocate(); parentArc.deallocate()
            position.deallocate(); stack.deallocate(); finished.deallocate()
        }
        @inline(__always) func flow(_ a: Int) -> Residual { residual[Int(reverse[a])] }
        @inline(__always) func lower(_ a: Int, by delta: Residual) {
            residual[a] &+= delta
            residual[Int(reverse[a])] &-= delta
        }
        var finishedCount = 0
        for root in 0..<n where color[root] == white {
            var top = 0
            stack[0] = Int32(root)
            position[root] = 0
            color[root] = grey
            while top >= 0 {
                let u = Int(stack[top])
                var a = Int(arcPointer[u])
                let end = Int(first[u + 1])
                while a < end && !(isForward[a] && flow(a) > 0 && color[Int(head[a])] != black) { a += 1 }
                arcPointer[u] = Int32(a)
                if a == end {
                    color[u] = black
                    finished[finishedCount] = Int32(u)
                    finishedCount += 1
                    top -= 1
                    continue
                }
                let v = Int(head[a])
                if color[v] == white {
                    parentArc[v] = Int32(a)
                    top += 1
                    stack[top] = Int32(v)
                    position[v] = Int32(top)
                    color[v] = grey
                    continue
                }
                // v is on the stack below u (no self-loops): the arcs from v up the stack to u,
                // then a, form a cycle.
                let bottom = Int(position[v])
                var delta = flow(a)
                for i in stride(from: bottom + 1, through: top, by: 1) { delta = min(delta, flow(Int(parentArc[Int(stack[i])]))) }
                lower(a, by: delta)
                var cut = top + 1
                for i in stride(from: bottom + 1, through: top, by: 1) {
                    let arc = Int(parentArc[Int(stack[i])])
                    lower(arc, by: delta)
                    if cut > top && flow(arc) == 0 { cut = i }
                }
                // Back off to the tail of the first emptied stack arc; the nodes above it
                // become unvisited again (their arc pointers stay valid: flows only fall).
                while top >= cut {
                    color[Int(stack[top])] = white
                    top -= 1
                }
            }
        }
        let s = Int(net.source), t = Int(net.sink)
        for index in 0..<finishedCount {
            let v = Int(finished[index])
            guard v != s && v != t else { continue }
            var e = excess[v]
            guard e > 0 else { continue }
            var a = Int(first[v])
            let end = Int(first[v + 1])
            while e > 0 && a < end {
                // A reverse arc in v's row carries the flow of an input arc into v.
                let r = residual[a]
                if !isForward[a] && r > 0 {
                    let delta = Int64(r) < e ? r : Residual(truncatingIfNeeded: e)
                    residual[a] = r &- delta
                    residual[Int(reverse[a])] &+= delta
                    excess[Int(head[a])] += Int64(delta)
                    e -= Int64(delta)
                }
                a += 1
            }
            excess[v] = e
        }
    }

    /// Discharges active nodes, highest label first, until none is left or a global
    /// relabel is due. Returns a stop status when the control says so.
    func discharge(control: IterationControl?) -> TerminationStatus? {
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        let dead = Int32(n)
        var steps = 0
        while activeMax >= 0 {
            let i = activeFirst[Int(activeMax)]
            if i < 0 { activeMax -= 1; continue }
            activeFirst[Int(activeMax)] = next[Int(i)]
            let d = label[Int(i)]
            var e = excess[Int(i)]
            var a = Int(current[Int(i)])
            let end = Int(first[Int(i) + 1])
            let lower = d - 1
            // Push along admissible arcs.
            while a < end {
                let r = residual[a]
                if r > 0 {
                    let j = head[a]
                    if label[Int(j)] == lower {
                        // An arc pair's residuals sum to its capacity, which fits in
                        // `Residual`: the wrapping operations cannot wrap.
                        let delta = Int64(r) < e ? r : Residual(truncatingIfNeeded: e)
                        residual[a] = r &- delta
                        residual[Int(reverse[a])] &+= delta
                        if excess[Int(j)] == 0 && j != target { addActive(j, lower) }
                        excess[Int(j)] += Int64(delta)
                        e -= Int64(delta)
                        pushes += 1
                        if e == 0 { break }
                    }
                }
                a += 1
            }
            excess[Int(i)] = e
            if e == 0 {
                current[Int(i)] = Int32(a)
            } else if labelCount[Int(d)] == 1 {
                // Gap: i was the only node at label d, so nothing above d can reach the target.
                label[Int(i)] = dead
                labelCount[Int(d)] = 0
                if labelMax > d {
                    for v in 0..<n {
                        let l = label[v]
                        if l > d && l < dead { label[v] = dead }
                    }
                    for l in Int(d) + 1...Int(labelMax) {
                        activeFirst[l] = -1
                        labelCount[l] = 0
                    }
                }
                labelMax = d - 1
                activeMax = d - 1
            } else {
                // Relabel: one more than the lowest label across a residual arc.
                var lowest = dead
                var lowestArc = Int32(end)
                let start = Int(first[Int(i)])
                for b in start..<end where residual[b] > 0 {
                    let l = label[Int(head[b])]
                    if l < lowest { lowest = l; lowestArc = Int32(b) }
                }
                relabels += 1
                work += Self.relabelWork + Double(end - start)
                labelCount[Int(d)] -= 1
                let newLabel = lowest + 1
                if newLabel < dead {
                    labelCount[Int(newLabel)] += 1
                    label[Int(i)] = newLabel
                    current[Int(i)] = lowestArc
                    addActive(i, newLabel)
                    activeMax = newLabel
                    if newLabel > labelMax { labelMax = newLabel }
                } else {
                    label[Int(i)] = dead
                }
            }
            if work > workLimit { return nil }
            steps += 1
            if steps & 0x3FFF == 0, let control, let stop = control.checkInterrupt() { return stop }
        }
        return nil
    }
}
