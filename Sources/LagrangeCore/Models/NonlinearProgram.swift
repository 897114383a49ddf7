/// One named constraint of a nonlinear program: lower ≤ g(x) ≤ upper (an equality when they
/// are equal). A file's `"lhs <= rhs"` becomes g = lhs − rhs ≤ 0, so the right-hand side
/// of the file is the constant that moved: ``rightHandSideSign`` says how a shadow price
/// relates to it.
public struct NonlinearConstraint: Sendable {
    /// The constraint's name, used for its multiplier in results.
    public var name: String
    /// g(x), with its gradient (and Hessian, for the interior-point and Newton-type methods).
    public var function: any SmoothObjective
    /// Lower bound on the function's value (−∞ for none).
    public var lower: Double
    /// Upper bound on the function's value (+∞ for none).
    public var upper: Double
    /// The text it came from, for output.
    public var formula: String?

    /// lower ≤ function(x) ≤ upper; `formula` is the source text, when there is one.
    public init(name: String, function: any SmoothObjective, lower: Double, upper: Double, formula: String? = nil) throws(ModelError) {
        guard !lower.isNaN, !upper.isNaN, lower <= upper, lower < .infinity, upper > -.infinity else {
            throw ModelError("constraint '\(name)': bounds [\(lower), \(upper)] are not a non-empty interval")
        }
        self.name = name
        self.function = function
        self.lower = lower
        self.upper = upper
        self.formula = formula
    }

    /// Whether the constraint is an equality (lower == upper).
    public var isEquality: Bool { lower == upper }
}

/// min or max f(x) subject to lᵢ ≤ gᵢ(x) ≤ uᵢ and bounds lo ≤ x ≤ up (kind `nlp`).
///
/// Multipliers in results are shadow prices, as for LPs (DESIGN.md): the dual of a
/// constraint is ∂f*/∂(its bound), the reduced cost of a variable ∂f*/∂(its active bound).
/// For a minimization with Lagrangian L = f + Σ yᵢ (gᵢ(x) − bᵢ) the dual is −yᵢ: a `<=`
/// constraint's dual is ≤ 0 (relaxing it cannot raise the minimum), a `>=` constraint's ≥ 0.
public struct NonlinearProgram: Sendable {
    /// The problem's name, used in results and messages.
    public var name: String
    /// Whether the objective is minimized or maximized.
    public var sense: ObjectiveSense
    /// One name per variable.
    public var variableNames: [String]
    /// The objective f(x).
    public var objective: any SmoothObjective
    /// Column bounds (−∞ / +∞ when absent).
    public var lowerBounds: [Double]
    /// Upper bounds on the variables (+∞ for none).
    public var upperBounds: [Double]
    /// The general constraints lower ≤ cᵢ(x) ≤ upper.
    public var constraints: [NonlinearConstraint]
    /// The start point (may lie outside the bounds; solvers project it).
    public var start: [Double]
    /// The objective's text, for output.
    public var formula: String?

    /// A nonlinear program; throws when the dimensions of the objective, bounds, constraints and start disagree.
    public init(name: String = "", sense: ObjectiveSense = .minimize, variableNames: [String]? = nil,
                objective: any SmoothObjective, lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil,
                constraints: [NonlinearConstraint] = [], start: [Double]? = nil, formula: String? = nil) throws(ModelError) {
        let n = objective.dimension
        guard n > 0 else { throw ModelError("the objective has no variables") }
        let names = variableNames ?? (0..<n).map { "x\($0 + 1)" }
        guard names.count == n else { throw ModelError("\(names.count) variable names for \(n) variables") }
        if let duplicate = LinearProgram.firstDuplicate(names) { throw ModelError("duplicate variable name '\(duplicate)'") }
        let lower = lowerBounds ?? Array(repeating: -.infinity, count: n)
        let upper = upperBounds ?? Array(repeating: .infinity, count: n)
        guard lower.count == n, upper.count == n else { throw ModelError("bounds need \(n) entries each") }
        for j in 0..<n {
            guard !lower[j].isNaN, !upper[j].isNaN, lower[j] <= upper[j], lower[j] < .infinity, upper[j] > -.infinity else {
                throw ModelError("variable '\(names[j])': bounds [\(lower[j]), \(upper[j])] are not a non-empty interval")
            }
        }
        for c in constraints where c.function.dimension != n {
            throw ModelError("constraint '\(c.name)' has \(c.function.dimension) variables, the objective \(n)")
        }
        if let duplicate = LinearProgram.firstDuplicate(constraints.map(\.name)) { throw ModelError("duplicate constraint name '\(duplicate)'") }
        let x0 = start ?? Array(repeating: 0, count: n)
        guard x0.count == n, x0.allSatisfy(\.isFinite) else { throw ModelError("the start point needs \(n) finite values") }
        self.name = name
        self.sense = sense
        self.variableNames = names
        self.objective = objective
        self.lowerBounds = lower
        self.upperBounds = upper
        self.constraints = constraints
        self.start = x0
        self.formula = formula
    }

    /// The number of variables.
    public var variableCount: Int { variableNames.count }
    /// Whether there are no general constraints (bounds only).
    public var hasBoundsOnly: Bool { constraints.isEmpty }
    /// The start point projected into the bounds.
    package var projectedStart: [Double] { (0..<variableCount).map { min(max(start[$0], lowerBounds[$0]), upperBounds[$0]) } }
}
