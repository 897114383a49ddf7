import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// Rate, monotonicity and value claims on synthetic histories, and the parser's errors.
@Suite struct ExpectationsTests {
    func result(_ values: [Double], metric: String = "gradient_norm", status: TerminationStatus = .optimal,
                objective: Double? = 1, solver: String = "test.solver") -> SolveResult {
        var r = SolveResult(kind: .smooth, status: status, rawStatus: "", objective: objective, variableNames: ["x"], primal: [2],
                            iterations: values.count - 1)
        r.solverID = solver
        var h = ConvergenceHistory(storage: .all)
        for (k, v) in values.enumerated() {
            var record = IterationRecord(iteration: k)
            if metric == "gradient_norm" { record.gradientNorm = v } else { record.extras = [Metric(metric, v)] }
            h.append(record)
        }
        r.history = h
        return r
    }

    func parse(_ yaml: String) throws -> Expectations {
        let file = try YAMLProblemFile(text: "kind: smooth\nminimize: x^2\nstart: [1]\n" + yaml, path: "test.yaml")
        return try #require(file.expectations)
    }

    @Test func linearRateIsTheFittedContraction() throws {
        let geometric = (0..<30).map { 3 * pow(0.5, Double($0)) }
        #expect(isClose(Expectations.fittedContraction(geometric.enumerated().map { ($0.offset, $0.element) }) ?? 0, 0.5, relative: 1e-12))
        let e = try parse("expect: {rate: {metric: gradient_norm, linear_at_most: 0.51, linear_at_least: 0.49}}")
        #expect(e.evaluate(result(geometric), ownSolver: nil).allSatisfy { $0.met })
        let slower = (0..<30).map { pow(0.6, Double($0)) }
        let outcome = try #require(e.evaluate(result(slower), ownSolver: nil).first)
        #expect(!outcome.met)
        #expect(outcome.detail.contains("0.6000"))
    }

    @Test func quadraticRateNeedsSquaredErrors() throws {
        let e = try parse("expect: {rate: quadratic}")
        // e_{k+1} = e_k²: 0.5, 0.25, 0.0625, 3.9e-3, 1.5e-5, 2.3e-10
        var newton = [0.5]
        for _ in 0..<5 { newton.append(newton.last! * newton.last!) }
        #expect(e.evaluate(result(newton), ownSolver: nil).allSatisfy { $0.met })
        let linear = (0..<40).map { pow(0.5, Double($0)) }
        #expect(!(e.evaluate(result(linear), ownSolver: nil).first?.met ?? true))
    }

    @Test func monotoneReportsTheFirstRise() throws {
        let e = try parse("expect: {monotone: error}")
        #expect(e.evaluate(result([5, 4, 3, 3, 1], metric: "error"), ownSolver: nil).allSatisfy { $0.met })
        let outcome = try #require(e.evaluate(result([5, 4, 4.5, 1], metric: "error"), ownSolver: nil).first)
        #expect(!outcome.met)
        #expect(outcome.detail.contains("iteration 2"))
    }

    @Test func valueClaimsAndMethodClaimsBySolver() throws {
        let e = try parse("""
        expect:
          status: [optimal, locally_optimal]
          objective: {value: 1, tolerance: 1e-3}
          solution: {x: 2.0001}
          tolerance: 1e-3
          iterations: [2, 4]
          solvers:
            test.solver:
            other.solver: {iterations: 100}
        """)
        #expect(e.solvers == ["test.solver", "other.solver"])
        let own = e.evaluate(result([1, 0.5, 0.25, 0.125]), ownSolver: "test.solver")
        #expect(own.count == 4 && own.allSatisfy { $0.met })
        // Another solver keeps the answer claims and takes its own iteration claim.
        let other = e.evaluate(result([1, 0.5, 0.25, 0.125], solver: "other.solver"), ownSolver: "test.solver")
        #expect(other.map(\.met) == [true, true, true, false])
        let third = e.evaluate(result([1, 0.5], objective: 1.1, solver: "third.solver"), ownSolver: "test.solver")
        #expect(third.count == 3 && third.map(\.met) == [true, false, true])
    }

    @Test(arguments: [
        ("expect: {statuss: optimal}", "unknown expectation 'statuss'", 4),
        ("expect: {status: solved}", "unknown status 'solved'", 4),
        ("expect:\n  rate: {metric: error}", "needs linear_at_most", 5),
        ("expect:\n  iterations: [9, 3]", "min ≤ max", 5),
        ("expect:\n  regression: {relative: -1}", "must be ≥ 0", 5),
    ])
    func badBlocksNameTheLine(yaml: String, phrase: String, line: Int) throws {
        do {
            _ = try YAMLProblemFile(text: "kind: smooth\nminimize: x^2\nstart: [1]\n" + yaml, path: "bad.yaml")
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.message.contains(phrase), "\(error)")
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func standardFilesReadTheirSidecar() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("lp/netlib/afiro.mps"))
        let e = try #require(definition.expectations)
        #expect(e.status == [.optimal])
        #expect(isClose(e.objective?.value ?? 0, -464.75314286, relative: 1e-12))
    }
}
