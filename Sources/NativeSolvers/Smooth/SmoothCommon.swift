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

/// The loop every native smooth method shares. Its termination rules are
/// ``SmoothTermination``'s (LagrangeCore, shared with the GSL methods): the gradient test
/// (`optimal` / `locally_optimal`), the relaxed test after a stall (`almost_optimal`, else
/// `slow_progress`); and here:
///
/// - the second-order test, at a point that passed the gradient test of a function not known
///   convex: when the Hessian is available to the method (``SecondOrderPolicy``), a direction
///   of negative curvature d (‖d‖ = 1, dᵀ∇²F d = κ ≤ −ε, ``Cholesky/negativeCurvature(_:n:shouldStop:)``)
///   means a saddle or a maximum, not a minimum: the next iteration steps along ±d (the sign
///   with ∇Fᵀd ≤ 0) to the t with F(x + td) ≤ F(x) + ¼(t∇Fᵀd + ½t²κ), backtracking from t = 1
///   and extending by doubling, recorded with the metric `negative_curvature` = κ, and the
///   method goes on from there. Where the test cannot be made the registry's
///   ``SmoothCertificateChecker`` says so in a note;
/// - `numerical_error` when f or ∇f becomes non-finite, returning the last finite point;
/// - `iteration_limit`, `time_limit`, `interrupted` from ``IterationControl``.
///
/// Iteration 0 of the history is the start point.
enum SmoothDriver {

    /// When a method's stationary point gets the second-order test.
    enum SecondOrderPolicy {
        /// Only with an exact Hessian (``SmoothObjective/hasExactHessian``) and n ≤
        /// ``SmoothCertificateChecker/maximumDimension``: methods that do not use the Hessian.
        case exactHessian
        /// With whatever Hessian the method uses (finite differences included): Newton.
        case always
    }

    static func run(_ problem: Problem, context: SolveContext, defaultIterations: Int,
                    secondOrder: SecondOrderPolicy = .exactHessian,
                    prepare: (SmoothEvaluation, SmoothState) throws -> Void = { _, _ in },
                    step: (inout SmoothState, SmoothEvaluation, Int) throws -> SmoothStep) throws -> SolveResult {
        guard case .smooth(let smooth) = problem else { throw SolverError.unsupported("expected a smooth problem") }
        let evaluation = SmoothEvaluation(smooth)
        let n = evaluation.dimension
        let tolerance = SmoothTermination.tolerance(context.options.tolerance)
        let control = context.control
        let limit = control.iterationLimit(default: defaultIterations)
        var gradient = Array(repeating: 0.0, count: n)
        let f0 = evaluation.valueAndGradient(smooth.start, &gradient)
        var state = SmoothState(x: smooth.start, f: f0, gradient: gradient, gradientNorm: Vector.norm2(gradient))
        var lastFinite = state

        func finish(_ status: TerminationStatus, _ raw: String, iterations: Int, at s: SmoothState,
                    by test: ConvergenceTest? = nil) -> SolveResult {
            var result = SolveResult(kind: .smooth, status: status, rawStatus: raw,
                                     objective: s.f.isFinite ? evaluation.sign * s.f : nil,
                                     variableNames: smooth.variableNames, primal: s.x, iterations: iterations)
            result.convergedBy = test
            result.details = [SmoothDetails(gradientNorm: s.gradientNorm, functionEvaluations: evaluation.functionEvaluations,
                                            gradientEvaluations: evaluation.gradientEvaluations,
                                            hessianEvaluations: evaluation.hessianEvaluations)]
            return result
        }
        func converged(_ s: SmoothState) -> TerminationVerdict? {
            SmoothTermination.gradientTest(gradientNorm: s.gradientNorm, f: s.f, f0: f0, tolerance: tolerance,
                                           knownConvex: evaluation.isKnownConvex)
        }
        let testsCurvature = !evaluation.isKnownConvex
            && (secondOrder == .always || (smooth.objective.hasExactHessian && n <= SmoothCertificateChecker.maximumDimension))
        // A direction of negative curvature at a point that passed the gradient test.
        func negativeCurvature(at s: SmoothState) -> (direction: [Double], curvature: Double)? {
            guard testsCurvature else { return nil }
            let probe = InterruptProbe(control)
            guard let h = evaluation.hessian(s.x, shouldStop: probe.shouldStop), h.allSatisfy(\.isFinite) else { return nil }
            return Cholesky.negativeCurvature(h, n: n, shouldStop: probe.shouldStop)
        }
        var escape: (direction: [Double], curvature: Double)?

        guard state.isFinite else { return finish(.numericalError, "f or its gradient is not finite at the start point", iterations: 0, at: state) }
        let done = converged(state)
        let startRecord = IterationRecord(iteration: 0, objective: evaluation.sign * state.f, gradientNorm: state.gradientNorm,
                                          extras: evaluation.counters)
        let stop0 = control.record(startRecord, iterationLimit: limit)
        if let done {
            escape = negativeCurvature(at: state)
            if escape == nil { return finish(done.status, "gradient norm below tolerance at the start point", iterations: 0, at: state, by: done.test) }
        }
        if let stop0 { return finish(stop0, stop0.rawValue, iterations: 0, at: state) }
        try prepare(evaluation, state)
        // Preparation (eigenvalue estimates) can take long; a stop met there returns the start.
        if let stop = control.checkInterrupt() { return finish(stop, "\(stop.rawValue) while preparing", iterations: 0, at: state) }

        var k = 0
        while true {
            k += 1
            let outcome: SmoothStep
            if let (direction, curvature) = escape {
                escape = nil
                if let t = curvatureStep(&state, direction: direction, curvature: curvature, evaluation: evaluation) {
                    outcome = .moved(step: t, extras: [Metric("negative_curvature", curvature)])
                } else {
                    return finish(.stationaryPoint, "no decrease along a direction of negative curvature \(curvature)", iterations: k - 1, at: state)
                }
            } else {
                outcome = try step(&state, evaluation, k)
            }
            switch outcome {
            case .stalled(let reason):
                let verdict = SmoothTermination.afterStall(gradientNorm: state.gradientNorm, f: state.f, f0: f0, tolerance: tolerance)
                return finish(verdict.status, reason, iterations: k - 1, at: state, by: verdict.test)
            case .stopped(let status):
                return finish(status, "\(status.rawValue) inside iteration \(k)", iterations: k - 1, at: state)
            case .moved(let stepSize, let extras):
                guard state.isFinite else {
                    return finish(.numericalError, "f or its gradient became non-finite at iteration \(k); returning the last finite point",
                                  iterations: k - 1, at: lastFinite)
                }
                lastFinite = state
                let done = converged(state)
                let record = IterationRecord(iteration: k, objective: evaluation.sign * state.f, gradientNorm: state.gradientNorm,
                                             stepSize: stepSize, extras: evaluation.counters + extras)
                let stop = control.record(record, iterationLimit: limit)
                if let stop { return finish(stop, stop.rawValue, iterations: k, at: state) }
                if let done {
                    escape = negativeCurvature(at: state)
                    if escape == nil {
                        return finish(done.status, "gradient norm \(state.gradientNorm) ≤ tolerance·max(1, min(|f|, |f(x0)|))",
                                      iterations: k, at: state, by: done.test)
                    }
                }
            }
        }
    }

