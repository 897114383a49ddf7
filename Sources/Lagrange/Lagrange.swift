@_exported import LagrangeCore
@_exported import Expressions
@_exported import LinearAlgebra
@_exported import ProblemFormats
@_exported import Regression
@_exported import Modeling
