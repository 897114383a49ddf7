/// A decision variable of a ``Model``, made by ``Model/addVariable(_:lowerBound:upperBound:integer:)``.
///
/// A small value (its model, column index and name): copy it freely. Using it in another
/// model is an error that the other model reports when it is built or solved. A copy of a
/// model shares its variables; a variable added to one copy after copying is an error in the
/// other only while that other has fewer variables (two copies that both grow are not told apart).
public struct Variable: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline let model: UInt64
    /// The column of the variable in ``Model/problem``.
    public let index: Int
    /// The name given to `addVariable` (`z[0]` for the first of `addVariables("z", …)`).
    public let name: String

    public var description: String { name }
}

/// A linear expression Σ aⱼxⱼ + c.
///
/// Terms are kept in the order written, duplicates included: adding a term appends it, so
/// building an expression of n terms costs O(n) when it grows in place (`+=`, `sum()`,
/// ``dot(_:_:)``). Duplicates are merged once, when the expression becomes a constraint
/// or an objective. The left side of `+` and `-` is consumed, so `e = e + t` in a loop also
/// appends in place in optimized builds (200 000 terms in 14 ms); unoptimized builds copy `e`
/// each time, so write `e += t` in loops.
public struct LinearExpression: Sendable {
    /// Column indices and coefficients of the terms, as written.
    @usableFromInline var columns: [Int] = []
    @usableFromInline var coefficients: [Double] = []
    /// The model the variables come from: 0 for none yet, ``mixedModels`` for several.
    @usableFromInline var owner: UInt64 = 0
    /// The constant c.
    public var constant: Double = 0

    /// The zero expression.
    @inlinable public init() {}
    /// The constant expression c.
    public init(_ constant: Double) { self.constant = constant }
    /// The expression 1·x.
    public init(_ variable: Variable) {
        columns = [variable.index]
        coefficients = [1]
        owner = variable.model
    }

    /// Number of terms as written (before duplicates are merged).
    public var termCount: Int { columns.count }

    /// Marks expressions whose variables come from more than one model.
    static let mixedModels = UInt64.max

    @usableFromInline static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        a == 0 ? b : (b == 0 || a == b ? a : mixedModels)
    }

    /// Appends the terms of `other` scaled by `factor`.
    mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        owner = Self.combine(owner, other.owner)
        columns.append(contentsOf: other.columns)
        if factor == 1 {
            coefficients.append(contentsOf: other.coefficients)
        } else {
            coefficients.append(contentsOf: other.coefficients.lazy.map { $0 * factor })
        }
        constant += factor * other.constant
    }

    @usableFromInline mutating func add(_ variable: Variable, times factor: Double = 1) {
        owner = Self.combine(owner, variable.model)
        columns.append(variable.index)
        coefficients.append(factor)
    }

    func scaled(by factor: Double) -> LinearExpression {
        var copy = self
        for k in copy.coefficients.indices { copy.coefficients[k] *= factor }
        copy.constant *= factor
        return copy
    }

}

/// A quadratic expression Σ qₖ xᵢₖ xⱼₖ + (linear part): an objective made with `x * y` or
/// `x * x`. Only objectives may be quadratic; a quadratic constraint is reported as an error.
public struct QuadraticExpression: Sendable {
    /// Column pairs (i, j) and coefficients qₖ of the products, as written.
    var first: [Int] = []
    var second: [Int] = []
    /// The model the product variables come from (see ``LinearExpression``).
    var owner: UInt64 = 0
    var products: [Double] = []
    /// The linear part (terms and constant).
    public var linear = LinearExpression()

    /// The zero expression.
    public init() {}
    /// A linear expression viewed as quadratic (no products).
    public init(_ linear: LinearExpression) { self.linear = linear }

    /// Number of product terms as written.
    public var productCount: Int { products.count }

    mutating func add(_ other: QuadraticExpression, times factor: Double = 1) {
        owner = LinearExpression.combine(owner, other.owner)
        first.append(contentsOf: other.first)
        second.append(contentsOf: other.second)
        products.append(contentsOf: factor == 1 ? other.products : other.products.map { $0 * factor })
        linear.add(other.linear, times: factor)
    }

