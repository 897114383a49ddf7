import BuiltInSolvers
import Lagrange
import LagrangeTestSupport
import Testing

/// A conformance table per kind, after MathOptInterface's `MOI.Test`: every registered
/// solver of a kind runs every small instance of that kind in Tests/Fixtures/conformance,
/// whose answers are known in closed form. The contract is the project's first rule:
///
/// - a solver may decline an instance (an error: a KKT solver given inequalities, a
///   continuous solver given integer columns, which must never be relaxed silently);
/// - it may stop without a claim (`iteration_limit`, `stationary_point`, …) only where
///   ``excused`` says why (a first-order method's iteration budget, a consistent-system
///   method on a least-squares problem): an exact method that cannot settle a textbook
///   instance is a defect even when it says so honestly;
/// - a definitive status (`optimal`, `locally_optimal`, `infeasible`, `unbounded`,
///   `infeasible_or_unbounded`) must be true, and an optimal value must match;
/// - and each solver must answer at least one instance of each of its kinds correctly, so
///   that declining everything does not pass.
///
/// Solvers come from `SolverRegistry.builtIn`, so a new plugin is covered without
/// editing this file; a kind with no instance here fails the table.
@Suite struct ConformanceTests {
    /// What a correct definitive answer is.
    enum Answer: Sendable {
        case value(Double)
        case infeasible
        case unbounded
    }

    /// Each instance, the answer, and why.
    static let table: [String: Answer] = [
        // max 3x + 2y, x + y ≤ 4, x + 3y ≤ 9, 0 ≤ x ≤ 3, y ≥ 0: (3, 1), 11.
        "lp-optimal": .value(11),
        // x + y ≥ 2 and x + 2y ≤ 1 with x, y ≥ 0 cannot both hold.
        "lp-infeasible": .infeasible,
        // (1, 0) + t(1, 1) is feasible for t ≥ 0 and −x − y decreases along it.
        "lp-unbounded": .unbounded,
        // max x + y with x + y ≤ 1 and four more rows through (1, 0) and (0, 1): 1.
        "lp-degenerate": .value(1),
        // No rows: x at 0, y at 3, so −3.
        "lp-no-rows": .value(-3),
        // Integers x, y ≥ 0, 2x + 2y ≤ 5: (2, 0) gives 6; the relaxation's 7.5 is wrong.
        "lp-integer": .value(6),
        // The nearest point to (2, 2) with x + y ≤ 2 is (1, 1): 2.
        "qp-optimal": .value(2),
        // x² + y² on x + y = 2: (1, 1), 2.
        "qp-equality": .value(2),
        "qp-infeasible": .infeasible,
        // y ≥ 0 unbounded above and −y in the objective; Q's ray (0, 1) has Qr = 0.
        "qp-unbounded": .unbounded,
        "smooth-bowl": .value(0),
        // x⁴ − 3x² + y² from (0, 1): the minima (±√1.5, 0) give −2.25; (0, 0) is a saddle.
        "smooth-saddle": .value(-2.25),
        // x² + y² with x + y ≥ 2: (1, 1), 2.
        "nlp-constrained": .value(2),
        // (x − 3)² + (y + 1)² with x ≤ 1: (1, −1), 4.
        "nlp-bounds": .value(4),
        // x ≥ 2 and x² + y² ≤ 1 cannot both hold.
        "nlp-infeasible": .infeasible,
        // x = (1, −2, 3) solves it exactly: ½‖Ax − b‖² = 0.
        "system-square": .value(0),
        // The line through (0,1), (1,2), (2,2), (3,4): x = (0.9, 0.9), ½‖r‖² = 0.35.
        "system-least-squares": .value(0.35),
        // CLRS Figure 26.1: 23.
        "flow-clrs": .value(23),
        // No path from s to t.
        "flow-disconnected": .value(0),
        // Matching pennies: 0.
        "game-pennies": .value(0),
        // Saddle point at row 1, column 3 (row player minimizes): 2.
        "game-saddle": .value(2),
        // x = ±1, y = ±1, linear kernel, no bias, C = 10, ε = 0.5: the primal ½w² +
        // 10 Σ max(0, |yᵢ − w xᵢ| − ε) is least at w = ½, giving ⅛; the dual minimum
        // (LIBSVM's sign) is −⅛.
        "svr-two-points": .value(-0.125),
        // f* of ../shared/data/learning's reference.tsv (SciPy L-BFGS-B, Newton-polished;
        // the hinge one from Clarabel and HiGHS).
        "learning-iris-softmax": .value(0.24097230751473325),
        "learning-breast-cancer-hinge": .value(0.06451665162530187),
    ]

    /// Methods that run a fixed budget by design and never claim an answer on a kind
    /// ("solver kind"). Their results must still be sane: an objective no better than the
    /// optimum and within 0.1·max(1, |f*|) of it after the default budget.
    static let budgeted: [String: String] = Dictionary(uniqueKeysWithValues:
        ["native.sgd", "native.momentum", "native.nesterov", "native.adagrad", "native.rmsprop", "native.adam", "native.adamw"].map {
            ("\($0) learning", "stochastic methods run their epochs and stop with iteration_limit")
        })

