import LagrangeCore
import LinearAlgebra

/// What ends an iterative `linear-system` solve before its iteration limit (option `stop`).
enum StoppingRule: String, CaseIterable {
    /// ‖Ax − b‖ ≤ tol·‖b‖ (for methods that reach the least-squares solution, also
    /// ‖Aᵀ(Ax − b) + λx‖ ≤ tol·‖A‖_F·‖Ax − b‖).
    case residual
    /// ‖x − x_true‖ ≤ tol·‖x_true‖; needs `x_true`.
    case error
    /// Only the iteration and time limits.
    case iterations

    static let option = OptionSpec("stop", default: "residual",
                                   "residual (‖Ax−b‖ ≤ tol·‖b‖), error (‖x−x_true‖ ≤ tol·‖x_true‖, needs x_true) or iterations")

    static func read(_ options: SolveOptions, problem: LinearSystemProblem) throws(SolverError) -> StoppingRule {
        let text = try options.string("stop", default: "residual", allowed: allCases.map(\.rawValue))
        let rule = StoppingRule(rawValue: text) ?? .residual
        if rule == .error && problem.knownSolution == nil {
            throw .invalidOption(name: "stop", reason: "'error' needs x_true in the problem")
        }
        return rule
    }
}

/// When a row-action method records (and checks convergence): every `interval` steps, or
/// geometrically (20 records per decade of steps, never further apart than `cap` steps).
///
/// A record costs a full pass over A (the residual), about as much as m/2 row steps, so
/// recording every step would dominate; the cap of 10·m steps keeps that overhead near 5%
/// while still bounding how far past convergence a run can go.
struct RecordSchedule {
    let interval: Int?
    let cap: Int

    static let option = OptionSpec("record_every", default: "0",
                                   "record (and test convergence) every N steps; 0 = geometric, 20 records per decade, at most 10·m steps apart")

    init(options: SolveOptions, rowCount: Int) throws(SolverError) {
        let every = try options.number("record_every", default: 0)
        guard every >= 0, every == every.rounded(), every < 1e15 else {
            throw .invalidOption(name: "record_every", reason: "must be a whole number ≥ 0, got \(every)")
        }
        interval = every == 0 ? nil : Int(every)
        cap = max(1, 10 * rowCount)
    }

    /// The next step to record after recording at step k.
    func next(after k: Int) -> Int {
        if let interval { return k + interval }
        let gap = Int((Double(k) * 0.12201845430196334).rounded(.down)) // 10^(1/20) − 1
        return k + min(cap, max(1, gap))
    }

    var note: String {
        if let interval { return "every \(interval) steps, plus the last" }
        return "geometric: 20 records per decade of steps, at most \(cap) steps apart, plus the last"
    }
}

/// Shared reading of the common options for iterative linear-system solvers.
struct IterativeSetup {
    let stop: StoppingRule
    let tolerance: Double
    let maxIterations: Int
    let bNorm: Double
    let xTrueNorm: Double?

    init(problem: LinearSystemProblem, context: SolveContext, defaultTolerance: Double, defaultIterations: Int) throws(SolverError) {
        stop = try StoppingRule.read(context.options, problem: problem)
        tolerance = context.options.tolerance ?? defaultTolerance
        maxIterations = context.control.iterationLimit(default: defaultIterations)
        bNorm = Vector.norm2(problem.rightHandSide)
        xTrueNorm = problem.knownSolution.map(Vector.norm2)
    }

    /// The test that the stopping rule passes now, or nil. `normalResidual` is
    /// ‖Aᵀr + λx‖ for methods that converge to the least-squares solution (nil otherwise),
    /// `frobenius` is ‖A‖_F.
    func converged(residual: Double, error: Double?, normalResidual: Double?, frobenius: Double) -> ConvergenceTest? {
        switch stop {
        case .iterations: return nil
        case .error:
            guard let error, let xTrueNorm else { return nil }
            return error <= tolerance * max(xTrueNorm, Double.leastNormalMagnitude) ? LinearSystemTermination.error : nil
        case .residual:
            if residual <= tolerance * bNorm { return LinearSystemTermination.residual }
            if let normalResidual, normalResidual <= tolerance * frobenius * residual { return LinearSystemTermination.normalEquations }
            return nil
        }
    }
}

/// The names of the `linear-system` termination tests, as `converged_by` spells them.
enum LinearSystemTermination {
    /// ‖Ax − b‖ ≤ tol·‖b‖.
    static let residual = ConvergenceTest(rawValue: "residual_norm")
    /// ‖Aᵀ(Ax − b) + λx‖ ≤ tol·‖A‖_F·‖Ax − b‖: a least-squares point.
    static let normalEquations = ConvergenceTest(rawValue: "normal_residual_norm")
    /// ‖x − x_true‖ ≤ tol·‖x_true‖.
    static let error = ConvergenceTest(rawValue: "error_norm")
    /// A direct method's factorization ended (no tolerance is involved).
    static let factorization = ConvergenceTest(rawValue: "factorization")
}

/// A result for a `linear-system` solve with the shared details.
func linearSystemResult(_ problem: LinearSystemProblem, status: TerminationStatus, rawStatus: String, x: [Double],
                        residual: Double, normalResidual: Double? = nil, rank: Int? = nil, iterations: Int, rowUpdates: Int? = nil,
                        historyNote: String? = nil, notes: [String] = [], convergedBy: ConvergenceTest? = nil) -> SolveResult {
    var result = SolveResult(kind: .linearSystem, status: status, rawStatus: rawStatus,
                             objective: problem.objective(residualNorm: residual, solution: x),
                             variableNames: problem.variableNames, primal: x, iterations: iterations)
    let error = problem.errorNorm(x)
    let relative = error.flatMap { e in problem.knownSolution.map { e / max(Vector.norm2($0), Double.leastNormalMagnitude) } }
    result.details = [LinearSystemDetails(residualNorm: residual, errorNorm: error, relativeError: relative,
                                          normalResidualNorm: normalResidual, rank: rank, rowUpdates: rowUpdates, historyNote: historyNote)]
    result.notes = notes
    result.convergedBy = status == .optimal ? convergedBy : nil
    if let historyNote { result.notes.append("history recorded \(historyNote)") }
    return result
}
