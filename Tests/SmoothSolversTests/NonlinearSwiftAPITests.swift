import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

/// Issue #25 item 1, "the same in Swift": hs071 built in code, from closures (gradients given,
/// Hessians by differences) and from expressions, solved through the registry, against
/// the file's verified optimum (f* = 17.0140173, Hock & Schittkowski; Ipopt's documentation).
@Suite("Nonlinear programs in Swift")
struct NonlinearSwiftAPITests {
    static let target = 17.014017289132163

    static func closures() throws -> NonlinearProgram {
        let objective = ClosureObjective(dimension: 4, gradient: { x in
            [x[3] * (2 * x[0] + x[1] + x[2]), x[0] * x[3], x[0] * x[3] + 1, x[0] * (x[0] + x[1] + x[2])]
        }) { x in x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2] }
        let sphere = ClosureObjective(dimension: 4, gradient: { x in x.map { 2 * $0 } }) { x in x.reduce(0) { $0 + $1 * $1 } }
        let product = ClosureObjective(dimension: 4, gradient: { x in
            [x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2]]
        }) { x in x[0] * x[1] * x[2] * x[3] }
        return try NonlinearProgram(name: "hs071-closures", variableNames: ["x1", "x2", "x3", "x4"], objective: objective,
                                    lowerBounds: [1, 1, 1, 1], upperBounds: [5, 5, 5, 5],
                                    constraints: [try NonlinearConstraint(name: "sphere", function: sphere, lower: 40, upper: 40),
                                                  try NonlinearConstraint(name: "product", function: product, lower: 25, upper: .infinity)],
                                    start: [1, 5, 5, 1])
    }

    static func expressions() throws -> NonlinearProgram {
        let names = ["x1", "x2", "x3", "x4"]
        return try NonlinearProgram(name: "hs071-expressions", variableNames: names,
                                    objective: try CompiledExpression("x1*x4*(x1 + x2 + x3) + x3", variables: names),
                                    lowerBounds: [1, 1, 1, 1], upperBounds: [5, 5, 5, 5],
                                    constraints: [try NonlinearConstraint(name: "sphere", function: try CompiledExpression("x1^2 + x2^2 + x3^2 + x4^2", variables: names), lower: 40, upper: 40),
                                                  try NonlinearConstraint(name: "product", function: try CompiledExpression("x1*x2*x3*x4", variables: names), lower: 25, upper: .infinity)],
                                    start: [1, 5, 5, 1])
    }

    @Test("hs071 from closures and from expressions: every nlp solver reaches f* to 1e-6, and the two forms' shadow prices agree to 1e-4",
          arguments: ["native.interior-point", "native.augmented-lagrangian"])
    func hs071(solver: String) throws {
        let fromClosures = try SolverRegistry.standard.solve(.nonlinear(try Self.closures()), solverID: solver)
        let fromExpressions = try SolverRegistry.standard.solve(.nonlinear(try Self.expressions()), solverID: solver)
        for result in [fromClosures, fromExpressions] {
            #expect(result.status == .locallyOptimal, "\(result.problemName) \(solver): \(result.status) \(result.rawStatus)")
            let f = try #require(result.objective)
            #expect(abs(f - Self.target) <= 1e-6 * Self.target, "\(result.problemName) \(solver): f = \(f)")
        }
        // The product constraint is active with shadow price ∂f*/∂25 > 0; the sphere's is < 0.
        let a = try #require(fromClosures.duals), b = try #require(fromExpressions.duals)
        for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-4 * max(1, abs(v)), "\(solver): \(a) vs \(b)") }
        #expect(b[1] > 0 && b[0] < 0, "\(b)")
    }
}
