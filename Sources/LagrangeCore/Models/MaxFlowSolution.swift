// The result of a max-flow solve, shared by every max-flow backend, and its certificate
// check. Kept in LagrangeCore so native, GLPK and LP-based solvers and the output code
// (pictures, JSON) speak about one type.

/// The kind-specific part of a max-flow result: the flow value, a minimum cut that
/// certifies it, and optionally the flow on every arc.
///
/// Max-flow min-cut theorem: for any s–t flow f and any s–t cut (S, V∖S),
/// value(f) ≤ Σ_{u∈S, v∉S} cap(u, v), with equality exactly when f is maximum and the cut
/// minimum. A result whose ``cutCapacity`` equals ``flowValue`` is therefore a proof of
/// optimality (see ``MaxFlowVerifier``).
///
/// JSON fields: `flow_value`, `min_cut` (source-side node ids, 1-based), `min_cut_names`
/// (when the problem names its nodes), `cut_arcs` (`[from, to, capacity]`, 1-based ids,
/// arc order), `cut_capacity`, `arc_flows` (arc order, when kept), `matching` (bipartite
/// form: `[left, right]` name pairs).
public struct MaxFlowDetails: ResultDetails, Equatable {
    /// Net flow out of the source (= net flow into the sink).
    public var flowValue: Int64
    /// Source side S of the minimum cut, 0-based node ids in increasing order.
    public var sourceSide: [Int32]
    /// Indices (0-based, arc order) of the arcs from S to V∖S.
    public var cutArcs: [Int]
    /// Σ capacities of ``cutArcs``; equals ``flowValue`` for a certified result.
    public var cutCapacity: Int64
    /// Flow on each arc in arc order, when kept (see the `arc_flows` option).
    public var arcFlows: [Int64]?
    /// For a bipartite-matching problem: the matched (left, right) name pairs.
    public var matching: [[String]]?
    /// Whether ``MaxFlowVerifier`` checked this result.
    public var verified: Bool
    /// Endpoints and capacities of the cut arcs (1-based ids), for output without the problem.
    public var cutArcTriples: [[Int64]]
    /// Node names for the source side, when the problem has names.
    public var sourceSideNames: [String]?

    package init(flowValue: Int64, sourceSide: [Int32], cutArcs: [Int], cutCapacity: Int64, arcFlows: [Int64]?,
                matching: [[String]]?, verified: Bool, cutArcTriples: [[Int64]], sourceSideNames: [String]?) {
        self.flowValue = flowValue
        self.sourceSide = sourceSide
        self.cutArcs = cutArcs
        self.cutCapacity = cutCapacity
        self.arcFlows = arcFlows
        self.matching = matching
        self.verified = verified
        self.cutArcTriples = cutArcTriples
        self.sourceSideNames = sourceSideNames
    }

