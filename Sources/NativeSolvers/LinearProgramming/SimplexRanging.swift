import LagrangeCore
import LinearAlgebra

/// Sensitivity ranging (``RangingDetails``) of an optimal basis of the original,
/// unpresolved LP, computed the way GLPK computes it so that the two can be compared:
/// `glp_analyze_coef` for the objective ranges of basic columns, `glp_print_ranges`' rule for
/// nonbasic ones, `glp_analyze_bound` for the right-hand-side ranges of nonbasic rows.
///
/// The basis is factored afresh on the problem as given (``SimplexEngine``'s bounded form
/// Ax − w = 0, in its minimization form), so presolve and the engine's internal state play
/// no part. With W = [A −I] and z = (x, w), a basis B gives z_B = −B⁻¹N z_N: the column of
/// the simplex table for a nonbasic variable k is −B⁻¹W_k, the row for the basic variable in
/// position p is −ρᵀN with ρ = B⁻ᵀe_p. Reduced costs are d = c − Wᵀπ, π = B⁻ᵀc_B.
///
/// - Objective, basic column in position p (dual ratio test, GLPK's `glp_dual_rtest` with its
///   absolute pivot tolerance 1e-9): changing c_j by δ changes each nonbasic reduced cost to
///   d_k + δ·α_pk (α_p the table row), and the basis stays optimal while every d_k keeps the
///   sign its bound needs (≥ 0 at a lower bound, ≤ 0 at an upper one, = 0 when free; fixed
///   ones never limit). The first d_k to reach zero ends the range, at
///   c_j − d_k/α_pk; ratios made negative by a d_k a hair on the wrong side count as zero,
///   and ties go to the larger |α_pk| (GLPK's rule, which only changes the name reported).
/// - Right-hand side, nonbasic row i (primal ratio test, `glp_prim_rtest`): moving its
///   active bound by t moves the basic variables along the table column, z_B(t) = z_B + t·α;
///   the first to reach one of its bounds ends the range, at w_i + (bound − z_p)/α_p.
///
/// For a maximization the engine minimizes −cᵀx; a range [lo, hi] of the negated cost is
/// [−hi, −lo] of the user's cost, with the limiting names swapped with it.
enum SimplexRanging {
    /// GLPK's tolerance on table entries in both ratio tests (absolute).
    static let pivotTolerance = 1e-9
    /// How far a basic value (relative to max(1, |bound|)) or a reduced cost (relative to
    /// max(1, largest |c_j|)) may sit on the wrong side before the basis is not taken as
    /// optimal for `lp` (a basis mapped back through presolve may not be).
    static let optimalityTolerance = 1e-7

    /// The ranges of `lp` at `basis`; nil when `basis` is not an optimal basis of `lp` (not
    /// exactly one basic variable per row, singular, or primal or dual infeasible beyond
    /// ``optimalityTolerance``).
    static func compute(_ lp: LinearProgram, basis details: BasisDetails) -> RangingDetails? {
        let n = lp.columnCount, m = lp.rowCount
        guard details.columnStatus.count == n, details.rowStatus.count == m, details.basicCount == m else { return nil }
        let sense: Double = lp.sense == .minimize ? 1 : -1
        var engine = SimplexEngine(RowBoundLP(minimizing: lp), constant: 0, sense: sense)
        engine.start(from: details)
        if m > 0 {
            do { try engine.refactorRepairingSingularity(shouldStop: nil) } catch { return nil }
            guard engine.repairs == 0 else { return nil }
        }
        engine.recomputeBasicValues()
        var d = Array(repeating: 0.0, count: n + m), pi = Array(repeating: 0.0, count: m)
        engine.computeReducedCosts(&d, pi: &pi)

        let costScale = max(1, engine.cost.map(abs).max() ?? 0)
        for j in engine.basis {
            let slack = optimalityTolerance
            if engine.value[j] < engine.lower[j] - slack * max(1, abs(engine.lower[j])) { return nil }
            if engine.value[j] > engine.upper[j] + slack * max(1, abs(engine.upper[j])) { return nil }
        }
        guard engine.isDualFeasible(d, tolerance: optimalityTolerance * costScale) else { return nil }

        let names = lp.variableNames + lp.constraintNames
        var objective: [RangingDetails.Range] = []
        objective.reserveCapacity(n)
        for j in 0..<n {
            let p = engine.position[j]
            if p < 0 {
                objective.append(RangingDetails.nonbasicColumnRange(
                    cost: lp.objective[j], reducedCost: sense * d[j], status: engine.nonbasicStatus(j),
                    sense: lp.sense, name: names[j]))
                continue
            }
            let row = engine.tableRow(position: p)
            let cost = engine.cost[j]
            // Minimization form: [lower end, upper end] of the negated-or-not cost.
            let down = engine.dualRatioTest(row: row, reducedCosts: d, decreasing: true)
            let up = engine.dualRatioTest(row: row, reducedCosts: d, decreasing: false)
            let low = down.map { cost - d[$0] / row[$0] } ?? -.infinity
            let high = up.map { cost - d[$0] / row[$0] } ?? .infinity
            let lowName = down.map { names[$0] }, highName = up.map { names[$0] }
            objective.append(sense > 0
                ? RangingDetails.Range(low: low, high: high, lowLimit: lowName, highLimit: highName)
                : RangingDetails.Range(low: -high, high: -low, lowLimit: highName, highLimit: lowName))
        }

        var rhs: [RangingDetails.Range] = []
        rhs.reserveCapacity(m)
        for i in 0..<m {
            let k = n + i
            if engine.position[k] >= 0 {
                rhs.append(RangingDetails.basicRowRange(activity: engine.value[k], lower: lp.rowLower[i],
                                                        upper: lp.rowUpper[i], name: names[k]))
                continue
            }
            let column = engine.tableColumn(k)
            func end(_ increasing: Bool) -> (Double, String?) {
                guard let p = engine.primalRatioTest(column: column, increasing: increasing) else {
                    return (increasing ? .infinity : -.infinity, nil)
                }
                let j = engine.basis[p], rate = column[p]
                // Toward the lower bound when the basic variable falls as the bound moves.
                let falls = increasing ? rate < 0 : rate > 0
                let delta = (falls ? engine.lower[j] : engine.upper[j]) - engine.value[j]
                return (engine.value[k] + delta / rate, names[j])
            }
            let (low, lowName) = end(false), (high, highName) = end(true)
            rhs.append(RangingDetails.Range(low: low, high: high, lowLimit: lowName, highLimit: highName))
        }
        return RangingDetails(objective: objective, rhs: rhs, columnNames: lp.variableNames, rowNames: lp.constraintNames)
    }
}

