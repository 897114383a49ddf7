import LagrangeCore

/// `native.dinic`: maximum s–t flow and minimum cut by Dinic's blocking-flow method.
///
/// Problem: as for ``PushRelabelSolver``.
///
/// Algorithm (Dinic 1970; Even's presentation): each phase labels nodes by BFS distance
/// from s in the residual graph, then finds a blocking flow in the level graph (arcs that
/// go one level down towards t) by depth-first augmentation with current-arc pointers, so
/// every arc is abandoned at most once per phase. The s–t distance grows every phase, so
/// there are at most n − 1 phases. The search is iterative (no recursion depth limit).
///
/// Termination: when the BFS no longer reaches t; the nodes it reached are the source side
/// of a minimum cut. One history record per phase (flow so far, the level-graph depth,
/// augmenting paths in the phase); `max_iterations` counts phases. On a limit the current
/// flow (feasible) is returned with the limit status.
package struct DinicSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "native.dinic", kinds: [.maxFlow], options: MaxFlowDetails.commonOptions,
        summary: "Dinic's algorithm: BFS level graph and blocking flows with current-arc pointers",
        commonOptions: MaxFlowDetails.honouredCommonOptions)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        let probe = InterruptProbe(context.control)
        let residualNetwork = try ResidualNetwork<Int64>(network, shouldStop: probe.shouldStop)
        guard residualNetwork.isComplete else {
            return try ResidualNetwork<Int64>.stoppedBeforeStart(network, status: probe.status ?? .interrupted, options: context.options)
        }
        let (status, phases) = Self.run(residualNetwork, control: context.control)
        return try SolveResult.maxFlow(problem: network, flows: residualNetwork.inputFlows(),
                                       inSourceSide: residualNetwork.cutSourceSide(for: status), status: status,
                                       rawStatus: status == .optimal ? "maximum flow" : "stopped early",
                                       iterations: phases, options: context.options)
    }

    static func run(_ net: ResidualNetwork<Int64>, control: IterationControl) -> (TerminationStatus, Int) {
        let n = net.nodeCount
        let first = net.first, head = net.head, residual = net.residual, reverse = net.reverse
        let s = Int(net.source), t = Int(net.sink)
        let level = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let queue = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let current = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let path = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { level.deallocate(); queue.deallocate(); current.deallocate(); path.deallocate() }
        var flow: Int64 = 0
        var phase = 0
        var steps = 0
        while true {
            // BFS levels from s, stopping after t's level is complete.
            level.update(repeating: -1, count: n)
            level[s] = 0
            queue[0] = Int32(s)
            var front = 0, back = 1
            while front < back {
                let u = Int(queue[front]); front += 1
                if level[t] >= 0 && level[u] >= level[t] { break }
                let d = level[u] + 1
                for a in Int(first[u])..<Int(first[u + 1]) where residual[a] > 0 && level[Int(head[a])] < 0 {
                    let j = Int(head[a])
                    level[j] = d
                    queue[back] = Int32(j); back += 1
                }
            }
            if level[t] < 0 { return (.optimal, phase) }
            let depth = level[t]
            // Blocking flow by iterative DFS along level-graph arcs.
            current.update(from: first, count: n)
            var paths = 0
            var top = 0
            var u = s
            while true {
                if u == t {
                    var bottleneck = Int64.max
                    for k in 0..<top { let r = residual[Int(path[k])]; if r < bottleneck { bottleneck = r } }
                    var firstSaturated = -1
                    for k in 0..<top {
                        let a = Int(path[k])
                        residual[a] -= bottleneck
                        residual[Int(reverse[a])] += bottleneck
                        if firstSaturated < 0 && residual[a] == 0 { firstSaturated = k }
                    }
                    flow += bottleneck
                    paths += 1
                    // Retreat to the tail of the first saturated arc.
                    top = firstSaturated
                    u = top == 0 ? s : Int(head[Int(path[top - 1])])
                    continue
                }
                var a = Int(current[u])
                let end = Int(first[u + 1])
                let want = level[u] + 1
                while a < end && !(residual[a] > 0 && level[Int(head[a])] == want) { a += 1 }
                current[u] = Int32(a)
                if a < end {
                    path[top] = Int32(a); top += 1
                    u = Int(head[a])
                } else {
                    // Dead end: no admissible arc left at u this phase.
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
