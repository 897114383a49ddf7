import CGLPK
import LagrangeCore
import LinearAlgebra

/// Loads a ``LinearProgram`` into a GLPK problem object through the API (never
/// `glp_read_mps`, whose objective-constant sign differs from the project's).
///
/// GLPK calls `abort()` on invalid API use, so everything is checked here first:
/// dimensions against GLPK's limits, index ranges and order, finiteness and magnitude of
/// every number, and bound order. A problem that passes cannot make the calls below abort.
enum GLPKModel {
    /// GLPK's own limits (M_MAX, N_MAX, NNZ_MAX in its sources), also kept inside `Int32`.
    static let maxRows = 100_000_000
    static let maxColumns = 100_000_000
    static let maxNonzeros = 500_000_000
    /// Larger finite numbers overflow inside GLPK's scaling and factorization; refuse them
    /// rather than let an internal assertion abort the process.
    static let maxMagnitude = 1e100
    /// Nonzero entries smaller than this make `glp_scale_prob` compute a scale factor that
    /// underflows to 0, and GLPK aborts the process (`glp_set_sjj: invalid scale factor`).
    static let minScalableMagnitude = 1e-100

    /// Whether `glp_scale_prob` can run on `lp` without reaching GLPK's abort path.
    static func isSafeToScale(_ lp: LinearProgram) -> Bool {
        for v in lp.constraints.values where v != 0 && abs(v) < minScalableMagnitude { return false }
        return true
    }

    /// Checks that `lp` can be handed to GLPK. Throws ``SolverError/unsupported(_:)`` naming
    /// the offending row or column.
    static func validate(_ lp: LinearProgram) throws(SolverError) {
        let m = lp.rowCount, n = lp.columnCount, a = lp.constraints
        guard n >= 1 else { throw .unsupported("GLPK needs at least one variable") }
        guard m <= maxRows else { throw .unsupported("\(m) rows exceed GLPK's limit of \(maxRows)") }
        guard n <= maxColumns else { throw .unsupported("\(n) columns exceed GLPK's limit of \(maxColumns)") }
        guard a.nonzeroCount <= maxNonzeros else {
            throw .unsupported("\(a.nonzeroCount) nonzeros exceed GLPK's limit of \(maxNonzeros)")
        }
        guard lp.objective.count == n, lp.rowLower.count == m, lp.rowUpper.count == m,
              lp.columnLower.count == n, lp.columnUpper.count == n,
              lp.variableNames.count == n, lp.constraintNames.count == m,
              a.columnStarts.count == n + 1, a.rowIndices.count == a.values.count
        else { throw .unsupported("inconsistent problem dimensions") }

        func checkNumber(_ v: Double, _ what: @autoclosure () -> String) throws(SolverError) {
            guard v.isFinite, abs(v) <= maxMagnitude else {
                throw .unsupported("\(what()) is \(v); GLPK accepts finite values up to \(maxMagnitude) in magnitude")
            }
        }
        func checkBounds(_ lo: Double, _ hi: Double, _ what: @autoclosure () -> String) throws(SolverError) {
            guard !lo.isNaN, !hi.isNaN, lo != .infinity, hi != -.infinity, lo <= hi else {
                throw .unsupported("\(what()) has invalid bounds [\(lo), \(hi)]")
            }
            if lo.isFinite { try checkNumber(lo, "lower bound of \(what())") }
            if hi.isFinite { try checkNumber(hi, "upper bound of \(what())") }
        }

        try checkNumber(lp.objectiveConstant, "the objective constant")
        for j in 0..<n {
            let name = lp.variableNames[j]
            try checkNumber(lp.objective[j], "objective coefficient of '\(name)'")
            try checkBounds(lp.columnLower[j], lp.columnUpper[j], "variable '\(name)'")
            let lo = a.columnStarts[j], hi = a.columnStarts[j + 1]
            guard lo >= 0, lo <= hi, hi <= a.rowIndices.count else {
                throw .unsupported("column '\(name)' has inconsistent matrix offsets")
            }
            var previous = -1
            for k in lo..<hi {
                let i = a.rowIndices[k]
                // Strictly increasing rows: GLPK aborts on duplicate (i, j) entries.
                guard i > previous, i < m else { throw .unsupported("column '\(name)' has a row index out of order or range") }
                previous = i
                try checkNumber(a.values[k], "coefficient of '\(name)' in row '\(lp.constraintNames[i])'")
            }
        }
        for i in 0..<m {
            try checkBounds(lp.rowLower[i], lp.rowUpper[i], "constraint '\(lp.constraintNames[i])'")
        }
    }

    /// GLPK's bound type for [lo, hi] (already validated).
    static func boundType(_ lo: Double, _ hi: Double) -> Int32 {
        switch (lo.isFinite, hi.isFinite) {
        case (false, false): return GLP_FR
        case (true, false): return GLP_LO
        case (false, true): return GLP_UP
        case (true, true): return lo == hi ? GLP_FX : GLP_DB
        }
    }

    /// Creates a GLPK problem holding `lp`. The caller owns it and deletes it with
    /// `glp_delete_prob` on the same thread. Names are not passed: GLPK aborts on names
    /// longer than 255 bytes or with control characters, and results are mapped back by
    /// index anyway.
    /// With `integers`, the integer columns are marked GLP_IV (for `glp_intopt`).
    static func load(_ lp: LinearProgram, integers: Bool = false) throws(SolverError) -> OpaquePointer {
        try validate(lp)
        guard let prob = glp_create_prob() else { throw .unsupported("GLPK could not create a problem") }
        let m = lp.rowCount, n = lp.columnCount, a = lp.constraints
        glp_set_obj_dir(prob, lp.sense == .minimize ? GLP_MIN : GLP_MAX)
        // glp_add_rows aborts on a count of 0.
        if m > 0 { glp_add_rows(prob, Int32(m)) }
        glp_add_cols(prob, Int32(n))
        glp_set_obj_coef(prob, 0, lp.objectiveConstant)
        for i in 0..<m {
            let lo = lp.rowLower[i], hi = lp.rowUpper[i]
            glp_set_row_bnds(prob, Int32(i + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
        }
        // 1-based scratch arrays, reused for every column.
        var indices = [Int32](repeating: 0, count: m + 1)
        var values = [Double](repeating: 0, count: m + 1)
        for j in 0..<n {
            let column = Int32(j + 1)
            let lo = lp.columnLower[j], hi = lp.columnUpper[j]
            glp_set_col_bnds(prob, column, boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            glp_set_obj_coef(prob, column, lp.objective[j])
            var length: Int32 = 0
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] where a.values[k] != 0 {
                length += 1
                indices[Int(length)] = Int32(a.rowIndices[k] + 1)
                values[Int(length)] = a.values[k]
            }
            if length > 0 { glp_set_mat_col(prob, column, length, indices, values) }
        }
        if integers {
            for j in lp.integerColumns {
                let column = Int32(j + 1)
                glp_set_col_kind(prob, column, GLP_IV)
                // glp_intopt refuses fractional bounds on an integer column (GLP_EBOUND); the
                // integer points lie in the rounded-in interval (left alone when that is empty).
                let lo = lp.columnLower[j].rounded(.up), hi = lp.columnUpper[j].rounded(.down)
                if lo <= hi && (lo != lp.columnLower[j] || hi != lp.columnUpper[j]) {
                    glp_set_col_bnds(prob, column, boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
                }
            }
        }
        return prob
    }
}
