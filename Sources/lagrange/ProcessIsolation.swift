import Foundation
import Lagrange
import LagrangeGLPK
import LagrangeGSL
#if canImport(Glibc)
import Glibc
#endif

// Process isolation for `lagrange solve`: each problem file is solved by a child process
// (this executable, `solve --batch-child OPTIONS -- FILE`), so a solver that ends its process (an
// abort inside a C library, a crash in a plugin, the kernel's OOM killer) costs only its
// own problem. The child streams one JSON object per line on its stdout:
//   {"solving": {"problem": …, "solver": …}}   before each solve
//   {"part": ChildPart}                          after each solve or error
// The parent rebuilds the file's outcome from the parts; when the child dies by a signal,
// the solve announced last without a part is reported as an `error` naming the signal.

/// The problem, solver, seed and history of one run: what the batch's --plot and
/// --history outputs need, in a form that crosses the process boundary.
struct RunTrace: Sendable, Codable {
    var problem: String
    /// The problem file as given on the command line.
    var file: String
    var solver: String
    var seed: UInt64?
    var records: [IterationRecord]

    init(_ result: SolveResult, file: String) {
        problem = result.problemName
        self.file = file
        solver = result.solverID
        seed = result.seed
        records = result.history.records
    }

    var history: ConvergenceHistory {
        var history = ConvergenceHistory(storage: .all)
        for record in records { history.append(record) }
        return history
    }
}

/// One piece of a file's outcome, sent by the child after each solve (or failure).
struct ChildPart: Codable {
    var stdout = ""
    var stderr = ""
    var exitStatus: Int32 = 0
    var runs: [RunTrace] = []
}

/// The announcement sent before each solve, so a crash can be blamed on it.
struct ChildSolving: Codable {
    var problem: String
    var solver: String
}

private struct ChildMessage: Codable {
    var solving: ChildSolving?
    var part: ChildPart?
}

/// The child's side: writes messages to stdout, one JSON line each, flushed at once so
/// the parent holds everything said before a crash.
enum ChildChannel {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Histories carry ±∞ and NaN (an unbounded objective, a missing gap).
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    /// Whether the child has started solving; before that a Ctrl-C ends it at once
    /// (reading cannot be interrupted, and there is nothing to report yet).
    static let solving = CancellationFlag()

    static func announce(problem: String, solver: String) {
        solving.cancel()
        send(ChildMessage(solving: ChildSolving(problem: problem, solver: solver)))
    }

    static func send(_ part: ChildPart) { send(ChildMessage(part: part)) }

