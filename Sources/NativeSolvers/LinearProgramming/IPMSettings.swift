import LagrangeCore

/// Settings of the native interior-point method (`native.ipm`).
package struct IPMSettings: Sendable, Equatable {
    /// Relative primal, dual and gap tolerance (`tolerance`). Default 1e-8; must be > 0.
    package var tolerance: Double = 1e-8
    /// Iteration limit (`max_iterations`). Default 200.
    package var maxIterations: Int = 200
    /// Run presolve (`presolve`; ``LPPresolve``, the full reductions for an LP). Default true.
    package var presolve = true
    /// Ruiz equilibration passes (`scaling_passes`), 0 turns scaling off. Default 10.
    package var scalingPasses = 10
    /// Fraction of the step to the boundary (`step_fraction`). Default 0.995; in (0, 1).
    package var stepFraction = 0.995
    /// Primal regularization ρ added to Θ⁻¹ (`primal_regularization`). Default 1e-10.
    package var primalRegularization = 1e-10
    /// Dual regularization δ added to the normal-equations diagonal
    /// (`dual_regularization`). Default 1e-12: late in a run AΘAᵀ shrinks with Θ, and
    /// 1e-10 left primal residuals stuck near 1e-8 that refinement could not remove
    /// (finnis); lp-suite 77 → 79 solved.
    package var dualRegularization = 1e-12
    /// Static regularization of the QP augmented system's factorization
    /// (`augmented_regularization`), removed again by iterative refinement. Default 1e-9.
    package var augmentedRegularization = 1e-9

    /// Gondzio's multiple centrality correctors after the Mehrotra direction
    /// (`centrality_correctors`): at most this many extra solves with the same
    /// factorization per iteration, each kept only if it lengthens the step. LPs only, and
    /// only where one normal-equations factorization costs at least five such solves
    /// (operation counts); elsewhere they cost more than they save. Default 4; 0 turns
    /// them off (plain Mehrotra).
    package var centralityCorrectors = 4
    /// Crossover to an optimal basic solution after an LP's interior optimum (`crossover`,
    /// ``InteriorPointCrossover``). Default on, as HiGHS after IPX; LPs only.
    package var crossover = true
    /// Whether `crossover` was given (a QP refuses an explicit `on`).
    package var explicitCrossover = false

    package init() {}

    /// Reads the settings from solve options, validating each field.
    package init(options: SolveOptions) throws(SolverError) {
        if let t = options.tolerance { tolerance = t }
        if let k = options.maxIterations { maxIterations = k }
        presolve = try options.flag("presolve", default: presolve)
        let passes = try options.number("scaling_passes", default: Double(scalingPasses))
        guard passes >= 0, passes <= 100, passes == passes.rounded() else {
            throw .invalidOption(name: "scaling_passes", reason: "must be an integer in 0...100, got \(passes)")
        }
        scalingPasses = Int(passes)
        stepFraction = try options.number("step_fraction", default: stepFraction)
        guard stepFraction > 0, stepFraction < 1 else {
            throw .invalidOption(name: "step_fraction", reason: "must lie in (0, 1), got \(stepFraction)")
        }
        primalRegularization = try options.number("primal_regularization", default: primalRegularization)
        dualRegularization = try options.number("dual_regularization", default: dualRegularization)
        guard primalRegularization >= 0 else { throw .invalidOption(name: "primal_regularization", reason: "must be ≥ 0") }
        guard dualRegularization >= 0 else { throw .invalidOption(name: "dual_regularization", reason: "must be ≥ 0") }
        let correctors = try options.number("centrality_correctors", default: Double(centralityCorrectors))
        guard correctors >= 0, correctors <= 10, correctors == correctors.rounded() else {
            throw .invalidOption(name: "centrality_correctors", reason: "must be an integer in 0...10, got \(correctors)")
        }
        centralityCorrectors = Int(correctors)
        crossover = try options.flag("crossover", default: crossover)
        explicitCrossover = options.parameters["crossover"] != nil
        augmentedRegularization = try options.number("augmented_regularization", default: augmentedRegularization)
        guard augmentedRegularization > 0 else { throw .invalidOption(name: "augmented_regularization", reason: "must be > 0") }
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs: [OptionSpec] = [
        OptionSpec("presolve", default: "true", "presolve first: empty/free/singleton/forcing/redundant rows, fixed/empty columns, implied-free column singletons (LP; the simple ones for a QP)"),
        OptionSpec("scaling_passes", default: "10", "Ruiz equilibration passes (0: no scaling)"),
        OptionSpec("step_fraction", default: "0.995", "fraction of the step to the boundary"),
        OptionSpec("primal_regularization", default: "1e-10", "ρ added to the diagonal X⁻¹Z"),
        OptionSpec("dual_regularization", default: "1e-12", "δ added to the diagonal of AΘAᵀ"),
        OptionSpec("centrality_correctors", default: "4", "LP: at most this many Gondzio centrality correctors per iteration, used only where a factorization costs ≥ 5 solves (0: plain Mehrotra)"),
        OptionSpec("crossover", default: "on", "LP: turn the interior optimum into an optimal basic solution (basis statuses) with the simplex engine; off: return the interior point"),
        OptionSpec("augmented_regularization", default: "1e-9", "QP: static regularization of the augmented system (refined away)"),
    ]
}
