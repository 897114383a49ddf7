import LagrangeCore
import LinearAlgebra

/// Writes CPLEX LP format (`.lp`), which ``CPLEXLPReader`` reads back to the same problem.
///
/// Layout: `Minimize`/`Maximize` with the objective row (`obj:` or the program's objective
/// name), a quadratic part as `[ … ] / 2` and the constant c₀ as a trailing number;
/// `Subject To` with one named row each (`lo <= … <= hi` for a range, `>= -inf` for a free
/// row); `Bounds` for every column whose bounds are not the default [0, +inf); `Generals`
/// for integer columns (with their bounds written out, never `Binary`); `End`. Numbers are
/// in their shortest round-trip form, so they read back bit for bit.
///
/// What changes on the way back (the meaning does not):
/// - Names that the format cannot carry are rewritten (invalid characters become `_`, `[`
///   and `]` become `(` and `)`, a leading digit, period or `e`-number and a section keyword
///   get a `_` prefix) and made unique with a numeric suffix.
/// - Columns are created by the reader in order of first appearance: columns with a nonzero
///   cost first, in order, then the others as the rows mention them. A column that appears
///   nowhere else is declared with a `0` cost.
/// - An empty row is written as `0 x` with the first column (read back as an explicit zero).
///
/// GLPK's `glp_read_lp` reads this output unless it has ranged rows (GLPK writes those with
/// slack columns), a quadratic part or an objective constant (GLPK keeps c₀ only in a comment).
public enum CPLEXLPWriter {
    /// CPLEX LP text for `lp`, with `quadratic` (the full symmetric Q of ½xᵀQx) as its
    /// objective's quadratic part when given.
    public static func write(_ lp: LinearProgram, quadratic: SparseMatrix? = nil) -> String {
        let n = lp.columnCount, m = lp.rowCount
        let columns = uniqueNames(lp.variableNames, fallback: "x")
        let rows = uniqueNames(lp.constraintNames, fallback: "c")
        let objectiveName = uniqueNames([lp.objectiveName], fallback: "obj", taken: Set(rows))[0]
        var out = ""
        out.reserveCapacity(24 * (lp.constraints.nonzeroCount + n + m) + 256)
        if !lp.name.isEmpty { out += "\\ Problem name: \(lp.name.split(whereSeparator: \.isNewline).joined(separator: " "))\n" }
        out += lp.sense == .minimize ? "Minimize\n" : "Maximize\n"

        // Objective: nonzero costs, and a 0 for columns no row mentions (declares them).
        let a = lp.constraints
        var line = Line(into: &out, start: " \(objectiveName):")
        var wrote = false
        for j in 0..<n where lp.objective[j] != 0 || a.columnStarts[j] == a.columnStarts[j + 1] {
            line.term(lp.objective[j], columns[j], &out)
            wrote = true
        }
        if let q = quadratic, q.nonzeroCount > 0 {
            // [ Σ Qᵢᵢ xᵢ² + Σ_{i<j} 2Qᵢⱼ xᵢxⱼ ] / 2 = ½xᵀQx.
            line.text(" + [", &out)
            var first = true
            for j in 0..<min(n, q.columnCount) {
                q.forEachEntry(inColumn: j) { i, v in
                    guard i <= j, v != 0 else { return }
                    let coefficient = i == j ? v : 2 * v
                    let product = i == j ? "\(columns[i]) ^ 2" : "\(columns[i]) * \(columns[j])"
                    line.text((first ? (coefficient < 0 ? " -" : "") : (coefficient < 0 ? " -" : " +"))
                              + " \(MPSWriter.number(abs(coefficient))) \(product)", &out)
                    first = false
                }
            }
            line.text(" ] / 2", &out)
            wrote = true
        }
        if lp.objectiveConstant != 0 {
            line.text(" \(lp.objectiveConstant < 0 ? "-" : "+") \(MPSWriter.number(abs(lp.objectiveConstant)))", &out)
        } else if !wrote {
            line.term(0, columns[0], &out)
        }
        out += "\n"

        if m > 0 {
            out += "Subject To\n"
            let rowMajor = a.transposed()
            for i in 0..<m {
                let lo = lp.rowLower[i], hi = lp.rowUpper[i]
                let ranged = lo.isFinite && hi.isFinite && lo != hi
                var row = Line(into: &out, start: " \(rows[i]):" + (ranged ? " \(MPSWriter.number(lo)) <=" : ""))
                var any = false
                rowMajor.forEachEntry(inColumn: i) { j, v in
                    row.term(v, columns[j], &out)
                    any = true
                }
                if !any { row.term(0, columns[0], &out) }
                if lo == hi {
                    out += " = \(MPSWriter.number(lo))\n"
                } else if ranged {
                    out += " <= \(MPSWriter.number(hi))\n"
                } else if hi.isFinite {
                    out += " <= \(MPSWriter.number(hi))\n"
                } else if lo.isFinite {
                    out += " >= \(MPSWriter.number(lo))\n"
                } else {
                    out += " >= -inf\n"
                }
            }
        }

        var bounds = ""
        for j in 0..<n {
            let lo = lp.columnLower[j], hi = lp.columnUpper[j], c = columns[j]
            switch (lo, hi) {
            case (0, .infinity): continue
            case (-.infinity, .infinity): bounds += " \(c) free\n"
            case _ where lo == hi: bounds += " \(c) = \(MPSWriter.number(lo))\n"
            case (_, .infinity): bounds += " \(c) >= \(MPSWriter.number(lo))\n"
            case (-.infinity, _): bounds += " -inf <= \(c) <= \(MPSWriter.number(hi))\n"
            default: bounds += " \(MPSWriter.number(lo)) <= \(c) <= \(MPSWriter.number(hi))\n"
            }
        }
        if !bounds.isEmpty { out += "Bounds\n" + bounds }
        if !lp.integerColumns.isEmpty {
            out += "Generals\n"
            var list = Line(into: &out, start: "")
            for j in lp.integerColumns { list.text(" \(columns[j])", &out) }
            out += "\n"
        }
        out += "End\n"
        return out
    }

