import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing

@Suite struct YAMLProblemFileTests {
    func load(_ text: String) throws(InputError) -> ProblemDefinition {
        try ProblemFileReader.load(try YAMLProblemFile(text: text, path: "t.yaml"))
    }

    func linear(_ d: ProblemDefinition) -> LinearProgram? {
        if case .linear(let lp) = d.problem { return lp }
        return nil
    }

    /// The error a text gives, for assertions on line and message.
    func failure(_ text: String) -> InputError? {
        do { _ = try load(text); return nil } catch { return error }
    }

    @Test func seedExampleInMatrixForm() throws {
        let d = try ProblemFileReader.load(Fixtures.problem("lp/seed.yaml"))
        let lp = try #require(linear(d))
        #expect(d.name == "seed")
        #expect(lp.objective == [1, 1, 1])
        #expect(lp.variableNames == ["x1", "x2", "x3"])
        #expect(lp.constraintNames == ["budget"])
        #expect(lp.rowLower == [4] && lp.rowUpper == [4])
        #expect(lp.constraints.dense().storage == [1, 1, 2])
        #expect(lp.columnLower == [0, 0, 0] && lp.columnUpper == [.infinity, .infinity, .infinity])
    }

    @Test("a `file:` reference keeps the referenced reader's notes (issue #23)")
    func fileReferenceKeepsNotes() throws {
        // Resolved against the YAML file's folder; the YAML file itself need not exist.
        let file = try YAMLProblemFile(text: "kind: lp\nname: ref\nfile: tiny_objconst.mps\n", path: Fixtures.path("lp/ref.yaml"))
        let d = try ProblemFileReader.load(file)
        #expect(d.name == "ref")
        #expect(d.notes.contains("free row FREE1 ignored"), "\(d.notes)")
        #expect(d.notes.contains { $0.contains("c0 = -10") }, "\(d.notes)")
        let qp = try ProblemFileReader.load(try YAMLProblemFile(text: "kind: qp\nfile: tiny_objconst.mps\n", path: Fixtures.path("lp/ref.yaml")))
        #expect(qp.notes.contains("free row FREE1 ignored"), "\(qp.notes)")
    }

    /// SolveOptions' reason for refusing `options`, the one validation of the common options.
    static func reason(_ options: SolveOptions) -> String {
        do { try options.validate() } catch { if case .invalidOption(_, let reason) = error { return reason } }
        return "accepted"
    }

    @Test("a file's common options are checked by SolveOptions.validate, at the key's line (issue #23)", arguments: [
        ("max_iterations: 0", SolveOptions(maxIterations: 0)),
        ("time_limit: 0", SolveOptions(timeLimit: 0)),
        ("tolerance: -1", SolveOptions(tolerance: -1)),
        ("history: every 0", SolveOptions(historyStorage: .every(0))),
        ("history: bounded 1", SolveOptions(historyStorage: .bounded(1))),
    ] as [(String, SolveOptions)])
    func commonOptionsAreValidatedBySolveOptions(entry: String, options: SolveOptions) {
        let reason = Self.reason(options)
        #expect(reason != "accepted")
        guard let error = failure("kind: lp\nminimize: [1]\noptions:\n  seed: 1\n  \(entry)\n") else {
            Issue.record("expected an error for \(entry)")
            return
        }
        #expect(error.line == 5, "\(error)")
        #expect(error.description.contains(reason), "\(error) should give SolveOptions' reason '\(reason)'")
    }

