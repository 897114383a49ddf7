import LagrangeCore
import Testing

/// The shared termination vocabulary (``Tolerance``, ``TerminationVerdict``) and the smooth
/// family's rules (``SmoothTermination``), which the native and GSL methods all call.
@Suite struct TerminationTests {
    /// max(t, t·s) is bit for bit the t·max(1, s) the smooth tests were written with before,
    /// so moving them onto ``Tolerance`` changes no answer.
    @Test(arguments: [1e-8, 1e-6, 0.3, 1e-300])
    func mixedBoundIsTheOldScaledTolerance(t: Double) {
        for s in [0, 1e-300, 0.5, 1, 1 + 1e-15, 3.7, 1e8, 1e300, .infinity, .nan] {
            let old = t * max(1, s)
            let new = Tolerance.mixed(t).bound(scale: s)
            #expect(old == new || (old.isNaN && new.isNaN), "t = \(t), s = \(s): \(old) vs \(new)")
            #expect(t.squareRoot() * max(1, s) == Tolerance.mixed(t).squareRoot.bound(scale: s), "√t, s = \(s)")
        }
    }

    @Test func gradientTestSaysWhichTestFiredAndWhatItProves() {
        let t = SmoothTermination.tolerance(nil)
        #expect(t == Tolerance(absolute: 1e-8, relative: 1e-8))
        // Scale min(|f|, |f0|) = 100: 1e-6 passes, 2e-6 does not.
        let convex = SmoothTermination.gradientTest(gradientNorm: 1e-6, f: 100, f0: 1e4, tolerance: t, knownConvex: true)
        #expect(convex == TerminationVerdict(.optimal, by: SmoothTermination.gradientNorm))
        let local = SmoothTermination.gradientTest(gradientNorm: 1e-6, f: 100, f0: 1e4, tolerance: t, knownConvex: false)
        #expect(local?.status == .locallyOptimal)
        #expect(SmoothTermination.gradientTest(gradientNorm: 2e-6, f: 100, f0: 1e4, tolerance: t, knownConvex: true) == nil)
        // A diverging f does not make the test easy: the scale is capped at |f(x0)|.
        #expect(SmoothTermination.gradientTest(gradientNorm: 1e-3, f: -1e12, f0: 1, tolerance: t, knownConvex: true) == nil)
        #expect(SmoothTermination.gradientTest(gradientNorm: .nan, f: 1, f0: 1, tolerance: t, knownConvex: true) == nil)
        #expect(SmoothTermination.gradientNorm.rawValue == "gradient_norm")
    }

    @Test func aStallIsAlmostOptimalOnlyWithinTheSquareRootTolerance() {
        let t = SmoothTermination.tolerance(1e-8)
        #expect(SmoothTermination.afterStall(gradientNorm: 1e-5, f: 0.5, f0: 2, tolerance: t)
                == TerminationVerdict(.almostOptimal, by: SmoothTermination.relaxedGradientNorm))
        #expect(SmoothTermination.afterStall(gradientNorm: 1e-3, f: 0.5, f0: 2, tolerance: t)
                == TerminationVerdict(.slowProgress, by: nil))
        #expect(SmoothTermination.simplexTest(size: 1e-4, pointNorm: 10, tolerance: t)?.test == SmoothTermination.simplexSize)
        #expect(SmoothTermination.simplexTest(size: 2e-3, pointNorm: 10, tolerance: t) == nil)
    }
}
