import LagrangeCore

// The learning-dynamics plugins of the matrix-game family; the game LPs' plugins are
// GameLPSolver.swift (through the registry) and DenseGameLPSolver.swift (dense interior point).

/// `native.fictitious-play`: Brown–Robinson fictitious play (``FictitiousPlay``).
package struct FictitiousPlaySolver: SolverPlugin {
    package static let id = "native.fictitious-play"
    package let descriptor = SolverDescriptor(
        id: FictitiousPlaySolver.id, kinds: [.matrixGame],
        options: FictitiousPlaySettings.optionSpecs,
        summary: "fictitious play (Brown–Robinson); averaged strategies, duality-gap history")

    package init() {}

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let game = try GameResult.game(problem, solverID: descriptor.id)
        let settings = try FictitiousPlaySettings(options: context.options)
        return FictitiousPlay.run(game, settings: settings, control: context.control)
    }
}

/// `native.multiplicative-weights`: Hedge self-play (``MultiplicativeWeights``).
package struct MultiplicativeWeightsSolver: SolverPlugin {
    package static let id = "native.multiplicative-weights"
    package let descriptor = SolverDescriptor(
        id: MultiplicativeWeightsSolver.id, kinds: [.matrixGame],
        options: MultiplicativeWeightsSettings.optionSpecs,
        summary: "multiplicative weights (Hedge) self-play; averaged strategies, duality-gap history")

    package init() {}

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let game = try GameResult.game(problem, solverID: descriptor.id)
        let settings = try MultiplicativeWeightsSettings(options: context.options)
        return MultiplicativeWeights.run(game, settings: settings, control: context.control)
    }

    /// The default budget: about 2·10⁸ payoff entries read (two per entry per round),
    /// between 10 000 and 1 000 000 rounds.
    package static func defaultIterations(rows: Int, columns: Int) -> Int {
        let entries = max(1, rows.multipliedReportingOverflow(by: columns).partialValue)
        return min(1_000_000, max(10_000, 200_000_000 / entries))
    }
}
