import BuiltInSolvers
import Testing
import Lagrange
import LagrangeTestSupport

/// Solves with one solver, keeping arc flows, and checks the certificate independently.
func solveAndVerify(_ definition: ProblemDefinition, _ solverID: String, options: SolveOptions = SolveOptions()) throws -> (SolveResult, MaxFlowDetails) {
    var merged = options
    merged.parameters["arc_flows"] = .bool(true)
    let result = try SolverRegistry.builtIn.solve(definition, solverID: solverID, options: merged)
    let details = try #require(result.details(as: MaxFlowDetails.self))
    guard case .maxFlow(let problem) = definition.problem else { throw InputError("not max-flow") }
    let flows = try #require(details.arcFlows)
    var side = [Bool](repeating: false, count: problem.nodeCount)
    for v in details.sourceSide { side[Int(v)] = true }
    if result.status == .optimal {
        let value = try MaxFlowVerifier.verify(problem: problem, flows: flows, inSourceSide: side)
        #expect(value == details.flowValue)
        #expect(details.cutCapacity == details.flowValue)
    }
    return (result, details)
}

let nativeSolvers = ["native.push-relabel", "native.dinic"]
let allSolvers = nativeSolvers + ["glpk.ford-fulkerson"]

struct ReferenceInstanceTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("maxflow/reference.tsv"))) ?? []

    @Test func referenceFileListsFourteenInstances() {
        #expect(Self.rows.count == 14)
    }

    @Test(arguments: rows.map { $0["name"] ?? "" })
    func everySolverFindsTheReferenceFlowWithACertifiedCut(name: String) throws {
        let row = try #require(Self.rows.first { $0["name"] == name })
        let expected = try #require(Int64(row["max_flow"] ?? ""))
        let definition = try ProblemFileReader.load(Fixtures.path("maxflow/\(name).max"))
        guard case .maxFlow(let problem) = definition.problem else { Issue.record("not max-flow"); return }
        #expect(problem.nodeCount == Int(row["nodes"] ?? ""))
        #expect(problem.arcCount == Int(row["arcs"] ?? ""))
        #expect(problem.source + 1 == Int(row["source"] ?? ""))
        #expect(problem.sink + 1 == Int(row["sink"] ?? ""))
        var sides: [[Int32]] = []
        for id in allSolvers {
            if id == "glpk.ford-fulkerson" && problem.capacities.contains(where: { $0 > Int64(Int32.max) }) {
                // GLPK computes in 32-bit ints: it must refuse, not overflow.
                #expect(throws: SolverError.self) { try SolverRegistry.builtIn.solve(definition, solverID: id) }
                continue
            }
            let (result, details) = try solveAndVerify(definition, id)
            #expect(result.status == .optimal, "\(id)")
            #expect(details.flowValue == expected, "\(id) on \(name)")
            #expect(details.cutCapacity == expected, "\(id) on \(name)")
            #expect(result.objective == Double(expected))
            sides.append(details.sourceSide)
        }
        // The set reachable from s in the residual graph of any maximum flow is the same
        // (the minimal minimum cut), so every backend reports the same source side.
        for side in sides.dropFirst() { #expect(side == sides[0], "\(name)") }
    }

    @Test func handmadeInstanceHasTheDocumentedCut() throws {
        let definition = try ProblemFileReader.load(Fixtures.path("maxflow/handmade_edge.max"))
        for id in allSolvers {
            let (_, details) = try solveAndVerify(definition, id)
            #expect(details.flowValue == 7)
            #expect(details.sourceSide == [0, 4], "\(id)") // nodes 1 and 5
            // 5→3, 1→2, 1→3 and 1→4 (the last two have capacity 0), in arc order.
            #expect(details.cutArcTriples == [[1, 2, 5], [1, 3, 0], [5, 3, 2], [1, 4, 0]], "\(id)")
        }
    }
}

struct SeedNetworkTests {
    static let arcs: [(String, String, Int64)] = [
        ("s", "a", 7), ("s", "b", 2), ("s", "c", 8), ("a", "b", 3), ("a", "d", 6), ("b", "e", 4), ("c", "f", 5),
        ("d", "t", 3), ("d", "g", 2), ("e", "t", 4), ("f", "t", 3), ("f", "g", 2), ("g", "t", 100),
    ]

