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

    func validate() throws { try settings.validate() }

    /// The parsed flags as plain values (every field mapped: no defaults in that initializer).
    var settings: SolveSettings {
        SolveSettings(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance, seed: seed,
                      solverOptions: solverOptions, relax: relax, progress: progress, quiet: quiet)
    }
}

/// The common solving flags as plain values (``CommonSolveOptions`` parses them).
struct SolveSettings: Equatable, Sendable {
    var maxIterations: Int?
    var timeLimit: Double?
    var tolerance: Double?
    var seed: UInt64?
    var solverOptions: [String]
    var relax: Bool
    var progress: Bool
    var quiet: Bool

    init(maxIterations: Int?, timeLimit: Double?, tolerance: Double?, seed: UInt64?, solverOptions: [String],
         relax: Bool, progress: Bool, quiet: Bool) {
        self.maxIterations = maxIterations
        self.timeLimit = timeLimit
        self.tolerance = tolerance
        self.seed = seed
        self.solverOptions = solverOptions
        self.relax = relax
        self.progress = progress
        self.quiet = quiet
    }

    /// No flag given.
    init() {
        self.init(maxIterations: nil, timeLimit: nil, tolerance: nil, seed: nil, solverOptions: [], relax: false,
                  progress: false, quiet: false)
    }

    /// The values are checked by ``SolveOptions/validate()``, the one check of the
    /// common options (a file's `options:` and `-o` go through it too); the message names the flag.
    func validate() throws {
        do { try SolveOptions(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance).validate() } catch {
            guard case .invalidOption(let name, let reason) = error else { throw ValidationError("\(error)") }
            throw ValidationError("--\(name.replacingOccurrences(of: "_", with: "-")) \(reason)")
        }
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
            // No -o: the empty block's options, without building a YAML node.
            var fromOptions = pairs.isEmpty ? SolveOptions() : try YAMLProblemFile.parseOptions(pairs, source: "--option")
            fromOptions.verbosity = quiet ? .quiet : fromOptions.verbosity
            let flags = SolveOptions(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance, seed: seed)
            var o = fromOptions.merging(flags)
            if relax { o.parameters[SolveOptions.relaxOptionName] = .bool(true) }
            return o
        }
    }
}

/// ``expandProblemPaths(_:skipped:)`` for a command: the skip notes on stderr, an error
/// printed and exit 2 (solve and check share this).
func commandLineProblemPaths(_ paths: [String]) throws -> [String] {
    var skipped: [String] = []
    let expanded: [String]
    do { expanded = try expandProblemPaths(paths, skipped: &skipped) } catch {
        Console.err(Console.message(for: error, file: nil) + "\n")
        throw CommandExit(status: .badInput)
    }
    for note in skipped { Console.err("note: \(note)\n") }
    return expanded
}

/// Expands files and directories into problem files (directories recursively, sorted).
///
/// In a directory, files that are not problems are skipped, each with a one-line note in
/// `skipped`: a YAML/JSON file without a top-level `kind:` (a CI workflow, a config file),
/// and a data file that a problem file in the same directory tree refers to (an SVR
/// problem's `test:` data is not a problem of its own). A file named explicitly is always
/// read, so its errors are reported.
func expandProblemPaths(_ paths: [String], skipped: inout [String]) throws -> [String] {
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
            var problems: [String] = []
            var referenced = Set<String>()
            for file in found where ProblemFileReader.yamlExtensions.contains((file as NSString).pathExtension.lowercased()) {
                // Read under the readers' caps (a FIFO or a device is refused, not waited on);
                // a file that cannot be read stays in the list, so loading it reports why.
                guard let text = try? TextFile.read(file) else { problems.append(file); continue }
                if !DirectoryScan.hasKind(text) {
                    skipped.append("\(file): not a problem file (no top-level 'kind:'), skipped")
                    continue
                }
                for name in DirectoryScan.referencedFiles(text) {
                    let folder = (file as NSString).deletingLastPathComponent
                    referenced.insert(((name.hasPrefix("/") ? name : folder + "/" + name) as NSString).standardizingPath)
                }
                problems.append(file)
            }
            for file in found where !ProblemFileReader.yamlExtensions.contains((file as NSString).pathExtension.lowercased()) {
                if referenced.contains((file as NSString).standardizingPath) {
                    skipped.append("\(file): data of another problem file here, skipped")
                } else {
                    problems.append(file)
                }
            }
            out += problems.sorted()
        } else {
            out.append(path)
        }
    }
    return out
}

/// Cheap text checks on YAML/JSON files met in a directory, before any is parsed.
enum DirectoryScan {
    /// Whether a top-level `kind:` key (YAML) or `"kind"` key (JSON) appears.
    static func hasKind(_ text: String) -> Bool {
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("kind:") || line.hasPrefix("\"kind\"") { return true }
            if line.hasPrefix("{"), line.contains("\"kind\"") { return true }
        }
        return false
    }

    /// Values that name a file with a problem-file extension (`test: sinc.test.libsvm`).
    static func referencedFiles(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let hash = value.firstIndex(of: "#") { value = String(value[..<hash]).trimmingCharacters(in: .whitespaces) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if !value.isEmpty, !value.contains(" "), ProblemFileReader.isProblemFile(value) { out.append(value) }
        }
        return out
    }
}

import Foundation