    /// Kinds whose non-claims report the objective at a feasible point, so it can never
    /// beat the optimum.
    static let feasibleIterates: Set<ProblemKind> = [.smooth, .linearSystem, .learning, .svr]

    /// Where a solver may stop without a definitive answer, and why ("solver instance").
    static let excused: [String: String] = [
        "native.gradient-descent smooth-saddle": "started on the saddle's stable manifold side, the fixed step needs more than the default iterations",
        "native.nesterov smooth-saddle": "fixed-step first-order method: iteration budget",
        "native.heavy-ball smooth-saddle": "heavy-ball takes quadratics only (its step comes from the Hessian's spectrum)",
        "gsl.bfgs2 smooth-saddle": "GSL's methods stop at the saddle (0, 0); the second-order check reports stationary_point",
        "gsl.conjugate-fr smooth-saddle": "stops at the saddle, reported as stationary_point",
        "gsl.conjugate-pr smooth-saddle": "stops at the saddle, reported as stationary_point",
        "gsl.steepest-descent smooth-saddle": "stops at the saddle, reported as stationary_point",
        "gsl.newton smooth-saddle": "stops at the saddle, reported as stationary_point",
        "gsl.nelder-mead smooth-bowl": "the simplex's size test, not the gradient, ends Nelder–Mead; it needs more than the default iterations",
        "native.kaczmarz system-least-squares": "solves the consistent system Ax = b, which has no solution here",
        "native.kaczmarz-cyclic system-least-squares": "solves the consistent system Ax = b, which has no solution here",
        "native.sgd system-least-squares": "a constant step leaves SGD in a ball around the least-squares point",
    ]

    /// Every (solver, kind) pair of the standard registry.
    static var solverKinds: [String] {
        SolverRegistry.builtIn.descriptors().flatMap { d in d.kinds.map { "\(d.id) \($0.rawValue)" } }
    }

    static func instances(of kind: ProblemKind) throws -> [(name: String, definition: ProblemDefinition)] {
        try table.keys.sorted().compactMap { name in
            let definition = try ProblemFileReader.load(Fixtures.path("conformance/\(name).yaml"))
            return definition.problem.kind == kind ? (name, definition) : nil
        }
    }

    @Test("every solver's definitive answers are true", arguments: solverKinds)
    func conforms(solverKind: String) throws {
        let parts = solverKind.split(separator: " ").map(String.init)
        let (solverID, kind) = (parts[0], try #require(ProblemKind(rawValue: parts[1])))
        let instances = try Self.instances(of: kind)
        #expect(!instances.isEmpty, "no conformance instance of kind \(kind.rawValue)")
        var correct = 0
        var outcomes: [String] = []
        for (name, definition) in instances {
            let answer = try #require(Self.table[name])
            let result: SolveResult
            do {
                result = try SolverRegistry.builtIn.solve(definition, solverID: solverID, options: SolveOptions(timeLimit: 10))
            } catch {
                outcomes.append("\(name): declined")
                continue
            }
            outcomes.append("\(name): \(result.status) \(result.objective.map { "\($0)" } ?? "-")")
            guard result.status.isDefinitive else {
                if case .value(let optimum) = answer, Self.feasibleIterates.contains(kind), let objective = result.objective {
                    #expect(objective >= optimum - 1e-9 * max(1, abs(optimum)),
                            "\(solverID) on \(name): \(result.status) with objective \(objective) below the optimum \(optimum)")
                }
                if Self.budgeted["\(solverID) \(kind.rawValue)"] != nil {
                    if case .value(let optimum) = answer, let objective = result.objective,
                       abs(objective - optimum) <= 0.1 * max(1, abs(optimum)) { correct += 1 }
                    continue
                }
                #expect(Self.excused["\(solverID) \(name)"] != nil,
                        "\(solverID) on \(name): \(result.status) (\(result.rawStatus)) on an instance with a known answer; notes: \(result.notes)")
                continue
            }
            let verdict = Self.judge(result, answer)
            #expect(verdict == nil, "\(solverID) on \(name): \(verdict ?? "")")
            if verdict == nil { correct += 1 }
        }
        #expect(correct >= 1, "\(solverID) answered no \(kind.rawValue) instance correctly: \(outcomes.joined(separator: "; "))")
    }

    /// Why a definitive result is wrong, or nil when it is right.
    static func judge(_ result: SolveResult, _ answer: Answer) -> String? {
        switch (result.status, answer) {
        case (.optimal, .value(let expected)), (.locallyOptimal, .value(let expected)):
            guard let objective = result.objective else { return "\(result.status) without an objective" }
            // Default tolerances are 1e-6 or tighter on these well-scaled problems, except the
            // learning dynamics for games (fictitious play, multiplicative weights), which
            // certify a duality gap of 1e-3 by default.
            let tolerance = result.kind == .matrixGame ? 1e-3 : 1e-5
            return abs(objective - expected) <= tolerance * max(1, abs(expected))
                ? nil : "\(result.status) with objective \(objective), expected \(expected)"
        case (.infeasible, .infeasible), (.unbounded, .unbounded),
             (.infeasibleOrUnbounded, .infeasible), (.infeasibleOrUnbounded, .unbounded):
            return nil
        default:
            return "claims \(result.status), the answer is \(answer)"
        }
    }
}
