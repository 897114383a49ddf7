import ArgumentParser
import Lagrange

/// The options every solving command shares (DESIGN.md's common options).
struct CommonSolveOptions: ParsableArguments {
    @Option(name: .long, help: "Iteration limit (overrides the problem file).")
    var maxIterations: Int?

    @Option(name: .long, help: "Time limit in seconds.")
    var timeLimit: Double?

    @Option(name: .long, help: "The solver's main tolerance.")
    var tolerance: Double?

    @Option(name: .long, help: "Seed for randomized methods (reported in every result).")
    var seed: UInt64?

    @Option(name: [.customShort("o"), .customLong("option")], help: ArgumentHelp("A solver-specific option NAME=VALUE (repeatable).", valueName: "name=value"))
    var solverOptions: [String] = []

    @Flag(name: .long, help: "Solve the LP relaxation of a problem with integer variables (integrality dropped, and the result says so). Without it such a problem goes only to solvers that honour integers.")
    var relax = false

    @Flag(name: .long, help: "Print each iteration to standard error as it happens (a table of the history records).")
    var progress = false

    @Flag(name: .long, help: "Print nothing but errors (JSON output is still printed).")
    var quiet = false

    func validate() throws {
        if let v = maxIterations, v < 1 { throw ValidationError("--max-iterations must be ≥ 1") }
        if let v = timeLimit, !(v > 0) { throw ValidationError("--time-limit must be > 0") }
        if let v = tolerance, !(v > 0 && v.isFinite) { throw ValidationError("--tolerance must be finite and > 0") }
        if progress && quiet { throw ValidationError("--progress and --quiet exclude each other") }
        for o in solverOptions where !o.contains("=") { throw ValidationError("--option expects NAME=VALUE, got '\(o)'") }
    }

    /// The overrides these flags make on top of a problem file's options.
    var solveOptions: SolveOptions {
        var o = SolveOptions(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance, seed: seed,
                             verbosity: quiet ? .quiet : .normal)
        for entry in solverOptions {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0], value = parts.count > 1 ? parts[1] : ""
            if let d = Double(value) { o.parameters[name] = .number(d) }
            else if value == "true" || value == "false" { o.parameters[name] = .bool(value == "true") }
            else { o.parameters[name] = .string(value) }
        }
        if relax { o.parameters[SolveOptions.relaxOptionName] = .bool(true) }
        return o
    }
}

/// Expands files and directories into problem files (directories recursively, sorted).
func expandProblemPaths(_ paths: [String]) throws -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    for path in paths {
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError(file: path, "no such file or directory") }
        if isDirectory.boolValue {
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (fm.enumerator(atPath: base)?.allObjects as? [String] ?? [])
                .filter { ProblemFileReader.isProblemFile($0) && !$0.split(separator: "/").contains("expected") }
                .sorted()
                .map { base + "/" + $0 }
            out += found
        } else {
            out.append(path)
        }
    }
    return out
}

import Foundation
