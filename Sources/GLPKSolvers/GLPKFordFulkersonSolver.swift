import CGLPK
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
/// GLPK reports no iterations; the history has one record with the final flow value.
/// GLPK keeps per-thread state: the graph is created, solved and deleted in this call.
public struct GLPKFordFulkersonSolver: SolverPlugin {
    public init() {}

    public let descriptor = SolverDescriptor(
        id: "glpk.ford-fulkerson", kinds: [.maxFlow], options: MaxFlowDetails.commonOptions,
        summary: "GLPK glp_maxflow_ffalg: Ford-Fulkerson augmenting paths (capacities up to 2^31 - 1)")

    /// GLPK's graph limits (glpk/api/graph.c: NV_MAX, NA_MAX).
    static let maximumVertices = 100_000_000
    static let maximumArcs = 500_000_000

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .maxFlow(let network) = problem else { throw SolverError.unsupported("\(descriptor.id) solves max-flow problems only") }
        let n = network.nodeCount, m = network.arcCount
        guard n <= Self.maximumVertices else { throw SolverError.unsupported("GLPK graphs hold at most \(Self.maximumVertices) nodes; this one has \(n)") }
        guard m <= Self.maximumArcs else { throw SolverError.unsupported("GLPK graphs hold at most \(Self.maximumArcs) arcs; this one has \(m)") }
        for k in 0..<m where network.capacities[k] > Int64(Int32.max) {
            throw SolverError.unsupported(
                "arc \(k + 1) (\(network.tails[k] + 1) → \(network.heads[k] + 1)) has capacity \(network.capacities[k]); GLPK's Ford-Fulkerson computes in 32-bit integers (at most \(Int32.max)). Use native.push-relabel or native.dinic")
        }
        // Already guaranteed by MaxFlowProblem; checked again because GLPK aborts on them.
        guard network.source != network.sink, (0..<n).contains(network.source), (0..<n).contains(network.sink) else {
            throw SolverError.unsupported("source and sink must be distinct nodes")
        }

        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        // Arc data: capacity (double) at offset 0, flow (double) at 8. Vertex data: cut flag (int).
        let capacityOffset: Int32 = 0, flowOffset: Int32 = 8, cutOffset: Int32 = 0
        guard let graph = glp_create_graph(Int32(MemoryLayout<Int32>.size), 2 * Int32(MemoryLayout<Double>.size)) else {
            throw SolverError.unsupported("GLPK could not create a graph")
        }
        defer { glp_delete_graph(graph) }
        _ = glp_add_vertices(graph, Int32(n))
        var arcs = [UnsafeMutablePointer<glp_arc>?](repeating: nil, count: m)
        for k in 0..<m where network.tails[k] != network.heads[k] {
            guard let arc = glp_add_arc(graph, network.tails[k] + 1, network.heads[k] + 1) else { continue }
            var capacity = Double(network.capacities[k])
            withUnsafeBytes(of: &capacity) { bytes in
                arc.pointee.data.advanced(by: Int(capacityOffset)).copyMemory(from: bytes.baseAddress!, byteCount: 8)
            }
            arcs[k] = arc
        }
        var value = 0.0
        let code = glp_maxflow_ffalg(graph, Int32(network.source + 1), Int32(network.sink + 1), capacityOffset, &value, flowOffset, cutOffset)
        guard code == 0 else {
            throw SolverError.unsupported("GLPK rejected the network (glp_maxflow_ffalg returned \(code))")
        }
        var flows = [Int64](repeating: 0, count: m)
        for k in 0..<m {
            guard let arc = arcs[k] else { continue }
            var flow = 0.0
            withUnsafeMutableBytes(of: &flow) { bytes in
                bytes.baseAddress!.copyMemory(from: arc.pointee.data.advanced(by: Int(flowOffset)), byteCount: 8)
            }
            flows[k] = Int64(flow)
        }
        var inSourceSide = [Bool](repeating: false, count: n)
        for v in 0..<n {
            guard let vertex = graph.pointee.v[v + 1] else { continue }
            inSourceSide[v] = vertex.pointee.data.loadUnaligned(fromByteOffset: Int(cutOffset), as: Int32.self) != 0
        }
        _ = context.control.record(IterationRecord(iteration: 1, objective: value), iterationLimit: Int.max)
        return try SolveResult.maxFlow(problem: network, flows: flows, inSourceSide: inSourceSide, status: .optimal,
                                       rawStatus: "glp_maxflow_ffalg returned 0", iterations: 1, options: context.options)
    }
}