extension SimplexEngine {
    /// GLPK's status of a nonbasic variable (values sit exactly on a bound after
    /// ``start(from:)``).
    func nonbasicStatus(_ j: Int) -> BasisStatus {
        if lower[j] == upper[j] { return .fixed }
        if value[j] == lower[j] { return .atLower }
        if value[j] == upper[j] { return .atUpper }
        return .free
    }

    /// Row p of the simplex table over all variables (zero on basic ones): −ρᵀW_k with
    /// ρ = B⁻ᵀe_p, i.e. −ρᵀa_k for a column and ρ_i for the slack of row i.
    mutating func tableRow(position p: Int) -> [Double] {
        var rho = Array(repeating: 0.0, count: m)
        rho[p] = 1
        factor.solveTransposed(&rho)
        var row = Array(repeating: 0.0, count: n + m)
        for k in 0..<(n + m) where position[k] < 0 {
            row[k] = k >= n ? rho[k - n] : -structuralDot(k, rho)
        }
        return row
    }

    /// The simplex table's column of the nonbasic variable k, by basis position: −B⁻¹W_k,
    /// i.e. −B⁻¹a_k for a column and B⁻¹e_i for the slack of row i.
    mutating func tableColumn(_ k: Int) -> [Double] {
        var column = Array(repeating: 0.0, count: m)
        if k >= n {
            column[k - n] = 1
        } else {
            for p in a.columnStarts[k]..<a.columnStarts[k + 1] { column[a.rowIndices[p]] = -a.values[p] }
        }
        factor.solve(&column)
        return column
    }

    /// `glp_dual_rtest` in the minimization form: the nonbasic variable whose reduced cost
    /// reaches zero first as the cost of the basic variable with table row `row` decreases
    /// (or increases); nil when none does.
    func dualRatioTest(row: [Double], reducedCosts d: [Double], decreasing: Bool) -> Int? {
        let tolerance = SimplexRanging.pivotTolerance
        var best: Int?, bestRatio = Double.infinity, bestSize = 0.0
        for k in 0..<(n + m) where position[k] < 0 && row[k] != 0 {
            // d_k changes by δ·row[k]; decreasing the cost (δ < 0), a variable at its lower
            // bound (d_k ≥ 0) is limited by row[k] > 0, one at its upper bound by row[k] < 0.
            let alpha = decreasing ? row[k] : -row[k]
            var ratio: Double
            switch nonbasicStatus(k) {
            case .fixed, .basic: continue
            case .atLower:
                if alpha < tolerance { continue }
                ratio = d[k] / alpha
            case .atUpper:
                if alpha > -tolerance { continue }
                ratio = d[k] / alpha
            case .free:
                if abs(alpha) < tolerance { continue }
                ratio = 0
            }
            if ratio < 0 { ratio = 0 }
            if ratio < bestRatio || (ratio == bestRatio && abs(alpha) > bestSize) {
                best = k
                bestRatio = ratio
                bestSize = abs(alpha)
            }
        }
        return best
    }

    /// `glp_prim_rtest`: the basis position whose variable reaches a bound first as the
    /// nonbasic variable with table column `column` increases (or decreases); nil when none
    /// does.
    func primalRatioTest(column: [Double], increasing: Bool) -> Int? {
        let tolerance = SimplexRanging.pivotTolerance
        var best: Int?, bestRatio = Double.infinity, bestSize = 0.0
        for p in 0..<m where column[p] != 0 {
            let j = basis[p]
            let alpha = increasing ? column[p] : -column[p]
            let lo = lower[j], hi = upper[j], x = value[j]
            var ratio: Double
            if lo == hi {
                if abs(alpha) < tolerance { continue }
                ratio = 0
            } else if alpha < 0 {
                if !lo.isFinite || alpha > -tolerance { continue }
                ratio = (lo - x) / alpha
            } else {
                if !hi.isFinite || alpha < tolerance { continue }
                ratio = (hi - x) / alpha
            }
            if ratio < 0 { ratio = 0 }
            if ratio < bestRatio || (ratio == bestRatio && abs(alpha) > bestSize) {
                best = p
                bestRatio = ratio
                bestSize = abs(alpha)
            }
        }
        return best
    }
}

