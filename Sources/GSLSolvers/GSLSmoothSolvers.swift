import CGSL
import Expressions
import LagrangeCore
import LinearAlgebra

/// Turns GSL's abort-on-error handler off, once per process; every return code is then
/// checked by the caller.
enum GSLErrorHandling {
    static let disabled: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()
}

/// What the C callbacks reach through GSL's `params` pointer: the objective (minimized
/// sense), evaluation counters, scratch buffers, and the stop probe.
///
/// GSL calls the objective many times inside one call (Nelder–Mead's set evaluates all
/// n + 1 vertices; a line search several points; the root solvers a dense Hessian), so
/// every callback first asks the probe: once the time limit or a cancellation says stop,
/// the callbacks answer at once with a value GSL rejects (NaN, `GSL_EBADFUNC`), GSL
/// returns, and the caller reads ``probe`` before GSL's code and returns the last point it
/// accepted. Without a limit or cancellation the probe never says stop, so the iterates
/// are unchanged.
final class GSLSmoothContext {
    let objective: any SmoothObjective
    let sign: Double
    let n: Int
    let probe: InterruptProbe
    var x: [Double]
    var gradient: [Double]
    var functionEvaluations = 0
    var gradientEvaluations = 0
    var hessianEvaluations = 0

    init(_ problem: SmoothProblem, control: IterationControl) {
        objective = problem.objective
        sign = problem.sense == .maximize ? -1 : 1
        n = problem.objective.dimension
        probe = InterruptProbe(control)
        x = Array(repeating: 0, count: n)
        gradient = x
    }

    func load(_ v: UnsafePointer<gsl_vector>) {
        let data = v.pointee.data!, stride = v.pointee.stride
        for i in 0..<n { x[i] = data[i * stride] }
    }

    static func store(_ values: [Double], into v: UnsafeMutablePointer<gsl_vector>) {
        let data = v.pointee.data!, stride = v.pointee.stride
        for i in 0..<values.count { data[i * stride] = values[i] }
    }

    func value() -> Double {
        functionEvaluations += 1
        return sign * objective.value(at: x)
    }

    func valueAndGradient() -> Double {
        functionEvaluations += 1
        gradientEvaluations += 1
        let f = objective.valueAndGradient(at: x, gradient: &gradient)
        if sign < 0 { for i in 0..<n { gradient[i] = -gradient[i] } }
        return sign * f
    }

    static func from(_ params: UnsafeMutableRawPointer?) -> GSLSmoothContext {
        Unmanaged<GSLSmoothContext>.fromOpaque(params!).takeUnretainedValue()
    }
}

