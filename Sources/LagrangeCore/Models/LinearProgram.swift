import LinearAlgebra

/// Direction of optimization.
public enum ObjectiveSense: String, Sendable, Codable {
    /// Minimize the objective.
    case minimize
    /// Maximize the objective; duals keep their meaning ∂(optimal objective)/∂(bound) in this
    /// sense (the negative of MathOptInterface's dual).
    case maximize
}

/// A linear program
///
///     min (or max)  cᵀx + c₀
///     subject to    rowLower ≤ A x ≤ rowUpper
///                   columnLower ≤ x ≤ columnUpper
///
/// Infinite bounds are `±.infinity`; an equality row has `rowLower == rowUpper`.
/// Construction validates dimensions, finiteness of `c`, `c₀` and `A`, bound order, and
/// name uniqueness, and throws ``ModelError`` naming the offending row or column.
public struct LinearProgram: Sendable, Equatable {
    /// The problem's name (from the file, or given), used in results and messages.
    public var name: String
    /// Whether the objective is minimized or maximized.
    public var sense: ObjectiveSense
    /// Objective coefficients c, one per column.
    public private(set) var objective: [Double]
    /// The constant c₀ added to the objective.
    public private(set) var objectiveConstant: Double
    /// The constraint matrix A (rows × columns), CSC.
    public private(set) var constraints: SparseMatrix
    /// Lower bounds of the rows (−∞ where a row has none), one per constraint.
    public private(set) var rowLower: [Double]
    /// Upper bounds of the rows (+∞ where a row has none); equal to `rowLower` for an equality.
    public private(set) var rowUpper: [Double]
    /// Lower bounds of the variables (−∞ for a free variable), one per column.
    public private(set) var columnLower: [Double]
    /// Upper bounds of the variables (+∞ where a variable has none).
    public private(set) var columnUpper: [Double]
    /// One name per column, as results and writers report them.
    public private(set) var variableNames: [String]
    /// One name per row, as results and writers report them.
    public private(set) var constraintNames: [String]
    /// Integer columns (sorted, unique): a nonempty list makes this a mixed-integer program.
    /// The registry routes it only to solvers whose descriptor says `integerVariables`,
    /// unless the caller asks for the LP relaxation (option `relax: true`).
    public private(set) var integerColumns: [Int]

    /// Whether some column must take integer values.
    public var isMixedInteger: Bool { !integerColumns.isEmpty }

    /// The same program without integrality: its LP relaxation.
    public func relaxation() -> LinearProgram {
        var copy = self
        copy.integerColumns = []
        return copy
    }
    /// Name of the objective row (MPS), kept for round trips.
    public var objectiveName: String

    /// The number of constraints (rows of `constraints`).
    public var rowCount: Int { constraints.rowCount }
    /// The number of variables (columns of `constraints`).
    public var columnCount: Int { constraints.columnCount }

    /// An LP: optimize `objective`·x (+ `objectiveConstant`) subject to rowLower ≤ A x ≤ rowUpper and columnLower ≤ x ≤ columnUpper; throws when the sizes disagree or a bound is NaN.
    public init(
        name: String = "",
        sense: ObjectiveSense = .minimize,
        objective: [Double],
        objectiveConstant: Double = 0,
        constraints: SparseMatrix,
        rowLower: [Double],
        rowUpper: [Double],
        columnLower: [Double]? = nil,
        columnUpper: [Double]? = nil,
        variableNames: [String]? = nil,
        constraintNames: [String]? = nil,
        integerColumns: [Int] = [],
        objectiveName: String = "obj"
    ) throws(ModelError) {
        let n = constraints.columnCount, m = constraints.rowCount
        let lower = columnLower ?? Array(repeating: 0, count: n)
        let upper = columnUpper ?? Array(repeating: .infinity, count: n)
        let vnames = variableNames ?? (0..<n).map { "x\($0 + 1)" }
        let cnames = constraintNames ?? (0..<m).map { "r\($0 + 1)" }
        guard n > 0 else { throw ModelError("the problem has no variables") }
        guard objective.count == n else { throw ModelError("objective has \(objective.count) coefficients but there are \(n) variables") }
        guard rowLower.count == m, rowUpper.count == m else {
            throw ModelError("row bounds have \(rowLower.count) lower and \(rowUpper.count) upper entries but A has \(m) rows")
        }
        guard lower.count == n, upper.count == n else {
            throw ModelError("column bounds have \(lower.count) lower and \(upper.count) upper entries but there are \(n) variables")
        }
        guard vnames.count == n else { throw ModelError("\(vnames.count) variable names for \(n) variables") }
        guard cnames.count == m else { throw ModelError("\(cnames.count) constraint names for \(m) rows") }
        for j in 0..<n where !objective[j].isFinite {
            throw ModelError("objective coefficient of '\(vnames[j])' is not finite (\(objective[j]))")
        }
        guard objectiveConstant.isFinite else { throw ModelError("objective constant is not finite") }
        for j in 0..<n {
            for k in constraints.columnStarts[j]..<constraints.columnStarts[j + 1] where !constraints.values[k].isFinite {
                throw ModelError("coefficient of '\(vnames[j])' in row '\(cnames[constraints.rowIndices[k]])' is not finite")
            }
        }
        try Self.checkBounds(lower, upper, names: vnames, what: "variable")
        try Self.checkBounds(rowLower, rowUpper, names: cnames, what: "constraint")
        if let dup = Self.firstDuplicate(vnames) { throw ModelError("duplicate variable name '\(dup)'") }
        if let dup = Self.firstDuplicate(cnames) { throw ModelError("duplicate constraint name '\(dup)'") }
        for j in integerColumns where j < 0 || j >= n { throw ModelError("integer column index \(j) out of range") }
        let integerColumns = Array(Set(integerColumns)).sorted()

        self.name = name
        self.sense = sense
        self.objective = objective
        self.objectiveConstant = objectiveConstant
        self.constraints = constraints
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = lower
        self.columnUpper = upper
        self.variableNames = vnames
        self.constraintNames = cnames
        self.integerColumns = integerColumns
        self.objectiveName = objectiveName
    }