    /// Reads `alpha` (Armijo constant, in (0, ½)) and `beta` (backtracking factor, in (0, 1)).
    static func armijoParameters(_ options: SolveOptions) throws -> (alpha: Double, beta: Double) {
        let alpha = try options.number("alpha", default: 0.25)
        let beta = try options.number("beta", default: 0.5)
        guard alpha > 0, alpha < 0.5 else { throw SolverError.invalidOption(name: "alpha", reason: "must be in (0, 1/2), got \(alpha)") }
        guard beta > 0, beta < 1 else { throw SolverError.invalidOption(name: "beta", reason: "must be in (0, 1), got \(beta)") }
        return (alpha, beta)
    }

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

    /// Backtracking (Armijo) along d from t = `initial`: the first t = initial·βʲ with
    /// f(x + t d) ≤ f(x) + α t ∇fᵀd (non-finite values count as failures). Updates the
    /// state (with a new gradient) and returns t, or nil after 80 reductions.
    static func backtrack(_ state: inout SmoothState, direction d: [Double], slope: Double, initial: Double,
                          alpha: Double, beta: Double, evaluation: SmoothEvaluation, trial: inout [Double]) -> Double? {
        var t = initial
        let n = state.x.count
        for _ in 0..<80 {
            for i in 0..<n { trial[i] = state.x[i] + t * d[i] }
            let f = evaluation.value(trial)
            if f.isFinite, f <= state.f + alpha * t * slope {
                state.x = trial
                state.f = evaluation.valueAndGradient(trial, &state.gradient)
                state.gradientNorm = Vector.norm2(state.gradient)
                return t
            }
            t *= beta
        }
        return nil
    }

    /// Largest and smallest eigenvalue of the Hessian at x, estimated by power iteration on
    /// H and then on λmax·I − H (Hessian–vector products only; up to `steps` each).
    /// `shouldStop` is asked before each product (time limit, cancellation); a true answer
    /// ends the estimate early (the caller then stops too, so the rough bound is never used).
    static func eigenvalueBounds(_ evaluation: SmoothEvaluation, at x: [Double], steps: Int = 100, seed: UInt64,
                                 shouldStop: () -> Bool = { false }) -> (min: Double, max: Double) {
        let n = x.count
        var generator = SeededGenerator(seed: seed)
        func power(_ apply: ([Double]) -> [Double]) -> Double {
            var v = (0..<n).map { _ in 1 + 0.1 * generator.nextGaussian() }
            var norm = Vector.norm2(v)
            v = v.map { $0 / norm }
            var lambda = 0.0
            for _ in 0..<steps {
                if shouldStop() { break }
                let w = apply(v)
                let next = Vector.dot(v, w)
                norm = Vector.norm2(w)
                guard norm > 0, norm.isFinite else { return next }
                v = w.map { $0 / norm }
                if abs(next - lambda) <= 1e-12 * max(abs(next), 1e-300) { lambda = next; break }
                lambda = next
            }
            return lambda
        }
        let largest = power { evaluation.hessianVector(x, $0) }
        let shift = abs(largest)
        let shifted = power { v in
            let hv = evaluation.hessianVector(x, v)
            return (0..<n).map { shift * v[$0] - hv[$0] }
        }
        return (shift - shifted, largest)
    }
}
