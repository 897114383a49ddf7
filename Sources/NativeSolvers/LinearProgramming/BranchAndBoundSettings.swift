import LagrangeCore

/// Settings of `native.branch-and-bound`, read from its options.
struct BranchAndBoundSettings {
    enum Branching: String, CaseIterable { case reliability, pseudocost, mostFractional = "most-fractional" }
    enum NodeSelection: String, CaseIterable { case hybrid, bestBound = "best-bound", depthFirst = "depth-first" }

    /// Relative gap |incumbent − bound| / max(1, |incumbent|) at which the search stops (`mip_gap`).
    var relativeGap = 1e-6
    /// Absolute gap at which the search stops (`mip_gap_abs`).
    var absoluteGap = 1e-9
    var branching = Branching.reliability
    /// Reliability branching: pseudocosts with fewer observations a side than this are
    /// probed by strong branching.
    var reliability = 4
    /// The most candidates one node probes, and the probes in a row without a better score
    /// after which it stops.
    var strongBranchingCandidates = 10
    var strongBranchingLookahead = 4
    /// The pivot budget of one strong-branching child LP.
    var strongBranchingPivots = 100
    /// Strong branching's pivots may exceed half the node LPs' by this many.
    var strongBranchingAllowance = 20_000
    var nodeSelection = NodeSelection.hybrid
    var rounding = true
    var diving = true
    /// The root-face search (`face_search`): a sub-MIP that admits only points at the root
    /// bound, with the columns fixed that the root's reduced costs rule out there.
    var faceSearch = true
    /// RENS at the root (`rens`): a sub-MIP with the root LP's integral columns fixed.
    var rens = true
    /// RINS at nodes 200, 400, 800, … (`rins`): a sub-MIP with the columns fixed where the
    /// node's LP point and the incumbent agree.
    var rins = true
    /// The node count of the first RINS run (`rins_start`); then at twice, four times, ….
    var rinsStart = 200
    /// The node limit of a root-face, RENS or RINS sub-MIP (`rens_nodes`).
    var rensNodes = 1000
    var reducedCostTightening = true
    /// Rounds of root cuts: knapsack covers, complemented MIR and Gomory mixed-integer cuts
    /// (`cut_rounds`; 0: none).
    var cutRounds = 10
    /// The most Gomory cuts a round adds (dense rows that slow every node LP).
    var gomoryCutsPerRound = 20
    /// A cut round that raises the root bound by less than this, relative, ends the rounds.
    var cutStall = 1e-4
    /// Cut rounds in a row below `cutStall` that end the rounds. 10teams' root bound sits at
    /// 921 for two rounds, then climbs to 923, then to the optimum 924 after more flat rounds.
    var cutStallRounds = 5
    /// A history record every this many nodes, besides one per new incumbent.
    var recordNodes = 100
    /// |x − round(x)| below which an integer column counts as integral.
    let integralityTolerance = 1e-6

