import LagrangeCore
import LinearAlgebra
import Testing

/// A random sparse nonsingular-by-construction n × n matrix: a permuted diagonal with
/// magnitude ≥ 1 (so a perfect matching exists) plus `density`·n² Gaussian entries, some of
/// them columns that look like simplex slacks (a single −1).
private func randomSquare(_ n: Int, density: Double, slackShare: Double, seed: UInt64) throws -> SparseMatrix {
    var rng = SeededGenerator(seed: seed)
    var permutation = Array(0..<n)
    for k in stride(from: n - 1, to: 0, by: -1) { permutation.swapAt(k, rng.nextIndex(below: k + 1)) }
    var triplets: [(row: Int, column: Int, value: Double)] = []
    for j in 0..<n {
        if rng.nextUnit() < slackShare {
            triplets.append((permutation[j], j, -1))
            continue
        }
        var rows = Set([permutation[j]])
        triplets.append((permutation[j], j, (1 + rng.nextUnit()) * (rng.nextUnit() < 0.5 ? -1 : 1)))
        for i in 0..<n where !rows.contains(i) && rng.nextUnit() < density {
            rows.insert(i)
            triplets.append((i, j, rng.nextGaussian()))
        }
    }
    return try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct SparseLUTests {
    /// Solves A x = b and Aᵀ y = c against the dense partial-pivoting LU, on random sparse
    /// matrices from nearly triangular (mostly slacks) to fairly dense.
    @Test(arguments: [(n: 1, density: 0.0, slacks: 0.0), (n: 12, density: 0.2, slacks: 0.3),
                      (n: 40, density: 0.05, slacks: 0.5), (n: 60, density: 0.1, slacks: 0.0),
                      (n: 120, density: 0.03, slacks: 0.6), (n: 80, density: 0.3, slacks: 0.1)])
    func matchesDenseLU(_ shape: (n: Int, density: Double, slacks: Double)) throws {
        for seed in UInt64(1)...3 {
            let a = try randomSquare(shape.n, density: shape.density, slackShare: shape.slacks, seed: seed &* 7919 &+ UInt64(shape.n))
            let dense = a.dense()
            var rng = SeededGenerator(seed: seed)
            let b = (0..<shape.n).map { _ in rng.nextGaussian() }
            let lu = try SparseLU(a)
            let reference = try DenseLU(dense)
            let x = lu.solve(b), xDense = reference.solve(b)
            let scale = max(1, xDense.map(abs).max() ?? 0)
            #expect(maxDifference(x, xDense) <= 1e-9 * scale, "n=\(shape.n) seed=\(seed)")
            #expect(maxDifference(a.multiply(x), b) <= 1e-10 * scale)
            let y = lu.solveTransposed(b), yDense = reference.solveTransposed(b)
            #expect(maxDifference(y, yDense) <= 1e-9 * max(1, yDense.map(abs).max() ?? 0))
            #expect(maxDifference(dense.transposeMultiply(y), b) <= 1e-10 * max(1, yDense.map(abs).max() ?? 0))
            // Every row and column is pivoted exactly once.
            #expect(Set(lu.pivotRows).count == shape.n && Set(lu.pivotColumns).count == shape.n)
        }
    }

    /// Markowitz pivoting keeps a sparse factor sparse: an arrow matrix with the dense row
    /// and column first would fill completely in natural order but not here.
    @Test func arrowMatrixDoesNotFill() throws {
        let n = 50
        var triplets: [(row: Int, column: Int, value: Double)] = [(0, 0, Double(n))]
        for k in 1..<n {
            triplets.append((k, k, 2))
            triplets.append((0, k, 1))
            triplets.append((k, 0, 1))
        }
        let a = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
        let lu = try SparseLU(a)
        #expect(lu.factorNonzeroCount <= a.nonzeroCount + n)
        let b = (0..<n).map { Double($0 % 5) - 2 }
        #expect(maxDifference(a.multiply(lu.solve(b)), b) <= 1e-12 * Double(n))
    }

    @Test func threshold1IsPartialPivotingWithinTheColumn() throws {
        // A small leading entry must not be chosen as pivot under u = 1.
        let a = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(0, 0, 1e-8), (1, 0, 1), (0, 1, 1), (1, 1, 1)])
        let lu = try SparseLU(a, pivotThreshold: 1)
        let x = lu.solve([1, 2])
        #expect(maxDifference(a.multiply(x), [1, 2]) <= 1e-14)
    }

    @Test func singularMatricesAreDetected() throws {
        // Structurally singular: an empty column.
        let empty = try SparseMatrix(rowCount: 3, columnCount: 3, triplets: [(0, 0, 1), (1, 0, 2), (2, 2, 1)])
        #expect(throws: LinearAlgebraError.self) { try SparseLU(empty) }
        // Structurally singular: two columns sharing one row only.
        let shared = try SparseMatrix(rowCount: 3, columnCount: 3, triplets: [(0, 0, 1), (0, 1, 3), (1, 2, 1), (2, 2, 1)])
        #expect(throws: LinearAlgebraError.self) { try SparseLU(shared) }
        // Numerically singular: column 2 = column 0 + column 1.
        let dependent = try SparseMatrix(rowCount: 3, columnCount: 3, triplets: [
            (0, 0, 1), (1, 0, 2), (0, 1, 3), (2, 1, 1), (0, 2, 4), (1, 2, 2), (2, 2, 1)])
        #expect(throws: LinearAlgebraError.self) { try SparseLU(dependent) }
        // Malformed input is an error, not a crash.
        #expect(throws: LinearAlgebraError.self) {
            try SparseLU(dimension: 2, columnStarts: [0, 1, 2], rowIndices: [0, 5], values: [1, 1])
        }
    }

    /// With `allowSingular` the factorization reports as many unpivoted columns as rows,
    /// and putting unit columns of those rows in those columns makes the matrix factorable
    /// (what the simplex's basis repair does with slacks).
    @Test func singularColumnsAreReportedForRepair() throws {
        // Columns 1 and 3 duplicate columns 0 and 2 up to scale: rank 3 of 5.
        let columns: [[(Int, Double)]] = [[(0, 1), (1, 2)], [(0, 2), (1, 4)], [(2, 1), (3, 1)], [(2, -3), (3, -3)], [(4, 5)]]
        func csc(_ columns: [[(Int, Double)]]) -> (starts: [Int], rows: [Int], values: [Double]) {
            var starts = [0], rows: [Int] = [], values: [Double] = []
            for column in columns {
                for (i, v) in column { rows.append(i); values.append(v) }
                starts.append(rows.count)
            }
            return (starts, rows, values)
        }
        let a = csc(columns)
        let lu = try SparseLU(dimension: 5, columnStarts: a.starts, rowIndices: a.rows, values: a.values, allowSingular: true)
        #expect(!lu.isComplete)
        #expect(lu.singularColumns.count == 2 && lu.singularRows.count == 2)
        #expect(Set(lu.singularColumns).isDisjoint(with: [4]))
        var repaired = columns
        for (j, i) in zip(lu.singularColumns, lu.singularRows) { repaired[j] = [(i, -1)] }
        let b = csc(repaired)
        let fixed = try SparseLU(dimension: 5, columnStarts: b.starts, rowIndices: b.rows, values: b.values)
        #expect(fixed.isComplete)
        #expect(throws: LinearAlgebraError.self) {
            try SparseLU(dimension: 5, columnStarts: a.starts, rowIndices: a.rows, values: a.values)
        }
    }

    /// Only the dependent columns are reported, however early the elimination meets
    /// them: here one of two multiples of e₀ empties after the first pivot while four
    /// independent columns are still active. Before: all five were reported, and a simplex
    /// replaced four good basic columns with slacks.
    @Test func anEarlyDependentColumnIsTheOnlyOneReported() throws {
        let columns: [[(Int, Double)]] = [[(0, 1)], [(0, 2)], [(1, 1), (2, 1)], [(2, 1), (3, 1)], [(3, 1), (4, 1)], [(4, 1), (5, 1)]]
        var starts = [0], rows: [Int] = [], values: [Double] = []
        for column in columns {
            for (i, v) in column { rows.append(i); values.append(v) }
            starts.append(rows.count)
        }
        let lu = try SparseLU(dimension: 6, columnStarts: starts, rowIndices: rows, values: values, allowSingular: true)
        #expect(!lu.isComplete)
        #expect(lu.singularColumns.count == 1 && lu.singularRows.count == 1)
        #expect(Set(lu.singularColumns).isSubset(of: [0, 1]))
    }

    @Test func duplicatesAreSummedAndStopIsHonoured() throws {
        let lu = try SparseLU(dimension: 2, columnStarts: [0, 3, 4], rowIndices: [0, 0, 1, 1], values: [1, 1, 1, 3])
        // A = [[2, 0], [1, 3]].
        #expect(maxDifference(lu.solve([2, 4]), [1, 1]) <= 1e-15)
        let big = try randomSquare(100, density: 0.05, slackShare: 0, seed: 5)
        #expect(throws: LinearAlgebraError.interrupted) { try SparseLU(big, shouldStop: { true }) }
    }
}

