/// A value of a solver-specific option, as read from a problem file or the CLI.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    /// A number (integers too: `max_iterations: 10` reads as 10.0).
    case number(Double)
    /// A word or text (`method: dual`).
    case string(String)
    /// A flag (`relax: true`).
    case bool(Bool)

    public var description: String {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .string(let s): return s
        case .bool(let b): return String(b)
        }
    }

    /// The number, or nil for a string or a flag.
    public var doubleValue: Double? {
        if case .number(let v) = self { return v }
        if case .string(let s) = self { return Double(s) }
        return nil
    }
}

/// How much a solve prints while it runs.
public enum Verbosity: String, Sendable, Codable, CaseIterable {
    /// Nothing.
    case quiet
    /// Nothing during the solve; the caller prints the summary.
    case normal
    /// The solver's iteration log on standard error (`--progress`).
    case progress
}

/// How the convergence history is kept.
public enum HistoryStorage: Sendable, Equatable, Codable {
    /// Every record.
    case all
    /// Every n-th record, plus the first and the last.
    case every(Int)
    /// At most `limit` records: when full, every other record is dropped and the stride
    /// doubles, so long runs keep a geometrically thinned history. First and last are kept.
    case bounded(Int)
    /// No records (observers still see every iteration).
    case off

    /// The default: bounded to 10 000 records.
    public static let standard = HistoryStorage.bounded(10_000)
}

/// The common options a solver can declare it honours (``SolverDescriptor/commonOptions``).
/// Given to a solver that does not, an option is noted in the result as ignored, never
/// dropped silently (a max-flow solver has no tolerance: its answer is exact).
public enum CommonOption: String, CaseIterable, Sendable {
    /// ``SolveOptions/maxIterations`` (`max_iterations`).
    case maxIterations = "max_iterations"
    /// ``SolveOptions/timeLimit`` (`time_limit`).
    case timeLimit = "time_limit"
    /// ``SolveOptions/tolerance`` (`tolerance`).
    case tolerance

    /// Whether `options` sets this option.
    package func isSet(in options: SolveOptions) -> Bool {
        switch self {
        case .maxIterations: options.maxIterations != nil
        case .timeLimit: options.timeLimit != nil
        case .tolerance: options.tolerance != nil
        }
    }
}

/// Options common to every solver, plus solver-specific ones by snake_case name.
///
/// `nil` means "the solver's default". Options merge: a problem file's `options:` block is
/// overridden by the CLI's flags (``merging(_:)``).
public struct SolveOptions: Sendable, Equatable {
    /// Stop after this many iterations (`max_iterations`). Must be ≥ 1.
    public var maxIterations: Int?
    /// Stop after this many seconds (`time_limit`). Must be > 0.
    public var timeLimit: Double?
    /// The solver's main tolerance (`tolerance`). Must be > 0.
    public var tolerance: Double?
    /// Seed for randomized methods (`seed`); 0 when not given. Reported in every result.
    public var seed: UInt64?
    /// How much a solver prints (`verbosity`).
    public var verbosity: Verbosity
    /// Which iteration records the result keeps (`history`).
    public var historyStorage: HistoryStorage
    /// Solver-specific options by snake_case name, validated against the descriptor.
    public var parameters: [String: OptionValue]

    /// Options with every common value at the solver's default (nil), normal verbosity and the
    /// standard bounded history.
    public init(maxIterations: Int? = nil, timeLimit: Double? = nil, tolerance: Double? = nil, seed: UInt64? = nil,
                verbosity: Verbosity = .normal, historyStorage: HistoryStorage = .standard,
                parameters: [String: OptionValue] = [:]) {
        self.maxIterations = maxIterations
        self.timeLimit = timeLimit
        self.tolerance = tolerance
        self.seed = seed
        self.verbosity = verbosity
        self.historyStorage = historyStorage
        self.parameters = parameters
    }

    /// The names of the common options, as they appear in files.
    package static let commonOptionNames = ["max_iterations", "time_limit", "tolerance", "seed", "verbosity", "history", relaxOptionName]

    /// `relax: true` solves a mixed-integer program's LP relaxation (integrality dropped,
    /// and the result says so); without it a mixed-integer program goes only to solvers
    /// that honour integers.
    package static let relaxOptionName = "relax"

    /// The seed actually used.
    public var effectiveSeed: UInt64 { seed ?? 0 }

    /// These options with every non-nil field of `overrides` taking precedence.
    package func merging(_ overrides: SolveOptions) -> SolveOptions {
        var m = self
        if let v = overrides.maxIterations { m.maxIterations = v }
        if let v = overrides.timeLimit { m.timeLimit = v }
        if let v = overrides.tolerance { m.tolerance = v }
        if let v = overrides.seed { m.seed = v }
        if overrides.verbosity != .normal { m.verbosity = overrides.verbosity }
        if overrides.historyStorage != .standard { m.historyStorage = overrides.historyStorage }
        m.parameters.merge(overrides.parameters) { _, new in new }
        return m
    }

    /// Checks ranges of the common options: the one place their values are validated. The
    /// problem-file reader and the command line parse text into values and call this,
    /// putting the file and line (or the flag) in front of the reason; the registry calls
    /// it on every solve, for options built in code.
    package func validate() throws(SolverError) {
        if let v = maxIterations, v < 1 { throw .invalidOption(name: "max_iterations", reason: "must be ≥ 1, got \(v)") }
        if let v = timeLimit, !(v > 0) { throw .invalidOption(name: "time_limit", reason: "must be > 0 seconds, got \(v)") }
        if let v = tolerance, !(v > 0 && v.isFinite) { throw .invalidOption(name: "tolerance", reason: "must be > 0 and finite, got \(v)") }
        switch historyStorage {
        case .every(let n) where n < 1: throw .invalidOption(name: "history", reason: "every N needs N ≥ 1, got \(n)")
        case .bounded(let n) where n < 2: throw .invalidOption(name: "history", reason: "bounded N needs N ≥ 2, got \(n)")
        default: break
        }
    }

    /// A solver-specific number, or `defaultValue`.
    public func number(_ name: String, default defaultValue: Double) throws(SolverError) -> Double {
        guard let v = parameters[name] else { return defaultValue }
        guard let d = v.doubleValue, d.isFinite else { throw .invalidOption(name: name, reason: "expected a number, got '\(v)'") }
        return d
    }

    /// A solver-specific string (enumerations such as a method name), or `defaultValue`.
    public func string(_ name: String, default defaultValue: String, allowed: [String]) throws(SolverError) -> String {
        guard let v = parameters[name] else { return defaultValue }
        let s = v.description
        guard allowed.contains(s) else { throw .invalidOption(name: name, reason: "expected one of \(allowed.joined(separator: ", ")), got '\(s)'") }
        return s
    }

    /// A solver-specific boolean (`true`/`yes`/`on` or `false`/`no`/`off`), or `defaultValue`.
    public func flag(_ name: String, default defaultValue: Bool) throws(SolverError) -> Bool {
        guard let v = parameters[name] else { return defaultValue }
        switch v {
        case .bool(let b): return b
        case .string("true"), .string("yes"), .string("on"): return true
        case .string("false"), .string("no"), .string("off"): return false
        default: throw .invalidOption(name: name, reason: "expected true or false (on or off), got '\(v)'")
        }
    }
}
