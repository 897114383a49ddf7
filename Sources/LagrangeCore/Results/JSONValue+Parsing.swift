import Foundation

extension JSONValue {
    /// Why a JSON text could not be read: the byte offset and what was wrong.
    package struct ParseError: Error, CustomStringConvertible {
        package var offset: Int
        package var message: String
        package var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Parses one JSON value (RFC 8259). Integers without a fraction or exponent that fit
    /// Int64 become ``integer(_:)``, other numbers ``number(_:)`` (correctly rounded), so a
    /// line this type wrote reads back to the same value and serializes to the same text.
    package static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw ParseError(offset: parser.index, message: "text after the value") }
        return value
    }

    /// A member of an object, or nil.
    package subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    package var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// A number or an integer as a Double.
    package var doubleValue: Double? {
        switch self {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(offset: index, message: message) }

        mutating func expect(_ literal: String, _ value: JSONValue) throws(ParseError) -> JSONValue {
            let utf8 = Array(literal.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else { throw fail("expected \(literal)") }
            index += utf8.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < 512 else { throw fail("nested too deeply") }
            guard index < bytes.count else { throw fail("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var object: [String: JSONValue] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    index += 1
                    skipSpace()
                    object[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end in an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
                    throw fail("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var array: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
                while true {
                    skipSpace()
                    array.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end in an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
                    throw fail("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            default: return try number()
            }
        }

        mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            var integral = true
            while index < bytes.count {
                let b = bytes[index]
                if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
                    index += 1
                } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                    integral = false
                    index += 1
                } else {
                    break
                }
            }
            guard index > start, let text = String(bytes: bytes[start..<index], encoding: .utf8) else { throw fail("expected a value") }
            if integral, let i = Int64(text) { return .integer(i) }
            guard let d = Double(text), d.isFinite else { throw ParseError(offset: start, message: "not a number: \(text)") }
            return .number(d)
        }

        mutating func string() throws(ParseError) -> String {
            index += 1  // the opening quote
            var scalars = String.UnicodeScalarView()
            var pendingHigh: UInt32?
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") { index += 1; return String(scalars) }
                if b == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else { break }
                    let escape = bytes[index + 1]
                    index += 2
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{c}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count, let hex = String(bytes: bytes[index..<index + 4], encoding: .utf8),
                              let code = UInt32(hex, radix: 16) else { throw fail("bad \\u escape") }
                        index += 4
                        if (0xD800..<0xDC00).contains(code) { pendingHigh = code; continue }
                        if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                            pendingHigh = nil
                            if let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) { scalars.append(s) }
                            continue
                        }
                        guard let s = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
                        scalars.append(s)
                    default: throw fail("bad escape")
                    }
                    continue
                }
                // A UTF-8 sequence: copy it whole.
                var length = 1
                if b >= 0xF0 { length = 4 } else if b >= 0xE0 { length = 3 } else if b >= 0xC0 { length = 2 }
                guard index + length <= bytes.count, let s = String(bytes: bytes[index..<index + length], encoding: .utf8) else { throw fail("invalid UTF-8") }
                scalars.append(contentsOf: s.unicodeScalars)
                index += length
            }
            throw fail("unterminated string")
        }
    }
}
