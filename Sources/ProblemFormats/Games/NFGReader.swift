import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads Gambit strategic-form files (`.nfg`) of two-player constant-sum games.
///
/// Both versions of the format are read:
///
///     NFG 1 R "title" { "Player 1" "Player 2" } { 2 3 }        payoff version: counts,
///     "optional comment"
///     u1 u2  u1 u2  …                                          then u1 u2 per profile
///
///     NFG 1 R "title" { "P1" "P2" } { { "a" "b" } { "x" "y" "z" } }   outcome version:
///     ""                                                              strategy names,
///     { { "o1" 1, -1 } { "o2" -1, 1 } … }                             outcomes,
///     1 2 0 …                                                         outcome per profile (0: none)
///
/// Profiles are listed with player 1's strategy changing fastest. Numbers may be integers,
/// decimals or rationals `p/q`. Player 1 chooses the row, player 2 the column. The payoffs
/// must sum to one constant c in every profile (a zero-sum game when c = 0); anything else
/// is an error saying the game is not zero-sum. The matrix is player 2's payoff, which in
/// a zero-sum game is what player 1 pays player 2 (Lagrange's convention); for c ≠ 0
/// player 1 receives c − A[i][j] and the value is player 2's expected payoff.
///
/// Reference: the Gambit documentation, "The strategic game (.nfg) file format".
package enum NFGReader {
    /// A parsed two-player constant-sum game.
    package struct Game: Sendable, Equatable {
        package var title: String
        package var playerNames: [String]
        package var rowNames: [String]?
        package var columnNames: [String]?
        /// Player 2's payoffs, rows = player 1's strategies.
        package var payoff: DenseMatrix
        /// u1 + u2 in every profile.
        package var constantSum: Double
    }

    /// Reads a file.
    package static func read(_ path: String) throws(InputError) -> Game {
        try parse(try TextFile.read(path), path: path)
    }

    /// Parses the text of a file; `path` is used in messages.
    package static func parse(_ text: String, path: String) throws(InputError) -> Game {
        var parser = Parser(tokens: try tokenize(text, path: path), path: path)
        return try parser.game()
    }

    // MARK: Tokens

    enum TokenKind: Equatable {
        case open, close
        case string(String)
        case word(String)
    }

    struct Token {
        var kind: TokenKind
        var line: Int
        var column: Int
    }

    static func tokenize(_ text: String, path: String) throws(InputError) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var k = 0, line = 1, lineStart = 0
        while k < bytes.count {
            let b = bytes[k]
            let column = k - lineStart + 1
            switch b {
            case UInt8(ascii: "\n"):
                line += 1
                k += 1
                lineStart = k
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ","):
                k += 1
            case UInt8(ascii: "{"):
                tokens.append(Token(kind: .open, line: line, column: column)); k += 1
            case UInt8(ascii: "}"):
                tokens.append(Token(kind: .close, line: line, column: column)); k += 1
            case UInt8(ascii: "\""):
                var value: [UInt8] = []
                let startLine = line
                k += 1
                var closed = false
                while k < bytes.count {
                    let c = bytes[k]
                    if c == UInt8(ascii: "\\"), k + 1 < bytes.count { value.append(bytes[k + 1]); k += 2; continue }
                    if c == UInt8(ascii: "\"") { closed = true; k += 1; break }
                    if c == UInt8(ascii: "\n") { line += 1; lineStart = k + 1 }
                    value.append(c)
                    k += 1
                }
                guard closed else { throw InputError(file: path, line: startLine, column: column, "unterminated quoted text") }
                tokens.append(Token(kind: .string(String(decoding: value, as: UTF8.self)), line: startLine, column: column))
            default:
                let start = k
                while k < bytes.count, !" \t\r\n,{}\"".utf8.contains(bytes[k]) { k += 1 }
                tokens.append(Token(kind: .word(String(decoding: bytes[start..<k], as: UTF8.self)), line: line, column: column))
            }
        }
        return tokens
    }

    /// A number: integer, decimal (with exponent) or rational p/q.
    static func number(_ text: String) -> Double? {
        if let slash = text.firstIndex(of: "/") {
            guard let p = Double(text[..<slash]), let q = Double(text[text.index(after: slash)...]), q != 0 else { return nil }
            let v = p / q
            return v.isFinite ? v : nil
        }
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    // MARK: Parser

    struct Parser {
        let tokens: [Token]
        let path: String
        var position = 0

        var atEnd: Bool { position >= tokens.count }
        var peek: Token? { atEnd ? nil : tokens[position] }

        func error(_ message: String, at token: Token? = nil) -> InputError {
            let t = token ?? (atEnd ? tokens.last : tokens[position])
            return InputError(file: path, line: t?.line, column: t?.column, message)
        }

        func describe(_ t: Token?) -> String {
            guard let t else { return "the end of the file" }
            switch t.kind {
            case .open: return "'{'"
            case .close: return "'}'"
            case .string(let s): return "\"\(s)\""
            case .word(let w): return "'\(w)'"
            }
        }

        mutating func next(_ what: String) throws(InputError) -> Token {
            guard let t = peek else { throw error("expected \(what), found the end of the file") }
            position += 1
            return t
        }

        mutating func expect(_ kind: TokenKind, _ what: String) throws(InputError) {
            let t = try next(what)
            guard t.kind == kind else { throw error("expected \(what), found \(describe(t))", at: t) }
        }

        mutating func string(_ what: String) throws(InputError) -> String {
            let t = try next(what)
            guard case .string(let s) = t.kind else { throw error("expected \(what) in double quotes, found \(describe(t))", at: t) }
            return s
        }

        mutating func number(_ what: String) throws(InputError) -> (Double, Token) {
            let t = try next(what)
            guard case .word(let w) = t.kind, let v = NFGReader.number(w) else {
                throw error("expected \(what) (a number), found \(describe(t))", at: t)
            }
            return (v, t)
        }

        /// Quoted names up to the closing brace (the opening one already read).
        mutating func names(_ what: String) throws(InputError) -> [String] {
            var out: [String] = []
            while true {
                guard let t = peek else { throw error("expected '}' closing the \(what)") }
                if t.kind == .close { position += 1; return out }
                let name = try string(what)
                if out.contains(name) { throw error("'\(name)' appears twice in the \(what); names must be unique", at: t) }
                out.append(name)
            }
        }

        mutating func game() throws(InputError) -> Game {
            let head = try next("'NFG'")
            guard head.kind == .word("NFG") else { throw error("not a Gambit strategic-form file: expected 'NFG' first, found \(describe(head))", at: head) }
            let version = try next("the format version")
            guard version.kind == .word("1") else { throw error("unsupported NFG version \(describe(version)); expected 1", at: version) }
            let precision = try next("'R' or 'D'")
            guard precision.kind == .word("R") || precision.kind == .word("D") else {
                throw error("expected 'R' (rational) or 'D' (decimal), found \(describe(precision))", at: precision)
            }
            let title = try string("the title")
            try expect(.open, "'{' opening the player names")
            let playersToken = peek
            let players = try names("player names")
            guard players.count == 2 else {
                throw error("the game has \(players.count) players; a matrix game needs exactly 2", at: playersToken)
            }
            try expect(.open, "'{' opening the strategy counts or names")
            var counts: [Int] = []
            var strategyNames: [[String]]? = nil
            if peek?.kind == .open {
                var lists: [[String]] = []
                while peek?.kind == .open {
                    position += 1
                    lists.append(try names("strategy names"))
                }
                try expect(.close, "'}' closing the strategy names")
                guard lists.count == 2 else { throw error("strategy names are given for \(lists.count) players, expected 2") }
                strategyNames = lists
                counts = lists.map(\.count)
            } else {
                while let t = peek, t.kind != .close {
                    let (v, token) = try number("a strategy count")
                    guard v == v.rounded(), v >= 1, v <= 1e9 else { throw error("strategy count \(v) must be a positive integer", at: token) }
                    counts.append(Int(v))
                }
                try expect(.close, "'}' closing the strategy counts")
                guard counts.count == 2 else { throw error("\(counts.count) strategy counts for 2 players") }
            }
            let rows = counts[0], columns = counts[1]
            guard rows >= 1, columns >= 1 else { throw error("every player needs at least one strategy") }
            let (profiles, overflow) = rows.multipliedReportingOverflow(by: columns)
            guard !overflow, profiles <= 100_000_000 else { throw error("\(rows)×\(columns) strategies is too large a game") }
            if case .string = peek?.kind { position += 1 } // the optional comment

            var u1 = [Double](), u2 = [Double](), where_ = [Token]()
            if peek?.kind == .open {
                // Outcome version: { { "name" p1 p2 } … } then one outcome index per profile.
                position += 1
                var outcomes: [(Double, Double)] = []
                while peek?.kind == .open {
                    let start = tokens[position]
                    position += 1
                    if case .string = peek?.kind { position += 1 }
                    var pay: [Double] = []
                    while let t = peek, t.kind != .close {
                        pay.append(try number("an outcome payoff").0)
                    }
                    try expect(.close, "'}' closing an outcome")
                    guard pay.count == 2 else { throw error("outcome \(outcomes.count + 1) has \(pay.count) payoffs, expected 2 (one per player)", at: start) }
                    outcomes.append((pay[0], pay[1]))
                }
                try expect(.close, "'}' closing the outcome list")
                while !atEnd {
                    let (v, token) = try number("an outcome number")
                    guard v == v.rounded(), v >= 0, v <= Double(outcomes.count) else {
                        throw error("outcome number \(v) is not between 0 and \(outcomes.count)", at: token)
                    }
                    let o = Int(v)
                    u1.append(o == 0 ? 0 : outcomes[o - 1].0)
                    u2.append(o == 0 ? 0 : outcomes[o - 1].1)
                    where_.append(token)
                    guard u1.count <= profiles else { throw error("more outcome numbers than the \(profiles) strategy profiles", at: token) }
                }
                guard u1.count == profiles else { throw error("\(u1.count) outcome numbers for \(profiles) strategy profiles (\(rows)×\(columns))") }
            } else {
                while !atEnd {
                    let (a, token) = try number("a payoff")
                    let (b, _) = try number("player 2's payoff (payoffs come in pairs)")
                    u1.append(a)
                    u2.append(b)
                    where_.append(token)
                    guard u1.count <= profiles else { throw error("more payoffs than the \(profiles) strategy profiles (\(rows)×\(columns), 2 payoffs each)", at: token) }
                }
                guard u1.count == profiles else {
                    throw error("\(2 * u1.count) payoffs for \(profiles) strategy profiles; expected \(2 * profiles) (\(rows)×\(columns), 2 payoffs each)")
                }
            }

            // Constant sum, and player 2's payoff as the matrix (player 1 fastest: k = i + rows·j).
            let scale = max(1, u1.map(abs).max() ?? 0, u2.map(abs).max() ?? 0)
            let constant = u1[0] + u2[0]
            var matrix = DenseMatrix(rows: rows, columns: columns)
            for k in 0..<profiles {
                let i = k % rows, j = k / rows
                let sum = u1[k] + u2[k]
                if abs(sum - constant) > 1e-9 * scale {
                    throw error("not a zero-sum game: the payoffs at (row \(i + 1), column \(j + 1)) sum to \(sum) but at (row 1, column 1) to \(constant); a matrix game needs u1 + u2 to be the same in every profile",
                                at: where_[k])
                }
                matrix[i, j] = u2[k]
            }
            func named(_ list: [String]?, _ prefix: String) -> [String]? {
                guard let list else { return nil }
                return list.enumerated().map { $0.element.isEmpty ? "\(prefix)\($0.offset + 1)" : $0.element }
            }
            return Game(title: title, playerNames: players, rowNames: named(strategyNames?[0], "r"),
                        columnNames: named(strategyNames?[1], "c"), payoff: matrix, constantSum: constant)
        }
    }
}
