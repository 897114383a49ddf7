import CGLPK
import LagrangeCore

/// Settings of ``GLPKInteriorSolver``, read from the solver-specific options.
package struct GLPKInteriorSettings: Sendable, Equatable {
    /// Fill-reducing ordering for the Cholesky factorization of A D Aᵀ (`ordering`).
    package enum Ordering: String, Sendable, CaseIterable {
        /// Approximate minimum degree (`GLP_ORD_AMD`), GLPK's default.
        case amd
        /// Approximate minimum degree, SYMAMD variant (`GLP_ORD_SYMAMD`).
        case symamd
        /// Natural order (`GLP_ORD_NONE`).
        case none
    }

    /// Default `amd`.
    package var ordering: Ordering = .amd
    /// Whether GLPK's log goes to standard error (`verbosity: progress`), from the common options.
    package var verbosity = Verbosity.normal
    /// Whether the common `tolerance` was given (GLPK's interior method has a fixed one: noted as ignored).
    package var toleranceGiven = false

    /// Creates the plugin (or default settings); it holds no state.
    package init() {}

    /// Reads the settings from solve options; throws ``SolverError/invalidOption(name:reason:)``.
    package init(options: SolveOptions) throws(SolverError) {
        // GLPK 5.0 ships QMD disabled: genqmd calls xerror, which aborts the process.
        if options.parameters["ordering"]?.description == "qmd" {
            throw .invalidOption(name: "ordering", reason: "qmd is disabled in GLPK 5.0 (its genqmd aborts); use amd, symamd or none")
        }
        let name = try options.string("ordering", default: Ordering.amd.rawValue, allowed: Ordering.allCases.map(\.rawValue))
        ordering = Ordering(rawValue: name) ?? .amd
        verbosity = options.verbosity
        toleranceGiven = options.tolerance != nil
    }
}

