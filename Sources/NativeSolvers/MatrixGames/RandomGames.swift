import LagrangeCore
import LinearAlgebra

extension MatrixGame {
    /// A random m×n game with integer payoffs in [−`bound`, `bound`], row-major, each
    /// `nextIndex(below: 2·bound + 1) − bound` of `SeededGenerator(seed:)`: the instances
    /// of the games benchmark (docs/benchmarks-games.md, seed n for an n×n game) and of the
    /// tests against the simplex, the same on every machine.
    package static func randomIntegers(rows m: Int, columns n: Int, seed: UInt64, bound: Int = 9,
                                      name: String? = nil) throws -> MatrixGame {
        var generator = SeededGenerator(seed: seed)
        var storage: [Double] = []
        storage.reserveCapacity(m * n)
        for _ in 0..<(m * n) { storage.append(Double(generator.nextIndex(below: 2 * bound + 1) - bound)) }
        return try MatrixGame(name: name ?? "random_\(m)x\(n)_s\(seed)", payoff: try DenseMatrix(rows: m, columns: n, storage: storage))
    }
}
