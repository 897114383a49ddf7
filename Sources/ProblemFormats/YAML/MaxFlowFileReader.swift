import LagrangeCore

/// Reads `kind: max-flow` YAML files in three forms (docs/problem-files.md):
///
/// - **DIMACS file:** `graph: net.max` (the file names its source and sink);
/// - **arc list:** `arcs: [[u, v, cap], …]` with node names (text or numbers), `source:`,
///   `sink:`, optional `nodes: [names]` (fixes the node order and rejects unknown names)
///   and `undirected: true` (each edge becomes two opposite arcs of the same capacity);
/// - **bipartite matching:** `left: [names]`, `right: [names]`, `edges: [[l, r], …]`;
///   builds source → left (1), left → right (1 per edge), right → sink (1), and the result
///   reports the matching.
enum MaxFlowFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        if let graph = file.value("graph") {
            for key in ["arcs", "left", "source", "sink", "nodes", "undirected"] where file.has(key) {
                throw InputError(file: file.path, line: file.value(key)?.line, "'\(key):' cannot be combined with 'graph:' (the DIMACS file gives the whole network)")
            }
            let definition = try ProblemFileReader.loadReferenced(graph, from: file)
            guard case .maxFlow(var problem) = definition.problem else { throw graph.error("does not hold a max-flow network") }
            problem.name = file.name
            return file.definition(.maxFlow(problem), notes: definition.notes)
        }
        if file.has("left") || file.has("right") || file.has("edges") { return file.definition(.maxFlow(try matching(file))) }
        guard file.has("arcs") else {
            throw file.error("a max-flow file needs 'graph:' (a DIMACS .max file), 'arcs:' with 'source:' and 'sink:', or 'left:', 'right:' and 'edges:'")
        }
        return file.definition(.maxFlow(try arcList(file)))
    }

    /// An exact non-negative 64-bit capacity (YAML numbers above 2⁵³ would lose digits as doubles).
    static func capacity(_ v: YAMLValue) throws(InputError) -> Int64 {
        let text = try v.string().replacingOccurrences(of: "_", with: "")
        if let c = Int64(text) {
            guard c >= 0 else { throw v.error("capacity must be ≥ 0, found \(c)") }
            return c
        }
        if let d = Double(text), d == d.rounded(), d >= 0, d < 9.2e18 { return Int64(d) }
        throw v.error("capacity must be an integer between 0 and \(Int64.max), found '\(text)'")
    }

    /// A node reference: a name (text or a number written as text).
    static func nodeName(_ v: YAMLValue) throws(InputError) -> String {
        let name = try v.string()
        guard !name.isEmpty else { throw v.error("node names must not be empty") }
        return name
    }

    static func arcList(_ file: YAMLProblemFile) throws(InputError) -> MaxFlowProblem {
        var names: [String] = []
        var index: [String: Int32] = [:]
        let fixedNodes = file.value("nodes")
        if let fixedNodes {
            for item in try fixedNodes.array() {
                let name = try nodeName(item)
                guard index[name] == nil else { throw item.error("node '\(name)' is listed twice") }
                index[name] = Int32(names.count)
                names.append(name)
            }
        }
        func node(_ v: YAMLValue) throws(InputError) -> Int32 {
            let name = try nodeName(v)
            if let i = index[name] { return i }
            guard fixedNodes == nil else { throw v.error("node '\(name)' is not in 'nodes:'") }
            index[name] = Int32(names.count)
            names.append(name)
            return Int32(names.count - 1)
        }
        let sourceValue = try file.required("source", "the source node's name")
        let sinkValue = try file.required("sink", "the sink node's name")
        let source = try node(sourceValue)
        let sink = try node(sinkValue)
        guard source != sink else { throw sinkValue.error("source and sink are the same node '\(names[Int(sink)])'") }
        let undirected = try file.value("undirected")?.bool() ?? false
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        let arcs = try file.required("arcs")
        for item in try arcs.array() {
            let fields = try item.array()
            guard fields.count == 3 else { throw item.error("an arc is [from, to, capacity], found \(fields.count) entries") }
            let u = try node(fields[0]), v = try node(fields[1]), c = try capacity(fields[2])
            tails.append(u); heads.append(v); capacities.append(c)
            if undirected { tails.append(v); heads.append(u); capacities.append(c) }
        }
        return try ProblemFileReader.model(file.path, line: arcs.line) { () throws(ModelError) in
            try MaxFlowProblem(name: file.name, nodeCount: names.count, source: Int(source), sink: Int(sink),
                               tails: tails, heads: heads, capacities: capacities, nodeNames: names)
        }
    }

    static func matching(_ file: YAMLProblemFile) throws(InputError) -> MaxFlowProblem {
        let leftValue = try file.required("left", "the left node set")
        let rightValue = try file.required("right", "the right node set")
        let edgesValue = try file.required("edges", "[left, right] pairs")
        var names: [String] = []
        var side: [String: (index: Int32, left: Bool)] = [:]
        for (list, isLeft) in [(leftValue, true), (rightValue, false)] {
            for item in try list.array() {
                let name = try nodeName(item)
                guard side[name] == nil else { throw item.error("'\(name)' appears twice in 'left:'/'right:'") }
                side[name] = (Int32(names.count + 2), isLeft)
                names.append(name)
            }
        }
        // Source and sink get names that no left or right node uses.
        var sourceName = "source", sinkName = "sink"
        while side[sourceName] != nil { sourceName = "_" + sourceName }
        while side[sinkName] != nil { sinkName = "_" + sinkName }
        names = [sourceName, sinkName] + names
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        for (name, entry) in side.sorted(by: { $0.value.index < $1.value.index }) {
            _ = name
            if entry.left { tails.append(0); heads.append(entry.index) } else { tails.append(entry.index); heads.append(1) }
            capacities.append(1)
        }
        var matchingArcs: [Int] = []
        var seen = Set<Int64>()
        for item in try edgesValue.array() {
            let pair = try item.array()
            guard pair.count == 2 else { throw item.error("an edge is [left, right], found \(pair.count) entries") }
            let l = try nodeName(pair[0]), r = try nodeName(pair[1])
            guard let le = side[l] else { throw pair[0].error("'\(l)' is not in 'left:'") }
            guard le.left else { throw pair[0].error("'\(l)' is a right node; an edge is [left, right]") }
            guard let re = side[r] else { throw pair[1].error("'\(r)' is not in 'right:'") }
            guard !re.left else { throw pair[1].error("'\(r)' is a left node; an edge is [left, right]") }
            guard seen.insert(Int64(le.index) << 32 | Int64(re.index)).inserted else { throw item.error("edge [\(l), \(r)] is listed twice") }
            matchingArcs.append(tails.count)
            tails.append(le.index); heads.append(re.index); capacities.append(1)
        }
        var problem = try ProblemFileReader.model(file.path, line: edgesValue.line) { () throws(ModelError) in
            try MaxFlowProblem(name: file.name, nodeCount: names.count, source: 0, sink: 1,
                               tails: tails, heads: heads, capacities: capacities, nodeNames: names)
        }
        problem.matchingArcs = matchingArcs
        return problem
    }
}
