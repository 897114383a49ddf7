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

    /// Drops entries below `ratio` times both the largest magnitude in their row and the
    /// largest in their column (1e-20: invisible next to those in double precision, while
    /// equilibration would turn them into scale factors past 1e150). Returns how many went.
    mutating func dropNegligibleEntries(ratio: Double = 1e-20) -> Int {
        var rowMax = [Double](repeating: 0, count: rowCount), columnMax = [Double](repeating: 0, count: columnCount)
        for j in 0..<columnCount {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let v = abs(matrix.values[k])
                rowMax[matrix.rowIndices[k]] = max(rowMax[matrix.rowIndices[k]], v)
                columnMax[j] = max(columnMax[j], v)
            }
        }
        let before = matrix.nonzeroCount
        matrix = matrix.dropping { i, j, v in abs(v) < ratio * rowMax[i] && abs(v) < ratio * columnMax[j] }
        return before - matrix.nonzeroCount
    }

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
    /// `shouldStop` answered true (a time limit, a cancellation) between passes.
    case stopped
}

/// Which reductions presolve may apply.
enum PresolveReductions: Equatable {
    /// Free and empty rows, fixed and empty columns, singleton rows → bounds. Valid for
    /// QPs too.
    case simple
    /// `simple` plus the activity-bound reductions of an LP: infeasible, forcing and
    /// redundant rows, and implied-free column singletons in equality rows substituted
    /// out. LP only: they reason about a linear cost.
    case full
}

/// LP presolve with a matching postsolve.
///
/// Simple reductions, repeated until none applies: free rows (−∞, ∞) and empty rows are
/// dropped (after checking 0 ∈ [l, u]); fixed columns (l = u) are substituted into the
/// row bounds and the objective constant; empty columns are set to their best bound
/// (and flag the LP as unbounded if that bound is infinite and the cost pulls that
/// way); singleton rows l ≤ aᵢⱼxⱼ ≤ u become column bounds.
///
/// With `.full` (LPs), once the simple reductions are exhausted, activity bounds
/// [Lᵢ, Uᵢ] of each row aᵢx over the column bounds give (Andersen & Andersen 1995):
/// - infeasibility when Lᵢ > uᵢ or Uᵢ < lᵢ beyond tolerance;
/// - forcing rows, Lᵢ = uᵢ (or Uᵢ = lᵢ): every column of the row is fixed at the bound
///   that attains it and the row is dropped;
/// - redundant rows, lᵢ ≤ Lᵢ and Uᵢ ≤ uᵢ, dropped. Here the column bounds may be
///   tightened by bounds implied by *other* active rows (never by the row itself, and
///   never by a row dropped in the same pass), which is what removes the capacity rows
///   of agg; implied bounds are only used for this test, never written into the LP;
/// - implied-free column singletons: a column that appears only in an equality row and
///   whose bounds that row already implies is substituted out with the row
///   (xⱼ = (b − Σₖ aᵢₖxₖ)/aᵢⱼ; the other columns' costs become cₖ − cⱼaᵢₖ/aᵢⱼ).
///
/// Postsolve, in reverse order of the reductions, restores the removed primal values
/// and gives rows duals that keep the solution optimal: a dropped or redundant row gets
/// 0; a singleton row gets the column's reduced cost when its bound is the one that
/// binds; a forcing row the largest multiplier (in the row's sign) that leaves every
/// fixed column's reduced cost with the sign its bound needs; a substituted row
/// cⱼ/aᵢⱼ, making the column's reduced cost 0. Reduced costs are finally recomputed as
/// d = c − Aᵀy on the original matrix.
struct LPPresolve {
    enum Step {
        case droppedRow(Int)
        case fixedColumn(Int, Double)
        /// `cost`: the column's cost when the row went (the linear costs change as
        /// columns are substituted out).
        case singletonRow(row: Int, column: Int, coefficient: Double, tightensLower: Bool, tightensUpper: Bool, cost: Double)
        /// A forcing row; `atUpper`: its minimum activity equals its upper bound (so its
        /// dual is ≤ 0), else its maximum activity equals its lower bound (dual ≥ 0).
        /// `columns`, `coefficients`, `costs`: the columns it fixed, with the costs they
        /// had at that moment.
        case forcingRow(row: Int, atUpper: Bool, columns: [Int], coefficients: [Double], costs: [Double])
        /// An implied-free column singleton substituted out with its equality row.
        case substitutedColumn(row: Int, column: Int, coefficient: Double, cost: Double)
    }

