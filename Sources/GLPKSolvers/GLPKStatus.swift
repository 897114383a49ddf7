import CGLPK
import LagrangeCore

/// What GLPK said at the end of a solve: the driver's return code and the solution status
/// flags it left in the problem object.
struct GLPKOutcome: Sendable, Equatable {
    enum Method: Sendable { case simplex, interior }

    var method: Method
    /// Return code of `glp_simplex` / `glp_interior` (0 or a `GLP_E*` code).
    var returnCode: Int32
    /// Simplex: `glp_get_prim_stat`; interior: `glp_ipt_status`.
    var primalStatus: Int32
    /// Simplex: `glp_get_dual_stat`; interior: unused (`GLP_UNDEF`).
    var dualStatus: Int32

    /// GLPK's own words, e.g. `GLP_OPT (glp_simplex: 0; primal GLP_FEAS, dual GLP_FEAS)`.
    var rawStatus: String {
        switch method {
        case .simplex:
            let generic = Self.solutionStatusName(Self.genericStatus(primal: primalStatus, dual: dualStatus))
            return "\(generic) (glp_simplex: \(Self.returnCodeName(returnCode)); primal \(Self.solutionStatusName(primalStatus)), dual \(Self.solutionStatusName(dualStatus)))"
        case .interior:
            return "\(Self.solutionStatusName(primalStatus)) (glp_interior: \(Self.returnCodeName(returnCode)))"
        }
    }

    /// `glp_get_status`'s rule, recomputed from the two flags so the raw text does not need
    /// another call into GLPK.
    static func genericStatus(primal: Int32, dual: Int32) -> Int32 {
        guard primal == GLP_FEAS else { return primal }
        switch dual {
        case GLP_FEAS: return GLP_OPT
        case GLP_NOFEAS: return GLP_UNBND
        default: return GLP_FEAS
        }
    }

    static func returnCodeName(_ code: Int32) -> String {
        switch code {
        case 0: return "0"
        case GLP_EBADB: return "GLP_EBADB"
        case GLP_ESING: return "GLP_ESING"
        case GLP_ECOND: return "GLP_ECOND"
        case GLP_EBOUND: return "GLP_EBOUND"
        case GLP_EFAIL: return "GLP_EFAIL"
        case GLP_EOBJLL: return "GLP_EOBJLL"
        case GLP_EOBJUL: return "GLP_EOBJUL"
        case GLP_EITLIM: return "GLP_EITLIM"
        case GLP_ETMLIM: return "GLP_ETMLIM"
        case GLP_ENOPFS: return "GLP_ENOPFS"
        case GLP_ENODFS: return "GLP_ENODFS"
        case GLP_ENOFEAS: return "GLP_ENOFEAS"
        case GLP_ENOCVG: return "GLP_ENOCVG"
        case GLP_EINSTAB: return "GLP_EINSTAB"
        default: return "code \(code)"
        }
    }

    static func solutionStatusName(_ status: Int32) -> String {
        switch status {
        case GLP_UNDEF: return "GLP_UNDEF"
        case GLP_FEAS: return "GLP_FEAS"
        case GLP_INFEAS: return "GLP_INFEAS"
        case GLP_NOFEAS: return "GLP_NOFEAS"
        case GLP_OPT: return "GLP_OPT"
        case GLP_UNBND: return "GLP_UNBND"
        default: return "status \(status)"
        }
    }
}

extension GLPKOutcome {
    /// The one place where GLPK's codes become a ``TerminationStatus``.
    ///
    /// Simplex (`glp_simplex` return code, then `glp_get_prim_stat` / `glp_get_dual_stat`):
    ///
    /// | return code | primal / dual status | status |
    /// | --- | --- | --- |
    /// | 0 | FEAS / FEAS (GLP_OPT) | `optimal` |
    /// | 0 | NOFEAS / any | `infeasible` |
    /// | 0 | FEAS / NOFEAS (GLP_UNBND) | `unbounded` |
    /// | 0 | UNDEF or INFEAS / NOFEAS | `infeasible_or_unbounded` (no dual feasible point: dual simplex) |
    /// | 0 | anything else | `numerical_error` (GLPK claims success without a verdict) |
    /// | GLP_ENOPFS | (presolver) | `infeasible` |
    /// | GLP_ENODFS | (presolver) | `infeasible_or_unbounded` (the plugin re-solves without presolve first) |
    /// | GLP_EITLIM | — | `iteration_limit` (the plugin continues when the limit was only a chunk's) |
    /// | GLP_ETMLIM | — | `time_limit` |
    /// | GLP_EBADB, GLP_ESING, GLP_ECOND | — | `numerical_error` (after one retry from the slack basis) |
    /// | GLP_EFAIL | — | `numerical_error` |
    /// | GLP_EBOUND | — | `numerical_error` (cannot happen: equal bounds are loaded as GLP_FX) |
    /// | GLP_EOBJLL, GLP_EOBJUL | — | `numerical_error` (cannot happen: objective limits stay ±DBL_MAX) |
    ///
    /// Interior point (`glp_interior` return code, then `glp_ipt_status`):
    ///
    /// | return code | status flag | status |
    /// | --- | --- | --- |
    /// | 0 | GLP_OPT | `optimal` |
    /// | 0 | GLP_NOFEAS | `infeasible_or_unbounded` (GLPK's IPM cannot tell which) |
    /// | GLP_ENOFEAS | — | `infeasible_or_unbounded` |
    /// | GLP_ENOCVG | — | `slow_progress` (very slow convergence or divergence) |
    /// | GLP_EITLIM | — | `iteration_limit` (GLPK's fixed cap of 100 iterations) |
    /// | GLP_EINSTAB | — | `numerical_error` |
    /// | GLP_EFAIL | — | `numerical_error` (the standard form is empty; GLPK cannot solve it) |
    /// | GLP_EBOUND, other | — | `numerical_error` |
    ///
    /// A stop the plugin asked for itself (observer, cancellation, time or iteration limit
    /// between chunks or log lines) is applied by the caller on top of this mapping, and
    /// only when GLPK did not already reach a definitive answer.
    var terminationStatus: TerminationStatus {
        switch (method, returnCode) {
        case (.simplex, 0):
            switch (primalStatus, dualStatus) {
            case (GLP_FEAS, GLP_FEAS): return .optimal
            case (GLP_NOFEAS, _): return .infeasible
            case (GLP_FEAS, GLP_NOFEAS): return .unbounded
            case (_, GLP_NOFEAS): return .infeasibleOrUnbounded
            default: return .numericalError
            }
        case (.simplex, GLP_ENOPFS): return .infeasible
        case (.simplex, GLP_ENODFS): return .infeasibleOrUnbounded
        case (.simplex, GLP_EITLIM): return .iterationLimit
        case (.simplex, GLP_ETMLIM): return .timeLimit
        case (.simplex, _): return .numericalError

        case (.interior, 0):
            switch primalStatus {
            case GLP_OPT: return .optimal
            case GLP_NOFEAS: return .infeasibleOrUnbounded
            default: return .numericalError
            }
        case (.interior, GLP_ENOFEAS): return .infeasibleOrUnbounded
        case (.interior, GLP_ENOCVG): return .slowProgress
        case (.interior, GLP_EITLIM): return .iterationLimit
        case (.interior, _): return .numericalError
        }
    }
}

extension TerminationStatus {
    /// A verdict about the problem itself (no meaningful point to report).
    var isInfeasibilityVerdict: Bool {
        self == .infeasible || self == .unbounded || self == .infeasibleOrUnbounded
    }
}
