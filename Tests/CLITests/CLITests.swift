import Foundation
import LagrangeTestSupport
import Testing

@Suite struct CLITests {
    @Test func solveSeedAsText() throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("optimal"))
        #expect(run.stdout.contains("objective"))
        #expect(run.stdout.contains("budget"))
    }

    @Test func afiroJSONHasTheContractFields() throws {
        let run = try CLI.run(["solve", "problems/lp/netlib/afiro.mps", "--solver", "glpk.simplex", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let json = try #require(run.json)
        for key in ["problem", "kind", "solver", "status", "objective", "iterations", "seconds", "seed", "solution", "history", "duals", "reduced_costs"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["status"] as? String == "optimal")
        #expect(json["solver"] as? String == "glpk.simplex")
        let objective = try #require(json["objective"] as? Double)
        #expect(isClose(objective, -464.75314286, relative: 1e-8))
        let solution = try #require(json["solution"] as? [String: Double])
        #expect(solution.count == 32)
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(!history.isEmpty)
        #expect(history.allSatisfy { $0["iteration"] != nil && $0["seconds"] != nil })
    }

    @Test func severalFilesGiveOneJSONLineEach() throws {
        let run = try CLI.run(["solve", "problems/lp", "--format", "json", "--solver", "glpk.simplex"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let lines = run.jsonLines
        #expect(lines.count >= 4)
        #expect(lines.count == run.stdout.split(separator: "\n").count)
    }

    @Test func historyAndPlotFiles() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["solve", "problems/lp/netlib/afiro.mps", "--solver", "glpk.simplex", "--solver", "glpk.interior",
                               "--history", dir + "/h.csv", "--plot", dir + "/p.svg", "--quiet"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let csv = try String(contentsOfFile: dir + "/h.csv", encoding: .utf8)
        // Issue #21: problem, file and solver columns; one header for the union of both
        // runs' metrics, so every row has as many cells as the header (the runs record
        // different metrics: simplex phases, interior-point gaps).
        #expect(csv.hasPrefix("problem,file,solver,iteration,seconds,objective"))
        let lines = csv.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == header.count })
        #expect(lines.contains { $0.hasPrefix("AFIRO,problems/lp/netlib/afiro.mps,glpk.simplex,") })
        let gapColumn = try #require(header.firstIndex(of: "gap"))
        let interior = try #require(lines.last { $0.contains(",glpk.interior,") })
        #expect(Double(interior.split(separator: ",", omittingEmptySubsequences: false)[gapColumn]) != nil)
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("glpk.interior") && svg.contains("<polyline"))
    }

    @Test func limitsGiveExitCodeOne() throws {
        let run = try CLI.run(["solve", "problems/lp/netlib/afiro.mps", "--solver", "glpk.simplex", "--max-iterations", "2", "--format", "json"])
        #expect(run.exitCode == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.json?["status"] as? String == "iteration_limit")
    }

    @Test func infeasibleIsDefinitive() throws {
        let run = try CLI.run(["solve", "Tests/Fixtures/lp/tiny_infeasible.mps", "--format", "json"])
        #expect(run.exitCode == 0)
        #expect(run.json?["status"] as? String == "infeasible")
    }

    @Test(arguments: [
        (["solve", "Tests/ProblemFormatsTests/Malformed/does-not-exist.mps"], "no such file"),
        (["solve", "problems/lp/seed.yaml", "--solver", "nope.method"], "unknown solver 'nope.method'"),
        (["solve", "problems/lp/seed.yaml", "--bogus"], "Unknown option"),
        (["solve", "problems/lp/seed.yaml", "--max-iterations", "0"], "max-iterations"),
        (["solve", "problems/lp/seed.yaml", "-o", "no_such_option=1"], "option 'no_such_option'"),
        (["solve"], "Missing expected argument"),
        (["frobnicate"], "Unexpected argument"),
    ])
    func usageAndInputErrorsExitTwo(arguments: [String], phrase: String) throws {
        let run = try CLI.run(arguments)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains(phrase), "\(run.stderr)")
    }

    @Test func malformedFileNamesFileAndLine() throws {
        let dir = try CLI.temporaryDirectory()
        let path = dir + "/bad.yaml"
        try "kind: lp\nminimize: [1, 2]\nA:\n  - [1, oops]\nb: [1]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CLI.run(["solve", path])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("\(path):4:"), "\(run.stderr)")
        let check = try CLI.run(["check", path])
        #expect(check.exitCode == 2)
    }

    @Test func solversAndCheck() throws {
        let solvers = try CLI.run(["solvers", "--kind", "lp"])
        #expect(solvers.exitCode == 0)
        #expect(solvers.stdout.contains("glpk.simplex") && solvers.stdout.contains("glpk.interior"))
        let check = try CLI.run(["check", "problems/lp"])
        #expect(check.exitCode == 0, "\(check.stderr)")
        #expect(check.stdout.contains("seed.yaml: ok"))
        let help = try CLI.run(["--help"])
        #expect(help.exitCode == 0 && help.stdout.contains("solve"))
    }
}