/// GLPK's primal–dual interior-point method (`glp_interior`, Mehrotra predictor–corrector)
/// for ``LinearProgram``s: id `glpk.interior`.
///
/// GLPK transforms the LP to standard form (equalities, x ≥ 0), scales it, and iterates
/// until the relative primal infeasibility, dual infeasibility and gap are all below 1e-8
/// (fixed in GLPK; the common `tolerance` option is ignored, with a note). It stops by
/// itself after 100 iterations. Each iteration's log line becomes an ``IterationRecord``
/// with objective, `primal_residual` (rpi), `dual_residual` (rdi) and `gap`.
///
/// `glp_interior` has no iteration or time limit parameter and no callback; it is stopped
/// from its log instead: at every log line (one per iteration, one per setup phase such as
/// the ordering and the symbolic factorization) the time limit, cancellation, observers and
/// `max_iterations` are checked, and a stop ends the call at once through GLPK's documented
/// recovery path (free the thread's GLPK environment, longjmp). GLPK's iterate lives inside
/// that environment, so a stopped solve returns its history but no point (objective null,
/// primal zeros, a note says so). The environment is per thread and rebuilt on next use;
/// any other GLPK object the calling thread holds at that moment is freed with it (Lagrange
/// holds none outside a solve). No crossover is done: the point is interior.
///
/// Status mapping: see ``GLPKOutcome/terminationStatus`` (and docs/glpk.md). GLPK's IPM
/// cannot tell an infeasible problem from an unbounded one: both give
/// `infeasible_or_unbounded`; use `glpk.simplex` to classify.
///
/// - Parameters (options): `ordering` amd | symamd | none (amd), and the common ones. `qmd`
///   is refused: GLPK 5.0 ships it disabled and calling it aborts the process.
///
/// Reference: A. Makhorin, GNU Linear Programming Kit Reference Manual, version 5.0, §2.8.5;
/// S. Mehrotra, On the implementation of a primal-dual interior point method, SIAM J. Optim. 2 (1992).
package struct GLPKInteriorSolver: SolverPlugin {
    /// Creates the plugin (or default settings); it holds no state.
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(
            id: "glpk.interior",
            kinds: [.lp],
            options: [
                OptionSpec("ordering", default: "amd", "Cholesky ordering of A·D·Aᵀ: amd, symamd, or none (GLPK 5.0 disables qmd)"),
            ],
            summary: "GLPK primal-dual interior-point method (Mehrotra), no crossover")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.kindNotSupported(id: descriptor.id, kind: problem.kind, valid: [descriptor.id])
        }
        let settings = try GLPKInteriorSettings(options: context.options)
        let result = try interior(lp, settings: settings, control: context.control)
        return GLPKCertificates.certify(result, lp: lp, control: context.control)
    }

    private func interior(_ lp: LinearProgram, settings: GLPKInteriorSettings, control: IterationControl) throws -> SolveResult {
        let prob = try GLPKModel.load(lp)
        // A stopped glp_interior frees GLPK's environment, and `prob` with it.
        var probIsAlive = true
        defer { if probIsAlive { glp_delete_prob(prob) } }

        var parm = glp_iptcp()
        glp_init_iptcp(&parm)
        parm.msg_lev = GLP_MSG_ALL
        switch settings.ordering {
        case .amd: parm.ord_alg = GLP_ORD_AMD
        case .symamd: parm.ord_alg = GLP_ORD_SYMAMD
        case .none: parm.ord_alg = GLP_ORD_NONE
        }

        let terminal = GLPKTerminal(control: control, log: .interior, sense: lp.sense,
                                    verbosity: settings.verbosity, recordIterationLimit: nil)
        var notes: [String] = []
        if settings.toleranceGiven {
            notes.append("tolerance ignored: GLPK's interior-point method uses its fixed 1e-8")
        }
        let stopBeforeStart = control.checkInterrupt()
        let returnCode: Int32? = stopBeforeStart == nil ? terminal.interior(prob, &parm) : nil
        guard let returnCode else {
            probIsAlive = stopBeforeStart != nil
            if let message = terminal.glpkError { throw GLPKInternalError(solverID: "glpk.interior", message: message) }
            let stop = stopBeforeStart ?? terminal.pendingStop ?? .interrupted
            let iterations = terminal.lastIteration ?? 0
            notes.append("stopped (\(stop.rawValue)) inside glp_interior after \(iterations) iterations: GLPK's iterate is internal to it and is lost, so no point is returned")
            return GLPKResults.make(
                lp: lp, status: stop, rawStatus: "glp_interior stopped at a log line", objective: nil,
                primal: Array(repeating: 0, count: lp.columnCount), duals: nil, reducedCosts: nil,
                iterations: iterations, notes: notes)
        }

        let outcome = GLPKOutcome(method: .interior, returnCode: returnCode,
                                  primalStatus: glp_ipt_status(prob), dualStatus: GLP_UNDEF)
        let status = outcome.terminationStatus
        if returnCode == GLP_EFAIL {
            notes.append("GLPK's interior-point method cannot solve a problem whose standard form is empty; use glpk.simplex")
        }

        let n = lp.columnCount, m = lp.rowCount
        let hasPoint = outcome.primalStatus != GLP_UNDEF && !status.isInfeasibilityVerdict
        return GLPKResults.make(
            lp: lp, status: status, rawStatus: outcome.rawStatus,
            objective: hasPoint ? glp_ipt_obj_val(prob) : nil,
            primal: (0..<n).map { glp_ipt_col_prim(prob, Int32($0 + 1)) },
            duals: hasPoint ? (0..<m).map { glp_ipt_row_dual(prob, Int32($0 + 1)) } : nil,
            reducedCosts: hasPoint ? (0..<n).map { glp_ipt_col_dual(prob, Int32($0 + 1)) } : nil,
            iterations: terminal.lastIteration ?? 0, notes: notes)
    }
}
