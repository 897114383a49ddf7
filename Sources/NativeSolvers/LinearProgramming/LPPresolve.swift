import LagrangeCore
import LinearAlgebra

/// A minimization LP in row-bound form, min cᵀx + c₀ s.t. rowLower ≤ Ax ≤ rowUpper,
/// columnLower ≤ x ≤ columnUpper: what presolve reads and writes, and what the native
/// solvers take (a maximization is negated before it gets here).
struct RowBoundLP {
    var objective: [Double]
    var objectiveConstant: Double
    var matrix: SparseMatrix
    var rowLower: [Double]
    var rowUpper: [Double]
    var columnLower: [Double]
    var columnUpper: [Double]
    /// Full symmetric Q of a QP's ½xᵀQx (nil for an LP).
    var quadratic: SparseMatrix?

    var rowCount: Int { matrix.rowCount }
    var columnCount: Int { matrix.columnCount }

    /// The minimization form of `lp`: for a maximization c and c₀ are negated.
    init(minimizing lp: LinearProgram) {
        let s: Double = lp.sense == .minimize ? 1 : -1
        objective = lp.objective.map { s * $0 }
        objectiveConstant = s * lp.objectiveConstant
        matrix = lp.constraints.droppingZeros()
        rowLower = lp.rowLower
        rowUpper = lp.rowUpper
        columnLower = lp.columnLower
        columnUpper = lp.columnUpper
        quadratic = nil
    }

    /// The minimization form of a QP: for a maximization c, c₀ and Q are negated.
    init(minimizing qp: QuadraticProgram) {
        self.init(minimizing: qp.linear)
        let s: Double = qp.linear.sense == .minimize ? 1 : -1
        let q = qp.quadratic.droppingZeros()
        quadratic = s == 1 ? q : q.scaled(rows: Array(repeating: -1, count: q.rowCount), columns: Array(repeating: 1, count: q.columnCount))
    }

    init(objective: [Double], objectiveConstant: Double, matrix: SparseMatrix, rowLower: [Double], rowUpper: [Double],
         columnLower: [Double], columnUpper: [Double], quadratic: SparseMatrix? = nil) {
        self.quadratic = quadratic
        self.objective = objective
        self.objectiveConstant = objectiveConstant
        self.matrix = matrix
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = columnLower
        self.columnUpper = columnUpper
    }
}

/// What presolve proved on its own.
enum PresolveVerdict: Equatable {
    /// A reduced problem remains to be solved (possibly empty).
    case reduced
    /// A row or column bound conflict: the LP is infeasible.
    case infeasible(String)
}

/// Simple LP presolve with a matching postsolve.
///
/// Reductions, repeated until none applies: free rows (−∞, ∞) and empty rows are
/// dropped (after checking 0 ∈ [l, u]); fixed columns (l = u) are substituted into the
/// row bounds and the objective constant; empty columns are set to their best bound
/// (and flag the LP as unbounded if that bound is infinite and the cost pulls that
/// way); singleton rows l ≤ aᵢⱼxⱼ ≤ u become column bounds.
///
/// Postsolve restores the removed primal values, gives dropped rows a zero dual, and
/// hands the reduced cost of a column to a singleton row when the row's bound is the
/// one that binds, so the duals are shadow prices of the original rows. Reduced costs
/// are finally recomputed as d = c − Aᵀy on the original matrix.
struct LPPresolve {
    enum Step {
        case droppedRow(Int)
        case fixedColumn(Int, Double)
        case singletonRow(row: Int, column: Int, coefficient: Double, tightensLower: Bool, tightensUpper: Bool)
    }

    let original: RowBoundLP
    private(set) var steps: [Step] = []
    private(set) var activeRows: [Int] = []
    private(set) var activeColumns: [Int] = []
    /// Set when an empty column's cost pulls it to an infinite bound.
    private(set) var unboundedColumn: Int?
    private(set) var verdict: PresolveVerdict = .reduced
    private(set) var reduced: RowBoundLP

