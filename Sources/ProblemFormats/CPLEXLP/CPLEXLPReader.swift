import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads CPLEX LP format (`.lp`) into a ``MPSModel`` (the linear program, and Q for a
/// quadratic objective: the same result an MPS/QPS file gives).
///
/// Accepted: `Minimize`/`Maximize` (also `Min`, `Minimum`, …) with an optional `name:` and a
/// linear objective, a constant term, and a quadratic part `[ a x ^ 2 + b x * y ] / 2`;
/// `Subject To` (`such that`, `st`, `s.t.`) with optionally named rows `expr <= | >= | = rhs`
/// and ranges `lo <= expr <= hi`; `Bounds` (`x free`, `x >= l`, `x <= u`, `x = v`,
/// `l <= x <= u`, `-inf`/`inf`/`infinity`); `General`/`Generals`/`Gen`/`Integer(s)`;
/// `Binary`/`Binaries`/`Bin` (integer with bounds [0, 1]); `End`. Keywords are
/// case-insensitive and start a line; any expression may continue over several lines.
/// Comments run from `\` to the end of the line. A comment
/// `\ Problem name: NAME` (or GLPK's `\* Problem: NAME *\`) names the problem.
/// Columns are created in order of first appearance with default bounds [0, +inf); unnamed
/// rows are named c1, c2, … by row number. Every error is an ``InputError`` with the line.
package enum CPLEXLPReader {
    /// Reads a `.lp` file.
    package static func read(contentsOf path: String) throws(InputError) -> MPSModel {
        try parse(TextFile.read(path), file: path)
    }

    /// Loads a `.lp` file as a problem definition: an LP (with integer columns: a MILP), or a
    /// QP with a quadratic objective. The name is the file's problem-name comment, else its stem.
    @Sendable
    package static func loadDefinition(_ path: String) throws(InputError) -> ProblemDefinition {
        try ProblemFileReader.definition(of: read(contentsOf: path), path: path)
    }

    /// Parses LP text; `file` names it in errors.
    package static func parse(_ text: String, file: String = "<input>") throws(InputError) -> MPSModel {
        var parser = Parser(file: file)
        try parser.scan(Array(text.utf8))
        return try parser.build()
    }
}

private enum Section: Equatable { case none, objective, constraints, bounds, generals, binaries, end }

private enum Token: Equatable {
    case name(String)
    case number(Double)
    case symbol(UInt8)        // + - * ^ / : [ ]
    case relation(Relation)
}

private enum Relation { case lessEqual, greaterEqual, equal }

private struct Located { var token: Token; var line: Int }

private struct Parser {
    let file: String
    var name = ""
    var sense = ObjectiveSense.minimize
    var objectiveName = "obj"
    var sawObjective = false
    var objectiveLine = 1
    var sawEnd = false
    var lastLine = 1

    var columnIndex: [String: Int] = [:]
    var columnNames: [String] = []
    var cost: [Double] = []
    var constant = 0.0
    var quadratic: [(row: Int, column: Int, value: Double)] = []
    var triplets: [(row: Int, column: Int, value: Double)] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    var rowNames: [String?] = []
    var rowLines: [Int] = []
    var lower: [Double] = []
    var upper: [Double] = []
    var boundLine: [Int?] = []
    var integer: [Bool] = []
    var binary: [Bool] = []
    /// Where the first General or Binary name is.
    var firstIntegerLine: Int?

    /// Tokens of the section being read.
    var tokens: [Located] = []
    var section = Section.none

    init(file: String) { self.file = file }

    func error(_ line: Int?, _ message: String) -> InputError { InputError(file: file, line: line, message) }

    // MARK: Lines and sections

    mutating func scan(_ bytes: [UInt8]) throws(InputError) {
        guard bytes.contains(where: { !Self.isSpace($0) }) else { throw error(nil, "the file is empty") }
        var line = 1
        var start = 0
        while start <= bytes.count && !sawEnd {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            var text = Array(bytes[start..<end])
            if text.contains(where: { !Self.isSpace($0) }) { lastLine = line }
            if text.last == 13 { text.removeLast() }
            if let bad = text.firstIndex(where: { $0 == 0 }) { _ = bad; throw error(line, "the file is not text (a NUL byte)") }
            text = stripComments(text)
            try handleLine(text, line: line)
            line += 1
            start = end + 1
        }
        if !sawEnd {
            try finishSection()
            throw error(lastLine, "the file ends without End")
        }
    }

    /// The line without its comment (from `\\` to the end of the line: CPLEX and GLPK know no
    /// other kind; `\\* … *\\` is a line comment too). `\\ Problem name:` names the problem.
    mutating func stripComments(_ text: [UInt8]) -> [UInt8] {
        guard let backslash = text.firstIndex(of: UInt8(ascii: "\\")) else { return text }
        var comment = String(decoding: text[(backslash + 1)...], as: UTF8.self)
        if comment.hasPrefix("*") { comment.removeFirst() }
        if comment.hasSuffix("*\\") { comment.removeLast(2) }
        noteName(comment)
        return Array(text[..<backslash])
    }

    mutating func noteName(_ comment: String) {
        guard name.isEmpty else { return }
        let trimmed = comment.trimmingCharacters(in: .whitespaces)
        for prefix in ["Problem name:", "Problem:"] where trimmed.hasPrefix(prefix) {
            name = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            return
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11 }

    /// A section keyword at the start of `text` (not followed by `:`, which makes it a row
    /// name), with the number of bytes it takes.
    static func sectionKeyword(_ text: [UInt8]) -> (Section?, unsupported: String?, length: Int)? {
        var k = 0
        while k < text.count && isSpace(text[k]) { k += 1 }
        func word(from start: Int) -> (String, Int) {
            var e = start
            while e < text.count && !isSpace(text[e]) && text[e] != UInt8(ascii: ":") { e += 1 }
            return (String(decoding: text[start..<e], as: UTF8.self).lowercased(), e)
        }
        let (first, end) = word(from: k)
        guard !first.isEmpty else { return nil }
        var after = end
        while after < text.count && isSpace(text[after]) { after += 1 }
        if after < text.count && text[after] == UInt8(ascii: ":") { return nil }
        switch first {
        case "minimize", "minimum", "min", "maximize", "maximum", "max": return (.objective, nil, end)
        case "st", "s.t.", "st.": return (.constraints, nil, end)
        case "subject", "such":
            let (second, end2) = word(from: after)
            if (first == "subject" && second == "to") || (first == "such" && second == "that") { return (.constraints, nil, end2) }
            return nil
        case "bounds", "bound": return (.bounds, nil, end)
        case "general", "generals", "gen", "integer", "integers": return (.generals, nil, end)
        case "binary", "binaries", "bin": return (.binaries, nil, end)
        case "end": return (.end, nil, end)
        case "semi-continuous", "semi", "semis", "sos", "sos1", "sos2": return (nil, first, end)
        case "lazy", "user":
            let (second, end2) = word(from: after)
            return second == "constraints" || second == "cuts" ? (nil, "\(first) \(second)", end2) : nil
        default: return nil
        }
    }

    mutating func handleLine(_ text: [UInt8], line: Int) throws(InputError) {
        var body = text[...]
        if let (next, unsupported, length) = Self.sectionKeyword(text) {
            if let unsupported { throw error(line, "the '\(unsupported)' section is not supported (LP, QP and MILP only)") }
            guard let next else { return }
            try finishSection()
            if next == .objective {
                guard !sawObjective else { throw error(line, "a second objective section") }
                sawObjective = true
                objectiveLine = line
                let word = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
                sense = word.hasPrefix("max") ? .maximize : .minimize
            } else if !sawObjective && next != .end {
                throw error(line, "the file must start with Minimize or Maximize")
            }
            section = next
            if next == .end { sawEnd = true; return }
            body = text[length...]
        }
        guard body.contains(where: { !Self.isSpace($0) }) else { return }
        guard section != .none else { throw error(line, "text before the Minimize or Maximize section") }
        try tokenize(body, line: line)
    }

    // MARK: Tokens

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 128 || "!\"#$%&()/,;?@_`'{}|~".utf8.contains(b)
    }
    static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || b.isDigit || b == UInt8(ascii: ".") }

    mutating func tokenize(_ text: ArraySlice<UInt8>, line: Int) throws(InputError) {
        var k = text.startIndex
        while k < text.endIndex {
            let b = text[k]
            if Self.isSpace(b) { k += 1; continue }
            switch b {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="):
                var e = k + 1
                if e < text.endIndex && (text[e] == UInt8(ascii: "=") || text[e] == UInt8(ascii: "<") || text[e] == UInt8(ascii: ">")) { e += 1 }
                let op = String(decoding: text[k..<e], as: UTF8.self)
                let relation: Relation
                switch op {
                case "<", "<=", "=<": relation = .lessEqual
                case ">", ">=", "=>": relation = .greaterEqual
                case "=", "==": relation = .equal
                default: throw error(line, "unknown relation '\(op)'")
                }
                tokens.append(Located(token: .relation(relation), line: line))
                k = e
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "^"), UInt8(ascii: ":"),
                 UInt8(ascii: "["), UInt8(ascii: "]"):
                tokens.append(Located(token: .symbol(b), line: line))
                k += 1
            case UInt8(ascii: "/") where tokens.last?.token == .symbol(UInt8(ascii: "]")):
                tokens.append(Located(token: .symbol(b), line: line))
                k += 1
            case _ where b.isDigit || b == UInt8(ascii: "."):
                var e = k
                while e < text.endIndex && (text[e].isDigit || text[e] == UInt8(ascii: ".")) { e += 1 }
                if e < text.endIndex && (text[e] == UInt8(ascii: "e") || text[e] == UInt8(ascii: "E")) {
                    var x = e + 1
                    if x < text.endIndex && (text[x] == UInt8(ascii: "+") || text[x] == UInt8(ascii: "-")) { x += 1 }
                    if x < text.endIndex && text[x].isDigit {
                        while x < text.endIndex && text[x].isDigit { x += 1 }
                        e = x
                    }
                }
                let literal = String(decoding: text[k..<e], as: UTF8.self)
                guard let value = Double(literal) else { throw error(line, "bad number '\(literal)'") }
                guard value.isFinite else { throw error(line, "the number '\(literal)' is too large") }
                tokens.append(Located(token: .number(value), line: line))
                k = e
            case _ where Self.isNameStart(b):
                var e = k
                while e < text.endIndex && Self.isNameByte(text[e]) { e += 1 }
                let word = String(decoding: text[k..<e], as: UTF8.self)
                tokens.append(Located(token: .name(word), line: line))
                k = e
            default:
                let character = String(decoding: [b], as: UTF8.self)
                throw error(line, "unexpected character '\(character)'")
            }
        }
    }

    // MARK: Sections

    mutating func finishSection() throws(InputError) {
        defer { tokens.removeAll(keepingCapacity: true) }
        var cursor = Cursor(tokens: tokens, endLine: tokens.last?.line ?? lastLine)
        switch section {
        case .none, .end: return
        case .objective: try parseObjective(&cursor)
        case .constraints: while !cursor.atEnd { try parseConstraint(&cursor) }
        case .bounds: while !cursor.atEnd { try parseBound(&cursor) }
        case .generals, .binaries:
            while let next = cursor.next() {
                guard case .name(let word) = next.token else { throw error(next.line, "expected a variable name in the \(section == .generals ? "General" : "Binary") section") }
                let j = column(word)
                integer[j] = true
                if firstIntegerLine == nil { firstIntegerLine = next.line }
                if section == .binaries { binary[j] = true }
            }
        }
    }

    mutating func column(_ word: String) -> Int {
        if let j = columnIndex[word] { return j }
        let j = columnNames.count
        columnIndex[word] = j
        columnNames.append(word)
        cost.append(0)
        lower.append(0)
        upper.append(.infinity)
        boundLine.append(nil)
        integer.append(false)
        binary.append(false)
        return j
    }

    static func isKeyword(_ word: String, _ candidates: Set<String>) -> Bool { candidates.contains(word.lowercased()) }
    static let infinityWords: Set<String> = ["inf", "infinity"]

    /// A linear form: terms, constants (where allowed) and, in the objective, `[ … ] / 2`.
    mutating func parseExpression(_ c: inout Cursor, constants: Bool, quadratic allowQuadratic: Bool,
                                  into terms: inout [(Int, Double)]) throws(InputError) -> Double {
        var constantSum = 0.0
        var first = true
        while let peek = c.peek() {
            var sign = 1.0
            var sawSign = false
            while let p = c.peek(), case .symbol(let s) = p.token, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
                if s == UInt8(ascii: "-") { sign = -sign }
                sawSign = true
                c.advance()
            }
            if !first && !sawSign { break }
            guard let token = c.peek() else { throw error(c.endLine, "the expression ends after a sign") }
            switch token.token {
            case .number(let v):
                c.advance()
                if case .name(let word)? = c.peek()?.token, !Self.isKeyword(word, Self.infinityWords) {
                    c.advance()
                    terms.append((column(word), sign * v))
                } else if case .symbol(UInt8(ascii: "["))? = c.peek()?.token {
                    throw error(token.line, "a number before '[' (write the factor inside the brackets)")
                } else {
                    guard constants else { throw error(token.line, "a constant term here (constants belong on the right-hand side)") }
                    constantSum += sign * v
                }
            case .name(let word):
                if Self.isKeyword(word, Self.infinityWords) { throw error(token.line, "'\(word)' in an expression") }
                c.advance()
                terms.append((column(word), sign))
            case .symbol(UInt8(ascii: "[")):
                guard allowQuadratic else {
                    throw error(token.line, "quadratic constraints are not supported (only the objective may have a [ … ] part)")
                }
                c.advance()
                try parseQuadratic(&c, sign: sign, open: token.line)
            default:
                if first && !sawSign { return constantSum }  // empty expression (checked by the caller)
                throw error(token.line, "expected a term after '\(sign < 0 ? "-" : "+")'")
            }
            first = false
            _ = peek
        }
        return constantSum
    }

    /// `[ a x ^ 2 + b x * y … ] / 2` after the `[`.
    mutating func parseQuadratic(_ c: inout Cursor, sign: Double, open: Int) throws(InputError) {
        var entries: [(Int, Int, Double)] = []
        var first = true
        while true {
            guard let t = c.peek() else { throw error(open, "'[' without a closing ']'") }
            if case .symbol(UInt8(ascii: "]")) = t.token { c.advance(); break }
            var s = 1.0, sawSign = false
            while let p = c.peek(), case .symbol(let b) = p.token, b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                if b == UInt8(ascii: "-") { s = -s }
                sawSign = true
                c.advance()
            }
            if !first && !sawSign { throw error(c.peek()?.line ?? open, "expected '+', '-' or ']' in the quadratic part") }
            var v = 1.0
            if case .number(let n)? = c.peek()?.token { v = n; c.advance() }
            guard let x = c.next(), case .name(let xn) = x.token else { throw error(c.lineHere(open), "expected a variable in the quadratic part") }
            guard let op = c.next(), case .symbol(let o) = op.token else { throw error(x.line, "expected '^ 2' or '* y' after '\(xn)'") }
            if o == UInt8(ascii: "^") {
                guard let two = c.next(), case .number(2) = two.token else { throw error(op.line, "only squares (^ 2) are allowed") }
                let j = column(xn)
                entries.append((j, j, s * v))
            } else if o == UInt8(ascii: "*") {
                guard let y = c.next(), case .name(let yn) = y.token else { throw error(op.line, "expected a variable after '*'") }
                let i = column(xn), j = column(yn)
                entries.append((i, j, s * v))
            } else {
                throw error(op.line, "expected '^ 2' or '* y' after '\(xn)'")
            }
            first = false
        }
        // `/ 2` halves the bracket: [..]/2 = ½xᵀQx with Qᵢᵢ = aᵢᵢ and Qᵢⱼ = Qⱼᵢ = aᵢⱼ/2.
        var scale = 2.0
        if case .symbol(UInt8(ascii: "/"))? = c.peek()?.token {
            c.advance()
            guard let d = c.next(), case .number(let divisor) = d.token, divisor != 0 else {
                throw error(c.lineHere(open), "expected a number after '/'")
            }
            scale = 2 / divisor
        }
        for (i, j, a) in entries {
            let v = sign * a * scale
            if i == j {
                quadratic.append((i, i, v))
            } else {
                quadratic.append((i, j, v / 2))
                quadratic.append((j, i, v / 2))
            }
        }
    }

    mutating func parseObjective(_ c: inout Cursor) throws(InputError) {
        if case .name(let label)? = c.peek()?.token, case .symbol(UInt8(ascii: ":"))? = c.peek(1)?.token {
            objectiveName = label
            c.advance(2)
        }
        var entries: [(Int, Double)] = []
        constant += try parseExpression(&c, constants: true, quadratic: true, into: &entries)
        for (j, v) in entries { cost[j] += v }
        if let extra = c.peek() { throw error(extra.line, "unexpected \(describe(extra.token)) in the objective") }
    }

    /// A signed number or ±inf.
    mutating func parseValue(_ c: inout Cursor, what: String) throws(InputError) -> Double {
        var sign = 1.0
        while case .symbol(let s)? = c.peek()?.token, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
            if s == UInt8(ascii: "-") { sign = -sign }
            c.advance()
        }
        guard let t = c.next() else { throw error(c.endLine, "\(what) is missing") }
        switch t.token {
        case .number(let v): return sign * v
        case .name(let w) where Self.isKeyword(w, Self.infinityWords): return sign * .infinity
        default: throw error(t.line, "\(what) must be a number, not \(describe(t.token))")
        }
    }

    func isValueStart(_ c: Cursor) -> Bool {
        var k = 0
        while case .symbol(let s)? = c.peek(k)?.token, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k += 1 }
        switch c.peek(k)?.token {
        case .number?: return true
        case .name(let w)?: return Self.isKeyword(w, Self.infinityWords)
        default: return false
        }
    }

    mutating func parseConstraint(_ c: inout Cursor) throws(InputError) {
        let startLine = c.peek()?.line ?? c.endLine
        var label: String?
        if case .name(let l)? = c.peek()?.token, case .symbol(UInt8(ascii: ":"))? = c.peek(1)?.token {
            label = l
            c.advance(2)
        }
        // `lo <= expr <= hi`: a value, then a relation, then the expression.
        var leading: (Double, Relation, Int)?
        if isValueStart(c), relationAfterValue(c) != nil {
            let line = c.peek()?.line ?? startLine
            let v = try parseValue(&c, what: "the range's left side")
            guard case .relation(let r)? = c.next()?.token else { throw error(line, "expected a relation") }
            leading = (v, r, line)
        }
        let row = rowLower.count
        var terms: [(Int, Double)] = []
        _ = try parseExpression(&c, constants: false, quadratic: false, into: &terms)
        for (j, v) in terms { triplets.append((row, j, v)) }
        guard !terms.isEmpty else {
            throw error(c.peek()?.line ?? startLine, "\(label.map { "constraint '\($0)'" } ?? "a constraint") has no terms")
        }
        guard let relationToken = c.next() else { throw error(c.endLine, "the constraint ends without a relation and right-hand side") }
        guard case .relation(let relation) = relationToken.token else {
            throw error(relationToken.line, "expected <=, >= or = before \(describe(relationToken.token))")
        }
        let rhs = try parseValue(&c, what: "the right-hand side")
        var lo = -Double.infinity, hi = Double.infinity
        switch relation {
        case .lessEqual: hi = rhs
        case .greaterEqual: lo = rhs
        case .equal:
            guard rhs.isFinite else { throw error(relationToken.line, "an equality with an infinite right-hand side") }
            lo = rhs; hi = rhs
        }
        if let (v, r, line) = leading {
            switch (r, relation) {
            case (.lessEqual, .lessEqual): lo = v
            case (.greaterEqual, .greaterEqual): hi = v
            default: throw error(line, "a range must read lo <= expr <= hi or hi >= expr >= lo")
            }
        }
        if lo > hi { throw error(relationToken.line, "the range is empty (\(lo) > \(hi))") }
        if lo == .infinity || hi == -.infinity { throw error(relationToken.line, "a bound of +inf below or -inf above makes the row infeasible") }
        rowLower.append(lo)
        rowUpper.append(hi)
        rowNames.append(label)
        rowLines.append(startLine)
    }

    func relationAfterValue(_ c: Cursor) -> Relation? {
        var k = 0
        while case .symbol(let s)? = c.peek(k)?.token, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k += 1 }
        if case .relation(let r)? = c.peek(k + 1)?.token { return r }
        return nil
    }

    mutating func parseBound(_ c: inout Cursor) throws(InputError) {
        guard let first = c.peek() else { return }
        let line = first.line
        if isValueStart(c) {
            // v rel x [rel w]
            let v = try parseValue(&c, what: "the bound")
            guard case .relation(let r)? = c.next()?.token else { throw error(line, "expected <=, >= or = after the bound value") }
            guard let t = c.next(), case .name(let word) = t.token else { throw error(line, "expected a variable name in the bound") }
            let j = column(word)
            try apply(j, r.flipped, v, line: line)
            if case .relation(let r2)? = c.peek()?.token {
                c.advance()
                let w = try parseValue(&c, what: "the bound")
                guard r2 == r else { throw error(line, "a double bound must read l <= x <= u") }
                try apply(j, r2, w, line: line)
            }
        } else {
            guard case .name(let word) = first.token else { throw error(line, "expected a bound, not \(describe(first.token))") }
            c.advance()
            let j = column(word)
            if case .name(let w)? = c.peek()?.token, w.lowercased() == "free" {
                c.advance()
                lower[j] = -.infinity
                upper[j] = .infinity
                boundLine[j] = line
                return
            }
            guard case .relation(let r)? = c.next()?.token else { throw error(line, "expected 'free' or a relation after '\(word)'") }
            let v = try parseValue(&c, what: "the bound")
            try apply(j, r, v, line: line)
        }
    }

    /// x r v.
    mutating func apply(_ j: Int, _ r: Relation, _ v: Double, line: Int) throws(InputError) {
        switch r {
        case .lessEqual:
            guard v != -.infinity else { throw error(line, "upper bound -inf on '\(columnNames[j])'") }
            upper[j] = v
        case .greaterEqual:
            guard v != .infinity else { throw error(line, "lower bound +inf on '\(columnNames[j])'") }
            lower[j] = v
        case .equal:
            guard v.isFinite else { throw error(line, "'\(columnNames[j])' fixed at an infinite value") }
            lower[j] = v
            upper[j] = v
        }
        boundLine[j] = line
    }

    func describe(_ t: Token) -> String {
        switch t {
        case .name(let w): return "'\(w)'"
        case .number(let v): return "the number \(MPSWriter.number(v))"
        case .symbol(let s): return "'\(String(decoding: [s], as: UTF8.self))'"
        case .relation(let r): return r == .lessEqual ? "'<='" : r == .greaterEqual ? "'>='" : "'='"
        }
    }

    // MARK: The model

    mutating func build() throws(InputError) -> MPSModel {
        guard sawObjective else { throw error(lastLine, "no Minimize or Maximize section") }
        guard !columnNames.isEmpty else { throw error(objectiveLine, "the problem has no variables") }
        let n = columnNames.count, m = rowLower.count
        for j in 0..<n where binary[j] {
            // Binary: integer in [0, 1], as GLPK and CPLEX read it.
            lower[j] = max(lower[j], 0)
            upper[j] = min(upper[j], 1)
        }
        for j in 0..<n where lower[j] > upper[j] {
            throw error(boundLine[j], "variable '\(columnNames[j])' has lower bound \(MPSWriter.number(lower[j])) above upper bound \(MPSWriter.number(upper[j]))"
                        + (lower[j] == 0 && boundLine[j] != nil ? " (the default lower bound is 0; write -inf <= \(columnNames[j]) <= …)" : ""))
        }
        // Unnamed rows: c<row number>, made unique against the named ones.
        var taken = Set(rowNames.compactMap { $0 })
        var names: [String] = []
        names.reserveCapacity(m)
        var seen = Set<String>()
        for i in 0..<m {
            if let given = rowNames[i] {
                guard seen.insert(given).inserted else { throw error(rowLines[i], "duplicate constraint name '\(given)'") }
                names.append(given)
            } else {
                var candidate = "c\(i + 1)"
                while taken.contains(candidate) { candidate += "_" }
                taken.insert(candidate)
                seen.insert(candidate)
                names.append(candidate)
            }
        }
        let a: SparseMatrix
        do { a = try SparseMatrix(rowCount: m, columnCount: n, triplets: triplets) } catch { throw InputError(file: file, "\(error)") }
        let integers = (0..<n).filter { integer[$0] }
        let lp = try ProblemFileReader.model(file) { () throws(ModelError) in
            try LinearProgram(name: name, sense: sense, objective: cost, objectiveConstant: constant, constraints: a,
                              rowLower: rowLower, rowUpper: rowUpper, columnLower: lower, columnUpper: upper,
                              variableNames: columnNames, constraintNames: names, integerColumns: integers,
                              objectiveName: objectiveName)
        }
        var q: SparseMatrix?
        if !quadratic.isEmpty {
            if let line = firstIntegerLine {
                throw error(line, "integer variables with a quadratic objective (a mixed-integer QP) are not supported")
            }
            do { q = try SparseMatrix(rowCount: n, columnCount: n, triplets: quadratic) } catch { throw InputError(file: file, "\(error)") }
        }
        var notes: [String] = []
        if !integers.isEmpty { notes.append("\(integers.count) integer column\(integers.count == 1 ? "" : "s")") }
        return MPSModel(linearProgram: lp, quadratic: q, notes: notes)
    }
}

private extension Relation {
    /// v r x is x flipped(r) v.
    var flipped: Relation {
        switch self {
        case .lessEqual: return .greaterEqual
        case .greaterEqual: return .lessEqual
        case .equal: return .equal
        }
    }
}

/// Reads a section's tokens.
private struct Cursor {
    let tokens: [Located]
    let endLine: Int
    var position = 0

    var atEnd: Bool { position >= tokens.count }
    func peek(_ ahead: Int = 0) -> Located? { position + ahead < tokens.count ? tokens[position + ahead] : nil }
    mutating func advance(_ count: Int = 1) { position += count }
    mutating func next() -> Located? {
        defer { position += 1 }
        return peek()
    }
    func lineHere(_ fallback: Int) -> Int { peek()?.line ?? (position > 0 && position - 1 < tokens.count ? tokens[position - 1].line : fallback) }
}
