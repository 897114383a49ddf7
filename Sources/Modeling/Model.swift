import Foundation
import LagrangeCore
import LinearAlgebra
import Synchronization

/// A row of a ``Model``, returned by `Model.addConstraint(_:name:)`: pass it to
/// ``LagrangeCore/SolveResult/dual(_:)`` for its shadow price.
public struct ConstraintRef: Hashable, Sendable, CustomStringConvertible {
    let model: UInt64
    /// The row of the constraint in ``Model/problem``.
    public let index: Int
    /// The name given to `addConstraint`, or the generated `c1`, `c2`, … of an unnamed one.
    public let name: String

    public var description: String { name }
}

/// An optimization model stated in Swift: variables, linear constraints written as
/// comparisons, and a linear or quadratic objective.
///
/// ```swift
/// var model = Model(name: "example")
/// let x = model.addVariable("x", lowerBound: 0)
/// let y = model.addVariable("y", lowerBound: 0, upperBound: 10, integer: true)
/// let cap = model.addConstraint(x + 2 * y <= 14, name: "cap")
/// model.maximize(3 * x + 4 * y)
/// let result = try model.solve()
/// ```
///
/// It becomes an LP (``LagrangeCore/LinearProgram``), a MILP (an LP with integer columns) or,
/// with products of variables in the objective, a QP (``LagrangeCore/QuadraticProgram``);
/// ``problem`` is that ``LagrangeCore/Problem``, ready for any ``LagrangeCore/SolverRegistry``.
///
/// Building never traps. A mistake found while building (a variable of another model, a
/// NaN or infinite coefficient, a quadratic constraint, bad bounds) is recorded, and
/// ``problem``, `solve` and ``write(to:)`` throw a ``LagrangeCore/ModelError`` that names
/// the constraint or variable. Rows are stored merged (duplicate terms summed once, when the
/// constraint is added), so building costs O(terms).
public struct Model: Sendable {
    /// The model's name: the problem's name in results, and in written `.lp` / `.mps` files.
    public var name: String
    /// Told apart from other models' variables by this tag (copies of a model share it).
    let identity: UInt64

    var variableNames: [String] = []
    var columnLower: [Double] = []
    var columnUpper: [Double] = []
    var integerColumns: [Int] = []

    // Rows, compressed by row: row i's terms are rowColumns/rowValues[rowStarts[i]..<rowStarts[i+1]].
    var rowStarts: [Int] = [0]
    var rowColumns: [Int] = []
    var rowValues: [Double] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    var constraintNames: [String] = []
    var unnamedCount = 0

    var sense = ObjectiveSense.minimize
    var objectiveColumns: [Int] = []
    var objectiveValues: [Double] = []
    var objectiveConstant = 0.0
    /// Products (i, j, q) of a quadratic objective Σ q xᵢxⱼ.
    var products: [(first: Int, second: Int, value: Double)] = []

    /// Mistakes found while building, thrown by ``problem``.
    private(set) var issues: [String] = []
    /// Scratch for merging duplicate terms: the output slot of each column, or -1.
    private var slot: [Int] = []

    private static let counter = Atomic<UInt64>(0)

