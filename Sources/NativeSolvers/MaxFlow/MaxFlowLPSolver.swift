import LagrangeCore
import LinearAlgebra

/// `native.maxflow-lp`: maximum flow as a linear program on the node–arc incidence matrix,
/// solved through the registry by the dual simplex (`native.simplex`, or option
/// `lp_solver`); the LP duals give the minimum cut.
///
/// Primal (one column per arc a = (u, v), one row per node w ∉ {s, t}):
///
///     max  Σ_{a out of s} x_a − Σ_{a into s} x_a
///     s.t. Σ_{a out of w} x_a − Σ_{a into w} x_a = 0     (w ≠ s, t)
///          0 ≤ x_a ≤ cap_a
///
/// With y_w the rows' shadow prices (∂ optimum / ∂ right-hand side, DESIGN's convention),
/// the potentials p_s = 1, p_t = 0, p_w = −y_w satisfy: an arc with p_u > p_v is
/// saturated, and the dual objective Σ cap_a (p_u − p_v)⁺ equals the flow value (LP
/// duality). For any threshold θ ∈ (0, 1), S = {w : p_w > θ} is then a minimum cut for
/// almost every θ; the thresholds between consecutive distinct potentials are tried and
/// the smallest cut kept. Max flow = min cut is thus shown by LP duality.
///
/// The constraint matrix is totally unimodular, so a basic optimal solution (simplex) is
/// integral; a non-integral one (an interior point method on a degenerate problem) is
/// reported as `numerical_error`. Capacities above 2⁵³ are refused (not exact as doubles).
/// The history is the LP solver's history.
package struct MaxFlowLPSolver: SolverPlugin {
    package init() {}

    package let descriptor = SolverDescriptor(
        id: "native.maxflow-lp", kinds: [.maxFlow],
        options: MaxFlowDetails.commonOptions + [OptionSpec("lp_solver", default: "native.simplex", "LP solver id used for the formulation (a simplex gives the basic, integral solution)")],
        summary: "max flow as an LP on the incidence matrix through the LP registry; the duals give the cut",
        commonOptions: MaxFlowDetails.honouredCommonOptions)

    /// The LP solver used unless `lp_solver` names another (the registry's LP default when
    /// this one is not registered).
    static let vertexSolverID = "native.simplex"

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        let n = network.nodeCount, m = network.arcCount
        let s = network.source, t = network.sink
        for k in 0..<m where network.capacities[k] > 1 << 53 {
            throw SolverError.unsupported("arc \(k + 1) has capacity \(network.capacities[k]) above 2^53, not exact in an LP's doubles")
        }
        // Rows: nodes other than s and t, in order.
        var row = [Int](repeating: -1, count: n)
        var rowCount = 0
        for v in 0..<n where v != s && v != t { row[v] = rowCount; rowCount += 1 }
        // Columns: arcs that can carry flow (not self-loops).
        var columnArc: [Int] = []
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var objective: [Double] = []
        var upper: [Double] = []
        func stopped(_ status: TerminationStatus) -> SolveResult {
            SolveResult(kind: .maxFlow, status: status, rawStatus: "stopped while building the LP", objective: nil,
                        variableNames: [], primal: [], iterations: 0)
        }
        for k in 0..<m where network.tails[k] != network.heads[k] {
            // Building the LP is linear but long for large graphs: honour limits inside.
            if k & 4095 == 0, let stop = context.control.checkInterrupt() { return stopped(stop) }
            let u = Int(network.tails[k]), v = Int(network.heads[k])
            let j = columnArc.count
            columnArc.append(k)
            if row[u] >= 0 { triplets.append((row[u], j, 1)) }
            if row[v] >= 0 { triplets.append((row[v], j, -1)) }
            objective.append(u == s ? 1 : (v == s ? -1 : 0))
            upper.append(Double(network.capacities[k]))
        }
        var flows = [Int64](repeating: 0, count: m)
        guard !columnArc.isEmpty else {
            return try SolveResult.maxFlow(problem: network, flows: flows, inSourceSide: network.residualReachableFromSource(flows: flows),
                                           status: .optimal, rawStatus: "no arcs", iterations: 0, options: context.options)
        }
        if let stop = context.control.checkInterrupt() { return stopped(stop) }
        let matrix = try SparseMatrix(rowCount: rowCount, columnCount: columnArc.count, triplets: triplets)
        if let stop = context.control.checkInterrupt() { return stopped(stop) }
        let lp = try LinearProgram(name: network.name + " (max-flow LP)", sense: .maximize, objective: objective, constraints: matrix,
                                   rowLower: Array(repeating: 0, count: rowCount), rowUpper: Array(repeating: 0, count: rowCount),
                                   columnLower: Array(repeating: 0, count: columnArc.count), columnUpper: upper)
        var lpOptions = SolveOptions()
        // The LP gets what is left of this solve's time (building the LP took some) and
        // its cancellation flag, so the nested solve stops when this one must.
        if let stop = context.control.checkInterrupt() { return stopped(stop) }
        if context.options.timeLimit != nil { lpOptions.timeLimit = max(context.control.secondsRemaining, 1e-6) }
        lpOptions.maxIterations = context.options.maxIterations
        // A vertex is what makes the flow integral and the dual cut exact; the registry's LP
        // default (an interior point method) returns non-basic points on these degenerate
        // LPs, which came back numerical_error with a cut above the flow.
        let lpSolver = context.options.parameters["lp_solver"]?.description
            ?? (context.registry.plugin(id: Self.vertexSolverID) != nil ? Self.vertexSolverID : nil)
        let lpResult = try context.registry.solve(.linear(lp), name: lp.name, solverID: lpSolver, options: lpOptions,
                                                  cancellation: context.control.cancellationFlag)
        for record in lpResult.history.records { _ = context.control.record(record, iterationLimit: Int.max) }
        guard lpResult.status == .optimal else {
            var result = SolveResult(kind: .maxFlow, status: lpResult.status, rawStatus: "\(lpResult.solverID): \(lpResult.rawStatus)",
                                     objective: nil, variableNames: [], primal: [], iterations: lpResult.iterations)
            result.notes = ["the LP solver \(lpResult.solverID) stopped with \(lpResult.status.rawValue)"]
            return result
        }
        var integral = true
        for (j, k) in columnArc.enumerated() {
            let x = lpResult.primal[j]
            let rounded = x.rounded()
            if abs(x - rounded) > 1e-6 * max(1, abs(x)) { integral = false }
            flows[k] = Int64(min(max(rounded, 0), Double(network.capacities[k])))
        }
        // Potentials from the duals, then the best threshold cut.
        var potential = [Double](repeating: 0, count: n)
        potential[s] = 1
        if let duals = lpResult.duals, duals.count == rowCount {
            for v in 0..<n where row[v] >= 0 { potential[v] = -duals[row[v]] }
        }
        var cut = Self.bestThresholdCut(network, potential: potential)
        var notes: [String] = ["LP solved by \(lpResult.solverID) (\(lpResult.iterations) iterations)"]
        var status = TerminationStatus.optimal
        if !integral {
            status = .numericalError
            notes.append("the LP solution is not integral (not a basic solution); flows were rounded")
        }
        if lpResult.duals == nil || (try? MaxFlowVerifier.verify(problem: network, flows: flows, inSourceSide: cut)) == nil {
            let reachable = network.residualReachableFromSource(flows: flows)
            notes.append(lpResult.duals == nil ? "the LP solver gave no duals; the cut is the residual-reachable set"
                                               : "the dual threshold cut did not certify the rounded flow; the cut is the residual-reachable set")
            cut = reachable
        }
        var result = try SolveResult.maxFlow(problem: network, flows: flows, inSourceSide: cut, status: status,
                                             rawStatus: "\(lpResult.solverID): \(lpResult.rawStatus)",
                                             iterations: lpResult.iterations, options: context.options)
        result.notes = notes + result.notes
        return result
    }

    /// S = {v : p_v > θ} for the θ between consecutive distinct potentials in (0, 1) that
    /// gives the smallest cut capacity (128-bit sums). Always contains s and never t.
    static func bestThresholdCut(_ network: MaxFlowProblem, potential: [Double]) -> [Bool] {
        let levels = Set(potential.map { min(1, max(0, $0)) }).sorted()
        var thresholds: [Double] = []
        for i in 0..<(levels.count - 1) { thresholds.append((levels[i] + levels[i + 1]) / 2) }
        if thresholds.isEmpty { thresholds = [0.5] }
        var best: [Bool] = []
        var bestCapacity = Int128.max
        for theta in thresholds.prefix(64) {
            var side = potential.map { $0 > theta }
            side[network.source] = true
            side[network.sink] = false
            var capacity: Int128 = 0
            for k in 0..<network.arcCount where side[Int(network.tails[k])] && !side[Int(network.heads[k])] {
                capacity += Int128(network.capacities[k])
            }
            if capacity < bestCapacity { bestCapacity = capacity; best = side }
        }
        return best
    }
}