    /// Builds the details from a flow and a source side.
    ///
    /// - Parameters:
    ///   - flows: flow per arc (arc order).
    ///   - inSourceSide: membership of each node in S.
    ///   - keepFlows: whether ``arcFlows`` is kept (the matching is computed either way).
    ///   - verified: whether the caller ran ``MaxFlowVerifier`` on this flow and cut.
    package init(problem: MaxFlowProblem, flowValue: Int64, flows: [Int64], inSourceSide: [Bool], keepFlows: Bool, verified: Bool) {
        var side: [Int32] = []
        for v in 0..<problem.nodeCount where inSourceSide[v] { side.append(Int32(v)) }
        var cut: [Int] = []
        var triples: [[Int64]] = []
        var capacity: Int64 = 0
        // Local arrays: reading them through `problem` copies the struct per access in a
        // debug build (tens of milliseconds on a million arcs, after a solver's stop).
        let tails = problem.tails, heads = problem.heads, capacities = problem.capacities
        for k in 0..<problem.arcCount where inSourceSide[Int(tails[k])] && !inSourceSide[Int(heads[k])] {
            cut.append(k)
            triples.append([Int64(tails[k]) + 1, Int64(heads[k]) + 1, capacities[k]])
            // A minimum cut's capacity equals the flow value, so it fits; saturate otherwise so
            // that a wrong cut shows up as a mismatch, never as a trap.
            let (sum, overflow) = capacity.addingReportingOverflow(capacities[k])
            capacity = overflow ? Int64.max : sum
        }
        var pairs: [[String]]? = nil
        if let matchingArcs = problem.matchingArcs {
            let names = problem.nodeNames
            pairs = []
            for k in matchingArcs where k < flows.count && flows[k] > 0 {
                let u = Int(problem.tails[k]), v = Int(problem.heads[k])
                pairs?.append([names?[u] ?? String(u + 1), names?[v] ?? String(v + 1)])
            }
        }
        self.init(flowValue: flowValue, sourceSide: side, cutArcs: cut, cutCapacity: capacity,
                  arcFlows: keepFlows ? flows : nil, matching: pairs, verified: verified, cutArcTriples: triples,
                  sourceSideNames: problem.nodeNames.map { names in side.map { names[Int($0)] } })
    }

    public var jsonFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "flow_value": .integer(flowValue),
            "min_cut": .array(sourceSide.map { .integer(Int64($0) + 1) }),
            "cut_arcs": .array(cutArcTriples.map { .array($0.map { .integer($0) }) }),
            "cut_capacity": .integer(cutCapacity),
            "verified": .bool(verified),
        ]
        if let names = sourceSideNames { fields["min_cut_names"] = .array(names.map { .string($0) }) }
        if let flows = arcFlows { fields["arc_flows"] = .array(flows.map { .integer($0) }) }
        if let matching { fields["matching"] = .array(matching.map { .array($0.map { .string($0) }) }) }
        return fields
    }

    public var summaryLines: [String] {
        let shown = 20
        let members: [String] = sourceSideNames ?? sourceSide.map { String($0 + 1) }
        let list = members.prefix(shown).joined(separator: ", ") + (members.count > shown ? ", … (\(members.count) nodes)" : "")
        var lines = [
            "flow value: \(flowValue)",
            "minimum cut: \(cutArcs.count) arcs, capacity \(cutCapacity)\(verified ? " (verified)" : "")",
            "source side: {\(list)}",
        ]
        if let matching {
            let pairs = matching.prefix(shown).map { "\($0[0])–\($0[1])" }.joined(separator: ", ")
            lines.append("matching (\(matching.count) pairs): \(pairs)\(matching.count > shown ? ", …" : "")")
        }
        return lines
    }
}

/// Checks that a flow and a cut certify each other (Ahuja, Magnanti & Orlin, *Network
/// Flows*, §6.5): 0 ≤ f ≤ cap on every arc, conservation at every node but s and t, the
/// flow value is the net outflow of s and the net inflow of t, s ∈ S, t ∉ S, and the cut
/// capacity equals the flow value. Sums are exact (128-bit), so no capacity can overflow them.
package enum MaxFlowVerifier {
    /// A violated certificate condition.
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        package var message: String
        package init(_ message: String) { self.message = message }
        package var description: String { message }
    }

    /// Throws the first violated condition, else returns the flow value.
    @discardableResult
    package static func verify(problem: MaxFlowProblem, flows: [Int64], inSourceSide: [Bool]) throws(Failure) -> Int64 {
        let n = problem.nodeCount, m = problem.arcCount
        guard flows.count == m else { throw Failure("\(flows.count) arc flows for \(m) arcs") }
        guard inSourceSide.count == n else { throw Failure("cut membership has \(inSourceSide.count) entries for \(n) nodes") }
        var net = [Int128](repeating: 0, count: n)
        var cut: Int128 = 0
        for k in 0..<m {
            let u = Int(problem.tails[k]), v = Int(problem.heads[k]), f = flows[k]
            guard f >= 0, f <= problem.capacities[k] else {
                throw Failure("arc \(k + 1) (\(u + 1) → \(v + 1)) carries \(f), outside [0, \(problem.capacities[k])]")
            }
            net[u] += Int128(f)
            net[v] -= Int128(f)
            if inSourceSide[u] && !inSourceSide[v] { cut += Int128(problem.capacities[k]) }
        }
        for v in 0..<n where v != problem.source && v != problem.sink && net[v] != 0 {
            throw Failure("flow is not conserved at node \(v + 1): net outflow \(net[v])")
        }
        let value = net[problem.source]
        guard value == -net[problem.sink] else {
            throw Failure("net outflow of the source (\(value)) differs from net inflow of the sink (\(-net[problem.sink]))")
        }
        guard inSourceSide[problem.source] else { throw Failure("the cut's source side does not contain the source") }
        guard !inSourceSide[problem.sink] else { throw Failure("the cut's source side contains the sink") }
        guard cut == value else { throw Failure("cut capacity \(cut) differs from flow value \(value)") }
        guard let exact = Int64(exactly: value) else { throw Failure("flow value \(value) does not fit in 64 bits") }
        return exact
    }
}

