import LagrangeCore
import LinearAlgebra
import Testing

/// A toy iterative LP "solver" for routing tests: halves x toward 0 each iteration and
/// stops when |x| ≤ tolerance, never on its own when `run_forever` is set.
struct HalvingSolver: SolverPlugin {
    var id = "test.halving"
    var descriptor: SolverDescriptor {
        SolverDescriptor(id: id, kinds: [.lp, .qp], options: [OptionSpec("run_forever", default: "false", "ignore the tolerance")],
                         summary: "halves x until it is small")
    }

    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let forever = try context.options.flag("run_forever", default: false)
        let tolerance = context.options.tolerance ?? 1e-6
        var x = 1.0, k = 0
        var status = TerminationStatus.optimal
        while true {
            if !forever && abs(x) <= tolerance { break }
            x /= 2
            k += 1
            if let stop = context.control.record(IterationRecord(iteration: k, objective: x * x, stepSize: 0.5), iterationLimit: context.control.iterationLimit(default: 10_000_000)) {
                status = stop
                break
            }
        }
        return SolveResult(kind: problem.kind, status: status, rawStatus: "", objective: x * x, variableNames: ["x"], primal: [x], iterations: k)
    }
}

@Suite struct RegistryTests {
    static func lp() throws -> Problem {
        let a = try SparseMatrix(rowCount: 1, columnCount: 1, triplets: [(0, 0, 1)])
        return .linear(try LinearProgram(objective: [1], constraints: a, rowLower: [0], rowUpper: [1]))
    }

    static func registry() -> SolverRegistry {
        var r = SolverRegistry()
        r.register(HalvingSolver(id: "test.a"), asDefaultFor: [.lp])
        r.register(HalvingSolver(id: "test.b"))
        return r
    }

    @Test func routesExplicitThenFileThenDefault() throws {
        let r = Self.registry()
        #expect(try r.route(kind: .lp).descriptor.id == "test.a")
        #expect(try r.route(kind: .lp, fileID: "test.b").descriptor.id == "test.b")
        #expect(try r.route(kind: .lp, explicitID: "test.a", fileID: "test.b").descriptor.id == "test.a")
        let definition = ProblemDefinition(name: "p", problem: try Self.lp(), solverID: "test.b")
        #expect(try r.solve(definition).solverID == "test.b")
        #expect(try r.solve(definition, solverID: "test.a").solverID == "test.a")
    }

    @Test func unknownIdListsValidIds() throws {
        let r = Self.registry()
        do {
            _ = try r.route(kind: .lp, explicitID: "nope")
            Issue.record("expected an error")
        } catch {
            #expect(error == .unknownSolver(id: "nope", kind: .lp, valid: ["test.a", "test.b"]))
            #expect(error.description.contains("test.a, test.b"))
        }
        #expect(throws: SolverError.self) { try r.route(kind: .maxFlow) }
        var r2 = r
        r2.register(MaxFlowOnly())
        #expect(throws: SolverError.kindNotSupported(id: "test.flow", kind: .lp, valid: ["test.a", "test.b"])) {
            try r2.route(kind: .lp, explicitID: "test.flow")
        }
    }

    @Test func resultCarriesIdentityAndHistory() throws {
        let r = Self.registry()
        let result = try r.solve(try Self.lp(), name: "toy", options: SolveOptions(tolerance: 1e-3, seed: 9))
        // The toy claims optimal without duals: the checker cannot verify it (x = 2⁻¹⁰ is
        // feasible, optimality unproved) and downgrades it, saying why.
        #expect(result.status == .almostOptimal && result.certificateCheck?.claimed == .optimal)
        #expect(result.notes.contains { $0.contains("no row duals") })
        // HalvingSolver draws no random numbers (usesSeed false): it reports no seed.
        #expect(result.problemName == "toy" && result.solverID == "test.a" && result.seed == nil)
        #expect(result.iterations == 10) // 2^-10 < 1e-3
        #expect(result.history.records.count == 10)
        #expect(result.history.records.map(\.seconds) == result.history.records.map(\.seconds).sorted())
    }

    @Test func observerStopGivesInterrupted() throws {
        let r = Self.registry()
        let stopAt5 = ClosureObserver { $0.iteration < 5 }
        let result = try r.solve(try Self.lp(), observers: [stopAt5])
        #expect(result.status == .interrupted)
        #expect(result.iterations == 5)
        #expect(result.history.records.last?.iteration == 5)
    }

    @Test func limitsGiveLimitStatuses() throws {
        let r = Self.registry()
        var options = SolveOptions(timeLimit: 0.05)
        options.parameters["run_forever"] = .bool(true)
        let timed = try r.solve(try Self.lp(), options: options)
        #expect(timed.status == .timeLimit)
        #expect(timed.seconds >= 0.05)
        options.timeLimit = nil
        options.maxIterations = 7
        let counted = try r.solve(try Self.lp(), options: options)
        #expect(counted.status == .iterationLimit && counted.iterations == 7)
    }

    @Test func cancellationGivesInterrupted() throws {
        let r = Self.registry()
        let flag = CancellationFlag()
        flag.cancel()
        var options = SolveOptions()
        options.parameters["run_forever"] = .bool(true)
        #expect(try r.solve(try Self.lp(), options: options, cancellation: flag).status == .interrupted)
    }

    @Test func unknownOptionsAreErrors() throws {
        let r = Self.registry()
        var options = SolveOptions()
        options.parameters["run_forevr"] = .bool(true)
        #expect(throws: SolverError.self) { try r.solve(try Self.lp(), options: options) }
        #expect(throws: SolverError.self) { try r.solve(try Self.lp(), options: SolveOptions(maxIterations: 0)) }
    }

    @Test func optionsMergeWithOverridesWinning() {
        var file = SolveOptions(maxIterations: 10, tolerance: 1e-6, seed: 1)
        file.parameters = ["a": .number(1), "b": .string("x")]
        var cli = SolveOptions(maxIterations: 20)
        cli.parameters = ["b": .string("y")]
        let m = file.merging(cli)
        #expect(m.maxIterations == 20 && m.tolerance == 1e-6 && m.seed == 1)
        #expect(m.parameters == ["a": .number(1), "b": .string("y")])
    }
}

