import CGLPK
import CGLPKShim
import LagrangeCore

/// Settings of ``GLPKSimplexSolver``, read from the solver-specific options.
package struct GLPKSimplexSettings: Sendable, Equatable {
    /// GLPK's simplex variant (`method`).
    package enum Method: String, Sendable, CaseIterable {
        /// Two-phase primal simplex (`GLP_PRIMAL`, glpsol's default).
        case primal
        /// Two-phase dual simplex (`GLP_DUAL`).
        case dual
        /// Dual simplex, falling back to the primal one if it fails (`GLP_DUALP`).
        case dualp
    }

    /// Default `primal`.
    package var method: Method = .primal
    /// Run GLPK's LP presolver (`presolve`). Default false. With presolve the solve is one
    /// `glp_simplex` call: observers and cancellation take effect only when it returns, and
    /// a limit leaves no point to report (GLPK cannot recover a non-optimal presolved solution).
    package var presolve = false
    /// Scale the problem with `glp_scale_prob(GLP_SF_AUTO)` first (`scaling`). Default true.
    package var scaling = true
    /// Iterations per `glp_simplex` call (`chunk_iterations`). Between calls the plugin checks
    /// observers, cancellation and limits, then GLPK warm-starts from the current basis.
    /// Default 1000 (smaller chunks cost iterations: each restart resets the pricing weights);
    /// 0 runs one call. Must be ≥ 0.
    package var chunkIterations = 1000
    /// Primal and dual feasibility tolerance (`tol_bnd`, `tol_dj`), from the common
    /// `tolerance` option; nil keeps GLPK's 1e-7. Must lie in (0, 1).
    package var tolerance: Double?
    /// Whether GLPK's log goes to standard error (`verbosity: progress`), from the common options.
    package var verbosity = Verbosity.normal
    /// Sensitivity ranging of an optimal basis (`ranging`, ``RangingDetails``):
    /// `glp_analyze_coef` and `glp_analyze_bound`. Default false.
    package var ranging = false

    /// Creates the plugin (or default settings); it holds no state.
    package init() {}

    /// Reads the settings from solve options; throws ``SolverError/invalidOption(name:reason:)``
    /// naming the option.
    package init(options: SolveOptions) throws(SolverError) {
        let method = try options.string("method", default: Method.primal.rawValue, allowed: Method.allCases.map(\.rawValue))
        self.method = Method(rawValue: method) ?? .primal
        presolve = try options.flag("presolve", default: false)
        scaling = try options.flag("scaling", default: true)
        ranging = try options.flag("ranging", default: false)
        let chunk = try options.number("chunk_iterations", default: 1000)
        guard chunk >= 0, chunk <= Double(Int32.max), chunk == chunk.rounded() else {
            throw .invalidOption(name: "chunk_iterations", reason: "must be a whole number ≥ 0, got \(chunk)")
        }
        chunkIterations = Int(chunk)
        verbosity = options.verbosity
        if let tolerance = options.tolerance {
            guard tolerance > 0, tolerance < 1 else {
                throw .invalidOption(name: "tolerance", reason: "GLPK needs a tolerance in (0, 1), got \(tolerance)")
            }
            self.tolerance = tolerance
        }
    }
}

