import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// `native.simplex`'s stall guard (``SimplexTermination``): progress is measured against the
/// best value so far, which starts infinite. 1e-9·max(1, |∞|) is ∞ and ∞ − ∞ is NaN, so the
/// test written inline in both loops never saw progress from an infinite start: every
/// phase was "stalled" after its pivot budget however fast it improved (the primal loop
/// fell back to Bland's rule, then ended slow_progress; the dual loop handed over).
@Suite struct SimplexTerminationTests {
    @Test func anyFiniteValueImprovesOnAnInfiniteStart() {
        #expect(SimplexTermination.improves(5, on: .infinity))
        #expect(SimplexTermination.improves(-1e300, on: .infinity))
        #expect(!SimplexTermination.improves(.infinity, on: .infinity))
    }

    @Test func improvementIsRelative() {
        #expect(SimplexTermination.improves(1 - 2e-9, on: 1))
        #expect(!SimplexTermination.improves(1 - 5e-10, on: 1))
        #expect(SimplexTermination.improves(1e6 - 2e-3, on: 1e6))
        #expect(!SimplexTermination.improves(1e6 - 5e-4, on: 1e6))
    }
}
