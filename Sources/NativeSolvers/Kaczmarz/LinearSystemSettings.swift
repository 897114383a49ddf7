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
}

/// The row-action methods that share one loop: randomized and cyclic Kaczmarz, randomized
/// extended Kaczmarz, and minibatch SGD.
enum RowActionMethod: Sendable, Equatable {
    /// Rows drawn independently from the alias table (∝ ‖a_i‖², or uniform).
    case randomized
    /// Rows 1, 2, …, m, 1, 2, … (Kaczmarz 1937).
    case cyclic
    /// Zouzias–Freris: a column step drives z toward the part of b outside range(A), a
    /// row step solves Ax = b − z.
    case extended
    /// x ← x − η_k · (1/B) Σ_{i∈batch} (a_iᵀx − b_i) a_i, rows uniform with replacement.
    case stochasticGradient
}

/// SGD step-size schedules (option `schedule`).
enum StepSchedule: String, CaseIterable, Sendable {
    /// η_k = η.
    case constant
    /// η_k = η / (1 + k/decay).
    case inverse
    /// η_k = η / √(1 + k/decay).
    case inverseSqrt = "inverse_sqrt"
}

/// Settings of one row-action solve, validated from the options.
struct RowActionSettings: Sendable {
    var method: RowActionMethod
    /// Draw rows ∝ ‖a_i‖² (true) or uniformly (false).
    var normSampling = true
    /// Relaxation ω ∈ (0, 2): x ← x + ω (b_i − a_iᵀx)/‖a_i‖² a_i.
    var relaxation = 1.0
    /// SGD base step η (nil: 1 / max ‖a_i‖²).
    var stepSize: Double?
    var schedule = StepSchedule.constant
    /// SGD decay constant in steps (nil: m).
    var decaySteps: Double?
    var batchSize = 1
}
