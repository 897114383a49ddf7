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

/// The primal ratio test's Harris pass bounds the step by each blocking variable's room to
/// its bound plus the feasibility tolerance. A basic variable already past its bound (within
/// the tolerance) has only what is left of the tolerance: measured as the distance back to
/// the bound *plus* a whole tolerance, a step could carry it to almost three tolerances
/// past, phase 1 then stepped back, and on ken-13's crossover that pair of pivots repeated
/// for a minute (the phase changed at every step, which the stall guard counted as progress).
@Suite struct PrimalRatioTestTests {
    /// x₂ is fixed at 0.9e-9, so w₁ = 0.5x₁ + x₂ ≤ 0 starts 0.9e-9 past its bound (inside
    /// the 1e-9 tolerance). x₁ enters (cost −1); w₂ = x₁ ≤ 2e-9 blocks with the larger
    /// pivot, but a step of 2e-9 would put w₁ 1.9e-9 past: the test must stop at w₁.
    /// (The variables' values after the pivot are no test: the optimality check recomputes
    /// them, and w₁'s 0.9e-9 shows up in x₁ then.)
    @Test func aVariablePastItsBoundBlocksTheStep() throws {
        let lp = try makeLP(c: [-1, 0], rows: [[0.5, 1], [1, 0]], rowLower: [-.infinity, -.infinity], rowUpper: [0, 2e-9],
                            columnLower: [0, 0.9e-9], columnUpper: [.infinity, 0.9e-9])
        var engine = SimplexEngine(RowBoundLP(minimizing: lp), constant: 0, sense: 1)
        _ = try engine.run(control: IterationControl(options: SolveOptions(maxIterations: 1)))
        // Variables 0, 1 are x₁, x₂; 2, 3 are w₁, w₂. The first pivot's leaving variable is
        // w₁ (zero step), not w₂.
        #expect(!engine.basis.contains(2), "w₁ stayed basic at \(engine.value[2])")
        #expect(engine.basis.contains(3))
    }
}
