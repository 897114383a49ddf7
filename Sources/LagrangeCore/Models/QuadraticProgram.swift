import LinearAlgebra

/// A quadratic program: min ½xᵀQx + cᵀx + c₀ over the constraints of ``linear``.
///
/// `quadratic` holds the full symmetric Q (both triangles), n × n. Convexity is not checked
/// here (it is a solver's question); symmetry and dimensions are.
public struct QuadraticProgram: Sendable, Equatable {
    public private(set) var linear: LinearProgram
    public private(set) var quadratic: SparseMatrix

    public init(linear: LinearProgram, quadratic: SparseMatrix) throws(ModelError) {
        let n = linear.columnCount
        guard quadratic.rowCount == n, quadratic.columnCount == n else {
            throw ModelError("Q is \(quadratic.rowCount)×\(quadratic.columnCount) but there are \(n) variables")
        }
        for j in 0..<n {
            for k in quadratic.columnStarts[j]..<quadratic.columnStarts[j + 1] {
                let i = quadratic.rowIndices[k], v = quadratic.values[k]
                guard v.isFinite else { throw ModelError("Q[\(linear.variableNames[i]), \(linear.variableNames[j])] is not finite") }
                let mirror = quadratic[j, i]
                guard abs(mirror - v) <= 1e-12 * max(1, abs(v)) else {
                    throw ModelError("Q is not symmetric at (\(linear.variableNames[i]), \(linear.variableNames[j]))")
                }
            }
        }
        self.linear = linear
        self.quadratic = quadratic
    }

    /// ½xᵀQx + cᵀx + c₀.
    public func objectiveValue(at x: [Double]) -> Double {
        let qx = quadratic.multiply(x)
        return 0.5 * Vector.dot(x, qx) + linear.objectiveValue(at: x)
    }
}
