/// Kind-specific result fields (max-flow cut, game strategies, SVR model, …).
///
/// Each family defines its own conforming type; output code asks it for JSON fields and
/// summary lines without knowing the type.
public protocol ResultDetails: Sendable {
    /// Extra top-level JSON fields, e.g. `flow_value`, `min_cut`.
    var jsonFields: [String: JSONValue] { get }
    /// Lines for the text summary.
    var summaryLines: [String] { get }
}

/// The one result shape every solver returns.
public struct SolveResult: Sendable {
    // MARK: Identity (filled by the registry)
    /// The problem's name (JSON `problem`); set by the registry.
    public var problemName: String = ""
    /// The problem family solved (JSON `kind`, e.g. `lp`).
    public var kind: ProblemKind
    /// The id of the solver that ran, e.g. `native.ipm` (JSON `solver`); set by the registry.
    public var solverID: String = ""
    /// The seed the solver drew its random numbers from; nil for a solver that uses none
    /// (``SolverDescriptor/usesSeed``), whose result does not depend on a seed.
    public var seed: UInt64?

    // MARK: Outcome
    /// What the solver proved (JSON `status`); a definitive status has passed the certificate
    /// checker or been downgraded with a note.
    public var status: TerminationStatus
    /// The backend's own status words (MOI's RawStatusString).
    public var rawStatus: String
    /// The termination test that gave the status (JSON `converged_by`), from the family's
    /// termination function (``SmoothTermination``, the IPM's ``TerminationVerdict``s); nil
    /// where none fired (limits, stalls) or the solver does not say.
    public var convergedBy: ConvergenceTest?
    /// The objective value in the problem's own sense, including any constant.
    public var objective: Double?
    /// Variable names, parallel to `primal` and `reducedCosts` (the keys of JSON `solution`).
    public var variableNames: [String]
    /// Primal values, one per variable (the last iterate for limits and interrupts).
    public var primal: [Double]
    /// Constraint (row) names, parallel to `duals` (the keys of JSON `duals`); empty for unconstrained kinds.
    public var constraintNames: [String]
    /// Row duals as shadow prices: ∂(optimal objective)/∂(row bound), whatever the sense.
    public var duals: [Double]?
    /// Column reduced costs as shadow prices of the column bounds.
    public var reducedCosts: [Double]?
    /// KKT residuals for LP/QP solves.
    public var kkt: KKTResiduals?
    /// The proof behind `infeasible`, `unbounded` or `infeasible_or_unbounded` (LP/QP).
    public var certificate: Certificate?
    /// What the registry's certificate checker measured for this result's status, and its
    /// verdict (see ``CertificateCheckers``). Set by the registry, not by solvers.
    public var certificateCheck: CertificateCheck?
    /// Kind-specific fields (max-flow cut, game strategies, SVR model, basis, ranging, …); each
    /// merges its ``ResultDetails/jsonFields`` into the top-level JSON. Read one with ``details(as:)``.
    public var details: [any ResultDetails] = []
    /// Human-readable remarks: ignored options, downgraded claims, presolve effects (JSON `notes`,
    /// omitted when empty).
    public var notes: [String] = []

    // MARK: Work
    /// Iterations the solver counted, in its own unit (simplex pivots, IPM steps, epochs, …) (JSON `iterations`).
    public var iterations: Int
    /// Wall-clock seconds of the solve (monotonic clock); set by the registry (JSON `seconds`).
    public var seconds: Double = 0
    /// The iteration records kept under the options' ``HistoryStorage`` (JSON `history`); set by the registry.
    public var history = ConvergenceHistory()

    /// A result with the outcome fields a solver fills; the registry adds the name, solver id,
    /// seed, seconds and history.
    public init(kind: ProblemKind, status: TerminationStatus, rawStatus: String, objective: Double?,
                variableNames: [String], primal: [Double], constraintNames: [String] = [],
                duals: [Double]? = nil, reducedCosts: [Double]? = nil, iterations: Int) {
        self.kind = kind
        self.status = status
        self.rawStatus = rawStatus
        self.objective = objective
        self.variableNames = variableNames
        self.primal = primal
        self.constraintNames = constraintNames
        self.duals = duals
        self.reducedCosts = reducedCosts
        self.iterations = iterations
    }

    /// The primal value of a variable by name.
    public func value(of variable: String) -> Double? {
        variableNames.firstIndex(of: variable).map { primal[$0] }
    }

    /// The dual (shadow price) of a constraint by name.
    public func dual(of constraint: String) -> Double? {
        guard let duals, let i = constraintNames.firstIndex(of: constraint) else { return nil }
        return duals[i]
    }

    /// The first details of a given type.
    public func details<T: ResultDetails>(as type: T.Type) -> T? {
        details.lazy.compactMap { $0 as? T }.first
    }
}
