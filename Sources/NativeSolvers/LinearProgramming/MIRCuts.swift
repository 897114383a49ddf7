import LagrangeCore
import LinearAlgebra

/// A variable bound of a continuous column x: x ≤ coefficient·y + constant (upper) or
/// x ≥ coefficient·y + constant (lower), y an integer column, read from a row of two entries.
struct VariableBound: Equatable {
    let integerColumn: Int
    let coefficient: Double
    let constant: Double
}

/// Complemented mixed-integer rounding cuts (c-MIR; Marchand & Wolsey 2001, "Aggregation
/// and mixed integer rounding to solve MIPs", Oper. Res. 49(3)), separated from the
/// problem's own rows at an LP point.
///
/// For each row side written Σ aⱼxⱼ ≤ β (a ≥ side is negated) that is nearly tight at x*:
/// 1. **Bound substitution.** Each continuous xⱼ is replaced by x′ⱼ ≥ 0 measured from the
///    bound nearest x*: a simple bound (x = l + x′, x = u − x′) or a variable bound of a
///    two-entry row (x = c·y + d + x′, x = c·y + d − x′), which moves c·aⱼ onto the
///    integer y — the flow-cover strength on fixed-charge rows. The continuous part is then
///    Σ cⱼx′ⱼ; terms with cⱼ > 0 are dropped (valid: x′ ≥ 0), the others make s ≥ 0.
/// 2. **Complementation.** Each integer xⱼ becomes x′ⱼ = xⱼ − lⱼ or uⱼ − xⱼ (the bound nearest
///    x*, integral because integer bounds are rounded inward), so x′ ∈ ℤ₊.
/// 3. **Rounding.** For δ > 0 and the row Σ a′ⱼx′ⱼ − s ≤ β′, with f₀ = frac(β′/δ) and
///    fⱼ = frac(a′ⱼ/δ), the MIR inequality
///    Σ (⌊a′ⱼ/δ⌋ + max(0, fⱼ − f₀)/(1 − f₀)) x′ⱼ − s/(δ(1 − f₀)) ≤ ⌊β′/δ⌋
///    holds at every point with x′ integral ≥ 0 and s ≥ 0 (Nemhauser & Wolsey 1990).
///    δ is tried at each |a′ⱼ| of an integer strictly inside its bounds at x*, then the best
///    halved up to three times, then the complementation of each such integer is flipped
///    in turn; the most efficacious cut (violation / Euclidean norm) is kept.
/// 4. **Aggregation.** When no cut is found, a continuous column strictly inside its bounds
///    (the farthest from them) is eliminated by adding a multiple of another row containing
///    it (the least slack at x*; a nonnegative multiple of a ≤ side, or of a ≥ side
///    negated; multipliers within [1e-4, 1e4]); up to `maxRows` rows in all.
///
/// The cut is written back in x. Numerical guards: f₀ in [0.01, 0.99] (an f₀ near 0 or 1 may
/// be rounding noise of an integral β′/δ); |β′/δ| ≤ 1e9; coefficients below 1e-6 of the
/// largest are dropped by moving their largest effect over the column's bounds into the
/// right-hand side (an infinite bound rejects the cut), so the range stays within 1e6; the
/// right-hand side is relaxed by 1e-9·(1 + |rhs| + Σ|cⱼxⱼ*|); efficacy at least 1e-4.
struct MIRSeparator {
    let columnCount: Int
    /// The problem's rows, transposed once (column i = row i).
    let rows: SparseMatrix
    /// The problem's matrix by columns (to find the rows that hold a column).
    let columns: SparseMatrix
    let rowLower: [Double]
    let rowUpper: [Double]
    /// Column bounds, integer columns' rounded inward.
    let lower: [Double]
    let upper: [Double]
    let isInteger: [Bool]
    let variableUpper: [[VariableBound]]
    let variableLower: [[VariableBound]]
    /// The most rows one cut aggregates.
    var maxRows = 5
    /// Start rows whose slack at x* exceeds this multiple of their norm are skipped (a cut
    /// from a loose row is rarely violated).
    var maxStartSlack = 0.1
    static let minimumEfficacy = 1e-4

