import GLPKSolvers
import GSLSolvers
import LagrangeCore
import NativeSolvers

extension SolverRegistry {
    /// Every built-in solver, with each kind's default set to the best measured solver.
    /// Copy it and register your own plugins to route them like built-ins.
    public static let standard: SolverRegistry = {
        var registry = SolverRegistry()
        // Families register their plugins here, one line each.
        registry.register(MatrixGameLPSolver(id: "glpk.game-lp", lpSolverID: "glpk.simplex", lpParameters: ["method": .string("dual")]), asDefaultFor: [.matrixGame])
        registry.register(FictitiousPlaySolver())
        registry.register(MultiplicativeWeightsSolver())
        return registry
    }()
}
