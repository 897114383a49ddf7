import GLPKSolvers
import LagrangeCore
import Testing

/// Issue #16, defect 1: an entry of 1e-180 made glp_scale_prob compute a zero scale
/// factor and GLPK abort the process (`glp_set_sjj: invalid scale factor`). Before the
/// fix this test killed the test process; now GLPK solves without scaling and says so.
@Suite("GLPK: tiny matrix entries")
struct GLPKTinyEntryTests {
    /// min x1 + x2 s.t. x1 + 1e-180·x2 ≥ 1, 1e-300·x1 + x2 ≥ 0, x ≥ 0: optimum 1 at (1, 0).
    static func lp() throws -> LinearProgram {
        try makeLP(c: [1, 1], rows: [[1, 1e-180], [1e-300, 1]], rowLower: [1, 0], rowUpper: [.infinity, .infinity])
    }

    @Test(arguments: [("glpk.simplex", false), ("glpk.simplex", true), ("glpk.interior", false)])
    func solvesWithoutAborting(solver: String, presolve: Bool) throws {
        var options = SolveOptions()
        if presolve { options.parameters["presolve"] = .bool(true) }
        let r = try solve(try Self.lp(), solver, options: options)
        #expect(r.status == .optimal, "\(r.rawStatus)")
        #expect(abs((r.objective ?? .nan) - 1) <= 1e-7)
        if solver == "glpk.simplex" {
            #expect(r.notes.contains { $0.contains("scaling skipped") })
        }
    }
}
