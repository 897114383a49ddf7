import LagrangeCore
import LinearAlgebra

/// Presolve for two-person zero-sum games (A[i][j] is what row player X pays column
/// player Y; X minimizes, Y maximizes).
///
/// 1. **Pure saddle point.** If min_i max_j A_ij = max_j min_i A_ij, the entry at the
///    minimizing row and maximizing column is the largest in its row and the smallest in
///    its column; the pure pair is optimal and no LP is needed.
/// 2. **Iterated strict dominance.** Row k is removed when another remaining row pays
///    strictly less against every remaining column; column l when another remaining
///    column receives strictly more against every remaining row. Repeat until a pass
///    removes nothing. Removing strictly dominated strategies keeps the value and every
///    optimal strategy (padded with zeros) of the reduced game is optimal in the full one.
///    Only domination by pure strategies is tested (mixed domination would need an LP).
///
/// Ties are broken by the lowest index, so the result is deterministic.
package enum GamePresolve {
    /// The outcome of ``run(_:removeDominated:)``.
    package struct Outcome: Sendable, Equatable {
        package var report: GamePresolveReport
        /// Rows and columns of the reduced game (indices into the original, ascending).
        package var keptRows: [Int]
        package var keptColumns: [Int]
    }

    /// A pure saddle point of the submatrix on `rows` × `columns`, as original indices.
    package static func saddlePoint(_ a: DenseMatrix, rows: [Int], columns: [Int]) -> (row: Int, column: Int)? {
        guard !rows.isEmpty, !columns.isEmpty else { return nil }
        // X's pure guarantee: the row whose largest payment is smallest.
        var bestRow = rows[0], bestRowMax = Double.infinity
        for i in rows {
            var m = -Double.infinity
            for j in columns { m = max(m, a[i, j]) }
            if m < bestRowMax { bestRowMax = m; bestRow = i }
        }
        // Y's pure guarantee: the column whose smallest receipt is largest.
        var bestColumn = columns[0], bestColumnMin = -Double.infinity
        for j in columns {
            var m = Double.infinity
            for i in rows { m = min(m, a[i, j]) }
            if m > bestColumnMin { bestColumnMin = m; bestColumn = j }
        }
        // max_j min_i ≤ A[bestRow][bestColumn] ≤ min_i max_j always; equality is a saddle.
        return bestRowMax == bestColumnMin ? (bestRow, bestColumn) : nil
    }

    /// Saddle-point test on the full game, then (optionally) iterated strict dominance and
    /// a saddle-point test on what remains. `shouldStop` is asked once per strategy tested
    /// (a time limit, a cancellation); when it answers true the dominance pass ends early
    /// with what it has removed so far, which is still a valid reduction.
    package static func run(_ game: MatrixGame, removeDominated: Bool = true, shouldStop: () -> Bool = { false }) -> Outcome {
        let a = game.payoff
        var rows = Array(0..<a.rows), columns = Array(0..<a.columns)
        var report = GamePresolveReport()
        if let s = saddlePoint(a, rows: rows, columns: columns) {
            report.saddleRow = s.row
            report.saddleColumn = s.column
            return Outcome(report: report, keptRows: rows, keptColumns: columns)
        }
        guard removeDominated else { return Outcome(report: report, keptRows: rows, keptColumns: columns) }
        // A strategy is removed only while its dominator is still live; strict dominance
        // is transitive, so the chain always ends at a kept strategy.
        var changed = true
        while changed {
            changed = false
            report.rounds += 1
            var liveRows = Set(rows)
            for k in rows {
                if shouldStop() { return Outcome(report: report, keptRows: rows.filter { liveRows.contains($0) }, keptColumns: columns) }
                let dominated = rows.contains { r in
                    r != k && liveRows.contains(r) && columns.allSatisfy { a[r, $0] < a[k, $0] }
                }
                if dominated {
                    liveRows.remove(k)
                    report.removedRows.append(k)
                    changed = true
                }
            }
            rows = rows.filter { liveRows.contains($0) }
            var liveColumns = Set(columns)
            for l in columns {
                if shouldStop() { return Outcome(report: report, keptRows: rows, keptColumns: columns.filter { liveColumns.contains($0) }) }
                let dominated = columns.contains { c in
                    c != l && liveColumns.contains(c) && rows.allSatisfy { a[$0, c] > a[$0, l] }
                }
                if dominated {
                    liveColumns.remove(l)
                    report.removedColumns.append(l)
                    changed = true
                }
            }
            columns = columns.filter { liveColumns.contains($0) }
        }
        if let s = saddlePoint(a, rows: rows, columns: columns) {
            report.saddleRow = s.row
            report.saddleColumn = s.column
        }
        return Outcome(report: report, keptRows: rows, keptColumns: columns)
    }
}