extension MaxFlowProblem {
    /// The set of nodes reachable from the source in the residual graph of `flows`: the
    /// unique minimal source side of a minimum cut when `flows` is a maximum flow.
    /// Builds a compact adjacency of its own (two 32-bit entries per arc).
    package func residualReachableFromSource(flows: [Int64]) -> [Bool] {
        let n = nodeCount, m = arcCount
        var start = [Int32](repeating: 0, count: n + 1)
        for k in 0..<m {
            start[Int(tails[k]) + 1] += 1
            start[Int(heads[k]) + 1] += 1
        }
        for v in 0..<n { start[v + 1] += start[v] }
        var fill = start
        // entry = 2k for arc k traversed forward (tail side), 2k+1 for backward (head side)
        var entries = [Int32](repeating: 0, count: 2 * m)
        for k in 0..<m {
            entries[Int(fill[Int(tails[k])])] = Int32(2 * k); fill[Int(tails[k])] += 1
            entries[Int(fill[Int(heads[k])])] = Int32(2 * k + 1); fill[Int(heads[k])] += 1
        }
        var seen = [Bool](repeating: false, count: n)
        var queue = [Int32](repeating: 0, count: n)
        var head = 0, tail = 0
        seen[source] = true
        queue[tail] = Int32(source); tail += 1
        while head < tail {
            let u = Int(queue[head]); head += 1
            for e in Int(start[u])..<Int(start[u + 1]) {
                let entry = Int(entries[e]), k = entry >> 1
                let forward = entry & 1 == 0
                let residual = forward ? capacities[k] - flows[k] : flows[k]
                guard residual > 0 else { continue }
                let w = Int(forward ? heads[k] : tails[k])
                if !seen[w] { seen[w] = true; queue[tail] = Int32(w); tail += 1 }
            }
        }
        return seen
    }

    /// Display name of a node (its name, else its 1-based id).
    package func nodeLabel(_ v: Int) -> String { nodeNames?[v] ?? String(v + 1) }
}

extension MaxFlowDetails {
    /// Options every max-flow solver understands (declare them in the descriptor).
    package static let commonOptions: [OptionSpec] = [
        OptionSpec("verify", default: "false", "check capacity, conservation and flow value = cut capacity before returning"),
        OptionSpec("arc_flows", default: "auto", "report per-arc flows: true, false, or auto (graphs up to \(autoArcFlowLimit) arcs)"),
    ]

    /// The common options a max-flow solver honours: no `tolerance`, since a maximum flow
    /// of integral capacities is exact (the combinatorial methods do integer arithmetic;
    /// `native.maxflow-lp` demands an integral LP solution), so there is nothing to set.
    package static let honouredCommonOptions: Set<CommonOption> = [.maxIterations, .timeLimit]