    func scaled(by factor: Double) -> QuadraticExpression {
        var copy = QuadraticExpression()
        copy.add(self, times: factor)
        return copy
    }

}

// MARK: - Linear arithmetic

extension Variable {
    /// The negation, as a new expression.
    public static prefix func - (v: Variable) -> LinearExpression { LinearExpression(v).scaled(by: -1) }
    /// The sum, as a new expression.
    public static func + (l: Variable, r: Variable) -> LinearExpression { var e = LinearExpression(l); e.add(r); return e }
    /// The difference, as a new expression.
    public static func - (l: Variable, r: Variable) -> LinearExpression { var e = LinearExpression(l); e.add(r, times: -1); return e }
    /// The sum, as a new expression.
    public static func + (l: Variable, r: Double) -> LinearExpression { var e = LinearExpression(l); e.constant = r; return e }
    /// The sum, as a new expression.
    public static func + (l: Double, r: Variable) -> LinearExpression { var e = LinearExpression(r); e.constant = l; return e }
    /// The difference, as a new expression.
    public static func - (l: Variable, r: Double) -> LinearExpression { var e = LinearExpression(l); e.constant = -r; return e }
    /// The difference, as a new expression.
    public static func - (l: Double, r: Variable) -> LinearExpression { var e = LinearExpression(l); e.add(r, times: -1); return e }
    /// The product, as a new expression.
    public static func * (l: Double, r: Variable) -> LinearExpression { var e = LinearExpression(); e.add(r, times: l); return e }
    /// The product, as a new expression.
    public static func * (l: Variable, r: Double) -> LinearExpression { var e = LinearExpression(); e.add(l, times: r); return e }
    /// Division by a number, as a new expression.
    public static func / (l: Variable, r: Double) -> LinearExpression { var e = LinearExpression(); e.add(l, times: 1 / r); return e }
}

extension LinearExpression {
    /// The negation, as a new expression.
    public static prefix func - (e: LinearExpression) -> LinearExpression { e.scaled(by: -1) }
    /// The sum, as a new expression.
    public static func + (l: consuming LinearExpression, r: LinearExpression) -> LinearExpression { l.add(r); return l }
    /// The difference, as a new expression.
    public static func - (l: consuming LinearExpression, r: LinearExpression) -> LinearExpression { l.add(r, times: -1); return l }
    /// The sum, as a new expression.
    public static func + (l: consuming LinearExpression, r: Variable) -> LinearExpression { l.add(r); return l }
    /// The sum, as a new expression.
    public static func + (l: Variable, r: LinearExpression) -> LinearExpression { var e = LinearExpression(l); e.add(r); return e }
    /// The difference, as a new expression.
    public static func - (l: consuming LinearExpression, r: Variable) -> LinearExpression { l.add(r, times: -1); return l }
    /// The difference, as a new expression.
    public static func - (l: Variable, r: LinearExpression) -> LinearExpression { var e = LinearExpression(l); e.add(r, times: -1); return e }
    /// The sum, as a new expression.
    public static func + (l: consuming LinearExpression, r: Double) -> LinearExpression { l.constant += r; return l }
    /// The sum, as a new expression.
    public static func + (l: Double, r: LinearExpression) -> LinearExpression { var e = r; e.constant += l; return e }
    /// The difference, as a new expression.
    public static func - (l: consuming LinearExpression, r: Double) -> LinearExpression { l.constant -= r; return l }
    /// The difference, as a new expression.
    public static func - (l: Double, r: LinearExpression) -> LinearExpression { var e = r.scaled(by: -1); e.constant += l; return e }
    /// The product, as a new expression.
    public static func * (l: Double, r: LinearExpression) -> LinearExpression { r.scaled(by: l) }
    /// The product, as a new expression.
    public static func * (l: LinearExpression, r: Double) -> LinearExpression { l.scaled(by: r) }
    /// Division by a number, as a new expression.
    public static func / (l: LinearExpression, r: Double) -> LinearExpression { l.scaled(by: 1 / r) }

