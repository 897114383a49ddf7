import LinearAlgebra

/// The two auxiliary LPs whose optima settle infeasibility and unboundedness. Both always
/// have an optimum, so any LP solver can produce the certificates the registry's checker
/// asks for (``Certificate``): a backend that reports `infeasible` or `unbounded` without
/// one solves these with itself.
extension LinearProgram {
    /// Phase 1: min Σ(pᵢ + qᵢ) s.t. lᵢ ≤ aᵢx + pᵢ − qᵢ ≤ uᵢ, the column bounds, p, q ≥ 0;
    /// columns x (the originals, same order), then p, then q. A positive optimum proves
    /// infeasibility and its row duals (shadow prices) are a Farkas vector; at a zero
    /// optimum the x part is a feasible point.
    package func phaseOneProgram() throws -> LinearProgram {
        let m = rowCount, n = columnCount, a = constraints
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(a.nonzeroCount + 2 * m)
        for j in 0..<n {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] { triplets.append((a.rowIndices[k], j, a.values[k])) }
        }
        for i in 0..<m {
            triplets.append((i, n + i, 1))
            triplets.append((i, n + m + i, -1))
        }
        let matrix = try SparseMatrix(rowCount: m, columnCount: n + 2 * m, triplets: triplets)
        return try LinearProgram(
            name: name + " (phase 1)", sense: .minimize,
            objective: Array(repeating: 0, count: n) + Array(repeating: 1, count: 2 * m),
            constraints: matrix, rowLower: rowLower, rowUpper: rowUpper,
            columnLower: columnLower + Array(repeating: 0, count: 2 * m),
            columnUpper: columnUpper + Array(repeating: .infinity, count: 2 * m),
            variableNames: (0..<(n + 2 * m)).map { "v\($0)" }, constraintNames: (0..<m).map { "r\($0)" })
    }

    /// The ray LP: min s·cᵀd (s = −1 for a maximization) s.t. Ad in the recession cone of
    /// the rows (0 ≤ aᵢd where lᵢ is finite, aᵢd ≤ 0 where uᵢ is), d in that of the column
    /// bounds, and −1 ≤ d ≤ 1. A negative optimum is a ray along which the objective
    /// improves without end from any feasible point. `quadratic` (a QP's Q) adds Qd = 0.
    package func rayProgram(quadratic: SparseMatrix? = nil) throws -> LinearProgram {
        let s: Double = sense == .minimize ? 1 : -1
        var matrix = constraints
        var lower = rowLower.map { $0.isFinite ? 0 : -Double.infinity }
        var upper = rowUpper.map { $0.isFinite ? 0 : Double.infinity }
        if let q = quadratic, q.nonzeroCount > 0 {
            // Stack Q under A (Q is symmetric, so its columns are its rows).
            var triplets: [(row: Int, column: Int, value: Double)] = []
            let a = constraints
            for j in 0..<columnCount {
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] { triplets.append((a.rowIndices[k], j, a.values[k])) }
                for k in q.columnStarts[j]..<q.columnStarts[j + 1] { triplets.append((rowCount + q.rowIndices[k], j, q.values[k])) }
            }
            matrix = try SparseMatrix(rowCount: rowCount + columnCount, columnCount: columnCount, triplets: triplets)
            lower += Array(repeating: 0, count: columnCount)
            upper += Array(repeating: 0, count: columnCount)
        }
        return try LinearProgram(
            name: name + " (ray)", sense: .minimize, objective: objective.map { s * $0 },
            constraints: matrix, rowLower: lower, rowUpper: upper,
            columnLower: columnLower.map { $0.isFinite ? 0 : -1 }, columnUpper: columnUpper.map { $0.isFinite ? 0 : 1 },
            variableNames: (0..<columnCount).map { "d\($0)" }, constraintNames: (0..<matrix.rowCount).map { "r\($0)" })
    }
}
