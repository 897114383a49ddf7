import LinearAlgebra

/// A quadratic program: min ½xᵀQx + cᵀx + c₀ over the constraints of ``linear``.
///
/// `quadratic` holds the full symmetric Q (both triangles), n × n. Convexity is not checked
/// here (it is a solver's question); symmetry and dimensions are.
public struct QuadraticProgram: Sendable, Equatable {
    /// The linear part: objective vector, constraints and bounds.
    public private(set) var linear: LinearProgram
    /// Q of the ½xᵀQx term: symmetric, n × n, both triangles stored.
    public private(set) var quadratic: SparseMatrix

    /// A QP from its linear part and Q; throws when Q is not n × n.
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
        // Same measures as LinearProgram.kktResiduals with c replaced by c + Qx (computed
        // here rather than by building a linearized LinearProgram, whose validation of
        // names would dominate on large problems).
        let lp = linear
        let ax = lp.constraints.multiply(x)
        var primal = 0.0
        for i in 0..<lp.rowCount { primal = max(primal, lp.rowLower[i] - ax[i], ax[i] - lp.rowUpper[i]) }
        for j in 0..<lp.columnCount { primal = max(primal, lp.columnLower[j] - x[j], x[j] - lp.columnUpper[j]) }
        guard let y, let d, y.count == lp.rowCount, d.count == lp.columnCount else {
            return KKTResiduals(primalInfeasibility: max(0, primal), dualInfeasibility: .nan, complementarity: .nan)
        }
        let aty = lp.constraints.transposeMultiply(y)
        var dual = 0.0
        for j in 0..<lp.columnCount { dual = max(dual, abs(gradient[j] - aty[j] - d[j])) }
        let s: Double = lp.sense == .minimize ? 1 : -1
        func priced(_ value: Double, _ lo: Double, _ hi: Double, _ multiplier: Double) -> Double {
            let mult = s * multiplier
            if mult > 0 { return lo.isFinite ? mult * abs(value - lo) : mult }
            if mult < 0 { return hi.isFinite ? -mult * abs(hi - value) : -mult }
            return 0
        }
        var complementarity = 0.0
        for i in 0..<lp.rowCount { complementarity = max(complementarity, priced(ax[i], lp.rowLower[i], lp.rowUpper[i], y[i])) }
        for j in 0..<lp.columnCount {
            complementarity = max(complementarity, priced(x[j], lp.columnLower[j], lp.columnUpper[j], d[j]))
        }
        return KKTResiduals(primalInfeasibility: max(0, primal), dualInfeasibility: dual, complementarity: complementarity)
    }
}
