import LagrangeCore

/// What every native smooth method's settings provide: validation from the solve options
/// (once, before the run), the options `lagrange solvers` lists, and the iteration limit
/// when `--max-iterations` is not given. The common options (`tolerance`, `max_iterations`,
/// the limits) are read by ``SmoothDriver`` and ``SmoothTermination``.
protocol SmoothMethodSettings: Sendable {
    /// Reads the method's own options, validating each.
    init(options: SolveOptions) throws
    /// The method's options, in the order `lagrange solvers` lists them.
    static var optionSpecs: [OptionSpec] { get }
    /// The iteration limit without `--max-iterations`.
    static var defaultIterations: Int { get }
}

// MARK: - Shared parts

/// Armijo backtracking constants (`alpha`, `beta`), shared by gradient descent and Newton.
struct ArmijoSettings: Sendable, Equatable {
    /// Sufficient-decrease constant (`alpha`). Default 0.25; in (0, ½).
    var alpha = 0.25
    /// Backtracking factor (`beta`). Default 0.5; in (0, 1).
    var beta = 0.5

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        alpha = try options.number("alpha", default: alpha)
        beta = try options.number("beta", default: beta)
        guard alpha > 0, alpha < 0.5 else { throw .invalidOption(name: "alpha", reason: "must be in (0, 1/2), got \(alpha)") }
        guard beta > 0, beta < 1 else { throw .invalidOption(name: "beta", reason: "must be in (0, 1), got \(beta)") }
    }

    static let optionSpecs = [
        OptionSpec("alpha", default: "0.25", "Armijo sufficient-decrease constant, in (0, 1/2)"),
        OptionSpec("beta", default: "0.5", "backtracking factor, in (0, 1)"),
    ]
}

/// Strong Wolfe constants (`c1`, `c2`), shared by BFGS and L-BFGS.
struct WolfeSettings: Sendable, Equatable {
    /// Sufficient-decrease constant (`c1`). Default 1e-4.
    var c1 = 1e-4
    /// Curvature constant (`c2`). Default 0.9; 0 < c1 < c2 < 1.
    var c2 = 0.9

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        c1 = try options.number("c1", default: c1)
        c2 = try options.number("c2", default: c2)
        guard c1 > 0, c1 < c2, c2 < 1 else { throw .invalidOption(name: "c2", reason: "need 0 < c1 < c2 < 1, got c1 = \(c1), c2 = \(c2)") }
    }

    static let optionSpecs = [
        OptionSpec("c1", default: "1e-4", "Wolfe sufficient-decrease constant"),
        OptionSpec("c2", default: "0.9", "Wolfe curvature constant, in (c1, 1)"),
    ]
}

// MARK: - First-order methods

/// Settings of `native.gradient-descent`.
struct GradientDescentSettings: SmoothMethodSettings, Equatable {
    /// How the step length is chosen (`line_search`).
    enum LineSearch: String, Sendable, CaseIterable {
        case fixed, backtracking, exact
    }
    /// Default `backtracking`.
    var lineSearch = LineSearch.backtracking
    /// The step of `line_search: fixed` (`step_size`). Default 1e-3; must be > 0.
    var stepSize = 1e-3
    /// The backtracking constants (also the fallback of `exact`).
    var armijo = ArmijoSettings()

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        let mode = try options.string("line_search", default: lineSearch.rawValue, allowed: LineSearch.allCases.map(\.rawValue))
        lineSearch = LineSearch(rawValue: mode) ?? .backtracking
        stepSize = try options.number("step_size", default: stepSize)
        guard stepSize > 0 else { throw .invalidOption(name: "step_size", reason: "must be > 0") }
        armijo = try ArmijoSettings(options: options)
    }

    static let optionSpecs = [
        OptionSpec("line_search", default: "backtracking", "fixed | backtracking | exact (exact for quadratics)"),
        OptionSpec("step_size", default: "1e-3", "step for line_search: fixed"),
    ] + ArmijoSettings.optionSpecs
    static let defaultIterations = 10_000
}

/// Settings of `native.heavy-ball`: the Hessian eigenvalue bounds, nil when estimated by
/// power iteration at the start point.
struct HeavyBallSettings: SmoothMethodSettings, Equatable {
    /// Smallest Hessian eigenvalue bound (`lambda_min`).
    var lambdaMin: Double?
    /// Largest Hessian eigenvalue bound (`lambda_max`).
    var lambdaMax: Double?

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        let givenMin = try options.number("lambda_min", default: .nan)
        let givenMax = try options.number("lambda_max", default: .nan)
        lambdaMin = givenMin.isNaN ? nil : givenMin
        lambdaMax = givenMax.isNaN ? nil : givenMax
    }

    static let optionSpecs = [
        OptionSpec("lambda_min", default: "estimated", "smallest Hessian eigenvalue bound (> 0)"),
        OptionSpec("lambda_max", default: "estimated", "largest Hessian eigenvalue bound"),
    ]
    static let defaultIterations = 10_000
}

