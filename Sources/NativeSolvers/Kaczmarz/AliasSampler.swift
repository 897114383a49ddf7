import LagrangeCore

/// Draws indices 0..<n with probability proportional to given non-negative weights in O(1)
/// per draw: Walker's alias method in Vose's O(n) construction (Vose, "A linear algorithm
/// for generating random numbers with a given distribution", IEEE TSE 17, 1991).
///
/// Each draw takes one 53-bit uniform u from ``SeededGenerator/nextUnit()``: column
/// ⌊u·n⌋, then its own index if the fractional part is below the column's threshold, else
/// the column's alias. The construction is deterministic, so a seed fixes the draws.
package struct AliasSampler: Sendable {
    /// Probability of keeping column k (else take `alias[k]`).
    package private(set) var threshold: [Double]
    package private(set) var alias: [Int32]

    /// Builds the table. Weights must be finite and ≥ 0 with a positive sum (else nil).
    package init?(weights: [Double]) {
        let n = weights.count
        guard n > 0, n < Int(Int32.max) else { return nil }
        var total = 0.0
        for w in weights {
            guard w.isFinite, w >= 0 else { return nil }
            total += w
        }
        guard total > 0, total.isFinite else { return nil }
        var scaled = weights.map { $0 * Double(n) / total }
        threshold = Array(repeating: 1, count: n)
        alias = Array(0..<Int32(n))
        var small: [Int] = []
        var large: [Int] = []
        for k in 0..<n { if scaled[k] < 1 { small.append(k) } else { large.append(k) } }
        while let s = small.last, let l = large.last {
            small.removeLast()
            threshold[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1 // Vose's numerically careful order
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        // Leftovers are 1 up to rounding: keep them whole.
        for l in large { threshold[l] = 1 }
        for s in small { threshold[s] = 1 }
        // A zero-weight index must never be drawn, even through rounding leftovers.
        for k in 0..<n where weights[k] == 0 && threshold[k] > 0 {
            threshold[k] = 0
            if weights[Int(alias[k])] == 0 {
                // Point it at any index with weight; its column then always yields that one.
                if let any = weights.firstIndex(where: { $0 > 0 }) { alias[k] = Int32(any) }
            }
        }
        if threshold.count != n { return nil }
    }

    package var count: Int { threshold.count }

    /// One draw.
    @inline(__always)
    package func sample(_ generator: inout SeededGenerator) -> Int {
        let u = generator.nextUnit() * Double(threshold.count)
        var column = Int(u)
        if column >= threshold.count { column = threshold.count - 1 } // u < n always; guard rounding
        let fraction = u - Double(column)
        return fraction < threshold[column] ? column : Int(alias[column])
    }

    /// The probability the table assigns to index k (for tests).
    package func probability(of k: Int) -> Double {
        let n = Double(threshold.count)
        var p = threshold[k] / n
        for c in 0..<threshold.count where Int(alias[c]) == k && c != k { p += (1 - threshold[c]) / n }
        return p
    }
}