@Suite struct CLIFamilyTests {
    @Test func svrModelRoundTripsThroughPredict() throws {
        let dir = try CLI.temporaryDirectory()
        let solve = try CLI.run(["solve", "problems/svr/sinc.yaml", "--model", dir + "/m.json", "--picture", dir + "/fit.svg", "--format", "json"])
        #expect(solve.exitCode == 0, "\(solve.stderr)")
        let predictions = try #require(solve.json?["predictions"] as? [Double])
        let predict = try CLI.run(["predict", dir + "/m.json", "problems/svr/sinc.test.libsvm"])
        #expect(predict.exitCode == 0, "\(predict.stderr)")
        let again = predict.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(again.count == predictions.count)
        for (a, b) in zip(again, predictions) { #expect(isClose(a, b, absolute: 1e-12)) }
        #expect(predict.stderr.contains("mse"))
        let svg = try String(contentsOfFile: dir + "/fit.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        let bad = try CLI.run(["predict", dir + "/fit.svg", "problems/svr/sinc.test.libsvm"])
        #expect(bad.exitCode == 2)
    }

    @Test func maxFlowPictureAndPictureErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["solve", "problems/tour/maxflow.yaml", "--picture", dir + "/cut.svg", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.json?["flow_value"] as? Double == 14)
        #expect(try String(contentsOfFile: dir + "/cut.svg", encoding: .utf8).contains("<svg"))
        let lp = try CLI.run(["solve", "problems/lp/seed.yaml", "--picture", dir + "/x.svg", "--quiet"])
        #expect(lp.exitCode == 2 && lp.stderr.contains("--picture draws"))
    }

    @Test("--picture pairs a result with its own file: two files with the same name: do not collide (issue #23)")
    func pictureIsKeyedByFile() throws {
        let dir = try CLI.temporaryDirectory()
        let a = dir + "/a.yaml", b = dir + "/b.yaml"
        try "kind: max-flow\nname: same\nsource: s\nsink: t\narcs: [[s, alpha, 3], [alpha, t, 2]]\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "kind: max-flow\nname: same\nsource: s\nsink: t\narcs: [[s, beta, 5], [beta, gamma, 4], [gamma, t, 9]]\n".write(toFile: b, atomically: true, encoding: .utf8)
        func picture(_ files: [String], _ name: String) throws -> String {
            let run = try CLI.run(["solve"] + files + ["--picture", dir + "/" + name, "--quiet", "--jobs", "1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            return try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        // The picture of a batch is its first run's, drawn on that run's own network.
        let aAlone = try picture([a], "a.svg"), bAlone = try picture([b], "b.svg")
        #expect(aAlone.contains("alpha") && !aAlone.contains("beta"))
        #expect(try picture([a, b], "ab.svg") == aAlone)
        #expect(try picture([b, a], "ba.svg") == bAlone)
    }

    @Test func gradientCheckPassesOnASmoothFile() throws {
        let run = try CLI.run(["check", "--gradient", "problems/tour/smooth.yaml"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("PASS"))
        let notSmooth = try CLI.run(["check", "--gradient", "problems/lp/seed.yaml"])
        #expect(notSmooth.exitCode == 2)
    }

    @Test func tourSolvesWithDefinitiveAnswers() throws {
        let run = try CLI.run(["solve", "problems/tour", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let kinds = Set(run.jsonLines.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["lp", "max-flow", "linear-system", "smooth", "svr"]))
    }
}

/// Issue #21 (CLI and results, first items): common options from the command line,
/// check ≡ solve validation, `file` in JSON, output paths checked before solving.
@Suite struct CLIConsistencyTests {
    /// The reasons are SolveOptions.validate's (LagrangeCoreTests hold them to it); the
    /// command line only names the flag in front.
    @Test("a flag's value is refused by SolveOptions.validate, named by the flag (issue #23)", arguments: [
        (["--max-iterations", "0"], "--max-iterations must be ≥ 1, got 0"),
        (["--time-limit", "0"], "--time-limit must be > 0 seconds, got 0.0"),
        (["--tolerance", "0"], "--tolerance must be > 0 and finite, got 0.0"),
        (["-o", "max_iterations=0"], "--option: 'max_iterations': must be ≥ 1, got 0"),
        (["-o", "history=every 0"], "--option: 'history': every N needs N ≥ 1, got 0"),
    ] as [([String], String)])
    func flagValuesAreValidatedBySolveOptions(flags: [String], message: String) throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml"] + flags)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains(message), "\(run.stderr) should say '\(message)'")
    }

    @Test("-o history=off and -o verbosity=quiet are read like a file's options")
    func commonOptionsFromTheCommandLine() throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "-o", "history=off", "-o", "verbosity=quiet", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect((run.json?["history"] as? [Any])?.isEmpty == true)
        let bad = try CLI.run(["solve", "problems/lp/seed.yaml", "-o", "history=sometimes"])
        #expect(bad.exitCode == 2 && bad.stderr.contains("history"), "\(bad.stderr)")
    }

    /// The seed LP, min x1 + x2 + x3 s.t. x1 + x2 + 2x3 = 4: x3 = 2 basic, shadow price
    /// π = 1/2, reduced costs of x1 and x2 are 1 − π = 1/2. Objective: x1, x2 at their lower
    /// bounds stay out while their cost ≥ 1/2; x3 with cost t keeps d = 1 − t/2 ≥ 0 for
    /// t ≤ 2. RHS: x3 = b/2 ≥ 0 for b ≥ 0. Infinite ends are JSON null.
    @Test("-o ranging=on adds the ranges to the JSON of both simplex solvers", arguments: ["native.simplex", "glpk.simplex"])
    func rangingOption(_ solver: String) throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "--solver", solver, "-o", "ranging=on", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""ranging":{"objective":{"x1":[0.5,null],"x2":[0.5,null],"x3":[null,2]},"rhs":{"budget":[0,null]}}"#),
                "\(run.stdout.prefix(2000))")
        let off = try CLI.run(["solve", "problems/lp/seed.yaml", "--solver", solver, "--format", "json"])
        #expect(off.json?["ranging"] == nil)
        let bad = try CLI.run(["solve", "problems/lp/seed.yaml", "--solver", solver, "-o", "ranging=sometimes"])
        #expect(bad.exitCode == 2 && bad.stderr.contains("ranging"), "\(bad.stderr)")
    }

    @Test("check refuses the option typo that solve refuses, with the same message")
    func checkValidatesLikeSolve() throws {
        let path = try CLI.temporaryDirectory() + "/typo.yaml"
        try "kind: lp\nname: t\nminimize: [1, 1]\nA: [[1, 1]]\nb: [1]\nrelations: [\">=\"]\noptions: {max_iteration: 10}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", path]), solve = try CLI.run(["solve", path])
        #expect(check.exitCode == 2 && solve.exitCode == 2)
        #expect(check.stderr.contains("'max_iteration': not understood by native.ipm"), "\(check.stderr)")
        #expect(check.stderr == solve.stderr)
    }