/// GLPK's simplex method (`glp_simplex`) for ``LinearProgram``s: id `glpk.simplex`.
///
/// Solves min (or max) cᵀx + c₀ subject to l ≤ Ax ≤ u and column bounds, handing the
/// problem to GLPK through its API. The run is split into chunks of `chunk_iterations`
/// simplex iterations: GLPK offers no callback, so between chunks the plugin checks
/// observers, cancellation and the time limit, then calls `glp_simplex` again, which
/// warm-starts from the current basis. Inside a chunk the time limit is GLPK's own
/// `tm_lim` and the iteration limit its `it_lim`.
///
/// Every iteration is logged (`out_frq = 0`) to a term hook, never to stdout, and each log
/// line becomes an ``IterationRecord`` (see ``GLPKLog``): objective, `primal_residual`
/// (sum of primal infeasibilities, primal simplex) or `dual_residual` (sum of dual
/// infeasibilities, dual simplex), and extras `phase`, `primal_infeasible_count` /
/// `dual_infeasible_count`. Under `--progress` the log goes to stderr.
///
/// Results: `duals` are `glp_get_row_dual` and `reducedCosts` `glp_get_col_dual`, which are
/// already shadow prices ∂(optimal objective)/∂(bound) for either sense, the project's
/// convention. `iterations` is GLPK's simplex iteration count. Integrality is ignored.
///
/// Status mapping: see ``GLPKOutcome/terminationStatus`` (and docs/glpk.md). In short:
/// optimal / infeasible / unbounded come from GLPK's primal and dual status flags; with
/// presolve, `GLP_ENODFS` is re-solved without presolve to tell infeasible from unbounded.
///
/// With `ranging` an optimal result also carries ``RangingDetails`` (see ``GLPKRanging``).
///
/// - Parameters (options): `method` primal | dual | dualp (primal), `presolve` (false),
///   `scaling` (true), `chunk_iterations` (1000), `ranging` (false), and the common ones.
///
/// Reference: A. Makhorin, GNU Linear Programming Kit Reference Manual, version 5.0, §2.8.1.
package struct GLPKSimplexSolver: SolverPlugin {
    /// Creates the plugin (or default settings); it holds no state.
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(
            id: "glpk.simplex",
            kinds: [.lp],
            options: [
                OptionSpec("method", default: "primal", "simplex variant: primal, dual, or dualp (dual, then primal if it fails)"),
                OptionSpec("presolve", default: "false", "use GLPK's LP presolver (one uninterruptible call)"),
                OptionSpec("scaling", default: "true", "scale the problem first (glp_scale_prob, GLP_SF_AUTO)"),
                OptionSpec("chunk_iterations", default: "1000", "iterations per glp_simplex call between observer checks; 0 = one call"),
                OptionSpec("ranging", default: "false", "sensitivity ranging of an optimal basis (glp_analyze_coef, glp_analyze_bound)"),
            ],
            summary: "GLPK simplex (primal or dual) through the GLPK API, with warm-started chunks for observers and limits")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.kindNotSupported(id: descriptor.id, kind: problem.kind, valid: [descriptor.id])
        }
        let settings = try GLPKSimplexSettings(options: context.options)
        let result = try GLPKSimplexRun(lp: lp, settings: settings, control: context.control).run()
        return GLPKCertificates.certify(result, lp: lp, control: context.control)
    }
}

/// One simplex solve: owns the GLPK problem object for its lifetime on this thread.
struct GLPKSimplexRun {
    let lp: LinearProgram
    let settings: GLPKSimplexSettings
    let control: IterationControl

    func run() throws -> SolveResult {
        let prob = try GLPKModel.load(lp)
        // A GLPK error inside a guarded call frees the thread's environment, `prob` with it.
        let generation = lagrange_glpk_generation()
        defer { if lagrange_glpk_generation() == generation { glp_delete_prob(prob) } }

        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_ALL
        switch settings.method {
        case .primal: parm.meth = GLP_PRIMAL
        case .dual: parm.meth = GLP_DUAL
        case .dualp: parm.meth = GLP_DUALP
        }
        parm.out_frq = 0 // ms between log lines: 0 logs every iteration (GLPK ≥ 4.63)
        parm.out_dly = 0
        if let tolerance = settings.tolerance {
            parm.tol_bnd = tolerance
            parm.tol_dj = tolerance
        }

        // Simplex records must not trip the iteration limit: GLPK's it_lim enforces it,
        // and the last line of an optimal run may sit exactly at the limit.
        let terminal = GLPKTerminal(control: control, log: .simplex, sense: lp.sense,
                                    verbosity: settings.verbosity, recordIterationLimit: .max)
        var notes: [String] = []
        var returnCode: Int32 = 0
        var requestedStop: TerminationStatus?

        try terminal.capturing { () throws in
            if settings.scaling {
                if GLPKModel.isSafeToScale(lp) {
                    try terminal.guarded("glpk.simplex") { lagrange_glp_scale_prob_guarded(prob, GLP_SF_AUTO, $0) }
                } else {
                    notes.append("scaling skipped: entries below \(GLPKModel.minScalableMagnitude) in magnitude make GLPK's scaling abort")
                }
            }
            // GLPK's presolver rescales the problem too and aborts on the same entries.
            let presolve = settings.presolve && GLPKModel.isSafeToScale(lp)
            if settings.presolve && !presolve {
                notes.append("presolve skipped: entries below \(GLPKModel.minScalableMagnitude) in magnitude make GLPK's presolver abort")
            }
            if presolve {
                if let stop = setTimeLimit(&parm) { requestedStop = stop; return }
                parm.presolve = GLP_ON
                parm.it_lim = Int32(clamping: control.maxIterations ?? Int(Int32.max))
                returnCode = try terminal.guarded("glpk.simplex") { lagrange_glp_simplex_guarded(prob, &parm, $0) }
                guard returnCode == GLP_ENODFS else { return }
                // The presolver proved no dual feasible point; only the simplex itself can
                // say whether the primal is infeasible or unbounded.
                notes.append("presolve found no dual feasible solution; re-solved without presolve to classify")
                parm.presolve = GLP_OFF
            }
            try runChunks(prob, &parm, terminal, &returnCode, &requestedStop, &notes)
        }

        let outcome = GLPKOutcome(method: .simplex, returnCode: returnCode,
                                  primalStatus: glp_get_prim_stat(prob), dualStatus: glp_get_dual_stat(prob))
        var status = outcome.terminationStatus
        if let stop = requestedStop ?? terminal.pendingStop {
            if status.isDefinitive {
                notes.append("a stop (\(stop.rawValue)) was requested but GLPK finished first")
            } else {
                status = stop
            }
        }

        let n = lp.columnCount, m = lp.rowCount
        let primal = (0..<n).map { glp_get_col_prim(prob, Int32($0 + 1)) }
        let hasPoint = outcome.primalStatus != GLP_UNDEF && !status.isInfeasibilityVerdict
        let hasDuals = outcome.dualStatus != GLP_UNDEF && !status.isInfeasibilityVerdict
        var result = GLPKResults.make(
            lp: lp, status: status, rawStatus: outcome.rawStatus,
            objective: hasPoint ? glp_get_obj_val(prob) : nil, primal: primal,
            duals: hasDuals ? (0..<m).map { glp_get_row_dual(prob, Int32($0 + 1)) } : nil,
            reducedCosts: hasDuals ? (0..<n).map { glp_get_col_dual(prob, Int32($0 + 1)) } : nil,
            iterations: Int(glp_get_it_cnt(prob)), notes: notes)
        if status == .optimal {
            // GLPK's row status is that of its auxiliary variable, the row activity: the
            // same convention as BasisDetails.
            result.details.append(BasisDetails(columnStatus: (0..<n).map { Self.basisStatus(glp_get_col_stat(prob, Int32($0 + 1))) },
                                               rowStatus: (0..<m).map { Self.basisStatus(glp_get_row_stat(prob, Int32($0 + 1))) },
                                               columnNames: lp.variableNames, rowNames: lp.constraintNames))
            if settings.ranging {
                do {
                    if let ranging = try terminal.capturing({ () throws in try GLPKRanging(lp: lp, prob: prob, terminal: terminal).compute() }) {
                        result.details.append(ranging)
                    } else {
                        result.notes.append("ranging skipped: GLPK could not factor the final basis")
                    }
                } catch {
                    // A GLPK error freed the problem object: the solve's answer stands.
                    result.notes.append("ranging failed: \(error)")
                }
            }
        }
        return result
    }

