import LagrangeCore
import LinearAlgebra

// The smooth family's termination: the gradient test, the relaxed test after a stall and
// their tolerance are ``SmoothTermination``'s (LagrangeCore, shared with the GSL methods);
// this file holds the native methods' second-order half of it.

extension SmoothDriver {
    /// When a method's stationary point gets the second-order test.
    enum SecondOrderPolicy {
        /// Only with an exact Hessian (``SmoothObjective/hasExactHessian``) and n ≤
        /// ``SmoothCertificateChecker/maximumDimension``: methods that do not use the Hessian.
        case exactHessian
        /// With whatever Hessian the method uses (finite differences included): Newton.
        case always
    }
}

/// The second-order test at a point that passed the gradient test of a function not known
/// convex: a direction of negative curvature d (‖d‖ = 1, dᵀ∇²F d = κ ≤ −ε) means a saddle
/// or a maximum, not a minimum, and the run goes on along d
/// (``SmoothDriver/curvatureStep(_:direction:curvature:evaluation:)``).
struct SmoothSecondOrderTest {
    let evaluation: SmoothEvaluation
    let control: IterationControl
    /// Whether the test is made at all: the function is not known convex and the policy
    /// allows a Hessian (exact and n ≤ ``SmoothCertificateChecker/maximumDimension``, or any).
    let applies: Bool

    init(evaluation: SmoothEvaluation, hasExactHessian: Bool, policy: SmoothDriver.SecondOrderPolicy, control: IterationControl) {
        self.evaluation = evaluation
        self.control = control
        applies = !evaluation.isKnownConvex
            && (policy == .always || (hasExactHessian && evaluation.dimension <= SmoothCertificateChecker.maximumDimension))
    }

    /// A unit direction of negative curvature at `s` and its curvature, or nil (none, the
    /// test does not apply, the Hessian is not finite, or a stop while forming it).
    func negativeCurvature(at s: SmoothState) -> (direction: [Double], curvature: Double)? {
        guard applies else { return nil }
        let probe = InterruptProbe(control)
        guard let h = evaluation.hessian(s.x, shouldStop: probe.shouldStop), h.allSatisfy(\.isFinite) else { return nil }
        return Cholesky.negativeCurvature(h, n: evaluation.dimension, shouldStop: probe.shouldStop)
    }
}

extension SmoothDriver {
    /// The step along a unit direction of negative curvature d (dᵀ∇²F d = κ < 0) at a
    /// stationary point: d's sign is chosen so ∇Fᵀd ≤ 0, then t = 1 is halved until
    /// F(x + td) ≤ F(x) + ¼(t∇Fᵀd + ½t²κ), or doubled while that holds and F keeps falling
    /// (the quadratic model is unbounded along d, so the scale comes from F itself). Updates
    /// the state and returns t, or nil when no t ≥ 2⁻⁶⁰ decreases F.
    static func curvatureStep(_ state: inout SmoothState, direction: [Double], curvature: Double,
                              evaluation: SmoothEvaluation) -> Double? {
        let n = state.x.count
        let sign: Double = Vector.dot(state.gradient, direction) > 0 ? -1 : 1
        let d = direction.map { sign * $0 }
        let slope = Vector.dot(state.gradient, d)
        func trial(_ t: Double) -> ([Double], Double) {
            let x = (0..<n).map { state.x[$0] + t * d[$0] }
            return (x, evaluation.value(x))
        }
        func sufficient(_ t: Double, _ f: Double) -> Bool { f.isFinite && f <= state.f + 0.25 * (t * slope + 0.5 * t * t * curvature) }
        var t = 1.0
        var (x, f) = trial(t)
        if sufficient(t, f) {
            for _ in 0..<60 {
                let (x2, f2) = trial(2 * t)
                guard sufficient(2 * t, f2), f2 < f else { break }
                (x, f, t) = (x2, f2, 2 * t)
            }
        } else {
            var accepted = false
            for _ in 0..<60 {
                t *= 0.5
                (x, f) = trial(t)
                if sufficient(t, f) { accepted = true; break }
            }
            guard accepted else { return nil }
        }
        state.x = x
        state.f = evaluation.valueAndGradient(x, &state.gradient)
        state.gradientNorm = Vector.norm2(state.gradient)
        return t
    }
}
