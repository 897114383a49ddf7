import Expressions
import LagrangeCore
import LinearAlgebra

/// One native smooth method's iteration, run by ``SmoothDriver/run(_:context:method:)``: its
/// settings, the buffers it keeps between iterations, an optional preparation at the start
/// point (eigenvalue estimates), and one step from the current state.
protocol SmoothMethod {
    associatedtype Settings: SmoothMethodSettings
    /// The validated options the method runs with.
    var settings: Settings { get }
    /// When a stationary point of this method gets the second-order test.
    static var secondOrder: SmoothDriver.SecondOrderPolicy { get }
    /// Work done once at the start point, after its record (may take long; a stop met
    /// there returns the start).
    mutating func prepare(_ evaluation: SmoothEvaluation, _ state: SmoothState, context: SolveContext) throws
    /// Iteration `k` (1, 2, …): moves the state, or says why it cannot.
    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) throws -> SmoothStep
}

extension SmoothMethod {
    static var secondOrder: SmoothDriver.SecondOrderPolicy { .exactHessian }
    mutating func prepare(_ evaluation: SmoothEvaluation, _ state: SmoothState, context: SolveContext) throws {}
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

    /// Runs `method` from the problem's start point, with its settings' default iteration limit.
    static func run<Method: SmoothMethod>(_ problem: Problem, context: SolveContext, method: Method) throws -> SolveResult {
        var method = method
        return try run(problem, context: context, defaultIterations: Method.Settings.defaultIterations, secondOrder: Method.secondOrder,
                       prepare: { evaluation, state in try method.prepare(evaluation, state, context: context) },
                       step: { state, evaluation, k in try method.step(&state, evaluation, k, context: context) })
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
        let secondOrderTest = SmoothSecondOrderTest(evaluation: evaluation, hasExactHessian: smooth.objective.hasExactHessian,
                                                    policy: secondOrder, control: control)
        // A direction of negative curvature at a point that passed the gradient test.
        func negativeCurvature(at s: SmoothState) -> (direction: [Double], curvature: Double)? {
            secondOrderTest.negativeCurvature(at: s)
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
}
