#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGLPK
import CGLPKShim
import LagrangeCore

/// Parses GLPK's iteration log into ``IterationRecord``s.
///
/// Simplex lines (GLPK 5, `spxprim.c` / `spydual.c`), one per iteration with `out_frq = 0`:
///
///     " %6d: obj = %17.9e inf = %11.3e (%d)"   primal phase 1: inf = Σ primal infeasibilities, (n) = their count
///     "*%6d: obj = %17.9e inf = %11.3e (%d)"   primal phase 2: (n) = non-optimal reduced costs
///     " %6d: sum = %17.9e inf = %11.3e (%d)"   dual phase 1: inf = Σ dual infeasibilities, (n) = their count
///     "#%6d: obj = %17.9e inf = %11.3e (%d)"   dual phase 2: inf = Σ dual infeasibilities, (n) = primal infeasibilities
///     "~%6d: obj = %17.9e  infeas = %10.3e"    empty constraint matrix (solved without iterations)
///
/// optionally followed by the number of factorizations and a flip percentage. The objective
/// is in the problem's own sense and includes c₀. Interior-point lines (`glpipm.c`):
///
///     "%3d: obj = %17.9e; rpi = %8.1e; rdi = %8.1e; gap = %8.1e"
///
/// where obj is for the minimization form (negated for a maximization) and rpi, rdi, gap are
/// GLPK's relative primal / dual infeasibility and relative gap.
enum GLPKLog {
    /// Extra metric keys, in the order they appear in records.
    static let phaseKey = "phase"
    static let primalInfeasibleCountKey = "primal_infeasible_count"
    static let dualInfeasibleCountKey = "dual_infeasible_count"

    /// A simplex progress line as a record, or nil for any other line.
    static func simplexRecord(_ line: String) -> IterationRecord? {
        var rest = Substring(line)
        var marker: Character = " "
        if let first = rest.first, "*#~".contains(first) {
            marker = first
            rest = rest.dropFirst()
        }
        guard let colon = rest.firstIndex(of: ":"),
              let iteration = Int(rest[..<colon].trimmingSpaces), iteration >= 0 else { return nil }
        let fields = keyedNumbers(rest[rest.index(after: colon)...])
        var count: Double?
        if let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            count = Int(rest[rest.index(after: open)..<close]).map(Double.init)
        }
        switch marker {
        case "~":
            guard let obj = fields["obj"] else { return nil }
            return IterationRecord(iteration: iteration, objective: obj, primalResidual: fields["infeas"])
        case "*":
            guard let obj = fields["obj"] else { return nil }
            return IterationRecord(iteration: iteration, objective: obj, primalResidual: fields["inf"],
                                   extras: metrics(phase: 2, dualCount: count))
        case "#":
            guard let obj = fields["obj"] else { return nil }
            return IterationRecord(iteration: iteration, objective: obj, dualResidual: fields["inf"],
                                   extras: metrics(phase: 2, primalCount: count))
        default:
            if let obj = fields["obj"] {
                return IterationRecord(iteration: iteration, objective: obj, primalResidual: fields["inf"],
                                       extras: metrics(phase: 1, primalCount: count))
            }
            // Dual phase 1: the objective under artificial bounds means nothing (GLPK says so).
            guard fields["sum"] != nil else { return nil }
            return IterationRecord(iteration: iteration, dualResidual: fields["inf"],
                                   extras: metrics(phase: 1, dualCount: count))
        }
    }

    /// An interior-point progress line as a record, or nil for any other line.
    static func interiorRecord(_ line: String, sense: ObjectiveSense) -> IterationRecord? {
        guard let colon = line.firstIndex(of: ":"),
              let iteration = Int(line[..<colon].trimmingSpaces), iteration >= 0 else { return nil }
        let fields = keyedNumbers(line[line.index(after: colon)...])
        guard let obj = fields["obj"] else { return nil }
        return IterationRecord(iteration: iteration, objective: sense == .minimize ? obj : -obj,
                               primalResidual: fields["rpi"], dualResidual: fields["rdi"], gap: fields["gap"])
    }

    private static func metrics(phase: Double, primalCount: Double? = nil, dualCount: Double? = nil) -> [Metric] {
        var extras = [Metric(phaseKey, phase)]
        if let primalCount { extras.append(Metric(primalInfeasibleCountKey, primalCount)) }
        if let dualCount { extras.append(Metric(dualInfeasibleCountKey, dualCount)) }
        return extras
    }

    /// `key = number` pairs, separators `;` and spaces ignored.
    private static func keyedNumbers(_ text: Substring) -> [String: Double] {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == ";" })
        var out: [String: Double] = [:]
        var k = 0
        while k + 2 < tokens.count {
            if tokens[k + 1] == "=", let v = Double(tokens[k + 2]) {
                out[String(tokens[k])] = v + 0 // -0.0 → 0.0, so output does not depend on GLPK's rounding sign
                k += 3
            } else {
                k += 1
            }
        }
        return out
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// Receives everything GLPK writes to its terminal during one solve (installed with
/// `glp_term_hook`, so nothing reaches stdout), turns progress lines into records for the
/// ``IterationControl``, and forwards the text to stderr under `--progress`.
///
/// One instance per solve, used only on the solving thread (GLPK's environment, and so the
/// hook, is thread-local). Under ``capturing(_:)`` GLPK cannot be stopped from inside the
/// hook, so a stop the control asks for is kept in ``pendingStop`` and applied by the
/// plugin when GLPK returns; ``interior(_:_:)`` stops `glp_interior` at the log line.
final class GLPKTerminal {
    enum Log { case simplex, interior }

