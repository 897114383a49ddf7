import Foundation
import LagrangeCore

/// The seeds' gradient test: along a direction d, as ε halves,
/// r₁(ε) = |f(x+εd) − f(x)| shrinks like O(ε) (ratio → 2) and
/// r₂(ε) = |f(x+εd) − f(x) − ε dᵀ∇f(x)| like O(ε²) (ratio → 4). A wrong gradient leaves an
/// O(ε) term in r₂, so its ratio stays near 2.
///
/// The check passes when the observed order of r₂ (log₂ of successive ratios, median over
/// the halvings where r₂ is above the rounding floor) is at least 1.5, or when r₂ stays at
/// the rounding floor throughout (f linear along d: the gradient is exact to rounding).
public enum GradientCheck {
    /// Runs the check at `x` along a fixed pseudo-random unit direction (seed `seed`),
    /// from ε₀ = 2⁻⁴·max(1, ‖x‖∞) over `halvings` halvings.
    public static func run(objective: any SmoothObjective, at x: [Double], seed: UInt64 = 1,
                           halvings: Int = 16) -> GradientCheckReport {
        let n = objective.dimension
        var generator = SeededGenerator(seed: seed)
        var d = (0..<n).map { _ in generator.nextGaussian() }
        let norm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
        d = norm > 0 ? d.map { $0 / norm } : Array(repeating: 1 / Double(n).squareRoot(), count: n)
        return run(objective: objective, at: x, direction: d, halvings: halvings)
    }

    /// Runs the check along a given direction.
    public static func run(objective: any SmoothObjective, at x: [Double], direction d: [Double],
                           halvings: Int = 16) -> GradientCheckReport {
        var gradient = Array(repeating: 0.0, count: objective.dimension)
        let f0 = objective.valueAndGradient(at: x, gradient: &gradient)
        var slope = 0.0
        for i in 0..<d.count { slope += d[i] * gradient[i] }
        var epsilon = 0.0625 * max(1, x.reduce(0) { max($0, Swift.abs($1)) })
        var rows: [GradientCheckReport.Row] = []
        var point = x
        for _ in 0...max(1, halvings) {
            for i in 0..<x.count { point[i] = x[i] + epsilon * d[i] }
            let f = objective.value(at: point)
            rows.append(.init(epsilon: epsilon, firstOrder: Swift.abs(f - f0), secondOrder: Swift.abs(f - f0 - epsilon * slope)))
            epsilon /= 2
        }
        // Rounding floor of f(x+εd) − f(x): a few ulps of |f| plus of the gradient term.
        let floor = 64 * Double.ulpOfOne * max(Swift.abs(f0), 1e-300)
        var firstOrders: [Double] = [], secondOrders: [Double] = []
        for k in 1..<rows.count {
            let a = rows[k - 1], b = rows[k]
            if b.firstOrder > 1e3 * floor, a.firstOrder > 0 { firstOrders.append(Foundation.log2(a.firstOrder / b.firstOrder)) }
            if b.secondOrder > 1e3 * floor, a.secondOrder > 0 { secondOrders.append(Foundation.log2(a.secondOrder / b.secondOrder)) }
        }
        func median(_ v: [Double]) -> Double? {
            guard !v.isEmpty else { return nil }
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
        }
        let order1 = median(firstOrders), order2 = median(secondOrders)
        let finite = f0.isFinite && gradient.allSatisfy(\.isFinite)
        let passed = finite && (order2.map { $0 >= 1.5 } ?? true)
        return GradientCheckReport(value: f0, directionalDerivative: slope, rows: rows, firstOrder: order1,
                                   secondOrder: order2, passed: passed)
    }
}

/// The outcome of a ``GradientCheck``: the table of residuals and the observed orders.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// One step of the check: the residuals r₁ and r₂ at one step length ε (ε halves from row to row).
    public struct Row: Sendable, Equatable {
        /// The step length ε along the direction d; the first row uses 0.0625·max(1, ‖x‖∞).
        public var epsilon: Double
        /// |f(x+εd) − f(x)|.
        public var firstOrder: Double
        /// |f(x+εd) − f(x) − ε dᵀ∇f(x)|.
        public var secondOrder: Double
    }
    /// f(x).
    public var value: Double
    /// dᵀ∇f(x) from the supplied gradient.
    public var directionalDerivative: Double
    /// One row per step length, ε decreasing (halved each row); ``description`` prints them as a table.
    public var rows: [Row]
    /// Median observed order of r₁ (≈ 1), nil when r₁ stays at the rounding floor.
    public var firstOrder: Double?
    /// Median observed order of r₂ (≈ 2 for a correct gradient), nil at the rounding floor.
    public var secondOrder: Double?
    /// True when f(x) and the gradient are finite and r₂ shrinks at order ≥ 1.5 (or stays at the
    /// rounding floor); false means the gradient does not match f.
    public var passed: Bool

    /// A text table: ε, r₁, r₁ ratio, r₂, r₂ ratio, then the verdict.
    public var description: String {
        func e(_ v: Double) -> String { String(format: "%.3e", v) }
        var lines = ["gradient check: f(x) = \(e(value)), d·∇f = \(e(directionalDerivative))",
                     "  epsilon      |f(x+εd)-f(x)|  ratio   |f(x+εd)-f(x)-ε d·∇f|  ratio"]
        for (k, r) in rows.enumerated() {
            let ratio1 = k > 0 && r.firstOrder > 0 ? String(format: "%6.2f", rows[k - 1].firstOrder / r.firstOrder) : "      "
            let ratio2 = k > 0 && r.secondOrder > 0 ? String(format: "%6.2f", rows[k - 1].secondOrder / r.secondOrder) : "      "
            lines.append("  \(e(r.epsilon))  \(e(r.firstOrder))       \(ratio1)  \(e(r.secondOrder))              \(ratio2)")
        }
        let o1 = firstOrder.map { String(format: "%.2f", $0) } ?? "at rounding level"
        let o2 = secondOrder.map { String(format: "%.2f", $0) } ?? "at rounding level"
        lines.append("  observed order: first \(o1) (expect 1), second \(o2) (expect 2)")
        lines.append(passed ? "  PASS: the gradient is consistent with f" : "  FAIL: the gradient does not match f (the remainder shrinks like O(ε), not O(ε²))")
        return lines.joined(separator: "\n")
    }
}
