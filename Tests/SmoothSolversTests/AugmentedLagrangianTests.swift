import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

/// `native.augmented-lagrangian`, issue #25's second method: where the outer iteration alone
/// stalled short of 1e-8 (its L-BFGS-B subproblems stop in rounding), Newton on the active
/// set's KKT equations finishes, and only with the inertia of a minimizer.
@Suite("Augmented Lagrangian")
struct AugmentedLagrangianTests {
    static let solver = "native.augmented-lagrangian"

    @Test("reaches the verified optimum with KKT residuals ≤ 1e-8 where the outer iteration alone ended almost_optimal",
          arguments: ["hs035", "hs038", "hs065", "hs100"])
    func finishesWithNewton(name: String) throws {
        let target = try #require(NonlinearProgramTests.references[name]?.objective)
        let result = try SolverRegistry.standard.solve(try NonlinearProgramTests.load(name), solverID: Self.solver)
        #expect(result.status == .locallyOptimal || result.status == .optimal, "\(name): \(result.status) \(result.rawStatus)")
        let f = try #require(result.objective)
        #expect(abs(f - target) <= 1e-6 * max(1, abs(target)), "\(name): f = \(f), f* = \(target)")
        let check = try #require(result.certificateCheck)
        #expect(check.passed, "\(name): \(check.failure ?? "")")
        let kkt = try #require(result.kkt)
        #expect(max(kkt.primalInfeasibility, kkt.dualInfeasibility, kkt.complementarity) <= 1e-8, "\(name): \(kkt)")
    }
}

extension AugmentedLagrangianTests {
    @Test("penalty: a number > 0 or 'automatic'; anything else is an error naming the option, not silently the default")
    func penaltyOption() throws {
        let problem = try NonlinearProgramTests.load("hs071")
        for bad: OptionValue in [.string("abc"), .number(-1), .number(0)] {
            #expect(throws: SolverError.self, "\(bad)") {
                try SolverRegistry.standard.solve(problem, solverID: AugmentedLagrangianTests.solver,
                                                  options: SolveOptions(parameters: ["penalty": bad]))
            }
        }
        for good: OptionValue in [.string("automatic"), .number(10)] {
            let result = try SolverRegistry.standard.solve(problem, solverID: AugmentedLagrangianTests.solver,
                                                           options: SolveOptions(parameters: ["penalty": good]))
            #expect(result.status == .locallyOptimal, "\(good): \(result.status)")
        }
    }
}

/// `native.lbfgsb`'s line search: the strong Wolfe conditions, as L-BFGS-B's own dcsrch.
@Suite("L-BFGS-B line search")
struct LBFGSBLineSearchTests {
    @Test("Brown's badly scaled function (MGH 4) reaches f* = 0 in at most 150 evaluations (SciPy's L-BFGS-B: 28; an Armijo-only backtracking search took 916)")
    func badlyScaled() throws {
        let problem = try NonlinearProgramTests.model("""
            kind: nlp
            name: brown_badly_scaled
            minimize: "(x1 - 1000000)^2 + (x2 - 0.000002)^2 + (x1*x2 - 2)^2"
            variables: [x1, x2]
            start: {x1: 1, x2: 1}
            """)
        let result = try SolverRegistry.standard.solve(problem, solverID: "native.lbfgsb")
        #expect(result.status == .locallyOptimal, "\(result.status) \(result.rawStatus)")
        #expect(abs(result.primal[0] - 1e6) <= 1e-3 && abs(result.primal[1] - 2e-6) <= 1e-12, "\(result.primal)")
        let evaluations = try #require(result.history.records.last?.extras.first { $0.name == "f_evals" }?.value)
        #expect(evaluations <= 150, "\(evaluations) evaluations")
    }
}

/// `native.lbfgsb`'s projected-gradient test is relative to max(1, |f|); where f is huge it
/// must not pass at a point the KKT measures (relative to the gradient) call non-stationary.
@Suite("L-BFGS-B with a huge f")
struct LBFGSBHugeObjectiveTests {
    @Test("Brown's badly scaled function in [−2, 2]² from (1, 1): f ≈ 1e12 there; the answer is x1 = 2 with a verified KKT claim, not a stop at a point the checker refuses")
    func hugeObjective() throws {
        let problem = try NonlinearProgramTests.model("""
            kind: nlp
            name: brown_badly_scaled_box
            minimize: "(x1 - 1000000)^2 + (x2 - 0.000002)^2 + (x1*x2 - 2)^2"
            variables: {x1: [-2, 2], x2: [-2, 2]}
            start: {x1: 1, x2: 1}
            """)
        let result = try SolverRegistry.standard.solve(problem, solverID: "native.lbfgsb")
        #expect(result.status == .locallyOptimal, "\(result.status) \(result.rawStatus) \(result.notes)")
        #expect(result.certificateCheck?.passed == true, "\(String(describing: result.certificateCheck?.failure))")
        #expect(abs(result.primal[0] - 2) <= 1e-12, "\(result.primal)")
        // With x1 = 2: min over x2 of (x2 − 2e-6)² + (2x2 − 2)², at x2 = (2e-6 + 4)/5.
        #expect(abs(result.primal[1] - (2e-6 + 4) / 5) <= 1e-6, "\(result.primal)")
    }
}
