import LagrangeCore
import LinearAlgebra

/// The sparse saddle-point system K = [S Cᵀ; C 0] of an ``EqualityConstrainedQP``
/// (C = Aᵀ of the seed), factored with static regularization and expected signs.
struct KKTSystem {
    let factorization: SparseLDLT
    /// ρ·max|K_ij|.
    let regularization: Double
    let positivePivots: Int
    let negativePivots: Int

    /// `shouldStop` is asked during the ordering and the factorization (`.interrupted`).
    init(_ p: EqualityConstrainedQP, regularization relative: Double, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        let n = p.variableCount, m = p.constraintCount
        let s = p.hessian, c = p.constraints
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var scale = 0.0
        for j in 0..<n {
            triplets.append((j, j, 0))  // every diagonal present, for the regularization
            for k in s.columnStarts[j]..<s.columnStarts[j + 1] where s.rowIndices[k] >= j {
                triplets.append((s.rowIndices[k], j, s.values[k]))
                scale = max(scale, abs(s.values[k]))
            }
            for k in c.columnStarts[j]..<c.columnStarts[j + 1] {
                triplets.append((n + c.rowIndices[k], j, c.values[k]))
                scale = max(scale, abs(c.values[k]))
            }
        }
        for i in 0..<m { triplets.append((n + i, n + i, 0)) }
        let k = try SparseMatrix(rowCount: n + m, columnCount: n + m, triplets: triplets)
        let symbolic = try SparseLDLTSymbolic(pattern: k, shouldStop: shouldStop)
        regularization = relative * max(scale, 1)
        let signs = (0..<(n + m)).map { $0 < n ? 1.0 : -1.0 }
        var factorization = SparseLDLT(symbolic: symbolic, signs: signs,
                                       policy: PivotPolicy(staticRegularization: regularization, pivotTolerance: -.infinity))
        try factorization.factor(k, shouldStop: shouldStop)
        var positive = 0, negative = 0
        for d in factorization.pivots { if d > 0 { positive += 1 } else if d < 0 { negative += 1 } }
        positivePivots = positive
        negativePivots = negative
        self.factorization = factorization
    }

    /// The KKT residual ‖K[x; −y] − [−c; b]‖∞.
    static func residual(_ p: EqualityConstrainedQP, x: [Double], y: [Double]) -> Double {
        let (primal, dual) = p.residuals(x: x, y: y)
        return max(primal, dual)
    }

    /// The dense Cholesky factor of S, or nil when S is not positive definite or a pivot
    /// falls below 1e-12·max|Sᵢⱼ| (then S⁻¹ would amplify rounding beyond use).
    static func wellConditionedCholesky(_ s: SparseMatrix) -> DenseCholesky? {
        guard let factor = try? DenseCholesky(s.dense()) else { return nil }
        var scale = 0.0
        for v in s.values { scale = max(scale, abs(v)) }
        for j in 0..<s.columnCount {
            let pivot = factor.factor[j, j]
            guard pivot * pivot > 1e-12 * scale else { return nil }
        }
        return factor
    }

    /// The Schur-complement route for a positive definite S (dense): returns nil if
    /// AᵀS⁻¹A is not positive definite.
    static func schurSolve(_ p: EqualityConstrainedQP, cholesky: DenseCholesky) -> (x: [Double], y: [Double])? {
        let n = p.variableCount, m = p.constraintCount
        let ct = p.constraints.transposed()  // n × m: column i is row i of C
        var sInverseCt: [[Double]] = []      // columns S⁻¹cᵢ
        sInverseCt.reserveCapacity(m)
        for i in 0..<m {
            var column = Array(repeating: 0.0, count: n)
            for k in ct.columnStarts[i]..<ct.columnStarts[i + 1] { column[ct.rowIndices[k]] = ct.values[k] }
            sInverseCt.append(cholesky.solve(column))
        }
        let sInverseC = cholesky.solve(p.cost)
        // M = C S⁻¹ Cᵀ, r = b + C S⁻¹ c; then Mλ = −r and y = −λ, so M y = r.
        var schur = DenseMatrix(rows: m, columns: m)
        for i in 0..<m {
            let column = p.constraints.multiply(sInverseCt[i])
            for k in 0..<m { schur[k, i] = column[k] }
        }
        for i in 0..<m { for k in 0..<i { let v = 0.5 * (schur[i, k] + schur[k, i]); schur[i, k] = v; schur[k, i] = v } }
        let csc = p.constraints.multiply(sInverseC)
        let r = (0..<m).map { p.rightHandSide[$0] + csc[$0] }
        var y = Array(repeating: 0.0, count: m)
        if m > 0 {
            guard let factor = try? DenseCholesky(schur) else { return nil }
            y = factor.solve(r)
        }
        // x = S⁻¹(Cᵀy − c).
        let cty = p.constraints.transposeMultiply(y)
        let x = cholesky.solve((0..<n).map { cty[$0] - p.cost[$0] })
        return (x, y)
    }
}
