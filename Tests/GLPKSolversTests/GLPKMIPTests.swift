import CGLPK
import Foundation
import GLPKSolvers
import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing

/// `glpk.mip` on the quick instances of the shared MILP set (Tests/Fixtures/milp), and the
/// rule that integrality is never dropped silently (issue #18).
@Suite("GLPK: mixed-integer programs")
struct GLPKMIPTests {
    /// Without options glpk.mip searches as GLPK (and glpsol) would: GLPK's own defaults for
    /// backtracking and branching's companions, with the cut families and pseudocost
    /// branching the options document. (Best projection, the old backtracking default,
    /// sent 10teams down a path that found no 924 in 60 s.)
    @Test func defaultsFollowGLPKsOwn() throws {
        var glpkDefaults = glp_iocp()
        glp_init_iocp(&glpkDefaults)
        var ours = glpkDefaults
        try GLPKMIPSettings(options: SolveOptions()).apply(to: &ours)
        #expect(ours.bt_tech == glpkDefaults.bt_tech)
        #expect(ours.mip_gap == glpkDefaults.mip_gap)
        #expect(ours.fp_heur == glpkDefaults.fp_heur && ours.ps_heur == glpkDefaults.ps_heur)
        #expect(ours.br_tech == GLP_BR_PCH)
        #expect([ours.gmi_cuts, ours.mir_cuts, ours.cov_cuts, ours.clq_cuts] == [GLP_ON, GLP_ON, GLP_ON, GLP_ON])
    }

    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("milp/reference.tsv"))) ?? []

    static func load(_ name: String) throws -> LinearProgram {
        guard case .linear(let lp) = try ProblemFileReader.load(Fixtures.milp(name)).problem else { throw ModelError("not an LP") }
        return lp
    }

    @Test func theFixtureTableIsRead() { #expect(Self.rows.count == 12) }

    @Test("each instance reaches its reference status and objective", arguments: rows.compactMap { $0["name"] })
    func referenceInstance(name: String) throws {
        let row = try #require(Self.rows.first { $0["name"] == name })
        let lp = try Self.load(name)
        #expect(lp.isMixedInteger)
        let result = try solve(lp, "glpk.mip", options: SolveOptions(timeLimit: 60))
        let expected = row["expected_status"] ?? ""
        #expect(result.status.rawValue == expected, "\(name): \(result.status.rawValue) (\(result.rawStatus)) \(result.notes)")
        if expected == "optimal", let value = Double(row["expected_objective"] ?? "") {
            let objective = try #require(result.objective)
            #expect(abs(objective - value) <= 1e-6 * max(1, abs(value)), "\(name): \(objective) vs \(value)")
            let integrality = lp.integerColumns.map { abs(result.primal[$0] - result.primal[$0].rounded()) }.max() ?? 0
            #expect(integrality <= 1e-9)
            let details = try #require(result.details(as: MILPDetails.self))
            #expect((details.gap ?? 1) <= 1e-9)
        }
        #expect(result.certificateCheck?.passed == true, "\(String(describing: result.certificateCheck))")
        if expected == "unbounded" { #expect(result.certificate?.kind == .primalRay) }
    }

    /// max 8b + a s.t. 4a + b ≤ 2, a, b ∈ {0, 1}: relaxation 8.25 (a = 1/4), optimum 8.
    static func knapsack() throws -> LinearProgram {
        try makeLP(.maximize, c: [1, 8], rows: [[4, 1]], rowLower: [-.infinity], rowUpper: [2],
                   columnLower: [0, 0], columnUpper: [1, 1], integerColumns: [0, 1])
    }

    @Test("an LP-only solver refuses integer columns, naming the solvers that take them")
    func lpSolverRefusesIntegers() throws {
        let error = #expect(throws: SolverError.self) { try solve(try Self.knapsack(), "glpk.simplex") }
        #expect("\(String(describing: error))".contains("glpk.mip") && "\(String(describing: error))".contains("--relax"))
    }

    @Test("without a solver named, an integer program goes to glpk.mip and gets 8, not the relaxation's 8.25")
    func defaultRouteIsTheMILPSolver() throws {
        let result = try registry().solve(.linear(try Self.knapsack()))
        #expect(result.solverID == "glpk.mip" && result.status == .optimal && result.objective == 8)
    }

    @Test("relax: true solves the relaxation and says so")
    func explicitRelaxation() throws {
        var options = SolveOptions()
        options.parameters["relax"] = .bool(true)
        let result = try solve(try Self.knapsack(), "glpk.simplex", options: options)
        #expect(result.status == .optimal && abs((result.objective ?? 0) - 8.25) <= 1e-9)
        #expect(result.notes.first?.contains("LP relaxation") == true)
    }

    @Test("a node limit stops the search with the incumbent, the best bound and the gap in the history")
    func nodeLimit() throws {
        let lp = try Self.load("misc06")
        var options = SolveOptions(maxIterations: 5)
        options.parameters["presolve"] = .bool(false)
        options.parameters["cuts"] = .string("none")
        options.parameters["record_nodes"] = .number(1)
        let result = try solve(lp, "glpk.mip", options: options)
        #expect(result.status == .iterationLimit || result.status == .optimal, "\(result.status)")
        let details = try #require(result.details(as: MILPDetails.self))
        if result.status == .iterationLimit { #expect(details.nodes >= 5) }
        #expect(result.history.records.contains { $0.extras.contains { $0.name == "best_bound" } })
        if let last = result.history.records.last, let bound = details.bestBound, let objective = result.objective {
            #expect(last.objective == objective)
            #expect(bound <= objective + 1e-6 * abs(objective)) // a lower bound (minimization)
        }
    }

    @Test("the checker refuses a fractional 'optimal' for an integer program, and accepts the integral one")
    func checkerRequiresIntegrality() throws {
        let lp = try Self.knapsack()
        func claim(_ x: [Double], _ objective: Double) -> SolveResult {
            SolveResult(kind: .lp, status: .optimal, rawStatus: "", objective: objective, variableNames: ["a", "b"], primal: x, iterations: 0)
        }
        let checker = LinearCertificateChecker()
        let fractional = try #require(checker.check(claim([0.25, 1], 8.25), problem: .linear(lp)))
        #expect(!fractional.passed && fractional.verdict == .numericalError && (fractional.measure("integrality") ?? 0) > 0.2)
        let integral = try #require(checker.check(claim([0, 1], 8), problem: .linear(lp)))
        #expect(integral.passed && integral.verdict == .optimal)
        let wrongValue = try #require(checker.check(claim([0, 1], 8.25), problem: .linear(lp)))
        #expect(!wrongValue.passed && wrongValue.verdict == .almostOptimal)
    }

    @Test("integer: and binary: in a YAML LP make a MILP; names that are not variables are errors at their line")
    func yamlIntegerKeys() throws {
        let text = """
        kind: lp
        name: yaml-knapsack
        maximize: {a: 1, b: 8, c: 2}
        variables: {a: {upper: 3}, b: {upper: 5}, c: free}
        constraints:
          - {name: weight, coefficients: {a: 4, b: 1, c: 1}, "<=": 2.5}
          - {name: floor, coefficients: {c: 1}, ">=": -0.5}
        integer: [a]
        binary: [b]
        """
        let definition = try ProblemFileReader.load(try YAMLProblemFile(text: text, path: "k.yaml"))
        guard case .linear(let lp) = definition.problem else { Issue.record("not an LP"); return }
        #expect(lp.integerColumns == [0, 1] && lp.columnUpper[1] == 1 && lp.columnLower[1] == 0)
        // b = 1 (binary), a = 0, c = 1.5 (continuous): 8 + 3 = 11.
        let r = try registry().solve(definition)
        #expect(r.solverID == "glpk.mip" && r.status == .optimal && abs((r.objective ?? 0) - 11) <= 1e-9, "\(r.status) \(String(describing: r.objective))")
        let bad = #expect(throws: InputError.self) {
            try ProblemFileReader.load(try YAMLProblemFile(text: text.replacingOccurrences(of: "binary: [b]", with: "binary: [q]"), path: "k.yaml"))
        }
        #expect(bad?.line == 9 && bad?.message.contains("'q' is not a variable") == true, "\(String(describing: bad))")
    }

    @Test("a MIP history plots the incumbent and the best bound on one panel, against nodes")
    func incumbentAndBoundPlot() throws {
        var options = SolveOptions()
        options.parameters["record_nodes"] = .number(1)
        let result = try solve(try Self.load("misc06"), "glpk.mip", options: options)
        let series = [ConvergencePlot.Series(label: "glpk.mip", history: result.history)]
        #expect(ConvergencePlot.automaticMetrics(series).first == ConvergencePlot.incumbentAndBound)
        let svg = ConvergencePlot.svg(series, title: "misc06")
        #expect(svg.contains("stroke-dasharray") && svg.contains("best bound (dashed)") && svg.contains(">nodes</text>"))
    }
}
