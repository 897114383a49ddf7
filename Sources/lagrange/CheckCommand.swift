import ArgumentParser
import Lagrange

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and validate problem files without solving them (every file is checked; exit 2 if any is bad)."
    )

    @Argument(help: "Problem files or directories; '-' reads one problem from standard input (with --input-format).")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("The format of the problem on standard input ('-'), as for `solve`.", valueName: "format"))
    var inputFormat: String?

    func validate() throws {
        try StandardInputFile.validate(files: files, inputFormat: inputFormat)
    }

    @Flag(name: .long, help: "For smooth problems: check the gradient at the start point (f(x+εd) − f(x) − εdᵀ∇f must shrink like ε²); exit 1 if it does not.")
    var gradient = false

    @Option(name: .long, help: ArgumentHelp("Data file for GLPK MathProg models (.mod).", valueName: "file.dat"))
    var data: String?

    func run() throws {
        var failed = false
        var gradientFailed = false
        let stdin = try StandardInputFile.readIfNamed(in: files, format: inputFormat)
        defer { stdin?.remove() }
        let paths = try commandLineProblemPaths(stdin?.substituted(in: files) ?? files)
        let registry = SolverRegistry.commandLine
        for file in paths {
            // Standard input's private copy is reported as `<stdin>`.
            let isStdin = file == stdin?.path
            let path = isStdin ? StandardInputFile.displayName : file
            do {
                let d = isStdin ? try ProblemFileReader.load(file, as: path, mathProgData: data)
                    : try ProblemFileReader.load(file, mathProgData: data)
                // The routing and option checks a solve makes, by the same code.
                do { _ = try registry.prepare(d) } catch { throw locatingFileSolver(error, d, explicitID: nil, path: path) }
                Console.out("\(path): ok (\(d.kind.rawValue), \(d.problem.sizeSummary))\n")
                if gradient {
                    guard case .smooth(let smooth) = d.problem else {
                        Console.err("error: \(path): --gradient applies to smooth problems, this one is \(d.kind.rawValue)\n")
                        failed = true
                        continue
                    }
                    let report = GradientCheck.run(objective: smooth.objective, at: smooth.start)
                    Console.out(report.description + "\n")
                    if !report.passed { gradientFailed = true }
                }
            } catch {
                Console.err(Console.message(for: error, file: path) + "\n")
                failed = true
            }
        }
        if failed { throw CommandExit(status: .badInput) }
        if gradientFailed { throw CommandExit(status: .undecided) }
    }
}
