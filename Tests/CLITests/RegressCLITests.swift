import Foundation
import LagrangeTestSupport
import Testing

/// `lagrange solve` reporting expectations, and `lagrange regress` / `lagrange bench` end to end.
@Suite struct RegressCLITests {
    static let quadratic = """
    kind: smooth
    minimize: "0.5*(x^2 + 0.01*y^2)"
    variables: [x, y]
    start: [0.01, 1]
    solver: native.gradient-descent
    options: {line_search: exact, max_iterations: 2000, tolerance: 1e-8}

    """

    @Test func solveReportsExpectationsAsTextAndJSON() throws {
        let run = try CLI.run(["solve", "problems/smooth/newton-cubic.yaml"])
        #expect(run.exitCode == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("expectations: 5 of 5 met"))
        #expect(run.stdout.contains("met     rate gradient_norm quadratic"))
        let json = try #require(try CLI.run(["solve", "problems/smooth/newton-cubic.yaml", "--format", "json"]).json)
        let outcomes = try #require(json["expectations"] as? [[String: Any]])
        #expect(outcomes.count == 5)
        #expect(outcomes.allSatisfy { $0["met"] as? Bool == true && $0["name"] is String && $0["detail"] is String })
    }

    @Test func unmetExpectationExitsOne() throws {
        let dir = try CLI.temporaryDirectory()
        try (Self.quadratic + "expect: {objective: {value: 1, tolerance: 0.1}, rate: {metric: objective, linear_at_most: 0.5}}\n")
            .write(toFile: dir + "/q.yaml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["solve", dir + "/q.yaml", "--format", "json"])
        #expect(run.exitCode == 1)
        let outcomes = try #require(run.json?["expectations"] as? [[String: Any]])
        #expect(outcomes.map { $0["met"] as? Bool } == [false, false])
        #expect((outcomes[1]["detail"] as? String)?.contains("0.96") == true)
    }

    @Test func regressCreatesComparesAndCatchesAChange() throws {
        let dir = try CLI.temporaryDirectory()
        try (Self.quadratic + "expect: {status: optimal, monotone: objective}\n").write(toFile: dir + "/q.yaml", atomically: true, encoding: .utf8)
        let missing = try CLI.run(["regress", dir])
        #expect(missing.exitCode == 1)
        #expect(missing.stdout.contains("NO GOLDEN"))
        let update = try CLI.run(["regress", dir, "--update"])
        #expect(update.exitCode == 0, "\(update.stdout)")
        #expect(update.stdout.contains("created"))
        #expect(FileManager.default.fileExists(atPath: dir + "/expected/q.native.gradient-descent.json"))
        let again = try CLI.run(["regress", dir])
        #expect(again.exitCode == 0, "\(again.stdout)")
        #expect(again.stdout.contains("1 runs: 1 ok"))
        // A different Armijo constant on the backtracking search is a behaviour change.
        let changed = Self.quadratic.replacingOccurrences(of: "line_search: exact", with: "line_search: backtracking")
        try (changed + "expect: {status: optimal}\n").write(toFile: dir + "/q.yaml", atomically: true, encoding: .utf8)
        let plots = dir + "/plots"
        let regressed = try CLI.run(["regress", dir, "--plot-dir", plots])
        #expect(regressed.exitCode == 1)
        #expect(regressed.stdout.contains("REGRESSED"))
        #expect(regressed.stdout.contains("history diverges at iteration 1"), "\(regressed.stdout)")
        let svg = try String(contentsOfFile: plots + "/q.native.gradient-descent.svg", encoding: .utf8)
        #expect(svg.contains("expected (golden)") && svg.contains("got"))
    }

    @Test func regressBadInputExitsTwo() throws {
        let dir = try CLI.temporaryDirectory()
        try "kind: smooth\nminimize: x^2\nstart: [1]\nexpect: {rate: fast}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["regress", dir])
        #expect(run.exitCode == 2)
        #expect(run.stdout.contains("bad.yaml:4"), "\(run.stdout)")
        #expect(try CLI.run(["regress", "no/such/dir"]).exitCode == 2)
    }

    @Test func benchPrintsJSONRowsWithErrorsAgainstTheExpectedObjective() throws {
        let run = try CLI.run(["bench", "problems/lp/seed.yaml", "--solver", "native.ipm", "--solver", "glpk.simplex",
                               "--repeat", "2", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["solver"] as? String } == ["native.ipm", "glpk.simplex"])
        for row in rows {
            #expect(row["status"] as? String == "optimal")
            #expect((row["error"] as? Double).map { $0 < 1e-8 } == true)
            #expect(row["reference"] as? Double == 2)
            #expect(row["median_seconds"] is Double)
        }
        let text = try CLI.run(["bench", "problems/lp/seed.yaml"])
        #expect(text.stdout.contains("median s") && text.stdout.contains("native.ipm"))
    }
}
