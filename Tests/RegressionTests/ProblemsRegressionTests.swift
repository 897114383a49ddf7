import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// `make test` is a convergence regression run: every problem file under problems/ is
/// solved with its listed solvers (the CLI's: native, GLPK and GSL) and compared with its
/// golden histories.
@Suite struct ProblemsRegressionTests {
    @Test func problemsMatchTheirGoldenHistories() throws {
        let report = try RegressionRunner(registry: .builtIn).run(Fixtures.packageRoot + "/problems")
        #expect(report.rows.count >= 40)
        #expect(report.regressions.isEmpty && report.errors.isEmpty, "\(report.table())\(report.details())")
        #expect(report.filesWithoutExpectations.isEmpty, "files without expectations: \(report.filesWithoutExpectations)")
    }
}