    static func network() throws -> MaxFlowProblem {
        let names = ["s", "a", "b", "c", "d", "e", "f", "g", "t"]
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        return try MaxFlowProblem(name: "seeds", nodeCount: names.count, source: 0, sink: 8,
                                  tails: arcs.map { index[$0.0]! }, heads: arcs.map { index[$0.1]! },
                                  capacities: arcs.map { $0.2 }, nodeNames: names)
    }

    static func cutCapacity(_ problem: MaxFlowProblem, sourceSide: Set<String>) -> Int64 {
        var total: Int64 = 0
        for k in 0..<problem.arcCount where sourceSide.contains(problem.nodeLabel(Int(problem.tails[k])))
            && !sourceSide.contains(problem.nodeLabel(Int(problem.heads[k]))) { total += problem.capacities[k] }
        return total
    }

    @Test func theIssuesThreeCutsHaveCapacities17_15_14() throws {
        let p = try Self.network()
        #expect(Self.cutCapacity(p, sourceSide: ["s"]) == 17)
        #expect(Self.cutCapacity(p, sourceSide: ["s", "a", "b", "c"]) == 15)
        #expect(Self.cutCapacity(p, sourceSide: ["s", "a", "b", "c", "d", "e", "f"]) == 14)
    }

    @Test(arguments: allSolvers)
    func maximumFlowIs14(solverID: String) throws {
        let (result, details) = try solveAndVerify(ProblemDefinition(name: "seeds", problem: .maxFlow(try Self.network())), solverID)
        #expect(result.status == .optimal)
        #expect(details.flowValue == 14)
        #expect(details.cutCapacity == 14)
        #expect(result.value(of: "g->t") == 4)
    }

    @Test func exampleFileGivesTheSameAnswer() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("maxflow/seeds.yaml"))
        let result = try SolverRegistry.builtIn.solve(definition, options: SolveOptions(parameters: ["verify": .bool(true)]))
        let details = try #require(result.details(as: MaxFlowDetails.self))
        #expect(result.solverID == "native.push-relabel")
        #expect(details.flowValue == 14)
        #expect(details.verified)
        #expect(result.objective == 14)
        let tour = try SolverRegistry.builtIn.solve(try ProblemFileReader.load(Fixtures.problem("tour/maxflow.yaml")))
        #expect(tour.details(as: MaxFlowDetails.self)?.flowValue == 14)
    }
}

struct EdgeCaseTests {
    func network(_ n: Int, _ s: Int, _ t: Int, _ arcs: [(Int32, Int32, Int64)]) throws -> ProblemDefinition {
        ProblemDefinition(name: "edge", problem: .maxFlow(try MaxFlowProblem(
            nodeCount: n, source: s, sink: t, tails: arcs.map(\.0), heads: arcs.map(\.1), capacities: arcs.map(\.2))))
    }

    @Test(arguments: allSolvers)
    func parallelArcsAddUpAndSelfLoopsAndZeroArcsCarryNothing(solverID: String) throws {
        let d = try network(3, 0, 2, [(0, 1, 3), (0, 1, 4), (1, 1, 50), (1, 2, 0), (1, 2, 5), (0, 2, 0), (2, 0, 9), (0, 0, 8)])
        let (_, details) = try solveAndVerify(d, solverID)
        #expect(details.flowValue == 5)
        let flows = try #require(details.arcFlows)
        #expect(flows[2] == 0 && flows[3] == 0 && flows[5] == 0 && flows[6] == 0 && flows[7] == 0)
        #expect(flows[0] + flows[1] == 5)
    }

    @Test(arguments: allSolvers)
    func unreachableSinkGivesZeroFlowAndTheReachableSetAsCut(solverID: String) throws {
        // 0 → 1 → 2, 3 → 4 (sink), 4 → 0: nothing reaches 4 from 0.
        let d = try network(5, 0, 4, [(0, 1, 5), (1, 2, 5), (3, 4, 7), (4, 0, 2)])
        let (result, details) = try solveAndVerify(d, solverID)
        #expect(result.status == .optimal)
        #expect(details.flowValue == 0)
        #expect(details.sourceSide == [0, 1, 2])
        #expect(details.cutArcs.isEmpty)
    }