    private let control: IterationControl
    private let log: Log
    private let sense: ObjectiveSense
    private let forwardToStandardError: Bool
    /// Passed to ``IterationControl/record(_:iterationLimit:)``: the simplex enforces the
    /// iteration limit through GLPK's `it_lim`, so records must not report it a second time.
    private let recordIterationLimit: Int?
    private var pending: [UInt8] = []
    /// Last iteration recorded: restarted chunks repeat the iteration they stopped at.
    private(set) var lastIteration: Int?
    /// The first stop status the control returned, if any.
    private(set) var pendingStop: TerminationStatus?
    /// Set when the simplex runs in chunks: each restarted `glp_simplex` call repeats its
    /// header and announces the chunk's iteration limit, which stderr should not show.
    var isChunked = false
    private var forwardedLines = Set<String>()
    /// The line before the current one, shown with GLPK's fatal-error banner.
    private var previousLine = ""
    /// GLPK's message when it detected an error (invalid use or an internal inconsistency)
    /// and a guarded call recovered from it.
    private(set) var glpkError: String?

    init(control: IterationControl, log: Log, sense: ObjectiveSense, verbosity: Verbosity, recordIterationLimit: Int?) {
        self.control = control
        self.log = log
        self.sense = sense
        self.forwardToStandardError = verbosity == .progress
        self.recordIterationLimit = recordIterationLimit
    }

    /// Runs `body` with this terminal installed as GLPK's term hook on the current thread,
    /// and removes the hook afterwards (back to GLPK's default for later users).
    func capturing<T>(_ body: () throws -> T) rethrows -> T {
        let context = Unmanaged.passUnretained(self).toOpaque()
        glp_term_hook({ info, text in
            guard let info, let text else { return 1 }
            Unmanaged<GLPKTerminal>.fromOpaque(info).takeUnretainedValue().receive(text)
            return 1 // non-zero: GLPK prints nothing itself
        }, context)
        defer {
            flush()
            glp_term_hook(nil, nil)
        }
        return try withExtendedLifetime(self) { try body() }
    }

