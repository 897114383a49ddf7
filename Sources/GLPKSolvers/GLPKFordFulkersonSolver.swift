import CGLPK
import CGLPKShim
import LagrangeCore

/// `glpk.ford-fulkerson`: maximum flow and minimum cut by GLPK's `glp_maxflow_ffalg`
/// (Ford & Fulkerson's augmenting-path labelling method), through GLPK's graph API.
///
/// GLPK stores arc capacities as doubles but runs the algorithm in C `int`s: it rejects a
/// self-loop or a capacity that is not an integer in [0, 2³¹ − 1] (`GLP_EDATA`), and aborts
/// the process on a bad node number. So every input is validated here first: self-loops
/// (which carry no flow) are left out of GLPK's graph, and a capacity above 2³¹ − 1 is
/// refused with a ``SolverError`` (use `native.push-relabel` or `native.dinic`, which are
/// exact to 2⁶³ − 1). The flow value is summed in 64 bits here from GLPK's arc flows.
///
/// **Rounds.** `glp_maxflow_ffalg` has no callback or limit, so one call on a large network
/// could not be stopped. Each call (a *round*) therefore runs on the residual network of
/// the flow so far — every arc u→v with capacity c and flow f appears as u→v with c − f and
/// v→u with f — fed from a super-source through one arc s′→s whose capacity Δ is the
/// round's flow budget. A round that pushes less than Δ has found the maximum flow of the
/// residual network, so the flow is maximum and GLPK's labels of that round are a minimum
/// cut.
///
/// **Budgets** are counted in operations, not seconds, so the rounds, the history and the
/// per-arc flows are the same on every run and machine. A round's work is about
/// ``setupPasses`` passes over its network (building GLPK's graph, a breadth-first search
/// for the length of a shortest augmenting path, GLPK copying the graph into its arrays)
/// plus about one pass per augmenting path (GLPK's breadth-first search and its O(n)
/// relabelling); the paths are estimated by the arcs that carried the round's flow over
/// that shortest length. Δ starts at 1 and after each round is scaled by (target passes ÷
/// estimated passes), clamped to [½, 4]; the target is 4 × (setup + one path), so setup
/// stays a fraction of the work, or ``roundWork`` arc visits, whichever is more. So rounds
/// stay short however large the network (a path's real cost varies with the network, so
/// some rounds run several times the target), and a small network finishes in about
/// log₄(flow value) rounds.
///
/// **Limits** are a separate check. Between rounds the time limit, cancellation and
/// observers act through the history record; while a round's graph is built (as long as
/// GLPK's own setup: about 0.2 s per million arcs) the shim asks every 65 536 arcs; and a
/// built round whose GLPK call would end past the time limit is not run (its duration is
/// predicted from the last call's, scaled by the budgets, and is at least the build's).
/// A stopped solve returns the feasible flow of the rounds done. The history has one
/// record per round: the flow value so far, with extras `budget` (Δ) and `round_flow`.
///
/// GLPK keeps per-thread state: the graph is created, solved and deleted in this call.
package struct GLPKFordFulkersonSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "glpk.ford-fulkerson", kinds: [.maxFlow], options: MaxFlowDetails.commonOptions,
        summary: "GLPK glp_maxflow_ffalg: Ford-Fulkerson augmenting paths in budgeted rounds (capacities up to 2^31 - 1)",
        // No tolerance (exact); its rounds are budgeted, not counted against max_iterations.
        commonOptions: [.timeLimit])

    /// GLPK's graph limits (glpk/api/graph.c: NV_MAX, NA_MAX).
    static let maximumVertices = 100_000_000
    static let maximumArcs = 500_000_000
    /// Passes over a round's network before its first augmenting path: building GLPK's
    /// graph, the shortest-path search, and GLPK's copy of it into arrays and adjacency lists.
    static let setupPasses = 3
    /// The least work a round aims at, in arc and node visits (2²¹, some 10–50 ms of GLPK).
    /// Each round repeats GLPK's O(n + m) setup, so shorter rounds cost more in total: on a
    /// 25 000-arc network, budgets giving 3 ms rounds took 4× as long as 12 ms rounds.
    static let roundWork = 2_097_152.0

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        let n = network.nodeCount, m = network.arcCount
        // The residual network adds a super-source, a reverse arc per arc and the budget arc.
        guard n < Self.maximumVertices else { throw SolverError.unsupported("GLPK graphs hold at most \(Self.maximumVertices) nodes; with its super-source this one needs \(n + 1)") }
        guard m <= (Self.maximumArcs - 1) / 2 else { throw SolverError.unsupported("GLPK graphs hold at most \(Self.maximumArcs) arcs; the residual network of this one needs \(2 * m + 1)") }
        let capacities = network.capacities
        for k in 0..<m where capacities[k] > Int64(Int32.max) {
            throw SolverError.unsupported(
                "arc \(k + 1) (\(network.tails[k] + 1) → \(network.heads[k] + 1)) has capacity \(capacities[k]); GLPK's Ford-Fulkerson computes in 32-bit integers (at most \(Int32.max)). Use native.push-relabel or native.dinic")
        }
        // Already guaranteed by MaxFlowProblem; checked again because GLPK aborts on them.
        guard network.source != network.sink, (0..<n).contains(network.source), (0..<n).contains(network.sink) else {
            throw SolverError.unsupported("source and sink must be distinct nodes")
        }
        let control = context.control

        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        guard let state = lagrange_ff_create(Int32(n), Int32(m), network.tails, network.heads, network.capacities,
                                             Int32(network.source), Int32(network.sink)) else {
            throw SolverError.unsupported("could not allocate the residual network of \(m) arcs")
        }
        defer { lagrange_ff_free(state) }

        var total: Int64 = 0
        var budget: Int32 = 1
        var round = 0
        // The last GLPK call's duration and budget: a call's work grows about linearly with
        // its budget (one augmenting path per unit at most), which predicts the next one.
        var lastCall = (seconds: 0.0, budget: 1.0)
        let probe = InterruptProbe(control)
        func result(_ status: TerminationStatus, _ raw: String, rounds: Int) throws -> SolveResult {
            var flows = [Int64](repeating: 0, count: m)
            lagrange_ff_flows(state, &flows)
            var cut = [UInt8](repeating: 0, count: n)
            if status == .optimal { lagrange_ff_cut(state, &cut) }
            return try SolveResult.maxFlow(problem: network, flows: flows, inSourceSide: cut.map { $0 != 0 }, status: status,
                                           rawStatus: raw, iterations: rounds, options: context.options)
        }
        while true {
            round += 1
            var roundArcs: Int32 = 0
            let buildStart = IterationControl.now()
            let stopped = withExtendedLifetime(probe) {
                lagrange_ff_build(state, budget, askProbe, Unmanaged.passUnretained(probe).toOpaque(), &roundArcs)
            }
            if stopped != 0 {
                return try result(probe.status ?? .interrupted, "stopped while building round \(round)", rounds: round - 1)
            }
            // GLPK's call costs at least its own setup, about as much as the build.
            let buildSeconds = IterationControl.now() - buildStart
            if control.secondsRemaining < max(buildSeconds, lastCall.seconds * Double(budget) / lastCall.budget) {
                lagrange_ff_discard(state)
                return try result(.timeLimit, "stopped before round \(round): its glp_maxflow_ffalg call would end past the time limit",
                                  rounds: round - 1)
            }
            let callStart = IterationControl.now()
            var code: Int32 = 0
            var paths: Int64 = 0
            let roundFlow = Int64(lagrange_ff_solve(state, &code, &paths))
            guard code == 0 else {
                throw SolverError.unsupported("GLPK rejected the network (glp_maxflow_ffalg returned \(code))")
            }
            lastCall = (IterationControl.now() - callStart, Double(budget))
            total += roundFlow
            let finished = roundFlow < Int64(budget)
            let record = IterationRecord(iteration: round, objective: Double(total),
                                         extras: [Metric("budget", Double(budget)), Metric("round_flow", Double(roundFlow))])
            let stop = control.record(record, iterationLimit: Int.max)
            if finished { return try result(.optimal, "glp_maxflow_ffalg: round flow below its budget", rounds: round) }
            if let stop { return try result(stop, "stopped between rounds", rounds: round) }
            // Scale the budget toward the target work (flow per round grows about linearly
            // with it), by at most 4× up and 2× down per round so one odd round cannot swing it.
            let passes = Double(Self.setupPasses) + Double(paths)
            let target = max(4 * Double(Self.setupPasses + 1), Self.roundWork / Double(n + Int(roundArcs)))
            let scale = min(4, max(0.5, target / passes))
            budget = Int32(min(Double(Int32.max), max(1, (Double(budget) * scale).rounded(.down))))
        }
    }
}

/// The shim's stop hook: the solve's probe, through the user pointer.
private let askProbe: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { info in
    guard let info else { return 1 }
    return Unmanaged<InterruptProbe>.fromOpaque(info).takeUnretainedValue().shouldStop() ? 1 : 0
}
