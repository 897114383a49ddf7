import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

struct DIMACSReaderTests {
    /// The error for a DIMACS text, or nil if it parses.
    func error(_ text: String) -> InputError? {
        do { _ = try DIMACSMaxFlow.parse(text: text, file: "bad.max"); return nil } catch { return error }
    }

    @Test func readsTheCLRSNetwork() throws {
        let definition = try ProblemFileReader.load(Fixtures.path("maxflow/clrs.max"))
        guard case .maxFlow(let p) = definition.problem else { Issue.record("not max-flow"); return }
        #expect(p.nodeCount == 6 && p.arcCount == 9 && p.source == 0 && p.sink == 5)
        #expect(p.tails[0] == 0 && p.heads[0] == 1 && p.capacities[0] == 16)
        #expect(definition.name == "clrs")
    }

    @Test func acceptsCommentsAnywhereBlankLinesAndCRLF() throws {
        let p = try DIMACSMaxFlow.parse(text: "c a\r\n\np max 3 2\r\nc b\nn 3 s\n  n 1 t\na 3 2 +4\r\nc c\na 2 1 4   \n")
        #expect(p.source == 2 && p.sink == 0 && p.capacities == [4, 4])
    }

    @Test(arguments: [
        ("n 1 s\np max 2 0\n", 1, "before the 'p max"),
        ("a 1 2 3\n", 1, "before the 'p max"),
        ("p max 2 1\nn 1 s\nn 2 t\na 1 2 3\np max 2 1\n", 5, "a second 'p' line"),
        ("p min 2 1\n", 1, "problem type is 'min'"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 4 3\n", 4, "arc head 4 is not a node"),
        ("p max 3 1\nn 1 s\nn 3 t\na 0 2 3\n", 4, "arc tail 0 is not a node"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 2 -3\n", 4, "negative capacity -3"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 2 3.5\n", 4, "must be an integer, found '3.5'"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 2 99999999999999999999\n", 4, "does not fit in a 64-bit integer"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 2\n", 4, "missing capacity"),
        ("p max 3 1\nn 1 s\nn 3 t\na 1 2 3 0 5\n", 4, "unexpected '0'"),
        ("p max 3 1\nn 1 s\nn 2 s\n", 3, "a second source (node 2)"),
        ("p max 3 1\nn 1 t\nn 2 t\n", 3, "a second sink"),
        ("p max 3 1\nn 1 s\nn 1 t\n", 3, "already the source"),
        ("p max 3 1\nn 1 x\n", 2, "must be 's' (source) or 't' (sink)"),
        ("p max 3 1\nn 4 s\n", 2, "node 4 is not a node"),
        ("p max 3 1\nx 1 2\n", 2, "unknown line type 'x'"),
        ("p max 1 0\n", 1, "at least 2 nodes"),
        ("p max 2000000000 1\n", 1, "declares 2000000000 nodes"),
        ("p max 3 x\n", 1, "arc count must be an integer"),
        ("p max 3 2\nn 1 s\nn 3 t\na 1 2 3\n", 1, "declares 2 arcs but the file has 1"),
    ] as [(String, Int, String)])
    func malformedFilesGiveLocatedErrors(text: String, line: Int, message: String) {
        let e = error(text)
        #expect(e != nil, "accepted: \(text)")
        #expect(e?.line == line, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
        #expect(e?.file == "bad.max")
    }

    @Test func missingHeaderSourceOrSinkAreReported() {
        #expect(error("c nothing\n")?.message.contains("no 'p max") == true)
        #expect(error("p max 2 0\nn 2 t\n")?.message.contains("no source") == true)
        #expect(error("p max 2 0\nn 1 s\n")?.message.contains("no sink") == true)
    }

    @Test func hugeDeclaredArcCountIsNotAllocated() {
        // Declares 2⁶² arcs; must fail on the count, not try to reserve memory for them.
        let e = error("p max 2 4611686018427387904\nn 1 s\nn 2 t\na 1 2 3\n")
        #expect(e?.message.contains("declares 4611686018427387904 arcs but the file has 1") == true)
    }

    @Test func sourceCapacityOverflowIsReported() {
        let e = error("p max 2 2\nn 1 s\nn 2 t\na 1 2 9223372036854775807\na 1 2 1\n")
        #expect(e?.message.contains("exceeds") == true)
    }

    @Test func malformedFixtureFilesFail() throws {
        let folder = Fixtures.packageRoot + "/Tests/MaxFlowTests/Malformed"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".max") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            #expect(throws: InputError.self, "\(file)") { try ProblemFileReader.load(folder + "/" + file) }
        }
    }

    @Test func writerRoundTripsEveryFixture() throws {
        for name in ["clrs", "handmade_edge", "edge_s1", "random_bigcap"] {
            guard case .maxFlow(let p) = try ProblemFileReader.load(Fixtures.path("maxflow/\(name).max")).problem else { continue }
            var q = try DIMACSMaxFlow.parse(text: DIMACSMaxFlow.text(p))
            q.name = p.name
            #expect(q == p, "\(name)")
        }
    }
}