    /// Runs `glp_interior` with this terminal as its log, stopping it at the first log line
    /// (one per iteration, and one per setup phase) after the control asks for a stop: the
    /// time limit, cancellation, an observer, or `max_iterations`.
    ///
    /// Returns GLPK's code, or nil when GLPK was stopped. A stop frees GLPK's environment
    /// on this thread (the only way out of `glp_interior`, see `lagrange_glp_interior`):
    /// `prob` and every other GLPK object this thread created are gone, and its iterate with
    /// them. ``pendingStop`` then says why.
    func interior(_ prob: OpaquePointer, _ parm: inout glp_iptcp) -> Int32? {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var interrupted: Int32 = 0
        let code = withExtendedLifetime(self) {
            lagrange_glp_interior(prob, &parm, { info, text in
                guard let info, let text else { return 0 }
                let terminal = Unmanaged<GLPKTerminal>.fromOpaque(info).takeUnretainedValue()
                terminal.receive(text)
                if terminal.pendingStop == nil, let stop = terminal.control.checkInterrupt() { terminal.pendingStop = stop }
                return terminal.pendingStop == nil ? 0 : 1
            }, context, &interrupted)
        }
        flush()
        if interrupted == 2 && glpkError == nil { glpkError = "glp_interior failed" }
        return interrupted == 0 ? code : nil
    }

    /// Runs a guarded GLPK call (see `lagrange_glpk_generation`): throws with GLPK's message
    /// when GLPK detected an error, after which this thread's GLPK objects are gone.
    func guarded<T>(_ solverID: String, _ call: (_ failed: UnsafeMutablePointer<Int32>) -> T) throws -> T {
        var failed: Int32 = 0
        let value = call(&failed)
        guard failed == 0 else {
            flush()
            throw GLPKInternalError(solverID: solverID, message: glpkError ?? "no message")
        }
        return value
    }

    private func receive(_ text: UnsafePointer<CChar>) {
        var p = text
        while p.pointee != 0 {
            let byte = UInt8(bitPattern: p.pointee)
            if byte == 10 { endLine() } else { pending.append(byte) }
            p += 1
        }
    }

    private func flush() {
        if !pending.isEmpty { endLine() }
    }

    private func endLine() {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        let record: IterationRecord?
        switch log {
        case .simplex: record = GLPKLog.simplexRecord(line)
        case .interior: record = GLPKLog.interiorRecord(line, sense: sense)
        }
        if let record {
            // A restarted chunk first repeats the iteration where the previous one stopped.
            if let lastIteration, record.iteration <= lastIteration { return }
            lastIteration = record.iteration
            if let stop = control.record(record, iterationLimit: recordIterationLimit), pendingStop == nil {
                pendingStop = stop
            }
        } else if isChunked {
            if line.hasPrefix("ITERATION LIMIT EXCEEDED") || !forwardedLines.insert(line).inserted { return }
        }
        if line.hasPrefix("Error detected in file") {
            // glp_error: the guarded call recovers and the plugin reports this message.
            glpkError = "\(previousLine) (\(line.dropFirst("Error detected in ".count)))"
        }
        if forwardToStandardError { writeToStandardError(line) }
        previousLine = line
    }

    private func writeToStandardError(_ line: String) {
        // write(2) rather than the global `stderr`, which strict concurrency rejects.
        var text = line + "\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}

/// GLPK detected invalid use or an internal inconsistency (`glp_error`, which would abort
/// the process) and a guarded call recovered: this thread's GLPK environment was reset.
struct GLPKInternalError: Error, CustomStringConvertible {
    let solverID: String
    let message: String
    var description: String { "\(solverID): GLPK stopped on an internal error: \(message); its state on this thread was reset" }
}

/// A way into the guarded path for tests: runs GLPK's presolver on an LP without the checks
/// the plugins make first, so a test can show that GLPK's own error is recovered.
package enum GLPKErrorProbe {
    package static func presolveUnchecked(_ lp: LinearProgram) throws {
        let prob = try GLPKModel.load(lp)
        let generation = lagrange_glpk_generation()
        defer { if lagrange_glpk_generation() == generation { glp_delete_prob(prob) } }
        let terminal = GLPKTerminal(control: IterationControl(options: SolveOptions()), log: .simplex, sense: lp.sense,
                                    verbosity: .quiet, recordIterationLimit: nil)
        try terminal.capturing { () throws in
            var parm = glp_smcp()
            glp_init_smcp(&parm)
            parm.presolve = GLP_ON
            _ = try terminal.guarded("glpk.simplex") { lagrange_glp_simplex_guarded(prob, &parm, $0) }
        }
    }
}
