import ArgumentParser
import Foundation
import Lagrange

struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Convergence regression: run every problem file with its solvers and compare with the golden histories.",
        discussion: """
        Each problem file under DIR is solved with the solvers its `expect: {solvers: …}` lists \
        (else its `solver:`, else the kind's default); its expectations are checked and the run is \
        compared with DIR/…/expected/NAME.SOLVER.json (status, iterations, metrics at aligned \
        iterations, final values; see docs/regression.md). Exit code: 0 everything matches, \
        1 a regression (a difference, an unmet expectation or a missing golden file), 2 bad input.
        """
    )

    @Argument(help: "Folder (or one problem file) to run.")
    var directory: String = "problems"

    @Flag(name: .long, help: "Rewrite the golden files from these runs.")
    var update = false

    @Option(name: .long, help: "Only this solver (repeatable), on the files whose kind it accepts.")
    var solver: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write an SVG overlay (expected vs got) for each regressed run into DIR.", valueName: "dir"))
    var plotDir: String?

    @Flag(name: .long, help: "Print only the failures and the summary line.")
    var quiet = false

    func run() throws {
        for id in solver where SolverRegistry.commandLine.plugin(id: id) == nil {
            Console.err("error: unknown solver '\(id)' (see `lagrange solvers`)\n")
            throw CommandExit(status: .badInput)
        }
        let runner = RegressionRunner(registry: .builtIn, update: update, solvers: solver, plotDirectory: plotDir)
        let report: RegressionRunner.Report
        do { report = try runner.run(directory) } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
        let table = report.table()
        Console.out(quiet ? String(table.split(separator: "\n").last ?? "") + "\n" : table)
        let details = report.details()
        if !details.isEmpty { Console.out(details) }
        if !report.filesWithoutExpectations.isEmpty {
            Console.out("\nfiles without expectations: \(report.filesWithoutExpectations.joined(separator: ", "))\n")
        }
        switch report.exitCode {
        case 0: return
        case 1: throw CommandExit(status: .undecided)
        default: throw CommandExit(status: .badInput)
        }
    }
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run problem files side by side with several solvers: median time of repeats, iterations, error vs the expected objective.",
        discussion: """
        Times cover the solve only (not reading files). The error column is \
        |objective − expected| / max(1, |expected|), with the expected objective from the file's \
        `expect:` block. --format json prints one JSON array for tracking over time.
        """
    )

    @Argument(help: "Folder (or one problem file).")
    var directory: String = "problems"

    @Option(name: .long, help: "Solver id (repeatable); each runs on the files whose kind it accepts. Default: the files' own.")
    var solver: [String] = []

    @Option(name: .long, help: "Repeats per run (the median time is reported).")
    var `repeat`: Int = 3

    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .text

    func validate() throws {
        if `repeat` < 1 { throw ValidationError("--repeat must be ≥ 1") }
    }

    func run() throws {
        for id in solver where SolverRegistry.commandLine.plugin(id: id) == nil {
            Console.err("error: unknown solver '\(id)' (see `lagrange solvers`)\n")
            throw CommandExit(status: .badInput)
        }
        let bench = Bench(registry: .builtIn, solvers: solver, repeats: `repeat`)
        let rows: [Bench.Row]
        do { rows = try bench.run(directory) } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
        switch format {
        case .text: Console.out(Bench.table(rows))
        case .json: Console.out(JSONValue.array(rows.map(\.jsonValue)).serialized() + "\n")
        }
        if rows.contains(where: { $0.failure != nil }) { throw CommandExit(status: .badInput) }
    }
}