    /// How many times each reduction applied (for tests and diagnostics).
    struct Counts: Equatable {
        var droppedRows = 0, fixedColumns = 0, singletonRows = 0, emptyColumns = 0
        var forcingRows = 0, redundantRows = 0, substitutedColumns = 0
    }

    let original: RowBoundLP
    private(set) var steps: [Step] = []
    private(set) var activeRows: [Int] = []
    private(set) var activeColumns: [Int] = []
    /// Set when an empty column's cost pulls it to an infinite bound.
    private(set) var unboundedColumn: Int?
    private(set) var verdict: PresolveVerdict = .reduced
    private(set) var reduced: RowBoundLP
    private(set) var counts = Counts()
    /// Aᵀ of the original matrix (rows as columns), kept when a substitution needs it.
    private var originalRows: SparseMatrix?

    /// Runs presolve. `enabled == false` keeps everything (the reduced LP is the original).
    /// A QP (`lp.quadratic != nil`) always gets the simple reductions only.
    /// `shouldStop` is asked before every pass and every 1024 rows of the activity-bound
    /// pass (their passes repeat while reductions cascade, O(nnz) each); a true answer
    /// ends presolve with verdict `.stopped`.
    init(_ lp: RowBoundLP, enabled: Bool, reductions: PresolveReductions = .simple, tolerance: Double = 1e-9,
         shouldStop: (() -> Bool)? = nil) {
        original = lp
        reduced = lp
        let m = lp.rowCount, n = lp.columnCount
        guard enabled else {
            activeRows = Array(0..<m)
            activeColumns = Array(0..<n)
            return
        }
        let extended = reductions == .full && lp.quadratic == nil
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

        // Implied column bounds for the redundancy test, each with the row implying it
        // (-1: none). Rebuilt in every extended pass from the active rows.
        var impliedLower = Array(repeating: -Double.infinity, count: extended ? n : 0)
        var impliedUpper = Array(repeating: Double.infinity, count: extended ? n : 0)
        var lowerSource = Array(repeating: -1, count: extended ? n : 0)
        var upperSource = Array(repeating: -1, count: extended ? n : 0)

        /// The activity range of row i over the explicit bounds of its active columns:
        /// finite parts and the number of infinite contributions to each side.
        func activity(_ i: Int) -> (minimum: Double, minimumInfinite: Int, maximum: Double, maximumInfinite: Int, magnitude: Double) {
            var minimum = 0.0, maximum = 0.0, minimumInfinite = 0, maximumInfinite = 0, magnitude = 0.0
            for t in at.columnStarts[i]..<at.columnStarts[i + 1] {
                let j = at.rowIndices[t]
                guard columnActive[j] else { continue }
                let v = at.values[t]
                let low = v > 0 ? columnLower[j] : columnUpper[j]
                let high = v > 0 ? columnUpper[j] : columnLower[j]
                if low.isFinite { minimum += v * low; magnitude = max(magnitude, abs(v * low)) } else { minimumInfinite += 1 }
                if high.isFinite { maximum += v * high; magnitude = max(magnitude, abs(v * high)) } else { maximumInfinite += 1 }
            }
            return (minimum, minimumInfinite, maximum, maximumInfinite, magnitude)
        }

        /// The bounds row bounds [rowLower, rowUpper] imply on column j (coefficient v in
        /// the row): v·x_j ≤ rowUpper − (minimum activity of the rest of the row) and
        /// v·x_j ≥ rowLower − (its maximum). Infinite where the rest is unbounded.
        func impliedBounds(_ act: (minimum: Double, minimumInfinite: Int, maximum: Double, maximumInfinite: Int, magnitude: Double),
                           column j: Int, coefficient v: Double, rowLower: Double, rowUpper: Double) -> (lower: Double, upper: Double) {
            let low = v > 0 ? columnLower[j] : columnUpper[j]
            let high = v > 0 ? columnUpper[j] : columnLower[j]
            var restMinimum = -Double.infinity, restMaximum = Double.infinity
            if low.isFinite { if act.minimumInfinite == 0 { restMinimum = act.minimum - v * low } }
            else if act.minimumInfinite == 1 { restMinimum = act.minimum }
            if high.isFinite { if act.maximumInfinite == 0 { restMaximum = act.maximum - v * high } }
            else if act.maximumInfinite == 1 { restMaximum = act.maximum }
            let bound1 = (rowUpper - restMinimum) / v, bound2 = (rowLower - restMaximum) / v
            return v > 0 ? (bound2, bound1) : (bound1, bound2)
        }

        /// One pass of the activity-bound reductions; true if anything changed.
        func activityPass() -> Bool {
            var changed = false
            // Infeasible and forcing rows, over explicit bounds.
            for i in 0..<m where rowActive[i] {
                if i & 1023 == 0, let shouldStop, shouldStop() { verdict = .stopped; return false }
                let act = activity(i)
                let scale = tolerance * max(1, act.magnitude, rowUpper[i].isFinite ? abs(rowUpper[i]) : 0,
                                            rowLower[i].isFinite ? abs(rowLower[i]) : 0)
                if (act.minimumInfinite == 0 && act.minimum > rowUpper[i] + scale)
                    || (act.maximumInfinite == 0 && act.maximum < rowLower[i] - scale) {
                    verdict = .infeasible("row \(i) cannot reach its bounds [\(rowLower[i]), \(rowUpper[i])]: its activity lies in [\(act.minimumInfinite == 0 ? act.minimum : -.infinity), \(act.maximumInfinite == 0 ? act.maximum : .infinity)]")
                    return false
                }
                let atUpper = act.minimumInfinite == 0 && act.minimum >= rowUpper[i] - scale
                let atLower = !atUpper && act.maximumInfinite == 0 && act.maximum <= rowLower[i] + scale
                guard atUpper || atLower else { continue }
                var columns: [Int] = [], coefficients: [Double] = [], costs: [Double] = [], values: [Double] = []
                for t in at.columnStarts[i]..<at.columnStarts[i + 1] where columnActive[at.rowIndices[t]] {
                    let j = at.rowIndices[t], v = at.values[t]
                    columns.append(j)
                    coefficients.append(v)
                    costs.append(cost[j])
                    values.append((v > 0) == atUpper ? columnLower[j] : columnUpper[j])
                }
                removeRow(i)
                for (j, value) in zip(columns, values) { removeColumn(j, value: value) }
                steps.append(.forcingRow(row: i, atUpper: atUpper, columns: columns, coefficients: coefficients, costs: costs))
                counts.forcingRows += 1
                changed = true
            }
            // Bounds implied by each active row on its columns.
            for j in 0..<n {
                impliedLower[j] = -.infinity; impliedUpper[j] = .infinity
                lowerSource[j] = -1; upperSource[j] = -1
            }
            for i in 0..<m where rowActive[i] {
                if i & 1023 == 0, let shouldStop, shouldStop() { verdict = .stopped; return false }
                let act = activity(i)
                for t in at.columnStarts[i]..<at.columnStarts[i + 1] {
                    let j = at.rowIndices[t]
                    guard columnActive[j] else { continue }
                    let (lowerBound, upperBound) = impliedBounds(act, column: j, coefficient: at.values[t],
                                                                  rowLower: rowLower[i], rowUpper: rowUpper[i])
                    if lowerBound.isFinite && lowerBound > impliedLower[j] { impliedLower[j] = lowerBound; lowerSource[j] = i }
                    if upperBound.isFinite && upperBound < impliedUpper[j] { impliedUpper[j] = upperBound; upperSource[j] = i }
                }
            }
            // Redundant rows, over explicit bounds tightened by other rows' implied ones.
            for i in 0..<m where rowActive[i] {
                var minimum = 0.0, maximum = 0.0, magnitude = 0.0
                let needLower = rowLower[i] > -.infinity, needUpper = rowUpper[i] < .infinity
                for t in at.columnStarts[i]..<at.columnStarts[i + 1] {
                    let j = at.rowIndices[t]
                    guard columnActive[j] else { continue }
                    let v = at.values[t]
                    var lower = columnLower[j], upper = columnUpper[j]
                    if lowerSource[j] >= 0 && lowerSource[j] != i && rowActive[lowerSource[j]] { lower = max(lower, impliedLower[j]) }
                    if upperSource[j] >= 0 && upperSource[j] != i && rowActive[upperSource[j]] { upper = min(upper, impliedUpper[j]) }
                    let low = v > 0 ? lower : upper, high = v > 0 ? upper : lower
                    minimum += v * low
                    maximum += v * high
                    if low.isFinite { magnitude = max(magnitude, abs(v * low)) }
                    if high.isFinite { magnitude = max(magnitude, abs(v * high)) }
                    if (needLower && !minimum.isFinite) || (needUpper && !maximum.isFinite) { break }
                }
                let scale = tolerance * max(1, magnitude)
                if (!needLower || minimum >= rowLower[i] - scale) && (!needUpper || maximum <= rowUpper[i] + scale) {
                    removeRow(i)
                    steps.append(.droppedRow(i))
                    counts.redundantRows += 1
                    changed = true
                }
            }
            // Implied-free column singletons in equality rows.
            for j in 0..<n where columnActive[j] && columnCounts[j] == 1 {
                var row = -1, coefficient = 0.0
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] where rowActive[a.rowIndices[k]] {
                    row = a.rowIndices[k]
                    coefficient = a.values[k]
                }
                guard row >= 0, rowLower[row] == rowUpper[row], rowCounts[row] > 1 else { continue }
                let act = activity(row)
                let b = rowLower[row]
                let (lowerImplied, upperImplied) = impliedBounds(act, column: j, coefficient: coefficient, rowLower: b, rowUpper: b)
                let slack = tolerance * max(1, abs(b), act.magnitude)
                guard columnLower[j] == -.infinity || lowerImplied >= columnLower[j] - slack,
                      columnUpper[j] == .infinity || upperImplied <= columnUpper[j] + slack else { continue }
                let ratio = cost[j] / coefficient
                for t in at.columnStarts[row]..<at.columnStarts[row + 1] {
                    let k = at.rowIndices[t]
                    if k != j && columnActive[k] { cost[k] -= ratio * at.values[t] }
                }
                constant += ratio * b
                steps.append(.substitutedColumn(row: row, column: j, coefficient: coefficient, cost: cost[j]))
                columnActive[j] = false
                removeRow(row)
                counts.substitutedColumns += 1
                changed = true
            }
            return changed
        }

