import LagrangeCore

/// `native.dinic`: maximum s–t flow and minimum cut by shortest augmenting paths, Dinic's
/// phases with distance labels kept up by relabelling instead of a search per phase.
///
/// Problem: as for ``PushRelabelSolver``.
///
/// Algorithm (Dinic 1970 / Even's presentation for the phases; the distance labels, retreat
/// relabels and gap test of Ahuja & Orlin's shortest augmenting path algorithm, 1987, and
/// the global relabel of Cherkassky & Goldberg 1997): every node has a label that is a lower
/// bound on its residual distance to t, made exact by a BFS from t over reverse residual
/// arcs. A depth-first search from s with current-arc pointers follows admissible arcs (one
/// label down); each time it reaches t it augments by the path's bottleneck and retreats to
/// the tail of the first saturated arc. A node with no admissible arc left is relabelled to
/// 1 + the lowest label over its residual arcs and the search retreats one arc. Because
/// the labels are valid lower bounds, the path found has label(s) arcs and no residual
/// path is shorter: every augmentation is along a shortest augmenting path. A phase (the
/// augmentations of one length) ends when label(s) grows, that is when no path of that
/// length is left; as augmenting along shortest paths creates no new path of the same
/// length, the phase's flow is a blocking flow of the level graph at its start, so each
/// phase is one of Dinic's (which blocking flow may differ; on the RMF grids the phase
/// counts equal a textbook Dinic's, 485 and 707). The BFS from t runs again after `6n + m` units of relabel work (as
/// push–relabel's global relabel); between searches no BFS is needed, which matters on
/// graphs where the s–t distance grows by one per phase over hundreds of phases (RMF
/// grids: 485 phases on 64×64×12, 707 on 64×64×50, and each textbook Dinic phase searches
/// most of the graph). A node whose label the search leaves unchanged keeps its current
/// arc. Residuals are 32-bit when every capacity fits, as for push–relabel.
///
/// Cost on RMF grids: a node on a phase's paths has its exact distance as label, so the
/// labels of most nodes still climb by hundreds over the run (about 335 each on the
/// 64×64×50 grid), about one unit per relabel (a row scan) or per BFS. This made Dinic 1.8×
/// (64×64×12) and 1.5× (64×64×50) faster than with a BFS per phase, and it stays 3.5× and
/// 7.8× slower than push–relabel there (docs/benchmarks-maxflow.md, session 5), which is
/// why push–relabel is the default.
///
/// Termination: when a relabel empties its old label (the gap: no node is left at a label
/// between t's and s's, so no residual s–t path exists), when s's label reaches n, or when
/// the BFS from t does not reach s; the nodes reachable from s are then the source side of
/// a minimum cut. One history record per phase that augmented (flow so far, the phase's
/// path length `level_depth`, augmenting paths in the phase, relabels and BFS searches
/// from t so far); `max_iterations` counts these phases. On a limit the current flow
/// (feasible: whole paths only) is returned with the limit status.
package struct DinicSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "native.dinic", kinds: [.maxFlow], options: MaxFlowDetails.commonOptions,
        summary: "shortest augmenting paths in Dinic's phases: distance labels, relabel on retreat, gap test, periodic BFS from t",
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