    init(constraints: SparseMatrix, rowLower: [Double], rowUpper: [Double], lower: [Double], upper: [Double], isInteger: [Bool]) {
        columnCount = constraints.columnCount
        columns = constraints
        rows = constraints.transposed()
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.lower = lower
        self.upper = upper
        self.isInteger = isInteger
        var vub = Array(repeating: [VariableBound](), count: constraints.columnCount)
        var vlb = vub
        for i in 0..<constraints.rowCount where rows.columnStarts[i + 1] - rows.columnStarts[i] == 2 {
            let p = rows.columnStarts[i]
            let (j0, v0, j1, v1) = (rows.rowIndices[p], rows.values[p], rows.rowIndices[p + 1], rows.values[p + 1])
            // One continuous x (coefficient a) and one integer y (coefficient b).
            let (x, a, y, b): (Int, Double, Int, Double)
            if !isInteger[j0] && isInteger[j1] { (x, a, y, b) = (j0, v0, j1, v1) } else if isInteger[j0] && !isInteger[j1] {
                (x, a, y, b) = (j1, v1, j0, v0)
            } else { continue }
            guard a != 0, b != 0, lower[y].isFinite, upper[y].isFinite else { continue }
            // a·x + b·y ≤ hi reads x ≤ (−b/a)·y + hi/a when a > 0, x ≥ … when a < 0; the
            // ≥ side the other way round.
            for (side, isUpperSide) in [(rowUpper[i], true), (rowLower[i], false)] where side.isFinite {
                let bound = VariableBound(integerColumn: y, coefficient: -b / a, constant: side / a)
                guard bound.coefficient.isFinite, bound.constant.isFinite else { continue }
                if isUpperSide == (a > 0) { vub[x].append(bound) } else { vlb[x].append(bound) }
            }
        }
        variableUpper = vub
        variableLower = vlb
    }

    /// How a continuous column is measured from a bound: x = base ± x′.
    private enum Substitution {
        case lower(Double), upper(Double)
        case variableLower(VariableBound), variableUpper(VariableBound)
    }

    /// The bound nearest x*ⱼ (variable bounds win ties) and its distance; nil when neither
    /// side has a finite bound.
    private func nearestBound(_ j: Int, _ x: [Double]) -> (Substitution, distance: Double)? {
        var best: (Substitution, distance: Double)?
        func consider(_ s: Substitution, _ value: Double, below: Bool) {
            guard value.isFinite else { return }
            let distance = max(0, below ? x[j] - value : value - x[j])
            if let current = best, distance >= current.distance - 1e-9 * max(1, abs(value)) { return }
            best = (s, distance)
        }
        for vb in variableLower[j] { consider(.variableLower(vb), vb.coefficient * x[vb.integerColumn] + vb.constant, below: true) }
        for vb in variableUpper[j] { consider(.variableUpper(vb), vb.coefficient * x[vb.integerColumn] + vb.constant, below: false) }
        consider(.lower(lower[j]), lower[j], below: true)
        consider(.upper(upper[j]), upper[j], below: false)
        return best
    }

    /// A cut Σ coefficients·x ≤ rhs with its efficacy at x*.
    struct Candidate {
        var columns: [Int]
        var coefficients: [Double]
        var rhs: Double
        var efficacy: Double
    }

    /// The c-MIR cuts at x (the structural columns' values), most efficacious first, at
    /// most `limit`, nearly parallel ones (cosine above 0.98) left out.
    func cuts(at x: [Double], limit: Int) -> [LinearCut] {
        guard limit > 0 else { return [] }
        let activity = columns.multiply(x)
        var candidates: [Candidate] = []
        var scratch = Scratch(columnCount: columnCount), out = Scratch(columnCount: columnCount)
        for i in 0..<rows.columnCount {
            var norm = 0.0
            rows.forEachEntry(inColumn: i) { _, v in norm += v * v }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            for (sign, bound) in [(1.0, rowUpper[i]), (-1.0, -rowLower[i])] where bound.isFinite {
                guard bound - sign * activity[i] <= maxStartSlack * norm else { continue }
                if let cut = separate(startRow: i, sign: sign, x: x, activity: activity, scratch: &scratch, out: &out) { candidates.append(cut) }
            }
        }
        candidates.sort { $0.efficacy > $1.efficacy }
        var chosen: [Candidate] = []
        var dense = Array(repeating: 0.0, count: columnCount)
        for candidate in candidates where chosen.count < limit {
            for (j, c) in zip(candidate.columns, candidate.coefficients) { dense[j] = c }
            let norm = candidate.coefficients.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let parallel = chosen.contains { other in
                var dot = 0.0
                for (j, c) in zip(other.columns, other.coefficients) { dot += c * dense[j] }
                let otherNorm = other.coefficients.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return abs(dot) > 0.98 * norm * otherNorm
            }
            for j in candidate.columns { dense[j] = 0 }
            if !parallel { chosen.append(candidate) }
        }
        // Σ c·x ≤ rhs is the ≥ cut Σ (−c)·x ≥ −rhs.
        return chosen.map { LinearCut(columns: $0.columns, coefficients: $0.coefficients.map { -$0 }, lower: -$0.rhs) }
    }

