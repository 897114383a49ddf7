import LagrangeCore

// The matrix-game solvers' settings, each validated once from the solve options, with the
// options `lagrange solvers` lists.

/// `native.fictitious-play`'s options, validated once: alternating or simultaneous play
/// and the duality-gap tolerance (default 1e-3).
struct FictitiousPlaySettings {
    let alternating: Bool
    let tolerance: Double

    init(options: SolveOptions) throws(SolverError) {
        alternating = try options.flag("alternating", default: true)
        tolerance = options.tolerance ?? 1e-3
    }

    static let optionSpecs = [OptionSpec("alternating", default: "true", "Y responds to X's play of the same round (false: simultaneous play)")]
}

/// `native.multiplicative-weights`' options, validated once: the step schedule, the
/// constant step, optimism and the duality-gap tolerance (default 1e-3).
struct MultiplicativeWeightsSettings {
    let schedule: String
    let stepSize: Double
    let optimistic: Bool
    let tolerance: Double

    init(options: SolveOptions) throws(SolverError) {
        schedule = try options.string("schedule", default: "anytime", allowed: ["anytime", "horizon", "constant"])
        stepSize = try options.number("step_size", default: 1)
        guard stepSize > 0 else { throw .invalidOption(name: "step_size", reason: "must be > 0, got \(stepSize)") }
        optimistic = try options.flag("optimistic", default: false)
        tolerance = options.tolerance ?? 1e-3
    }

    static let optionSpecs = [
        OptionSpec("schedule", default: "anytime", "step size: anytime √(8 ln N / t), horizon √(8 ln N / T) with T = max_iterations, or constant"),
        OptionSpec("step_size", default: "1", "the constant step η (payoffs scaled to [0, 1]) for schedule: constant"),
        OptionSpec("optimistic", default: "false", "optimistic Hedge: count the last round's payoffs twice"),
    ]
}

/// The game-LP solvers' options, validated once: presolve (saddle point, dominance), how
/// Y's strategy is found (`column_strategy`, glpk.game-lp only) and the value tolerance
/// (default 1e-9 relative to the largest |payoff|).
struct GameLPSettings {
    let presolve: Bool
    let columnStrategy: String
    let tolerance: Double

    init(options: SolveOptions, game: MatrixGame, strategies: Bool = true) throws(SolverError) {
        presolve = try options.flag("presolve", default: true)
        columnStrategy = strategies ? try options.string("column_strategy", default: "duals", allowed: ["duals", "dual_lp"]) : "duals"
        tolerance = options.tolerance ?? 1e-9 * max(1, game.maxAbsolutePayoff)
    }

    /// The options of `native.game-lp` (no `column_strategy`: its interior point gives both strategies).
    static let presolveOptionSpecs = [
        OptionSpec("presolve", default: "true", "detect a pure saddle point and remove strictly dominated strategies first"),
    ]
    /// The options of the game LPs through the registry (`glpk.game-lp`, …).
    static let optionSpecs = presolveOptionSpecs + [
        OptionSpec("column_strategy", default: "duals", "duals: Y's strategy from the LP duals (Y's LP if they fail the check); dual_lp: always solve Y's LP"),
    ]
}
