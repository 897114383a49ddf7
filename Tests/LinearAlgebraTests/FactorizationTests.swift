import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import Testing

/// A random sparse m × n matrix with about `density`·m·n entries, from a fixed seed.
private func randomSparse(rows m: Int, columns n: Int, density: Double, seed: UInt64) throws -> SparseMatrix {
    var rng = SeededGenerator(seed: seed)
    var triplets: [(row: Int, column: Int, value: Double)] = []
    for j in 0..<n {
        for i in 0..<m where rng.nextUnit() < density { triplets.append((i, j, rng.nextGaussian())) }
        triplets.append((rng.nextIndex(below: m), j, 1 + rng.nextUnit()))
    }
    return try SparseMatrix(rowCount: m, columnCount: n, triplets: triplets)
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct FactorizationTests {
    @Test func denseCholeskyLUAndQRSolveTheSameSystem() throws {
        let a = try DenseMatrix(rowArrays: [[4, 1, 2], [1, 5, 1], [2, 1, 6]])
        let b = [1.0, -2, 3]
        let x1 = try DenseCholesky(a).solve(b)
        let x2 = try DenseLU(a).solve(b)
        let x3 = try DenseQR(a).solve(b)
        let r = a.multiply(x1)
        #expect(maxDifference(r, b) < 1e-12)
        #expect(maxDifference(x1, x2) < 1e-12)
        #expect(maxDifference(x1, x3) < 1e-12)
        let xt = try DenseLU(a.transposed()).solveTransposed(b)
        #expect(maxDifference(xt, x1) < 1e-12) // A symmetric: (Aᵀ)ᵀ x = b
    }

    @Test func denseLUPivotsAndDetectsSingularity() throws {
        let a = try DenseMatrix(rowArrays: [[0, 2], [3, 1]])
        let x = try DenseLU(a).solve([4, 5])
        #expect(maxDifference(a.multiply(x), [4, 5]) < 1e-12)
        let singular = try DenseMatrix(rowArrays: [[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.self) { _ = try DenseLU(singular) }
        #expect(throws: LinearAlgebraError.self) { _ = try DenseCholesky(try DenseMatrix(rowArrays: [[1, 2], [2, 1]])) }
    }

    @Test func denseQRLeastSquaresMatchesNormalEquations() throws {
        let a = try DenseMatrix(rowArrays: [[1, 0], [1, 1], [1, 2], [1, 3]])
        let b = [1.0, 2, 2, 4]
        let x = try DenseQR(a).solve(b)
        // Closed form for the line fit: slope 0.9, intercept 0.9.
        #expect(isClose(x[0], 0.9, absolute: 1e-12) && isClose(x[1], 0.9, absolute: 1e-12))
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func sparseLDLTMatchesDenseCholeskyOnRandomSPD(seed: UInt64) throws {
        // M = A Aᵀ + I is SPD; compare with the dense Cholesky solve.
        let a = try randomSparse(rows: 60, columns: 90, density: 0.04, seed: seed)
        let normal = try NormalEquationsMatrix(a)
        var values = Array(repeating: 0.0, count: normal.symbolic.upperNonzeros)
        normal.assemble(theta: Array(repeating: 1, count: 90), shift: Array(repeating: 1, count: 60), into: &values)
        var ldlt = SparseLDLT(symbolic: normal.symbolic)
        try ldlt.factor(internalValues: values)
        #expect(ldlt.replacedPivots == 0)
        let ad = a.dense()
        var m = DenseMatrix(rows: 60, columns: 60)
        for i in 0..<60 { for k in 0..<60 {
            var s = i == k ? 1.0 : 0
            for j in 0..<90 { s += ad[i, j] * ad[k, j] }
            m[i, k] = s
        } }
        var rng = SeededGenerator(seed: seed + 100)
        let b = (0..<60).map { _ in rng.nextGaussian() }
        let x = ldlt.solve(b)
        let reference = try DenseCholesky(m).solve(b)
        #expect(maxDifference(x, reference) < 1e-9 * max(1, Vector.normInf(reference)))
    }

    @Test func sparseLDLTFactorsQuasiDefiniteMatrices() throws {
        // K = [−(H + I)  Aᵀ; A  I], H diagonal ≥ 0: quasi-definite, pivot signs −, +.
        let m = 25, n = 40
        let a = try randomSparse(rows: m, columns: n, density: 0.1, seed: 9)
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var rng = SeededGenerator(seed: 10)
        for j in 0..<n { triplets.append((j, j, -(1 + rng.nextUnit()))) }
        for j in 0..<n { for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
            triplets.append((n + a.rowIndices[k], j, a.values[k]))
            triplets.append((j, n + a.rowIndices[k], a.values[k]))
        } }
        for i in 0..<m { triplets.append((n + i, n + i, 1e-2)) }
        let k = try SparseMatrix(rowCount: n + m, columnCount: n + m, triplets: triplets)
        let symbolic = try SparseLDLTSymbolic(pattern: k)
        let signs = (0..<(n + m)).map { $0 < n ? -1.0 : 1.0 }
        var ldlt = SparseLDLT(symbolic: symbolic, signs: signs)
        try ldlt.factor(k)
        #expect(ldlt.replacedPivots == 0)
        let b = (0..<(n + m)).map { _ in rng.nextGaussian() }
        let x = ldlt.solve(b)
        let reference = try DenseLU(k.dense()).solve(b)
        #expect(maxDifference(x, reference) < 1e-9 * max(1, Vector.normInf(reference)))
    }

    @Test func tinyPivotsAreReplacedInsteadOfFailing() throws {
        // Rank-deficient PSD matrix [[1,1],[1,1]]: the second pivot is 0 and is replaced,
        // so the solve returns the minimum-change solution of the consistent system.
        let m = try DenseMatrix(rowArrays: [[1, 1], [1, 1]]).sparse()
        var ldlt = SparseLDLT(symbolic: try SparseLDLTSymbolic(pattern: m, permutation: [0, 1]))
        try ldlt.factor(m)
        #expect(ldlt.replacedPivots == 1)
        let x = ldlt.solve([2, 2])
        #expect(isClose(x[0] + x[1], 2, absolute: 1e-12))
    }

    @Test func minimumDegreeKeepsArrowheadFillFree() throws {
        // Arrowhead with the hub first: natural order fills completely, minimum degree
        // eliminates the leaves first and creates no fill.
        let n = 30
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<n { triplets.append((i, i, Double(n))) }
        for i in 1..<n { triplets.append((i, 0, 1)) }
        let m = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
        let natural = try SparseLDLTSymbolic(pattern: m, permutation: Array(0..<n))
        let ordered = try SparseLDLTSymbolic(pattern: m)
        #expect(natural.factorNonzeros == n * (n - 1) / 2)
        #expect(ordered.factorNonzeros == n - 1)
        #expect(Set(ordered.permutation) == Set(0..<n))
    }

    @Test func minimumDegreeOrdersANearlyCompleteGraphAsAWhole() throws {
        // 48 × 48 SPD with ~85 % of the off-diagonal pattern present: the ordering stops
        // eliminating one node at a time (dense tail) but must still return a permutation
        // whose factorization solves the system as the dense Cholesky does.
        let n = 48
        var rng = SeededGenerator(seed: 11)
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var dense = DenseMatrix(rows: n, columns: n)
        for j in 0..<n {
            for i in (j + 1)..<n where rng.nextUnit() < 0.85 {
                let v = rng.nextGaussian() / Double(n)
                triplets.append((i, j, v))
                dense[i, j] = v
                dense[j, i] = v
            }
            triplets.append((j, j, 2))
            dense[j, j] = 2
        }
        let m = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
        let permutation = MinimumDegreeOrdering.order(m)
        #expect(permutation.sorted() == Array(0..<n))
        var ldlt = SparseLDLT(symbolic: try SparseLDLTSymbolic(pattern: m))
        try ldlt.factor(m)
        let b = (0..<n).map { _ in rng.nextGaussian() }
        let reference = try DenseCholesky(dense).solve(b)
        #expect(maxDifference(ldlt.solve(b), reference) < 1e-12 * max(1, Vector.normInf(reference)))
    }

    @Test func minimumDegreeReducesFillOnA2DGrid() throws {
        // 5-point Laplacian on a 15×15 grid: natural (banded) order has ~n·15 fill.
        let side = 15, n = side * side
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for r in 0..<side { for c in 0..<side {
            let v = r * side + c
            triplets.append((v, v, 4))
            if c + 1 < side { triplets.append((v + 1, v, -1)) }
            if r + 1 < side { triplets.append((v + side, v, -1)) }
        } }
        let m = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
        let natural = try SparseLDLTSymbolic(pattern: m, permutation: Array(0..<n))
        let ordered = try SparseLDLTSymbolic(pattern: m)
        #expect(ordered.factorNonzeros < natural.factorNonzeros * 3 / 4)
        var ldlt = SparseLDLT(symbolic: ordered)
        try ldlt.factor(m)
        let b = Array(repeating: 1.0, count: n)
        let x = ldlt.solve(b)
        var r = Array(repeating: 0.0, count: n)
        // The pattern holds the lower triangle only: residual with the full symmetric matrix.
        for j in 0..<n { for k in m.columnStarts[j]..<m.columnStarts[j + 1] {
            let i = m.rowIndices[k]
            r[i] += m.values[k] * x[j]
            if i != j { r[j] += m.values[k] * x[i] }
        } }
        #expect(maxDifference(r, b) < 1e-10)
    }

    /// Symmetric quasi-definite K = [−H Aᵀ; A δI] (both triangles) with H diagonal.
    private func quasiDefinite(n: Int, m: Int, seed: UInt64) throws -> SparseMatrix {
        let a = try randomSparse(rows: m, columns: n, density: 0.3, seed: seed)
        var rng = SeededGenerator(seed: seed + 1)
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for j in 0..<n { triplets.append((j, j, -(1 + rng.nextUnit()))) }
        for j in 0..<n { for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
            triplets.append((n + a.rowIndices[k], j, a.values[k]))
            triplets.append((j, n + a.rowIndices[k], a.values[k]))
        } }
        for i in 0..<m { triplets.append((n + i, n + i, 1e-2)) }
        return try SparseMatrix(rowCount: n + m, columnCount: n + m, triplets: triplets)
    }

    @Test(arguments: [0.0, 0.5, 0.9])
    func denseTrailingBlockMatchesSparseFactorization(density: Double) throws {
        // Normal equations A AᵀΘ with dense-ish columns (many fill-in): the dense trailing
        // block (density 0 makes the whole factor dense) must agree with the sparse-only
        // factorization and with dense LU, for SPD and for quasi-definite matrices.
        let m = 70, n = 120
        let a = try randomSparse(rows: m, columns: n, density: 0.08, seed: 21)
        let normal = try NormalEquationsMatrix(a)
        var rng = SeededGenerator(seed: 22)
        let theta = (0..<n).map { _ in 0.1 + rng.nextUnit() }
        var values = Array(repeating: 0.0, count: normal.symbolic.upperNonzeros)
        normal.assemble(theta: theta, shift: nil, into: &values)
        let permutation = normal.symbolic.permutation
        let sparseOnly = try SparseLDLTSymbolic(pattern: normal.pattern, permutation: permutation, denseTrailingDensity: nil)
        let blocked = try SparseLDLTSymbolic(pattern: normal.pattern, permutation: permutation, denseTrailingDensity: density)
        #expect(sparseOnly.denseStart == m)
        #expect(blocked.denseStart < m - 20)
        if density == 0 { #expect(blocked.denseStart == 0) }
        var reference = SparseLDLT(symbolic: sparseOnly)
        var candidate = SparseLDLT(symbolic: blocked)
        try reference.factor(internalValues: values)
        try candidate.factor(internalValues: values)
        for (p, q) in zip(reference.pivots, candidate.pivots) { #expect(isClose(p, q, relative: 1e-10)) }
        let b = (0..<m).map { _ in rng.nextGaussian() }
        let x = candidate.solve(b)
        #expect(maxDifference(x, reference.solve(b)) < 1e-10 * max(1, Vector.normInf(x)))

        let k = try quasiDefinite(n: 40, m: 30, seed: 23)
        let signs = (0..<70).map { $0 < 40 ? -1.0 : 1.0 }
        let kSymbolic = try SparseLDLTSymbolic(pattern: k, denseTrailingDensity: density)
        #expect(kSymbolic.denseStart < 70)
        var kFactor = SparseLDLT(symbolic: kSymbolic, signs: signs)
        try kFactor.factor(k)
        #expect(kFactor.replacedPivots == 0)
        let c = (0..<70).map { _ in rng.nextGaussian() }
        let y = kFactor.solve(c)
        let yReference = try DenseLU(k.dense()).solve(c)
        #expect(maxDifference(y, yReference) < 1e-9 * max(1, Vector.normInf(yReference)))
    }

    @Test func denseTrailingBlockReplacesTinyPivots() throws {
        // All-ones 30 × 30 matrix (rank 1) factored entirely by the dense kernel: pivots
        // 2…30 are zero and are replaced, like the sparse rows do, and the consistent
        // system still solves.
        let n = 30
        let ones = try DenseMatrix(rowArrays: Array(repeating: Array(repeating: 1.0, count: n), count: n)).sparse()
        let symbolic = try SparseLDLTSymbolic(pattern: ones, permutation: Array(0..<n), denseTrailingDensity: 0)
        #expect(symbolic.denseStart == 0)
        var ldlt = SparseLDLT(symbolic: symbolic)
        try ldlt.factor(ones)
        #expect(ldlt.replacedPivots == n - 1)
        let x = ldlt.solve(Array(repeating: 3.0, count: n))
        #expect(isClose(x.reduce(0, +), 3, absolute: 1e-10))
    }
}
