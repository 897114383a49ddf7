@_exported import LagrangeGLPK
@_exported import LagrangeGSL
import Lagrange

extension SolverRegistry {
    /// Every built-in solver, as the `lagrange` CLI routes them: the native ones
    /// (``LagrangeCore/SolverRegistry/standard``), GLPK's and GSL's. Tests of the GLPK and
    /// GSL plugins, and of the CLI's defaults (a MILP goes to `glpk.mip`), route through it.
    public static let builtIn = SolverRegistry.standard.registeringGLPK().registeringGSL()
}