// C callbacks (@convention(c)): context through `params`. Each answers NaN or
// GSL_EBADFUNC at once after a stop (see GSLSmoothContext).
private let gslValue: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?) -> Double = { v, params in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { return .nan }
    context.load(v!)
    return context.value()
}
private let gslGradient: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?) -> Void = { v, params, g in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { gsl_vector_set_all(g!, .nan); return }
    context.load(v!)
    _ = context.valueAndGradient()
    // GSL asked for the gradient only: count a gradient evaluation, not a function evaluation.
    context.functionEvaluations -= 1
    GSLSmoothContext.store(context.gradient, into: g!)
}
private let gslValueAndGradient: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<gsl_vector>?) -> Void = { v, params, f, g in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { f!.pointee = .nan; gsl_vector_set_all(g!, .nan); return }
    context.load(v!)
    f!.pointee = context.valueAndGradient()
    GSLSmoothContext.store(context.gradient, into: g!)
}
// Multiroot on ∇f = 0: F = ∇f, J = ∇²f.
private let gslRootF: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?) -> Int32 = { v, params, out in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { return Int32(GSL_EBADFUNC) }
    context.load(v!)
    _ = context.valueAndGradient()
    GSLSmoothContext.store(context.gradient, into: out!)
    return context.gradient.allSatisfy(\.isFinite) ? Int32(GSL_SUCCESS) : Int32(GSL_EBADFUNC)
}
/// J = ∇²f at the loaded x; a dense Hessian can take seconds to form (an expression's is n
/// Hessian–vector products), so it asks the probe as it goes.
private func fillJacobian(_ context: GSLSmoothContext, _ j: UnsafeMutablePointer<gsl_matrix>) -> Int32 {
    context.hessianEvaluations += 1
    let probe = context.probe
    guard let h = context.objective.hessian(at: context.x, shouldStop: probe.shouldStop)
            ?? (probe.shouldStop() ? nil : FiniteDifferences.hessian(of: context.objective, at: context.x, shouldStop: probe.shouldStop))
    else { return Int32(GSL_EBADFUNC) }
    let n = context.n
    let data = j.pointee.data!, tda = j.pointee.tda
    for r in 0..<n {
        if r % 64 == 0 && probe.shouldStop() { return Int32(GSL_EBADFUNC) }
        for c in 0..<n { data[r * tda + c] = context.sign * h[r * n + c] }
    }
    return h.allSatisfy(\.isFinite) ? Int32(GSL_SUCCESS) : Int32(GSL_EBADFUNC)
}
private let gslRootJ: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_matrix>?) -> Int32 = { v, params, j in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { return Int32(GSL_EBADFUNC) }
    context.load(v!)
    return fillJacobian(context, j!)
}
private let gslRootFJ: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?, UnsafeMutablePointer<gsl_matrix>?) -> Int32 = { v, params, out, j in
    let context = GSLSmoothContext.from(params)
    if context.probe.shouldStop() { return Int32(GSL_EBADFUNC) }
    context.load(v!)
    _ = context.valueAndGradient()
    GSLSmoothContext.store(context.gradient, into: out!)
    guard context.gradient.allSatisfy(\.isFinite) else { return Int32(GSL_EBADFUNC) }
    return fillJacobian(context, j!)
}

