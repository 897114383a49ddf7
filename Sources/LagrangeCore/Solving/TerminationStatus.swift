/// Why a solve stopped, and what the solver proved. Meanings follow MathOptInterface's
/// `TerminationStatusCode`; the raw values are the JSON / CLI contract.
public enum TerminationStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The snake_case word the CLI and JSON print (`locally_optimal`), so `print(status)` in
    /// Swift says the same thing.
    public var description: String { rawValue }

    // MARK: OK
    /// A global optimum was found to the requested tolerances.
    case optimal
    /// A local optimum, MOI's LOCALLY_SOLVED; the usual result of smooth non-convex methods.
    /// For smooth problems the registry checks second-order necessary conditions where the
    /// objective has an exact Hessian (``SmoothCertificateChecker``); where it cannot, the
    /// result says so in a note (the point is stationary, possibly a saddle).
    case locallyOptimal = "locally_optimal"
    /// The problem was proved to have no feasible point.
    case infeasible
    /// The problem is feasible and the objective is unbounded (MOI DUAL_INFEASIBLE with a
    /// feasible point or ray).
    case unbounded
    /// Infeasible or unbounded, but the solver could not tell which.
    case infeasibleOrUnbounded = "infeasible_or_unbounded"

    // MARK: Solved to relaxed tolerances
    /// Only relaxed tolerances were met (OSQP SOLVED_INACCURATE, Clarabel AlmostSolved).
    case almostOptimal = "almost_optimal"

    // MARK: Limits
    /// The iteration limit (`max_iterations`) was reached first.
    case iterationLimit = "iteration_limit"
    /// The time limit (`time_limit`) was reached first.
    case timeLimit = "time_limit"
    /// An observer or a cancellation stopped the solve; the last iterate is returned.
    case interrupted

    // MARK: Problematic
    /// The method stopped making progress before meeting its tolerances.
    case slowProgress = "slow_progress"
    /// A numerical failure (non-finite values, a failed factorization).
    case numericalError = "numerical_error"
    /// The gradient vanishes but the Hessian has negative curvature there: a saddle point or
    /// a maximum, not a minimum (for `maximize`, the reverse). Not a solution; found by the
    /// second-order check of a method that converged to it (e.g. a root finder on ∇f = 0).
    case stationaryPoint = "stationary_point"

    /// A definitive answer: optimal, locally optimal, infeasible, unbounded (or one of the
    /// two). Drives the CLI's exit code 0 versus 1.
    public var isDefinitive: Bool {
        switch self {
        case .optimal, .locallyOptimal, .infeasible, .unbounded, .infeasibleOrUnbounded: return true
        default: return false
        }
    }

    /// Whether the returned point is meant as a solution (not a limit or failure).
    public var hasSolution: Bool {
        self == .optimal || self == .locallyOptimal || self == .almostOptimal
    }
}
