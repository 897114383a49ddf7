import LagrangeCore
import LinearAlgebra

extension BranchAndBoundSearch {
    /// Knapsack cover cuts (Crowder, Johnson & Padberg 1983; Wolsey, *Integer Programming*,
    /// §9.3) from the problem's own rows whose columns are all binary.
    ///
    /// Each side of such a row reads Σ aⱼxⱼ ≤ b. With zⱼ = xⱼ for aⱼ > 0 and zⱼ = 1 − xⱼ
    /// for aⱼ < 0, it becomes Σ |aⱼ| zⱼ ≤ b′ = b − Σ_{aⱼ<0} aⱼ. A set C with Σ_C |aⱼ| > b′
    /// (a cover) cannot be all ones, so Σ_C zⱼ ≤ |C| − 1 holds at every binary point of
    /// the row.
    ///
    /// C is chosen greedily by (1 − zⱼ*)/|aⱼ| at the LP point (the separation heuristic of
    /// the reference), then made minimal by dropping members that the excess allows. A
    /// cover's weight must exceed b′ by 1e-9 relative, so rounding in the sum cannot make a
    /// non-cover look like one. A cut is kept when the LP point violates it by at least 1e-4.
    /// `rows`: the problem's matrix transposed (column i = row i), built once by the caller
    /// for all its rounds.
    func coverCuts(at x: [Double], rows: SparseMatrix? = nil, limit: Int) -> [LinearCut] {
        let n = lp.columnCount
        func isBinary(_ j: Int) -> Bool {
            isInteger[j] && integerBounds(j, rootLower[j], rootUpper[j]) == (0, 1)
        }
        let rows = rows ?? lp.constraints.transposed()
        var cuts: [(cut: LinearCut, violation: Double)] = []
        for i in 0..<lp.rowCount {
            var entries: [(column: Int, value: Double)] = []
            var pure = true
            rows.forEachEntry(inColumn: i) { j, v in
                guard pure, v != 0 else { return }
                if j >= n || !isBinary(j) { pure = false } else { entries.append((j, v)) }
            }
            guard pure, entries.count >= 2 else { continue }
            // The ≤ side as it is, the ≥ side negated.
            for (sign, bound) in [(1.0, lp.rowUpper[i]), (-1.0, -lp.rowLower[i])] where bound.isFinite {
                if let found = cover(entries.map { ($0.column, sign * $0.value) }, bound: bound, at: x) { cuts.append(found) }
            }
        }
        return cuts.sorted { $0.violation > $1.violation }.prefix(limit).map(\.cut)
    }

    /// The violated cover inequality of Σ aⱼxⱼ ≤ b at x, as a ``LinearCut``, or nil.
    private func cover(_ row: [(column: Int, value: Double)], bound: Double, at x: [Double]) -> (cut: LinearCut, violation: Double)? {
        var capacity = bound
        for (_, a) in row where a < 0 { capacity -= a }
        guard capacity >= 0 else { return nil }
        // z* and weights; items that cannot fit alone are left to the LP (a cover of one).
        let items = row.map { (column: $0.column, weight: abs($0.value), complemented: $0.value < 0,
                               z: $0.value < 0 ? 1 - x[$0.column] : x[$0.column]) }
        let order = items.indices.sorted {
            (1 - items[$0].z) / items[$0].weight < (1 - items[$1].z) / items[$1].weight
        }
        let margin = 1e-9 * max(1, abs(capacity))
        var chosen: [Int] = [], weight = 0.0
        for k in order {
            chosen.append(k)
            weight += items[k].weight
            if weight > capacity + margin { break }
        }
        guard weight > capacity + margin else { return nil }
        // Minimal: drop the members with the smallest z* first while it stays a cover.
        for k in chosen.sorted(by: { items[$0].z < items[$1].z }) where weight - items[k].weight > capacity + margin {
            weight -= items[k].weight
            chosen.removeAll { $0 == k }
        }
        let size = Double(chosen.count)
        let lhs = chosen.reduce(0.0) { $0 + items[$1].z }
        let violation = lhs - (size - 1)
        guard violation >= 1e-4 else { return nil }
        // Σ_{C+} x − Σ_{C−} x ≤ |C| − 1 − |C−|, written as a ≥ cut.
        var columns: [Int] = [], coefficients: [Double] = []
        var complemented = 0.0
        for k in chosen {
            columns.append(items[k].column)
            coefficients.append(items[k].complemented ? 1 : -1)
            if items[k].complemented { complemented += 1 }
        }
        return (LinearCut(columns: columns, coefficients: coefficients, lower: -(size - 1 - complemented)), violation)
    }
}