    static func basisStatus(_ code: Int32) -> BasisStatus {
        switch code {
        case GLP_BS: return .basic
        case GLP_NL: return .atLower
        case GLP_NU: return .atUpper
        case GLP_NS: return .fixed
        default: return .free  // GLP_NF
        }
    }

    /// Sets `tm_lim` from the time left; returns `time_limit` if none is left.
    private func setTimeLimit(_ parm: inout glp_smcp) -> TerminationStatus? {
        let remaining = control.secondsRemaining
        guard remaining.isFinite else { parm.tm_lim = Int32.max; return nil }
        guard remaining > 0 else { return .timeLimit }
        // Round up so a positive remainder never becomes tm_lim = 0 (an immediate stop).
        parm.tm_lim = Int32(clamping: Int((remaining * 1000).rounded(.up)).clamped(to: 1...Int(Int32.max)))
        return nil
    }

    /// Calls `glp_simplex` repeatedly, `chunk_iterations` at a time, until GLPK finishes,
    /// the user's iteration limit is reached, or a stop is requested.
    private func runChunks(_ prob: OpaquePointer, _ parm: inout glp_smcp, _ terminal: GLPKTerminal,
                           _ returnCode: inout Int32, _ requestedStop: inout TerminationStatus?,
                           _ notes: inout [String]) throws {
        terminal.isChunked = settings.chunkIterations > 0
        let maxIterations = control.maxIterations
        var retriedBasis = false
        while true {
            if let stop = terminal.pendingStop ?? control.checkInterrupt() { requestedStop = stop; return }
            if let stop = setTimeLimit(&parm) { requestedStop = stop; return }
            var limit = settings.chunkIterations > 0 ? settings.chunkIterations : Int(Int32.max)
            if let maxIterations {
                limit = min(limit, max(0, maxIterations - Int(glp_get_it_cnt(prob))))
            }
            parm.it_lim = Int32(clamping: limit)
            returnCode = try terminal.guarded("glpk.simplex") { lagrange_glp_simplex_guarded(prob, &parm, $0) }
            let badBasis = returnCode == GLP_EBADB || returnCode == GLP_ESING || returnCode == GLP_ECOND
            if badBasis && !retriedBasis {
                // The basis GLPK would start from is unusable; the all-slack basis never is.
                retriedBasis = true
                try terminal.guarded("glpk.simplex") { lagrange_glp_std_basis_guarded(prob, $0) }
                notes.append("GLPK rejected the starting basis (\(GLPKOutcome.returnCodeName(returnCode))); restarted from the slack basis")
                continue
            }
            switch returnCode {
            case GLP_EITLIM:
                if let maxIterations, Int(glp_get_it_cnt(prob)) >= maxIterations { return }
                continue // only this chunk's limit: check stops, then warm-start again
            default:
                return
            }
        }
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
