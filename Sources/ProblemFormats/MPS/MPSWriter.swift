import LagrangeCore
import LinearAlgebra

/// Writes free-format MPS (QPS with a quadratic part).
///
/// ``MPSReader`` reads the text back to an equal ``LinearProgram``: the same names, sense,
/// c₀ (written as RHS −c₀ on the objective row), matrix (explicit zeros included), row and
/// column bounds, and integer columns (as MARKER INTORG / INTEND blocks). Numbers are written
/// in their shortest round-trip form, so values come back bit for bit. Ranged rows are
/// written with an RHS and a RANGES value chosen so that the reader's rhs ± |R| reproduces
/// the bounds exactly. That always works for bounds an MPS file produced (rhs ± R) and
/// almost always otherwise; for rare pairs no double R exists (upper − lower needs more
/// precision than a double has, e.g. [2⁻⁵³, 1 + 2⁻⁵²]) and the bound the reader computes
/// may then differ by one ulp.
///
/// What MPS cannot carry, and so does not round-trip:
/// - Names with whitespace or empty names (free format splits at whitespace): whitespace is
///   written as `_` and an empty name as `_`. The problem name is written after NAME and
///   reads back trimmed.
/// - Finite bounds or RHS with |v| ≥ 1e30, which MPS readers take as infinite.
/// - An objective row name that is also a constraint name: a fresh name is used.
/// - `integerColumns` out of order or repeated: they read back sorted and unique.
public enum MPSWriter {
    /// Free-format MPS text that MPSReader reads back to an identical LinearProgram (same names, bounds, sense, c0, matrix, integer markers).
    ///
    /// - Parameter quadratic: the full symmetric Q (n × n) of a QP objective ½xᵀQx + cᵀx + c₀;
    ///   its lower triangle is written as a QUADOBJ section. Entries outside n × n are skipped.
    public static func write(_ lp: LinearProgram, quadratic: SparseMatrix? = nil) -> String {
        let n = lp.columnCount, m = lp.rowCount
        var out = ""
        out.reserveCapacity(64 * (lp.constraints.nonzeroCount / 2 + n + m) + 256)

        let objectiveName = freshObjectiveName(lp)
        let names = lp.constraintNames.map(sanitize)
        let columns = lp.variableNames.map(sanitize)

        out += lp.name.isEmpty ? "NAME\n" : "NAME          \(lp.name.split(whereSeparator: \.isNewline).joined(separator: " "))\n"
        if lp.sense == .maximize { out += "OBJSENSE\n    MAX\n" }

        // Row types and the RHS / RANGES that reproduce each row's bounds.
        var types = [Character](repeating: "E", count: m)
        var rhs = [Double](repeating: 0, count: m)
        var ranges: [(row: Int, value: Double)] = []
        for i in 0..<m {
            let lo = lp.rowLower[i], hi = lp.rowUpper[i]
            if lo == hi {
                types[i] = "E"; rhs[i] = lo
            } else if lo == -.infinity && hi == .infinity {
                types[i] = "L"; rhs[i] = 1e30  // read back as +infinity: a free constraint row
            } else if lo == -.infinity {
                types[i] = "L"; rhs[i] = hi
            } else if hi == .infinity {
                types[i] = "G"; rhs[i] = lo
            } else {
                let r = rangeFor(lower: lo, upper: hi)
                types[i] = r.type; rhs[i] = r.rhs
                ranges.append((i, r.range))
            }
        }

        out += "ROWS\n N  \(objectiveName)\n"
        for i in 0..<m { out += " \(types[i])  \(names[i])\n" }

        out += "COLUMNS\n"
        let integer = Set(lp.integerColumns)
        var inIntegerBlock = false
        let a = lp.constraints
        for j in 0..<n {
            if integer.contains(j) != inIntegerBlock {
                inIntegerBlock.toggle()
                out += inIntegerBlock ? "    MARKER    'MARKER'    'INTORG'\n" : "    MARKER    'MARKER'    'INTEND'\n"
            }
            // Pairs of (row, value), two per line; the objective entry first.
            var pairs: [(String, Double)] = []
            if lp.objective[j] != 0 || a.columnStarts[j] == a.columnStarts[j + 1] {
                pairs.append((objectiveName, lp.objective[j]))  // a column with no entries still needs a line
            }
            a.forEachEntry(inColumn: j) { i, v in pairs.append((names[i], v)) }
            var k = 0
            while k < pairs.count {
                var line = "    \(pad(columns[j], 10))  \(pad(pairs[k].0, 10))  \(number(pairs[k].1))"
                if k + 1 < pairs.count {
                    line = pad(line, 40) + "  \(pad(pairs[k + 1].0, 10))  \(number(pairs[k + 1].1))"
                }
                out += line
                out += "\n"
                k += 2
            }
        }
        if inIntegerBlock { out += "    MARKER    'MARKER'    'INTEND'\n" }

        var rhsLines: [(String, Double)] = []
        if lp.objectiveConstant != 0 { rhsLines.append((objectiveName, -lp.objectiveConstant)) }
        for i in 0..<m where rhs[i] != 0 { rhsLines.append((names[i], rhs[i])) }
        if !rhsLines.isEmpty {
            out += "RHS\n"
            for (row, v) in rhsLines { out += "    RHS       \(pad(row, 10))  \(number(v))\n" }
        }
        if !ranges.isEmpty {
            out += "RANGES\n"
            for (i, v) in ranges { out += "    RNG       \(pad(names[i], 10))  \(number(v))\n" }
        }

        var bounds = ""
        for j in 0..<n {
            let lo = lp.columnLower[j], hi = lp.columnUpper[j]
            let c = columns[j]
            if lo == hi {
                bounds += " FX BND       \(pad(c, 10))  \(number(lo))\n"
            } else if lo == -.infinity && hi == .infinity {
                bounds += " FR BND       \(c)\n"
            } else {
                // Lower first: the reader's negative-UP rule only applies while the lower
                // bound is still the default.
                if lo == -.infinity {
                    bounds += " MI BND       \(c)\n"
                } else if lo != 0 {
                    bounds += " LO BND       \(pad(c, 10))  \(number(lo))\n"
                }
                if hi != .infinity { bounds += " UP BND       \(pad(c, 10))  \(number(hi))\n" }
            }
        }
        if !bounds.isEmpty { out += "BOUNDS\n" + bounds }

        if let q = quadratic {
            out += "QUADOBJ\n"
            for j in 0..<min(n, q.columnCount) {
                q.forEachEntry(inColumn: j) { i, v in
                    if i >= j && i < n { out += "    \(pad(columns[j], 10))  \(pad(columns[i], 10))  \(number(v))\n" }
                }
            }
        }
        out += "ENDATA\n"
        return out
    }