    static func checkBounds(_ lo: [Double], _ hi: [Double], names: [String], what: String) throws(ModelError) {
        for i in 0..<lo.count {
            if lo[i].isNaN || hi[i].isNaN { throw ModelError("\(what) '\(names[i])' has a NaN bound") }
            if lo[i] == .infinity { throw ModelError("\(what) '\(names[i])' has lower bound +inf") }
            if hi[i] == -.infinity { throw ModelError("\(what) '\(names[i])' has upper bound -inf") }
            if lo[i] > hi[i] { throw ModelError("\(what) '\(names[i])' has lower bound \(lo[i]) above upper bound \(hi[i])") }
        }
    }

    package static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>(minimumCapacity: names.count)  // no rehashing on large models
        for s in names where !seen.insert(s).inserted { return s }
        return nil
    }

    /// cᵀx + c₀.
    public func objectiveValue(at x: [Double]) -> Double {
        Vector.dot(objective, x) + objectiveConstant
    }
}

/// How far a primal–dual pair is from satisfying the KKT conditions of an LP, in the
/// shadow-price convention (see ``SolveResult/duals``). All values are absolute maxima.
public struct KKTResiduals: Sendable, Equatable {
    /// max violation of row and column bounds by x.
    public var primalInfeasibility: Double
    /// max |c − Aᵀy − d| where d are the reduced costs.
    public var dualInfeasibility: Double
    /// max over rows and columns of |multiplier| × distance to the bound it prices, and
    /// multipliers of the wrong sign for their active bound.
    public var complementarity: Double

    package init(primalInfeasibility: Double, dualInfeasibility: Double, complementarity: Double) {
        self.primalInfeasibility = primalInfeasibility
        self.dualInfeasibility = dualInfeasibility
        self.complementarity = complementarity
    }
}

extension LinearProgram {
    /// KKT residuals of (x, y, d) where y are row duals and d reduced costs, both as
    /// shadow prices: for a minimization d = c − Aᵀy, y ≥ 0 on rows at their lower bound,
    /// y ≤ 0 at their upper bound (signs flip for a maximization).
    package func kktResiduals(primal x: [Double], duals y: [Double]?, reducedCosts d: [Double]?) -> KKTResiduals {
        let ax = constraints.multiply(x)
        var primal = 0.0
        for i in 0..<rowCount {
            primal = max(primal, rowLower[i] - ax[i], ax[i] - rowUpper[i])
        }
        for j in 0..<columnCount {
            primal = max(primal, columnLower[j] - x[j], x[j] - columnUpper[j])
        }
        guard let y, let d, y.count == rowCount, d.count == columnCount else {
            return KKTResiduals(primalInfeasibility: primal, dualInfeasibility: .nan, complementarity: .nan)
        }
        let aty = constraints.transposeMultiply(y)
        var dual = 0.0
        for j in 0..<columnCount { dual = max(dual, abs(objective[j] - aty[j] - d[j])) }
        // For a max problem, multipliers have the opposite sign: normalise to min form.
        let s: Double = sense == .minimize ? 1 : -1
        var comp = 0.0
        func priced(_ value: Double, _ lo: Double, _ hi: Double, _ multiplier: Double) -> Double {
            let mult = s * multiplier
            // mult > 0 prices the lower bound, mult < 0 the upper one.
            if mult > 0 { return lo.isFinite ? mult * abs(value - lo) : mult }
            if mult < 0 { return hi.isFinite ? -mult * abs(hi - value) : -mult }
            return 0
        }
        for i in 0..<rowCount { comp = max(comp, priced(ax[i], rowLower[i], rowUpper[i], y[i])) }
        for j in 0..<columnCount { comp = max(comp, priced(x[j], columnLower[j], columnUpper[j], d[j])) }
        return KKTResiduals(primalInfeasibility: max(0, primal), dualInfeasibility: dual, complementarity: comp)
    }
}

