import LagrangeCore

/// `native.dinic`: maximum s–t flow and minimum cut by Dinic's blocking-flow method.
///
/// Problem: as for ``PushRelabelSolver``.
///
/// Algorithm (Dinic 1970; Even's presentation): each phase labels nodes by their BFS
/// distance to t in the residual graph (a search from t over reverse residual arcs that
/// stops as soon as s is labelled, so nodes farther from t than s are never scanned), then
/// finds a blocking flow in the level graph (arcs that go one level down towards t) by
/// depth-first augmentation from s with current-arc pointers. Every labelled node has a
/// path to t in the level graph, so the search only meets dead ends that the phase's own
/// augmentations made; a dead end leaves the level graph, and every arc is abandoned at
/// most once per phase. The s–t distance grows every phase, so there are at most n − 1
/// phases. The search is iterative (no recursion depth limit). Residuals are 32-bit when
/// every capacity fits, as for push–relabel.
///
/// Phase count: Dinic needs one phase per distinct s–t distance. On RMF grids that is
/// hundreds to thousands (485 on a 64×64×12 grid, the same in a textbook C Dinic), each
/// with a search over most of the graph; push–relabel does not have this cost, which is
/// why it is the default.
///
/// Termination: when the search from t no longer reaches s; the nodes reachable from s are
/// then the source side of a minimum cut. One history record per phase (flow so far, the
/// level-graph depth, augmenting paths in the phase); `max_iterations` counts phases. On a
/// limit the current flow (feasible) is returned with the limit status.
package struct DinicSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "native.dinic", kinds: [.maxFlow], options: MaxFlowDetails.commonOptions,
        summary: "Dinic's algorithm: BFS level graph and blocking flows with current-arc pointers",
        commonOptions: MaxFlowDetails.honouredCommonOptions)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        if ResidualNetwork<Int32>.holdsCapacities(of: network) {
            return try solve(network, Int32.self, context: context)
        }
        return try solve(network, Int64.self, context: context)
    }

    private func solve<Residual: FixedWidthInteger & SignedInteger>(_ network: MaxFlowProblem, _: Residual.Type,
                                                                    context: SolveContext) throws -> SolveResult {
        let probe = InterruptProbe(context.control)
        let residualNetwork = try ResidualNetwork<Residual>(network, shouldStop: probe.shouldStop)
        guard residualNetwork.isComplete else {
            return try ResidualNetwork<Residual>.stoppedBeforeStart(network, status: probe.status ?? .interrupted, options: context.options)
        }
        let (status, phases) = Self.run(residualNetwork, control: context.control)
        return try SolveResult.maxFlow(problem: network, flows: residualNetwork.inputFlows(),
                                       inSourceSide: residualNetwork.cutSourceSide(for: status), status: status,
                                       rawStatus: MaxFlowTermination.rawStatus(status),
                                       iterations: phases, options: context.options)
    }
}

/// `native.push-relabel`: maximum s–t flow and minimum cut by highest-label push–relabel.
///
/// Problem: max Σ_{a out of s} f_a − Σ_{a into s} f_a over 0 ≤ f ≤ cap with conservation
/// at every node but s and t.
///
/// Algorithm (Goldberg & Tarjan 1988; the heuristics of Cherkassky & Goldberg 1997,
/// "On implementing the push–relabel method for the maximum flow problem", as in hi_pr):
/// phase 1 saturates the source's arcs and repeatedly discharges the active node with the
/// highest distance label, pushing along admissible arcs (label drop of one) and
/// relabelling when none is left. Global relabelling (a reverse BFS from the sink) runs
/// after O(n + m) work and, as OR-Tools' GlobalUpdate does, pushes each newly labelled
/// node's excess along the arc that labelled it (admissible by construction), so excess
/// advances one level per search without a discharge; the gap heuristic removes every node
/// above an emptied label.
/// Phase 1 ends with a maximum preflow; the excess at the sink is the flow value. Phase 2
/// returns the remaining excess to the source by the same method with the source as target,
/// giving a flow. The minimum cut's source side is the set reachable from s in the final
/// residual graph (the unique minimal one).
///
/// Termination: phase 1 ends when no node that can reach the sink has excess. Each global
/// relabel is one history record (excess at the sink, active nodes, relabels and pushes so
/// far), where `max_iterations` and `time_limit` apply. On a limit the preflow's feasible
/// part is returned, with status `iteration_limit` / `time_limit`: phase 2 could take as
/// long as phase 1 (its excess is spread over the whole network), so the preflow is
/// instead turned into a flow by cancelling its flow cycles and returning each node's
/// excess along the arcs that brought it, in O(n + m) plus the cycles' lengths (see
/// ``PushRelabelEngine/feasiblePart()``). The flow value is the excess that had reached
/// the sink.
package struct PushRelabelSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "native.push-relabel", kinds: [.maxFlow],
        options: MaxFlowDetails.commonOptions + PushRelabelSettings.optionSpecs,
        summary: "highest-label push-relabel with global relabelling and the gap heuristic",
        commonOptions: MaxFlowDetails.honouredCommonOptions)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        let frequency = try PushRelabelSettings(options: context.options).globalRelabelFrequency
        // 32-bit residuals whenever the capacities allow: identical steps, half the memory
        // traffic on the residual array.
        if ResidualNetwork<Int32>.holdsCapacities(of: network) {
            return try run(network, Int32.self, frequency: frequency, context: context)
        }
        return try run(network, Int64.self, frequency: frequency, context: context)
    }

    private func run<Residual: FixedWidthInteger & SignedInteger>(_ network: MaxFlowProblem, _: Residual.Type, frequency: Double,
                                                                  context: SolveContext) throws -> SolveResult {
        let probe = InterruptProbe(context.control)
        let residual = try ResidualNetwork<Residual>(network, shouldStop: probe.shouldStop)
        guard residual.isComplete else {
            return try ResidualNetwork<Residual>.stoppedBeforeStart(network, status: probe.status ?? .interrupted, options: context.options)
        }
        let engine = PushRelabelEngine(residual, frequency: frequency)
        let status = engine.maximumPreflow(control: context.control)
        if status == .optimal {
            engine.returnExcessToSource(control: context.control)
        } else {
            engine.feasiblePart()
        }
        return try SolveResult.maxFlow(problem: network, flows: residual.inputFlows(), inSourceSide: residual.cutSourceSide(for: status),
                                       status: status, rawStatus: MaxFlowTermination.rawStatus(status),
                                       iterations: engine.globalRelabels, options: context.options)
    }
}
