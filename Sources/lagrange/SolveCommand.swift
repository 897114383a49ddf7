import ArgumentParser
import Foundation
import Lagrange

extension ConvergencePlot.XAxis: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve problem files (YAML problem files, MPS, …) and print the results.",
        discussion: """
        Directories are searched recursively for problem files. With --format json, one JSON \
        object is printed per problem and solver, one per line. Exit code: 0 when every answer \
        is definitive (optimal, locally optimal, infeasible, unbounded), 1 when a solver \
        stopped otherwise (a limit, a stall, a numerical failure, interrupted), 2 on bad input. \
        Files are solved in parallel (--jobs) and printed in input order; a file that cannot be \
        read or solved is reported (with --format json as a line with status "error") and the \
        batch goes on. Ctrl-C stops the problems in flight, which print as "interrupted".
        """
    )

    @Argument(help: "Problem files or directories; '-' reads one problem from standard input (with --input-format).")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("The format of the problem on standard input ('-'): an extension the readers know (yaml, json, mps, qps, lp, mod, max, libsvm, nfg). A YAML/JSON problem with a top-level 'kind:' is recognised without it.", valueName: "format"))
    var inputFormat: String?

    /// Set by the parent on a child solving standard input's private copy: the name to report.
    @Option(name: .long, help: ArgumentHelp("Internal: the name the batch child's file is reported under.", visibility: .hidden))
    var inputName: String?

    @Option(name: .long, help: "Solver id (repeat to compare several solvers on each problem).")
    var solver: [String] = []

    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("Write the convergence history to FILE (.csv or .json).", valueName: "file"))
    var history: String?

    @Option(name: .long, help: ArgumentHelp("Write an SVG convergence plot of every run to FILE (several problems: one row of panels per problem).", valueName: "file.svg"))
    var plot: String?

    @Option(name: .long, help: ArgumentHelp("What the --plot x axis counts: iterations (default), seconds, or evaluations (function evaluations, which smooth and nonlinear solvers record; without them in every run the plot falls back to iterations, with a note).", valueName: "axis"))
    var plotX: ConvergencePlot.XAxis?

    @Flag(name: .long, help: "Draw the --plot x axis on a log scale, ticks at powers of ten (records at x = 0, such as iteration 0, are left out).")
    var plotLogX = false

    @Option(name: .long, help: ArgumentHelp("Write the kind's picture to FILE: the layered graph and its minimum cut (max-flow; only the cut above 200 nodes), the data, fit and ε-tube (one-feature svr).", valueName: "file.svg"))
    var picture: String?

    @Option(name: .long, help: ArgumentHelp("Save the trained model (svr, learning) as JSON, for `lagrange predict`.", valueName: "file.json"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Solve this many problem files at once (default: the number of cores). Output keeps the input order.", valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Data file for GLPK MathProg models (.mod); the model's own data section is then skipped.", valueName: "file.dat"))
    var data: String?

    @Flag(name: .long, help: "Solve in this process instead of one child process per file (saves ≈ 2–7 ms per file; a solver that crashes then ends the whole batch). --picture and --model always solve in this process.")
    var inProcess = false

    /// Set by the parent batch on the child it starts for one file (process isolation).
    @Flag(name: .long, help: ArgumentHelp("Internal: solve the one file as a batch's child process.", visibility: .hidden))
    var batchChild = false

    @OptionGroup var common: CommonSolveOptions

    func validate() throws { try request.validate() }

    func run() throws { try request.run() }

    /// The parsed command line as a plain request (every field mapped: the initializer has
    /// no defaults, so a new option cannot be forgotten here).
    var request: SolveRequest {
        SolveRequest(files: files, inputFormat: inputFormat, inputName: inputName, solvers: solver, format: format,
                     history: history, plot: plot, plotX: plotX, plotLogX: plotLogX, picture: picture, model: model,
                     jobs: jobs, data: data, inProcess: inProcess, batchChild: batchChild, common: common.settings)
    }
}
