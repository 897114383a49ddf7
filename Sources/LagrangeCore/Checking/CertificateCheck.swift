/// A proof that an LP or QP has no optimum, as returned with `infeasible`, `unbounded` or
/// `infeasible_or_unbounded` (or that a linear system Ax = b has no solution: a Farkas
/// vector with Aᵀy = 0, bᵀy > 0). The registry's certificate checker verifies it against
/// the user's original problem (``LinearCertificateChecker``,
/// ``LinearSystemCertificateChecker``).
///
/// - `farkas`: one multiplier yᵢ per constraint row. yᵢ > 0 prices the row's lower bound,
///   yᵢ < 0 its upper bound (the shadow-price signs of a minimization). It proves
///   infeasibility when, with w = Aᵀy, Σᵢ yᵢ·(lᵢ or uᵢ) > Σⱼ wⱼ·(upⱼ if wⱼ > 0 else loⱼ):
///   every feasible x would satisfy the reverse inequality.
/// - `primalRay`: one entry rⱼ per variable: Ar stays in the recession cone of the rows, r
///   in that of the column bounds, Qr = 0 for a QP, and the objective improves along r
///   (cᵀr < 0 for a minimization, > 0 for a maximization). With a feasible point it proves
///   unboundedness.
public struct Certificate: Sendable, Equatable {
    /// A Farkas vector (infeasibility) or a primal ray (unboundedness).
    public enum Kind: String, Sendable {
        /// A Farkas vector y, one entry per row, proving infeasibility (JSON `farkas`).
        case farkas
        /// A primal ray r, one entry per column, along which the objective improves without
        /// bound (JSON `primal_ray`).
        case primalRay = "primal_ray"
    }
    /// Which certificate the vector is.
    public var kind: Kind
    /// The vector: one value per row (Farkas) or per column (ray).
    public var vector: [Double]

    /// A certificate of the given kind.
    public init(kind: Kind, vector: [Double]) {
        self.kind = kind
        self.vector = vector
    }
}

/// One measured quantity of a certificate check, with the bound it had to meet.
public struct CheckMeasure: Sendable, Equatable {
    /// snake_case name, e.g. `primal_infeasibility`, `gap`, `farkas_margin`.
    public var name: String
    /// The measured value.
    public var value: Double
    /// The bound the value was held to.
    public var tolerance: Double
    /// `true` when a larger value is better (e.g. a Farkas margin or a ray's descent),
    /// so the measure passes when `value ≥ tolerance`; otherwise it passes when
    /// `value ≤ tolerance`.
    public var atLeast: Bool

    package init(_ name: String, _ value: Double, tolerance: Double, atLeast: Bool = false) {
        self.name = name
        self.value = value
        self.tolerance = tolerance
        self.atLeast = atLeast
    }

    /// Whether the value is within (or, for `atLeast`, above) the tolerance.
    public var passes: Bool { atLeast ? value >= tolerance : value <= tolerance }
}

/// The relative tolerances the certificate checker holds a claim to. Every measure is
/// scale-invariant (see ``LinearCertificateChecker`` for each formula).
package struct CertificateTolerances: Sendable, Equatable {
    /// Relative primal infeasibility of the point (rows and column bounds).
    package var feasibility = 1e-6
    /// Relative dual infeasibility (multipliers of the wrong sign for a bound that does not exist).
    package var dualFeasibility = 1e-6
    /// Duality gap relative to max(1, |primal objective|, |dual objective|), constants included.
    package var gap = 1e-6
    /// Residuals of a Farkas vector or a ray, relative to the magnitudes they are made of.
    package var certificate = 1e-7
    /// A claim of `optimal` that fails the tolerances above but meets these ×`relaxation`
    /// is downgraded to `almost_optimal`; beyond them to `numerical_error`.
    package var relaxation = 100.0
    /// The tolerance the solver was asked for (`--tolerance`), where a kind's checker
    /// re-applies the solver's own test (linear systems): claims are verified at
    /// max(this, the checker's own tolerance). Nil: the checker's own.
    package var solverTolerance: Double?

    package init() {}

    package static let standard = CertificateTolerances()
}

/// What the checker found for one result: the status claimed, whether the claim holds,
/// the measures it took, and the verdict it returned.
public struct CertificateCheck: Sendable, Equatable {
    /// The status the solver returned.
    public var claimed: TerminationStatus
    /// The status after the check (equal to `claimed` when it passed).
    public var verdict: TerminationStatus
    /// The measures, in the order they were taken.
    public var measures: [CheckMeasure]
    /// Why a claim failed: the failed measure(s) with values and bounds; nil when it passed.
    public var failure: String?
    /// What a claim that stands could not be checked for (added to the result's notes).
    public var caveat: String?

    package init(claimed: TerminationStatus, verdict: TerminationStatus, measures: [CheckMeasure], failure: String?,
                caveat: String? = nil) {
        self.claimed = claimed
        self.verdict = verdict
        self.measures = measures
        self.failure = failure
        self.caveat = caveat
    }

    /// Whether the check found nothing wrong.
    public var passed: Bool { failure == nil }

    /// The value of a measure by name.
    public func measure(_ name: String) -> Double? { measures.first { $0.name == name }?.value }
}

/// Checks the claim a result makes about a problem. One checker per kind; the registry
/// asks ``CertificateCheckers/check(_:problem:)`` before a result leaves it.
package protocol CertificateChecker: Sendable {
    /// The check of `result` against `problem`, or nil when this checker has nothing to
    /// say about the result's status.
    func check(_ result: SolveResult, problem: Problem) -> CertificateCheck?
}

/// The checkers by kind, and the rule that applies a check's verdict to a result.
package enum CertificateCheckers {
    /// The checker for a kind, if there is one (LP, QP, matrix games, smooth problems'
    /// second-order conditions, and linear systems' `infeasible` today).
    package static func checker(for kind: ProblemKind, tolerances: CertificateTolerances = .standard) -> (any CertificateChecker)? {
        switch kind {
        case .lp, .qp: return LinearCertificateChecker(tolerances: tolerances)
        case .linearSystem: return LinearSystemCertificateChecker(tolerances: tolerances)
        case .matrixGame: return MatrixGameCertificateChecker()
        case .smooth: return SmoothCertificateChecker()
        case .nlp: return NonlinearCertificateChecker()
        default: return nil
        }
    }

    /// Checks `result` and applies the verdict: a claim that fails is downgraded, with a
    /// note naming the check that failed and by how much; the check is kept in
    /// ``SolveResult/certificateCheck``.
    package static func check(_ result: SolveResult, problem: Problem,
                             tolerances: CertificateTolerances = .standard) -> SolveResult {
        guard let checker = checker(for: problem.kind, tolerances: tolerances),
              let check = checker.check(result, problem: problem) else { return result }
        var checked = result
        checked.certificateCheck = check
        if let failure = check.failure, check.verdict != check.claimed {
            checked.status = check.verdict
            checked.notes.append("certificate check: \(check.claimed.rawValue) downgraded to \(check.verdict.rawValue): \(failure)")
        }
        if let caveat = check.caveat { checked.notes.append(caveat) }
        return checked
    }
}
