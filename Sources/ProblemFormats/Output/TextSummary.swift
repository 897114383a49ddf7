import LagrangeCore

/// The human-readable summary printed by `lagrange solve --format text`.
package enum TextSummary {
    /// How many variables and duals to list (largest in magnitude first).
    package static let listedEntries = 10

    package static func render(_ r: SolveResult) -> String {
        var lines: [String] = []
        lines.append("\(r.problemName)  [\(r.kind.rawValue)]  solver \(r.solverID)")
        var table: [(String, String)] = [
            ("status", r.status.rawValue + (r.rawStatus.isEmpty ? "" : "  (\(r.rawStatus))")),
            ("objective", r.objective.map(format) ?? "—"),
            ("iterations", String(r.iterations)),
            ("time", formatSeconds(r.seconds)),
        ]
        if let seed = r.seed { table.append(("seed", String(seed))) }
        if let k = r.kkt {
            table.append(("kkt residuals", "primal \(format(k.primalInfeasibility))  dual \(format(k.dualInfeasibility))  compl. \(format(k.complementarity))"))
        }
        if let check = r.certificateCheck, !check.measures.isEmpty {
            let what = check.passed ? "\(check.claimed.rawValue) verified" : "\(check.claimed.rawValue) rejected"
            let measures = check.measures.map { "\($0.name) \(format($0.value))" }.joined(separator: "  ")
            table.append(("check", "\(what): \(measures)"))
        }
        if let certificate = r.certificate {
            table.append(("certificate", "\(certificate.kind.rawValue) (\(certificate.vector.count) entries)"))
        }
        let width = table.map(\.0.count).max() ?? 0
        for (key, value) in table { lines.append("  " + pad(key, width) + "  " + value) }
        for d in r.details { for line in d.summaryLines { lines.append("  " + line) } }
        if !r.primal.isEmpty {
            lines.append(contentsOf: listing(title: "variables", names: r.variableNames, values: r.primal))
        }
        if let duals = r.duals, !duals.isEmpty {
            lines.append(contentsOf: listing(title: "duals (shadow prices)", names: r.constraintNames, values: duals))
        }
        for note in r.notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func listing(title: String, names: [String], values: [Double]) -> [String] {
        let order = values.indices.sorted { abs(values[$0]) > abs(values[$1]) || (abs(values[$0]) == abs(values[$1]) && $0 < $1) }
        let shown = order.prefix(listedEntries).sorted()
        let more = values.count - shown.count
        var out = ["  \(title)" + (more > 0 ? " (largest \(shown.count) of \(values.count))" : "") + ":"]
        let width = shown.map { names[$0].count }.max() ?? 0
        for i in shown { out.append("    " + pad(names[i], width) + "  " + format(values[i])) }
        return out
    }

    static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

    /// Up to 10 significant digits, without noise like 2.0000000000000004.
    package static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "—" : (v > 0 ? "inf" : "-inf") }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let a = abs(v)
        if a >= 1e-4 && a < 1e10 {
            var s = String(format10(v))
            if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
            return s
        }
        return formatScientific(v)
    }

    static func formatSeconds(_ s: Double) -> String {
        s < 1 ? "\(format(round4(s * 1000))) ms" : "\(format(round4(s))) s"
    }

    package static func round4(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let digits = 4 - Int((log10Abs(x)).rounded(.down)) - 1
        let scale = pow10(digits)
        return (x * scale).rounded() / scale
    }
}

// Formatting without Foundation's String(format:), which is slow and locale-dependent.
private func pow10(_ k: Int) -> Double {
    var r = 1.0
    if k >= 0 { for _ in 0..<k { r *= 10 } } else { for _ in 0..<(-k) { r /= 10 } }
    return r
}

private func log10Abs(_ x: Double) -> Double {
    var a = abs(x), e = 0.0
    while a >= 10 { a /= 10; e += 1 }
    while a < 1 { a *= 10; e -= 1 }
    return e
}

/// v with 10 significant digits in fixed notation.
private func format10(_ v: Double) -> String {
    let e = Int(log10Abs(v))
    let decimals = max(0, 9 - e)
    let scale = pow10(decimals)
    let scaled = (abs(v) * scale).rounded()
    guard scaled < 9.0e18 else { return "\(v)" }
    var digits = String(Int64(scaled))
    if decimals > 0 {
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return (v < 0 ? "-" : "") + digits
}

private func formatScientific(_ v: Double) -> String {
    let e = Int(log10Abs(v))
    var mantissa = v / pow10(e)
    mantissa = (mantissa * 1e6).rounded() / 1e6
    var m = "\(mantissa)"
    if m.contains(".") { while m.hasSuffix("0") { m.removeLast() }; if m.hasSuffix(".") { m.removeLast() } }
    return "\(m)e\(e)"
}
