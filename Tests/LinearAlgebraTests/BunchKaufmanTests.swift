import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import Testing

/// ``DenseSymmetricIndefinite``: inertia against matrices built with known eigenvalue signs,
/// and solutions against the matrix-vector product.
@Suite("Dense Bunch–Kaufman LDLᵀ")
struct BunchKaufmanTests {
    /// Q·diag(eigenvalues)·Qᵀ with Q a product of two Householder reflections from a fixed seed,
    /// so the inertia is the signs of `eigenvalues` by construction.
    static func matrix(eigenvalues: [Double], seed: UInt64) -> [Double] {
        let n = eigenvalues.count
        var rng = SeededGenerator(seed: seed)
        var a = Array(repeating: 0.0, count: n * n)
        for i in 0..<n { a[i * n + i] = eigenvalues[i] }
        for _ in 0..<2 {
            let v = (0..<n).map { _ in rng.nextGaussian() }
            let vv = v.reduce(0) { $0 + $1 * $1 }
            // H A H with H = I − 2vvᵀ/vᵀv, applied on both sides.
            var h = Array(repeating: 0.0, count: n * n)
            for i in 0..<n { for j in 0..<n { h[i * n + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
            func multiply(_ x: [Double], _ y: [Double]) -> [Double] {
                var out = Array(repeating: 0.0, count: n * n)
                for i in 0..<n { for k in 0..<n where x[i * n + k] != 0 { for j in 0..<n { out[i * n + j] += x[i * n + k] * y[k * n + j] } } }
                return out
            }
            a = multiply(multiply(h, a), h)
        }
        return a
    }

    @Test("inertia of Q·diag(λ)·Qᵀ is the signs of λ, zeros included", arguments: [
        [3.0, -2.0, 1.0, -0.5, 4.0],
        [1e-3, -1e3, 2.0, -7.0, 0.0, 5.0],
        [-1.0, -2.0, -3.0],
        [2.0, 0.0, 0.0, -1.0],
    ])
    func inertia(eigenvalues: [Double]) {
        let a = Self.matrix(eigenvalues: eigenvalues, seed: 7)
        let f = DenseSymmetricIndefinite(a, order: eigenvalues.count, zeroTolerance: 1e-10)
        #expect(f.inertia.positive == eigenvalues.filter { $0 > 0 }.count)
        #expect(f.inertia.negative == eigenvalues.filter { $0 < 0 }.count)
        #expect(f.inertia.zero == eigenvalues.filter { $0 == 0 }.count)
    }

    @Test("a zero diagonal forces 2×2 pivots: [[0, 1], [1, 0]] has inertia (1, 1, 0) and solves exactly")
    func twoByTwo() {
        let f = DenseSymmetricIndefinite([0, 1, 1, 0], order: 2)
        #expect(f.inertia == (1, 1, 0))
        let x = f.solve([3, 5])
        #expect(isClose(x[0], 5, relative: 1e-15) && isClose(x[1], 3, relative: 1e-15))
    }

    @Test("an interior-point KKT matrix [H + Σ, Aᵀ; A, 0] with Σ from 1e-9 to 1e9: inertia (n, m, 0) and a residual at rounding")
    func kktSolve() {
        let n = 6, m = 3
        var rng = SeededGenerator(seed: 11)
        var k = Array(repeating: 0.0, count: (n + m) * (n + m))
        let order = n + m
        for i in 0..<n {
            for j in 0...i {
                let h = i == j ? 2 + rng.nextUnit() : 0.3 * rng.nextGaussian()
                k[i * order + j] = h
                k[j * order + i] = h
            }
            k[i * order + i] += i % 2 == 0 ? 1e9 : 1e-9
        }
        for r in 0..<m { for j in 0..<n { let a = rng.nextGaussian(); k[(n + r) * order + j] = a; k[j * order + n + r] = a } }
        let f = DenseSymmetricIndefinite(k, order: order)
        #expect(f.inertia == (n, m, 0))
        let b = (0..<order).map { _ in rng.nextGaussian() }
        let x = f.solve(b)
        var residual = 0.0
        for i in 0..<order {
            var s = 0.0
            for j in 0..<order { s += k[i * order + j] * x[j] }
            residual = max(residual, abs(s - b[i]))
        }
        #expect(residual <= 1e-6, "residual \(residual)")
    }
}