    /// A row type, RHS and range R with the reader's rhs ± |R| giving exactly [lower, upper].
    ///
    /// The bound computed from the other is the one of larger magnitude, so R's rounding
    /// step is no coarser than that bound's; a few ulps around upper − lower are tried.
    static func rangeFor(lower lo: Double, upper hi: Double) -> (type: Character, rhs: Double, range: Double) {
        let base = hi - lo
        var candidates: [Double] = [base]
        var up = base, down = base
        for _ in 0..<8 {
            up = up.nextUp
            down = down.nextDown
            candidates.append(up)
            if down > 0 { candidates.append(down) }
        }
        // G row: upper = rhs + R.  L row: lower = rhs − R. Keep the nearest miss in case no
        // candidate is exact.
        let gFirst = abs(hi) >= abs(lo)
        var best: (type: Character, rhs: Double, range: Double) = (gFirst ? "G" : "L", gFirst ? lo : hi, base)
        var bestMiss = Double.infinity
        for form in gFirst ? ["G", "L"] : ["L", "G"] as [Character] {
            for r in candidates where r.isFinite && r > 0 {
                let miss = form == "G" ? abs((lo + r) - hi) / hi.ulp : abs((hi - r) - lo) / lo.ulp  // in ulps
                if miss == 0 { return (form, form == "G" ? lo : hi, r) }
                if miss < bestMiss {
                    bestMiss = miss
                    best = (form, form == "G" ? lo : hi, r)
                }
            }
        }
        return best
    }

    /// Shortest text that reads back to the same Double ("1", "0.1", "1e-05", "-0").
    static func number(_ v: Double) -> String {
        var s = "\(v)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    private static func sanitize(_ name: String) -> String {
        if name.isEmpty { return "_" }
        guard name.contains(where: { $0.isWhitespace }) else { return name }
        return String(name.map { $0.isWhitespace ? "_" : $0 })
    }

    private static func freshObjectiveName(_ lp: LinearProgram) -> String {
        let taken = Set(lp.constraintNames.map(sanitize))
        var candidate = sanitize(lp.objectiveName)
        var k = 1
        while taken.contains(candidate) {
            candidate = "\(sanitize(lp.objectiveName))_\(k)"
            k += 1
        }
        return candidate
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        let count = s.count
        return count >= width ? s : s + String(repeating: " ", count: width - count)
    }
}
