import CGLPK
import CGLPKShim
import LagrangeCore

/// Settings of ``GLPKMIPSolver``, read from the solver-specific options.
package struct GLPKMIPSettings: Sendable, Equatable {
    package enum Branching: String, Sendable, CaseIterable { case pcost, first, last, most, driebeck = "driebeck-tomlin" }
    package enum Backtracking: String, Sendable, CaseIterable { case bestProjection = "best-projection", depth, breadth, bestBound = "best-bound" }

    /// GLPK's MIP presolver (`presolve`). Default true.
    package var presolve = true
    /// Cut families (`cuts`: `all`, `none`, or a comma list of gomory, mir, cover, clique).
    package var cuts: Set<String> = ["gomory", "mir", "cover", "clique"]
    package var branching = Branching.pcost
    /// GLPK's own default, best local bound (glpsol's too; best projection, the default here
    /// until 2026-12-08, sent 10teams down a path that found no 924 in 60 s).
    package var backtracking = Backtracking.bestBound
    package var feasibilityPump = false
    package var proximitySearch = false
    /// Relative gap at which the search stops (`mip_gap`; 0: prove optimality, GLPK's default).
    package var gapTolerance = 0.0
    /// A history record every this many nodes, besides one per new incumbent (`record_nodes`).
    package var recordNodes = 100
    /// Whether GLPK's log goes to standard error (`verbosity: progress`), from the common options.
    package var verbosity = Verbosity.normal

    package init() {}

    static let cutNames = ["gomory", "mir", "cover", "clique"]

    package init(options: SolveOptions) throws(SolverError) {
        presolve = try options.flag("presolve", default: true)
        let cutText = options.parameters["cuts"]?.description ?? "all"
        switch cutText {
        case "all": cuts = Set(Self.cutNames)
        case "none": cuts = []
        default:
            let names = cutText.split(separator: ",").map { String($0.filter { $0 != " " }).lowercased() }
            for name in names where !Self.cutNames.contains(name) {
                throw .invalidOption(name: "cuts", reason: "unknown cut '\(name)' (all, none, or a comma list of \(Self.cutNames.joined(separator: ", ")))")
            }
            cuts = Set(names)
        }
        let branchText = try options.string("branching", default: Branching.pcost.rawValue, allowed: Branching.allCases.map(\.rawValue))
        branching = Branching(rawValue: branchText) ?? .pcost
        let backText = try options.string("backtracking", default: Backtracking.bestBound.rawValue,
                                          allowed: Backtracking.allCases.map(\.rawValue))
        backtracking = Backtracking(rawValue: backText) ?? .bestBound
        feasibilityPump = try options.flag("feasibility_pump", default: false)
        proximitySearch = try options.flag("proximity_search", default: false)
        gapTolerance = try options.number("mip_gap", default: options.tolerance ?? 0)
        guard gapTolerance >= 0 else { throw .invalidOption(name: "mip_gap", reason: "must be ≥ 0") }
        recordNodes = try MILPDetails.recordNodes(options)
        verbosity = options.verbosity
    }

    /// Sets the search's parameters in GLPK's (cut families, heuristics, gap, branching and
    /// backtracking); presolve, the callback and the time limit are set by the run.
    package func apply(to parm: inout glp_iocp) {
        parm.gmi_cuts = cuts.contains("gomory") ? GLP_ON : GLP_OFF
        parm.mir_cuts = cuts.contains("mir") ? GLP_ON : GLP_OFF
        parm.cov_cuts = cuts.contains("cover") ? GLP_ON : GLP_OFF
        parm.clq_cuts = cuts.contains("clique") ? GLP_ON : GLP_OFF
        parm.fp_heur = feasibilityPump ? GLP_ON : GLP_OFF
        parm.ps_heur = proximitySearch ? GLP_ON : GLP_OFF
        parm.mip_gap = gapTolerance
        switch branching {
        case .pcost: parm.br_tech = GLP_BR_PCH
        case .first: parm.br_tech = GLP_BR_FFV
        case .last: parm.br_tech = GLP_BR_LFV
        case .most: parm.br_tech = GLP_BR_MFV
        case .driebeck: parm.br_tech = GLP_BR_DTH
        }
        switch backtracking {
        case .bestProjection: parm.bt_tech = GLP_BT_BPH
        case .depth: parm.bt_tech = GLP_BT_DFS
        case .breadth: parm.bt_tech = GLP_BT_BFS
        case .bestBound: parm.bt_tech = GLP_BT_BLB
        }
    }
}

