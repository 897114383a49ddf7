import LagrangeCore

/// The degree of an expression as a polynomial in its variables.
public enum ExpressionDegree: String, Sendable, Comparable {
    case constant, linear, quadratic
    /// Anything else: higher degree, transcendental functions, division by a variable,
    /// abs/max/min.
    case general

    var rank: Int {
        switch self {
        case .constant: return 0
        case .linear: return 1
        case .quadratic: return 2
        case .general: return 3
        }
    }

    public static func < (a: ExpressionDegree, b: ExpressionDegree) -> Bool { a.rank < b.rank }
}

/// The degree classification of a compiled expression and, when it is at most quadratic,
/// its exact coefficients: f(x) = c + bᵀx + ½ xᵀQx, with Q symmetric.
///
/// Coefficients come from exact symbolic propagation over the tape (sums, products,
/// division by constants, integer powers 0, 1, 2), so they are as exact as the double
/// arithmetic on the literal constants — not finite differences. The classification is
/// syntactic and conservative: `0*exp(x)` is reported as general.
public struct PolynomialForm: Sendable, Equatable {
    public let degree: ExpressionDegree
    /// Number of variables.
    public let dimension: Int
    /// c (when degree ≤ quadratic).
    public let constant: Double
    /// b, dense, one entry per variable (empty when general).
    public let linear: [Double]
    /// Upper triangle (row ≤ column) of the symmetric Hessian Q, sorted by (row, column),
    /// zeros dropped (empty unless quadratic).
    public let quadratic: [(row: Int, column: Int, value: Double)]

    public static func == (a: PolynomialForm, b: PolynomialForm) -> Bool {
        a.degree == b.degree && a.dimension == b.dimension && a.constant == b.constant && a.linear == b.linear
            && a.quadratic.count == b.quadratic.count
            && zip(a.quadratic, b.quadratic).allSatisfy { $0.row == $1.row && $0.column == $1.column && $0.value == $1.value }
    }

    /// Q as a dense row-major n×n array.
    public func denseQuadratic() -> [Double] {
        var q = Array(repeating: 0.0, count: dimension * dimension)
        for (i, j, v) in quadratic {
            q[i * dimension + j] = v
            q[j * dimension + i] = v
        }
        return q
    }

    /// A sparse polynomial of degree ≤ 2: c + Σ bᵢxᵢ + Σ_{i≤j} aᵢⱼ xᵢxⱼ (note: aᵢⱼ, not Q).
    struct Polynomial {
        var constant = 0.0
        var linear: [Int: Double] = [:]
        var products: [Int: Double] = [:]  // key i·n + j with i ≤ j
        var degree: ExpressionDegree {
            if products.values.contains(where: { $0 != 0 }) { return .quadratic }
            if linear.values.contains(where: { $0 != 0 }) { return .linear }
            return .constant
        }
        func scaled(_ c: Double) -> Polynomial {
            Polynomial(constant: constant * c, linear: linear.mapValues { $0 * c }, products: products.mapValues { $0 * c })
        }
        static func + (a: Polynomial, b: Polynomial) -> Polynomial {
            Polynomial(constant: a.constant + b.constant, linear: a.linear.merging(b.linear, uniquingKeysWith: +),
                       products: a.products.merging(b.products, uniquingKeysWith: +))
        }
    }

    static func multiply(_ a: Polynomial, _ b: Polynomial, n: Int) -> Polynomial? {
        let da = a.degree, db = b.degree
        if da == .constant { return b.scaled(a.constant) }
        if db == .constant { return a.scaled(b.constant) }
        guard da == .linear, db == .linear else { return nil }
        var r = Polynomial()
        r.constant = a.constant * b.constant
        for (j, v) in a.linear { r.linear[j, default: 0] += v * b.constant }
        for (j, v) in b.linear { r.linear[j, default: 0] += v * a.constant }
        for (i, u) in a.linear {
            for (j, v) in b.linear {
                let key = min(i, j) * n + max(i, j)
                r.products[key, default: 0] += u * v
            }
        }
        return r
    }

    /// Classifies a tape (stops at the first node that is not a polynomial of degree ≤ 2).
    public init(tape: ExpressionTape) {
        let n = tape.variableCount
        var nodes: [Polynomial] = []
        nodes.reserveCapacity(tape.count)
        var general = false
        for i in 0..<tape.count {
            let a = Int(tape.first[i]), b = Int(tape.second[i])
            var p: Polynomial?
            switch tape.operations[i] {
            case .constant: p = Polynomial(constant: tape.constants[i])
            case .variable: p = Polynomial(linear: [a: 1])
            case .add: p = nodes[a] + nodes[b]
            case .subtract: p = nodes[a] + nodes[b].scaled(-1)
            case .negate: p = nodes[a].scaled(-1)
            case .multiply: p = Self.multiply(nodes[a], nodes[b], n: n)
            case .divide:
                if nodes[b].degree == .constant, nodes[b].constant != 0 { p = nodes[a].scaled(1 / nodes[b].constant) }
            case .powerConstant:
                let e = tape.constants[i]
                if e == 0 { p = Polynomial(constant: 1) }
                else if e == 1 { p = nodes[a] }
                else if e == 2 { p = Self.multiply(nodes[a], nodes[a], n: n) }
                else if nodes[a].degree == .constant { p = Polynomial(constant: ExpressionTape.apply(.powerConstant, nodes[a].constant, 0, constant: e)) }
            default: p = nil
            }
            guard let p else { general = true; break }
            nodes.append(p)
        }
        dimension = n
        guard !general, let root = nodes.last else {
            degree = .general
            constant = 0
            linear = []
            quadratic = []
            return
        }
        degree = root.degree
        constant = root.constant
        var b = Array(repeating: 0.0, count: n)
        for (j, v) in root.linear { b[j] += v }
        linear = b
        // Q = ∂²f: a diagonal product a·xᵢ² contributes 2a, an off-diagonal a·xᵢxⱼ contributes a.
        quadratic = root.products.compactMap { key, v -> (row: Int, column: Int, value: Double)? in
            guard v != 0 else { return nil }
            let i = key / n, j = key % n
            return (i, j, i == j ? 2 * v : v)
        }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    /// Whether f is convex / concave, decided exactly for degree ≤ 1 and by a Cholesky
    /// test of ±Q (with a relative tolerance 1e-12) for quadratics up to 400 variables.
    func curvature() -> (convex: Bool, concave: Bool) {
        switch degree {
        case .constant, .linear: return (true, true)
        case .general: return (false, false)
        case .quadratic:
            guard dimension <= 400 else { return (false, false) }
            let q = denseQuadratic()
            return (Self.isPositiveSemidefinite(q, n: dimension), Self.isPositiveSemidefinite(q.map { -$0 }, n: dimension))
        }
    }

    /// Cholesky of Q + δI with δ = 1e-12·max|Qᵢⱼ|: succeeds for PSD Q (and for Q within δ of PSD).
    static func isPositiveSemidefinite(_ q: [Double], n: Int) -> Bool {
        let scale = q.reduce(0) { max($0, Swift.abs($1)) }
        guard scale > 0 else { return true }
        var l = q
        for i in 0..<n { l[i * n + i] += 1e-12 * scale }
        for j in 0..<n {
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0 else { return false }
            let r = d.squareRoot()
            l[j * n + j] = r
            for i in (j + 1)..<n {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / r
            }
        }
        return true
    }
}