    /// Runs presolve. `enabled == false` keeps everything (the reduced LP is the original).
    init(_ lp: RowBoundLP, enabled: Bool, tolerance: Double = 1e-9) {
        original = lp
        reduced = lp
        let m = lp.rowCount, n = lp.columnCount
        guard enabled else {
            activeRows = Array(0..<m)
            activeColumns = Array(0..<n)
            return
        }
        var rowLower = lp.rowLower, rowUpper = lp.rowUpper
        var columnLower = lp.columnLower, columnUpper = lp.columnUpper
        var constant = lp.objectiveConstant
        var rowActive = Array(repeating: true, count: m)
        var columnActive = Array(repeating: true, count: n)
        let a = lp.matrix
        let at = a.transposed()
        var rowCounts = (0..<m).map { at.columnStarts[$0 + 1] - at.columnStarts[$0] }
        var columnCounts = (0..<n).map { a.columnStarts[$0 + 1] - a.columnStarts[$0] }
        var fixedValue = Array(repeating: 0.0, count: n)
        // A QP's linear cost changes as columns are fixed: c_i += Q_ij·v.
        var cost = lp.objective
        let q = lp.quadratic
        func quadraticCoupling(_ j: Int) -> (diagonal: Double, coupled: Bool) {
            guard let q else { return (0, false) }
            var diagonal = 0.0, coupled = false
            for k in q.columnStarts[j]..<q.columnStarts[j + 1] {
                let i = q.rowIndices[k]
                if i == j { diagonal += q.values[k] } else if columnActive[i] && q.values[k] != 0 { coupled = true }
            }
            return (diagonal, coupled)
        }

        func removeColumn(_ j: Int, value: Double) {
            columnActive[j] = false
            fixedValue[j] = value
            constant += cost[j] * value
            if let q {
                for k in q.columnStarts[j]..<q.columnStarts[j + 1] {
                    let i = q.rowIndices[k]
                    if i == j { constant += 0.5 * q.values[k] * value * value } else if columnActive[i] { cost[i] += q.values[k] * value }
                }
            }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let i = a.rowIndices[k]
                guard rowActive[i] else { continue }
                rowLower[i] -= a.values[k] * value
                rowUpper[i] -= a.values[k] * value
                rowCounts[i] -= 1
            }
            steps.append(.fixedColumn(j, value))
        }
        func removeRow(_ i: Int) {
            rowActive[i] = false
            for t in at.columnStarts[i]..<at.columnStarts[i + 1] where columnActive[at.rowIndices[t]] {
                columnCounts[at.rowIndices[t]] -= 1
            }
        }

