import LagrangeCore
import LinearAlgebra

/// A result for a `linear-system` solve with the shared details.
func linearSystemResult(_ problem: LinearSystemProblem, status: TerminationStatus, rawStatus: String, x: [Double],
                        residual: Double, normalResidual: Double? = nil, rank: Int? = nil, iterations: Int, rowUpdates: Int? = nil,
                        historyNote: String? = nil, notes: [String] = [], convergedBy: ConvergenceTest? = nil) -> SolveResult {
    var result = SolveResult(kind: .linearSystem, status: status, rawStatus: rawStatus,
                             objective: problem.objective(residualNorm: residual, solution: x),
                             variableNames: problem.variableNames, primal: x, iterations: iterations)
    let error = problem.errorNorm(x)
    let relative = error.flatMap { e in problem.knownSolution.map { e / max(Vector.norm2($0), Double.leastNormalMagnitude) } }
    result.details = [LinearSystemDetails(residualNorm: residual, errorNorm: error, relativeError: relative,
                                          normalResidualNorm: normalResidual, rank: rank, rowUpdates: rowUpdates, historyNote: historyNote)]
    result.notes = notes
    result.convergedBy = status == .optimal ? convergedBy : nil
    if let historyNote { result.notes.append("history recorded \(historyNote)") }
    return result
}
