/// Recursive-descent parser for infix expressions, emitting tape nodes as it goes (so long
/// sums never build a deep tree):
///
///     expr    := term (('+' | '-') term)*          left-associative
///     term    := unary (('*' | '/') unary)*        left-associative
///     unary   := ('-' | '+') unary | power
///     power   := primary ('^' unary)?              right-associative; binds tighter than unary minus
///     primary := NUMBER | NAME | NAME '[' INTEGER ']' | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
///
/// Numbers accept exponent notation (`1e-3`, `2.5E+4`, `.5`). `pi` and `e` are constants
/// unless declared as variables. `x[3]` names the same variable as `x3`. Operations on
/// constants only are folded while parsing.
struct ExpressionParser {
    /// Deepest nesting of parentheses / unary signs / powers accepted (bounds the recursion).
    static let maximumDepth = 200

    let source: String
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    var tape = ExpressionTape()
    /// Canonical variable name → index (declared order, or first appearance when discovering).
    var variableIndex: [String: Int] = [:]
    var variableNames: [String] = []
    let declared: Bool

    init(_ source: String, variables: [String]?) {
        self.source = source
        self.bytes = Array(source.utf8)
        if let variables {
            declared = true
            for (i, name) in variables.enumerated() where variableIndex[Self.canonical(name)] == nil {
                variableIndex[Self.canonical(name)] = i
            }
            variableNames = variables
        } else {
            declared = false
        }
    }

    /// `x[3]` → `x3`; other names unchanged.
    static func canonical(_ name: String) -> String {
        guard name.hasSuffix("]"), let open = name.firstIndex(of: "[") else { return name }
        let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
        guard !inner.isEmpty, inner.allSatisfy(\.isASCII), inner.allSatisfy(\.isNumber) else { return name }
        return String(name[..<open]) + inner
    }

    // MARK: Errors and scanning

    func error(_ message: String, at offset: Int? = nil) -> ExpressionError {
        let offset = min(offset ?? position, bytes.count)
        let column = String(decoding: bytes[0..<offset], as: UTF8.self).count + 1
        return ExpressionError(message, column: column, source: source)
    }

    mutating func skipSpace() {
        while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 || bytes[position] == 10 || bytes[position] == 13 {
            position += 1
        }
    }

