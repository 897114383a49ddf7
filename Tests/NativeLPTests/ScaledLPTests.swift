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
}
