import Lagrange
import LagrangeTestSupport
import Testing

/// The seed is reported by the solvers that draw from it, and only by them (issue #16
/// defect 8): a reported seed must mean something.
struct SeedReportingTests {
    static func game() throws -> Problem {
        .matrixGame(try MatrixGame(payoff: try DenseMatrix(rows: 3, columns: 3, storage: [0, -1, 1, 1, 0, -1, -1, 1, 0])))
    }

    static func smooth() throws -> Problem {
        let f = try CompiledExpression("(x - 1)^2 + 10*(y + 2)^2", variables: ["x", "y"])
        return .smooth(try SmoothProblem(variableNames: ["x", "y"], start: [0, 0], objective: f))
    }

    @Test("deterministic solvers report no seed, and their results do not depend on it",
          arguments: ["native.fictitious-play", "native.multiplicative-weights", "native.adam", "native.ipm", "native.bfgs"])
    func deterministicSolversReportNoSeed(solverID: String) throws {
        let registry = SolverRegistry.standard
        let kinds = try #require(registry.plugin(id: solverID)?.descriptor.kinds)
        let problem = kinds.contains(.matrixGame) ? try Self.game()
            : kinds.contains(.smooth) ? try Self.smooth()
            : .linear(try LinearProgram(objective: [1, 1], constraints: try DenseMatrix(rows: 1, columns: 2, storage: [1, 1]).sparse(),
                                        rowLower: [1], rowUpper: [.infinity], columnLower: [0, 0], columnUpper: [.infinity, .infinity]))
        let one = try registry.solve(problem, solverID: solverID, options: SolveOptions(maxIterations: 200, seed: 1))
        let two = try registry.solve(problem, solverID: solverID, options: SolveOptions(maxIterations: 200, seed: 2))
        #expect(one.seed == nil && two.seed == nil)
        #expect(one.primal == two.primal)
    }

    @Test("randomized Kaczmarz reports its seed, and the seed changes its path")
    func randomizedSolverReportsItsSeed() throws {
        let system = try LinearSystemProblem(matrix: .dense(try DenseMatrix(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 7])),
                                             rightHandSide: [1, 2, 4])
        let registry = SolverRegistry.standard
        let one = try registry.solve(.linearSystem(system), solverID: "native.kaczmarz", options: SolveOptions(maxIterations: 50, seed: 1))
        let two = try registry.solve(.linearSystem(system), solverID: "native.kaczmarz", options: SolveOptions(maxIterations: 50, seed: 2))
        #expect(one.seed == 1 && two.seed == 2)
        #expect(one.primal != two.primal)
    }
}