/// The hyper-sparse solves against the dense ones on random sparse matrices, with
/// right-hand sides from one nonzero (the graph search) to dense (the fallback), in both
/// directions and reusing one workspace: equal to 1e-12, zero outside the returned pattern,
/// the pattern free of duplicates, and the workspace left clean for the next solve.
@Suite struct SparseLUHyperSparseTests {
    @Test(arguments: [(n: 200, density: 0.004, slacks: 0.6), (n: 400, density: 0.002, slacks: 0.3),
                      (n: 60, density: 0.05, slacks: 0.0), (n: 1, density: 0.0, slacks: 0.0)])
    func patternSolvesMatchDense(_ shape: (n: Int, density: Double, slacks: Double)) throws {
        let n = shape.n
        for seed in UInt64(1)...3 {
            let a = try randomSquare(n, density: shape.density, slackShare: shape.slacks, seed: seed &* 104_729 &+ UInt64(n))
            let lu = try SparseLU(a)
            var workspace = SparseLUWorkspace(dimension: n)
            var rng = SeededGenerator(seed: seed)
            for nonzeros in [1, 2, 5, n / 4, n] where nonzeros >= 1 && nonzeros <= n {
                var rhs = Array(repeating: 0.0, count: n)
                var indices = Array(0..<n)
                for k in stride(from: n - 1, to: 0, by: -1) { indices.swapAt(k, rng.nextIndex(below: k + 1)) }
                let pattern = Array(indices.prefix(nonzeros))
                for i in pattern { rhs[i] = rng.nextGaussian() }
                for transposed in [false, true] {
                    let reference = transposed ? lu.solveTransposed(rhs) : lu.solve(rhs)
                    var x = rhs, resultPattern = pattern
                    if transposed {
                        lu.solveTransposed(&x, pattern: &resultPattern, workspace: &workspace)
                    } else {
                        lu.solve(&x, pattern: &resultPattern, workspace: &workspace)
                    }
                    let scale = max(1, reference.map(abs).max() ?? 0)
                    #expect(maxDifference(x, reference) <= 1e-12 * scale, "n=\(n) seed=\(seed) nnz=\(nonzeros) T=\(transposed)")
                    #expect(Set(resultPattern).count == resultPattern.count)
                    let listed = Set(resultPattern)
                    #expect((0..<n).allSatisfy { listed.contains($0) || x[$0] == 0 })
                    #expect(workspace.values.allSatisfy { $0 == 0 })
                }
            }
        }
    }
}
