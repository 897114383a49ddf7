import Foundation

/// A number type the tape can be evaluated and differentiated over: `Double` for values and
/// gradients, ``Dual`` for directional derivatives and (in the reverse sweep) Hessian–vector
/// products. Internal: the evaluator is specialized for both types.
protocol TapeScalar {
    init(_ constant: Double)
    /// The plain value (what comparisons in abs/max/min branch on).
    var primal: Double { get }
    /// Exactly zero in every component (lets the reverse sweep skip dead nodes).
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func scaled(_ a: Self, by c: Double) -> Self
    static func powConstant(_ a: Self, _ p: Double) -> Self
    static func power(_ a: Self, _ b: Self) -> Self
    static func exponential(_ a: Self) -> Self
    static func logarithm(_ a: Self) -> Self
    static func squareRootOf(_ a: Self) -> Self
    static func sine(_ a: Self) -> Self
    static func cosine(_ a: Self) -> Self
    static func tangent(_ a: Self) -> Self
    static func arctangent(_ a: Self) -> Self
    static func hyperbolicTangent(_ a: Self) -> Self
    static func hyperbolicSine(_ a: Self) -> Self
    static func hyperbolicCosine(_ a: Self) -> Self
}

extension Double: TapeScalar {
    @inline(__always) var primal: Double { self }
    @inline(__always) var isZero: Bool { self == 0 }
    @inline(__always) static func scaled(_ a: Double, by c: Double) -> Double { a * c }
    @inline(__always) static func powConstant(_ a: Double, _ p: Double) -> Double { p == 2 ? a * a : Foundation.pow(a, p) }
    @inline(__always) static func power(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
    @inline(__always) static func exponential(_ a: Double) -> Double { Foundation.exp(a) }
    @inline(__always) static func logarithm(_ a: Double) -> Double { Foundation.log(a) }
    @inline(__always) static func squareRootOf(_ a: Double) -> Double { a.squareRoot() }
    @inline(__always) static func sine(_ a: Double) -> Double { Foundation.sin(a) }
    @inline(__always) static func cosine(_ a: Double) -> Double { Foundation.cos(a) }
    @inline(__always) static func tangent(_ a: Double) -> Double { Foundation.tan(a) }
    @inline(__always) static func arctangent(_ a: Double) -> Double { Foundation.atan(a) }
    @inline(__always) static func hyperbolicTangent(_ a: Double) -> Double { Foundation.tanh(a) }
    @inline(__always) static func hyperbolicSine(_ a: Double) -> Double { Foundation.sinh(a) }
    @inline(__always) static func hyperbolicCosine(_ a: Double) -> Double { Foundation.cosh(a) }
}

/// A dual number a + a′ε with ε² = 0: evaluating f on `Dual(x, d)` gives
/// `Dual(f(x), ∇f(x)ᵀd)` — forward-mode automatic differentiation (Griewank & Walther, ch. 3).
package struct Dual: Sendable, Equatable, CustomStringConvertible {
    /// The value part.
    package var value: Double
    /// The derivative (tangent) part.
    package var derivative: Double

    package init(_ value: Double, _ derivative: Double = 0) {
        self.value = value
        self.derivative = derivative
    }

    package var description: String { "\(value) + \(derivative)ε" }

    package static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, a.derivative + b.derivative) }
    package static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, a.derivative - b.derivative) }
    package static func * (a: Dual, b: Dual) -> Dual {
        Dual(a.value * b.value, a.derivative * b.value + a.value * b.derivative)
    }
    package static func / (a: Dual, b: Dual) -> Dual {
        let q = a.value / b.value
        return Dual(q, (a.derivative - q * b.derivative) / b.value)
    }
    package static prefix func - (a: Dual) -> Dual { Dual(-a.value, -a.derivative) }
}

extension Dual: TapeScalar {
    init(_ constant: Double) { self.init(constant, 0) }
    @inline(__always) var primal: Double { value }
    @inline(__always) var isZero: Bool { value == 0 && derivative == 0 }
    @inline(__always) static func chain(_ a: Dual, _ v: Double, _ dv: Double) -> Dual { Dual(v, dv * a.derivative) }
    static func scaled(_ a: Dual, by c: Double) -> Dual { Dual(a.value * c, a.derivative * c) }
    static func powConstant(_ a: Dual, _ p: Double) -> Dual {
        if p == 2 { return Dual(a.value * a.value, 2 * a.value * a.derivative) }
        if a.derivative == 0 { return Dual(Foundation.pow(a.value, p), 0) }
        return chain(a, Foundation.pow(a.value, p), p * Foundation.pow(a.value, p - 1))
    }
    static func power(_ a: Dual, _ b: Dual) -> Dual {
        let v = Foundation.pow(a.value, b.value)
        var d = 0.0
        if a.derivative != 0 { d += b.value * Foundation.pow(a.value, b.value - 1) * a.derivative }
        if b.derivative != 0 { d += v * Foundation.log(a.value) * b.derivative }
        return Dual(v, d)
    }
    static func exponential(_ a: Dual) -> Dual { let e = Foundation.exp(a.value); return Dual(e, e * a.derivative) }
    static func logarithm(_ a: Dual) -> Dual { Dual(Foundation.log(a.value), a.derivative / a.value) }
    static func squareRootOf(_ a: Dual) -> Dual { let r = a.value.squareRoot(); return Dual(r, a.derivative / (2 * r)) }
    static func sine(_ a: Dual) -> Dual { chain(a, Foundation.sin(a.value), Foundation.cos(a.value)) }
    static func cosine(_ a: Dual) -> Dual { chain(a, Foundation.cos(a.value), -Foundation.sin(a.value)) }
    static func tangent(_ a: Dual) -> Dual { let t = Foundation.tan(a.value); return chain(a, t, 1 + t * t) }
    static func arctangent(_ a: Dual) -> Dual { chain(a, Foundation.atan(a.value), 1 / (1 + a.value * a.value)) }
    static func hyperbolicTangent(_ a: Dual) -> Dual { let t = Foundation.tanh(a.value); return chain(a, t, 1 - t * t) }
    static func hyperbolicSine(_ a: Dual) -> Dual { chain(a, Foundation.sinh(a.value), Foundation.cosh(a.value)) }
    static func hyperbolicCosine(_ a: Dual) -> Dual { chain(a, Foundation.cosh(a.value), Foundation.sinh(a.value)) }
}