        var changed = true
        presolveLoop: while changed {
            changed = false
            if let shouldStop, shouldStop() { verdict = .stopped; break presolveLoop }
            for i in 0..<m where rowActive[i] {
                if rowLower[i] == -.infinity && rowUpper[i] == .infinity {
                    removeRow(i)
                    steps.append(.droppedRow(i))
                    counts.droppedRows += 1
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
                    counts.droppedRows += 1
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
                                               tightensLower: tightensLower, tightensUpper: tightensUpper, cost: cost[column]))
                    counts.singletonRows += 1
                    changed = true
                }
            }
            for j in 0..<n where columnActive[j] {
                if columnLower[j] == columnUpper[j] {
                    removeColumn(j, value: columnLower[j])
                    counts.fixedColumns += 1
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
                    counts.emptyColumns += 1
                    changed = true
                }
            }
            // The activity-bound reductions cost a few sweeps over A: run them only once
            // the cheap ones have nothing left to do.
            if !changed && extended {
                changed = activityPass()
                if verdict != .reduced { break presolveLoop }
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
        if counts.substitutedColumns > 0 { originalRows = at }
    }

    private var fixedValues: [Double] = []

    /// Maps a solution (x, y) of the reduced LP back to the original: primal values,
    /// row duals (shadow prices) and reduced costs d = c + Qx − Aᵀy.
    /// A direction of the reduced problem (a ray) in the original columns. Postsolve is
    /// affine in the primal point (removed columns are constants or, substituted, affine
    /// in the kept ones), so the direction is post(d) − post(0).
    func postsolveDirection(_ direction: [Double]) -> [Double] {
        let zeroDuals = Array(repeating: 0.0, count: reduced.rowCount)
        let moved = postsolve(primal: direction, duals: zeroDuals).0
        let base = postsolve(primal: Array(repeating: 0, count: direction.count), duals: zeroDuals).0
        return zip(moved, base).map { $0 - $1 }
    }

    /// The basis of the problem as given, from the reduced problem's (`reducedBasic`: whether
    /// reduced variable k, columns then rows' slacks, is basic) and the postsolved point:
    /// the steps are undone in reverse, and each removed row brings exactly one basic
    /// variable, so a basis of the reduced rows becomes one of all rows. A dropped row's
    /// slack is basic. A singleton row's column becomes basic when it sits nonbasic at the
    /// bound the row gave it (the row tight and priced, or tight with the value off the
    /// column's own bounds), the row then nonbasic at that bound; else the row's slack. A forcing row with a nonzero dual
    /// hands the basis to the column whose reduced cost fixed that dual (|d| least), else to
    /// its slack. A substituted column is basic, its equality row nonbasic. Returns nil when
    /// the result is not a basis consistent with the point (a nonbasic variable off its
    /// bounds, or not m basic).
    func postsolveBasis(reducedBasic: (Int) -> Bool, x: [Double], y: [Double], d: [Double])
        -> (columns: [BasisStatus], rows: [BasisStatus])? {
        let lp = original
        let n = lp.columnCount, m = lp.rowCount
        var columnBasic = Array(repeating: false, count: n)
        var rowBasic = Array(repeating: false, count: m)
        for (k, j) in activeColumns.enumerated() { columnBasic[j] = reducedBasic(k) }
        for (k, i) in activeRows.enumerated() { rowBasic[i] = reducedBasic(reduced.columnCount + k) }
        func close(_ v: Double, _ bound: Double) -> Bool { bound.isFinite && abs(v - bound) <= 1e-9 * max(1, abs(bound)) }
        func atOwnBound(_ j: Int) -> Bool { close(x[j], lp.columnLower[j]) || close(x[j], lp.columnUpper[j]) }
        let activity = lp.matrix.multiply(x)
        func tight(_ i: Int) -> Bool { close(activity[i], lp.rowLower[i]) || close(activity[i], lp.rowUpper[i]) }
        for step in steps.reversed() {
            switch step {
            case .droppedRow(let i):
                rowBasic[i] = true
            case .fixedColumn:
                break
            case let .singletonRow(i, j, _, _, _, _):
                // Of two singleton rows on one column only the tighter one holds it.
                if !columnBasic[j] && tight(i) && (y[i] != 0 || !atOwnBound(j)) { columnBasic[j] = true } else { rowBasic[i] = true }
            case let .forcingRow(i, _, columns, _, _):
                let candidates = columns.filter { lp.columnLower[$0] < lp.columnUpper[$0] && !columnBasic[$0] }
                if y[i] != 0, let t = candidates.min(by: { abs(d[$0]) < abs(d[$1]) }) { columnBasic[t] = true } else { rowBasic[i] = true }
            case let .substitutedColumn(_, j, _, _):
                columnBasic[j] = true
            }
        }
        guard columnBasic.filter({ $0 }).count + rowBasic.filter({ $0 }).count == m else { return nil }
        func nonbasic(_ v: Double, _ lower: Double, _ upper: Double) -> BasisStatus? {
            if lower == upper { return .fixed }
            if close(v, lower) && (!close(v, upper) || abs(v - lower) <= abs(v - upper)) { return .atLower }
            if close(v, upper) { return .atUpper }
            return lower.isFinite || upper.isFinite ? nil : .free
        }
        var columns: [BasisStatus] = []
        for j in 0..<n {
            if columnBasic[j] { columns.append(.basic); continue }
            guard let status = nonbasic(x[j], lp.columnLower[j], lp.columnUpper[j]) else { return nil }
            columns.append(status)
        }
        var rows: [BasisStatus] = []
        for i in 0..<m {
            if rowBasic[i] { rows.append(.basic); continue }
            guard let status = nonbasic(activity[i], lp.rowLower[i], lp.rowUpper[i]) else { return nil }
            rows.append(status)
        }
        return (columns, rows)
    }

    func postsolve(primal reducedX: [Double], duals reducedY: [Double]) -> (x: [Double], y: [Double], d: [Double]) {
        let lp = original
        let a = lp.matrix
        var x = fixedValues.isEmpty ? Array(repeating: 0, count: lp.columnCount) : fixedValues
        var y = Array(repeating: 0.0, count: lp.rowCount)
        for (k, j) in activeColumns.enumerated() { x[j] = reducedX[k] }
        for (k, i) in activeRows.enumerated() { y[i] = reducedY[k] }
        var known = Array(repeating: false, count: lp.rowCount)
        for i in activeRows { known[i] = true }
        /// Column j's reduced cost over the rows whose duals are known, from its cost
        /// at the time of the step (an LP's costs change only through substitutions,
        /// whose rows are not known yet, so that cost carries their share). A QP has
        /// none of those and takes the gradient c + Qx at the final x.
        func partialReducedCost(_ j: Int, cost: Double, excluding row: Int) -> Double {
            var d = cost
            if let q = lp.quadratic {
                d = lp.objective[j]
                for k in q.columnStarts[j]..<q.columnStarts[j + 1] { d += q.values[k] * x[q.rowIndices[k]] }
            }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] where known[a.rowIndices[k]] && a.rowIndices[k] != row {
                d -= a.values[k] * y[a.rowIndices[k]]
            }
            return d
        }
        for step in steps.reversed() {
            switch step {
            case .droppedRow(let i):
                known[i] = true
            case .fixedColumn(let j, let v):
                x[j] = v
            case let .singletonRow(i, j, coefficient, tightensLower, tightensUpper, cost):
                let d = partialReducedCost(j, cost: cost, excluding: i)
                if (d > 0 && tightensLower) || (d < 0 && tightensUpper) { y[i] = d / coefficient }
                known[i] = true
            case let .forcingRow(i, atUpper, columns, coefficients, costs):
                // Each fixed column needs d_j = d̃_j − a_ij·y_i ≥ 0 at a lower bound and ≤ 0 at
                // an upper one; with the row at its upper (lower) activity bound both read
                // y_i ≤ d̃_j/a_ij (y_i ≥ d̃_j/a_ij), and y_i must have the row's sign.
                var multiplier = 0.0
                for (t, j) in columns.enumerated() where lp.columnLower[j] < lp.columnUpper[j] {
                    let ratio = partialReducedCost(j, cost: costs[t], excluding: i) / coefficients[t]
                    multiplier = atUpper ? min(multiplier, ratio) : max(multiplier, ratio)
                }
                y[i] = multiplier
                known[i] = true
            case let .substitutedColumn(i, j, coefficient, cost):
                var rest = 0.0
                if let rows = originalRows {
                    for t in rows.columnStarts[i]..<rows.columnStarts[i + 1] where rows.rowIndices[t] != j {
                        rest += rows.values[t] * x[rows.rowIndices[t]]
                    }
                }
                x[j] = (lp.rowLower[i] - rest) / coefficient
                y[i] = partialReducedCost(j, cost: cost, excluding: i) / coefficient
                known[i] = true
            }
        }
        // The gradient of the objective at x: c + Qx (c for an LP).
        var d = lp.objective
        if let q = lp.quadratic {
            let qx = q.multiply(x)
            for j in 0..<d.count { d[j] += qx[j] }
        }
        let aty = lp.matrix.transposeMultiply(y)
        for j in 0..<d.count { d[j] -= aty[j] }
        return (x, y, d)
    }
}
