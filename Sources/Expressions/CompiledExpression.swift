import LagrangeCore

/// An expression compiled to a tape, usable as a ``SmoothObjective``: values by a forward
/// sweep, gradients by reverse mode (one forward + one backward sweep, cost a small
/// multiple of f independent of n), directional derivatives by forward mode on ``Dual``
/// numbers, Hessian–vector products by forward-over-reverse (the reverse sweep on dual
/// numbers), and the exact Hessian as n Hessian–vector products.
///
/// Derivatives are exact up to rounding (no finite differences). At kinks of abs/max/min the
/// branch taken is the one with `>=` / `<=`, giving one element of the subdifferential.
///
/// Thread safety: the value type holds only the immutable tape; every call uses its own
/// scratch buffers.
public struct CompiledExpression: SmoothObjective, Sendable, CustomStringConvertible {
    /// The source text.
    public let source: String
    /// The tape.
    package let tape: ExpressionTape
    /// Variable names in index order (declared, or discovered and sorted naturally).
    public let variableNames: [String]
    /// Degree and exact coefficients up to quadratic (see ``PolynomialForm``).
    package let polynomial: PolynomialForm
    /// Whether the expression is provably convex (a sum of convex terms).
    public let isConvex: Bool
    /// Whether the expression is provably concave.
    public let isConcave: Bool

    /// Parses and compiles `text`.
    ///
    /// - Parameter variables: the variables in order. Every other name is an error (except
    ///   the constants `pi` and `e`). When nil, the variables are the names that occur,
    ///   sorted naturally (`x2` before `x10`, letters alphabetically).
    /// - Throws: ``ExpressionError`` with the column of the offending token.
    public init(_ text: String, variables: [String]? = nil) throws(ExpressionError) {
        var parser = ExpressionParser(text, variables: variables)
        _ = try parser.parse()
        var tape = parser.tape
        var names = parser.variableNames
        if variables == nil {
            // Discovered in order of appearance: renumber in natural order.
            // Keys once per name (not per comparison: 10⁶ names spent seconds re-splitting).
            let keys = names.map(NaturalKey.init)
            let order = names.indices.sorted { keys[$0] < keys[$1] }
            var newIndex = Array(repeating: 0, count: names.count)
            for (new, old) in order.enumerated() { newIndex[old] = new }
            for i in 0..<tape.count where tape.operations[i] == .variable {
                tape.first[i] = Int32(newIndex[Int(tape.first[i])])
            }
            names = order.map { names[$0] }
        }
        tape.variableCount = names.count
        self.source = text
        self.tape = tape
        self.variableNames = names
        self.polynomial = PolynomialForm(tape: tape)
        let curvature = polynomial.curvature()
        self.isConvex = curvature.convex
        self.isConcave = curvature.concave
    }

    /// Natural order: compare the name without its trailing digits, then those digits
    /// numerically (`x2` before `x10`), then the whole name. Names of 18 or more trailing
    /// digits compare as text.
    struct NaturalKey: Comparable {
        let prefix: String
        let number: Int?
        let name: String

        init(_ name: String) {
            self.name = name
            // Trailing ASCII digits, found on the UTF-8 bytes (names the parser discovers are ASCII).
            let utf8 = name.utf8
            var start = utf8.endIndex, count = 0
            while start > utf8.startIndex {
                let before = utf8.index(before: start)
                guard (48...57).contains(utf8[before]) else { break }
                start = before
                count += 1
            }
            if count > 0, count < 18, let value = Int(name[start...]) {
                (prefix, number) = (String(name[..<start]), value)
            } else {
                (prefix, number) = (name, nil)
            }
        }

