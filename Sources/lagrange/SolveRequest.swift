import ArgumentParser
import Foundation
import Lagrange

/// What `lagrange solve` was asked to do, as plain values, and the doing of it.
///
/// `SolveCommand` builds one from the command line through swift-argument-parser; the fast
/// path (``quickParse(_:)``) builds one without it for the two shapes a small solve takes,
/// `solve FILE…` and a batch's child, because argument-parser's reflection over the option
/// tree is about 1.5 ms of every process start.
struct SolveRequest: Equatable, Sendable {
    var files: [String]
    var inputFormat: String?
    var inputName: String?
    var solvers: [String]
    var format: OutputFormat
    var history: String?
    var plot: String?
    var plotX: ConvergencePlot.XAxis?
    var plotLogX: Bool
    var picture: String?
    var model: String?
    var jobs: Int?
    var data: String?
    var inProcess: Bool
    var batchChild: Bool
    var common: SolveSettings

    /// Every field given: `SolveCommand.request` maps each option through this initializer.
    init(files: [String], inputFormat: String?, inputName: String?, solvers: [String], format: OutputFormat,
         history: String?, plot: String?, plotX: ConvergencePlot.XAxis?, plotLogX: Bool, picture: String?, model: String?,
         jobs: Int?, data: String?, inProcess: Bool, batchChild: Bool, common: SolveSettings) {
        self.files = files
        self.inputFormat = inputFormat
        self.inputName = inputName
        self.solvers = solvers
        self.format = format
        self.history = history
        self.plot = plot
        self.plotX = plotX
        self.plotLogX = plotLogX
        self.picture = picture
        self.model = model
        self.jobs = jobs
        self.data = data
        self.inProcess = inProcess
        self.batchChild = batchChild
        self.common = common
    }

    /// `lagrange solve FILES` with no option: every default as `SolveCommand` declares it
    /// (CLITests check that the two agree).
    init(files: [String]) {
        self.init(files: files, inputFormat: nil, inputName: nil, solvers: [], format: .text, history: nil, plot: nil,
                  plotX: nil, plotLogX: false, picture: nil, model: nil, jobs: nil, data: nil, inProcess: false,
                  batchChild: false, common: SolveSettings())
    }

    /// The checks of the command line (ArgumentParser calls them through `SolveCommand`; the
    /// fast path through ``SolveRequest/quickParse(_:)``).
    func validate() throws {
        try common.validate()
        if let h = history, !(h.hasSuffix(".csv") || h.hasSuffix(".json")) {
            throw ValidationError("--history needs a .csv or .json file name")
        }
        if let p = plot, !p.hasSuffix(".svg") { throw ValidationError("--plot needs a .svg file name") }
        if plot == nil && (plotX != nil || plotLogX) { throw ValidationError("--plot-x and --plot-log-x go with --plot") }
        if let p = picture, !p.hasSuffix(".svg") { throw ValidationError("--picture needs a .svg file name") }
        if let m = model, !m.hasSuffix(".json") { throw ValidationError("--model needs a .json file name") }
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be ≥ 1") }
        if batchChild && files.count != 1 { throw ValidationError("--batch-child takes one file") }
        if inputName != nil && !batchChild { throw ValidationError("--input-name is internal to --batch-child") }
        try StandardInputFile.validate(files: files, inputFormat: inputFormat)
        if data != nil && !files.contains(where: { ProblemFileReader.isMathProg($0) }) && inputFormat?.lowercased() != "mod" {
            throw ValidationError("--data applies to GLPK MathProg models (.mod files)")
        }
    }