    /// Appends the right side in place (amortized O(its terms)).
    public static func += (l: inout LinearExpression, r: LinearExpression) { l.add(r) }
    /// Appends the right side in place (amortized O(its terms)).
    public static func += (l: inout LinearExpression, r: Variable) { l.add(r) }
    /// Appends the right side in place (amortized O(its terms)).
    public static func += (l: inout LinearExpression, r: Double) { l.constant += r }
    /// Appends the negated right side in place.
    public static func -= (l: inout LinearExpression, r: LinearExpression) { l.add(r, times: -1) }
    /// Appends the negated right side in place.
    public static func -= (l: inout LinearExpression, r: Variable) { l.add(r, times: -1) }
    /// Appends the negated right side in place.
    public static func -= (l: inout LinearExpression, r: Double) { l.constant -= r }
}

// MARK: - Quadratic arithmetic (objectives)

extension Variable {
    /// The product of two linear expressions: quadratic, for objectives only.
    public static func * (l: Variable, r: Variable) -> QuadraticExpression {
        var q = QuadraticExpression()
        q.first = [l.index]; q.second = [r.index]; q.products = [1]
        q.owner = LinearExpression.combine(l.model, r.model)
        return q
    }
    /// The product of two linear expressions: quadratic, for objectives only.
    public static func * (l: Variable, r: LinearExpression) -> QuadraticExpression { LinearExpression(l) * r }
    /// The product of two linear expressions: quadratic, for objectives only.
    public static func * (l: LinearExpression, r: Variable) -> QuadraticExpression { l * LinearExpression(r) }
    /// The sum, as a new expression.
    public static func + (l: consuming QuadraticExpression, r: Variable) -> QuadraticExpression { l.linear.add(r); return l }
    /// The sum, as a new expression.
    public static func + (l: Variable, r: QuadraticExpression) -> QuadraticExpression { var q = r; q.linear.add(l); return q }
    /// The difference, as a new expression.
    public static func - (l: consuming QuadraticExpression, r: Variable) -> QuadraticExpression { l.linear.add(r, times: -1); return l }
    /// The difference, as a new expression.
    public static func - (l: Variable, r: QuadraticExpression) -> QuadraticExpression { var q = r.scaled(by: -1); q.linear.add(l); return q }
}

extension LinearExpression {
    /// The product of two linear expressions: (Σ aᵢxᵢ + a₀)(Σ bⱼxⱼ + b₀).
    public static func * (l: LinearExpression, r: LinearExpression) -> QuadraticExpression {
        var q = QuadraticExpression()
        q.first.reserveCapacity(l.termCount * r.termCount)
        q.second.reserveCapacity(l.termCount * r.termCount)
        q.products.reserveCapacity(l.termCount * r.termCount)
        q.owner = combine(l.owner, r.owner)
        for (x, a) in zip(l.columns, l.coefficients) {
            for (y, b) in zip(r.columns, r.coefficients) {
                q.first.append(x); q.second.append(y); q.products.append(a * b)
            }
        }
        q.linear = l.scaled(by: r.constant)
        q.linear.add(r, times: l.constant)
        q.linear.constant = l.constant * r.constant
        return q
    }
    /// The sum, as a new expression.
    public static func + (l: consuming QuadraticExpression, r: LinearExpression) -> QuadraticExpression { l.linear.add(r); return l }
    /// The sum, as a new expression.
    public static func + (l: LinearExpression, r: QuadraticExpression) -> QuadraticExpression { var q = r; q.linear.add(l); return q }
    /// The difference, as a new expression.
    public static func - (l: consuming QuadraticExpression, r: LinearExpression) -> QuadraticExpression { l.linear.add(r, times: -1); return l }
    /// The difference, as a new expression.
    public static func - (l: LinearExpression, r: QuadraticExpression) -> QuadraticExpression { var q = r.scaled(by: -1); q.linear.add(l); return q }
}

