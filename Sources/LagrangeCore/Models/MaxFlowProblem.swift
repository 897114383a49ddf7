/// An s–t maximum-flow problem on a directed graph with integer capacities (`kind: max-flow`).
///
/// Nodes are 0-based internally (DIMACS ids minus one). Parallel arcs, self-loops and
/// zero capacities are allowed. Capacities are 64-bit; a flow value that would overflow
/// Int64 is rejected at construction (total source capacity is checked).
public struct MaxFlowProblem: Sendable, Equatable {
    /// The problem's name in results.
    public var name: String
    /// Number of nodes, 0-based ids `0..<nodeCount`.
    public private(set) var nodeCount: Int
    /// The source node s (0-based).
    public private(set) var source: Int
    /// The sink node t (0-based).
    public private(set) var sink: Int
    /// Each arc's tail (the node it leaves), 0-based.
    public private(set) var tails: [Int32]
    /// Each arc's head (the node it enters), 0-based.
    public private(set) var heads: [Int32]
    /// Each arc's capacity, ≥ 0.
    public private(set) var capacities: [Int64]
    /// Optional display names for nodes (defaults to 1-based ids).
    public var nodeNames: [String]?
    /// For a bipartite-matching problem: the indices of the left→right arcs, whose flows
    /// form the matching reported in the result. `nil` for a plain network.
    public var matchingArcs: [Int]? = nil

    /// Number of arcs.
    public var arcCount: Int { tails.count }

    /// A network of `nodeCount` nodes with arcs `tails[k]` → `heads[k]` of capacity `capacities[k]`;
    /// throws a ``ModelError`` for out-of-range nodes, s = t, mismatched arrays, negative
    /// capacities or a source capacity that would overflow Int64.
    public init(name: String = "", nodeCount: Int, source: Int, sink: Int,
                tails: [Int32], heads: [Int32], capacities: [Int64], nodeNames: [String]? = nil) throws(ModelError) {
        guard nodeCount >= 2, nodeCount <= Int(Int32.max) else { throw ModelError("a flow network needs between 2 and \(Int32.max) nodes, got \(nodeCount)") }
        guard (0..<nodeCount).contains(source) else { throw ModelError("source \(source + 1) is not a node") }
        guard (0..<nodeCount).contains(sink) else { throw ModelError("sink \(sink + 1) is not a node") }
        guard source != sink else { throw ModelError("source and sink are the same node (\(source + 1))") }
        guard tails.count == heads.count, heads.count == capacities.count else { throw ModelError("arc arrays have different lengths") }
        var sourceCapacity: Int64 = 0
        for k in 0..<tails.count {
            guard tails[k] >= 0, Int(tails[k]) < nodeCount, heads[k] >= 0, Int(heads[k]) < nodeCount else {
                throw ModelError("arc \(k + 1) (\(tails[k] + 1) → \(heads[k] + 1)) uses a node outside 1…\(nodeCount)")
            }
            guard capacities[k] >= 0 else { throw ModelError("arc \(k + 1) has negative capacity \(capacities[k])") }
            if Int(tails[k]) == source {
                let (sum, overflow) = sourceCapacity.addingReportingOverflow(capacities[k])
                guard !overflow else { throw ModelError("total capacity out of the source exceeds 2⁶³ − 1") }
                sourceCapacity = sum
            }
        }
        if let names = nodeNames, names.count != nodeCount { throw ModelError("\(names.count) node names for \(nodeCount) nodes") }
        if let names = nodeNames, let duplicate = LinearProgram.firstDuplicate(names) { throw ModelError("duplicate node name '\(duplicate)'") }
        self.name = name
        self.nodeCount = nodeCount
        self.source = source
        self.sink = sink
        self.tails = tails
        self.heads = heads
        self.capacities = capacities
        self.nodeNames = nodeNames
    }
}