/// GSL's minimizers and root finder for `kind: smooth`, with derivatives from the objective
/// (the Expressions module's reverse mode and exact Hessian for expression files).
///
/// Status mapping (the one place GSL codes are interpreted); the tests are
/// ``SmoothTermination``'s, the same functions the native methods call:
/// - after each iterate, the gradient test → `locally_optimal` (`optimal` for a
///   known-convex objective); `gsl.nelder-mead` instead stops on the simplex-size test;
/// - `GSL_ENOPROG` (no progress) → the relaxed gradient test: `almost_optimal` when it
///   passes (the gradient test had effectively passed), else `slow_progress`;
/// - any other non-success code, or non-finite f / ∇f → `numerical_error` with the last
///   finite point; raw status carries `gsl_strerror`.
package struct GSLSmoothSolver: SolverPlugin {
    package enum Method: String, Sendable, CaseIterable {
        case bfgs2, conjugateFR = "conjugate-fr", conjugatePR = "conjugate-pr", steepestDescent = "steepest-descent"
        case nelderMead = "nelder-mead", newton
    }

    package let method: Method
    package let descriptor: SolverDescriptor

    package init(_ method: Method) {
        self.method = method
        var options: [OptionSpec] = []
        let summary: String
        switch method {
        case .bfgs2: summary = "GSL multimin vector BFGS (Fletcher's line search)"
        case .conjugateFR: summary = "GSL multimin Fletcher–Reeves conjugate gradient"
        case .conjugatePR: summary = "GSL multimin Polak–Ribière conjugate gradient"
        case .steepestDescent: summary = "GSL multimin steepest descent"
        case .nelderMead: summary = "GSL multimin Nelder–Mead simplex (nmsimplex2, derivative-free)"
        case .newton: summary = "GSL multiroot on ∇f = 0 with the Hessian as Jacobian (newton or hybridsj)"
        }
        switch method {
        case .nelderMead: options = [OptionSpec("step_size", default: "1", "initial simplex step in every coordinate")]
        case .newton: options = [OptionSpec("root_method", default: "newton", "newton | hybridsj")]
        default: options = [OptionSpec("step_size", default: "0.01", "size of the first trial step"),
                            OptionSpec("line_tolerance", default: "0.1", "accuracy of the line minimization")]
        }
        descriptor = SolverDescriptor(id: "gsl.\(method.rawValue)", kinds: [.smooth], options: options, summary: summary)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .smooth(let smooth) = problem else { throw SolverError.unsupported("expected a smooth problem") }
        _ = GSLErrorHandling.disabled
        let state = GSLSmoothContext(smooth, control: context.control)
        return try withExtendedLifetime(state) {
            let params = Unmanaged.passUnretained(state).toOpaque()
            switch method {
            case .nelderMead: return try runSimplex(smooth, state, params, context)
            case .newton: return try runRoot(smooth, state, params, context)
            default: return try runGradient(smooth, state, params, context)
            }
        }
    }

    func makeVector(_ values: [Double]) throws -> UnsafeMutablePointer<gsl_vector> {
        guard let v = gsl_vector_alloc(values.count) else { throw SolverError.unsupported("GSL could not allocate a vector of \(values.count)") }
        GSLSmoothContext.store(values, into: v)
        return v
    }

    static func read(_ v: UnsafeMutablePointer<gsl_vector>, _ n: Int) -> [Double] {
        let data = v.pointee.data!, stride = v.pointee.stride
        return (0..<n).map { data[$0 * stride] }
    }

    func result(_ smooth: SmoothProblem, _ state: GSLSmoothContext, status: TerminationStatus, raw: String,
                x: [Double], f: Double, gradientNorm: Double, iterations: Int, by test: ConvergenceTest? = nil) -> SolveResult {
        var result = SolveResult(kind: .smooth, status: status, rawStatus: raw, objective: f.isFinite ? state.sign * f : nil,
                                 variableNames: smooth.variableNames, primal: x, iterations: iterations)
        result.convergedBy = test
        result.details = [SmoothDetails(gradientNorm: gradientNorm, functionEvaluations: state.functionEvaluations,
                                        gradientEvaluations: state.gradientEvaluations, hessianEvaluations: state.hessianEvaluations)]
        return result
    }

    func counters(_ s: GSLSmoothContext) -> [Metric] {
        [Metric("f_evals", Double(s.functionEvaluations)), Metric("grad_evals", Double(s.gradientEvaluations)),
         Metric("hess_evals", Double(s.hessianEvaluations))]
    }

    /// ``SmoothTermination/gradientTest(gradientNorm:f:f0:tolerance:knownConvex:)`` for this problem.
    /// The shared tail of the multimin and multiroot loops after one GSL iterate: a failed or
    /// non-finite iterate ends the run as `numerical_error` (naming the GSL call); otherwise
    /// the point is taken, recorded and given the gradient test. Returns the result when the
    /// run ends here, nil to go on.
    func takeIterate(_ smooth: SmoothProblem, _ state: GSLSmoothContext, code: Int32, call: String, iteration k: Int,
                     new: (x: [Double], f: Double, gradientNorm: Double), x: inout [Double], f: inout Double,
                     gradientNorm: inout Double, f0: Double, tolerance: Tolerance, control: IterationControl, limit: Int,
                     convergedRaw: String) -> SolveResult? {
        guard code == Int32(GSL_SUCCESS), new.f.isFinite, new.gradientNorm.isFinite, new.x.allSatisfy(\.isFinite) else {
            return result(smooth, state, status: .numericalError, raw: "\(call): \(errorString(code))",
                          x: x, f: f, gradientNorm: gradientNorm, iterations: k - 1)
        }
        let step = Vector.norm2(zip(new.x, x).map { $0 - $1 })
        (x, f, gradientNorm) = new
        let converged = gradientTest(smooth, gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance)
        let stop = control.record(IterationRecord(iteration: k, objective: state.sign * f, gradientNorm: gradientNorm,
                                                  stepSize: step, extras: counters(state)), iterationLimit: limit)
        if let converged {
            return result(smooth, state, status: converged.status, raw: convergedRaw, x: x, f: f, gradientNorm: gradientNorm,
                          iterations: k, by: converged.test)
        }
        if let stop { return result(smooth, state, status: stop, raw: stop.rawValue, x: x, f: f, gradientNorm: gradientNorm, iterations: k) }
        return nil
    }

    func gradientTest(_ smooth: SmoothProblem, gradientNorm: Double, f: Double, f0: Double, tolerance: Tolerance) -> TerminationVerdict? {
        SmoothTermination.gradientTest(gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance,
                                       knownConvex: smooth.sense == .maximize ? smooth.objective.isConcave : smooth.objective.isConvex)
    }

    func errorString(_ code: Int32) -> String { String(cString: gsl_strerror(code)) }

    /// The result of a stop inside GSL's set call: the start point and its value, with the
    /// iteration-0 record the history would have had.
    func stoppedAtStart(_ smooth: SmoothProblem, _ state: GSLSmoothContext, _ stop: TerminationStatus,
                        control: IterationControl) -> SolveResult {
        let f = state.sign * smooth.objective.value(at: smooth.start)
        _ = control.record(IterationRecord(iteration: 0, objective: state.sign * f, extras: counters(state)), iterationLimit: Int.max)
        return result(smooth, state, status: stop, raw: "\(stop.rawValue) while GSL evaluated the start", x: smooth.start, f: f,
                      gradientNorm: .nan, iterations: 0)
    }

    // MARK: multimin with derivatives

    func runGradient(_ smooth: SmoothProblem, _ state: GSLSmoothContext, _ params: UnsafeMutableRawPointer,
                     _ context: SolveContext) throws -> SolveResult {
        let n = state.n
        let options = context.options
        let tolerance = SmoothTermination.tolerance(options.tolerance)
        let stepSize = try options.number("step_size", default: 0.01)
        let lineTolerance = try options.number("line_tolerance", default: 0.1)
        guard stepSize > 0 else { throw SolverError.invalidOption(name: "step_size", reason: "must be > 0") }
        guard lineTolerance > 0 else { throw SolverError.invalidOption(name: "line_tolerance", reason: "must be > 0") }
        let type: UnsafePointer<gsl_multimin_fdfminimizer_type>
        switch method {
        case .conjugateFR: type = lagrange_gsl_fdfminimizer_conjugate_fr()
        case .conjugatePR: type = lagrange_gsl_fdfminimizer_conjugate_pr()
        case .steepestDescent: type = lagrange_gsl_fdfminimizer_steepest_descent()
        default: type = lagrange_gsl_fdfminimizer_vector_bfgs2()
        }
        guard let minimizer = gsl_multimin_fdfminimizer_alloc(type, n) else { throw SolverError.unsupported("GSL could not allocate the minimizer") }
        defer { gsl_multimin_fdfminimizer_free(minimizer) }
        let start = try makeVector(smooth.start)
        defer { gsl_vector_free(start) }
        var function = gsl_multimin_function_fdf(f: gslValue, df: gslGradient, fdf: gslValueAndGradient, n: n, params: params)
        let control = context.control
        let limit = control.iterationLimit(default: 10_000)
        let setCode = gsl_multimin_fdfminimizer_set(minimizer, &function, start, stepSize, lineTolerance)
        if let stop = state.probe.status { return stoppedAtStart(smooth, state, stop, control: control) }
        var x = smooth.start
        var f = minimizer.pointee.f
        let f0 = f
        var gradientNorm = gsl_blas_dnrm2(minimizer.pointee.gradient)
        guard setCode == Int32(GSL_SUCCESS), f.isFinite, gradientNorm.isFinite else {
            return result(smooth, state, status: .numericalError, raw: "gsl_multimin_fdfminimizer_set: \(errorString(setCode))",
                          x: x, f: f, gradientNorm: gradientNorm, iterations: 0)
        }
        let converged0 = gradientTest(smooth, gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance)
        let stop0 = control.record(IterationRecord(iteration: 0, objective: state.sign * f, gradientNorm: gradientNorm, extras: counters(state)), iterationLimit: limit)
        if let converged0 { return result(smooth, state, status: converged0.status, raw: "gradient test passed at the start", x: x, f: f, gradientNorm: gradientNorm, iterations: 0, by: converged0.test) }
        if let stop0 { return result(smooth, state, status: stop0, raw: stop0.rawValue, x: x, f: f, gradientNorm: gradientNorm, iterations: 0) }
        var k = 0
        while true {
            k += 1
            let code = gsl_multimin_fdfminimizer_iterate(minimizer)
            if let stop = state.probe.status {
                return result(smooth, state, status: stop, raw: "\(stop.rawValue) inside iteration \(k)", x: x, f: f,
                              gradientNorm: gradientNorm, iterations: k - 1)
            }
            let newF = minimizer.pointee.f
            let newNorm = gsl_blas_dnrm2(minimizer.pointee.gradient)
            let newX = Self.read(minimizer.pointee.x, n)
            if code == Int32(GSL_ENOPROG) {
                // No progress: convergence when the gradient test (relaxed) already holds.
                let verdict = SmoothTermination.afterStall(gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance)
                return result(smooth, state, status: verdict.status, raw: "GSL_ENOPROG: \(errorString(code))", x: x, f: f,
                              gradientNorm: gradientNorm, iterations: k - 1, by: verdict.test)
            }
            if let end = takeIterate(smooth, state, code: code, call: "gsl_multimin_fdfminimizer_iterate", iteration: k,
                                     new: (newX, newF, newNorm), x: &x, f: &f, gradientNorm: &gradientNorm, f0: f0,
                                     tolerance: tolerance, control: control, limit: limit, convergedRaw: "gradient test passed") {
                return end
            }
        }
    }

    // MARK: Nelder–Mead

    func runSimplex(_ smooth: SmoothProblem, _ state: GSLSmoothContext, _ params: UnsafeMutableRawPointer,
                    _ context: SolveContext) throws -> SolveResult {
        let n = state.n
        let tolerance = SmoothTermination.tolerance(context.options.tolerance)
        let stepSize = try context.options.number("step_size", default: 1)
        guard stepSize > 0 else { throw SolverError.invalidOption(name: "step_size", reason: "must be > 0") }
        guard let minimizer = gsl_multimin_fminimizer_alloc(lagrange_gsl_fminimizer_nmsimplex2(), n) else {
            throw SolverError.unsupported("GSL could not allocate the simplex minimizer")
        }
        defer { gsl_multimin_fminimizer_free(minimizer) }
        let start = try makeVector(smooth.start)
        defer { gsl_vector_free(start) }
        let steps = try makeVector(Array(repeating: stepSize, count: n))
        defer { gsl_vector_free(steps) }
        var function = gsl_multimin_function(f: gslValue, n: n, params: params)
        let control = context.control
        let limit = control.iterationLimit(default: 20_000)
        // Nelder–Mead's set evaluates all n + 1 vertices (seconds for a large n): the
        // callbacks stop it.
        let setCode = gsl_multimin_fminimizer_set(minimizer, &function, start, steps)
        if let stop = state.probe.status { return stoppedAtStart(smooth, state, stop, control: control) }
        var x = smooth.start
        // gsl_multimin_fminimizer_set leaves `fval` unset (it is first written by an
        // iterate), so the start's value is computed here, in GSL's minimization sign.
        var f = state.sign * smooth.objective.value(at: x)
        guard setCode == Int32(GSL_SUCCESS), f.isFinite else {
            return result(smooth, state, status: .numericalError, raw: "gsl_multimin_fminimizer_set: \(errorString(setCode))",
                          x: x, f: f, gradientNorm: .nan, iterations: 0)
        }
        func gradientNorm(_ x: [Double]) -> Double {
            var g = Array(repeating: 0.0, count: n)
            _ = smooth.objective.valueAndGradient(at: x, gradient: &g)
            return Vector.norm2(g)
        }
        var k = 0
        while true {
            k += 1
            let code = gsl_multimin_fminimizer_iterate(minimizer)
            if let stop = state.probe.status {
                return result(smooth, state, status: stop, raw: "\(stop.rawValue) inside iteration \(k)", x: x, f: f,
                              gradientNorm: gradientNorm(x), iterations: k - 1)
            }
            let newF = minimizer.pointee.fval
            let newX = Self.read(minimizer.pointee.x, n)
            if code == Int32(GSL_ENOPROG) {
                return result(smooth, state, status: .slowProgress, raw: "GSL_ENOPROG: \(errorString(code))", x: x, f: f,
                              gradientNorm: gradientNorm(x), iterations: k - 1)
            }
            guard code == Int32(GSL_SUCCESS), newF.isFinite, newX.allSatisfy(\.isFinite) else {
                return result(smooth, state, status: .numericalError, raw: "gsl_multimin_fminimizer_iterate: \(errorString(code))",
                              x: x, f: f, gradientNorm: gradientNorm(x), iterations: k - 1)
            }
            x = newX
            f = newF
            let size = gsl_multimin_fminimizer_size(minimizer)
            let converged = SmoothTermination.simplexTest(size: size, pointNorm: Vector.norm2(x), tolerance: tolerance)
            let stop = control.record(IterationRecord(iteration: k, objective: state.sign * f, stepSize: size,
                                                      extras: counters(state) + [Metric("simplex_size", size)]), iterationLimit: limit)
            if let converged { return result(smooth, state, status: converged.status, raw: "simplex size below tolerance", x: x, f: f, gradientNorm: gradientNorm(x), iterations: k, by: converged.test) }
            if let stop { return result(smooth, state, status: stop, raw: stop.rawValue, x: x, f: f, gradientNorm: gradientNorm(x), iterations: k) }
        }
    }

    // MARK: multiroot on ∇f = 0

    func runRoot(_ smooth: SmoothProblem, _ state: GSLSmoothContext, _ params: UnsafeMutableRawPointer,
                 _ context: SolveContext) throws -> SolveResult {
        let n = state.n
        let tolerance = SmoothTermination.tolerance(context.options.tolerance)
        let name = try context.options.string("root_method", default: "newton", allowed: ["newton", "hybridsj"])
        let control = context.control
        let stepper: any RootStepper
        if name == "newton" {
            guard let newton = NewtonRoot(dimension: n, params: params, clock: StepClock(control: control)) else {
                throw SolverError.unsupported("GSL could not allocate the Newton workspace (two \(n)×\(n) matrices)")
            }
            stepper = newton
        } else {
            guard let hybrid = GSLRoot(lagrange_gsl_multiroot_fdfsolver_hybridsj(), dimension: n, params: params) else {
                throw SolverError.unsupported("GSL could not allocate the root solver")
            }
            stepper = hybrid
        }
        let limit = control.iterationLimit(default: 500)
        let setCode = stepper.set(smooth.start)
        if let stop = state.probe.status { return stoppedAtStart(smooth, state, stop, control: control) }
        var x = smooth.start
        func objective(_ x: [Double]) -> Double { state.sign * smooth.objective.value(at: x) }
        var f = objective(x)
        let f0 = f
        var gradientNorm = gsl_blas_dnrm2(stepper.f)
        guard setCode == Int32(GSL_SUCCESS), f.isFinite, gradientNorm.isFinite else {
            return result(smooth, state, status: .numericalError, raw: "gsl_multiroot_fdfsolver_set: \(errorString(setCode))",
                          x: x, f: f, gradientNorm: gradientNorm, iterations: 0)
        }
        let stop0 = control.record(IterationRecord(iteration: 0, objective: state.sign * f, gradientNorm: gradientNorm, extras: counters(state)), iterationLimit: limit)
        if let converged0 = gradientTest(smooth, gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance) {
            return result(smooth, state, status: converged0.status, raw: "gradient test passed at the start", x: x, f: f,
                          gradientNorm: gradientNorm, iterations: 0, by: converged0.test)
        }
        if let stop0 { return result(smooth, state, status: stop0, raw: stop0.rawValue, x: x, f: f, gradientNorm: gradientNorm, iterations: 0) }
        var k = 0
        while true {
            k += 1
            let code: Int32
            do {
                code = try stepper.iterate()
            } catch {
                switch error {
                case .limit(let stop):
                    return result(smooth, state, status: stop, raw: "\(stop.rawValue) inside iteration \(k)", x: x, f: f,
                                  gradientNorm: gradientNorm, iterations: k - 1)
                case .gsl(let message):
                    return result(smooth, state, status: .numericalError, raw: message, x: x, f: f,
                                  gradientNorm: gradientNorm, iterations: k - 1)
                }
            }
            if let stop = state.probe.status {
                return result(smooth, state, status: stop, raw: "\(stop.rawValue) inside iteration \(k)", x: x, f: f,
                              gradientNorm: gradientNorm, iterations: k - 1)
            }
            let newX = Self.read(stepper.x, n)
            let newNorm = gsl_blas_dnrm2(stepper.f)
            let newF = objective(newX)
            if code == Int32(GSL_ENOPROG) || code == Int32(GSL_ENOPROGJ) {
                let verdict = SmoothTermination.afterStall(gradientNorm: gradientNorm, f: f, f0: f0, tolerance: tolerance)
                return result(smooth, state, status: verdict.status, raw: "\(errorString(code))",
                              x: x, f: f, gradientNorm: gradientNorm, iterations: k - 1, by: verdict.test)
            }
            // A root of ∇f is a stationary point: a minimum, maximum or saddle; say which is not checked.
            if let end = takeIterate(smooth, state, code: code, call: "gsl_multiroot_fdfsolver_iterate", iteration: k,
                                     new: (newX, newF, newNorm), x: &x, f: &f, gradientNorm: &gradientNorm, f0: f0,
                                     tolerance: tolerance, control: control, limit: limit,
                                     convergedRaw: "‖∇f‖ below tolerance (a stationary point)") {
                return end
            }
        }
    }
}

