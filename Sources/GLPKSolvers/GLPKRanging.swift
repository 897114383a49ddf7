import CGLPK
import CGLPKShim
import LagrangeCore

/// `glpk.simplex`'s sensitivity ranging (``RangingDetails``) of the optimal basis GLPK ended
/// with: `glp_analyze_coef` (coef1, coef2) for the objective ranges of basic columns,
/// `glp_print_ranges`' rule (from the reduced cost `glp_get_col_dual`) for nonbasic ones,
/// `glp_analyze_bound` (value1, value2) for the right-hand-side ranges of nonbasic rows,
/// and ``RangingDetails/basicRowRange(activity:lower:upper:name:)`` for basic rows. GLPK's
/// ±DBL_MAX ends become ±infinity.
///
/// GLPK aborts on a violated precondition, so each one it documents is checked first: an
/// optimal basic solution (primal and dual status `GLP_FEAS`), a basis factorization
/// (`glp_factorize` when `glp_bf_exists` says there is none, e.g. after GLPK's presolver),
/// the variable's number in range, and a basic variable for `glp_analyze_coef`, a nonbasic
/// one for `glp_analyze_bound`. The calls still run guarded (its internal assertions);
/// a guarded failure throws and leaves the problem object freed.
struct GLPKRanging {
    let lp: LinearProgram
    let prob: OpaquePointer
    let terminal: GLPKTerminal

    /// The ranges; nil when GLPK's solution is not an optimal basic one or its basis cannot
    /// be factored.
    func compute() throws -> RangingDetails? {
        let m = lp.rowCount, n = lp.columnCount
        guard Int(glp_get_num_rows(prob)) == m, Int(glp_get_num_cols(prob)) == n,
              glp_get_prim_stat(prob) == GLP_FEAS, glp_get_dual_stat(prob) == GLP_FEAS else { return nil }
        if m > 0 && glp_bf_exists(prob) == 0 {
            let code = try terminal.guarded("glpk.simplex") { lagrange_glp_factorize_guarded(prob, $0) }
            guard code == 0, glp_bf_exists(prob) != 0 else { return nil }
        }
        func name(_ k: Int32) -> String? {
            guard k > 0 else { return nil }
            return Int(k) <= m ? lp.constraintNames[Int(k) - 1] : lp.variableNames[Int(k) - m - 1]
        }
        func finite(_ v: Double) -> Double {
            v >= .greatestFiniteMagnitude ? .infinity : v <= -.greatestFiniteMagnitude ? -.infinity : v
        }
        /// A range from GLPK's two ends and the variables limiting them (GLPK's ±DBL_MAX is ±∞).
        func limited(_ a: Double, _ varA: Int32, _ b: Double, _ varB: Int32) -> RangingDetails.Range {
            let low = finite(a), high = finite(b)
            return RangingDetails.Range(low: low, high: high, lowLimit: low.isFinite ? name(varA) : nil,
                                        highLimit: high.isFinite ? name(varB) : nil)
        }

        var objective: [RangingDetails.Range] = []
        objective.reserveCapacity(n)
        for j in 0..<n {
            let k = Int32(m + j + 1)
            let stat = glp_get_col_stat(prob, Int32(j + 1))
            if stat != GLP_BS {
                objective.append(RangingDetails.nonbasicColumnRange(
                    cost: lp.objective[j], reducedCost: glp_get_col_dual(prob, Int32(j + 1)),
                    status: GLPKSimplexRun.basisStatus(stat), sense: lp.sense, name: lp.variableNames[j]))
                continue
            }
            var coef1 = 0.0, coef2 = 0.0, var1: Int32 = 0, var2: Int32 = 0
            try terminal.guarded("glpk.simplex") { lagrange_glp_analyze_coef_guarded(prob, k, &coef1, &var1, &coef2, &var2, $0) }
            objective.append(limited(coef1, var1, coef2, var2))
        }

        var rhs: [RangingDetails.Range] = []
        rhs.reserveCapacity(m)
        for i in 0..<m {
            let k = Int32(i + 1)
            if glp_get_row_stat(prob, k) == GLP_BS {
                rhs.append(RangingDetails.basicRowRange(activity: glp_get_row_prim(prob, k), lower: lp.rowLower[i],
                                                        upper: lp.rowUpper[i], name: lp.constraintNames[i]))
                continue
            }
            var value1 = 0.0, value2 = 0.0, var1: Int32 = 0, var2: Int32 = 0
            try terminal.guarded("glpk.simplex") { lagrange_glp_analyze_bound_guarded(prob, k, &value1, &var1, &value2, &var2, $0) }
            rhs.append(limited(value1, var1, value2, var2))
        }
        return RangingDetails(objective: objective, rhs: rhs, columnNames: lp.variableNames, rowNames: lp.constraintNames)
    }
}
