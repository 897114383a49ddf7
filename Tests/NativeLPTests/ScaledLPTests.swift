import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import Testing

/// Badly scaled LPs: right-hand sides around 1e8 and costs around 1e9 once made
/// native.ipm claim `infeasible` or `unbounded` at iteration 0 (its ray tests compared
/// against 1e-8·bᵀy, which grows with the data). The scaled problem has the scaled
/// answer: objective × (bound scale × cost scale), and every solver must say so or say
/// nothing definitive.
@Suite struct ScaledLPTests {
    static func scaled(_ lp: LinearProgram, bounds: Double, costs: Double) throws -> LinearProgram {
        try LinearProgram(name: lp.name, sense: lp.sense, objective: lp.objective.map { $0 * costs },
                          objectiveConstant: lp.objectiveConstant * costs * bounds, constraints: lp.constraints,
                          rowLower: lp.rowLower.map { $0 * bounds }, rowUpper: lp.rowUpper.map { $0 * bounds },
                          columnLower: lp.columnLower.map { $0 * bounds }, columnUpper: lp.columnUpper.map { $0 * bounds })
    }

    @Test(arguments: [("afiro", 1e8, 1.0), ("afiro", 1.0, 1e9), ("afiro", 1e8, 1e9), ("sc50a", 1e8, 1e9), ("adlittle", 1e8, 1.0)])
    func scaledDataKeepsTheTrueStatus(name: String, bounds: Double, costs: Double) throws {
        let lp = try readNetlib(name)
        let reference = try #require(try solve(lp, "glpk.simplex").objective)
        let big = try Self.scaled(lp, bounds: bounds, costs: costs)
        for solver in ["native.ipm", "native.simplex", "glpk.simplex"] {
            let r = try solve(big, solver)
            #expect(r.status != .infeasible && r.status != .unbounded, "\(solver): \(r.status) \(r.rawStatus)")
            if r.status == .optimal {
                let expected = reference * bounds * costs
                #expect(abs((r.objective ?? .nan) - expected) <= 1e-6 * abs(expected), "\(solver): \(r.objective ?? .nan) vs \(expected)")
            }
        }
        let ipm = try solve(big, "native.ipm")
        #expect(ipm.status == .optimal, "\(ipm.status) \(ipm.rawStatus) \(ipm.notes)")
    }

    /// Issue #16 defect 6: entries of 1e-180 and 1e-300 next to entries of 1 made the
    /// IPM's scaling blow up (numerical_error with an objective of 3.6e167; earlier, a false
    /// `optimal` 0). Entries that small against both their row and their column cannot
    /// change an answer in double precision; the IPM drops them and says so, and the
    /// checker verifies the answer on the original problem.
    @Test("tiny entries beside unit ones: optimum 1, from every LP solver", arguments: ["native.ipm", "native.simplex", "glpk.simplex"])
    func tinyEntries(solver: String) throws {
        let a = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(0, 0, 1), (0, 1, 1e-180), (1, 0, 1e-300), (1, 1, 1)])
        let lp = try LinearProgram(objective: [1, 1], constraints: a, rowLower: [1, 0], rowUpper: [.infinity, .infinity])
        let r = try solve(lp, solver)
        #expect(r.status == .optimal && abs((r.objective ?? .nan) - 1) <= 1e-8, "\(r.status) \(String(describing: r.objective)) \(r.notes)")
        #expect(r.certificateCheck?.passed == true)
        if solver == "native.ipm" { #expect(r.notes.contains { $0.contains("negligible") }) }
    }
}