/// A root solver for F = ∇f with J = ∇²f, as `runRoot` drives it: GSL's
/// `gsl_multiroot_fdfsolver` interface (set, iterate, x, F(x)).
private protocol RootStepper {
    var x: UnsafeMutablePointer<gsl_vector> { get }
    var f: UnsafeMutablePointer<gsl_vector> { get }
    /// x ← start, then F and J there; GSL's status.
    func set(_ start: [Double]) -> Int32
    /// One iteration; GSL's status, or ``StepStop/limit(_:)`` from a stop between steps.
    func iterate() throws(StepStop) -> Int32
}

/// A GSL multiroot solver run by GSL (`hybridsj`). Its QR factorization of J is one GSL
/// call: a stop waits for it (the Hessian it factors is interruptible, in the callbacks).
private final class GSLRoot: RootStepper {
    let solver: UnsafeMutablePointer<gsl_multiroot_fdfsolver>
    var function: gsl_multiroot_function_fdf

    init?(_ type: UnsafePointer<gsl_multiroot_fdfsolver_type>, dimension n: Int, params: UnsafeMutableRawPointer) {
        guard let solver = gsl_multiroot_fdfsolver_alloc(type, n) else { return nil }
        self.solver = solver
        function = gsl_multiroot_function_fdf(f: gslRootF, df: gslRootJ, fdf: gslRootFJ, n: n, params: params)
    }
    deinit { gsl_multiroot_fdfsolver_free(solver) }