    func run() throws {
        if batchChild { return try runAsBatchChild(files[0]) }
        // Standard input is read once, here, before any child starts.
        let stdin = try StandardInputFile.readIfNamed(in: files, format: inputFormat)
        defer { stdin?.remove() }
        let displayNames = stdin.map { [$0.path: StandardInputFile.displayName] } ?? [:]
        let paths = try commandLineProblemPaths(stdin?.substituted(in: files) ?? files)
        if paths.isEmpty {
            Console.err("error: no problem files found in \(files.joined(separator: ", "))\n")
            throw CommandExit(status: .badInput)
        }
        // Output paths are checked before any solve, not after minutes of it.
        for output in [history, plot, picture, model].compactMap({ $0 }) {
            if let problem = unwritable(output) {
                Console.err("error: \(output): \(problem)\n")
                throw CommandExit(status: .badInput)
            }
        }
        let cancellation = CancellationFlag()
        let interruptSource = InterruptHandler.install(cancellation)
        defer { interruptSource.cancel() }
        var batch = try makeBatch(cancellation: cancellation)
        batch.displayNames = displayNames
        // --picture and --model need the solver's in-memory details, so they solve here.
        if !inProcess && picture == nil && model == nil {
            batch.isolation = ChildProcessRunner(forwardedArguments: forwardedArguments, json: batch.json, cancellation: cancellation,
                                                 readingTimeLimit: common.timeLimit, displayNames: displayNames)
        }
        let outcomes = batch.solve(paths, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        var worst = ExitStatus.definitive
        var results: [SolveResult] = []
        var traces: [RunTrace] = []
        // Each run with the definition of its own file (two files may share a `name:`).
        var drawable: [(result: SolveResult, definition: ProblemDefinition)] = []
        for outcome in outcomes {
            if outcome.worst.rawValue > worst.rawValue { worst = outcome.worst }
            results += outcome.results
            traces += outcome.traces
            if let definition = outcome.definition { drawable += outcome.results.map { ($0, definition) } }
        }
        // Every input is named in the output, those Ctrl-C kept from starting included.
        let notStarted = zip(paths, outcomes).filter { $0.1.skipped }.map { displayNames[$0.0] ?? $0.0 }
        if !notStarted.isEmpty {
            for path in notStarted {
                if format == .json {
                    Console.out(ResultJSON.fileLine(file: path, status: "interrupted", message: "not started: interrupted before this file").serialized() + "\n")
                } else if !common.quiet {
                    Console.out("\(path): interrupted (not started)\n")
                }
            }
            Console.err("interrupted: \(notStarted.count) problem file\(notStarted.count == 1 ? "" : "s") not started\n")
            if worst == .definitive { worst = .undecided }
        }
        do {
            if let history { try writeHistory(traces, to: history) }
            if let plot { try writePlot(traces, to: plot) }
            if let picture { try writePicture(drawable, to: picture) }
            if let model { try writeModel(results, to: model) }
        } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            worst = .badInput
        }
        if worst != .definitive { throw CommandExit(status: worst) }
    }

    /// Why `path` cannot be written, or nil when it can (its folder exists and is writable,
    /// and it is not a folder itself).
    func unwritable(_ path: String) -> String? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "is a folder, not a file to write" }
            return fm.isWritableFile(atPath: path) ? nil : "cannot write: permission denied"
        }
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        guard fm.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "cannot write: the folder '\(dir)' does not exist"
        }
        return fm.isWritableFile(atPath: dir) ? nil : "cannot write into '\(dir)': permission denied"
    }

    func makeBatch(cancellation: CancellationFlag) throws -> BatchSolver {
        let overrides: SolveOptions
        do { overrides = try common.solveOptions } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
        var batch = BatchSolver(overrides: overrides,
                    solverIDs: solvers.isEmpty ? [nil] : solvers.map { Optional($0) },
                    json: format == .json, quiet: common.quiet, progress: common.progress, cancellation: cancellation)
        batch.mathProgData = data
        return batch
    }

    /// The options a batch's child needs to solve its file as this command would.
    var forwardedArguments: [String] {
        var arguments = solvers.flatMap { ["--solver", $0] } + ["--format", format.rawValue]
        if let v = common.maxIterations { arguments += ["--max-iterations", String(v)] }
        if let v = common.timeLimit { arguments += ["--time-limit", String(v)] }
        if let v = common.tolerance { arguments += ["--tolerance", String(v)] }
        if let v = common.seed { arguments += ["--seed", String(v)] }
        arguments += common.solverOptions.flatMap { ["--option", $0] }
        if common.relax { arguments.append("--relax") }
        if let data { arguments += ["--data", data] }
        if common.progress { arguments.append("--progress") }
        if common.quiet { arguments.append("--quiet") }
        return arguments
    }

    /// The child's side of process isolation: solves one file, sending each part of its
    /// outcome to the parent, which prints it and decides the exit status.
    func runAsBatchChild(_ path: String) throws {
        let cancellation = CancellationFlag()
        let interruptSource = InterruptHandler.install(cancellation) { !ChildChannel.solving.isCancelled }
        defer { interruptSource.cancel() }
        var batch = try makeBatch(cancellation: cancellation)
        batch.reportsToParent = true
        if let inputName { batch.displayNames[path] = inputName }
        _ = batch.solveFile(path)
    }

    /// One run's output: a JSON line, or the text summary (nothing under --quiet), with the
    /// file's `expect:` claims checked on the run.
    static func render(_ result: SolveResult, file: String, expectations: [ExpectationOutcome], json: Bool, quiet: Bool) -> String {
        if json { return result.jsonValue(file: file, expectations: expectations).serialized() + "\n" }
        guard !quiet else { return "" }
        var text = TextSummary.render(result)
        if !expectations.isEmpty {
            let met = expectations.filter(\.met).count
            text += "\nexpectations: \(met) of \(expectations.count) met"
            for e in expectations { text += "\n  \(e.met ? "met    " : "NOT MET") \(e.name): \(e.detail)" }
        }
        return text + "\n"
    }

    /// One series per run, labelled by its solver and grouped by problem (several problems
    /// are drawn as small multiples); two files with the same problem name are told apart by
    /// their file.
    func plotSeries(_ runs: [RunTrace]) -> [ConvergencePlot.Series] {
        var files: [String: Set<String>] = [:]
        for r in runs { files[r.problem, default: []].insert(r.file) }
        return runs.map { r in
            let problem = (files[r.problem]?.count ?? 1) > 1 ? "\(r.problem) (\(r.file))" : r.problem
            return ConvergencePlot.Series(label: r.solver, history: r.history, problem: problem)
        }
    }

    /// The convergence plot, on the x axis --plot-x and --plot-log-x ask for (a note on
    /// stderr when evaluations fall back to iterations).
    func writePlot(_ runs: [RunTrace], to path: String) throws {
        let series = plotSeries(runs)
        let x = plotX ?? .iterations
        if let note = ConvergencePlot.resolvedXAxis(x, for: series).note { Console.err("note: --plot-x \(x.rawValue): \(note)\n") }
        try writeFile(path, ConvergencePlot.svg(series, title: plotTitle(runs), x: x, logX: plotLogX))
    }

    func plotTitle(_ runs: [RunTrace]) -> String {
        let problems = Array(Set(runs.map(\.problem))).sorted()
        let solvers = Set(runs.map(\.solver))
        let suffix = solvers.count == 1 ? " — \(runs[0].solver)" : ""
        return (problems.count == 1 ? problems[0] : "\(problems.count) problems") + suffix
    }

    func writeHistory(_ runs: [RunTrace], to path: String) throws {
        if path.hasSuffix(".json") {
            let value: JSONValue = .array(runs.map { r in
                ResultJSON.history(problem: r.problem, file: r.file, solver: r.solver, seed: r.seed, records: r.records)
            })
            try writeFile(path, value.serialized() + "\n")
        } else if runs.count == 1 {
            try writeFile(path, HistoryCSV.write(runs[0].history))
        } else {
            try writeFile(path, HistoryCSV.write(runs: runs.map { HistoryCSV.Run(problem: $0.problem, file: $0.file, solver: $0.solver, history: $0.history) }))
        }
    }

    /// The kind's picture of the single run (or the first run of the first file), drawn on
    /// the problem of the file that run came from.
    func writePicture(_ runs: [(result: SolveResult, definition: ProblemDefinition)], to path: String) throws {
        guard let (run, definition) = runs.first else { throw InputError(file: path, "no result to draw") }
        try writeFile(path, try KindPicture.svg(definition.problem, result: run, file: path))
    }

    /// Saves the trained model of the single svr or learning run.
    func writeModel(_ runs: [SolveResult], to path: String) throws {
        let models = runs.compactMap { $0.details(as: SVRDetails.self)?.model }
        let learned = runs.compactMap { $0.details(as: LearningDetails.self)?.model }
        if learned.count == 1, models.isEmpty, let model = learned.first { return try LearningModelFile.save(model, to: path) }
        guard models.count == 1, learned.isEmpty, let model = models.first else {
            throw InputError(file: path, "--model needs exactly one svr or learning run, got \(models.count + learned.count)")
        }
        try SVRModelFile.save(model, to: path)
    }
}

