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
