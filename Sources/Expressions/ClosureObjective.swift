import Foundation
import LagrangeCore

/// A ``SmoothObjective`` from Swift closures, for library users:
///
/// ```swift
/// let rosenbrock = ClosureObjective(dimension: 2) { x in
///     100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0])
/// }
/// ```
///
/// A missing gradient is computed by central differences (step ∛ε·max(1, |xᵢ|), error
/// O(h²)); a missing Hessian by central differences of the gradient, symmetrized. Check a
/// hand-written gradient with ``GradientCheck``.
public struct ClosureObjective: SmoothObjective, Sendable {
    /// The number of variables.
    public let dimension: Int
    /// f(x).
    public let function: @Sendable ([Double]) -> Double
    /// ∇f(x), when given; else central finite differences.
    public let gradientFunction: (@Sendable ([Double]) -> [Double])?
    /// The Hessian ∇²f(x), row-major n × n, when given.
    public let hessianFunction: (@Sendable ([Double]) -> [Double])?
    /// Whether f is known to be convex (lets solvers report `optimal`, not `locally_optimal`).
    public let isConvex: Bool

    /// - Parameters:
    ///   - dimension: n.
    ///   - gradient: ∇f(x) with n entries; nil → central differences.
    ///   - hessian: ∇²f(x), dense row-major n×n; nil → central differences of the gradient.
    ///   - isConvex: whether f is known convex (lets solvers report `optimal`).
    ///   - function: f(x).
    public init(dimension: Int, gradient: (@Sendable ([Double]) -> [Double])? = nil,
                hessian: (@Sendable ([Double]) -> [Double])? = nil, isConvex: Bool = false,
                function: @escaping @Sendable ([Double]) -> Double) {
        self.dimension = dimension
        self.function = function
        self.gradientFunction = gradient
        self.hessianFunction = hessian
        self.isConvex = isConvex
    }

    /// f(x).
    public func value(at x: [Double]) -> Double { function(x) }

    /// True when a Hessian closure was given.
    public var hasExactHessian: Bool { hessianFunction != nil }

    /// f(x), writing ∇f(x) into `gradient`.
    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        if let gradientFunction {
            let g = gradientFunction(x)
            if g.count == dimension { gradient = g } else { gradient = Array(repeating: .nan, count: dimension) }
        } else {
            gradient = FiniteDifferences.gradient(of: function, at: x)
        }
        return function(x)
    }

    /// The Hessian, when one was given.
    public func hessian(at x: [Double]) -> [Double]? { hessian(at: x, shouldStop: { false }) }

    /// The given Hessian in one piece, or central differences asking `shouldStop` before
    /// each pair of gradients.
    public func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]? {
        if let hessianFunction {
            let h = hessianFunction(x)
            return h.count == dimension * dimension ? h : nil
        }
        return FiniteDifferences.hessian(of: self, at: x, shouldStop: shouldStop)
    }
}

/// Central-difference derivatives (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1).
package enum FiniteDifferences {
    /// Step for central differences of a function of xᵢ: ∛ε·max(1, |xᵢ|).
    static func step(_ xi: Double) -> Double { 6.0555e-6 * max(1, Swift.abs(xi)) }

    /// ∇f(x) by central differences, error O(h²).
    package static func gradient(of f: ([Double]) -> Double, at x: [Double]) -> [Double] {
        var point = x
        var g = Array(repeating: 0.0, count: x.count)
        for i in 0..<x.count {
            let h = step(x[i])
            point[i] = x[i] + h
            let up = f(point)
            point[i] = x[i] - h
            let down = f(point)
            point[i] = x[i]
            g[i] = (up - down) / (2 * h)
        }
        return g
    }

    /// ∇²f(x) by central differences of the objective's gradient, symmetrized.
    package static func hessian(of objective: any SmoothObjective, at x: [Double]) -> [Double] {
        // Never nil: nothing asks it to stop.
        hessian(of: objective, at: x, shouldStop: { false }) ?? []
    }

    /// The same, asking `shouldStop` before each pair of gradients (2n gradients in all);
    /// nil once it says stop.
    package static func hessian(of objective: any SmoothObjective, at x: [Double], shouldStop: () -> Bool) -> [Double]? {
        let n = x.count
        var h = Array(repeating: 0.0, count: n * n)
        var point = x
        var up = Array(repeating: 0.0, count: n), down = up
        for j in 0..<n {
            if shouldStop() { return nil }
            let step = step(x[j])
            point[j] = x[j] + step
            _ = objective.valueAndGradient(at: point, gradient: &up)
            point[j] = x[j] - step
            _ = objective.valueAndGradient(at: point, gradient: &down)
            point[j] = x[j]
            for i in 0..<n { h[i * n + j] = (up[i] - down[i]) / (2 * step) }
        }
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = 0.5 * (h[i * n + j] + h[j * n + i])
                h[i * n + j] = s
                h[j * n + i] = s
            }
        }
        return h
    }
}
