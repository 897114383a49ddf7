@_exported import LinearAlgebra
@_exported import LagrangeCore
