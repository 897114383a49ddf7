import LagrangeCore

/// The result fields both GLPK plugins fill the same way.
enum GLPKResults {
    static func make(lp: LinearProgram, status: TerminationStatus, rawStatus: String, objective: Double?,
                     primal: [Double], duals: [Double]?, reducedCosts: [Double]?, iterations: Int,
                     notes: [String]) -> SolveResult {
        var result = SolveResult(kind: .lp, status: status, rawStatus: rawStatus, objective: objective,
                                 variableNames: lp.variableNames, primal: primal,
                                 constraintNames: lp.constraintNames, duals: duals,
                                 reducedCosts: reducedCosts, iterations: iterations)
        result.kkt = lp.kktResiduals(primal: primal, duals: duals, reducedCosts: reducedCosts)
        if !lp.integerColumns.isEmpty {
            let count = lp.integerColumns.count
            result.notes.append("integrality of \(count) column\(count == 1 ? "" : "s") ignored: GLPK solved the LP relaxation")
        }
        result.notes += notes
        return result
    }
}