    private static func send(_ message: ChildMessage) {
        guard var data = try? encoder.encode(message) else { return }
        data.append(UInt8(ascii: "\n"))
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// The parent's side: runs one file in a child process and rebuilds its outcome.
struct ChildProcessRunner: Sendable {
    /// The batch's solvers and options, passed on to each child.
    let forwardedArguments: [String]
    let json: Bool
    let cancellation: CancellationFlag
    /// --time-limit: reading counts against it too; a child still reading when it runs
    /// out is stopped and its file reported as `time_limit`.
    var readingTimeLimit: Double?
    /// Files known by another name: standard input's private copy → `<stdin>`.
    var displayNames: [String: String] = [:]

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    func solve(_ file: String) -> FileOutcome {
        // Messages name the file as the user knows it (`<stdin>`, not its private copy).
        let path = displayNames[file] ?? file
        let naming = displayNames[file].map { ["--input-name", $0] } ?? []
        var outcome = FileOutcome()
        let child: SpawnedChild
        do { child = try SpawnedChild(arguments: ["solve", "--batch-child"] + forwardedArguments + naming + ["--", file]) } catch {
            BatchSolver.report("cannot start a solver process: \(error)", path: path, problem: nil, solverID: nil, json: json, into: &outcome)
            return outcome
        }
        let (output, readingTimedOut) = child.readAll(cancellation: cancellation, readingTimeLimit: readingTimeLimit)
        let status = child.wait()
        if readingTimedOut {
            Self.reportUnsolved(path, status: "time_limit", message: "reading the file took longer than the \(readingTimeLimit ?? 0) s time limit",
                                json: json, into: &outcome)
            return outcome
        }
        var pending: ChildSolving?
        for line in output.split(separator: UInt8(ascii: "\n")) {
            guard let message = try? Self.decoder.decode(ChildMessage.self, from: Data(line)) else { continue }
            if let solving = message.solving { pending = solving }
            if let part = message.part {
                pending = nil
                outcome.stdout += part.stdout
                outcome.stderr += part.stderr
                outcome.traces += part.runs
                if part.exitStatus > outcome.worst.rawValue { outcome.worst = ExitStatus(rawValue: part.exitStatus) ?? .badInput }
            }
        }
        switch status {
        case .exited(0):
            break
        case .exited(130) where pending == nil && output.isEmpty:
            Self.reportUnsolved(path, status: "interrupted", message: "interrupted while reading the file", json: json, into: &outcome)
        case .exited(let code):
            // The child reports every error it can as a part; a bare failure is reported here.
            BatchSolver.report("the solver process exited with status \(code)", path: path, problem: pending?.problem,
                               solverID: pending?.solver, json: json, into: &outcome)
        case .signaled(let signal):
            outcome.endedBySignal = signal
            let name = SpawnedChild.signalName(signal)
            let what = pending.map { "\($0.solver) ended its process with \(name) while solving '\($0.problem)'" }
                ?? "the solver process ended with \(name) while reading the file"
            BatchSolver.report(what + "; the batch's other problems are unaffected", path: path, problem: pending?.problem,
                               solverID: pending?.solver, json: json, into: &outcome)
        }
        return outcome
    }

    /// A file stopped before any solve started: a line with its status, exit status 1.
    static func reportUnsolved(_ path: String, status: String, message: String, json: Bool, into outcome: inout FileOutcome) {
        if json {
            outcome.stdout += ResultJSON.fileLine(file: path, status: status, message: message).serialized() + "\n"
        } else {
            outcome.stdout += "\(path): \(status) (\(message))\n"
        }
        if outcome.worst == .definitive { outcome.worst = .undecided }
    }
}

/// A child process of this executable with its stdout on a pipe; stdin is /dev/null and
/// stderr is shared, so --progress lines stream live.
final class SpawnedChild: @unchecked Sendable {
    enum Status { case exited(Int32), signaled(Int32) }

    private let pid: pid_t
    private let output: Int32

    /// Serializes pipe creation and spawning: a child spawned by another worker thread
    /// between pipe() and close-on-exec would hold this pipe's write end open, and its
    /// reader would never see end-of-file.
    private static let spawnLock = NSLock()

    init(arguments: [String]) throws {
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let executable = Self.executablePath
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        // The parent reports a child's crash; the Swift runtime's backtrace of it would only
        // clutter the batch's stderr (unless asked for with SWIFT_BACKTRACE).
        var environment = ProcessInfo.processInfo.environment
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in envp { free(p) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(fds[1])
        guard code == 0 else {
            close(fds[0])
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        self.pid = pid
        self.output = fds[0]
    }

    /// This executable: the child runs the same build as the parent.
    static let executablePath: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }()

    /// Everything the child writes to stdout, until it closes it. A cancellation of the
    /// batch (Ctrl-C sent to this process only) is passed on to the child as SIGINT. A
    /// child that says nothing (still reading its file) for `readingTimeLimit` seconds is
    /// killed; `timedOut` says so.
    func readAll(cancellation: CancellationFlag, readingTimeLimit: Double?) -> (bytes: [UInt8], timedOut: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var forwarded = false, timedOut = false
        let start = IterationControl.now()
        while true {
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 20)
            if ready < 0 && errno != EINTR { break }
            if !forwarded && cancellation.isCancelled {
                kill(pid, SIGINT)
                forwarded = true
            }
            if !timedOut, bytes.isEmpty, let limit = readingTimeLimit, IterationControl.now() - start > limit {
                kill(pid, SIGKILL)
                timedOut = true
            }
            guard ready > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        close(output)
        return (bytes, timedOut)
    }

    func wait() -> Status {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGABRT: "SIGABRT", SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGTRAP: "SIGTRAP",
                                      SIGINT: "SIGINT", SIGPIPE: "SIGPIPE"]
        let description = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
        return "\(names[signal] ?? "signal \(signal)") (\(description))"
    }
}

/// Fault injection for the tests of process isolation: with LAGRANGE_TEST_SOLVERS=1 in
/// the environment the CLI also routes to `test.abort`, a plugin that calls abort().
struct AbortingTestSolver: SolverPlugin {
    let descriptor = SolverDescriptor(id: "test.abort", kinds: ProblemKind.allCases,
                                      summary: "Calls abort() (fault injection for tests; only with LAGRANGE_TEST_SOLVERS=1)")
    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult { abort() }
}

extension SolverRegistry {
    /// Every built-in solver: the native ones, GLPK's and GSL's (the CLI links all three).
    static let builtIn = SolverRegistry.standard.registeringGLPK().registeringGSL()

    /// The registry every CLI command routes through.
    static let commandLine: SolverRegistry = {
        var registry = SolverRegistry.builtIn
        if ProcessInfo.processInfo.environment["LAGRANGE_TEST_SOLVERS"] == "1" { registry.register(AbortingTestSolver()) }
        return registry
    }()
}
