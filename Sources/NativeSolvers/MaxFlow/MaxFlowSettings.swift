import LagrangeCore

/// `native.push-relabel`'s options, validated once: how often the global relabelling
/// runs (`global_relabel_frequency`: after (6n + m) / frequency units of work; default 1). Max-flow has no
/// tolerance: the flow is exact.
struct PushRelabelSettings {
    let globalRelabelFrequency: Double

    init(options: SolveOptions) throws(SolverError) {
        globalRelabelFrequency = try options.number("global_relabel_frequency", default: 1.0)
        guard globalRelabelFrequency > 0 else {
            throw .invalidOption(name: "global_relabel_frequency", reason: "must be > 0, got \(globalRelabelFrequency)")
        }
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs = [OptionSpec("global_relabel_frequency", default: "1", "global relabel after (6n + m) / frequency units of work")]
}

// `native.dinic` has no options of its own; `native.maxflow-lp` reads `lp_solver` (MaxFlowLPSolver.swift).