    @Test func sourceEqualToSinkIsAnError() {
        #expect(throws: ModelError.self) {
            try MaxFlowProblem(nodeCount: 3, source: 1, sink: 1, tails: [0], heads: [1], capacities: [1])
        }
    }

    @Test(arguments: nativeSolvers)
    func capacitiesNearTheInt64LimitAreExact(solverID: String) throws {
        let half = Int64.max / 2
        let d = try network(4, 0, 3, [(0, 1, half), (0, 2, half), (1, 3, .max), (2, 3, .max), (1, 2, .max)])
        let (_, details) = try solveAndVerify(d, solverID)
        #expect(details.flowValue == 2 * half)
    }

    @Test func totalSourceCapacityBeyondInt64IsRejected() {
        #expect(throws: ModelError.self) {
            try MaxFlowProblem(nodeCount: 2, source: 0, sink: 1, tails: [0, 0], heads: [1, 1], capacities: [.max, 1])
        }
    }

    @Test func glpkRefusesCapacitiesBeyond32Bits() throws {
        let d = try network(2, 0, 1, [(0, 1, Int64(Int32.max) + 1)])
        #expect(throws: SolverError.self) { try SolverRegistry.builtIn.solve(d, solverID: "glpk.ford-fulkerson") }
        let ok = try network(2, 0, 1, [(0, 1, Int64(Int32.max))])
        let (_, details) = try solveAndVerify(ok, "glpk.ford-fulkerson")
        #expect(details.flowValue == Int64(Int32.max))
    }

    @Test(arguments: allSolvers)
    func arcsIntoTheSourceAndOutOfTheSinkAreHandled(solverID: String) throws {
        let d = try network(4, 3, 0, [(3, 1, 6), (1, 0, 4), (1, 3, 9), (0, 2, 8), (2, 3, 5), (0, 1, 2), (3, 0, 1)])
        let (_, details) = try solveAndVerify(d, solverID)
        #expect(details.flowValue == 5)
    }
}

struct HistoryTests {
    static func instance(_ name: String) throws -> ProblemDefinition {
        try ProblemFileReader.load(Fixtures.path("maxflow/\(name).max"))
    }