    @Test func namedFormWithBoundsAndRelations() throws {
        let d = try load("""
        kind: lp
        maximize: {x: 3, y: 5}
        constant: 2
        variables:
          x: {lower: -1, upper: 4}
          y: free
          z: [1, 2]
          w: {fixed: 3}
        constraints:
          - {name: a, coefficients: {x: 1, y: 2}, "<=": 14}
          - {coefficients: {x: 3, z: -1}, ">=": 0}
          - {coefficients: {y: 1, w: 1}, lower: -2, upper: 2}
          - {coefficients: {x: 1}, "=": 1.5}
        options: {max_iterations: 50, time_limit: 2.5, seed: 7, presolve: false}
        solver: glpk.simplex
        """)
        let lp = try #require(linear(d))
        #expect(lp.sense == .maximize && lp.objectiveConstant == 2)
        #expect(lp.variableNames == ["x", "y", "z", "w"])
        #expect(lp.objective == [3, 5, 0, 0])
        #expect(lp.columnLower == [-1, -.infinity, 1, 3] && lp.columnUpper == [4, .infinity, 2, 3])
        #expect(lp.constraintNames == ["a", "c2", "c3", "c4"])
        #expect(lp.rowLower == [-.infinity, 0, -2, 1.5] && lp.rowUpper == [14, .infinity, 2, 1.5])
        #expect(lp.constraints[1, 2] == -1)
        #expect(d.solverID == "glpk.simplex")
        #expect(d.options.maxIterations == 50 && d.options.timeLimit == 2.5 && d.options.seed == 7)
        #expect(d.options.parameters["presolve"] == .bool(false))
    }

    @Test func rowBoundsAndInfinity() throws {
        let d = try load("""
        kind: lp
        minimize: [1, 2]
        A: [[1, 1], [1, -1]]
        row_lower: [1, -.inf]
        row_upper: [inf, 3]
        lower: -.inf
        upper: [5, 6]
        """)
        let lp = try #require(linear(d))
        #expect(lp.rowLower == [1, -.infinity] && lp.rowUpper == [.infinity, 3])
        #expect(lp.columnLower == [-.infinity, -.infinity] && lp.columnUpper == [5, 6])
    }

    @Test func jsonIsAcceptedToo() throws {
        let d = try load(#"{"kind": "lp", "minimize": [1], "A": [[1]], "b": [2], "relations": [">="]}"#)
        #expect(linear(d)?.rowLower == [2])
    }

    @Test(arguments: [
        // (file text, expected line or nil, key phrase)
        ("name: x\nminimize: [1]\n", 1, "missing 'kind:'"),
        ("kind: lq\nminimize: [1]\n", 1, "unknown kind 'lq'"),
        ("kind: lp\nminimize: [1, 2]\nA:\n  - [1, 1]\n  - [1]\nb: [1, 2]\n", 5, "has 1 entries but the first row has 2"),
        ("kind: lp\nminimize: [1]\nA: [[1]]\nb: [1]\nrelations: [\"<\"]\n", 5, "relation '<'"),
        ("kind: lp\nminimize: [1]\nmaxiterations: 3\n", 3, "unknown key 'maxiterations'"),
        ("kind: lp\nminimize: [1, .nan]\n", 2, "NaN"),
        ("kind: lp\nminimize: [1, abc]\n", 2, "expected a number"),
        ("kind: lp\nminimize: [1]\n  bad: indent\n", 3, "not valid YAML"),
        ("kind: lp\nminimize: {x: 1}\nconstraints:\n  - {coefficients: {x: 1}}\n", 4, "has no bound"),
        ("kind: lp\nminimize: [1]\nA: [[1]]\n", nil, "no 'b:'"),
        ("kind: lp\nminimize: [1]\noptions: {max_iterations: 0}\n", 3, "must be ≥ 1"),
        ("kind: lp\nminimize: [1]\nlower: 2\nupper: 1\n", nil, "above upper bound"),
        ("kind: lp\nminimize: {\"2x\": 1}\n", 2, "not a valid variable name"),
        ("", 1, "empty"),
        ("[1, 2]", 1, "top level must be a mapping"),
    ] as [(String, Int?, String)])
    func malformedFilesGiveLocatedErrors(text: String, line: Int?, phrase: String) {
        guard let error = failure(text) else {
            Issue.record("expected an error for:\n\(text)")
            return
        }
        #expect(error.file == "t.yaml")
        if let line { #expect(error.line == line, "\(error)") }
        #expect(error.description.contains(phrase), "\(error)")
    }

    @Test func missingAndBinaryFiles() {
        #expect(throws: InputError.self) { try ProblemFileReader.load("/nonexistent/x.yaml") }
        #expect(throws: InputError.self) { try ProblemFileReader.load(Fixtures.packageRoot + "/Package.swift") }
    }
}