struct YAMLMaxFlowTests {
    func load(_ text: String) throws -> ProblemDefinition {
        try ProblemFileReader.load(try YAMLProblemFile(text: text, path: Fixtures.path("maxflow/inline.yaml")))
    }

    @Test func arcListWithNamesAndUndirectedEdges() throws {
        let d = try load("""
        kind: max-flow
        source: s
        sink: t
        undirected: true
        arcs: [[s, a, 3], [a, t, 2], [s, t, 1]]
        """)
        guard case .maxFlow(let p) = d.problem else { Issue.record("not max-flow"); return }
        #expect(p.arcCount == 6)
        #expect(p.nodeNames == ["s", "t", "a"])
        let result = try SolverRegistry.standard.solve(d)
        #expect(result.details(as: MaxFlowDetails.self)?.flowValue == 3)
        #expect(result.details(as: MaxFlowDetails.self)?.sourceSideNames == ["s", "a"])
    }

    @Test func graphKeyLoadsADIMACSFile() throws {
        let d = try load("kind: max-flow\ngraph: clrs.max\nsolver: native.dinic\n")
        #expect(d.solverID == "native.dinic")
        #expect(try SolverRegistry.standard.solve(d).objective == 23)
    }

    @Test func bipartiteMatchingReportsThePairs() throws {
        let d = try load("""
        kind: max-flow
        left: [ann, bob, cat]
        right: [x, y, z]
        edges: [[ann, x], [ann, y], [bob, x], [cat, x]]
        """)
        for id in allSolvers {
            let (result, details) = try solveAndVerify(d, id)
            #expect(result.objective == 2)
            let matching = try #require(details.matching)
            #expect(matching.count == 2)
            #expect(Set(matching.map { $0[0] }).count == 2 && Set(matching.map { $0[1] }).count == 2)
            #expect(matching.contains(["ann", "y"]))
        }
    }