    @Test("every JSON result names its file, as given")
    func jsonHasTheFile() throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "problems/lp/netlib/afiro.mps", "--format", "json"])
        #expect(run.jsonLines.map { $0["file"] as? String } == ["problems/lp/seed.yaml", "problems/lp/netlib/afiro.mps"])
    }

    @Test("issue #21: --plot-x and --plot-log-x choose the x axis; evaluations fall back with a note; --plot-log-x needs --plot")
    func plotXAxis() throws {
        let dir = try CLI.temporaryDirectory()
        let smooth = try CLI.run(["solve", "problems/smooth/rosenbrock.yaml", "--solver", "native.bfgs", "--solver", "native.gradient-descent",
                                  "--max-iterations", "2000", "--plot", dir + "/e.svg", "--plot-x", "evaluations", "--plot-log-x", "--quiet"])
        #expect(smooth.exitCode <= 1 && !smooth.stderr.contains("note:"), "\(smooth.stderr)")
        let svg = try String(contentsOfFile: dir + "/e.svg", encoding: .utf8)
        #expect(svg.contains(">function evaluations (log scale)</text>"))
        let ticks = svg.components(separatedBy: "<text class=\"x-tick\"").dropFirst().compactMap { $0.split(separator: ">", maxSplits: 1).last.map(String.init) }
        #expect(!ticks.isEmpty && ticks.allSatisfy { $0.hasPrefix("1</text>") || $0.hasPrefix("10</text>") || $0.hasPrefix("10<tspan") }, "\(ticks)")

        let lp = try CLI.run(["solve", "problems/lp/netlib/afiro.mps", "--plot", dir + "/lp.svg", "--plot-x", "evaluations"])
        #expect(lp.exitCode == 0)
        #expect(lp.stderr.contains("note: --plot-x evaluations: no evaluation count"), "\(lp.stderr)")
        let lpSVG = try String(contentsOfFile: dir + "/lp.svg", encoding: .utf8)
        #expect(lpSVG.contains(">iteration</text>"))

        let seconds = try CLI.run(["solve", "problems/lp/seed.yaml", "--plot", dir + "/s.svg", "--plot-x", "seconds", "--quiet"])
        let secondsSVG = try String(contentsOfFile: dir + "/s.svg", encoding: .utf8)
        #expect(seconds.exitCode == 0 && secondsSVG.contains(">seconds</text>"))

        for bad in [["--plot-log-x"], ["--plot-x", "seconds"], ["--plot", dir + "/x.svg", "--plot-x", "nodes"]] {
            let run = try CLI.run(["solve", "problems/lp/seed.yaml"] + bad)
            #expect(run.exitCode == 2 && run.stdout.isEmpty, "\(bad): \(run.stderr)")
        }
    }

    @Test("issue #21: several problems plot as small multiples, one row per problem, solvers in the legend")
    func plotSmallMultiples() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "problems/lp/netlib/afiro.mps", "--solver", "glpk.simplex", "--solver", "native.ipm",
                               "--plot", dir + "/p.svg", "--quiet"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "<text class=\"problem\"").count - 1 == 2)
        #expect(svg.contains("</title>AFIRO</text>"))
        #expect(svg.contains("<title>glpk.simplex</title>") && !svg.contains("·"))
    }

    @Test("an output path that cannot be written is an error before any solve")
    func outputPathCheckedFirst() throws {
        let start = Date()
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "--plot", "/nonexistent-folder/x.svg"])
        #expect(run.exitCode == 2 && run.stdout.isEmpty)
        #expect(run.stderr.contains("/nonexistent-folder/x.svg") && run.stderr.contains("does not exist"), "\(run.stderr)")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("a directory's non-problem files are skipped with a note; named explicitly, one is an error")
    func directoryWithNonProblemFiles() throws {
        let dir = try CLI.temporaryDirectory()
        for name in ["sinc.yaml", "sinc.train.libsvm", "sinc.test.libsvm"] {
            try FileManager.default.copyItem(atPath: Fixtures.packageRoot + "/problems/svr/" + name, toPath: dir + "/" + name)
        }
        try "name: CI\non: [push]\njobs: {}\n".write(toFile: dir + "/workflow.yml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["solve", dir, "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.jsonLines.map { $0["file"] as? String } == [dir + "/sinc.yaml"])
        #expect(run.stderr.contains("workflow.yml: not a problem file") && run.stderr.contains("sinc.test.libsvm: data of another problem file"))
        let explicit = try CLI.run(["solve", dir + "/workflow.yml"])
        #expect(explicit.exitCode == 2 && explicit.stderr.contains("missing 'kind:'"))
    }

    @Test("a FIFO named x.yaml in a directory is reported, not waited on and not dropped")
    func fifoInADirectory() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixtures.packageRoot + "/problems/lp/seed.yaml", toPath: dir + "/seed.yaml")
        #expect(mkfifo(dir + "/x.yaml", 0o600) == 0)
        let run = try CLI.run(["solve", dir, "--format", "json"])
        #expect(run.exitCode == 2)
        #expect(run.jsonLines.count == 2 && run.jsonLines.last?["status"] as? String == "error", "\(run.stdout)")
        #expect(run.stderr.contains("x.yaml") && run.stderr.contains("not a regular file"), "\(run.stderr)")
    }
}
