import LagrangeCore
@testable import NativeSolvers
import Testing

/// Gomory cut selection (``SimplexEngine/selectDiverse(_:limit:maximumParallelism:)``) and
/// the open-node order of the branch-and-bound (``NodeQueue/precedes(_:_:)``).
@Suite struct CutSelectionTests {
    private func cut(_ coefficients: [Double], _ lower: Double) -> LinearCut {
        LinearCut(columns: Array(coefficients.indices), coefficients: coefficients, lower: lower)
    }

    @Test func mostEffectiveFirstAndNearCopiesSkipped() {
        let candidates: [(cut: LinearCut, efficacy: Double)] = [
            (cut([1, 0, 0], 1), 0.2),
            (cut([1, 0.01, 0], 1), 0.9),   // nearly parallel to the first: only one of them
            (cut([0, 1, 0], 1), 0.5),
            (cut([0, 0, 1], 1), 0.1),
        ]
        let chosen = SimplexEngine.selectDiverse(candidates, limit: 3)
        #expect(chosen.map(\.coefficients) == [[1, 0.01, 0], [0, 1, 0], [0, 0, 1]])
        // With room for two, the two most effective non-parallel ones.
        #expect(SimplexEngine.selectDiverse(candidates, limit: 2).map(\.coefficients) == [[1, 0.01, 0], [0, 1, 0]])
    }

    @Test func orthogonalCutsAreAllKeptUpToTheLimit() {
        let candidates = (0..<5).map { k in
            (cut: cut((0..<5).map { $0 == k ? 1 : 0 }, 1), efficacy: Double(k))
        }
        let chosen = SimplexEngine.selectDiverse(candidates, limit: 4)
        #expect(chosen.count == 4)
        #expect(chosen.first?.coefficients == [0, 0, 0, 0, 1], "the most effective cut comes first")
    }

    @Test func equalBoundsPreferTheDeeperNode() {
        func node(bound: Double, depth: Int) -> SearchNode {
            SearchNode(bounds: [], basis: nil, bound: bound, lpBound: bound, depth: depth, branchedColumn: -1,
                       branchedUp: false, fractionalDistance: 0)
        }
        #expect(NodeQueue.precedes(node(bound: 1, depth: 0), node(bound: 2, depth: 9)))
        #expect(NodeQueue.precedes(node(bound: 2, depth: 5), node(bound: 2, depth: 3)))
        #expect(!NodeQueue.precedes(node(bound: 2, depth: 3), node(bound: 2, depth: 5)))
        var queue = NodeQueue(depthFirst: false)
        for (bound, depth) in [(3.0, 9), (2.0, 1), (2.0, 7), (2.0, 4)] { queue.push(node(bound: bound, depth: depth)) }
        var order: [Int] = []
        while let next = queue.popNext() { order.append(next.depth) }
        #expect(order == [7, 4, 1, 9])
    }
}
