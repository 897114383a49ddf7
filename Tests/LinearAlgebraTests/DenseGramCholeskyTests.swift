import LagrangeCore
import LinearAlgebra
import Testing

/// The blocked kernels of the dense game interior point against plain loops and
/// ``DenseCholesky``. Sizes are not multiples of the 4×2 tile, the 16-row block, the
/// 256-entry stretch or the 32-column panel, so every edge path runs.
@Suite struct DenseGramCholeskyTests {
    /// G (k×l) with Gaussian entries, positive weights and diagonal, from a seed.
    static func instance(rows k: Int, columns l: Int, seed: UInt64) -> (g: [Double], weights: [Double], diagonal: [Double]) {
        var rng = SeededGenerator(seed: seed)
        let g = (0..<(k * l)).map { _ in rng.nextGaussian() }
        let weights = (0..<l).map { _ in 0.1 + rng.nextUnit() }
        let diagonal = (0..<k).map { _ in 0.01 + rng.nextUnit() }
        return (g, weights, diagonal)
    }

    static func gram(_ g: [Double], rows k: Int, columns l: Int, weights: [Double], diagonal: [Double]) -> [Double] {
        var result = [Double](repeating: .nan, count: k * k)
        let scratch = [Double](repeating: 0, count: DenseGramCholesky.scratchCount)
        var work = scratch
        g.withUnsafeBufferPointer { gb in
            weights.withUnsafeBufferPointer { e in
                diagonal.withUnsafeBufferPointer { d in
                    result.withUnsafeMutableBufferPointer { c in
                        work.withUnsafeMutableBufferPointer { DenseGramCholesky.weightedGram(gb, rows: k, columns: l, weights: e, diagonal: d, result: c, scratch: $0) }
                    }
                }
            }
        }
        return result
    }

    @Test("G·diag(e)·Gᵀ + diag(d) matches the triple loop on the lower triangle",
          arguments: [(1, 1), (3, 5), (37, 53), (70, 600)])
    func weightedGram(k: Int, l: Int) {
        let (g, e, d) = Self.instance(rows: k, columns: l, seed: UInt64(k * 1000 + l))
        let result = Self.gram(g, rows: k, columns: l, weights: e, diagonal: d)
        var worst = 0.0
        for i in 0..<k {
            for j in 0...i {
                var reference = i == j ? d[i] : 0
                for t in 0..<l { reference += g[i * l + t] * e[t] * g[j * l + t] }
                worst = max(worst, abs(result[i * k + j] - reference) / max(1, abs(reference)))
            }
        }
        #expect(worst <= 1e-12, "k = \(k), l = \(l): worst relative difference \(worst)")
    }

    @Test("The blocked Cholesky solves what DenseCholesky solves, and LLᵀ gives the matrix back",
          arguments: [1, 2, 31, 33, 97])
    func cholesky(k: Int) throws {
        let l = k + 7
        let (g, e, d) = Self.instance(rows: k, columns: l, seed: UInt64(k))
        var factor = Self.gram(g, rows: k, columns: l, weights: e, diagonal: d)
        var full = DenseMatrix(rows: k, columns: k)
        for i in 0..<k { for j in 0...i { full[i, j] = factor[i * k + j]; full[j, i] = factor[i * k + j] } }
        let outcome = factor.withUnsafeMutableBufferPointer { DenseGramCholesky.factor($0, order: k) }
        #expect(outcome.replacedPivots == 0)
        var worst = 0.0
        for i in 0..<k {
            for j in 0...i {
                var product = 0.0
                for t in 0...j { product += factor[i * k + t] * factor[j * k + t] }
                worst = max(worst, abs(product - full[i, j]) / max(1, abs(full[i, j])))
            }
        }
        #expect(worst <= 1e-12, "LLᵀ − A: \(worst)")
        let b = (0..<k).map { Double($0 % 5) - 2 }
        let reference = try DenseCholesky(full).solve(b)
        var x = b
        factor.withUnsafeBufferPointer { f in x.withUnsafeMutableBufferPointer { DenseGramCholesky.solve(f, order: k, rhs: $0) } }
        let residual = zip(full.multiply(x), b).map { abs($0 - $1) }.max() ?? 0
        #expect(residual <= 1e-9, "residual \(residual)")
        #expect(zip(x, reference).allSatisfy { abs($0 - $1) <= 1e-8 * max(1, abs($1)) })
    }

    @Test("A rank-deficient matrix: the dependent pivot is replaced, the solve stays finite and consistent")
    func rankDeficient() {
        // Rows 0 and 1 of G equal: G·Gᵀ is singular; the second pivot collapses to round-off.
        let k = 3, l = 4
        let g: [Double] = [1, 2, 3, 4, 1, 2, 3, 4, 0, 1, 0, 1]
        var factor = Self.gram(g, rows: k, columns: l, weights: [1, 1, 1, 1], diagonal: [0, 0, 0])
        let outcome = factor.withUnsafeMutableBufferPointer { DenseGramCholesky.factor($0, order: k, pivotFloor: 1e-12) }
        #expect(outcome.replacedPivots == 1)
        // b in the range of G·Gᵀ: b = G·Gᵀ·(1, 0, 1) = (30 + 6, 30 + 6, 6 + 2).
        var x: [Double] = [36, 36, 8]
        factor.withUnsafeBufferPointer { f in x.withUnsafeMutableBufferPointer { DenseGramCholesky.solve(f, order: k, rhs: $0) } }
        #expect(x.allSatisfy { $0.isFinite })
        #expect(abs(x[1]) <= 1e-20, "the replaced unknown vanishes: \(x[1])")
        // G·Gᵀ·x reproduces b with x[1] = 0: row 0 of G·Gᵀ is (30, 30, 6), row 2 (6, 6, 2).
        #expect(abs(30 * x[0] + 6 * x[2] - 36) <= 1e-9 && abs(6 * x[0] + 2 * x[2] - 8) <= 1e-9)
    }
}
