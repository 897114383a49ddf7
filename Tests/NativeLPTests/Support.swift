import GLPKSolvers
import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import NativeSolvers
import ProblemFormats
import Testing

/// A registry with the native LP solvers and GLPK (for cross-checks).
func lpRegistry() -> SolverRegistry {
    var r = SolverRegistry()
    r.register(NativeInteriorPointSolver(), asDefaultFor: [.lp])
    r.register(NativeSimplexSolver())
    r.register(GLPKSimplexSolver())
    return r
}

func solve(_ lp: LinearProgram, _ solver: String, options: SolveOptions = SolveOptions()) throws -> SolveResult {
    try lpRegistry().solve(.linear(lp), solverID: solver, options: options)
}

/// One row of Tests/Fixtures/lp/reference.tsv.
struct NetlibCase: CustomTestStringConvertible, Sendable {
    var name: String
    var status: String
    var objective: Double
    var testDescription: String { name }
}

/// Every row of the reference table.
func netlibCases() -> [NetlibCase] {
    guard let rows = try? Fixtures.tsv(Fixtures.path("lp/reference.tsv")) else { return [] }
    return rows.compactMap { row in
        guard let name = row["name"], let status = row["expected_status"] else { return nil }
        return NetlibCase(name: name, status: status, objective: Double(row["expected_objective"] ?? "") ?? .nan)
    }
}

func readNetlib(_ name: String) throws -> LinearProgram {
    try MPSReader.read(contentsOf: Fixtures.path("lp/\(name).mps")).linearProgram
}

/// Largest violation of rows and bounds, relative to max(1, |bound|).
func relativePrimalInfeasibility(_ lp: LinearProgram, _ x: [Double]) -> Double {
    let ax = lp.constraints.multiply(x)
    var worst = 0.0
    for i in 0..<lp.rowCount {
        if lp.rowLower[i].isFinite { worst = max(worst, (lp.rowLower[i] - ax[i]) / max(1, abs(lp.rowLower[i]))) }
        if lp.rowUpper[i].isFinite { worst = max(worst, (ax[i] - lp.rowUpper[i]) / max(1, abs(lp.rowUpper[i]))) }
    }
    for j in 0..<lp.columnCount {
        if lp.columnLower[j].isFinite { worst = max(worst, (lp.columnLower[j] - x[j]) / max(1, abs(lp.columnLower[j]))) }
        if lp.columnUpper[j].isFinite { worst = max(worst, (x[j] - lp.columnUpper[j]) / max(1, abs(lp.columnUpper[j]))) }
    }
    return worst
}
