/// The termination rules of `kind: smooth`, once for every method (the native ones in
/// NativeSolvers/Smooth and GSL's in GSLSolvers): pure functions of the current measures.
///
/// With t = `tolerance` (default 1e-8), read as ``Tolerance/mixed(_:)`` (absolute and
/// relative both t), and F the minimized function (−f for `maximize`):
///
/// - gradient test: ‖∇F(x)‖₂ ≤ t·max(1, min(|F(x)|, |F(x₀)|)) → `optimal` when F is known
///   convex, else `locally_optimal` (``gradientNorm``). The scale is capped at |F(x₀)| so
///   that a diverging F cannot make the test easy;
/// - after a stall (a line search that finds no decrease, GSL's `GSL_ENOPROG`): the same test
///   with √t → `almost_optimal` (``relaxedGradientNorm``), else `slow_progress`;
/// - Nelder–Mead (no gradient): simplex size ≤ √t·max(1, ‖x‖₂) → `locally_optimal`
///   (``simplexSize``): F resolves x only to about √ε near a minimum.
///
/// Non-finite values, the second-order test and the limits stay with the drivers
/// (``IterationControl`` checks the limits last).
package enum SmoothTermination {
    /// The tolerance when `--tolerance` is not given.
    package static let defaultTolerance = 1e-8

    package static let gradientNorm = ConvergenceTest(rawValue: "gradient_norm")
    package static let relaxedGradientNorm = ConvergenceTest(rawValue: "gradient_norm_relaxed")
    package static let simplexSize = ConvergenceTest(rawValue: "simplex_size")

    /// What `--tolerance t` means for a smooth method (t·max(1, scale)).
    package static func tolerance(_ option: Double?) -> Tolerance { .mixed(option ?? defaultTolerance) }

    /// The scale of the gradient test: min(|F(x)|, |F(x₀)|).
    package static func scale(f: Double, f0: Double) -> Double { min(abs(f), abs(f0)) }

    /// The gradient test; nil when it fails. `knownConvex`: F is known convex (a linear or
    /// positive-semidefinite quadratic expression, or a closure declared so).
    package static func gradientTest(gradientNorm: Double, f: Double, f0: Double, tolerance: Tolerance,
                                    knownConvex: Bool) -> TerminationVerdict? {
        guard tolerance.accepts(gradientNorm, scale: scale(f: f, f0: f0)) else { return nil }
        return TerminationVerdict(knownConvex ? .optimal : .locallyOptimal, by: Self.gradientNorm)
    }

    /// The verdict on a method that stalled at a point with this gradient norm.
    package static func afterStall(gradientNorm: Double, f: Double, f0: Double, tolerance: Tolerance) -> TerminationVerdict {
        tolerance.squareRoot.accepts(gradientNorm, scale: scale(f: f, f0: f0))
            ? TerminationVerdict(.almostOptimal, by: relaxedGradientNorm) : TerminationVerdict(.slowProgress, by: nil)
    }

    /// Nelder–Mead's test on the simplex size at a point of 2-norm `pointNorm`; nil when it fails.
    package static func simplexTest(size: Double, pointNorm: Double, tolerance: Tolerance) -> TerminationVerdict? {
        tolerance.squareRoot.accepts(size, scale: pointNorm) ? TerminationVerdict(.locallyOptimal, by: simplexSize) : nil
    }
}
