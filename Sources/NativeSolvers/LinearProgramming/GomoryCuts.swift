import LagrangeCore
import LinearAlgebra

/// A cut Σ coefficient·x ≥ lower on the structural columns, valid for every integer point.
struct LinearCut {
    var columns: [Int]
    var coefficients: [Double]
    var lower: Double
}

extension SimplexEngine {
    /// Gomory mixed-integer cuts (Gomory 1960; the form of Cornuéjols 2007, "Valid
    /// inequalities for mixed integer linear programs", §2.3) from the rows of the current
    /// optimal tableau whose basic variable is an integer column at a fractional value.
    ///
    /// In the engine's form [A −I](x, w) = 0 a tableau row reads x_B + Σ α_j x_j = 0 over the
    /// nonbasic j. Each nonbasic variable is shifted to its bound (y_j = x_j − l_j, or u_j − x_j
    /// at the upper bound, so y ≥ 0; a free nonbasic variable makes the row unusable), the
    /// GMI inequality Σ g_j y_j ≥ 1 is formed (integer y_j: the structural integer columns,
    /// whose bounds the caller has rounded; slacks and continuous columns count as
    /// continuous, which is always valid), and it is written back in x, a slack w_i through
    /// its row aᵢᵀx. Numerical guards keep only cuts that are safe to trust: the basic
    /// value's fractional part in [0.005, 0.995], a coefficient range within 1e6 (smaller
    /// coefficients are dropped by moving their largest effect over the column's bounds
    /// into the right-hand side; an unbounded column rejects the cut), a right-hand side
    /// relaxed by 1e-9 relative, and a violation of at least 1e-4 of the cut's norm.
    mutating func gomoryCuts(isInteger: [Bool], limit: Int) -> [LinearCut] {
        var candidates: [(row: Int, score: Double)] = []
        for k in 0..<m {
            let j = basis[k]
            guard j < n, isInteger[j] else { continue }
            let f = value[j] - value[j].rounded(.down)
            if f >= 0.005 && f <= 0.995 { candidates.append((k, min(f, 1 - f))) }
        }
        candidates.sort { $0.score > $1.score }
        var cuts: [(cut: LinearCut, efficacy: Double)] = []
        var rho = Array(repeating: 0.0, count: m)
        var dense = Array(repeating: 0.0, count: n)
        let rows = a.transposed()
        for candidate in candidates.prefix(limit * Self.gomoryCandidateFactor) {
            let k = candidate.row
            let basic = basis[k]
            let f0 = value[basic] - value[basic].rounded(.down)
            for i in 0..<m { rho[i] = 0 }
            rho[k] = 1
            factor.solveTransposed(&rho)
            for j in 0..<n { dense[j] = 0 }
            var rightHandSide = 1.0
            var usable = true
            for j in 0..<(n + m) where position[j] < 0 && lower[j] != upper[j] {
                let alpha = j >= n ? -rho[j - n] : structuralDot(j, rho)
                if abs(alpha) < 1e-11 { continue }
                let atLower = value[j] == lower[j], atUpper = value[j] == upper[j]
                guard atLower || atUpper else { usable = false; break }
                // Coefficient of y_j in the row x_B + Σ a'_j y_j = β.
                let shifted = atLower ? alpha : -alpha
                let g: Double
                if j < n && isInteger[j] {
                    let fj = shifted - shifted.rounded(.down)
                    g = fj <= f0 ? fj / f0 : (1 - fj) / (1 - f0)
                } else {
                    g = shifted >= 0 ? shifted / f0 : -shifted / (1 - f0)
                }
                if g == 0 { continue }
                // g·y_j in x: y = x − l (at lower) or u − x (at upper); a slack is its row.
                let sign: Double = atLower ? 1 : -1
                let bound = atLower ? lower[j] : upper[j]
                rightHandSide += sign * g * bound
                if j < n {
                    dense[j] += sign * g
                } else {
                    let i = j - n
                    for p in rows.columnStarts[i]..<rows.columnStarts[i + 1] { dense[rows.rowIndices[p]] += sign * g * rows.values[p] }
                }
            }
            guard usable, rightHandSide.isFinite else { continue }
            if let cut = safeguarded(dense: dense, rightHandSide: rightHandSide) { cuts.append((cut, efficacy(of: cut))) }
        }
        return Self.selectDiverse(cuts, limit: limit)
    }

    /// How many fractional rows, per cut wanted, ``gomoryCuts(isInteger:limit:)`` turns into
    /// cuts before it selects.
    static let gomoryCandidateFactor = 5

    /// A cut's efficacy: its violation at the current point over its norm, the distance the
    /// cut moves the LP optimum's half-space.
    func efficacy(of cut: LinearCut) -> Double {
        var activity = 0.0, norm = 0.0
        for (j, c) in zip(cut.columns, cut.coefficients) { activity += c * value[j]; norm += c * c }
        return norm > 0 ? (cut.lower - activity) / norm.squareRoot() : 0
    }

    /// The `limit` most effective cuts, skipping one nearly parallel (cosine above
    /// `maximumParallelism`) to a cut already taken. Why: the most fractional rows of a
    /// degenerate tableau (10teams: hundreds of basic binaries at one half) give many
    /// near-copies of one cut, and which of the tied rows came first decided the root bound;
    /// SCIP and HiGHS select by efficacy with the same kind of parallelism filter.
    static func selectDiverse(_ cuts: [(cut: LinearCut, efficacy: Double)], limit: Int,
                              maximumParallelism: Double = 0.95) -> [LinearCut] {
        let ranked = cuts.enumerated().sorted {
            $0.element.efficacy != $1.element.efficacy ? $0.element.efficacy > $1.element.efficacy : $0.offset < $1.offset
        }
        var chosen: [(columns: [Int: Double], norm: Double, cut: LinearCut)] = []
        for (_, candidate) in ranked where chosen.count < limit {
            let cut = candidate.cut
            var entries: [Int: Double] = [:]
            var norm = 0.0
            for (j, c) in zip(cut.columns, cut.coefficients) { entries[j] = c; norm += c * c }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            let parallel = chosen.contains { other in
                var dot = 0.0
                for (j, c) in entries { if let d = other.columns[j] { dot += c * d } }
                return dot / (norm * other.norm) > maximumParallelism
            }
            if !parallel { chosen.append((entries, norm, cut)) }
        }
        return chosen.map(\.cut)
    }

    /// Drops tiny coefficients conservatively, rejects badly scaled or barely violated cuts.
    private func safeguarded(dense: [Double], rightHandSide lower0: Double) -> LinearCut? {
        let largest = dense.map(abs).max() ?? 0
        guard largest > 0 else { return nil }
        var rhs = lower0
        var columns: [Int] = [], coefficients: [Double] = []
        for j in 0..<n where dense[j] != 0 {
            let c = dense[j]
            if abs(c) < 1e-6 * largest {
                // Σ_{kept} ≥ rhs − c·x_j holds for every x_j in bounds if rhs drops by max(c·x_j).
                let worst = c > 0 ? c * upper[j] : c * lower[j]
                guard worst.isFinite else { return nil }
                rhs -= worst
                continue
            }
            columns.append(j)
            coefficients.append(c)
        }
        guard !columns.isEmpty else { return nil }
        rhs -= 1e-9 * max(1, abs(rhs))
        var activity = 0.0, norm = 0.0
        for (j, c) in zip(columns, coefficients) { activity += c * value[j]; norm += c * c }
        norm = norm.squareRoot()
        guard rhs - activity >= 1e-4 * norm else { return nil }
        return LinearCut(columns: columns, coefficients: coefficients, lower: rhs)
    }
}