    /// `arc_flows: auto` reports flows for graphs with at most this many arcs.
    package static let autoArcFlowLimit = 10_000
}

extension SolveResult {
    /// The result of a max-flow solve from a flow and a cut, shared by every backend.
    ///
    /// `objective` is the flow value. For `optimal`, the cut is a minimum cut; for a limit
    /// or an interruption the flow is feasible but perhaps not maximum, the cut is the
    /// smaller trivial cut ({s} or V ∖ {t}), and a note gives the interval
    /// [flow value, cut capacity] that holds the maximum. With option `verify: true` an optimal result
    /// is checked by ``MaxFlowVerifier``; a failed check becomes `numerical_error` with the
    /// reason in the notes (it would be a solver defect, not a property of the problem).
    package static func maxFlow(problem: MaxFlowProblem, flows: [Int64], inSourceSide: [Bool], status: TerminationStatus,
                               rawStatus: String, iterations: Int, options: SolveOptions) throws(SolverError) -> SolveResult {
        let verify = try options.flag("verify", default: false)
        let keepMode = try options.string("arc_flows", default: "auto", allowed: ["auto", "true", "false"])
        let keep = keepMode == "true" || (keepMode == "auto" && problem.arcCount <= MaxFlowDetails.autoArcFlowLimit)
        var value: Int64 = 0
        // Local arrays: see MaxFlowDetails.init(problem:…).
        let tails = problem.tails, heads = problem.heads, capacities = problem.capacities
        let source = Int32(problem.source), sink = Int32(problem.sink)
        for k in 0..<problem.arcCount {
            if tails[k] == source { value &+= flows[k] }
            if heads[k] == source { value &-= flows[k] }
        }
        var finalStatus = status
        var notes: [String] = []
        var inSourceSide = inSourceSide
        if status != .optimal {
            // No minimum cut is known: report the smaller of the two trivial cuts, {s} and
            // V ∖ {t}, so the cut capacity is still an upper bound on the maximum flow.
            var out: Int128 = 0, into: Int128 = 0
            for k in 0..<problem.arcCount where tails[k] != heads[k] {
                if tails[k] == source { out += Int128(capacities[k]) }
                if heads[k] == sink { into += Int128(capacities[k]) }
            }
            inSourceSide = [Bool](repeating: into < out, count: problem.nodeCount)
            inSourceSide[problem.source] = true
            inSourceSide[problem.sink] = false
        }
        var verified = false
        if verify && status == .optimal {
            do {
                value = try MaxFlowVerifier.verify(problem: problem, flows: flows, inSourceSide: inSourceSide)
                verified = true
            } catch {
                finalStatus = .numericalError
                notes.append("verification failed: \(error.message)")
            }
        }
        let details = MaxFlowDetails(problem: problem, flowValue: value, flows: flows, inSourceSide: inSourceSide,
                                     keepFlows: keep, verified: verified)
        if status != .optimal {
            notes.append("the flow is feasible but not proved maximum: the maximum lies in [\(value), \(details.cutCapacity)]")
        }
        var names: [String] = []
        var primal: [Double] = []
        if keep {
            var seen: [String: Int] = [:]
            names.reserveCapacity(problem.arcCount)
            for k in 0..<problem.arcCount {
                var label = problem.nodeLabel(Int(problem.tails[k])) + "->" + problem.nodeLabel(Int(problem.heads[k]))
                let count = (seen[label] ?? 0) + 1
                seen[label] = count
                if count > 1 { label += "#\(count)" }
                names.append(label)
            }
            primal = flows.map { Double($0) }
        }
        var result = SolveResult(kind: .maxFlow, status: finalStatus, rawStatus: rawStatus, objective: Double(value),
                                 variableNames: names, primal: primal, iterations: iterations)
        result.details = [details]
        result.notes = notes
        return result
    }
}
