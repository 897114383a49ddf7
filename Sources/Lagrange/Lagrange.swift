// The umbrella module of the `Lagrange` product: `import Lagrange` is all a library user
// writes. It re-exports the modules whose public declarations are the library's API:
//
//   LinearAlgebra   DenseMatrix, SparseMatrix (the matrices problems are stated in)
//   LagrangeCore    problem models, SolveOptions, SolveResult and its details, statuses,
//                   errors, SolverRegistry, SolverPlugin/SolverDescriptor/SolveContext,
//                   observers, the async API
//   Expressions     CompiledExpression, ClosureObjective, GradientCheck, SmoothDetails
//   ProblemFormats  ProblemFileReader.load, YAMLProblemFile, the MPS and CPLEX LP writers,
//                   ConvergencePlot and the pictures, SolveResult's JSON
//   Modeling        Model, Variable, expressions and constraints
//   Regression      RegressionRunner (convergence regression tests in your own test target)
//
// Of the solver modules only the warm-startable simplex is API in its own right; every
// solver is reached through `SolverRegistry.standard` (or by id). What the package's own
// modules share beyond this (kernels, factorizations, workspaces, presolve, verifiers,
// format readers, CLI helpers) is `package`, not `public`: scripts/public-api.sh counts the
// public declarations and Tests/LagrangeTests/PublicAPIBudgetTests.swift keeps the count
// from growing unnoticed.
@_exported import LagrangeCore
@_exported import Expressions
@_exported import LinearAlgebra
@_exported import ProblemFormats
@_exported import Regression
@_exported import Modeling
@_exported import struct NativeSolvers.SimplexSession