    /// The next non-space byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipSpace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(ExpressionError) {
        guard peek() == byte else {
            throw error(position < bytes.count ? "expected \(what), found '\(currentCharacter)'" : "expected \(what) before the end")
        }
        position += 1
    }

    var currentCharacter: String {
        String(decoding: bytes[min(position, bytes.count)...], as: UTF8.self).first.map(String.init) ?? ""
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    static func isNameByte(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }

    // MARK: Grammar

    mutating func parse() throws(ExpressionError) -> Int {
        guard peek() != nil else { throw error("empty expression") }
        let root = try expression()
        if peek() != nil {
            let c = currentCharacter
            throw error(c == ")" ? "unmatched ')'" : "unexpected '\(c)' after a complete expression")
        }
        return root
    }

    mutating func expression() throws(ExpressionError) -> Int {
        var left = try term()
        while let c = peek(), c == 43 || c == 45 {
            position += 1
            let right = try term()
            left = emit(c == 43 ? .add : .subtract, left, right)
        }
        return left
    }

    mutating func term() throws(ExpressionError) -> Int {
        var left = try unary()
        while let c = peek(), c == 42 || c == 47 {
            position += 1
            let right = try unary()
            left = emit(c == 42 ? .multiply : .divide, left, right)
        }
        return left
    }

    mutating func unary() throws(ExpressionError) -> Int {
        guard let c = peek() else { throw error("expected a number, a variable, a function or '(' before the end") }
        if c == 45 || c == 43 {
            let at = position
            position += 1
            try enter(at)
            defer { depth -= 1 }
            let operand = try unary()
            return c == 45 ? emit(.negate, operand) : operand
        }
        return try power()
    }

    mutating func power() throws(ExpressionError) -> Int {
        let base = try primary()
        guard peek() == 94 else { return base }
        let at = position
        position += 1
        try enter(at)
        defer { depth -= 1 }
        let exponent = try unary()
        if tape.isConstant(exponent), exponent == tape.count - 1 {
            let p = tape.constants[exponent]
            tape.removeLast()
            if p == 1 { return base }
            return emit(.powerConstant, base, constant: p)
        }
        return emit(.power, base, exponent)
    }

    mutating func enter(_ at: Int) throws(ExpressionError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested more than \(Self.maximumDepth) levels deep", at: at) }
    }

    mutating func primary() throws(ExpressionError) -> Int {
        guard let c = peek() else { throw error("expected a number, a variable, a function or '(' before the end") }
        if Self.isDigit(c) || c == 46 { return try number() }
        if c == 40 {
            let at = position
            position += 1
            try enter(at)
            defer { depth -= 1 }
            let inner = try expression()
            guard peek() == 41 else {
                throw peek() == nil ? error("missing ')' for the '(' here", at: at) : error("expected ')', found '\(currentCharacter)'")
            }
            position += 1
            return inner
        }
        if Self.isNameStart(c) { return try name() }
        throw error(c == 41 ? "unexpected ')'" : "unexpected '\(currentCharacter)'")
    }

    mutating func number() throws(ExpressionError) -> Int {
        let start = position
        while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        if position < bytes.count, bytes[position] == 46 {
            position += 1
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == 101 || bytes[position] == 69 {
            var p = position + 1
            if p < bytes.count, bytes[p] == 43 || bytes[p] == 45 { p += 1 }
            if p < bytes.count, Self.isDigit(bytes[p]) {
                while p < bytes.count, Self.isDigit(bytes[p]) { p += 1 }
                position = p
            } else {
                throw error("exponent of a number needs digits", at: p)
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard text != ".", let value = Double(text), value.isFinite else { throw error("'\(text)' is not a finite number", at: start) }
        if position < bytes.count, Self.isNameStart(bytes[position]) {
            throw error("a number followed by a name: write '*' for multiplication")
        }
        return tape.append(.constant, constant: value)
    }

    mutating func name() throws(ExpressionError) -> Int {
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
        var text = String(decoding: bytes[start..<position], as: UTF8.self)
        if peek() == 40 {
            guard let op = TapeOperation.functions[text] else {
                throw error("unknown function '\(text)' (known: \(TapeOperation.functions.keys.sorted().joined(separator: ", ")))", at: start)
            }
            let open = position
            position += 1
            try enter(open)
            defer { depth -= 1 }
            var arguments = [try expression()]
            while peek() == 44 {
                position += 1
                arguments.append(try expression())
            }
            guard peek() == 41 else {
                throw peek() == nil ? error("missing ')' for the '(' here", at: open) : error("expected ',' or ')', found '\(currentCharacter)'")
            }
            position += 1
            if op.isBinary {
                guard arguments.count >= 2 else { throw error("\(text) takes two or more arguments", at: start) }
                var result = arguments[0]
                for argument in arguments.dropFirst() { result = emit(op, result, argument) }
                return result
            }
            guard arguments.count == 1 else { throw error("\(text) takes one argument, got \(arguments.count)", at: start) }
            return emit(op, arguments[0])
        }
        if peek() == 91 {
            // Indexed variable x[3], the same variable as x3.
            position += 1
            skipSpace()
            let digitsStart = position
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
            guard position > digitsStart else { throw error("expected an index (digits) after '['") }
            text += String(decoding: bytes[digitsStart..<position], as: UTF8.self)
            try expect(93, "']'")
        }
        if let index = variableIndex[text] { return tape.append(.variable, index) }
        if text == "pi" { return tape.append(.constant, constant: Double.pi) }
        if text == "e" { return tape.append(.constant, constant: 2.718281828459045) }
        if TapeOperation.functions[text] != nil { throw error("function '\(text)' needs '(' and an argument", at: start) }
        guard !declared else {
            throw error("unknown variable '\(text)' (declared: \(variableNames.joined(separator: ", ")))", at: start)
        }
        let index = variableNames.count
        variableIndex[text] = index
        variableNames.append(text)
        return tape.append(.variable, index)
    }

    /// Appends an operation, folding it into a constant when all operands are constants
    /// (which are then the last nodes of the tape and are removed).
    mutating func emit(_ op: TapeOperation, _ a: Int, _ b: Int = -1, constant: Double = 0) -> Int {
        let last = tape.count - 1
        if op.isBinary {
            if a == last - 1, b == last, tape.isConstant(a), tape.isConstant(b) {
                let value = ExpressionTape.apply(op, tape.constants[a], tape.constants[b], constant: constant)
                tape.removeLast()
                tape.removeLast()
                return tape.append(.constant, constant: value)
            }
            return tape.append(op, a, b, constant: constant)
        }
        if a == last, tape.isConstant(a) {
            let value = ExpressionTape.apply(op, tape.constants[a], 0, constant: constant)
            tape.removeLast()
            return tape.append(.constant, constant: value)
        }
        return tape.append(op, a, 0, constant: constant)
    }
}
