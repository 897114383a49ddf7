import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

/// Kind `nlp` (issue #25): the reader, native.lbfgsb and the default for constraints (native.interior-point, InteriorPointTests has more) against
/// the verified optima of ../shared/data/nlp (copies in Tests/Fixtures/nlp), shadow prices
/// against closed forms, and the certificate checker.
@Suite("Nonlinear programs")
struct NonlinearProgramTests {
    struct Reference {
        var status: String
        var objective: Double?
    }

    static let references: [String: Reference] = {
        guard let text = try? String(contentsOfFile: Fixtures.path("nlp/reference.tsv"), encoding: .utf8) else { return [:] }
        var out: [String: Reference] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out[fields[0]] = Reference(status: fields[5], objective: Double(fields[3]))
        }
        return out
    }()

    static func load(_ name: String) throws -> ProblemDefinition { try ProblemFileReader.load(Fixtures.path("nlp/\(name).yaml")) }

    static func model(_ yaml: String) throws -> ProblemDefinition {
        let file = try YAMLProblemFile(text: yaml, path: "inline.yaml")
        return try ProblemFileReader.load(file)
    }

    @Test("the default solver reaches the verified optimum with verified KKT conditions",
          arguments: ["hs001", "hs003", "hs038", "hs006", "hs021", "hs040", "hs071", "maximize_box_volume",
                      "start_outside_bounds", "degenerate_active_set", "saddle_valley"])
    func referenceOptimum(name: String) throws {
        let reference = try #require(Self.references[name])
        let target = try #require(reference.objective)
        let result = try SolverRegistry.standard.solve(try Self.load(name))
        #expect(result.status == .locallyOptimal || result.status == .optimal, "\(name): \(result.status) \(result.rawStatus)")
        let f = try #require(result.objective)
        #expect(abs(f - target) <= 1e-6 * max(1, abs(target)), "\(name): f = \(f), f* = \(target)")
        let check = try #require(result.certificateCheck)
        #expect(check.passed, "\(name): \(check.failure ?? "")")
        #expect((result.kkt?.primalInfeasibility ?? 1) <= 1e-6)
    }

    @Test("bound-only problems go to native.lbfgsb, constrained ones to native.interior-point")
    func routing() throws {
        #expect(try SolverRegistry.standard.solve(try Self.load("hs038")).solverID == "native.lbfgsb")
        #expect(try SolverRegistry.standard.solve(try Self.load("hs071")).solverID == "native.interior-point")
        #expect(throws: SolverError.self) { try SolverRegistry.standard.solve(try Self.load("hs071"), solverID: "native.lbfgsb") }
    }

    @Test("results say which test ended them: the projected gradient for L-BFGS-B, the KKT residuals otherwise")
    func convergedBy() throws {
        let bounds = try SolverRegistry.standard.solve(try Self.load("hs038"))
        #expect(bounds.status.hasSolution && bounds.convergedBy?.rawValue == "projected_gradient", "\(bounds.status)")
        for id in ["native.interior-point", "native.augmented-lagrangian"] {
            let constrained = try SolverRegistry.standard.solve(try Self.load("hs071"), solverID: id)
            #expect(constrained.status == .locallyOptimal && constrained.convergedBy?.rawValue == "kkt_residuals", "\(id): \(constrained.status)")
        }
    }

    @Test("a saddle: x² + y⁴ − 2y² from (1, 0) has y = 0 on every gradient path; L-BFGS-B leaves along negative curvature to −1")
    func saddleIsLeft() throws {
        let result = try SolverRegistry.standard.solve(try Self.load("saddle_valley"))
        #expect(isClose(result.objective ?? 0, -1, relative: 1e-9))
        #expect(result.history.records.contains { $0.value(forKey: "negative_curvature") != nil })
    }

    @Test("infeasible convex constraints: infeasible, with a certificate the checker verifies")
    func infeasible() throws {
        let result = try SolverRegistry.standard.solve(try Self.load("infeasible_disc_halfplane"))
        #expect(result.status == .infeasible)
        #expect(result.certificateCheck?.verdict == .infeasible)
        #expect((result.certificateCheck?.measure("linearization_margin") ?? 0) > 0)
    }

    @Test("shadow prices: ∂f*/∂b of x² + y² s.t. x + y ≥ b is b; of the maximization of −(x² + y²) it is −b; a bound's is its reduced cost")
    func shadowPrices() throws {
        let minimize = try SolverRegistry.standard.solve(try Self.model("""
            kind: nlp
            minimize: "x^2 + y^2"
            variables: [x, y]
            subject_to: {budget: "x + y >= 2"}
            """))
        #expect(isClose(minimize.objective ?? 0, 2, relative: 1e-7))
        #expect(isClose(minimize.dual(of: "budget") ?? 0, 2, relative: 1e-6))
        let maximize = try SolverRegistry.standard.solve(try Self.model("""
            kind: nlp
            maximize: "-(x^2 + y^2)"
            variables: [x, y]
            subject_to: {budget: "x + y >= 2"}
            """))
        #expect(isClose(maximize.objective ?? 0, -2, relative: 1e-7))
        #expect(isClose(maximize.dual(of: "budget") ?? 0, -2, relative: 1e-6))
        // min (x − 3)² on [0, 1]: x = 1, ∂f*/∂(upper bound) = 2(1 − 3) = −4.
        let bounded = try SolverRegistry.standard.solve(try Self.model("""
            kind: nlp
            minimize: "(x - 3)^2"
            variables: {x: [0, 1]}
            """))
        #expect(isClose(bounded.primal[0], 1, relative: 1e-12))
        #expect(isClose(bounded.reducedCosts?[0] ?? 0, -4, relative: 1e-6))
    }

    @Test("the checker refuses KKT claims that do not hold: a wrong multiplier, a saddle")
    func checkerRefuses() throws {
        let definition = try Self.load("hs071")
        var result = try SolverRegistry.standard.solve(definition)
        #expect(result.certificateCheck?.passed == true)
        result.duals?[0] += 0.5
        let wrongDual = CertificateCheckers.check(result, problem: definition.problem)
        #expect(wrongDual.status == .numericalError || wrongDual.status == .almostOptimal)
        #expect(wrongDual.notes.contains { $0.contains("stationarity") })
        // (0, 0) is stationary for x² + y⁴ − 2y² but a saddle.
        let saddle = try Self.load("saddle_valley")
        let claim = SolveResult(kind: .nlp, status: .locallyOptimal, rawStatus: "test", objective: 0, variableNames: ["x", "y"],
                                primal: [0, 0], duals: [], reducedCosts: [0, 0], iterations: 0)
        #expect(CertificateCheckers.check(claim, problem: saddle.problem).status == .stationaryPoint)
    }

    @Test("the checker refuses infeasible and unbounded claims without proof")
    func checkerRefusesFalseInfeasibility() throws {
        // A feasible program (the disc alone): no weight vector can separate it.
        let feasible = try Self.model("""
            kind: nlp
            minimize: "(x - 1)^2 + (y - 2)^2"
            variables: [x, y]
            subject_to: {disc: "x^2 + y^2 <= 1"}
            """)
        let claim = SolveResult(kind: .nlp, status: .infeasible, rawStatus: "test", objective: nil, variableNames: ["x", "y"],
                                primal: [2, 2], duals: [0], reducedCosts: [0, 0], iterations: 0)
        var withCertificate = claim
        withCertificate.certificate = Certificate(kind: .farkas, vector: [7])
        #expect(CertificateCheckers.check(withCertificate, problem: feasible.problem).status == .numericalError)
        #expect(CertificateCheckers.check(claim, problem: feasible.problem).status == .numericalError, "no certificate at all")
        // The true certificate of the infeasible pair is refused when the disc side is not convex.
        let nonconvex = try Self.model("""
            kind: nlp
            minimize: "x + y"
            variables: [x, y]
            subject_to: {ring: "x^2 + y^2 >= 4", box: "x^2 + y^2 <= 1"}
            """)
        var ring = claim
        ring.duals = [0, 0]
        ring.primal = [0.8, 0.6]
        ring.certificate = Certificate(kind: .farkas, vector: [-3, 0])
        #expect(CertificateCheckers.check(ring, problem: nonconvex.problem).status == .numericalError, "x² + y² is not concave")
        // unbounded at a point that violates the constraint, or with a finite objective.
        let parabola = try Self.load("unbounded_parabola")
        for point in [[0.0, 1e25], [10.0, -1e22]] {
            let unbounded = SolveResult(kind: .nlp, status: .unbounded, rawStatus: "test", objective: nil, variableNames: ["x1", "x2"],
                                        primal: point, iterations: 0)
            let checked = CertificateCheckers.check(unbounded, problem: parabola.problem)
            #expect(checked.status == (point[1] > 0 ? .unbounded : .numericalError), "\(point)")
        }
        let finite = SolveResult(kind: .nlp, status: .unbounded, rawStatus: "test", objective: nil, variableNames: ["x1", "x2"],
                                 primal: [0, 5], iterations: 0)
        #expect(CertificateCheckers.check(finite, problem: parabola.problem).status == .numericalError)
    }

    @Test("malformed nlp files: the line and what is wrong", arguments: [
        ("subject_to: {c: \"x + y\"}", "needs one of <=, >=, =="),
        ("subject_to: {c: \"x <= y <= 1\"}", "needs one of <=, >=, =="),
        ("subject_to: {c: \"x + z <= 1\"}", "z"),
        ("subject_to: [\"x < 1\"]", "needs one of <=, >=, =="),
    ])
    func malformed(line: String, message: String) throws {
        let yaml = "kind: nlp\nminimize: \"x^2 + y^2\"\nvariables: [x, y]\n\(line)\n"
        do {
            _ = try Self.model(yaml)
            Issue.record("accepted: \(line)")
        } catch let error as InputError {
            #expect(error.line == 4, "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("bounds that are not an interval are refused at their line")
    func badBounds() throws {
        do {
            _ = try Self.model("kind: nlp\nminimize: \"x^2\"\nvariables: {x: [3, 1]}\n")
            Issue.record("accepted crossed bounds")
        } catch let error as InputError {
            #expect(error.line == 3 && error.description.contains("not a non-empty interval"), "\(error)")
        }
    }
}
