import LagrangeCore

/// Settings of `native.branch-and-bound`, read from its options.
struct BranchAndBoundSettings {
    enum Branching: String, CaseIterable { case pseudocost, mostFractional = "most-fractional" }
    enum NodeSelection: String, CaseIterable { case hybrid, bestBound = "best-bound", depthFirst = "depth-first" }

    /// Relative gap |incumbent − bound| / max(1, |incumbent|) at which the search stops (`mip_gap`).
    var relativeGap = 1e-6
    /// Absolute gap at which the search stops (`mip_gap_abs`).
    var absoluteGap = 1e-9
    var branching = Branching.pseudocost
    var nodeSelection = NodeSelection.hybrid
    var rounding = true
    var diving = true
    var reducedCostTightening = true
    /// Rounds of root cuts: knapsack covers, complemented MIR and Gomory mixed-integer cuts
    /// (`cut_rounds`; 0: none).
    var cutRounds = 10
    /// A history record every this many nodes, besides one per new incumbent.
    var recordNodes = 100
    /// |x − round(x)| below which an integer column counts as integral.
    let integralityTolerance = 1e-6

    init(options: SolveOptions) throws(SolverError) {
        relativeGap = try options.number("mip_gap", default: options.tolerance ?? 1e-6)
        guard relativeGap >= 0 else { throw .invalidOption(name: "mip_gap", reason: "must be ≥ 0") }
        absoluteGap = try options.number("mip_gap_abs", default: 1e-9)
        guard absoluteGap >= 0 else { throw .invalidOption(name: "mip_gap_abs", reason: "must be ≥ 0") }
        branching = Branching(rawValue: try options.string("branching", default: Branching.pseudocost.rawValue,
                                                           allowed: Branching.allCases.map(\.rawValue))) ?? .pseudocost
        nodeSelection = NodeSelection(rawValue: try options.string("node_selection", default: NodeSelection.hybrid.rawValue,
                                                                   allowed: NodeSelection.allCases.map(\.rawValue))) ?? .hybrid
        rounding = try options.flag("rounding", default: true)
        diving = try options.flag("diving", default: true)
        reducedCostTightening = try options.flag("reduced_cost_tightening", default: true)
        let rounds = try options.number("cut_rounds", default: 10)
        guard rounds >= 0, rounds == rounds.rounded() else { throw .invalidOption(name: "cut_rounds", reason: "must be a whole number ≥ 0") }
        cutRounds = Int(rounds)
        recordNodes = try MILPDetails.recordNodes(options)
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs: [OptionSpec] = [
        OptionSpec("mip_gap", default: "1e-6", "stop at this relative gap |incumbent − bound| / max(1, |incumbent|); also set by --tolerance"),
        OptionSpec("mip_gap_abs", default: "1e-9", "stop at this absolute gap"),
        OptionSpec("branching", default: "pseudocost", "pseudocost (product rule) or most-fractional"),
        OptionSpec("node_selection", default: "hybrid", "hybrid (dive, then best bound), best-bound or depth-first"),
        OptionSpec("rounding", default: "true", "simple rounding heuristic at every node"),
        OptionSpec("diving", default: "true", "fractional diving heuristic at the root"),
        OptionSpec("reduced_cost_tightening", default: "true", "tighten integer bounds from reduced costs and the incumbent"),
        OptionSpec("cut_rounds", default: "10", "rounds of root cuts: knapsack covers of the all-binary rows, complemented MIR cuts of the rows (aggregated, with variable bounds) and Gomory mixed-integer cuts (0: none)"),
        OptionSpec("record_nodes", default: "100", "a history record every N nodes (and at every new incumbent)"),
    ]
}
