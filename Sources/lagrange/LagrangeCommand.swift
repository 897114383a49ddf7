import ArgumentParser
import Foundation
import Lagrange

/// Exit codes of the CLI contract: 0 definitive answers, 1 any other solver outcome,
/// 2 bad input or usage.
enum ExitStatus: Int32 {
    case definitive = 0
    case undecided = 1
    case badInput = 2
}

/// Thrown by `run()` to end with a given exit code after output was written.
struct CommandExit: Error {
    var status: ExitStatus
}

struct LagrangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lagrange",
        abstract: "Optimization solvers behind one protocol: LP, QP, smooth, linear systems, SVR, max-flow, matrix games.",
        subcommands: [SolveCommand.self, SolversCommand.self, CheckCommand.self, PredictCommand.self, RegressCommand.self, BenchCommand.self, SweepCommand.self]
    )
}

enum Console {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// A user-facing message for any error thrown while loading or solving.
    static func message(for error: Error, file: String?) -> String {
        switch error {
        case let e as InputError: return "error: " + (file.map { e.inFile($0) } ?? e).description
        case let e as ModelError: return "error: " + (file.map { "\($0): " } ?? "") + e.description
        case let e as SolverError: return "error: " + (file.map { "\($0): " } ?? "") + e.description
        default: return "error: " + (file.map { "\($0): " } ?? "") + "\(error)"
        }
    }
}

/// A routing error about the solver a file names (`solver:`, no --solver given) is located
/// at that line of the file; other errors are returned as they are.
func locatingFileSolver(_ error: any Error, _ definition: ProblemDefinition, explicitID: String?, path: String) -> any Error {
    guard explicitID == nil, definition.solverID != nil, let error = error as? SolverError else { return error }
    switch error {
    case .unknownSolver, .kindNotSupported: return InputError(file: path, line: definition.solverLine, error.description)
    default: return error
    }
}

/// Writes text to a file, as an InputError naming the path on failure.
func writeFile(_ path: String, _ text: String) throws {
    do { try text.write(toFile: path, atomically: true, encoding: .utf8) }
    catch { throw InputError(file: path, "cannot write: \(error.localizedDescription)") }
}