/// Issue #23: options take one route and are validated in one place.
@Suite struct OptionRouteTests {
    @Test("SolveOptions.validate is the one check of the common options' values (the YAML reader and the CLI print its reasons)",
          arguments: [
              (SolveOptions(maxIterations: 0), "max_iterations", "must be ≥ 1, got 0"),
              (SolveOptions(timeLimit: -2), "time_limit", "must be > 0 seconds, got -2.0"),
              (SolveOptions(tolerance: 0), "tolerance", "must be > 0 and finite, got 0.0"),
              (SolveOptions(tolerance: .infinity), "tolerance", "must be > 0 and finite, got inf"),
              (SolveOptions(historyStorage: .every(0)), "history", "every N needs N ≥ 1, got 0"),
              (SolveOptions(historyStorage: .bounded(1)), "history", "bounded N needs N ≥ 2, got 1"),
          ] as [(SolveOptions, String, String)])
    func commonOptionReasons(options: SolveOptions, name: String, reason: String) {
        #expect(throws: SolverError.invalidOption(name: name, reason: reason)) { try options.validate() }
    }

    @Test("a problem describes its size itself, so `lagrange check` needs no per-kind code")
    func problemsDescribeTheirSize() throws {
        let a = try SparseMatrix(rowCount: 1, columnCount: 3, triplets: [(0, 0, 1), (0, 1, 1), (0, 2, 2)])
        let lp = try LinearProgram(objective: [1, 1, 1], constraints: a, rowLower: [4], rowUpper: [4])
        #expect(Problem.linear(lp).sizeSummary == "1 rows × 3 columns, 3 nonzeros")
    }

    @Test("the iteration control keeps only the limits; the plugin reads every option from context.options")
    func controlKeepsOnlyLimits() {
        let control = IterationControl(options: SolveOptions(maxIterations: 7, timeLimit: 3, tolerance: 1e-3, verbosity: .progress))
        #expect(control.maxIterations == 7 && control.timeLimit == 3)
        #expect(control.iterationLimit(default: 100) == 7)
        #expect(IterationControl(options: SolveOptions()).iterationLimit(default: 100) == 100)
    }
}

struct MaxFlowOnly: SolverPlugin {
    var descriptor: SolverDescriptor { SolverDescriptor(id: "test.flow", kinds: [.maxFlow], summary: "") }
    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        throw SolverError.unsupported("test plugin")
    }
}

/// Issue #21: Swift prints what the CLI prints, and errors describe themselves.
@Suite struct DescriptionTests {
    @Test func statusPrintsTheCLIWord() {
        #expect("\(TerminationStatus.locallyOptimal)" == "locally_optimal")
        #expect(TerminationStatus.allCases.allSatisfy { "\($0)" == $0.rawValue })
    }

    @Test func errorsHaveTheirMessageAsLocalizedDescription() {
        let solver: any Error = SolverError.unsupported("no such thing")
        #expect(solver.localizedDescription == "no such thing")
        let input: any Error = InputError(file: "a.yaml", line: 3, "bad")
        #expect(input.localizedDescription == "a.yaml:3: bad")
        let model: any Error = ModelError("empty")
        #expect(model.localizedDescription == "empty")
    }
}
