import BuiltInSolvers
import Testing
import Lagrange
import GLPKSolvers
import LagrangeTestSupport

/// native.maxflow-lp goes through the registry's LP solver. The standard registry's LP
/// default is registered by the LP family; these tests add glpk.simplex themselves so they
/// do not depend on that choice.
struct MaxFlowLPTests {
    static let registry: SolverRegistry = {
        var r = SolverRegistry.builtIn
        r.register(GLPKSimplexSolver(), asDefaultFor: [.lp])
        return r
    }()

    static let instances = ["clrs", "handmade_edge", "edge_s1", "layered_small", "grid_small", "random_small",
                            "bipartite_small", "ak_k100", "random_bigcap"]

    @Test(arguments: instances)
    func lpDualsGiveACutEqualToTheFlow(name: String) throws {
        let rows = try Fixtures.tsv(Fixtures.path("maxflow/reference.tsv"))
        let expected = try #require(Int64(rows.first { $0["name"] == name }?["max_flow"] ?? ""))
        let definition = try ProblemFileReader.load(Fixtures.path("maxflow/\(name).max"))
        guard case .maxFlow(let problem) = definition.problem else { return }
        let result = try Self.registry.solve(definition, solverID: "native.maxflow-lp",
                                             options: SolveOptions(parameters: ["arc_flows": .bool(true), "verify": .bool(true)]))
        #expect(result.status == .optimal, "\(result.notes)")
        let details = try #require(result.details(as: MaxFlowDetails.self))
        #expect(details.flowValue == expected)
        #expect(details.cutCapacity == expected)
        #expect(details.verified)
        // The cut came from the duals, not from the residual-graph fallback.
        #expect(!result.notes.contains { $0.contains("residual-reachable") }, "\(result.notes)")
        var side = [Bool](repeating: false, count: problem.nodeCount)
        for v in details.sourceSide { side[Int(v)] = true }
        #expect(try MaxFlowVerifier.verify(problem: problem, flows: try #require(details.arcFlows), inSourceSide: side) == expected)
    }

    @Test func seedNetworkThroughTheLP() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("maxflow/seeds.yaml"))
        let result = try Self.registry.solve(definition, solverID: "native.maxflow-lp")
        #expect(result.objective == 14)
        #expect(result.details(as: MaxFlowDetails.self)?.cutCapacity == 14)
        #expect(!result.history.records.isEmpty)
    }
}
