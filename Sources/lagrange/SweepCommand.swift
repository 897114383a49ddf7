import ArgumentParser
import Dispatch
import Foundation
import Lagrange
#if canImport(Glibc)
import Glibc
#endif

/// `lagrange sweep`: the runs of a manifest (problems × solvers × option grid × seeds),
/// sharded for array jobs, resumable, merged into one table and a performance profile.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a manifest's problems × solvers × options × seeds, sharded and resumable; merge shards; write a Slurm array script.",
        discussion: """
        lagrange sweep MANIFEST.yaml [--shard I/N] [--output DIR] [--jobs N]
            runs the I-th of N shares of the manifest's runs (0 ≤ I < N; the share of a run \
        depends only on its key, so re-ordering the manifest changes nothing), appending one \
        JSON line per finished run to DIR/shard-I-of-N.jsonl (fsync'd). A re-run skips every \
        run already recorded in DIR, so a killed shard loses nothing and repeats nothing.
        lagrange sweep --merge DIR [--format text|csv|json] [--plot PROFILE.svg]
            one table of every run in DIR, sorted by run key, with solved counts and shifted \
        geometric means per solver configuration, and a Dolan–Moré performance profile.
        lagrange sweep MANIFEST.yaml --slurm --output DIR [--shards N] [--partition P] [--time T] [--cpus-per-task C]
            prints an sbatch array script whose tasks run the shards. See docs/sweeps.md.
        """
    )

    @Argument(help: "The sweep manifest (YAML).")
    var manifest: String?

    @Option(name: .long, help: ArgumentHelp("Run the I-th of N shares of the runs (0-based).", valueName: "I/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Folder for the shards' JSON-lines files (created if missing); runs already recorded there are skipped.", valueName: "dir"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Runs at once within this shard (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .long, help: "Keep each run's convergence history in its record (left out by default: records stay small).")
    var keepHistory = false

    @Flag(name: .long, help: "List this shard's runs (keys) without running them.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Merge the shard files in DIR into one table.", valueName: "dir"))
    var merge: String?

    @Option(name: .long, help: "Output format of --merge (text, csv, json) or of a run without --output (text, json).")
    var format: SweepFormat = .text

    @Option(name: .long, help: ArgumentHelp("With --merge: write the performance profile (Dolan–Moré) of the solver configurations.", valueName: "file.svg"))
    var plot: String?

    @Flag(name: .long, help: "Print an sbatch array script for the manifest (needs --output).")
    var slurm = false

    @Option(name: .long, help: ArgumentHelp("With --slurm: the number of array tasks (shards); default min(runs, 16).", valueName: "n"))
    var shards: Int?

    @Option(name: .long, help: "With --slurm: #SBATCH --partition.")
    var partition: String?

    @Option(name: .long, help: "With --slurm: #SBATCH --time (e.g. 01:00:00).")
    var time: String?

    @Option(name: .long, help: "With --slurm: #SBATCH --cpus-per-task (and --jobs of each task).")
    var cpusPerTask: Int?

    @Flag(name: .long, help: "Print nothing but errors while running.")
    var quiet = false

    enum SweepFormat: String, ExpressibleByArgument, CaseIterable { case text, csv, json }

    func validate() throws {
        if merge != nil {
            if manifest != nil || shard != nil || slurm { throw ValidationError("--merge DIR takes no manifest, --shard or --slurm") }
            if let plot, !plot.hasSuffix(".svg") { throw ValidationError("--plot needs a .svg file name") }
            return
        }
        guard manifest != nil else { throw ValidationError("give a manifest (lagrange sweep MANIFEST.yaml) or --merge DIR") }
        if plot != nil { throw ValidationError("--plot goes with --merge") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be ≥ 1") }
        if let shard { _ = try Self.parseShard(shard) }
        if slurm {
            guard output != nil else { throw ValidationError("--slurm needs --output DIR (where the tasks write their results)") }
            if shard != nil { throw ValidationError("--slurm writes a script for every shard; leave --shard out") }
            if let shards, shards < 1 { throw ValidationError("--shards must be ≥ 1") }
            if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be ≥ 1") }
        } else if shards != nil || partition != nil || time != nil || cpusPerTask != nil {
            throw ValidationError("--shards, --partition, --time and --cpus-per-task go with --slurm")
        }
        if format == .csv && merge == nil { throw ValidationError("--format csv goes with --merge") }
    }

    static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else {
            throw ValidationError("--shard expects I/N with 0 ≤ I < N (e.g. 0/4), got '\(text)'")
        }
        return (i, n)
    }

    func run() throws {
        if let merge { return try runMerge(merge) }
        guard let manifestPath = manifest else { return }
        let sweep: SweepManifest
        do { sweep = try SweepManifest(contentsOf: manifestPath) } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
        for note in sweep.notes where !quiet { Console.err("note: \(note)\n") }
        if slurm {
            // Slurm opens each task's log in the folder before the task starts: it must exist.
            do { try FileManager.default.createDirectory(atPath: output ?? ".", withIntermediateDirectories: true) } catch {
                Console.err("error: \(output ?? "."): cannot create the output folder: \(error.localizedDescription)\n")
                throw CommandExit(status: .badInput)
            }
            return Console.out(slurmScript(sweep))
        }
        let (index, count) = try shard.map(Self.parseShard) ?? (0, 1)
        let share = SweepSharding.share(sweep.runs, shard: index, of: count)
        if list {
            for run in share { Console.out(run.key + "\n") }
            return
        }
        var store: SweepStore?
        if let output {
            do { store = try SweepStore(folder: output, shard: index, of: count) } catch {
                Console.err("error: \(output): \(error)\n")
                throw CommandExit(status: .badInput)
            }
        }
        let done = store?.recordedKeys ?? []
        let pending = share.filter { !done.contains($0.key) }
        if !quiet, store != nil {
            Console.err("shard \(index)/\(count): \(share.count) of \(sweep.runs.count) runs, \(share.count - pending.count) already recorded, \(pending.count) to run\n")
        }
        let cancellation = CancellationFlag()
        let interrupt = InterruptHandler.install(cancellation)
        // Slurm and Kubernetes stop a task with SIGTERM before SIGKILL: finish like Ctrl-C.
        signal(SIGTERM, SIG_IGN)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: DispatchQueue.global())
        terminate.setEventHandler { cancellation.cancel() }
        terminate.resume()
        defer { interrupt.cancel(); terminate.cancel() }

        let runner = SweepRunner(runs: pending, store: store, cancellation: cancellation, keepHistory: keepHistory,
                                 printRecords: store == nil && format == .json, quiet: quiet)
        let finished = runner.run(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        if finished < pending.count {
            Console.err("interrupted: \(pending.count - finished) run\(pending.count - finished == 1 ? "" : "s") not recorded; run the same command again to finish them\n")
            throw CommandExit(status: .undecided)
        }
        if let error = runner.storeError {
            Console.err("error: \(error)\n")
            throw CommandExit(status: .badInput)
        }
    }

    /// The sbatch script: one array task per shard, each `lagrange sweep --shard`.
    func slurmScript(_ sweep: SweepManifest) -> String {
        let count = shards ?? max(1, min(sweep.runs.count, 16))
        func absolute(_ path: String) -> String {
            let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return (full as NSString).standardizingPath
        }
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let folder = absolute(output ?? ".")
        var lines = [
            "#!/bin/bash",
            "# A Slurm array job for `lagrange sweep`: task I runs shard I of \(count) (\(sweep.runs.count) runs in all).",
            "# Submit with `sbatch THIS_FILE`. Submitting again after a failure or a pre-emption runs only",
            "# the runs not yet recorded in the output folder. Merge with:",
            "#   lagrange sweep --merge \(folder)",
            "#SBATCH --job-name=lagrange-sweep",
            "#SBATCH --array=0-\(count - 1)",
            "#SBATCH --output=\(folder)/slurm-%A_%a.log",
        ]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        lines += [
            "set -eu",
            "exec \(quoted(SpawnedChild.executablePath)) sweep \(quoted(absolute(sweep.path))) \\",
            "    --shard \"$SLURM_ARRAY_TASK_ID/\(count)\" --output \(quoted(folder)) --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\(keepHistory ? " --keep-history" : "")",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func runMerge(_ folder: String) throws {
        let merged: SweepMerge
        do { merged = try SweepMerge(folder: folder) } catch {
            Console.err("error: \(folder): \(error)\n")
            throw CommandExit(status: .badInput)
        }
        if merged.skippedLines > 0 {
            Console.err("note: \(merged.skippedLines) unreadable line\(merged.skippedLines == 1 ? "" : "s") skipped (a run cut off while being written is run again by a re-run)\n")
        }
        if merged.duplicateKeys > 0 { Console.err("note: \(merged.duplicateKeys) run\(merged.duplicateKeys == 1 ? "" : "s") recorded twice; the first record is kept\n") }
        switch format {
        case .json: Console.out(merged.records.map { $0.value.serialized() + "\n" }.joined())
        case .csv: Console.out(merged.csv())
        case .text: Console.out(merged.text())
        }
        if let plot {
            do { try writeFile(plot, merged.performanceProfileSVG()) } catch {
                Console.err(Console.message(for: error, file: nil) + "\n")
                throw CommandExit(status: .badInput)
            }
        }
    }
}

/// The output folder of a sweep: every `*.jsonl` in it is read for the runs already done;
/// this shard appends to its own `shard-I-of-N.jsonl`, one fsync'd line per run.
final class SweepStore: @unchecked Sendable {
    let file: String
    private(set) var recordedKeys: Set<String> = []
    private let descriptor: Int32
    private let lock = NSLock()

    init(folder: String, shard: Int, of count: Int) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for record in try SweepMerge.readRecords(folder).records { recordedKeys.insert(record.key) }
        file = folder + "/shard-\(shard)-of-\(count).jsonl"
        descriptor = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        // A line cut off by a kill stays a line of its own (unreadable, skipped), never the
        // start of the next record.
        let size = lseek(descriptor, 0, SEEK_END)
        if size > 0, let reader = FileHandle(forReadingAtPath: file) {
            try? reader.seek(toOffset: UInt64(size - 1))
            if reader.readData(ofLength: 1) != Data([UInt8(ascii: "\n")]) { try append("") }
            try? reader.close()
        }
    }

    deinit { close(descriptor) }

    /// Writes one line and fsyncs it: once this returns, the run survives a kill.
    func append(_ line: String) throws {
        lock.lock(); defer { lock.unlock() }
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 { if errno == EINTR { continue }; throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += n
        }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}

/// Runs a shard's pending runs on `jobs` threads, each in a child process (`lagrange solve
/// --batch-child`, as `lagrange solve` does), recording each as it finishes.
final class SweepRunner: @unchecked Sendable {
    let runs: [SweepRun]
    let store: SweepStore?
    let cancellation: CancellationFlag
    let keepHistory: Bool
    let printRecords: Bool
    let quiet: Bool
    private let lock = NSLock()
    private var next = 0
    private var finished = 0
    private(set) var storeError: String?

    init(runs: [SweepRun], store: SweepStore?, cancellation: CancellationFlag, keepHistory: Bool, printRecords: Bool, quiet: Bool) {
        self.runs = runs
        self.store = store
        self.cancellation = cancellation
        self.keepHistory = keepHistory
        self.printRecords = printRecords
        self.quiet = quiet
    }

    /// Runs everything (or until a cancellation); returns the number of runs recorded.
    func run(jobs: Int) -> Int {
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, runs.count)) {
            group.enter()
            let thread = Thread { [self] in
                while let run = claim() {
                    let timeLimit = run.options.first { $0.name == "time_limit" }.flatMap { Double($0.value) }
                    let child = ChildProcessRunner(forwardedArguments: run.solveArguments, json: true, cancellation: cancellation,
                                                   readingTimeLimit: timeLimit)
                    let outcome = child.solve(run.path)
                    // A run stopped from outside (Ctrl-C, SIGTERM from the scheduler, a kill of
                    // the child) has no result: it stays unrecorded, so a re-run does it.
                    if cancellation.isCancelled { continue }
                    if let signal = outcome.endedBySignal, [SIGTERM, SIGKILL, SIGINT].contains(signal) { continue }
                    record(run, outcome)
                }
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return finished
    }

    private func claim() -> SweepRun? {
        lock.lock(); defer { lock.unlock() }
        guard !cancellation.isCancelled, next < runs.count else { return nil }
        next += 1
        return runs[next - 1]
    }

    private func record(_ run: SweepRun, _ outcome: FileOutcome) {
        let line = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        var fields: [String: JSONValue] = [:]
        if case .object(let object)? = try? JSONValue.parse(line) { fields = object }
        if fields.isEmpty {
            fields = ["status": .string("error"), "file": .string(run.path),
                      "message": .string(outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines))]
        }
        if !keepHistory { fields["history"] = nil }
        fields["file"] = .string(run.file)
        fields["solver"] = fields["solver"] ?? .string(run.solver)
        fields["run_key"] = .string(run.key)
        fields["options"] = .object(Dictionary(uniqueKeysWithValues: run.options.map { ($0.name, JSONValue.string($0.value)) }))
        fields["run_seed"] = run.seed.map { .integer(Int64(bitPattern: $0)) } ?? .null
        fields["repeat"] = .integer(Int64(run.repeatIndex))
        if let expected = run.expected {
            fields["expected_status"] = .string(expected.status)
            fields["expected_objective"] = JSONValue.optional(expected.objective)
        }
        let text = JSONValue.object(fields).serialized()
        lock.lock()
        defer { lock.unlock() }
        if let store {
            do { try store.append(text) } catch {
                storeError = "\(store.file): cannot record a run: \(error)"
                cancellation.cancel()
                return
            }
        }
        finished += 1
        if printRecords {
            Console.out(text + "\n")
        } else if !quiet {
            let status = fields["status"]?.stringValue ?? "?"
            let objective = fields["objective"]?.doubleValue.map { " \($0)" } ?? ""
            let seconds = fields["seconds"]?.doubleValue.map { String(format: " (%.3g s)", $0) } ?? ""
            Console.out("[\(finished)/\(runs.count)] \(run.key): \(status)\(objective)\(seconds)\n")
        }
    }
}