/// GLPK's branch-and-cut (`glp_intopt`) for mixed-integer LPs: id `glpk.mip`.
///
/// GLPK's presolver solves the LP relaxation, then branch-and-cut runs with the cut
/// families, branching and backtracking rules of the options. A callback records a history
/// entry at each new incumbent and every `record_nodes` nodes (objective = incumbent, `gap`,
/// and the extras `best_bound`, `nodes`, `open_nodes`) and stops the search for the time
/// limit, the node limit (`max_iterations` counts nodes), observers and interrupts.
///
/// Status: `optimal` when GLPK proves optimality or closes the gap to `mip_gap`;
/// `time_limit` / `iteration_limit` / `interrupted` with the incumbent (if any), best bound
/// and gap; `infeasible` when the relaxation is infeasible (with a Farkas vector) or the
/// search proves no integer point exists; `unbounded` when the relaxation has a ray and an
/// integer point exists (found by a second search with a zero objective).
package struct GLPKMIPSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(
            id: "glpk.mip", kinds: [.lp],
            options: [
                OptionSpec("presolve", default: "true", "GLPK's MIP presolver (solves the LP relaxation itself)"),
                OptionSpec("cuts", default: "all", "cut families: all, none, or a comma list of gomory, mir, cover, clique"),
                OptionSpec("branching", default: "pcost", "pcost (pseudocost), first, last, most (most fractional), driebeck-tomlin"),
                OptionSpec("backtracking", default: "best-bound", "best-bound (best local bound, GLPK's and glpsol's default), best-projection, depth, breadth"),
                OptionSpec("feasibility_pump", default: "false", "feasibility pump heuristic at the root"),
                OptionSpec("proximity_search", default: "false", "proximity search heuristic"),
                OptionSpec("mip_gap", default: "0", "stop at this relative gap (0: prove optimality); also set by --tolerance"),
                OptionSpec("record_nodes", default: "100", "a history record every N nodes (and at every new incumbent)"),
            ],
            summary: "GLPK's branch-and-cut for mixed-integer LPs (glp_intopt)", integerVariables: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.kindNotSupported(id: descriptor.id, kind: problem.kind, valid: [descriptor.id])
        }
        // Without integer columns the search would be one LP whose result carries no duals,
        // so its optimum could not be certified (the checker said almost_optimal): solve
        // the LP by the simplex it runs at its nodes, which returns them.
        if lp.integerColumns.isEmpty {
            var result = try GLPKSimplexSolver().solve(problem, context: context)
            result.notes.insert("no integer columns: solved as an LP by glpk.simplex", at: 0)
            return result
        }
        let settings = try GLPKMIPSettings(options: context.options)
        return try GLPKMIPRun(lp: lp, settings: settings, control: context.control).run()
    }
}

/// What the branch-and-cut callback saw last; read and written only on the solving thread.
private final class MIPSearchState {
    let control: IterationControl
    let recordNodes: Int
    let nodeLimit: Int?
    var nodes = 0
    var openNodes = 0
    var bestBound: Double?
    var incumbent: Double?
    var lastRecordedNodes = -1
    var stop: TerminationStatus?

    init(control: IterationControl, recordNodes: Int, nodeLimit: Int?) {
        self.control = control
        self.recordNodes = recordNodes
        self.nodeLimit = nodeLimit
    }

    /// Reads the tree (nothing here may raise a GLPK error: see `lagrange_glp_intopt_guarded`).
    func visit(_ tree: OpaquePointer) {
        var active: Int32 = 0, current: Int32 = 0, total: Int32 = 0
        glp_ios_tree_size(tree, &active, &current, &total)
        nodes = Int(total - active)
        openNodes = Int(active)
        let best = glp_ios_best_node(tree)
        if best != 0 { bestBound = glp_ios_node_bound(tree, best) }
        let reason = glp_ios_reason(tree)
        if let searched = glp_ios_get_prob(tree) {
            let status = glp_mip_status(searched)
            if status == GLP_FEAS || status == GLP_OPT { incumbent = glp_mip_obj_val(searched) }
        }
        if reason == GLP_IBINGO || nodes - lastRecordedNodes >= recordNodes {
            lastRecordedNodes = nodes
            let record = MILPDetails.historyRecord(iteration: nodes, incumbent: incumbent, bestBound: bestBound,
                                                   nodes: nodes, openNodes: openNodes)
            if stop == nil, let s = control.record(record, iterationLimit: .max) {
                stop = s
            }
        }
        if stop == nil { stop = control.checkInterrupt() }
        if stop == nil, let nodeLimit, nodes >= nodeLimit { stop = .iterationLimit }
        if stop != nil { glp_ios_terminate(tree) }
    }
}

