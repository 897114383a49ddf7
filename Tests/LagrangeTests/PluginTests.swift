import Lagrange
import LagrangeTestSupport
import Testing

/// A plugin written outside the package: projected gradient on a box-constrained LP
/// (only column bounds, no rows), enough to prove that user plugins route like built-ins.
struct BoxLPSolver: SolverPlugin {
    var descriptor: SolverDescriptor {
        SolverDescriptor(id: "user.box-lp", kinds: [.lp], summary: "LPs with only column bounds, by inspection")
    }

    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else { throw SolverError.unsupported("LP only") }
        guard lp.rowCount == 0 else { throw SolverError.unsupported("user.box-lp takes no constraint rows") }
        let sign: Double = lp.sense == .minimize ? 1 : -1
        var x = [Double](repeating: 0, count: lp.columnCount)
        for j in 0..<lp.columnCount {
            let c = sign * lp.objective[j]
            let bound = c > 0 ? lp.columnLower[j] : (c < 0 ? lp.columnUpper[j] : max(lp.columnLower[j], min(0, lp.columnUpper[j])))
            guard bound.isFinite else {
                return SolveResult(kind: .lp, status: .unbounded, rawStatus: "ray in column \(j)", objective: nil,
                                   variableNames: lp.variableNames, primal: x, iterations: 1)
            }
            x[j] = bound
        }
        _ = context.control.record(IterationRecord(iteration: 1, objective: lp.objectiveValue(at: x)))
        return SolveResult(kind: .lp, status: .optimal, rawStatus: "", objective: lp.objectiveValue(at: x),
                           variableNames: lp.variableNames, primal: x, iterations: 1)
    }
}

@Suite struct PluginTests {
    @Test func userPluginRoutesLikeABuiltIn() throws {
        var registry = SolverRegistry.standard
        registry.register(BoxLPSolver())
        #expect(registry.descriptors(for: .lp).map(\.id).contains("user.box-lp"))
        let lp = try LinearProgram(objective: [1, -2], constraints: .zeros(rows: 0, columns: 2), rowLower: [], rowUpper: [],
                                   columnLower: [-1, 0], columnUpper: [3, 5])
        // By explicit id.
        let byID = try registry.solve(.linear(lp), solverID: "user.box-lp")
        #expect(byID.solverID == "user.box-lp" && byID.status == .optimal && byID.objective == -11)
        // By a problem file's solver: field.
        let definition = ProblemDefinition(name: "box", problem: .linear(lp), solverID: "user.box-lp")
        #expect(try registry.solve(definition).solverID == "user.box-lp")
        // As the kind's default, and agreeing with the built-in default on the same problem.
        var asDefault = SolverRegistry.standard
        asDefault.register(BoxLPSolver(), asDefaultFor: [.lp])
        #expect(try asDefault.solve(.linear(lp)).solverID == "user.box-lp")
        let builtIn = try SolverRegistry.standard.solve(.linear(lp))
        #expect(isClose(builtIn.objective ?? .nan, -11, absolute: 1e-9))
        // The standard registry itself is untouched (value semantics).
        #expect(SolverRegistry.standard.plugin(id: "user.box-lp") == nil)
    }
}