        var changed = true
        presolveLoop: while changed {
            changed = false
            for i in 0..<m where rowActive[i] {
                if rowLower[i] == -.infinity && rowUpper[i] == .infinity {
                    removeRow(i)
                    steps.append(.droppedRow(i))
                    changed = true
                } else if rowCounts[i] == 0 {
                    let scale = tolerance * max(1, abs(rowLower[i]).isFinite ? abs(rowLower[i]) : 1,
                                                abs(rowUpper[i]).isFinite ? abs(rowUpper[i]) : 1)
                    if rowLower[i] > scale || rowUpper[i] < -scale {
                        verdict = .infeasible("row \(i) has no entries and bounds [\(rowLower[i]), \(rowUpper[i])] excluding 0")
                        break presolveLoop
                    }
                    removeRow(i)
                    steps.append(.droppedRow(i))
                    changed = true
                } else if rowCounts[i] == 1 {
                    var column = -1, coefficient = 0.0
                    for t in at.columnStarts[i]..<at.columnStarts[i + 1] where columnActive[at.rowIndices[t]] {
                        column = at.rowIndices[t]
                        coefficient = at.values[t]
                    }
                    guard column >= 0 else { continue }
                    var lo = rowLower[i] / coefficient, hi = rowUpper[i] / coefficient
                    if coefficient < 0 { swap(&lo, &hi) }
                    let tightensLower = lo > columnLower[column]
                    let tightensUpper = hi < columnUpper[column]
                    if tightensLower { columnLower[column] = lo }
                    if tightensUpper { columnUpper[column] = hi }
                    if columnLower[column] > columnUpper[column] {
                        let gap = columnLower[column] - columnUpper[column]
                        if gap > tolerance * max(1, abs(columnLower[column])) {
                            verdict = .infeasible("row \(i) bounds conflict with the bounds of column \(column)")
                            break presolveLoop
                        }
                        let mid = 0.5 * (columnLower[column] + columnUpper[column])
                        columnLower[column] = mid
                        columnUpper[column] = mid
                    }
                    removeRow(i)
                    steps.append(.singletonRow(row: i, column: column, coefficient: coefficient,
                                               tightensLower: tightensLower, tightensUpper: tightensUpper))
                    changed = true
                }
            }
            for j in 0..<n where columnActive[j] {
                if columnLower[j] == columnUpper[j] {
                    removeColumn(j, value: columnLower[j])
                    changed = true
                } else if columnCounts[j] == 0 {
                    // A column without constraints: its optimum is 1-D unless Q couples it.
                    let (curvature, coupled) = quadraticCoupling(j)
                    if coupled { continue }
                    let c = cost[j]
                    var value: Double
                    if curvature > 0 { value = min(max(-c / curvature, columnLower[j]), columnUpper[j]) }
                    else if c > 0 { value = columnLower[j] } else if c < 0 { value = columnUpper[j] } else {
                        value = min(max(0, columnLower[j]), columnUpper[j])
                    }
                    if !value.isFinite {
                        unboundedColumn = j
                        value = min(max(0, columnLower[j]), columnUpper[j])
                    }
                    removeColumn(j, value: value)
                    changed = true
                }
            }
        }
        activeRows = (0..<m).filter { rowActive[$0] }
        activeColumns = (0..<n).filter { columnActive[$0] }
        let sub = a.selectingColumns(activeColumns).selectingRows(activeRows)
        reduced = RowBoundLP(
            objective: activeColumns.map { cost[$0] }, objectiveConstant: constant, matrix: sub,
            rowLower: activeRows.map { rowLower[$0] }, rowUpper: activeRows.map { rowUpper[$0] },
            columnLower: activeColumns.map { columnLower[$0] }, columnUpper: activeColumns.map { columnUpper[$0] },
            quadratic: q.map { $0.selectingColumns(activeColumns).selectingRows(activeColumns) })
        self.fixedValues = fixedValue
    }

    private var fixedValues: [Double] = []

    /// Maps a solution (x, y) of the reduced LP back to the original: primal values,
    /// row duals (shadow prices) and reduced costs d = c + Qx − Aᵀy.
    func postsolve(primal reducedX: [Double], duals reducedY: [Double]) -> (x: [Double], y: [Double], d: [Double]) {
        let lp = original
        var x = fixedValues.isEmpty ? Array(repeating: 0, count: lp.columnCount) : fixedValues
        var y = Array(repeating: 0.0, count: lp.rowCount)
        for (k, j) in activeColumns.enumerated() { x[j] = reducedX[k] }
        for (k, i) in activeRows.enumerated() { y[i] = reducedY[k] }
        // The gradient of the objective at x: c + Qx (c for an LP).
        var gradient = lp.objective
        if let q = lp.quadratic {
            let qx = q.multiply(x)
            for j in 0..<gradient.count { gradient[j] += qx[j] }
        }
        var known = Array(repeating: false, count: lp.rowCount)
        for i in activeRows { known[i] = true }
        for step in steps.reversed() {
            switch step {
            case .droppedRow(let i):
                known[i] = true
            case .fixedColumn(let j, let v):
                x[j] = v
            case let .singletonRow(i, j, coefficient, tightensLower, tightensUpper):
                var d = gradient[j]
                for k in lp.matrix.columnStarts[j]..<lp.matrix.columnStarts[j + 1] where known[lp.matrix.rowIndices[k]] {
                    d -= lp.matrix.values[k] * y[lp.matrix.rowIndices[k]]
                }
                if (d > 0 && tightensLower) || (d < 0 && tightensUpper) { y[i] = d / coefficient }
                known[i] = true
            }
        }
        var d = gradient
        let aty = lp.matrix.transposeMultiply(y)
        for j in 0..<d.count { d[j] -= aty[j] }
        return (x, y, d)
    }
}