        static func < (a: NaturalKey, b: NaturalKey) -> Bool {
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            switch (a.number, b.number) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.name < b.name
            }
        }
    }

    /// The number of variables.
    public var dimension: Int { variableNames.count }
    public var description: String { source }

    // MARK: Evaluation

    /// f(x).
    public func value(at x: [Double]) -> Double {
        let n = tape.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { values in
            x.withUnsafeBufferPointer { tape.forward(inputs: $0, values: values) }
            return values[n - 1]
        }
    }

    /// f(x) and ∇f(x) by reverse mode.
    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        let n = tape.count
        if gradient.count != dimension { gradient = Array(repeating: 0, count: dimension) }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { scratch in
            let values = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
            let adjoints = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
            x.withUnsafeBufferPointer { tape.forward(inputs: $0, values: values) }
            gradient.withUnsafeMutableBufferPointer { g in
                for j in 0..<g.count { g[j] = 0 }
                tape.reverse(values: values, adjoints: adjoints, gradient: g)
            }
            return values[n - 1]
        }
    }

    /// ∇f(x).
    public func gradient(at x: [Double]) -> [Double] {
        var g = Array(repeating: 0.0, count: dimension)
        _ = valueAndGradient(at: x, gradient: &g)
        return g
    }

    /// f(x) and the directional derivative ∇f(x)ᵀd, by forward mode on dual numbers.
    package func directionalDerivative(at x: [Double], direction d: [Double]) -> Dual {
        let inputs = (0..<dimension).map { Dual(x[$0], $0 < d.count ? d[$0] : 0) }
        let n = tape.count
        return withUnsafeTemporaryAllocation(of: Dual.self, capacity: n) { values in
            inputs.withUnsafeBufferPointer { tape.forward(inputs: $0, values: values) }
            return values[n - 1]
        }
    }

    /// ∇²f(x)·v by forward-over-reverse: the reverse sweep run on dual numbers seeded with v.
    public func hessianVectorProduct(at x: [Double], direction v: [Double]) -> [Double]? {
        var gradient = [Dual](repeating: Dual(0), count: dimension)
        hessianVectorProduct(at: x, direction: v, into: &gradient)
        return gradient.map(\.derivative)
    }

    /// Writes (∇f(x), ∇²f(x)v) as dual numbers into `result`.
    func hessianVectorProduct(at x: [Double], direction v: [Double], into result: inout [Dual]) {
        let inputs = (0..<dimension).map { Dual(x[$0], $0 < v.count ? v[$0] : 0) }
        let n = tape.count
        withUnsafeTemporaryAllocation(of: Dual.self, capacity: 2 * n) { scratch in
            let values = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
            let adjoints = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
            inputs.withUnsafeBufferPointer { tape.forward(inputs: $0, values: values) }
            result.withUnsafeMutableBufferPointer { g in
                for j in 0..<g.count { g[j] = Dual(0) }
                tape.reverse(values: values, adjoints: adjoints, gradient: g)
            }
        }
    }

    /// Automatic differentiation: the Hessian is exact.
    public var hasExactHessian: Bool { true }

    /// The exact Hessian, dense row-major, as n Hessian–vector products with unit vectors
    /// (symmetrized to remove rounding asymmetry).
    public func hessian(at x: [Double]) -> [Double]? { hessian(at: x, shouldStop: { false }) }

    /// The same, asking `shouldStop` before each Hessian–vector product (nil once it says
    /// stop).
    public func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]? {
        let n = dimension
        var h = Array(repeating: 0.0, count: n * n)
        var unit = Array(repeating: 0.0, count: n)
        var column = [Dual](repeating: Dual(0), count: n)
        for j in 0..<n {
            if shouldStop() { return nil }
            unit[j] = 1
            hessianVectorProduct(at: x, direction: unit, into: &column)
            unit[j] = 0
            for i in 0..<n { h[i * n + j] = column[i].derivative }
        }
        for i in 0..<n {
            for j in (i + 1)..<n where j < n {
                let s = 0.5 * (h[i * n + j] + h[j * n + i])
                h[i * n + j] = s
                h[j * n + i] = s
            }
        }
        return h
    }
}
