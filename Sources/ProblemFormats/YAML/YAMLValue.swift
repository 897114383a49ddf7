import LagrangeCore
import Yams

/// A node of a YAML problem file, with its location, and typed accessors whose errors
/// name the file, line and column.
package struct YAMLValue {
    package let node: Node
    package let file: String
    /// What the value is (e.g. "key 'A'", "A[2][3]"), for messages.
    package let label: String

    package init(node: Node, file: String, label: String) {
        self.node = node
        self.file = file
        self.label = label
    }

    package var line: Int? { node.mark?.line }
    package var column: Int? { node.mark?.column }

    /// An error located at this value.
    package func error(_ message: String) -> InputError {
        InputError(file: file, line: line, column: column, "\(label): \(message)")
    }

    /// Whether the value is YAML null (`~`, `null`, empty).
    package var isNull: Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A finite or infinite number. Accepts YAML floats (`.inf`, `-.inf`) and the strings
    /// `inf`, `+inf`, `-inf`, `infinity`. NaN is rejected; `allowInfinite: false` rejects ±inf.
    package func number(allowInfinite: Bool = false) throws(InputError) -> Double {
        guard case .scalar(let s) = node else { throw error("expected a number, found \(kindName)") }
        let text = s.string.trimmingCharacters(in: .whitespaces)
        let value: Double?
        switch text.lowercased() {
        case ".inf", "inf", "+inf", "+.inf", "infinity", "+infinity": value = .infinity
        case "-.inf", "-inf", "-infinity": value = -.infinity
        case ".nan", "nan": throw error("NaN is not allowed")
        default: value = Double(text.replacingOccurrences(of: "_", with: ""))
        }
        guard let v = value else { throw error("expected a number, found '\(text)'") }
        if !v.isFinite && !allowInfinite { throw error("must be finite, found '\(text)'") }
        return v
    }

    /// An integer (a number with no fraction, within Int's range).
    package func integer() throws(InputError) -> Int {
        let v = try number()
        guard v == v.rounded(), abs(v) < 9.0e15 else { throw error("expected an integer, found \(v)") }
        return Int(v)
    }

    package func string() throws(InputError) -> String {
        guard case .scalar(let s) = node else { throw error("expected text, found \(kindName)") }
        return s.string
    }

    package func bool() throws(InputError) -> Bool {
        guard case .scalar(let s) = node else { throw error("expected true or false, found \(kindName)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(s.string)'")
        }
    }

    /// The items of a sequence.
    package func array() throws(InputError) -> [YAMLValue] {
        guard case .sequence(let seq) = node else { throw error("expected a list, found \(kindName)") }
        return seq.enumerated().map { YAMLValue(node: $0.element, file: file, label: "\(label)[\($0.offset + 1)]") }
    }

    /// The entries of a mapping, in file order, with string keys.
    package func mapping() throws(InputError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let map) = node else { throw error("expected a mapping (key: value), found \(kindName)") }
        var out: [(key: String, value: YAMLValue)] = []
        for (k, v) in map {
            guard case .scalar(let ks) = k else {
                throw InputError(file: file, line: k.mark?.line, column: k.mark?.column, "\(label): keys must be plain text")
            }
            out.append((ks.string, YAMLValue(node: v, file: file, label: "'\(ks.string)'")))
        }
        return out
    }

    package var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    package var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    package var isScalar: Bool { if case .scalar = node { return true } else { return false } }

    /// A list of numbers.
    package func numbers(allowInfinite: Bool = false) throws(InputError) -> [Double] {
        var out: [Double] = []
        for item in try array() { out.append(try item.number(allowInfinite: allowInfinite)) }
        return out
    }

    /// A list of numbers, or one number broadcast to `count` entries.
    package func numbers(broadcastTo count: Int, allowInfinite: Bool = false) throws(InputError) -> [Double] {
        if isScalar { return Array(repeating: try number(allowInfinite: allowInfinite), count: count) }
        let v = try numbers(allowInfinite: allowInfinite)
        guard v.count == count else { throw error("has \(v.count) entries, expected \(count)") }
        return v
    }

    /// A rectangular matrix given as a list of rows.
    package func matrixRows() throws(InputError) -> [[Double]] {
        let rows = try array()
        var out: [[Double]] = []
        for row in rows {
            let r = try row.numbers()
            if let first = out.first, first.count != r.count {
                throw row.error("has \(r.count) entries but the first row has \(first.count)")
            }
            out.append(r)
        }
        return out
    }

    package func strings() throws(InputError) -> [String] {
        var out: [String] = []
        for item in try array() { out.append(try item.string()) }
        return out
    }

    /// A list of names, each given once: a repeated name is an error at its line (names
    /// key the solution, so a repeat would show one value under two entries).
    package func uniqueStrings() throws(InputError) -> [String] {
        var out: [String] = []
        var seen: [String: Int] = [:]
        for (k, item) in try array().enumerated() {
            let name = try item.string()
            if let first = seen[name] { throw item.error("'\(name)' appears twice (items \(first + 1) and \(k + 1)); names must be unique") }
            seen[name] = k
            out.append(name)
        }
        return out
    }

    var kindName: String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

import Foundation
