import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// Knapsack cover cuts (``BranchAndBoundSearch/coverCuts(at:limit:)``): every cut returned
/// must hold at every binary point of its row, checked by enumeration on random rows with
/// mixed signs and both sides, at random fractional points; and they must cut those points.
@Suite struct CoverCutTests {
    @Test func everyCoverHoldsAtEveryBinaryPointOfItsRow() throws {
        var generator = SeededGenerator(seed: 2026)
        var checked = 0
        for _ in 0..<200 {
            let n = Int.random(in: 3...9, using: &generator)
            let row = (0..<n).map { _ in Double(Int.random(in: -9...15, using: &generator)) }
            let total = row.reduce(0) { $0 + abs($1) }
            let upper = Double(Int.random(in: 0...Int(total / 2 + 1), using: &generator))
            let lower = Bool.random(using: &generator) ? upper - Double(Int.random(in: 0...5, using: &generator)) : -.infinity
            let lp = try makeLP(c: Array(repeating: 1, count: n), rows: [row], rowLower: [lower], rowUpper: [upper],
                                columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: 1, count: n),
                                integerColumns: Array(0..<n))
            let search = BranchAndBoundSearch(lp: lp, settings: try BranchAndBoundSettings(options: SolveOptions()),
                                              control: IterationControl(options: SolveOptions()))
            let x = (0..<n).map { _ in Double.random(in: 0...1, using: &generator) }
            for cut in search.coverCuts(at: x, limit: 10) {
                let atX = zip(cut.columns, cut.coefficients).reduce(0) { $0 + $1.1 * x[$1.0] }
                #expect(atX < cut.lower - 1e-4, "the cut does not cut x")
                for mask in 0..<(1 << n) {
                    let point = (0..<n).map { Double((mask >> $0) & 1) }
                    let activity = zip(row, point).reduce(0) { $0 + $1.0 * $1.1 }
                    guard activity <= upper, activity >= lower else { continue }
                    let value = zip(cut.columns, cut.coefficients).reduce(0) { $0 + $1.1 * point[$1.0] }
                    #expect(value >= cut.lower - 1e-12, "row \(row) in [\(lower), \(upper)]: cut \(cut) fails at \(point)")
                }
                checked += 1
            }
        }
        #expect(checked >= 50, "only \(checked) cuts were generated")
    }
}