    var x: UnsafeMutablePointer<gsl_vector> { solver.pointee.x }
    var f: UnsafeMutablePointer<gsl_vector> { solver.pointee.f }

    func set(_ start: [Double]) -> Int32 {
        guard let v = gsl_vector_alloc(start.count) else { return Int32(GSL_ENOMEM) }
        defer { gsl_vector_free(v) }
        GSLSmoothContext.store(start, into: v)
        return gsl_multiroot_fdfsolver_set(solver, &function, v)
    }

    func iterate() throws(StepStop) -> Int32 { gsl_multiroot_fdfsolver_iterate(solver) }
}

/// GSL's `newton` multiroot solver (GSL 2.7 multiroots/newton.c) run step by step here,
/// because `gsl_multiroot_fdfsolver_iterate` factors J in one `gsl_linalg_LU_decomp` call
/// with no way to stop it (seconds for n = 3000). set: F and J at x, dx = 0. iterate: LU of
/// a copy of J by ``luDecompose(_:permutation:clock:)`` (GSL's recursive LU with its large
/// BLAS calls cut into tiles, a limit check between them: bit for bit the one call, whose
/// status newton.c ignores too), J dx = F by `gsl_linalg_LU_solve` (its error returned),
/// x ← x − dx, dx ← −dx, then F and J at the new x (`GSL_EBADFUNC` if that fails). So
/// the iterates are GSL's.
private final class NewtonRoot: RootStepper {
    let n: Int
    let point: GSLVector, value: GSLVector, dx: GSLVector
    let jacobian: GSLMatrix, lu: GSLMatrix
    let permutation: UnsafeMutablePointer<gsl_permutation>
    let params: UnsafeMutableRawPointer
    let clock: StepClock