extension QuadraticExpression {
    /// The negation, as a new expression.
    public static prefix func - (q: QuadraticExpression) -> QuadraticExpression { q.scaled(by: -1) }
    /// The sum, as a new expression.
    public static func + (l: consuming QuadraticExpression, r: QuadraticExpression) -> QuadraticExpression { l.add(r); return l }
    /// The difference, as a new expression.
    public static func - (l: consuming QuadraticExpression, r: QuadraticExpression) -> QuadraticExpression { l.add(r, times: -1); return l }
    /// The sum, as a new expression.
    public static func + (l: consuming QuadraticExpression, r: Double) -> QuadraticExpression { l.linear.constant += r; return l }
    /// The sum, as a new expression.
    public static func + (l: Double, r: QuadraticExpression) -> QuadraticExpression { var q = r; q.linear.constant += l; return q }
    /// The difference, as a new expression.
    public static func - (l: consuming QuadraticExpression, r: Double) -> QuadraticExpression { l.linear.constant -= r; return l }
    /// The difference, as a new expression.
    public static func - (l: Double, r: QuadraticExpression) -> QuadraticExpression { var q = r.scaled(by: -1); q.linear.constant += l; return q }
    /// The product, as a new expression.
    public static func * (l: Double, r: QuadraticExpression) -> QuadraticExpression { r.scaled(by: l) }
    /// The product, as a new expression.
    public static func * (l: QuadraticExpression, r: Double) -> QuadraticExpression { l.scaled(by: r) }
    /// Division by a number, as a new expression.
    public static func / (l: QuadraticExpression, r: Double) -> QuadraticExpression { l.scaled(by: 1 / r) }
    /// Appends the right side in place (amortized O(its terms)).
    public static func += (l: inout QuadraticExpression, r: QuadraticExpression) { l.add(r) }
    /// Appends the right side in place (amortized O(its terms)).
    public static func += (l: inout QuadraticExpression, r: LinearExpression) { l.linear.add(r) }
}

// MARK: - Sums

/// What `sum()` adds up: variables, linear expressions.
public protocol LinearSummand {
    /// Appends `self` to `expression`.
    func addTo(_ expression: inout LinearExpression)
}

extension Variable: LinearSummand {
    public func addTo(_ expression: inout LinearExpression) { expression.add(self) }
}

extension LinearExpression: LinearSummand {
    public func addTo(_ expression: inout LinearExpression) { expression.add(self) }
}

extension Sequence where Element: LinearSummand {
    /// The sum of the variables or expressions, built in one pass (O(total terms)).
    @inlinable public func sum() -> LinearExpression {
        var total = LinearExpression()
        for element in self { element.addTo(&total) }
        return total
    }
}

extension Sequence where Element == QuadraticExpression {
    /// The sum of quadratic expressions, built in one pass.
    public func sum() -> QuadraticExpression {
        var total = QuadraticExpression()
        for element in self { total.add(element) }
        return total
    }
}

extension Array where Element == Variable {
    /// The sum of the variables (the array form of `sum()`, without generic dispatch per term).
    public func sum() -> LinearExpression {
        dot(Array<Double>(repeating: 1, count: count), self)
    }
}

/// Σ cᵢ xᵢ over paired arrays (stops at the shorter one): the fast path of
/// the generic `dot` for arrays, which the compiler picks when both arguments are arrays.
public func dot(_ coefficients: [Double], _ variables: [Variable]) -> LinearExpression {
    let n = Swift.min(coefficients.count, variables.count)
    var e = LinearExpression()
    e.coefficients = n == coefficients.count ? coefficients : Array(coefficients[..<n])
    e.columns = [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
        var owner: UInt64 = 0
        for k in 0..<n {
            let v = variables[k]
            buffer[k] = v.index
            owner = LinearExpression.combine(owner, v.model)
        }
        initialized = n
        e.owner = owner
    }
    return e
}

/// Σ cᵢ xᵢ over paired sequences: `dot(costs, x)` for `zip(costs, x).map { $0 * $1 }.sum()`
/// without the intermediate expressions. Stops at the shorter sequence, as `zip` does.
@inlinable public func dot<C: Sequence<Double>, V: Sequence<Variable>>(_ coefficients: C, _ variables: V) -> LinearExpression {
    var e = LinearExpression()
    e.coefficients.reserveCapacity(coefficients.underestimatedCount)
    e.columns.reserveCapacity(coefficients.underestimatedCount)
    for (c, v) in zip(coefficients, variables) { e.add(v, times: c) }
    return e
}

