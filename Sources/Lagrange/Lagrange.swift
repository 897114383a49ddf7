@_exported import LagrangeCore
@_exported import Expressions
@_exported import LinearAlgebra
@_exported import ProblemFormats
@_exported import Regression
@_exported import Modeling
// Of the solver modules only the warm-startable simplex is API in its own right; every
// solver is reached through `SolverRegistry.standard`.
@_exported import struct NativeSolvers.SimplexSession