    /// A dense row over the columns with the list of its nonzero positions, reused.
    struct Scratch {
        var value: [Double]
        /// Whether a column is in `support` (a sum that cancels to 0 stays listed, once:
        /// readers skip zeros).
        var listed: [Bool]
        var support: [Int] = []
        var usedRows: [Int] = []
        init(columnCount: Int) {
            value = Array(repeating: 0, count: columnCount)
            listed = Array(repeating: false, count: columnCount)
        }

        mutating func add(_ j: Int, _ v: Double) {
            if !listed[j] {
                listed[j] = true
                support.append(j)
            }
            value[j] += v
        }

        mutating func clear() {
            for j in support {
                value[j] = 0
                listed[j] = false
            }
            support.removeAll(keepingCapacity: true)
        }
    }

    /// The best cut from the row side sign·aᵢ·x ≤ sign·bound, aggregating further rows while
    /// none is found.
    private func separate(startRow: Int, sign: Double, x: [Double], activity: [Double], scratch: inout Scratch, out: inout Scratch) -> Candidate? {
        scratch.clear()
        scratch.usedRows = [startRow]
        var rhs = sign > 0 ? rowUpper[startRow] : -rowLower[startRow]
        rows.forEachEntry(inColumn: startRow) { j, v in scratch.add(j, sign * v) }
        while true {
            if let cut = roundedCut(row: scratch, rhs: rhs, x: x, out: &out) { return cut }
            guard scratch.usedRows.count < maxRows, aggregate(&scratch, rhs: &rhs, x: x, activity: activity) else { return nil }
        }
    }

    /// Adds to the aggregated row a multiple of another row that eliminates a continuous
    /// column strictly inside its bounds; false when there is none.
    private func aggregate(_ row: inout Scratch, rhs: inout Double, x: [Double], activity: [Double]) -> Bool {
        var targets: [(column: Int, distance: Double)] = []
        for j in row.support where !isInteger[j] && row.value[j] != 0 {
            let distance = nearestBound(j, x)?.distance ?? .infinity
            if distance > 1e-6 * max(1, abs(x[j])) { targets.append((j, distance)) }
        }
        targets.sort { $0.distance > $1.distance || ($0.distance == $1.distance && $0.column < $1.column) }
        for target in targets {
            let j = target.column, aj = row.value[j]
            var best: (row: Int, multiplier: Double, bound: Double, score: Double, length: Int)?
            columns.forEachEntry(inColumn: j) { i, arj in
                guard arj != 0, !row.usedRows.contains(i) else { return }
                let multiplier = -aj / arj
                guard abs(multiplier) >= 1e-4, abs(multiplier) <= 1e4 else { return }
                // A positive multiple of the ≤ side, or a negative one of the ≥ side.
                let bound = multiplier > 0 ? rowUpper[i] : rowLower[i]
                guard bound.isFinite else { return }
                let slack = abs(bound - activity[i]) * abs(multiplier)
                let length = rows.columnStarts[i + 1] - rows.columnStarts[i]
                if let current = best, slack > current.score - 1e-12 && (slack > current.score + 1e-12 || length >= current.length) { return }
                best = (i, multiplier, bound, slack, length)
            }
            guard let pick = best else { continue }
            rows.forEachEntry(inColumn: pick.row) { k, v in row.add(k, pick.multiplier * v) }
            rhs += pick.multiplier * pick.bound
            // The target cancels exactly by construction; its rounding residue is not a term.
            row.value[j] = 0
            row.usedRows.append(pick.row)
            return true
        }
        return false
    }

