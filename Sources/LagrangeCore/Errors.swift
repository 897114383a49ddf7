/// A problem with user input: a file, a line (and column) where known, and what is wrong.
///
/// The CLI prints it as `FILE:LINE:COLUMN: message` and exits with code 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file at fault, as the user named it; nil when the input was not a file.
    public var file: String?
    /// The 1-based line where known.
    public var line: Int?
    /// The 1-based column where known.
    public var column: Int?
    /// What is wrong, in plain words.
    public var message: String

    /// An error about `file` (at `line` and `column` where known) saying `message`.
    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var prefix = ""
        if let file { prefix = file }
        if let line { prefix += prefix.isEmpty ? "line \(line)" : ":\(line)" }
        if let column, line != nil { prefix += ":\(column)" }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }

    /// The same error attributed to `file` (kept if already set).
    package func inFile(_ file: String) -> InputError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}

/// A problem model that violates its invariants (dimensions, finiteness, bound order).
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the offending dimension, value or name.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Errors from routing a problem to a solver or from the options given to it.
public enum SolverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No plugin has this id; `valid` lists the ids that accept the problem's kind.
    case unknownSolver(id: String, kind: ProblemKind?, valid: [String])
    /// The plugin exists but does not accept this kind.
    case kindNotSupported(id: String, kind: ProblemKind, valid: [String])
    /// No plugin at all is registered for a kind.
    case noSolver(kind: ProblemKind)
    /// An option name the solver does not understand, or a bad value.
    case invalidOption(name: String, reason: String)
    /// The solver cannot handle this instance (e.g. non-convex objective).
    case unsupported(String)

    public var description: String {
        switch self {
        case let .unknownSolver(id, kind, valid):
            let scope = kind.map { " for kind '\($0.rawValue)'" } ?? ""
            return "unknown solver '\(id)'; valid ids\(scope): \(valid.joined(separator: ", "))"
        case let .kindNotSupported(id, kind, valid):
            return "solver '\(id)' does not accept kind '\(kind.rawValue)'; valid ids: \(valid.joined(separator: ", "))"
        case let .noSolver(kind):
            return "no solver is registered for kind '\(kind.rawValue)'"
        case let .invalidOption(name, reason):
            return "option '\(name)': \(reason)"
        case let .unsupported(reason):
            return reason
        }
    }
}

// `localizedDescription` gives the message rather than "(… error 0.)".
#if canImport(Foundation)
import Foundation

extension InputError: LocalizedError {
    public var errorDescription: String? { description }
}

extension ModelError: LocalizedError {
    public var errorDescription: String? { description }
}

extension SolverError: LocalizedError {
    public var errorDescription: String? { description }
}
#endif
