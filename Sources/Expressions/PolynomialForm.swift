import LagrangeCore

/// The degree of an expression as a polynomial in its variables.
package enum ExpressionDegree: String, Sendable, Comparable {
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

    package static func < (a: ExpressionDegree, b: ExpressionDegree) -> Bool { a.rank < b.rank }
}

/// The degree classification of a compiled expression and, when it is at most quadratic,
/// its exact coefficients: f(x) = c + bᵀx + ½ xᵀQx, with Q symmetric.
///
/// Coefficients come from exact symbolic propagation over the tape (sums, products,
/// division by constants, integer powers 0, 1, 2), so they are as exact as the double
/// arithmetic on the literal constants — not finite differences (a sum scaled by several
/// constants in a row, `(x + y)*a*b`, gets its coefficients times the product a·b). The
/// classification is syntactic and conservative: `0*exp(x)` is reported as general, and
/// so is a product of sums that would expand past ``expansionLimit``.
package struct PolynomialForm: Sendable, Equatable {
    package let degree: ExpressionDegree
    /// Number of variables.
    package let dimension: Int
    /// c (when degree ≤ quadratic).
    package let constant: Double
    /// b, dense, one entry per variable (empty when general).
    package let linear: [Double]
    /// Upper triangle (row ≤ column) of the symmetric Hessian Q, sorted by (row, column),
    /// zeros dropped (empty unless quadratic).
    package let quadratic: [(row: Int, column: Int, value: Double)]
    /// The most coefficients (linear and product entries) held at once while classifying:
    /// the classifier's memory, in coefficients (tests hold it to the tape's length).
    let peakStoredCoefficients: Int
    /// Whether a product of sums would have expanded into more than ``expansionLimit``
    /// coefficients (the degree is then `general`, whatever the expression's true degree).
    package let expansionLimitExceeded: Bool

    package static func == (a: PolynomialForm, b: PolynomialForm) -> Bool {
        a.degree == b.degree && a.dimension == b.dimension && a.expansionLimitExceeded == b.expansionLimitExceeded && a.constant == b.constant && a.linear == b.linear
            && a.quadratic.count == b.quadratic.count
            && zip(a.quadratic, b.quadratic).allSatisfy { $0.row == $1.row && $0.column == $1.column && $0.value == $1.value }
    }

    /// Q as a dense row-major n×n array.
    package func denseQuadratic() -> [Double] {
        var q = Array(repeating: 0.0, count: dimension * dimension)
        for (i, j, v) in quadratic {
            q[i * dimension + j] = v
            q[j * dimension + i] = v
        }
        return q
    }

    /// A sparse polynomial of degree ≤ 2, c + Σ bᵢxᵢ + Σ_{i≤j} aᵢⱼ xᵢxⱼ (note: aᵢⱼ, not Q).
    ///
    /// The stored coefficients are all multiplied by `scale`, so scaling a long sum by a
    /// constant is O(1) however often it happens (`(x1 + … + xn)*2*2*…`); the scale is
    /// folded in (one multiplication per coefficient, as an eager scaling would do) only
    /// when the sum is added to. No stored coefficient is zero: a term that cancels
    /// exactly is removed, so an empty dictionary means "no such terms".
    struct Polynomial {
        var constant = 0.0
        var linear: [Int: Double] = [:]
        var products: [Int: Double] = [:]  // key i·n + j with i ≤ j
        var scale = 1.0

        /// Stored coefficients (the memory this polynomial holds).
        var count: Int { linear.count + products.count }
        var isConstant: Bool { (linear.isEmpty && products.isEmpty) || scale == 0 }
        var hasProducts: Bool { !products.isEmpty && scale != 0 }

        mutating func multiply(by c: Double) {
            constant *= c
            scale *= c
            if scale == 0 { (linear, products, scale) = ([:], [:], 1) }
        }

        /// Multiplies the stored coefficients by `scale` and resets it to 1 (O(count)).
        mutating func foldScale() {
            guard scale != 1 else { return }
            let s = scale
            var underflow = false
            for i in linear.indices { linear.values[i] *= s; underflow = underflow || linear.values[i] == 0 }
            for i in products.indices { products.values[i] *= s; underflow = underflow || products.values[i] == 0 }
            if underflow {
                linear = linear.filter { $0.value != 0 }
                products = products.filter { $0.value != 0 }
            }
            scale = 1
        }

        /// d[key] += v, removing the entry when it cancels.
        static func accumulate(_ v: Double, at key: Int, in d: inout [Int: Double]) {
            let sum = d[key, default: 0] + v
            if sum == 0 { d.removeValue(forKey: key) } else { d[key] = sum }
        }

        /// self += other. Callers merge the polynomial with fewer coefficients into the
        /// one with more, which they own alone (so no dictionary is copied): a long sum
        /// then costs O(its terms), not O(terms²). Floating-point addition is commutative,
        /// so the coefficients do not depend on which way the merge goes.
        mutating func add(_ other: Polynomial) {
            constant += other.constant
            guard other.count > 0, other.scale != 0 else { return }
            foldScale()
            let s = other.scale
            for (key, v) in other.linear { Self.accumulate(v * s, at: key, in: &linear) }
            for (key, v) in other.products { Self.accumulate(v * s, at: key, in: &products) }
        }

        /// Whether `self + other` should merge `other` into `self` (fewer moves, and no
        /// scale to fold on a tie).
        func absorbs(_ other: Polynomial) -> Bool {
            count > other.count || (count == other.count && scale == 1)
        }
    }

    /// The most expanded products (|a|·|b| for each product of two linear forms a, b) a
    /// classification may compute beyond the tape's length: (x1 + … + xn)² expands into
    /// n(n+1)/2 coefficients, so without a cap a short text could ask for gigabytes.
    /// Past it the expression is classified `general` with ``expansionLimitExceeded`` set.
    package static let expansionLimit = 1 << 22

    /// a·b when the product has degree ≤ 2; nil otherwise, or when expanding it would
    /// exceed `budget` (then `exceeded` is set).
    static func multiply(_ a: Polynomial, _ b: Polynomial, n: Int, budget: inout Int, exceeded: inout Bool) -> Polynomial? {
        if a.isConstant { var r = b; r.multiply(by: a.constant); return r }
        if b.isConstant { var r = a; r.multiply(by: b.constant); return r }
        guard !a.hasProducts, !b.hasProducts else { return nil }
        let cost = a.linear.count * b.linear.count
        guard cost <= budget else { exceeded = true; return nil }
        budget -= cost
        let aLinear = a.linear.map { ($0.key, $0.value * a.scale) }, bLinear = b.linear.map { ($0.key, $0.value * b.scale) }
        var r = Polynomial()
        r.constant = a.constant * b.constant
        for (j, v) in aLinear { Polynomial.accumulate(v * b.constant, at: j, in: &r.linear) }
        for (j, v) in bLinear { Polynomial.accumulate(v * a.constant, at: j, in: &r.linear) }
        for (i, u) in aLinear {
            for (j, v) in bLinear { Polynomial.accumulate(u * v, at: min(i, j) * n + max(i, j), in: &r.products) }
        }
        return r
    }

    /// Classifies a tape (stops at the first node that is not a polynomial of degree ≤ 2).
    ///
    /// Memory and time are linear in the tape's length (plus the expanded products, capped
    /// by ``expansionLimit``): a node's polynomial is dropped once its last user has read
    /// it, and sums merge in place (see ``Polynomial``). Keeping every partial sum, as the
    /// first version did, held n²/2 coefficients for a sum of n squares.
    package init(tape: ExpressionTape) {
        let n = tape.variableCount
        // Readers per node, so that a polynomial is moved (not copied) to its last reader.
        var readers = [Int32](repeating: 0, count: tape.count)
        for i in 0..<tape.count {
            switch tape.operations[i] {
            case .constant, .variable: break
            default:
                readers[Int(tape.first[i])] += 1
                if tape.operations[i].isBinary { readers[Int(tape.second[i])] += 1 }
            }
        }
        // Live polynomials sit in a pool of recycled slots; slot[i] is node i's.
        var slot = [Int32](repeating: -1, count: tape.count)
        var pool: [Polynomial] = []
        var freeSlots: [Int32] = []
        var stored = 0, peak = 0
        func take(_ node: Int) -> Polynomial {
            let s = Int(slot[node])
            readers[node] -= 1
            guard readers[node] <= 0 else { return pool[s] }  // read again later: a (copy-on-write) copy
            var p = Polynomial()
            swap(&p, &pool[s])
            freeSlots.append(Int32(s))
            stored -= p.count
            return p
        }
        func store(_ p: Polynomial, at node: Int) {
            stored += p.count
            peak = max(peak, stored)
            if let s = freeSlots.popLast() {
                pool[Int(s)] = p
                slot[node] = s
            } else {
                slot[node] = Int32(pool.count)
                pool.append(p)
            }
        }
        var budget = max(Self.expansionLimit, tape.count)
        var exceeded = false
        var general = false
        for i in 0..<tape.count {
            let a = Int(tape.first[i]), b = Int(tape.second[i])
            var p: Polynomial?
            switch tape.operations[i] {
            case .constant: p = Polynomial(constant: tape.constants[i])
            case .variable: p = Polynomial(linear: [a: 1])
            case .add, .subtract:
                var left = take(a), right = take(b)
                if tape.operations[i] == .subtract { right.multiply(by: -1) }
                if !left.absorbs(right) { swap(&left, &right) }
                left.add(right)
                p = left
            case .negate:
                var operand = take(a)
                operand.multiply(by: -1)
                p = operand
            case .multiply: p = Self.multiply(take(a), take(b), n: n, budget: &budget, exceeded: &exceeded)
            case .divide:
                var numerator = take(a)
                let denominator = take(b)
                if denominator.isConstant, denominator.constant != 0 {
                    numerator.multiply(by: 1 / denominator.constant)
                    p = numerator
                }
            case .powerConstant:
                let base = take(a), e = tape.constants[i]
                if e == 0 { p = Polynomial(constant: 1) }
                else if e == 1 { p = base }
                else if e == 2 { p = Self.multiply(base, base, n: n, budget: &budget, exceeded: &exceeded) }
                else if base.isConstant { p = Polynomial(constant: ExpressionTape.apply(.powerConstant, base.constant, 0, constant: e)) }
            default: p = nil
            }
            guard let p else { general = true; break }
            store(p, at: i)
        }
        dimension = n
        peakStoredCoefficients = peak
        expansionLimitExceeded = exceeded
        guard !general, tape.count > 0 else {
            degree = .general
            constant = 0
            linear = []
            quadratic = []
            return
        }
        var root = take(tape.count - 1)
        root.foldScale()
        degree = !root.products.isEmpty ? .quadratic : !root.linear.isEmpty ? .linear : .constant
        constant = root.constant
        var b = Array(repeating: 0.0, count: n)
        for (j, v) in root.linear { b[j] = v }
        linear = b
        // Q = ∂²f: a diagonal product a·xᵢ² contributes 2a, an off-diagonal a·xᵢxⱼ contributes a.
        quadratic = root.products.map { key, v -> (row: Int, column: Int, value: Double) in
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
