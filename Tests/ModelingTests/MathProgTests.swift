import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// A MathProg model and glpsol 5.0's optimal objective for it (Tests/Fixtures/mathprog/README.md).
struct MathProgCase: Sendable, CustomTestStringConvertible {
    var model: String
    var data: String?
    var glpsolObjective: Double
    var testDescription: String { model + (data.map { " --data " + $0 } ?? "") }
}

private let cases: [MathProgCase] = [
    .init(model: "seed.mod", glpsolObjective: 2),
    .init(model: "small_diet.mod", data: "small_diet.dat", glpsolObjective: 4.27272727272727),
    .init(model: "transp.mod", glpsolObjective: 153.675),
    .init(model: "transp.mod", data: "transp.dat", glpsolObjective: 153.675),
    .init(model: "diet.mod", glpsolObjective: 0.138170935505689),
    .init(model: "assign.mod", glpsolObjective: 76),
]

@Suite("GLPK MathProg models")
struct MathProgTests {
    /// `.mod` files are read through LagrangeGLPK's MathProg reader.
    init() { ProblemFileReader.registerMathProg() }

    @Test("translated by GLPK, solved by the native solvers to glpsol's objective", arguments: cases)
    func nativeSolversReachGLPSOL(_ c: MathProgCase) throws {
        let definition = try ProblemFileReader.load(Fixtures.path("mathprog/" + c.model),
                                                    mathProgData: c.data.map { Fixtures.path("mathprog/" + $0) })
        guard case .linear(let lp) = definition.problem else {
            Issue.record("not an LP")
            return
        }
        #expect(!lp.isMixedInteger)
        // The default (native.ipm, tolerance 1e-8) and the native simplex (a vertex).
        let ipm = try SolverRegistry.builtIn.solve(definition)
        #expect(ipm.solverID == "native.ipm" && ipm.status == .optimal)
        #expect(isClose(ipm.objective ?? .nan, c.glpsolObjective, relative: 1e-7), "\(ipm.objective ?? .nan)")
        let simplex = try SolverRegistry.builtIn.solve(definition, solverID: "native.simplex")
        #expect(simplex.status == .optimal)
        #expect(isClose(simplex.objective ?? .nan, c.glpsolObjective, relative: 1e-9), "\(simplex.objective ?? .nan)")
    }

    @Test("a model with binary variables is a MILP and goes to glpk.mip: the knapsack's 21")
    func integerModel() throws {
        let definition = try ProblemFileReader.load(Fixtures.path("mathprog/knapsack.mod"))
        guard case .linear(let lp) = definition.problem else { return }
        #expect(lp.integerColumns == [0, 1, 2, 3])
        #expect(lp.columnUpper == [1, 1, 1, 1])
        let result = try SolverRegistry.builtIn.solve(definition)
        #expect(result.solverID == "glpk.mip" && result.objective == 21)
    }

    @Test("postsolve prints the model's printf output after solve;, as glpsol does")
    func postsolveOutput() throws {
        let path = Fixtures.path("mathprog/assign.mod")
        let result = try SolverRegistry.builtIn.solve(ProblemFileReader.load(path), solverID: "native.simplex")
        let output = try MathProgReader.postsolve(path, result: result)
        // glpsol --math assign.mod prints these lines after "OPTIMAL LP SOLUTION FOUND".
        #expect(output == """

            Agent  Task       Cost
                1     1         13
                2     8          8
                3     7         13
                4     5         12
                5     2          6
                6     6         16
                7     4          3
                8     3          5
            ----------------------
                 Total:         76


            """)
        let seed = Fixtures.path("mathprog/seed.mod")
        let attached = MathProgReader.attachingOutput(to: try SolverRegistry.builtIn.solve(ProblemFileReader.load(seed)), model: seed)
        #expect(attached.details(as: MathProgOutput.self)?.text == "x3 = 2\n")
    }

    @Test("a missing data file is an InputError naming that file")
    func missingDataFile() throws {
        let error = #expect(throws: InputError.self) {
            try ProblemFileReader.load(Fixtures.path("mathprog/transp.mod"), mathProgData: "/nonexistent/transp.dat")
        }
        #expect(error?.file == "/nonexistent/transp.dat")
    }
}
