import LagrangeCore

/// The `memory` option of the L-BFGS methods (native.lbfgs, native.lbfgsb and the augmented
/// Lagrangian's subproblems).
enum NonlinearOptions {
    /// The `memory` option of the L-BFGS methods (native.lbfgs, native.lbfgsb and the
    /// augmented Lagrangian's subproblems): (s, y) pairs kept, an integer in 1…1000.
    static func memory(_ options: SolveOptions) throws -> Int {
        let value = try options.number("memory", default: 10)
        guard value >= 1, value <= 1000, value == value.rounded() else {
            throw SolverError.invalidOption(name: "memory", reason: "must be an integer in 1...1000")
        }
        return Int(value)
    }
}

/// Settings of `native.lbfgsb` (``LBFGSBSolver``), validated once from the options.
struct LBFGSBSettings: Sendable, Equatable {
    /// (s, y) pairs kept (`memory`). Default 10.
    var memory = 10
    /// The projected-gradient test's tolerance, relative to max(1, |F|). Default 1e-8.
    var tolerance = 1e-8

    init(options: SolveOptions) throws {
        memory = try NonlinearOptions.memory(options)
        tolerance = options.tolerance ?? tolerance
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs = [OptionSpec("memory", default: "10", "number of (s, y) pairs kept")]
}

/// Settings of `native.augmented-lagrangian` (``AugmentedLagrangianSolver``), validated once
/// from the options.
struct AugmentedLagrangianSettings: Sendable, Equatable {
    /// L-BFGS-B pairs in the subproblems (`memory`). Default 10.
    var memory = 10
    /// Feasibility, stationarity and complementarity to claim a KKT point, relative. Default 1e-8.
    var tolerance = 1e-8
    /// The initial penalty ρ₀ (`penalty`); nil: from the start point, as ALGENCAN.
    var penalty: Double?

    init(options: SolveOptions) throws {
        memory = try NonlinearOptions.memory(options)
        tolerance = options.tolerance ?? tolerance
        if let given = options.parameters["penalty"], given.description != "automatic" {
            let r = try options.number("penalty", default: 0)
            guard r > 0 else { throw SolverError.invalidOption(name: "penalty", reason: "must be > 0") }
            penalty = r
        }
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs = [OptionSpec("memory", default: "10", "L-BFGS-B pairs in the subproblems"),
                              OptionSpec("penalty", default: "automatic", "initial penalty ρ₀ (default from the start point, as ALGENCAN)")]
}