    init?(dimension n: Int, params: UnsafeMutableRawPointer, clock: StepClock) {
        // J and its LU are overwritten whole, so they are not zeroed (GSL's calloc of two
        // 3000×3000 matrices would cost tens of milliseconds before any check).
        guard let point = GSLVector(count: n), let value = GSLVector(count: n), let dx = GSLVector(count: n),
              let jacobian = GSLMatrix(uninitializedRows: n, columns: n), let lu = GSLMatrix(uninitializedRows: n, columns: n),
              let permutation = gsl_permutation_alloc(n) else { return nil }
        self.n = n
        self.point = point
        self.value = value
        self.dx = dx
        self.jacobian = jacobian
        self.lu = lu
        self.permutation = permutation
        self.params = params
        self.clock = clock
    }
    deinit { gsl_permutation_free(permutation) }

    var x: UnsafeMutablePointer<gsl_vector> { point.pointer }
    var f: UnsafeMutablePointer<gsl_vector> { value.pointer }

    func set(_ start: [Double]) -> Int32 {
        GSLSmoothContext.store(start, into: point.pointer)
        let status = gslRootFJ(point.pointer, params, value.pointer, jacobian.pointer)
        if status != GSL_SUCCESS { return status }
        gsl_vector_set_zero(dx.pointer)
        return Int32(GSL_SUCCESS)
    }

    func iterate() throws(StepStop) -> Int32 {
        try copyMatrix(jacobian.pointer.pointee, to: lu.pointer.pointee, clock: clock)
        _ = try luDecompose(lu.pointer.pointee, permutation: permutation, clock: clock)
        let status = gsl_linalg_LU_solve(lu.pointer, permutation, value.pointer, dx.pointer)
        if status != GSL_SUCCESS { return status }
        for i in 0..<n {
            let e = dx[i], y = point[i]
            dx[i] = -e
            point[i] = y - e
        }
        return gslRootFJ(point.pointer, params, value.pointer, jacobian.pointer) == GSL_SUCCESS ? Int32(GSL_SUCCESS) : Int32(GSL_EBADFUNC)
    }
}

/// Every GSL smooth backend, for registration.
package enum GSLSmoothSolvers {
    package static let all: [any SolverPlugin] = GSLSmoothSolver.Method.allCases.map { GSLSmoothSolver($0) }
}
