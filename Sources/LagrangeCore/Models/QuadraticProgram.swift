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

extension QuadraticProgram {
    /// KKT residuals of (x, y, d) in the shadow-price convention, as for an LP
    /// (``LinearProgram/kktResiduals(primal:duals:reducedCosts:)``) but with the gradient
    /// c + Qx in place of c: the dual residual is max |c + Qx − Aᵀy − d|.
    public func kktResiduals(primal x: [Double], duals y: [Double]?, reducedCosts d: [Double]?) -> KKTResiduals {
        let qx = quadratic.multiply(x)
        var gradient = linear.objective
        for j in 0..<gradient.count { gradient[j] += qx[j] }
        let lp = linear
        guard let linearized = try? LinearProgram(
            name: lp.name, sense: lp.sense, objective: gradient, objectiveConstant: lp.objectiveConstant,
            constraints: lp.constraints, rowLower: lp.rowLower, rowUpper: lp.rowUpper, columnLower: lp.columnLower,
            columnUpper: lp.columnUpper, variableNames: lp.variableNames, constraintNames: lp.constraintNames)
        else {
            // Only a non-finite gradient (a non-finite x) gets here.
            return KKTResiduals(primalInfeasibility: .nan, dualInfeasibility: .nan, complementarity: .nan)
        }
        return linearized.kktResiduals(primal: x, duals: y, reducedCosts: d)
    }
}