    /// The transformed row of step 1–2: integer terms over x′ and the continuous s-part.
    private struct Transformed {
        var integers: [(column: Int, coefficient: Double, complemented: Bool, xPrime: Double)] = []
        var continuous: [(column: Int, coefficient: Double, substitution: Substitution)] = []
        /// β with every substitution's constant moved over, except the integers' bounds
        /// (those depend on the complementation, applied in `betaPrime`).
        var beta = 0.0
    }

    private func transform(row: Scratch, rhs: Double, x: [Double]) -> Transformed? {
        var t = Transformed()
        t.beta = rhs
        // Insertion-ordered (a dictionary's own order varies between processes).
        var integerCoefficient: [Int: Double] = [:]
        var integerOrder: [Int] = []
        func addInteger(_ j: Int, _ v: Double) {
            if integerCoefficient[j] == nil { integerOrder.append(j) }
            integerCoefficient[j, default: 0] += v
        }
        for j in row.support {
            let a = row.value[j]
            guard a != 0 else { continue }
            if isInteger[j] { addInteger(j, a); continue }
            guard let (substitution, _) = nearestBound(j, x) else { return nil }
            // a·x = a·base ± a·x′: the base moves to β (its y-part onto y), ±a stays on x′.
            switch substitution {
            case .lower(let l):
                t.beta -= a * l
                t.continuous.append((j, a, substitution))
            case .upper(let u):
                t.beta -= a * u
                t.continuous.append((j, -a, substitution))
            case .variableLower(let vb):
                addInteger(vb.integerColumn, a * vb.coefficient)
                t.beta -= a * vb.constant
                t.continuous.append((j, a, substitution))
            case .variableUpper(let vb):
                addInteger(vb.integerColumn, a * vb.coefficient)
                t.beta -= a * vb.constant
                t.continuous.append((j, -a, substitution))
            }
        }
        for j in integerOrder {
            guard let a = integerCoefficient[j], a != 0 else { continue }
            let (l, u) = (lower[j], upper[j])
            if l == u {
                t.beta -= a * l
                continue
            }
            let complemented: Bool
            if l.isFinite && (!u.isFinite || x[j] - l <= u - x[j]) { complemented = false } else if u.isFinite { complemented = true } else { return nil }
            t.integers.append((j, a, complemented, complemented ? u - x[j] : x[j] - l))
        }
        return t
    }

    /// β′ of the transformed row under its integers' current complementation.
    private func betaPrime(_ t: Transformed) -> Double {
        var beta = t.beta
        for term in t.integers { beta -= term.coefficient * (term.complemented ? upper[term.column] : lower[term.column]) }
        return beta
    }

    /// The MIR cut of the transformed row for δ, in x, with its efficacy at x*.
    private func mirCut(_ t: Transformed, delta: Double, x: [Double], out: inout Scratch) -> Candidate? {
        let scaled = betaPrime(t) / delta
        guard scaled.isFinite, abs(scaled) <= 1e9 else { return nil }
        let down = scaled.rounded(.down), f0 = scaled - down
        guard f0 >= 0.01, f0 <= 0.999 else { return nil }
        out.clear()
        var rhs = down
        for term in t.integers {
            let q = (term.complemented ? -term.coefficient : term.coefficient) / delta
            let qDown = q.rounded(.down)
            let g = qDown + max(0, q - qDown - f0) / (1 - f0)
            guard g != 0 else { continue }
            // g·x′ with x′ = x − l, or u − x.
            if term.complemented {
                out.add(term.column, -g)
                rhs -= g * upper[term.column]
            } else {
                out.add(term.column, g)
                rhs += g * lower[term.column]
            }
        }
        for term in t.continuous where term.coefficient < 0 {
            let h = term.coefficient / (delta * (1 - f0))
            // h·x′ written back in x (and y for a variable bound).
            switch term.substitution {
            case .lower(let l):
                out.add(term.column, h)
                rhs += h * l
            case .upper(let u):
                out.add(term.column, -h)
                rhs -= h * u
            case .variableLower(let vb):
                out.add(term.column, h)
                out.add(vb.integerColumn, -h * vb.coefficient)
                rhs += h * vb.constant
            case .variableUpper(let vb):
                out.add(term.column, -h)
                out.add(vb.integerColumn, h * vb.coefficient)
                rhs -= h * vb.constant
            }
        }
        return safeguarded(out, rhs: rhs, x: x)
    }

