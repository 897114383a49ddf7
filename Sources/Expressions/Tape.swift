import Foundation

/// The operations of an ``ExpressionTape``. Raw values are stable (they index nothing
/// outside this module, but keep them dense so the evaluator's switch is a jump table).
package enum TapeOperation: UInt8, Sendable, CaseIterable {
    case constant, variable
    case add, subtract, multiply, divide, negate
    /// a^p with the exponent p a constant (stored in the node's constant).
    case powerConstant
    /// a^b with a non-constant exponent: C `pow`.
    case power
    case exp, log, sqrt, sin, cos, tan, atan, tanh, sinh, cosh, abs
    case maximum, minimum

    /// Function names the parser accepts, with their arity (max/min take two or more and fold).
    static let functions: [String: TapeOperation] = [
        "exp": .exp, "log": .log, "sqrt": .sqrt, "sin": .sin, "cos": .cos, "tan": .tan, "atan": .atan,
        "tanh": .tanh, "sinh": .sinh, "cosh": .cosh, "abs": .abs, "max": .maximum, "min": .minimum,
    ]

    var isBinary: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .power, .maximum, .minimum: return true
        default: return false
        }
    }
}

/// An expression compiled to a flat tape in topological order (operands before the node
/// that uses them; the last node is the result). Each node is one operation on earlier
/// nodes, stored in parallel contiguous arrays so evaluation is a single forward sweep
/// and reverse-mode differentiation a single backward sweep (Griewank & Walther,
/// *Evaluating Derivatives*, 2nd ed., ch. 3–4).
package struct ExpressionTape: Sendable, Equatable {
    /// Operation of each node.
    package internal(set) var operations: [TapeOperation] = []
    /// First operand (node index), or the variable index for `.variable`.
    package internal(set) var first: [Int32] = []
    /// Second operand (node index) of binary operations.
    package internal(set) var second: [Int32] = []
    /// The value of `.constant` nodes and the exponent of `.powerConstant` nodes.
    package internal(set) var constants: [Double] = []
    /// Number of variables the tape reads.
    package internal(set) var variableCount: Int = 0

    /// Number of nodes.
    package var count: Int { operations.count }

    @discardableResult
    mutating func append(_ op: TapeOperation, _ a: Int = 0, _ b: Int = 0, constant: Double = 0) -> Int {
        operations.append(op)
        first.append(Int32(truncatingIfNeeded: a))
        second.append(Int32(truncatingIfNeeded: b))
        constants.append(constant)
        return operations.count - 1
    }

    mutating func removeLast() {
        operations.removeLast()
        first.removeLast()
        second.removeLast()
        constants.removeLast()
    }

    /// Whether node `i` is a constant.
    func isConstant(_ i: Int) -> Bool { operations[i] == .constant }

    /// The value of one operation on plain numbers (used for constant folding).
    static func apply(_ op: TapeOperation, _ a: Double, _ b: Double, constant: Double) -> Double {
        switch op {
        case .constant: return constant
        case .variable: return .nan
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .negate: return -a
        case .powerConstant: return Foundation.pow(a, constant)
        case .power: return Foundation.pow(a, b)
        case .exp: return Foundation.exp(a)
        case .log: return Foundation.log(a)
        case .sqrt: return a.squareRoot()
        case .sin: return Foundation.sin(a)
        case .cos: return Foundation.cos(a)
        case .tan: return Foundation.tan(a)
        case .atan: return Foundation.atan(a)
        case .tanh: return Foundation.tanh(a)
        case .sinh: return Foundation.sinh(a)
        case .cosh: return Foundation.cosh(a)
        case .abs: return Swift.abs(a)
        case .maximum: return a >= b ? a : b
        case .minimum: return a <= b ? a : b
        }
    }
}
