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

/// Whether every nonbasic status of `basis` holds at the point x (to 1e-9 relative): a
/// column or row activity `at_lower`/`fixed` sits on its lower bound, `at_upper` on its
/// upper one, and a basic one lies within its bounds.
func statusesHold(_ basis: BasisDetails, lp: LinearProgram, at x: [Double]) -> Bool {
    let activity = lp.constraints.multiply(x)
    func holds(_ status: BasisStatus, _ v: Double, _ lower: Double, _ upper: Double) -> Bool {
        func near(_ bound: Double) -> Bool { bound.isFinite && abs(v - bound) <= 1e-9 * max(1, abs(bound)) }
        switch status {
        case .atLower, .fixed: return near(lower)
        case .atUpper: return near(upper)
        case .basic: return v >= lower - 1e-9 * max(1, abs(lower)) && v <= upper + 1e-9 * max(1, abs(upper))
        case .free: return !lower.isFinite && !upper.isFinite
        }
    }
    return lp.columnLower.indices.allSatisfy { holds(basis.columnStatus[$0], x[$0], lp.columnLower[$0], lp.columnUpper[$0]) }
        && lp.rowLower.indices.allSatisfy { holds(basis.rowStatus[$0], activity[$0], lp.rowLower[$0], lp.rowUpper[$0]) }
}

/// native.ipm options that stop after the interior point (no crossover): for tests of
/// the interior point's own iterates, duals and presolve postsolve.
let interiorOnly = SolveOptions(parameters: ["crossover": .string("off")])