    init(options: SolveOptions) throws(SolverError) {
        relativeGap = try options.number("mip_gap", default: options.tolerance ?? 1e-6)
        guard relativeGap >= 0 else { throw .invalidOption(name: "mip_gap", reason: "must be ≥ 0") }
        absoluteGap = try options.number("mip_gap_abs", default: 1e-9)
        guard absoluteGap >= 0 else { throw .invalidOption(name: "mip_gap_abs", reason: "must be ≥ 0") }
        branching = Branching(rawValue: try options.string("branching", default: Branching.reliability.rawValue,
                                                           allowed: Branching.allCases.map(\.rawValue))) ?? .reliability
        let reliable = try options.number("reliability", default: 4)
        guard reliable >= 0, reliable == reliable.rounded(), reliable <= 1e6 else {
            throw .invalidOption(name: "reliability", reason: "must be a whole number in [0, 10⁶]")
        }
        reliability = Int(reliable)
        for (name, value) in [("strong_branching_candidates", \Self.strongBranchingCandidates), ("strong_branching_pivots", \Self.strongBranchingPivots),
                              ("strong_branching_allowance", \Self.strongBranchingAllowance)] {
            let number = try options.number(name, default: Double(self[keyPath: value]))
            guard number >= 0, number == number.rounded(), number <= 1e9 else { throw .invalidOption(name: name, reason: "must be a whole number in [0, 10⁹]") }
            self[keyPath: value] = Int(number)
        }
        nodeSelection = NodeSelection(rawValue: try options.string("node_selection", default: NodeSelection.hybrid.rawValue,
                                                                   allowed: NodeSelection.allCases.map(\.rawValue))) ?? .hybrid
        rounding = try options.flag("rounding", default: true)
        diving = try options.flag("diving", default: true)
        faceSearch = try options.flag("face_search", default: true)
        rens = try options.flag("rens", default: true)
        rins = try options.flag("rins", default: true)
        let firstRINS = try options.number("rins_start", default: 200)
        guard firstRINS >= 1, firstRINS == firstRINS.rounded(), firstRINS <= 1e9 else {
            throw .invalidOption(name: "rins_start", reason: "must be a whole number in [1, 10⁹]")
        }
        rinsStart = Int(firstRINS)
        let rensLimit = try options.number("rens_nodes", default: 1000)
        guard rensLimit >= 0, rensLimit == rensLimit.rounded(), rensLimit <= 1e9 else {
            throw .invalidOption(name: "rens_nodes", reason: "must be a whole number in [0, 10⁹]")
        }
        rensNodes = Int(rensLimit)
        reducedCostTightening = try options.flag("reduced_cost_tightening", default: true)
        let rounds = try options.number("cut_rounds", default: 10)
        guard rounds >= 0, rounds == rounds.rounded() else { throw .invalidOption(name: "cut_rounds", reason: "must be a whole number ≥ 0") }
        cutRounds = Int(rounds)
        let gomory = try options.number("gomory_cuts_per_round", default: 20)
        guard gomory >= 0, gomory == gomory.rounded(), gomory <= 1e6 else {
            throw .invalidOption(name: "gomory_cuts_per_round", reason: "must be a whole number in [0, 10⁶]")
        }
        gomoryCutsPerRound = Int(gomory)
        cutStall = try options.number("cut_stall", default: 1e-4)
        guard cutStall >= 0 else { throw .invalidOption(name: "cut_stall", reason: "must be ≥ 0") }
        let stallRounds = try options.number("cut_stall_rounds", default: 5)
        guard stallRounds >= 1, stallRounds == stallRounds.rounded(), stallRounds <= 1e6 else {
            throw .invalidOption(name: "cut_stall_rounds", reason: "must be a whole number in [1, 10⁶]")
        }
        cutStallRounds = Int(stallRounds)
        recordNodes = try MILPDetails.recordNodes(options)
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs: [OptionSpec] = [
        OptionSpec("mip_gap", default: "1e-6", "stop at this relative gap |incumbent − bound| / max(1, |incumbent|); also set by --tolerance"),
        OptionSpec("mip_gap_abs", default: "1e-9", "stop at this absolute gap"),
        OptionSpec("branching", default: "reliability", "reliability (pseudocosts, strong branching on the candidates whose pseudocosts rest on fewer than `reliability` observations), pseudocost (product rule) or most-fractional"),
        OptionSpec("reliability", default: "4", "reliability branching: observations a side after which a pseudocost is trusted (0: pseudocost branching)"),
        OptionSpec("strong_branching_candidates", default: "10", "reliability branching: the most candidates one node probes"),
        OptionSpec("strong_branching_pivots", default: "100", "reliability branching: the pivot budget of one probe's child LP"),
        OptionSpec("strong_branching_allowance", default: "20000", "reliability branching: probes stop while their pivots exceed half the node LPs' by more than this"),
        OptionSpec("node_selection", default: "hybrid", "hybrid (each solved node's preferred child next, the queued nodes by best bound), best-bound or depth-first"),
        OptionSpec("rounding", default: "true", "simple rounding heuristic at every node"),
        OptionSpec("diving", default: "true", "fractional diving heuristic at the root"),
        OptionSpec("face_search", default: "true", "root-face search before RENS: a sub-MIP that admits only points at the root bound (the next grid value excluded), with every integer column fixed or narrowed that the root's reduced costs keep away from that bound; a point it finds is optimal"),
        OptionSpec("rens", default: "true", "RENS at the root: a sub-MIP over the columns the root LP leaves fractional (the integral ones fixed), when at least half are integral"),
        OptionSpec("rins", default: "true", "RINS at nodes rins_start, twice that, four times, …: a sub-MIP with the integer columns fixed where the node's LP point and the incumbent agree, when at least half do"),
        OptionSpec("rins_start", default: "200", "the node count of the first RINS sub-MIP (then twice, four times, …)"),
        OptionSpec("rens_nodes", default: "1000", "the node limit of a root-face, RENS or RINS sub-MIP"),
        OptionSpec("reduced_cost_tightening", default: "true", "tighten integer bounds from reduced costs and the incumbent"),
        OptionSpec("cut_rounds", default: "10", "rounds of root cuts: knapsack covers of the all-binary rows, complemented MIR cuts of the rows (aggregated, with variable bounds) and Gomory mixed-integer cuts (0: none)"),
        OptionSpec("gomory_cuts_per_round", default: "20", "the most Gomory mixed-integer cuts one root cut round adds"),
        OptionSpec("cut_stall", default: "1e-4", "root cut rounds end after a round that raises the bound by less than this, relative"),
        OptionSpec("cut_stall_rounds", default: "5", "root cut rounds end after this many rounds in a row below cut_stall"),
        OptionSpec("record_nodes", default: "100", "a history record every N nodes (and at every new incumbent)"),
    ]
}
