import BuiltInSolvers
import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

/// Second-order honesty (issue #25): a stationary point with negative curvature is a saddle
/// or a maximum, never a `locally_optimal` answer. f = x⁴ − 3x² + y² has a saddle at (0, 0)
/// (∇²f = diag(−6, 2)) and minima f = −2.25 at x = ±√1.5, y = 0. From (0, 1) x stays 0 in
/// exact arithmetic (∂f/∂x = 0 on the line x = 0), so every descent method walks into the saddle.
@Suite("Second-order conditions at stationary points")
struct SecondOrderTests {
    static let saddle = "x^4 - 3*x^2 + y^2"

    @Test("native.newton does not stop at the saddle: it leaves along negative curvature to −2.25",
          arguments: [[0.0, 1.0], [0.0, 0.0]])
    func newtonLeavesTheSaddle(start: [Double]) throws {
        let p = try smoothProblem(Self.saddle, start: start, variables: ["x", "y"])
        let r = try solve(p, "native.newton")
        #expect(r.status == .locallyOptimal)
        #expect(isClose(r.objective ?? 0, -2.25, relative: 1e-12), "objective \(r.objective ?? .nan)")
        #expect(isClose(abs(r.primal[0]), 1.5.squareRoot(), relative: 1e-8))
        #expect(r.history.records.contains { $0.value(forKey: "negative_curvature") != nil })
    }

    @Test("native methods with an exact Hessian leave the saddle too", arguments: ["native.bfgs", "native.lbfgs", "native.adagrad"])
    func quasiNewtonLeavesTheSaddle(solver: String) throws {
        let p = try smoothProblem(Self.saddle, start: [0, 1], variables: ["x", "y"])
        let r = try solve(p, solver)
        #expect(r.status == .locallyOptimal)
        #expect(isClose(r.objective ?? 0, -2.25, relative: 1e-8), "\(solver): objective \(r.objective ?? .nan)")
    }

    @Test("the same for a maximization: max −f leaves the saddle to 2.25")
    func maximization() throws {
        let p = try smoothProblem("-(\(Self.saddle))", start: [0, 1], variables: ["x", "y"], sense: .maximize)
        let r = try solve(p, "native.newton")
        #expect(r.status == .locallyOptimal)
        #expect(isClose(r.objective ?? 0, 2.25, relative: 1e-12))
    }

    @Test("GSL methods that end at the saddle are refused by the checker: stationary_point",
          arguments: ["gsl.bfgs2", "gsl.newton", "gsl.steepest-descent"])
    func gslSaddleIsNotLocallyOptimal(solver: String) throws {
        let p = try smoothProblem(Self.saddle, start: [0, 1], variables: ["x", "y"])
        let r = try solve(p, solver)
        #expect(abs(r.primal[0]) < 1e-6, "\(solver) should end on the line x = 0")
        #expect(r.status == .stationaryPoint, "\(solver): \(r.status)")
        #expect(!r.status.isDefinitive)
        #expect(r.notes.contains { $0.contains("negative curvature") })
        #expect(r.certificateCheck?.verdict == .stationaryPoint)
    }

    @Test("gsl.newton finds the maximum of x²·(−1) as a root of ∇f: refused, not locally_optimal")
    func rootFinderAtAMaximum() throws {
        let p = try smoothProblem("-(x^2) - y^2 + 0.1*x^4", start: [0.3, -0.2], variables: ["x", "y"])
        let r = try solve(p, "gsl.newton")
        #expect(abs(r.primal[0]) < 1e-6 && abs(r.primal[1]) < 1e-6)
        #expect(r.status == .stationaryPoint)
    }

    @Test("a minimum passes the second-order check, with its measure in the result")
    func minimumPasses() throws {
        let p = try smoothProblem(Self.saddle, start: [1, 1], variables: ["x", "y"])
        let r = try solve(p, "gsl.bfgs2")
        #expect(r.status == .locallyOptimal)
        let check = try #require(r.certificateCheck)
        #expect(check.verdict == .locallyOptimal)
        #expect(check.measures.contains { $0.name == "hessian_min_eigenvalue_bound" && $0.passes })
    }

    @Test("without a Hessian the stationary point is locally_optimal with the caveat in a note")
    func uncheckedHasACaveat() throws {
        let closure = ClosureObjective(dimension: 2, gradient: { x in [4 * x[0] * x[0] * x[0] - 6 * x[0], 2 * x[1]] }) { x in
            x[0] * x[0] * x[0] * x[0] - 3 * x[0] * x[0] + x[1] * x[1]
        }
        let p = Problem.smooth(try SmoothProblem(variableNames: ["x", "y"], start: [0, 1], objective: closure))
        let r = try solve(p, "native.bfgs")
        #expect(r.status == .locallyOptimal)
        #expect(r.notes.contains { $0.contains("second-order conditions were not checked") })
    }
}

/// The smooth kind's default depends on n (issue #22): BFGS's dense n×n update dominates
/// above 200 variables, where L-BFGS takes over.
@Suite("Smooth default by size")
struct SmoothDefaultTests {
    @Test("n = 2 goes to native.bfgs, n = 300 to native.lbfgs, and both reach the minimum")
    func defaultBySize() throws {
        let small = try SolverRegistry.builtIn.solve(try smoothProblem("(x - 1)^2 + 10*(y + 2)^2", start: [0, 0], variables: ["x", "y"]))
        #expect(small.solverID == "native.bfgs")
        let n = 300
        let text = (0..<n).map { "(x\($0) - \($0 % 3))^2" }.joined(separator: " + ")
        let large = try SolverRegistry.builtIn.solve(try smoothProblem(text, start: Array(repeating: 0, count: n),
                                                                        variables: (0..<n).map { "x\($0)" }))
        #expect(large.solverID == "native.lbfgs")
        #expect(large.status == .optimal && abs(large.objective ?? 1) < 1e-12)
        #expect(zip(large.primal, (0..<n).map { Double($0 % 3) }).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