/// Settings of `native.nesterov`.
struct NesterovSettings: SmoothMethodSettings, Equatable {
    /// Initial Lipschitz constant of the gradient (`lipschitz`); nil: estimated.
    var lipschitz: Double?
    /// μ > 0 selects the constant-momentum variant (`strong_convexity`). Default 0.
    var strongConvexity = 0.0

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        let given = try options.number("lipschitz", default: .nan)
        lipschitz = given.isNaN ? nil : given
        strongConvexity = try options.number("strong_convexity", default: strongConvexity)
    }

    static let optionSpecs = [
        OptionSpec("lipschitz", default: "estimated", "initial Lipschitz constant L of the gradient"),
        OptionSpec("strong_convexity", default: "0", "μ > 0 for the constant-momentum variant"),
    ]
    static let defaultIterations = 10_000
}

/// Settings of `native.adagrad`.
struct AdaGradSettings: SmoothMethodSettings, Equatable {
    /// η (`learning_rate`). Default 0.1; must be > 0.
    var learningRate = 0.1
    /// ε in the denominator (`epsilon`). Default 1e-8; must be > 0.
    var epsilon = 1e-8

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        learningRate = try options.number("learning_rate", default: learningRate)
        epsilon = try options.number("epsilon", default: epsilon)
        guard learningRate > 0, epsilon > 0 else { throw .invalidOption(name: "learning_rate", reason: "learning_rate and epsilon must be > 0") }
    }

    static let optionSpecs = [OptionSpec("learning_rate", default: "0.1", "η"), OptionSpec("epsilon", default: "1e-8", "ε in the denominator")]
    static let defaultIterations = 10_000
}

/// Settings of `native.adam`.
struct AdamSettings: SmoothMethodSettings, Equatable {
    /// α (`learning_rate`). Default 1e-3; must be > 0.
    var learningRate = 1e-3
    /// First-moment decay (`beta1`). Default 0.9; in [0, 1).
    var beta1 = 0.9
    /// Second-moment decay (`beta2`). Default 0.999; in [0, 1).
    var beta2 = 0.999
    /// ε (`epsilon`). Default 1e-8; must be > 0.
    var epsilon = 1e-8

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        learningRate = try options.number("learning_rate", default: learningRate)
        beta1 = try options.number("beta1", default: beta1)
        beta2 = try options.number("beta2", default: beta2)
        epsilon = try options.number("epsilon", default: epsilon)
        guard learningRate > 0 else { throw .invalidOption(name: "learning_rate", reason: "must be > 0") }
        guard beta1 >= 0, beta1 < 1 else { throw .invalidOption(name: "beta1", reason: "must be in [0, 1)") }
        guard beta2 >= 0, beta2 < 1 else { throw .invalidOption(name: "beta2", reason: "must be in [0, 1)") }
        guard epsilon > 0 else { throw .invalidOption(name: "epsilon", reason: "must be > 0") }
    }

    static let optionSpecs = [
        OptionSpec("learning_rate", default: "1e-3", "α"), OptionSpec("beta1", default: "0.9", "first-moment decay"),
        OptionSpec("beta2", default: "0.999", "second-moment decay"), OptionSpec("epsilon", default: "1e-8", "ε"),
    ]
    static let defaultIterations = 10_000
}

// MARK: - Second-order and quasi-Newton methods

/// Settings of `native.newton`: its backtracking constants.
struct NewtonSettings: SmoothMethodSettings, Equatable {
    var armijo = ArmijoSettings()

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        armijo = try ArmijoSettings(options: options)
    }

    static let optionSpecs = ArmijoSettings.optionSpecs
    static let defaultIterations = 500
}

/// Settings of `native.bfgs`: its Wolfe constants.
struct BFGSSettings: SmoothMethodSettings, Equatable {
    var wolfe = WolfeSettings()

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        wolfe = try WolfeSettings(options: options)
    }

    static let optionSpecs = WolfeSettings.optionSpecs
    static let defaultIterations = 2_000
}

/// Settings of `native.lbfgs`.
struct LBFGSSettings: SmoothMethodSettings, Equatable {
    var wolfe = WolfeSettings()
    /// (s, y) pairs kept (`memory`, shared with the other L-BFGS methods). Default 10.
    var memory = 10

    init() {}

    init(options: SolveOptions) throws {
        wolfe = try WolfeSettings(options: options)
        memory = try NonlinearOptions.memory(options)
    }

    static let optionSpecs = [OptionSpec("memory", default: "10", "number of (s, y) pairs kept")] + WolfeSettings.optionSpecs
    static let defaultIterations = 5_000
}
