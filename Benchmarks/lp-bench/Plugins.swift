import LagrangeCore
import NativeSolvers

/// The native simplex plugin, when built.
func nativeSimplexPlugin() -> (any SolverPlugin)? { nil }