    /// One logical line, wrapped every few terms (a continuation starts with a sign or a
    /// name the writer made safe, never with a section keyword).
    private struct Line {
        private var count = 0
        init(into out: inout String, start: String) { out += start }
        mutating func term(_ v: Double, _ name: String, _ out: inout String) {
            let magnitude = abs(v) == 1 ? "" : "\(MPSWriter.number(abs(v))) "
            text(" \(v.sign == .minus ? "-" : "+") \(magnitude)\(name)", &out)
        }
        mutating func text(_ s: String, _ out: inout String) {
            if count > 0 && count % 8 == 0 { out += "\n   " }
            count += 1
            out += s
        }
    }

    /// Words a reader may take for a section header or a bound keyword at a line's start.
    static let keywords: Set<String> = [
        "minimize", "maximize", "minimum", "maximum", "min", "max", "subject", "such", "st", "s.t.", "st.",
        "bounds", "bound", "general", "generals", "gen", "integer", "integers", "binary", "binaries", "bin",
        "end", "free", "inf", "infinity", "semi", "semis", "semi-continuous", "sos",
    ]

    /// Characters CPLEX LP allows in names besides letters and digits.
    static let nameSymbols = Set("!\"#$%&()/,.;?@_`'{}|~")

    /// Names the format can carry, unique, in the same order.
    static func uniqueNames(_ names: [String], fallback: String, taken: Set<String> = []) -> [String] {
        var seen = taken
        var out: [String] = []
        out.reserveCapacity(names.count)
        for (k, name) in names.enumerated() {
            var candidate = safeName(name, fallback: "\(fallback)\(k + 1)")
            if !seen.insert(candidate).inserted {
                var suffix = 2
                while !seen.insert("\(candidate)_\(suffix)").inserted { suffix += 1 }
                candidate = "\(candidate)_\(suffix)"
            }
            out.append(candidate)
        }
        return out
    }

    static func safeName(_ name: String, fallback: String) -> String {
        if name.isEmpty { return fallback }
        var s = String(name.map { c -> Character in
            if c == "[" { return "(" }
            if c == "]" { return ")" }
            return (c.isASCII && (c.isLetter || c.isNumber)) || nameSymbols.contains(c) ? c : "_"
        })
        let b = Array(s.utf8)
        let eNumber = (b[0] == UInt8(ascii: "e") || b[0] == UInt8(ascii: "E")) && b.count > 1
            && (b[1].isDigit || b[1] == UInt8(ascii: "e") || b[1] == UInt8(ascii: "E"))
        if b[0].isDigit || b[0] == UInt8(ascii: ".") || eNumber || keywords.contains(s.lowercased()) { s = "_" + s }
        // CPLEX's limit on name length.
        if s.utf8.count > 255 { s = String(decoding: s.utf8.prefix(240), as: UTF8.self) + "_" + fallback }
        return s
    }
}

extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
}