    /// Drops tiny coefficients toward the safe side, relaxes the right-hand side, and keeps
    /// the cut only if it is finite and efficacious at x*.
    private func safeguarded(_ cut: Scratch, rhs rhs0: Double, x: [Double]) -> Candidate? {
        var largest = 0.0
        for j in cut.support { largest = max(largest, abs(cut.value[j])) }
        guard largest > 0, largest.isFinite, rhs0.isFinite else { return nil }
        var rhs = rhs0
        var columns: [Int] = [], coefficients: [Double] = []
        for j in cut.support.sorted() {
            let c = cut.value[j]
            guard c != 0 else { continue }
            if abs(c) < 1e-6 * largest {
                // Σ_kept ≤ rhs − c·xⱼ holds for all xⱼ in bounds if rhs grows by max(−c·xⱼ).
                let worst = c > 0 ? -c * lower[j] : -c * upper[j]
                guard worst.isFinite else { return nil }
                rhs += worst
                continue
            }
            columns.append(j)
            coefficients.append(c)
        }
        guard !columns.isEmpty else { return nil }
        var lhs = 0.0, norm = 0.0, magnitude = 0.0
        for (j, c) in zip(columns, coefficients) {
            lhs += c * x[j]
            norm += c * c
            magnitude += abs(c * x[j])
        }
        rhs += 1e-9 * (1 + abs(rhs) + magnitude)
        norm = norm.squareRoot()
        let violation = lhs - rhs
        guard violation >= Self.minimumEfficacy * norm, violation >= 1e-6 * (1 + abs(rhs)) else { return nil }
        return Candidate(columns: columns, coefficients: coefficients, rhs: rhs, efficacy: violation / norm)
    }

    /// Steps 2–3 on one aggregated row: the most efficacious δ and complementation.
    private func roundedCut(row: Scratch, rhs: Double, x: [Double], out: inout Scratch) -> Candidate? {
        guard var t = transform(row: row, rhs: rhs, x: x) else { return nil }
        // Integers strictly inside their bounds at x*: their coefficients are the δ tried.
        let inside = t.integers.indices.filter { k in
            let term = t.integers[k]
            return term.xPrime > 1e-6 && term.xPrime < upper[term.column] - lower[term.column] - 1e-6
        }
        var deltas: [Double] = []
        for k in inside {
            let d = abs(t.integers[k].coefficient)
            if d > 1e-6 && !deltas.contains(where: { abs($0 - d) <= 1e-9 * d }) { deltas.append(d) }
            if deltas.count == 8 { break }
        }
        guard !deltas.isEmpty else { return nil }
        var best: (cut: Candidate, delta: Double)?
        for delta in deltas {
            if let cut = mirCut(t, delta: delta, x: x, out: &out), cut.efficacy > (best?.cut.efficacy ?? 0) { best = (cut, delta) }
        }
        guard var found = best else { return nil }
        let base = found.delta
        for divisor in [2.0, 4.0, 8.0] {
            if let cut = mirCut(t, delta: base / divisor, x: x, out: &out), cut.efficacy > found.cut.efficacy { found = (cut, base / divisor) }
        }
        // Flip the complementation of the inside integers nearest their middle first.
        let order = inside.filter { lower[t.integers[$0].column].isFinite && upper[t.integers[$0].column].isFinite }.sorted { a, b in
            let ta = t.integers[a], tb = t.integers[b]
            let da = abs(x[ta.column] - (lower[ta.column] + upper[ta.column]) / 2)
            let db = abs(x[tb.column] - (lower[tb.column] + upper[tb.column]) / 2)
            return da < db || (da == db && a < b)
        }
        for k in order {
            t.integers[k].complemented.toggle()
            if let cut = mirCut(t, delta: found.delta, x: x, out: &out), cut.efficacy > found.cut.efficacy {
                found.cut = cut
            } else {
                t.integers[k].complemented.toggle()
            }
        }
        return found.cut
    }
}