    @Test(arguments: [
        ("kind: max-flow\nsource: s\nsink: s\narcs: [[s, a, 1]]\n", "same node"),
        ("kind: max-flow\nsource: s\nsink: t\narcs: [[s, t, -1]]\n", "capacity must be ≥ 0"),
        ("kind: max-flow\nsource: s\nsink: t\narcs: [[s, t]]\n", "[from, to, capacity]"),
        ("kind: max-flow\nsource: s\nsink: t\narcs: [[s, t, 1.5]]\n", "capacity must be an integer"),
        ("kind: max-flow\nnodes: [s, t]\nsource: s\nsink: t\narcs: [[s, q, 1]]\n", "not in 'nodes:'"),
        ("kind: max-flow\narcs: [[s, t, 1]]\nsink: t\n", "missing 'source:'"),
        ("kind: max-flow\ngraph: clrs.max\nsource: s\n", "cannot be combined"),
        ("kind: max-flow\nleft: [a]\nright: [b]\nedges: [[b, a]]\n", "is a right node"),
        ("kind: max-flow\nleft: [a]\nright: [a]\nedges: []\n", "appears twice"),
        ("kind: max-flow\nname: x\n", "needs 'graph:'"),
        ("kind: max-flow\nsource: s\nsink: t\narcs: [[s, t, 1]]\ncolour: red\n", "unknown key 'colour'"),
    ] as [(String, String)])
    func badFilesAreReported(text: String, message: String) {
        do {
            _ = try load(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func exampleFilesLoad() throws {
        for file in ["maxflow/seeds.yaml", "maxflow/matching.yaml", "maxflow/clrs.max", "maxflow/dimacs.yaml", "tour/maxflow.yaml"] {
            let d = try ProblemFileReader.load(Fixtures.problem(file))
            let result = try SolverRegistry.standard.solve(d, options: SolveOptions(parameters: ["verify": .bool(true)]))
            #expect(result.status == .optimal, "\(file)")
            #expect(result.details(as: MaxFlowDetails.self)?.verified == true)
        }
    }

    @Test func pictureMarksTheCutArcs() throws {
        let d = try ProblemFileReader.load(Fixtures.problem("maxflow/seeds.yaml"))
        guard case .maxFlow(let p) = d.problem else { return }
        let result = try SolverRegistry.standard.solve(d)
        let details = try #require(result.details(as: MaxFlowDetails.self))
        let svg = MaxFlowPicture.svg(problem: p, details: details)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "marker-end=\"url(#arrow-cut)\"").count - 1 == details.cutArcs.count)
        #expect(svg.contains("max flow 14 = min cut capacity 14"))
    }

    /// The centre and radius of each node circle, by label.
    static func nodes(_ svg: String) -> [String: (x: Double, y: Double, r: Double)] {
        var out: [String: (x: Double, y: Double, r: Double)] = [:]
        for part in svg.components(separatedBy: "<circle class=\"node\"").dropFirst() {
            func number(_ key: String) -> Double? {
                guard let start = part.range(of: " \(key)=\"") else { return nil }
                return Double(part[start.upperBound...].prefix { $0 != "\"" })
            }
            guard let x = number("cx"), let y = number("cy"), let r = number("r"),
                  let open = part.range(of: "class=\"node-label\""), let close = part.range(of: "</text>"),
                  let gt = part[open.upperBound...].firstIndex(of: ">") else { continue }
            out[String(part[part.index(after: gt)..<close.lowerBound])] = (x, y, r)
        }
        return out
    }

    @Test("issue #21: layered picture, source left of sink, flow labels on no node and no other label")
    func pictureLayout() throws {
        let d = try ProblemFileReader.load(Fixtures.problem("tour/maxflow.yaml"))
        guard case .maxFlow(let p) = d.problem else { return }
        let details = try #require(try SolverRegistry.standard.solve(d).details(as: MaxFlowDetails.self))
        let svg = MaxFlowPicture.svg(problem: p, details: details)
        let nodes = Self.nodes(svg)
        #expect(nodes.count == p.nodeCount)
        let s = try #require(nodes["s"]), t = try #require(nodes["t"])
        #expect(s.x < t.x)
        #expect(nodes.values.allSatisfy { $0.x > s.x || $0 == s } && nodes.values.allSatisfy { $0.x < t.x || $0 == t })
        // Label centres (text anchor, baseline − 4) keep clear of every node circle and of each other.
        let labels: [(Double, Double)] = svg.components(separatedBy: "<text class=\"flow\" x=\"").dropFirst().compactMap { part in
            let x = Double(part.prefix { $0 != "\"" })
            guard let yStart = part.range(of: "y=\"") else { return nil }
            let y = Double(part[yStart.upperBound...].prefix { $0 != "\"" })
            return x.flatMap { x in y.map { (x, $0 - 4) } }
        }
        #expect(labels.count == p.arcCount)
        for (lx, ly) in labels {
            for node in nodes.values { #expect(hypot(lx - node.x, ly - node.y) > node.r + 6, "label at \(lx),\(ly)") }
        }
        for i in labels.indices { for j in labels.indices where i < j {
            #expect(abs(labels[i].0 - labels[j].0) > 20 || abs(labels[i].1 - labels[j].1) > 12, "labels \(labels[i]) and \(labels[j]) overlap")
        } }
    }

    @Test("issue #21: above 200 nodes only the minimum cut is drawn")
    func largeGraphDrawsOnlyTheCut() throws {
        // 0 → i → i + 83 → i + 166 → 250 for i in 1…83; the middle arcs (capacity 1) are the cut.
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = [], cut: [Int] = []
        for i in 1...83 {
            for (u, v, c) in [(0, i, 10), (i, i + 83, 1), (i + 83, i + 166, 10), (i + 166, 250, 10)] as [(Int, Int, Int64)] {
                if c == 1 { cut.append(tails.count) }
                tails.append(Int32(u)); heads.append(Int32(v)); capacities.append(c)
            }
        }
        let p = try MaxFlowProblem(nodeCount: 251, source: 0, sink: 250, tails: tails, heads: heads, capacities: capacities)
        let details = MaxFlowDetails(flowValue: 83, sourceSide: (0...83).map(Int32.init), cutArcs: cut, cutCapacity: 83, arcFlows: nil,
                                     matching: nil, verified: false, cutArcTriples: [], sourceSideNames: nil)
        let svg = MaxFlowPicture.svg(problem: p, details: details)
        #expect(svg.components(separatedBy: "marker-end=\"url(#arrow-cut)\"").count - 1 == 83)
        #expect(!svg.contains("marker-end=\"url(#arrow)\""))
        #expect(Self.nodes(svg).count == 166)
        #expect(svg.contains("source side: 84 nodes") && svg.contains("sink side: 167 nodes") && svg.contains("only the cut is drawn"))
        let nodes = Self.nodes(svg)
        #expect(nodes["2"].map { tail in nodes["85"].map { tail.x < $0.x } ?? false } == true)
    }
}
