import Expressions
import LagrangeCore
import LinearAlgebra

/// The objective as the methods see it: always minimized (f negated for `maximize`), with
/// evaluation counters and derivative fallbacks (finite differences of the gradient when the
/// objective has no Hessian or Hessian–vector product).
final class SmoothEvaluation {
    let objective: any SmoothObjective
    /// +1 to minimize f, −1 to maximize it (minimize −f).
    let sign: Double
    let dimension: Int
    private(set) var functionEvaluations = 0
    private(set) var gradientEvaluations = 0
    private(set) var hessianEvaluations = 0

    init(_ problem: SmoothProblem) {
        objective = problem.objective
        sign = problem.sense == .maximize ? -1 : 1
        dimension = problem.objective.dimension
    }

    /// Whether the minimized function (sign·f) is known convex.
    var isKnownConvex: Bool { sign > 0 ? objective.isConvex : objective.isConcave }

    func value(_ x: [Double]) -> Double {
        functionEvaluations += 1
        return sign * objective.value(at: x)
    }

    func valueAndGradient(_ x: [Double], _ gradient: inout [Double]) -> Double {
        functionEvaluations += 1
        gradientEvaluations += 1
        let f = objective.valueAndGradient(at: x, gradient: &gradient)
        if sign < 0 { for i in 0..<gradient.count { gradient[i] = -gradient[i] } }
        return sign * f
    }

    /// The dense Hessian of sign·f (finite differences of the gradient when unavailable), or
    /// nil when `shouldStop` said stop while it was being formed.
    func hessian(_ x: [Double], shouldStop: () -> Bool) -> [Double]? {
        hessianEvaluations += 1
        var h: [Double]
        if let exact = objective.hessian(at: x, shouldStop: shouldStop) {
            h = exact
        } else {
            // nil: no Hessian, or a stop while forming it (shouldStop keeps answering true).
            if shouldStop() { return nil }
            gradientEvaluations += 2 * dimension
            guard let differences = FiniteDifferences.hessian(of: objective, at: x, shouldStop: shouldStop) else { return nil }
            h = differences
        }
        if sign < 0 { for i in 0..<h.count { h[i] = -h[i] } }
        return h
    }

    /// ∇²(sign·f)(x)·v (a forward difference of gradients when unavailable).
    func hessianVector(_ x: [Double], _ v: [Double]) -> [Double] {
        hessianEvaluations += 1
        if var hv = objective.hessianVectorProduct(at: x, direction: v) {
            if sign < 0 { for i in 0..<hv.count { hv[i] = -hv[i] } }
            return hv
        }
        let norm = Vector.norm2(v)
        guard norm > 0 else { return Array(repeating: 0, count: dimension) }
        let h = 1.4901161193847656e-8 * max(1, Vector.norm2(x)) / norm
        var g0 = Array(repeating: 0.0, count: dimension), g1 = g0
        let xh = (0..<dimension).map { x[$0] + h * v[$0] }
        _ = valueAndGradient(x, &g0)
        _ = valueAndGradient(xh, &g1)
        return (0..<dimension).map { (g1[$0] - g0[$0]) / h }
    }

    /// The counters as history extras, always in this order.
    var counters: [Metric] {
        [Metric("f_evals", Double(functionEvaluations)), Metric("grad_evals", Double(gradientEvaluations)),
         Metric("hess_evals", Double(hessianEvaluations))]
    }
}

/// Current iterate of a smooth method: x, f(x) (minimized sense), ∇f(x), ‖∇f(x)‖₂.
struct SmoothState {
    var x: [Double]
    var f: Double
    var gradient: [Double]
    var gradientNorm: Double

    var isFinite: Bool { f.isFinite && gradientNorm.isFinite && x.allSatisfy(\.isFinite) }
}

/// What one step of a method did.
enum SmoothStep {
    /// Moved to the new state; `step` is the step length (‖Δx‖ or the line-search t, per method).
    case moved(step: Double, extras: [Metric])
    /// Could not make progress (line search failed); the state is unchanged.
    case stalled(String)
    /// A limit or cancellation was met inside the step (e.g. during a factorization); the
    /// state is unchanged.
    case stopped(TerminationStatus)
}
