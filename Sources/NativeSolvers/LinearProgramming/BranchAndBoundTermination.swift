import LagrangeCore

// `native.branch-and-bound`'s termination: the search ends when every open node is pruned,
// and a node is pruned when its (effective) bound reaches the cutoff set by the incumbent
// and the gap tolerances (`mip_gap`, `mip_gap_abs`); otherwise a limit stops it with the
// incumbent, the best bound and the gap (``BranchAndBoundSearch/run()``).

extension BranchAndBoundSearch {
    /// What an LP bound proves about the integer points below it: itself, or rounded up
    /// to the next attainable value when the objective lies on a grid c₀ + g·ℤ (the bound
    /// is first lowered by 1e-6 relative, so an LP value a hair above a grid point from
    /// rounding noise stays at that point).
    func effectiveBound(_ bound: Double) -> Double {
        guard let g = objectiveGranularity, bound.isFinite else { return bound }
        let c0 = root.objectiveConstant
        return ((bound - c0 - 1e-6 * max(1, abs(bound))) / g).rounded(.up) * g + c0
    }

    /// The largest g with every nonzero cost an integer multiple of g, when only integer
    /// columns have costs: the costs times a small scale s (1, 2, 4, 5, 10, …, 10⁴) must be
    /// integers (to 1e-12 relative, far inside the 1e-6 that ``effectiveBound(_:)`` allows)
    /// of at most 1e12, and g is their greatest common divisor over s. nil when a continuous
    /// column has a cost, when every cost is 0, or when no scale makes the costs integral.
    static func objectiveGranularity(_ costs: [Double], isInteger: [Bool]) -> Double? {
        var magnitudes: [Double] = []
        for (j, c) in costs.enumerated() where c != 0 {
            guard j < isInteger.count, isInteger[j], c.isFinite else { return nil }
            magnitudes.append(abs(c))
        }
        guard !magnitudes.isEmpty else { return nil }
        func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }
        scales: for scale in [1.0, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 25, 32, 40, 50, 64, 100, 128, 200, 250, 1000, 10_000] {
            var common: UInt64 = 0
            for c in magnitudes {
                let scaled = c * scale, whole = scaled.rounded()
                guard whole >= 1, whole <= 1e12, abs(scaled - whole) <= 1e-12 * whole else { continue scales }
                common = gcd(common, UInt64(whole))
            }
            return Double(common) / scale
        }
        return nil
    }

    /// The prune threshold: a node whose bound is at or above it cannot improve the
    /// incumbent by more than the gap tolerances.
    var cutoff: Double {
        guard incumbent.isFinite else { return .infinity }
        return incumbent - max(settings.absoluteGap, settings.relativeGap * max(1, abs(incumbent)))
    }
}
