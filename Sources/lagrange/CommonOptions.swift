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

    /// The overrides these flags make on top of a problem file's options. `-o` values are
    /// read by the rules of a file's `options:` block (common options included).
    var solveOptions: SolveOptions {
        get throws {
            let pairs = solverOptions.map { entry -> (name: String, value: String) in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }
            var fromOptions = try YAMLProblemFile.parseOptions(pairs, source: "--option")
            fromOptions.verbosity = quiet ? .quiet : fromOptions.verbosity
            let flags = SolveOptions(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance, seed: seed)
            var o = fromOptions.merging(flags)
            if relax { o.parameters[SolveOptions.relaxOptionName] = .bool(true) }
            return o
        }
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