extension SolveRequest {
    /// The request for `solve FILE…` (files only: no option, no `-` for standard input) and
    /// for a batch's child, `solve --batch-child OPTIONS -- FILE` with the options
    /// ``forwardedArguments`` writes, read as argument-parser reads them and validated; nil
    /// for anything else. Everything nil goes through argument-parser, so a shape this does
    /// not know costs start-up time, never meaning (CLITests compare the two readings).
    static func quickParse(_ arguments: [String]) -> SolveRequest? {
        guard arguments.first == "solve" else { return nil }
        var rest = arguments.dropFirst()
        var request: SolveRequest
        if rest.first == "--batch-child" {
            rest = rest.dropFirst()
            guard let separator = rest.firstIndex(of: "--") else { return nil }
            request = SolveRequest(files: Array(rest[(separator + 1)...]))
            request.batchChild = true
            var options = rest[..<separator].makeIterator()
            while let flag = options.next() {
                switch flag {
                case "--relax": request.common.relax = true
                case "--progress": request.common.progress = true
                case "--quiet": request.common.quiet = true
                default:
                    guard let value = options.next() else { return nil }
                    switch flag {
                    case "--solver": request.solvers.append(value)
                    case "--option": request.common.solverOptions.append(value)
                    case "--data": request.data = value
                    case "--input-name": request.inputName = value
                    case "--format":
                        guard let format = OutputFormat(rawValue: value) else { return nil }
                        request.format = format
                    case "--max-iterations":
                        guard let v = Int(value) else { return nil }
                        request.common.maxIterations = v
                    case "--time-limit":
                        guard let v = Double(value) else { return nil }
                        request.common.timeLimit = v
                    case "--tolerance":
                        guard let v = Double(value) else { return nil }
                        request.common.tolerance = v
                    case "--seed":
                        guard let v = UInt64(value) else { return nil }
                        request.common.seed = v
                    default: return nil
                    }
                }
            }
        } else {
            guard !rest.isEmpty, !rest.contains(where: { $0.hasPrefix("-") }) else { return nil }
            request = SolveRequest(files: Array(rest))
        }
        // An invalid request is left to argument-parser, whose message names the flag.
        guard (try? request.validate()) != nil else { return nil }
        return request
    }
}