/// One branch-and-cut solve: owns the GLPK problem object for its lifetime on this thread.
struct GLPKMIPRun {
    let lp: LinearProgram
    let settings: GLPKMIPSettings
    let control: IterationControl

    func run() throws -> SolveResult {
        let prob = try GLPKModel.load(lp, integers: true)
        let generation = lagrange_glpk_generation()
        defer { if lagrange_glpk_generation() == generation { glp_delete_prob(prob) } }
        var notes: [String] = []
        let terminal = GLPKTerminal(control: control, log: .simplex, sense: lp.sense,
                                    verbosity: settings.verbosity, recordIterationLimit: .max)
        let state = MIPSearchState(control: control, recordNodes: settings.recordNodes, nodeLimit: control.maxIterations)

        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        // GLPK's presolver scales, and aborts on entries it cannot scale: relax it then.
        let presolve = settings.presolve && GLPKModel.isSafeToScale(lp)
        if settings.presolve && !presolve {
            notes.append("presolve skipped: entries below \(GLPKModel.minScalableMagnitude) in magnitude make GLPK's presolver abort")
        }
        parm.presolve = presolve ? GLP_ON : GLP_OFF
        settings.apply(to: &parm)
        parm.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<MIPSearchState>.fromOpaque(info).takeUnretainedValue().visit(tree)
        }
        parm.cb_info = Unmanaged.passUnretained(state).toOpaque()