    @Test func pushRelabelRecordsEachGlobalRelabelWithItsCounters() throws {
        let result = try SolverRegistry.builtIn.solve(try Self.instance("ak_k2000"), solverID: "native.push-relabel")
        let records = result.history.records
        #expect(records.count >= 2)
        for r in records { #expect(r.extras.map(\.name) == ["active_nodes", "relabels", "pushes"]) }
        #expect(records.last?.objective == 4003)
        #expect(records.last?.value(forKey: "active_nodes") == 0)
        // Pushes and relabels are cumulative.
        for (a, b) in zip(records, records.dropFirst()) {
            #expect(a.value(forKey: "pushes")! <= b.value(forKey: "pushes")!)
            #expect(a.iteration + 1 == b.iteration)
        }
    }

    @Test func dinicRecordsFlowAndDepthPerPhase() throws {
        let result = try SolverRegistry.builtIn.solve(try Self.instance("layered_medium"), solverID: "native.dinic")
        #expect(result.history.records.count >= 2)
        Self.expectDinicPhases(result, flow: 94327, "layered_medium")
    }

    @Test(arguments: nativeSolvers)
    func anIterationLimitStillReturnsAFeasibleFlowBelowTheCut(solverID: String) throws {
        let definition = try Self.instance("ak_k2000")
        let (result, details) = try solveAndVerify(definition, solverID, options: SolveOptions(maxIterations: 1))
        #expect(result.status == .iterationLimit)
        guard case .maxFlow(let problem) = definition.problem else { return }
        let flows = try #require(details.arcFlows)
        var side = [Bool](repeating: false, count: problem.nodeCount)
        for v in details.sourceSide { side[Int(v)] = true }
        // Capacity and conservation hold; only the cut may be larger than the flow.
        do {
            try MaxFlowVerifier.verify(problem: problem, flows: flows, inSourceSide: side)
        } catch {
            #expect(error.message.hasPrefix("cut capacity"), "\(error)")
        }
        #expect(details.flowValue < 4003)
        #expect(details.cutCapacity >= 4003)
    }

    /// A stop returns the preflow's feasible part: a flow (capacities and conservation
    /// hold) whose value is the excess that had reached the sink when the last record was
    /// taken. Random networks with arcs both ways, so preflows carry flow cycles. (Limits 1
    /// and 2: since the global relabel pushes excess along its search tree, these networks
    /// finish within 3 records, and a limit of 3 stopped none of them.)
    @Test(arguments: 1...2)
    func pushRelabelStoppedReturnsThePreflowsFeasiblePart(iterationLimit: Int) throws {
        var random = SeededGenerator(seed: 40 + UInt64(iterationLimit))
        var stopped = 0
        for _ in 0..<20 {
            let n = 60
            var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
            for _ in 0..<400 {
                let u = random.nextIndex(below: n), v = random.nextIndex(below: n)
                guard u != v else { continue }
                tails.append(Int32(u)); heads.append(Int32(v)); capacities.append(Int64(1 + random.nextIndex(below: 50)))
            }
            let problem = try MaxFlowProblem(nodeCount: n, source: 0, sink: n - 1, tails: tails, heads: heads, capacities: capacities)
            let definition = ProblemDefinition(name: "random", problem: .maxFlow(problem))
            let (result, details) = try solveAndVerify(definition, "native.push-relabel", options: SolveOptions(maxIterations: iterationLimit))
            guard result.status == .iterationLimit else { continue }
            stopped += 1
            let flows = try #require(details.arcFlows)
            var side = [Bool](repeating: false, count: n)
            for v in details.sourceSide { side[Int(v)] = true }
            do {
                try MaxFlowVerifier.verify(problem: problem, flows: flows, inSourceSide: side)
            } catch {
                #expect(error.message.hasPrefix("cut capacity"), "\(error)")
            }
            #expect(Double(details.flowValue) == result.history.records.last?.objective)
        }
        #expect(stopped > 0)
    }

    /// Push–relabel (whose global relabel now pushes excess as it labels) and Dinic (levels
    /// searched from the sink, a partner-open byte per arc) agree on random networks with
    /// arcs both ways, parallel arcs and self-loops, with 32-bit and with 64-bit residuals
    /// (capacities up to 10¹² take the 64-bit path); every answer is certified.
    @Test(arguments: [false, true])
    func pushRelabelAndDinicAgreeOnRandomNetworks(largeCapacities: Bool) throws {
        var random = SeededGenerator(seed: largeCapacities ? 77 : 76)
        for trial in 0..<40 {
            let n = 2 + random.nextIndex(below: 80)
            let arcs = random.nextIndex(below: 6 * n)
            var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
            for _ in 0..<arcs {
                tails.append(Int32(random.nextIndex(below: n))); heads.append(Int32(random.nextIndex(below: n)))
                let c = Int64(random.nextIndex(below: 100))
                capacities.append(largeCapacities && random.nextIndex(below: 3) == 0 ? c * 10_000_000_000 : c)
            }
            let source = random.nextIndex(below: n)
            let sink = (source + 1 + random.nextIndex(below: n - 1)) % n
            let problem = try MaxFlowProblem(nodeCount: n, source: source, sink: sink, tails: tails, heads: heads, capacities: capacities)
            let definition = ProblemDefinition(name: "random\(trial)", problem: .maxFlow(problem))
            let (first, firstDetails) = try solveAndVerify(definition, "native.push-relabel")
            let (second, secondDetails) = try solveAndVerify(definition, "native.dinic")
            #expect(first.status == .optimal && second.status == .optimal)
            #expect(firstDetails.flowValue == secondDetails.flowValue, "trial \(trial)")
        }
    }

    /// Dinic's history as its doc promises: one record per phase that augmented, the flow
    /// rising and the path length (`level_depth`) growing from record to record, the
    /// relabel and BFS counters cumulative, and the last record at the final flow.
    static func expectDinicPhases(_ result: SolveResult, flow: Int64, _ comment: Comment) {
        let records = result.history.records
        #expect(records.count == result.iterations, comment)
        #expect(records.last?.objective == (flow == 0 ? nil : Double(flow)), comment)
        for r in records { #expect(r.extras.map(\.name) == ["level_depth", "augmenting_paths", "relabels", "global_relabels"], comment) }
        for (a, b) in zip(records, records.dropFirst()) {
            #expect(a.objective! < b.objective!, comment)
            #expect(a.value(forKey: "level_depth")! < b.value(forKey: "level_depth")!, comment)
            #expect(a.value(forKey: "relabels")! <= b.value(forKey: "relabels")!, comment)
            #expect(a.value(forKey: "global_relabels")! <= b.value(forKey: "global_relabels")!, comment)
            #expect(a.iteration + 1 == b.iteration, comment)
        }
        for r in records { #expect(r.value(forKey: "augmenting_paths")! >= 1, comment) }
    }

    /// Dinic (labels kept by relabelling, a gap test, BFS from t only now and then) against
    /// push–relabel on random networks of a few hundred nodes with small capacities, so that
    /// runs take many phases, relabels, several BFS searches and end on a gap or on a dead
    /// source; arcs both ways, parallel arcs, self-loops, and 64-bit capacities in one run of
    /// three. Every answer is certified (conservation, capacities, cut capacity = flow).
    @Test func dinicAgreesWithPushRelabelOnLargerRandomNetworks() throws {
        var random = SeededGenerator(seed: 2026_12_08)
        var searchedAgain = 0
        for trial in 0..<30 {
            let n = 50 + random.nextIndex(below: 350)
            let arcs = n * (2 + random.nextIndex(below: 5))
            let large = trial % 3 == 2
            var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
            for _ in 0..<arcs {
                // Mostly short arcs (node numbers close together), so that s–t paths are long.
                let u = random.nextIndex(below: n)
                let v = random.nextIndex(below: 4) == 0 ? random.nextIndex(below: n) : min(n - 1, max(0, u + random.nextIndex(below: 9) - 3))
                tails.append(Int32(u)); heads.append(Int32(v))
                let c = Int64(1 + random.nextIndex(below: 20))
                capacities.append(large ? c * 5_000_000_000 : c)
            }
            let problem = try MaxFlowProblem(nodeCount: n, source: 0, sink: n - 1, tails: tails, heads: heads, capacities: capacities)
            let definition = ProblemDefinition(name: "random\(trial)", problem: .maxFlow(problem))
            let (reference, referenceDetails) = try solveAndVerify(definition, "native.push-relabel")
            let (result, details) = try solveAndVerify(definition, "native.dinic")
            #expect(reference.status == .optimal && result.status == .optimal, "trial \(trial)")
            #expect(details.flowValue == referenceDetails.flowValue, "trial \(trial)")
            #expect(details.cutCapacity == details.flowValue, "trial \(trial)")
            // The minimal minimum cut (what s reaches) is the same for every maximum flow.
            #expect(details.sourceSide == referenceDetails.sourceSide, "trial \(trial)")
            Self.expectDinicPhases(result, flow: details.flowValue, "trial \(trial)")
            if (result.history.records.last?.value(forKey: "global_relabels") ?? 0) > 1 { searchedAgain += 1 }
        }
        // The periodic BFS from t ran in some of these runs, not only the first search.
        #expect(searchedAgain > 0)
    }

    /// An RMF grid (Goldfarb–Grigoriadis, as `gen_maxflow.py grid`: b frames of a × a grids
    /// with in-frame capacity c2·a², frame k → k + 1 by a random permutation with capacities
    /// in [1, c2]), the family where the s–t distance grows by one over hundreds of phases:
    /// Dinic's flow and cut equal push–relabel's, and its phases are as documented.
    @Test(arguments: [(6, 5, 11), (10, 8, 12), (12, 12, 13)])
    func dinicAgreesWithPushRelabelOnAnRMFGrid(a: Int, b: Int, seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let area = a * a, n = area * b
        let c2: Int64 = 100
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        func arc(_ u: Int, _ v: Int, _ c: Int64) { tails.append(Int32(u)); heads.append(Int32(v)); capacities.append(c) }
        for k in 0..<b {
            let base = k * area
            for r in 0..<a {
                for c in 0..<a {
                    let u = base + r * a + c
                    if c + 1 < a { arc(u, u + 1, c2 * Int64(area)) }
                    if c > 0 { arc(u, u - 1, c2 * Int64(area)) }
                    if r + 1 < a { arc(u, u + a, c2 * Int64(area)) }
                    if r > 0 { arc(u, u - a, c2 * Int64(area)) }
                }
            }
            guard k + 1 < b else { continue }
            var permutation = Array(0..<area)
            for i in stride(from: area - 1, to: 0, by: -1) { permutation.swapAt(i, random.nextIndex(below: i + 1)) }
            for j in 0..<area { arc(base + j, base + area + permutation[j], Int64(1 + random.nextIndex(below: Int(c2)))) }
        }
        let problem = try MaxFlowProblem(nodeCount: n, source: 0, sink: n - 1, tails: tails, heads: heads, capacities: capacities)
        let definition = ProblemDefinition(name: "rmf", problem: .maxFlow(problem))
        let (reference, referenceDetails) = try solveAndVerify(definition, "native.push-relabel")
        let (result, details) = try solveAndVerify(definition, "native.dinic")
        #expect(reference.status == .optimal && result.status == .optimal)
        #expect(details.flowValue == referenceDetails.flowValue)
        #expect(details.cutCapacity == details.flowValue)
        #expect(details.sourceSide == referenceDetails.sourceSide)
        Self.expectDinicPhases(result, flow: details.flowValue, "rmf \(a)×\(a)×\(b)")
        // Many phases (the point of the family), and the labels were raised by relabels.
        #expect(result.iterations >= b)
        #expect((result.history.records.last?.value(forKey: "relabels") ?? 0) > 0)
    }

    /// glpk.ford-fulkerson's round budgets count operations, not seconds: two runs on a
    /// network whose rounds take milliseconds (where budgets that followed measured time
    /// differed from run to run) give the same rounds, history and arc flows.
    @Test func fordFulkersonIsTheSameOnEveryRun() throws {
        var random = SeededGenerator(seed: 61)
        let n = 3000
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        for _ in 0..<30_000 {
            let u = random.nextIndex(below: n), v = random.nextIndex(below: n)
            guard u != v else { continue }
            tails.append(Int32(u)); heads.append(Int32(v)); capacities.append(Int64(1 + random.nextIndex(below: 1000)))
        }
        let problem = try MaxFlowProblem(nodeCount: n, source: 0, sink: n - 1, tails: tails, heads: heads, capacities: capacities)
        let definition = ProblemDefinition(name: "random", problem: .maxFlow(problem))
        let (first, firstDetails) = try solveAndVerify(definition, "glpk.ford-fulkerson")
        let (second, secondDetails) = try solveAndVerify(definition, "glpk.ford-fulkerson")
        #expect(first.status == .optimal)
        #expect(first.iterations > 3)
        #expect(first.iterations == second.iterations)
        func rounds(_ r: SolveResult) -> [[Double?]] {
            r.history.records.map { [Double($0.iteration), $0.objective] + $0.extras.map(\.value) }
        }
        #expect(rounds(first) == rounds(second))
        #expect(firstDetails.arcFlows == secondDetails.arcFlows)
    }

    @Test func verifyOptionMarksTheResult() throws {
        let result = try SolverRegistry.builtIn.solve(try Self.instance("clrs"), solverID: "native.dinic",
                                                       options: SolveOptions(parameters: ["verify": .bool(true)]))
        #expect(result.details(as: MaxFlowDetails.self)?.verified == true)
        let json = result.details(as: MaxFlowDetails.self)!.jsonFields
        #expect(json["flow_value"] == .integer(23))
        #expect(json["cut_capacity"] == .integer(23))
    }

    @Test func verifierCatchesBrokenCertificates() throws {
        let p = try MaxFlowProblem(nodeCount: 3, source: 0, sink: 2, tails: [0, 1], heads: [1, 2], capacities: [5, 3])
        #expect(throws: MaxFlowVerifier.Failure.self) { try MaxFlowVerifier.verify(problem: p, flows: [4, 3], inSourceSide: [true, true, false]) }
        #expect(throws: MaxFlowVerifier.Failure.self) { try MaxFlowVerifier.verify(problem: p, flows: [6, 6], inSourceSide: [true, true, false]) }
        #expect(throws: MaxFlowVerifier.Failure.self) { try MaxFlowVerifier.verify(problem: p, flows: [3, 3], inSourceSide: [true, false, false]) }
        #expect(try MaxFlowVerifier.verify(problem: p, flows: [3, 3], inSourceSide: [true, true, false]) == 3)
    }
}

/// `--tolerance` means nothing to a max-flow solver (the flow is exact): the descriptors say
/// so, and a given tolerance is noted as ignored instead of dropped silently.
@Suite struct MaxFlowToleranceTests {
    @Test(arguments: ["native.push-relabel", "native.dinic", "native.maxflow-lp", "glpk.ford-fulkerson"])
    func aToleranceIsNotedAsIgnored(solverID: String) throws {
        let descriptor = try #require(SolverRegistry.builtIn.descriptors(for: .maxFlow).first { $0.id == solverID })
        #expect(!descriptor.commonOptions.contains(.tolerance))
        let definition = ProblemDefinition(name: "seeds", problem: .maxFlow(try SeedNetworkTests.network()))
        let noted = try SolverRegistry.builtIn.solve(definition, solverID: solverID, options: SolveOptions(tolerance: 1e-3))
        #expect(noted.status == .optimal)
        #expect(noted.notes.contains { $0.hasPrefix("tolerance ignored: \(solverID)") }, "\(noted.notes)")
        let plain = try SolverRegistry.builtIn.solve(definition, solverID: solverID)
        #expect(!plain.notes.contains { $0.contains("ignored") })
    }
}
