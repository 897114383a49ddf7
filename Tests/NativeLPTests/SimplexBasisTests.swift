import LagrangeCore
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// ``SimplexBasis``'s sparse-pattern solves (the crossover push's) against its dense ones,
/// on random sparse bases of [A −I] with a growing eta file: equal to 1e-12, zero outside
/// the returned pattern, and the pattern free of duplicates.
@Suite struct SimplexBasisTests {
    @Test(arguments: [(m: 300, n: 400, perColumn: 2), (m: 120, n: 200, perColumn: 4), (m: 2, n: 3, perColumn: 1)])
    func patternSolvesMatchDense(_ shape: (m: Int, n: Int, perColumn: Int)) throws {
        let m = shape.m, n = shape.n
        for seed in UInt64(1)...3 {
            var rng = SeededGenerator(seed: seed &* 31 &+ UInt64(m))
            var triplets: [(row: Int, column: Int, value: Double)] = []
            for j in 0..<n {
                var rows = Set<Int>()
                for _ in 0..<shape.perColumn { rows.insert(rng.nextIndex(below: m)) }
                for i in rows { triplets.append((i, j, rng.nextGaussian())) }
            }
            let a = try SparseMatrix(rowCount: m, columnCount: n, triplets: triplets)
            // Half structural columns, the rest slacks; deficient positions get their rows' slacks.
            var basis = (0..<m).map { i in i % 2 == 0 ? rng.nextIndex(below: n) : n + i }
            var factor = SimplexBasis(rowCount: m)
            for _ in 0..<5 {
                let deficient = try factor.refactor(matrix: a, structuralCount: n, basis: basis)
                if deficient.isEmpty { break }
                for (position, row) in deficient { basis[position] = n + row }
            }
            func column(_ j: Int) -> [Double] {
                var x = Array(repeating: 0.0, count: m)
                if j >= n { x[j - n] = -1 } else {
                    for p in a.columnStarts[j]..<a.columnStarts[j + 1] { x[a.rowIndices[p]] = a.values[p] }
                }
                return x
            }
            func check(_ rhs: [Double], transposed: Bool) {
                var reference = rhs
                if transposed { factor.solveTransposed(&reference) } else { factor.solve(&reference) }
                var x = rhs
                var pattern = rhs.indices.filter { rhs[$0] != 0 }
                if transposed { factor.solveTransposed(&x, pattern: &pattern) } else { factor.solve(&x, pattern: &pattern) }
                let scale = max(1, reference.map(abs).max() ?? 0)
                let difference = zip(x, reference).map { abs($0 - $1) }.max() ?? 0
                #expect(difference <= 1e-12 * scale, "m=\(m) seed=\(seed) T=\(transposed) updates=\(factor.updateCount)")
                #expect(Set(pattern).count == pattern.count)
                let listed = Set(pattern)
                #expect((0..<m).allSatisfy { listed.contains($0) || x[$0] == 0 })
            }
            for _ in 0..<40 {
                // Unit vectors (ρ_r) and columns of [A −I] (α_q), then a pivot on the largest |α|.
                let r = rng.nextIndex(below: m)
                var unit = Array(repeating: 0.0, count: m)
                unit[r] = 1
                check(unit, transposed: true)
                let q = rng.nextIndex(below: n + m)
                check(column(q), transposed: false)
                guard !basis.contains(q) else { continue }
                var alpha = column(q)
                factor.solve(&alpha)
                var pattern = alpha.indices.filter { alpha[$0] != 0 }
                guard let row = pattern.max(by: { abs(alpha[$0]) < abs(alpha[$1]) }), abs(alpha[row]) > 0.1 else { continue }
                pattern.shuffle(using: &rng)
                factor.update(row: row, alpha: alpha, pattern: pattern)
                basis[row] = q
            }
            #expect(factor.updateCount > 0)
        }
    }
}
