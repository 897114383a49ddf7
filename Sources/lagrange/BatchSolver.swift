import Dispatch
import Foundation
import Lagrange
import LagrangeGLPK

/// What solving one problem file produced: its printed text (in order), its results, and
/// the exit status it calls for.
struct FileOutcome: Sendable {
    var stdout = ""
    var stderr = ""
    /// The solve results, when the file was solved in this process (--picture, --model).
    var results: [SolveResult] = []
    /// Every run's problem, solver, seed and history (--plot, --history).
    var traces: [RunTrace] = []
    var definition: ProblemDefinition?
    var worst = ExitStatus.definitive
    /// Not started because Ctrl-C came first.
    var skipped = false
    /// The signal that ended the file's child process, when one did.
    var endedBySignal: Int32?
}

/// Solves problem files on N worker threads and prints each file's output in input
/// order as soon as it and every file before it are done.
///
/// Each file is loaded and solved start to finish on one worker thread, so GLPK-backed
/// solves keep their per-thread state on one thread; with `isolation` (the default) that
/// thread runs the file in a child process, so a solver that ends its process costs only
/// its own problem. A file that fails to load or solve is reported and the batch goes on
/// (exit status 2 at the end). After a cancellation (Ctrl-C) no new file starts; the ones
/// in flight stop with `interrupted` and print.
struct BatchSolver: Sendable {
    /// The CLI's solvers, built on first use: a parent whose files all go to child
    /// processes never builds them.
    var registry: SolverRegistry { SolverRegistry.commandLine }
    let overrides: SolveOptions
    let solverIDs: [String?]
    let json: Bool
    let quiet: Bool
    let progress: Bool
    let cancellation: CancellationFlag
    /// Solves each file in a child process when set.
    var isolation: ChildProcessRunner?
    /// This process is a batch's child: announce each solve and send each part to the parent.
    var reportsToParent = false
    /// The data file for GLPK MathProg models (`--data`).
    var mathProgData: String?
    /// Files known by another name: standard input's private copy → `<stdin>`.
    var displayNames: [String: String] = [:]

    func solve(_ paths: [String], jobs: Int) -> [FileOutcome] {
        let state = BatchState(count: paths.count)
        let workers = max(1, min(jobs, paths.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                while let index = state.claim() {
                    let outcome = cancellation.isCancelled ? FileOutcome(skipped: true)
                        : isolation.map { $0.solve(paths[index]) } ?? solveFile(paths[index])
                    state.finish(index, outcome)
                }
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return state.outcomes.map { $0 ?? FileOutcome(skipped: true) }
    }

    /// Loads and solves one file with every requested solver.
    func solveFile(_ file: String) -> FileOutcome {
        // Output names the file as the user knows it; only reading uses the real path.
        let path = displayNames[file] ?? file
        var outcome = FileOutcome()
        let definition: ProblemDefinition
        do {
            if let name = displayNames[file] {
                definition = try ProblemFileReader.load(file, as: name, mathProgData: mathProgData)
            } else {
                definition = try ProblemFileReader.load(file, mathProgData: mathProgData)
            }
        } catch {
            report(error, path: path, name: nil, solverID: nil, into: &outcome)
            sendToParent(&outcome)
            return outcome
        }
        outcome.definition = definition
        for id in solverIDs {
            let observers: [any SolveObserver] = progress ? [ProgressPrinter()] : []
            if reportsToParent {
                ChildChannel.announce(problem: definition.name, solver: id ?? definition.solverID ?? registry.defaultID(for: definition.problem) ?? "")
            }
            defer { sendToParent(&outcome) }
            do {
                var result = try registry.solve(definition, solverID: id, options: overrides, observers: observers,
                                                cancellation: cancellation)
                // A MathProg model's display/printf output, as glpsol prints it.
                if ProblemFileReader.isMathProg(file) {
                    result = MathProgReader.attachingOutput(to: result, model: file, data: mathProgData)
                }
                outcome.results.append(result)
                outcome.traces.append(RunTrace(result, file: path))
                // The file's `expect:` claims, checked on this run; an unmet one exits 1.
                let claims = definition.expectations?.evaluate(result, ownSolver: definition.solverID ?? registry.defaultID(for: definition.problem)) ?? []
                outcome.stdout += SolveRequest.render(result, file: path, expectations: claims, json: json, quiet: quiet)
                if !result.status.isDefinitive && outcome.worst == .definitive { outcome.worst = .undecided }
                if claims.contains(where: { !$0.met }) && outcome.worst == .definitive { outcome.worst = .undecided }
            } catch {
                report(locatingFileSolver(error, definition, explicitID: id, path: path), path: path, name: definition.name, solverID: id, into: &outcome)
            }
        }
        return outcome
    }

    /// In a batch's child, sends what the outcome gained since the last part to the parent
    /// (and clears it: the parent assembles the file's outcome).
    private func sendToParent(_ outcome: inout FileOutcome) {
        guard reportsToParent else { return }
        ChildChannel.send(ChildPart(stdout: outcome.stdout, stderr: outcome.stderr, exitStatus: outcome.worst.rawValue, runs: outcome.traces))
        outcome.stdout = ""
        outcome.stderr = ""
        outcome.traces = []
    }

    private func report(_ error: any Error, path: String, name: String?, solverID: String?, into outcome: inout FileOutcome) {
        Self.report(Console.message(for: error, file: path), path: path, problem: name, solverID: solverID, json: json, into: &outcome)
    }

    /// A failed load or solve: the message on stderr and, with JSON output, an `error` line.
    static func report(_ message: String, path: String, problem name: String?, solverID: String?, json: Bool,
                       into outcome: inout FileOutcome) {
        let message = message.hasPrefix("error: ") ? message : "error: \(path): \(message)"
        outcome.stderr += message + "\n"
        outcome.worst = .badInput
        if json {
            outcome.stdout += ResultJSON.fileLine(file: path, status: "error", message: message, problem: name, solver: solverID).serialized() + "\n"
        }
    }
}

/// The shared work list and the in-order printer of a batch.
private final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var printed = 0
    private(set) var outcomes: [FileOutcome?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    /// The next file index to solve, or nil when none is left.
    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < outcomes.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores an outcome and prints every finished outcome that is next in input order.
    func finish(_ index: Int, _ outcome: FileOutcome) {
        lock.lock(); defer { lock.unlock() }
        outcomes[index] = outcome
        while printed < outcomes.count, let ready = outcomes[printed] {
            if !ready.stdout.isEmpty { Console.out(ready.stdout) }
            if !ready.stderr.isEmpty { Console.err(ready.stderr) }
            printed += 1
        }
    }
}

/// Turns SIGINT (Ctrl-C) into a cancellation of the running solves: they stop at their
/// next check with `interrupted` and are printed normally. A second Ctrl-C after that
/// ends the process at once (exit 130), for a solve stuck in an uninterruptible call.
///
/// `exitAtOnce` says when the first Ctrl-C should end the process too (a batch's child
/// still reading its file: reading has no stop check and nothing is to be reported yet).
enum InterruptHandler {
    static func install(_ flag: CancellationFlag, exitAtOnce: @escaping @Sendable () -> Bool = { false }) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        source.setEventHandler {
            if flag.isCancelled || exitAtOnce() { _exit(130) }
            flag.cancel()
        }
        source.resume()
        return source
    }
}