    /// An empty model.
    public init(name: String = "") {
        self.name = name
        // 0 and UInt64.max are reserved (no model, mixed models).
        identity = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Number of variables (columns).
    public var variableCount: Int { variableNames.count }
    /// Number of constraints (rows).
    public var constraintCount: Int { rowLower.count }

    // MARK: Variables

    /// Adds a variable with bounds lowerBound ≤ x ≤ upperBound (default: free), integer when
    /// asked. An empty name becomes `x` followed by the column number (x1, x2, …).
    @discardableResult
    public mutating func addVariable(_ name: String = "", lowerBound: Double = -.infinity, upperBound: Double = .infinity,
                                     integer: Bool = false) -> Variable {
        let index = variableNames.count
        let name = name.isEmpty ? "x\(index + 1)" : name
        variableNames.append(name)
        columnLower.append(lowerBound)
        columnUpper.append(upperBound)
        if integer { integerColumns.append(index) }
        slot.append(-1)
        checkBounds(lowerBound, upperBound, of: "variable '\(name)'")
        return Variable(model: identity, index: index, name: name)
    }

    /// Adds `count` variables named `name[0]`, `name[1]`, … with the same bounds.
    public mutating func addVariables(_ name: String, count: Int, lowerBound: Double = -.infinity, upperBound: Double = .infinity,
                                      integer: Bool = false) -> [Variable] {
        let total = variableCount + max(0, count)
        if total > variableNames.capacity {
            variableNames.reserveCapacity(total)
            columnLower.reserveCapacity(total)
            columnUpper.reserveCapacity(total)
            slot.reserveCapacity(total)
        }
        return (0..<max(0, count)).map { addVariable("\(name)[\($0)]", lowerBound: lowerBound, upperBound: upperBound, integer: integer) }
    }

    /// The bounds of a variable of this model.
    public func bounds(of variable: Variable) throws(ModelError) -> (lower: Double, upper: Double) {
        let j = try column(of: variable)
        return (columnLower[j], columnUpper[j])
    }

    /// Changes the bounds of a variable (±infinity for none).
    public mutating func setBounds(of variable: Variable, lower: Double, upper: Double) throws(ModelError) {
        let j = try column(of: variable)
        if let problem = Self.boundProblem(lower, upper) { throw ModelError("variable '\(variable.name)': \(problem)") }
        columnLower[j] = lower
        columnUpper[j] = upper
    }

    /// Makes a variable integer or continuous.
    public mutating func setInteger(_ variable: Variable, _ integer: Bool = true) throws(ModelError) {
        let j = try column(of: variable)
        if integer {
            if !integerColumns.contains(j) { integerColumns.append(j) }
        } else {
            integerColumns.removeAll { $0 == j }
        }
    }

    private func column(of variable: Variable) throws(ModelError) -> Int {
        guard variable.model == identity, variable.index < variableCount else {
            throw ModelError("variable '\(variable.name)' belongs to another model, not to \(described)")
        }
        return variable.index
    }

    private var described: String { name.isEmpty ? "this model" : "model '\(name)'" }

    private static func boundProblem(_ lower: Double, _ upper: Double) -> String? {
        if lower.isNaN || upper.isNaN { return "a bound is NaN" }
        if lower == .infinity { return "lower bound is +infinity" }
        if upper == -.infinity { return "upper bound is -infinity" }
        if lower > upper { return "lower bound \(lower) is above upper bound \(upper)" }
        return nil
    }

    private mutating func checkBounds(_ lower: Double, _ upper: Double, of what: @autoclosure () -> String) {
        if let problem = Self.boundProblem(lower, upper) { issues.append("\(what()): \(problem)") }
    }

    // MARK: Constraints

    /// Adds lower ≤ expression ≤ upper from a comparison such as `x + 2 * y <= 14`. An
    /// unnamed constraint is named c1, c2, … in the order unnamed ones are added.
    @discardableResult
    public mutating func addConstraint(_ constraint: LinearConstraint, name: String? = nil) -> ConstraintRef {
        appendRow(constraint.expression, lower: constraint.lower, upper: constraint.upper, name: name)
    }

    /// Adds the two-sided constraint `expression ∈ range`, e.g. `model.addConstraint(x + y, in: 2...5)`.
    @discardableResult
    public mutating func addConstraint(_ expression: LinearExpression, in range: ClosedRange<Double>, name: String? = nil) -> ConstraintRef {
        appendRow(expression, lower: range.lowerBound, upper: range.upperBound, name: name)
    }

    /// A constraint with a product of variables: recorded as an error (only objectives may
    /// be quadratic), thrown when the model is built, solved or written.
    @discardableResult
    public mutating func addConstraint(_ constraint: QuadraticConstraint, name: String? = nil) -> ConstraintRef {
        let ref = appendRow(constraint.expression.linear, lower: -.infinity, upper: .infinity, name: name)
        issues.append("constraint '\(ref.name)' has products of variables; only the objective may be quadratic (linear constraints only)")
        return ref
    }

    private mutating func appendRow(_ expression: LinearExpression, lower: Double, upper: Double, name: String?) -> ConstraintRef {
        let index = rowLower.count
        let rowName: String
        if let name, !name.isEmpty {
            rowName = name
        } else {
            unnamedCount += 1
            rowName = "c\(unnamedCount)"
        }
        // Messages are formed only for a mistake (autoclosures): this runs once per row.
        func what() -> String { "constraint '\(rowName)'" }
        checkOwner(expression.owner, what())
        let (lo, hi) = (lower - expression.constant, upper - expression.constant)
        if expression.constant.isFinite {
            checkBounds(lo, hi, of: what())
        } else {
            issues.append("\(what()): a constant term or bound is \(expression.constant)")
        }
        Self.merge(expression.columns, expression.coefficients, what: what(), names: variableNames, slot: &slot,
                   into: &rowColumns, &rowValues, issues: &issues)
        rowStarts.append(rowColumns.count)
        rowLower.append(lo)
        rowUpper.append(hi)
        constraintNames.append(rowName)
        return ConstraintRef(model: identity, index: index, name: rowName)
    }

    private mutating func checkOwner(_ owner: UInt64, _ what: @autoclosure () -> String) {
        if owner != 0 && owner != identity {
            issues.append("\(what()) uses a variable of another model (variables belong to the model that made them)")
        }
    }

    /// Sums duplicate columns (first appearance keeps its place), drops exact zeros, checks
    /// finiteness, and appends the merged terms to `outColumns`/`outValues`. O(terms), with
    /// `slot` (all -1 between calls) as scratch.
    private static func merge(_ columns: [Int], _ values: [Double], what: @autoclosure () -> String, names: [String], slot: inout [Int],
                              into outColumns: inout [Int], _ outValues: inout [Double], issues: inout [String]) {
        let base = outColumns.count
        var unknown = false
        for (j, v) in zip(columns, values) {
            // A column past the end: a variable added to a copy of this model after the copy.
            guard j >= 0, j < slot.count else {
                unknown = true
                continue
            }
            if slot[j] < 0 {
                slot[j] = outColumns.count
                outColumns.append(j)
                outValues.append(v)
            } else {
                outValues[slot[j]] += v
            }
        }
        var kept = base
        for k in base..<outColumns.count {
            let j = outColumns[k], v = outValues[k]
            slot[j] = -1
            if !v.isFinite {
                issues.append("\(what()): coefficient of '\(names[j])' is \(v)")
            } else if v != 0 {
                outColumns[kept] = j
                outValues[kept] = v
                kept += 1
            }
        }
        outColumns.removeSubrange(kept...)
        outValues.removeSubrange(kept...)
        if unknown { issues.append("\(what()) uses a variable this model does not have (one added to a copy of it?)") }
    }

    // MARK: Objective

    /// Minimize a linear expression (the objective is 0, a feasibility problem, until set).
    public mutating func minimize(_ expression: LinearExpression) { setObjective(QuadraticExpression(expression), .minimize) }
    /// Maximize a linear expression.
    public mutating func maximize(_ expression: LinearExpression) { setObjective(QuadraticExpression(expression), .maximize) }
    /// Minimize a quadratic expression (the model becomes a QP).
    public mutating func minimize(_ expression: QuadraticExpression) { setObjective(expression, .minimize) }
    /// Maximize a quadratic expression (the model becomes a QP; concave objectives only, for the QP solvers).
    public mutating func maximize(_ expression: QuadraticExpression) { setObjective(expression, .maximize) }
    /// Minimize one variable.
    public mutating func minimize(_ variable: Variable) { minimize(LinearExpression(variable)) }
    /// Maximize one variable.
    public mutating func maximize(_ variable: Variable) { maximize(LinearExpression(variable)) }

    private mutating func setObjective(_ expression: QuadraticExpression, _ sense: ObjectiveSense) {
        self.sense = sense
        let linear = expression.linear
        checkOwner(LinearExpression.combine(expression.owner, linear.owner), "the objective")
        objectiveColumns = []
        objectiveValues = []
        Self.merge(linear.columns, linear.coefficients, what: "the objective", names: variableNames, slot: &slot,
                   into: &objectiveColumns, &objectiveValues, issues: &issues)
        objectiveConstant = linear.constant
        if !linear.constant.isFinite { issues.append("the objective constant \(linear.constant) is not finite") }
        products = []
        for k in expression.products.indices {
            let (i, j, q) = (expression.first[k], expression.second[k], expression.products[k])
            guard i < variableCount, j < variableCount else {
                issues.append("the objective uses a variable this model does not have (one added to a copy of it?)")
                continue
            }
            if !q.isFinite { issues.append("the objective: coefficient of '\(variableNames[i]) * \(variableNames[j])' is \(q)") }
            if q != 0 { products.append((i, j, q)) }
        }
    }

    // MARK: The problem

    /// The model as a ``LagrangeCore/Problem``: `.linear` (integer variables included) or,
    /// with products in the objective, `.quadratic`. Throws the first mistake recorded while
    /// building, or what ``LagrangeCore/LinearProgram``'s validation finds (duplicate names).
    public var problem: Problem {
        get throws(ModelError) {
            let lp = try linearProgram()
            guard !products.isEmpty else { return .linear(lp) }
            // ½xᵀQx with Q symmetric: q xᵢxⱼ puts q at (i, j) and (j, i); q xᵢ² puts 2q at (i, i).
            var triplets: [(row: Int, column: Int, value: Double)] = []
            triplets.reserveCapacity(2 * products.count)
            for (i, j, q) in products {
                if i == j {
                    triplets.append((i, i, 2 * q))
                } else {
                    triplets.append((i, j, q))
                    triplets.append((j, i, q))
                }
            }
            let q: SparseMatrix
            do { q = try SparseMatrix(rowCount: variableCount, columnCount: variableCount, triplets: triplets) } catch {
                throw ModelError("the quadratic objective: \(error)")
            }
            return .quadratic(try QuadraticProgram(linear: lp, quadratic: q))
        }
    }

    /// The linear part (all but a quadratic objective), validated.
    func linearProgram() throws(ModelError) -> LinearProgram {
        if let first = issues.first {
            let more = issues.count > 1 ? " (and \(issues.count - 1) more: \(issues.dropFirst().prefix(3).joined(separator: "; "))\(issues.count > 4 ? "; …" : ""))" : ""
            throw ModelError("\(described): \(first)\(more)")
        }
        guard variableCount > 0 else { throw ModelError("\(described) is empty: add a variable before building or solving it") }
        let n = variableCount, m = constraintCount
        // Rows → CSC by counting; rows are visited in order, so each column's rows increase.
        var starts = [Int](repeating: 0, count: n + 1)
        for j in rowColumns { starts[j + 1] += 1 }
        for j in 0..<n { starts[j + 1] += starts[j] }
        var next = starts
        let nonzeros = rowColumns.count
        var rows = [Int](repeating: 0, count: nonzeros)
        var values = [Double](repeating: 0, count: nonzeros)
        // Unsafe buffers: this scatter is the whole cost of lowering a large model.
        rowColumns.withUnsafeBufferPointer { columnOf in
            rowValues.withUnsafeBufferPointer { valueOf in
                rowStarts.withUnsafeBufferPointer { rowStart in
                    next.withUnsafeMutableBufferPointer { next in
                        rows.withUnsafeMutableBufferPointer { rows in
                            values.withUnsafeMutableBufferPointer { values in
                                for i in 0..<m {
                                    for k in rowStart[i]..<rowStart[i + 1] {
                                        let j = columnOf[k], p = next[j]
                                        rows[p] = i
                                        values[p] = valueOf[k]
                                        next[j] = p + 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let a: SparseMatrix
        do {
            a = try SparseMatrix(rowCount: m, columnCount: n, columnStarts: starts, rowIndices: rows, values: values)
        } catch {
            throw ModelError("\(described): \(error)")
        }
        var c = [Double](repeating: 0, count: n)
        for (j, v) in zip(objectiveColumns, objectiveValues) { c[j] += v }
        return try LinearProgram(name: name, sense: sense, objective: c, objectiveConstant: objectiveConstant, constraints: a,
                                 rowLower: rowLower, rowUpper: rowUpper, columnLower: columnLower, columnUpper: columnUpper,
                                 variableNames: variableNames, constraintNames: constraintNames, integerColumns: integerColumns)
    }
}

extension SolveResult {
    /// The value of a model's variable in this result (nil when the result has none).
    public func value(_ variable: Variable) -> Double? {
        column(variable.index, variable.name).map { primal[$0] }
    }

    /// The reduced cost of a model's variable: the shadow price of its bounds (nil when the
    /// solver reports none, as for a MILP).
    public func reducedCost(_ variable: Variable) -> Double? {
        guard let reducedCosts, let j = column(variable.index, variable.name), j < reducedCosts.count else { return nil }
        return reducedCosts[j]
    }

    /// The dual of a model's constraint: ∂(optimal objective)/∂(its bound), whatever the sense.
    public func dual(_ constraint: ConstraintRef) -> Double? {
        guard let duals else { return nil }
        let i = constraint.index < constraintNames.count && constraintNames[constraint.index] == constraint.name
            ? constraint.index : constraintNames.firstIndex(of: constraint.name)
        guard let i, i < duals.count else { return nil }
        return duals[i]
    }

    /// The column of a variable: its index when the names agree (this model's result), else by name.
    private func column(_ index: Int, _ name: String) -> Int? {
        let j = index < variableNames.count && variableNames[index] == name ? index : variableNames.firstIndex(of: name)
        guard let j, j < primal.count else { return nil }
        return j
    }
}
