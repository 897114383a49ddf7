import ArgumentParser
import Testing
@testable import lagrange

/// `lagrange solve`'s fast path must read a command line exactly as argument-parser does,
/// and leave every other shape to it.
@Suite struct QuickParseTests {
    /// The request argument-parser builds, or nil when it rejects the line.
    func parsed(_ arguments: [String]) -> SolveRequest? {
        guard let command = try? LagrangeCommand.parseAsRoot(arguments) as? SolveCommand else { return nil }
        return command.request
    }

    @Test(arguments: [["solve", "a.mps"], ["solve", "a.mps", "dir/", "b.yaml"], ["solve", "problems/lp"]])
    func filesOnlyAsArgumentParserReadsThem(_ arguments: [String]) throws {
        let quick = try #require(SolveRequest.quickParse(arguments))
        #expect(quick == parsed(arguments))
        #expect(quick == SolveRequest(files: Array(arguments.dropFirst())))
    }

    /// A batch's child with every option the parent forwards: the fast path reads back the
    /// request the parent had, as argument-parser does.
    @Test func batchChildRoundTripsEveryForwardedOption() throws {
        // --data goes with a MathProg model.
        var request = SolveRequest(files: ["x.mod"])
        request.solvers = ["native.ipm", "glpk.simplex"]
        request.format = .json
        request.data = "model.dat"
        request.common = SolveSettings(maxIterations: 7, timeLimit: 2.5, tolerance: 1e-9, seed: 42,
                                       solverOptions: ["presolve=false", "pricing=devex"], relax: true, progress: false, quiet: true)
        let arguments = ["solve", "--batch-child"] + request.forwardedArguments + ["--input-name", "<stdin>", "--", "x.mod"]
        let quick = try #require(SolveRequest.quickParse(arguments))
        #expect(quick == parsed(arguments))
        var expected = request
        expected.batchChild = true
        expected.inputName = "<stdin>"
        #expect(quick == expected)
        // --progress instead of --quiet (the two exclude each other).
        request.common.quiet = false
        request.common.progress = true
        let progress = ["solve", "--batch-child"] + request.forwardedArguments + ["--", "x.mod"]
        #expect(SolveRequest.quickParse(progress) == parsed(progress))
        #expect(SolveRequest.quickParse(progress)?.common.progress == true)
    }

    /// Shapes the fast path does not know, and invalid lines, go to argument-parser.
    @Test(arguments: [["solve"], ["solve", "-"], ["solve", "--jobs", "2", "a.mps"], ["solve", "a.mps", "--format", "json"],
                      ["solvers"], ["solve", "--batch-child", "--jobs", "1", "--", "a.mps"],
                      ["solve", "--batch-child", "--", "a.mps", "b.mps"], ["solve", "--batch-child", "--max-iterations", "-3", "--", "a.mps"],
                      ["solve", "--batch-child", "--format", "yaml", "--", "a.mps"], ["solve", "--batch-child", "--seed"],
                      ["solve", "--batch-child", "--option", "novalue", "--", "a.mps"], ["solve", "--batch-child", "a.mps"]])
    func otherShapesAreLeftToArgumentParser(_ arguments: [String]) {
        #expect(SolveRequest.quickParse(arguments) == nil)
    }
}
