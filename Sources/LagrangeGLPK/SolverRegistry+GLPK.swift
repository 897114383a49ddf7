import GLPKSolvers
import LagrangeCore
import NativeSolvers
import ProblemFormats

extension SolverRegistry {
    /// Adds GLPK's solvers: `glpk.simplex` and `glpk.interior` (lp), `glpk.mip` (milp),
    /// `glpk.ford-fulkerson` (max-flow) and `glpk.game-lp` (matrix-game: the game LP solved
    /// by `glpk.simplex`'s dual simplex), each listed where `lagrange solvers` lists it.
    ///
    /// No kind's default changes, with one exception: `glpk.mip` is listed before
    /// `native.branch-and-bound`, so it becomes the solver for mixed-integer programs when
    /// none is named (about 3× faster on MIPLIB-style instances, docs/benchmarks-milp.md).
    /// Registering again replaces the plugins in place.
    public mutating func registerGLPK() {
        register(GLPKSimplexSolver(), after: "native.simplex")
        register(GLPKInteriorSolver(), after: "glpk.simplex")
        register(GLPKMIPSolver(), before: "native.branch-and-bound")
        register(GLPKFordFulkersonSolver(), after: "native.dinic")
        // GLPK's dual simplex copes with the degenerate game LP far better than its primal.
        register(MatrixGameLPSolver(id: "glpk.game-lp", lpSolverID: "glpk.simplex", lpParameters: ["method": .string("dual")]),
                 before: "native.game-lp")
    }

    /// This registry with GLPK's solvers added (``registerGLPK()``).
    public func registeringGLPK() -> SolverRegistry {
        var registry = self
        registry.registerGLPK()
        return registry
    }
}

extension ProblemFileReader {
    /// Teaches ``ProblemFormats/ProblemFileReader`` GLPK MathProg models (`.mod`, read by
    /// ``MathProgReader``; a `.dat` data file comes through `load(_:mathProgData:)`), for the
    /// whole process. Calling it again changes nothing.
    public static func registerMathProg() {
        register(extension: "mod") { path, data throws(InputError) in try MathProgReader.load(path, data: data) }
    }
}