// MARK: - Constraints

/// lower ≤ expression ≤ upper, made by comparing expressions (`x + 2 * y <= 14`) and passed to
/// `Model.addConstraint(_:name:)`. Constants on either side move into the bounds there.
public struct LinearConstraint: Sendable {
    /// Terms of (left side − right side), with its constant.
    public var expression: LinearExpression
    /// The lower bound on `expression` (−∞ for `<=`).
    public var lower: Double
    /// The upper bound on `expression` (+∞ for `>=`).
    public var upper: Double

    /// lower ≤ expression ≤ upper, as written; the comparison operators build these for you.
    public init(_ expression: LinearExpression, lower: Double, upper: Double) {
        self.expression = expression
        self.lower = lower
        self.upper = upper
    }

    static func relation(_ l: LinearExpression, _ r: LinearExpression, _ op: Relation) -> LinearConstraint {
        var e = l
        if r.termCount == 0 {
            e.constant -= r.constant  // `expr <= 14`: the terms are shared, not copied
        } else {
            e.add(r, times: -1)
        }
        switch op {
        case .lessEqual: return LinearConstraint(e, lower: -.infinity, upper: 0)
        case .greaterEqual: return LinearConstraint(e, lower: 0, upper: .infinity)
        case .equal: return LinearConstraint(e, lower: 0, upper: 0)
        }
    }

    enum Relation { case lessEqual, greaterEqual, equal }
}

/// A comparison with a quadratic side. Only objectives may be quadratic: adding one of these
/// to a model records an error that the model throws when built, solved or written.
public struct QuadraticConstraint: Sendable {
    /// Left side − right side of the comparison.
    public var expression: QuadraticExpression
}

extension LinearExpression {
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: LinearExpression, r: LinearExpression) -> LinearConstraint { .relation(l, r, .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: LinearExpression, r: LinearExpression) -> LinearConstraint { .relation(l, r, .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: LinearExpression, r: LinearExpression) -> LinearConstraint { .relation(l, r, .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: LinearExpression, r: Double) -> LinearConstraint { .relation(l, LinearExpression(r), .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: LinearExpression, r: Double) -> LinearConstraint { .relation(l, LinearExpression(r), .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: LinearExpression, r: Double) -> LinearConstraint { .relation(l, LinearExpression(r), .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: Double, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: Double, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: Double, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: LinearExpression, r: Variable) -> LinearConstraint { .relation(l, LinearExpression(r), .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: LinearExpression, r: Variable) -> LinearConstraint { .relation(l, LinearExpression(r), .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: LinearExpression, r: Variable) -> LinearConstraint { .relation(l, LinearExpression(r), .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: Variable, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: Variable, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: Variable, r: LinearExpression) -> LinearConstraint { .relation(LinearExpression(l), r, .equal) }
}

extension Variable {
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: Variable, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: Variable, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: Variable, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: Variable, r: Double) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: Variable, r: Double) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: Variable, r: Double) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .equal) }
    /// The constraint left ≤ right, for `Model.addConstraint(_:name:)`.
    public static func <= (l: Double, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .lessEqual) }
    /// The constraint left ≥ right, for `Model.addConstraint(_:name:)`.
    public static func >= (l: Double, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .greaterEqual) }
    /// The constraint left = right, for `Model.addConstraint(_:name:)`.
    public static func == (l: Double, r: Variable) -> LinearConstraint { .relation(LinearExpression(l), LinearExpression(r), .equal) }
}

extension QuadraticExpression {
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func <= (l: QuadraticExpression, r: Double) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func >= (l: QuadraticExpression, r: Double) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func == (l: QuadraticExpression, r: Double) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func <= (l: QuadraticExpression, r: LinearExpression) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func >= (l: QuadraticExpression, r: LinearExpression) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
    /// A constraint with products of variables: `Model.addConstraint(_:name:)` records it as an error.
    public static func == (l: QuadraticExpression, r: LinearExpression) -> QuadraticConstraint { QuadraticConstraint(expression: l - r) }
}
