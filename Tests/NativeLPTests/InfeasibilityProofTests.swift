import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// The interval-arithmetic Farkas check the dual simplex and the branch-and-bound apply to
/// an infeasibility claim before making it.
@Suite struct InfeasibilityProofTests {
    func engine(_ lp: LinearProgram) -> SimplexEngine {
        SimplexEngine(RowBoundLP(minimizing: lp), constant: 0, sense: 1)
    }

    /// x + y ≥ 3 and x + y ≤ 1 with x, y ≥ 0: π = (1, −1) combines them into 3 ≤ w₁ = w₂ ≤ 1.
    @Test func aTrueProofPassesAndAWrongOneFails() throws {
        let lp = try makeLP(c: [1, 1], rows: [[1, 1], [1, 1]], rowLower: [3, -.infinity], rowUpper: [.infinity, 1])
        let e = engine(lp)
        #expect(e.provesInfeasible([1, -1]))
        #expect(e.provesInfeasible([2, -2]))
        #expect(!e.provesInfeasible([1, 1]))
        #expect(!e.provesInfeasible([1, -0.5]))   // x + y ≥ 3 and 0.5(x + y) ≤ 0.5: no contradiction
        #expect(!e.provesInfeasible([1]))         // wrong length
        #expect(!e.provesInfeasible([.nan, 1]))
    }

    /// A feasible program has no proof, whatever the multipliers.
    @Test func noMultipliersProveAFeasibleProgramInfeasible() throws {
        let lp = try makeLP(c: [1, 1], rows: [[1, 2], [3, -1]], rowLower: [1, -2], rowUpper: [4, 5],
                            columnLower: [0, -1], columnUpper: [3, 2])
        let e = engine(lp)
        var random = SeededGenerator(seed: 5)
        for _ in 0..<500 {
            let pi = [Double.random(in: -3...3, using: &random), Double.random(in: -3...3, using: &random)]
            #expect(!e.provesInfeasible(pi), "\(pi)")
        }
    }
}