// MARK: - Editing

/// Changes after which a warm-started simplex re-solves from the previous basis
/// (`SimplexSession`); each is validated like the initializer and names what it rejects.
extension LinearProgram {
    private func checkColumn(_ column: Int) throws(ModelError) {
        guard columnCount > column, column >= 0 else { throw ModelError("column index \(column) out of range (0..<\(columnCount))") }
    }

    private func checkRow(_ row: Int) throws(ModelError) {
        guard rowCount > row, row >= 0 else { throw ModelError("row index \(row) out of range (0..<\(rowCount))") }
    }

    /// Sets the bounds of one column.
    public mutating func setColumnBounds(_ column: Int, lower: Double, upper: Double) throws(ModelError) {
        try checkColumn(column)
        try Self.checkBounds([lower], [upper], names: [variableNames[column]], what: "variable")
        columnLower[column] = lower
        columnUpper[column] = upper
    }

    /// Sets the bounds of one row (lower ≤ aᵢᵀx ≤ upper).
    public mutating func setRowBounds(_ row: Int, lower: Double, upper: Double) throws(ModelError) {
        try checkRow(row)
        try Self.checkBounds([lower], [upper], names: [constraintNames[row]], what: "constraint")
        rowLower[row] = lower
        rowUpper[row] = upper
    }

    /// Sets one objective coefficient.
    public mutating func setObjectiveCoefficient(_ column: Int, to value: Double) throws(ModelError) {
        try checkColumn(column)
        guard value.isFinite else { throw ModelError("objective coefficient of '\(variableNames[column])' is not finite (\(value))") }
        objective[column] = value
    }

    /// Appends a row lower ≤ Σ value·x[column] ≤ upper.
    public mutating func addRow(name: String, coefficients: [(column: Int, value: Double)], lower: Double, upper: Double) throws(ModelError) {
        for entry in coefficients { try checkColumn(entry.column) }
        var triplets = entries()
        triplets += coefficients.map { (row: rowCount, column: $0.column, value: $0.value) }
        let matrix: SparseMatrix
        do { matrix = try SparseMatrix(rowCount: rowCount + 1, columnCount: columnCount, triplets: triplets) } catch {
            throw ModelError("row '\(name)': \(error)")
        }
        self = try LinearProgram(name: self.name, sense: sense, objective: objective, objectiveConstant: objectiveConstant,
                                 constraints: matrix, rowLower: rowLower + [lower], rowUpper: rowUpper + [upper],
                                 columnLower: columnLower, columnUpper: columnUpper, variableNames: variableNames,
                                 constraintNames: constraintNames + [name], integerColumns: integerColumns, objectiveName: objectiveName)
    }

    /// Appends a column with its objective coefficient, its entries in existing rows and its bounds.
    public mutating func addColumn(name: String, objective cost: Double, coefficients: [(row: Int, value: Double)],
                                   lower: Double = 0, upper: Double = .infinity, integer: Bool = false) throws(ModelError) {
        for entry in coefficients { try checkRow(entry.row) }
        var triplets = entries()
        triplets += coefficients.map { (row: $0.row, column: columnCount, value: $0.value) }
        let matrix: SparseMatrix
        do { matrix = try SparseMatrix(rowCount: rowCount, columnCount: columnCount + 1, triplets: triplets) } catch {
            throw ModelError("column '\(name)': \(error)")
        }
        self = try LinearProgram(name: self.name, sense: sense, objective: objective + [cost], objectiveConstant: objectiveConstant,
                                 constraints: matrix, rowLower: rowLower, rowUpper: rowUpper,
                                 columnLower: columnLower + [lower], columnUpper: columnUpper + [upper],
                                 variableNames: variableNames + [name], constraintNames: constraintNames,
                                 integerColumns: integerColumns + (integer ? [columnCount] : []), objectiveName: objectiveName)
    }

    private func entries() -> [(row: Int, column: Int, value: Double)] {
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(constraints.nonzeroCount + 8)
        for j in 0..<columnCount {
            constraints.forEachEntry(inColumn: j) { i, v in triplets.append((row: i, column: j, value: v)) }
        }
        return triplets
    }
}
