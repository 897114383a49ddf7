import LagrangeCore
import NativeSolvers

/// The native simplex plugin.
func nativeSimplexPlugin() -> (any SolverPlugin)? { NativeSimplexSolver() }
