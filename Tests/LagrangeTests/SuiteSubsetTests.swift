import BuiltInSolvers
import Lagrange
import LagrangeTestSupport
import Testing

/// A representative subset of the public suites (Tests/Fixtures/suites, copied from
/// ../shared/data): every solver that takes the kind either answers with a status the
/// certificate checker accepted and the reference objective, or says nothing definitive;
/// a numerical failure is a status, never a thrown error (exit 2).
@Suite struct SuiteSubsetTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("suites/reference.tsv"))) ?? []
    static let cases: [(String, String)] = rows.flatMap { row -> [(String, String)] in
        let name = row["name"] ?? ""
        let solvers = row["suite"] == "lp-suite" ? ["native.ipm", "native.simplex", "glpk.simplex", "glpk.interior"] : ["native.ipm"]
        return solvers.map { (name, $0) }
    }

    @Test(arguments: cases)
    func certifiedOrSilent(name: String, solver: String) throws {
        let row = try #require(Self.rows.first { $0["name"] == name })
        let file = Fixtures.path("suites/\(name)" + (row["suite"] == "lp-suite" ? ".mps.gz" : ".qps"))
        let definition = try ProblemFileReader.load(file)
        let result = try SolverRegistry.builtIn.solve(definition, solverID: solver, options: SolveOptions(timeLimit: 20))
        if result.status.isDefinitive {
            #expect(result.certificateCheck?.passed == true, "\(name) \(solver): \(result.notes)")
            #expect(result.status.rawValue == row["expected_status"], "\(name) \(solver): \(result.status)")
        }
        if result.status == .optimal, let expected = row["expected_objective"].flatMap(Double.init) {
            let value = try #require(result.objective)
            #expect(abs(value - expected) <= 1e-6 * max(1, abs(expected)), "\(name) \(solver): \(value) vs \(expected)")
        }
    }

    @Test func theDefaultSolverSolvesTheLP() throws {
        let result = try SolverRegistry.builtIn.solve(try ProblemFileReader.load(Fixtures.path("suites/fffff800.mps.gz")))
        #expect(result.status == .optimal && result.certificateCheck?.passed == true)
    }
}
