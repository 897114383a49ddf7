/// An absolute and a relative tolerance, as OSQP's `eps_abs`/`eps_rel` and Clarabel's
/// `tol_*` pairs: a measure r passes when r ≤ max(absolute, relative·scale).
///
/// Lagrange's tests have always been written tol·max(1, scale), which is this form with
/// `absolute == relative == tol` (bit for bit: multiplying by tol > 0 keeps the order of
/// 1 and scale). It is OSQP's sum form absolute + relative·scale up to a factor of at most
/// 2; the max form is kept so that no answer changes.
package struct Tolerance: Sendable, Equatable, Codable {
    /// The bound when the scale is small. Must be ≥ 0.
    package var absolute: Double
    /// The bound per unit of scale. Must be ≥ 0.
    package var relative: Double

    package init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    /// `--tolerance t` as most families read it: absolute and relative both t, so the bound
    /// is t·max(1, scale).
    package static func mixed(_ t: Double) -> Tolerance { Tolerance(absolute: t, relative: t) }

    /// The bound a measure must meet at `scale`: max(absolute, relative·scale).
    package func bound(scale: Double) -> Double { max(absolute, relative * scale) }

    /// Whether `measure` ≤ ``bound(scale:)`` (false for NaN).
    package func accepts(_ measure: Double, scale: Double) -> Bool { measure <= bound(scale: scale) }

    /// Both parts square-rooted: the relaxed test of a stalled method (√tol, as far as a
    /// function value resolves its minimizer).
    package var squareRoot: Tolerance { Tolerance(absolute: absolute.squareRoot(), relative: relative.squareRoot()) }
}

/// Which termination test fired, recorded in the result as `converged_by` (argmin's
/// `SolverConverged` cannot say; Clarabel's `Info::check_termination` and OSQP's
/// `check_termination` decide by one named test). An open set: each family names its tests
/// as static constants (snake_case, the JSON spelling).
public struct ConvergenceTest: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// What a family's termination function decided: the status and the test that gave it
/// (nil when no convergence test fired, e.g. `slow_progress` after a stall).
package struct TerminationVerdict: Sendable, Equatable {
    package var status: TerminationStatus
    package var test: ConvergenceTest?

    package init(_ status: TerminationStatus, by test: ConvergenceTest?) {
        self.status = status
        self.test = test
    }
}