        var code: Int32 = 0
        if let stop = control.checkInterrupt() { return stopped(stop, state: state, notes: notes) }
        let remaining = control.secondsRemaining
        if remaining.isFinite { parm.tm_lim = Int32(clamping: Int((remaining * 1000).rounded(.up)).clamped(to: 1...Int(Int32.max))) }
        try withExtendedLifetime(state) {
            try terminal.capturing { () throws in
                if !presolve {
                    // glp_intopt needs the relaxation's optimal basis when it does not presolve.
                    // Scaled and started from an advanced basis first, as glpsol does: on
                    // fixnet6 the unscaled relaxation led to a search that did not finish in
                    // 60 s, against 1.5 s for glpsol.
                    if GLPKModel.isSafeToScale(lp) {
                        try terminal.guarded("glpk.mip") { lagrange_glp_scale_prob_guarded(prob, GLP_SF_AUTO, $0) }
                    }
                    try terminal.guarded("glpk.mip") { lagrange_glp_adv_basis_guarded(prob, $0) }
                    var simplex = glp_smcp()
                    glp_init_smcp(&simplex)
                    simplex.msg_lev = GLP_MSG_OFF
                    if remaining.isFinite { simplex.tm_lim = parm.tm_lim }
                    let lpCode = try terminal.guarded("glpk.mip") { lagrange_glp_simplex_guarded(prob, &simplex, $0) }
                    let relaxation = glp_get_status(prob)
                    guard lpCode == 0, relaxation == GLP_OPT else {
                        code = relaxation == GLP_NOFEAS ? GLP_ENOPFS : relaxation == GLP_UNBND ? GLP_ENODFS : (lpCode == 0 ? GLP_EFAIL : lpCode)
                        return
                    }
                }
                code = try terminal.guarded("glpk.mip") { lagrange_glp_intopt_guarded(prob, &parm, $0) }
            }
        }
        return try outcome(code, prob: prob, state: state, notes: notes)
    }

    private func outcome(_ code: Int32, prob: OpaquePointer, state: MIPSearchState, notes: [String]) throws -> SolveResult {
        let n = lp.columnCount
        var notes = notes
        let mipStatus = glp_mip_status(prob)
        let hasIncumbent = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        let x = hasIncumbent ? (0..<n).map { glp_mip_col_val(prob, Int32($0 + 1)) } : Array(repeating: 0.0, count: n)
        let objective = hasIncumbent ? glp_mip_obj_val(prob) : nil
        let status: TerminationStatus
        let raw: String
        switch code {
        case 0:
            switch mipStatus {
            case GLP_OPT: status = .optimal; raw = "GLP_OPT (glp_intopt: 0)"
            case GLP_NOFEAS: status = .infeasible; raw = "GLP_NOFEAS (glp_intopt: 0): no integer feasible point"
            default: status = .numericalError; raw = "glp_intopt returned 0 with solution status \(mipStatus)"
            }
        case GLP_EMIPGAP:
            status = .optimal; raw = "GLP_EMIPGAP: relative gap within mip_gap \(settings.gapTolerance)"
        case GLP_ETMLIM:
            status = .timeLimit; raw = "GLP_ETMLIM"
        case GLP_ESTOP:
            status = state.stop ?? .interrupted; raw = "GLP_ESTOP (stopped by the callback)"
        case GLP_ENOPFS:
            return try relaxationInfeasible(notes: notes)
        case GLP_ENODFS:
            return try relaxationUnbounded(notes: notes)
        default:
            throw SolverError.unsupported("glpk.mip: glp_intopt failed (\(GLPKOutcome.returnCodeName(code)))")
        }
        var bound = state.bestBound
        if status == .optimal, let objective, code == 0 { bound = objective }
        let gap = status == .optimal && code == 0 ? 0 : MILPDetails.relativeGap(incumbent: objective, bound: bound)
        if !hasIncumbent && status != .infeasible { notes.append("no integer feasible point found before the search stopped") }
        var result = SolveResult(kind: .lp, status: status, rawStatus: raw, objective: objective,
                                 variableNames: lp.variableNames, primal: x, constraintNames: lp.constraintNames,
                                 iterations: state.nodes)
        result.details = [MILPDetails(bestBound: bound, gap: gap, nodes: state.nodes, gapTolerance: settings.gapTolerance)]
        // The history ends with the final state of the search (one record per node count:
        // histories are compared by iteration).
        if state.nodes > state.lastRecordedNodes {
            recordFinal(state: state, objective: objective, bound: bound, gap: gap, open: status == .optimal ? 0 : state.openNodes)
        }
        result.notes = notes
        return result
    }

    private func recordFinal(state: MIPSearchState, objective: Double?, bound: Double?, gap: Double?, open: Int) {
        var record = MILPDetails.historyRecord(iteration: state.nodes, incumbent: objective, bestBound: bound,
                                               nodes: state.nodes, openNodes: open)
        record.gap = gap
        _ = control.record(record, iterationLimit: .max)
    }

    /// The LP relaxation is infeasible: so is the MILP, with the relaxation's Farkas vector.
    private func relaxationInfeasible(notes: [String]) throws -> SolveResult {
        let relaxed = lp.relaxation()
        var result = SolveResult(kind: .lp, status: .infeasible, rawStatus: "GLP_ENOPFS: the LP relaxation is infeasible", objective: nil,
                                 variableNames: lp.variableNames, primal: Array(repeating: 0, count: lp.columnCount),
                                 constraintNames: lp.constraintNames, iterations: 0)
        result = GLPKCertificates.certify(result, lp: relaxed, control: control)
        result.details = [MILPDetails(bestBound: nil, gap: nil, nodes: 0, gapTolerance: settings.gapTolerance)]
        result.notes = notes + result.notes
        return result
    }

    /// The LP relaxation has no finite optimum: with an integer point the MILP is unbounded
    /// (rational data), without one it is infeasible. A second search with a zero objective
    /// finds the point.
    private func relaxationUnbounded(notes: [String]) throws -> SolveResult {
        let relaxed = lp.relaxation()
        let probe = SolveResult(kind: .lp, status: .infeasibleOrUnbounded, rawStatus: "GLP_ENODFS", objective: nil,
                                variableNames: lp.variableNames, primal: [], constraintNames: lp.constraintNames, iterations: 0)
        let certified = GLPKCertificates.certify(probe, lp: relaxed, control: control)
        if certified.status == .infeasible { return try relaxationInfeasible(notes: notes) }
        let search = try GLPKMIPRun(lp: try MILPDetails.feasibilityProgram(of: lp), settings: settings, control: control).run()
        let ray = certified.status == .unbounded ? certified.certificate : nil
        var result = MILPDetails.relaxationUnboundedResult(lp, ray: ray, search: search, notes: notes, gapTolerance: settings.gapTolerance)
        result.rawStatus = "GLP_ENODFS: " + result.rawStatus
        return result
    }

    private func stopped(_ stop: TerminationStatus, state: MIPSearchState, notes: [String]) -> SolveResult {
        var result = SolveResult(kind: .lp, status: stop, rawStatus: "stopped before the search", objective: nil,
                                 variableNames: lp.variableNames, primal: Array(repeating: 0, count: lp.columnCount),
                                 constraintNames: lp.constraintNames, iterations: 0)
        result.details = [MILPDetails(bestBound: nil, gap: nil, nodes: 0, gapTolerance: settings.gapTolerance)]
        result.notes = notes
        return result
    }
}
