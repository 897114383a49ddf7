import Foundation
import Lagrange
#if canImport(Glibc)
import Glibc
#endif

/// One run of a sweep: a problem file, a solver, one point of the option grid, a seed and a
/// repeat number. Its ``key`` names it across shards, re-runs and merges.
struct SweepRun: Sendable, Equatable {
    /// The file as the manifest's folder sees it (relative when under it): stable across
    /// machines that check the same tree out in different places.
    var file: String
    /// The path to open.
    var path: String
    var solver: String
    /// The run's options, sorted by name, as `--option NAME=VALUE` text.
    var options: [SweepOption]
    var seed: UInt64?
    /// 1-based; always 1 without `repeats:`.
    var repeatIndex: Int
    /// The reference answer, from the manifest's `reference:` table.
    var expected: SweepManifest.Expected?

    /// `file | solver | name=value,… | seed=S | repeat=R`: everything that makes the run
    /// what it is, nothing about where or when it ran.
    var key: String {
        let optionText = options.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        return [file, solver, optionText, "seed=\(seed.map(String.init) ?? "-")", "repeat=\(repeatIndex)"].joined(separator: " | ")
    }

    /// The solver with its options: what a performance profile compares.
    var configuration: String {
        options.isEmpty ? solver : solver + " " + options.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }

    /// The command-line arguments `lagrange solve` takes for this run.
    var solveArguments: [String] {
        ["--solver", solver, "--format", "json"] + (seed.map { ["--seed", String($0)] } ?? [])
            + options.flatMap { ["--option", "\($0.name)=\($0.value)"] }
    }
}

struct SweepOption: Sendable, Equatable {
    var name: String
    var value: String
}

/// A sweep manifest (docs/sweeps.md):
///
/// ```yaml
/// problems: [lp/*.mps, qp/]          # files, folders, globs; relative to this file
/// solvers: [native.ipm, glpk.simplex]
/// options: {tolerance: [1e-6, 1e-8]} # a list is a grid axis, a scalar is fixed
/// seeds: [1, 2]                      # optional
/// repeats: 3                         # optional, default 1
/// reference: lp/reference.tsv        # optional: name, expected_status, expected_objective
/// ```
///
/// `options:` may also be a list of mappings, one option set each (the explicit form).
/// The runs are problems × solvers × option sets × seeds × repeats.
struct SweepManifest {
    struct Expected: Sendable, Equatable {
        var status: String
        var objective: Double?
    }

    let path: String
    let runs: [SweepRun]
    /// Notes from expanding folders (files skipped as not problems).
    let notes: [String]

    static let keys = ["problems", "solvers", "options", "seeds", "repeats", "reference"]

    init(contentsOf path: String) throws {
        self.path = path
        let top = try YAMLProblemFile.document(text: try TextFile.read(path), path: path, label: "manifest")
        guard top.isMapping else { throw top.error("a sweep manifest is a mapping with problems: and solvers:") }
        let entries = try top.mapping()
        for (key, value) in entries where !Self.keys.contains(key) {
            throw value.error("unknown key '\(key)' in a sweep manifest (expected \(Self.keys.joined(separator: ", ")))")
        }
        func value(_ key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        }

        guard let problemsValue = value("problems") else { throw InputError(file: path, line: 1, "missing 'problems:' (files, folders or globs)") }
        var files: [String] = []
        var notes: [String] = []
        for item in problemsValue.isSequence ? try problemsValue.array() : [problemsValue] {
            let pattern = try item.string()
            let resolved = resolve(pattern)
            let matches = Self.hasGlob(pattern) ? Self.glob(resolved) : [resolved]
            guard !matches.isEmpty else { throw item.error("'\(pattern)' matches no file") }
            do {
                files += try expandProblemPaths(matches, skipped: &notes)
            } catch let error as InputError {
                throw item.error("'\(pattern)': \(error.message)")
            }
        }
        var seen = Set<String>()
        files = files.filter { seen.insert(($0 as NSString).standardizingPath).inserted }

        guard let solversValue = value("solvers") else { throw InputError(file: path, line: 1, "missing 'solvers:' (solver ids)") }
        let solvers = solversValue.isSequence ? try solversValue.uniqueStrings() : [try solversValue.string()]
        guard !solvers.isEmpty else { throw solversValue.error("needs at least one solver id") }
        for id in solvers where SolverRegistry.commandLine.plugin(id: id) == nil {
            throw solversValue.error("unknown solver '\(id)'; `lagrange solvers` lists them")
        }

        let optionSets = try value("options").map(Self.optionSets) ?? [[]]
        var seeds: [UInt64?] = [nil]
        if let seedsValue = value("seeds") {
            let items = seedsValue.isSequence ? try seedsValue.array() : [seedsValue]
            seeds = try items.map { item throws(InputError) -> UInt64? in
                let s = try item.integer()
                guard s >= 0 else { throw item.error("a seed is ≥ 0") }
                return UInt64(s)
            }
            guard !seeds.isEmpty else { throw seedsValue.error("an empty list of seeds; leave the key out instead") }
            guard Set(seeds).count == seeds.count else { throw seedsValue.error("a seed is listed twice") }
        }
        var repeats = 1
        if let repeatsValue = value("repeats") {
            repeats = try repeatsValue.integer()
            guard repeats >= 1 else { throw repeatsValue.error("must be ≥ 1") }
        }
        var reference: [String: Expected] = [:]
        if let referenceValue = value("reference") {
            reference = try Self.readReference(resolve(try referenceValue.string()))
        }

        let base = folder.isEmpty ? "" : (folder as NSString).standardizingPath + "/"
        var runs: [SweepRun] = []
        for file in files {
            let standardized = (file as NSString).standardizingPath
            let shown = !base.isEmpty && standardized.hasPrefix(base) ? String(standardized.dropFirst(base.count)) : file
            let expected = reference[ProblemFileReader.stem(of: file)]
            // Each file goes to the solvers that take its kind (a glob over lp/ and qp/ with
            // an LP-only solver makes no QP runs); a file whose kind cannot be told cheaply
            // goes to all of them, and its load error is then its record.
            let kind = Self.kind(of: file)
            for solver in solvers where kind.map({ SolverRegistry.commandLine.plugin(id: solver)?.descriptor.kinds.contains($0) ?? true }) ?? true {
                for options in optionSets {
                    for seed in seeds {
                        for r in 1...repeats {
                            runs.append(SweepRun(file: shown, path: file, solver: solver, options: options, seed: seed,
                                                 repeatIndex: r, expected: expected))
                        }
                    }
                }
            }
        }
        self.runs = runs
        self.notes = notes
    }

    /// The option sets of `options:`: the cartesian product of a mapping's lists (a scalar is
    /// a one-value axis), or a list of mappings taken as they are.
    static func optionSets(_ value: YAMLValue) throws(InputError) -> [[SweepOption]] {
        func scalarText(_ v: YAMLValue) throws(InputError) -> String {
            guard v.isScalar else { throw v.error("an option value is a number, a word or a list of them") }
            return try v.string()
        }
        func validated(_ set: [SweepOption], at v: YAMLValue) throws(InputError) -> [SweepOption] {
            // The same rules as a problem file's options: block (and `-o`), checked now, not per run.
            _ = try YAMLProblemFile.parseOptions(set.map { ($0.name, $0.value) }, source: v.file)
            return set.sorted { $0.name < $1.name }
        }
        if value.isSequence {
            var sets: [[SweepOption]] = []
            for item in try value.array() {
                guard item.isMapping else { throw item.error("each entry of an options list is a mapping of option values") }
                let set = try item.mapping().map { entry throws(InputError) in SweepOption(name: entry.key, value: try scalarText(entry.value)) }
                sets.append(try validated(set, at: item))
            }
            guard !sets.isEmpty else { throw value.error("an empty options list; leave the key out instead") }
            return sets
        }
        guard value.isMapping else { throw value.error("options: is a mapping (a grid) or a list of mappings") }
        var sets: [[SweepOption]] = [[]]
        for (name, axis) in try value.mapping() {
            let values = axis.isSequence ? try axis.array().map { v throws(InputError) in try scalarText(v) } : [try scalarText(axis)]
            guard !values.isEmpty else { throw axis.error("an empty list of values for '\(name)'") }
            sets = sets.flatMap { set in values.map { set + [SweepOption(name: name, value: $0)] } }
        }
        return try sets.map { set throws(InputError) in try validated(set, at: value) }
    }

    /// A reference table: TSV with a header naming `name`, `expected_status` and
    /// optionally `expected_objective` (the shared data's reference.tsv files).
    static func readReference(_ path: String) throws -> [String: Expected] {
        let lines = try TextFile.read(path).split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let nameColumn = header.firstIndex(of: "name"),
              let statusColumn = header.firstIndex(of: "expected_status") else {
            throw InputError(file: path, line: 1, "a reference table needs the columns name and expected_status")
        }
        let objectiveColumn = header.firstIndex(of: "expected_objective")
        var out: [String: Expected] = [:]
        for (i, row) in lines.dropFirst().enumerated() where row.count > max(nameColumn, statusColumn) {
            var objective: Double?
            if let c = objectiveColumn, c < row.count, !row[c].isEmpty, row[c] != "NA" {
                guard let v = Double(row[c]) else { throw InputError(file: path, line: i + 2, "expected_objective '\(row[c])' is not a number") }
                objective = v
            }
            out[row[nameColumn]] = Expected(status: row[statusColumn], objective: objective)
        }
        return out
    }

    /// A file's kind without parsing it: a YAML/JSON file's top-level `kind:` line, or the
    /// standard formats' extension (.mps lp, .qps qp, .max max-flow, .libsvm svr, .nfg
    /// matrix-game); nil when neither tells.
    static func kind(of path: String) -> ProblemKind? {
        let lower = path.lowercased()
        let name = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
        switch (name as NSString).pathExtension {
        case "mps": return .lp
        case "qps": return .qp
        case "max": return .maxFlow
        case "libsvm": return .svr
        case "nfg": return .matrixGame
        case "yaml", "yml", "json":
            guard let text = try? TextFile.read(path) else { return nil }
            for line in text.split(whereSeparator: \.isNewline) {
                var value: Substring
                if line.hasPrefix("kind:") { value = line.dropFirst(5) }
                else if line.hasPrefix("\"kind\""), let colon = line.firstIndex(of: ":") { value = line[line.index(after: colon)...] }
                else { continue }
                if let hash = value.firstIndex(of: "#") { value = value[..<hash] }
                let word = value.trimmingCharacters(in: CharacterSet(charactersIn: " \t\",'"))
                return ProblemKind(rawValue: word)
            }
            return nil
        default: return nil
        }
    }

    static func hasGlob(_ pattern: String) -> Bool { pattern.contains { "*?[".contains($0) } }

    /// POSIX glob, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { i in result.gl_pathv[i].map { String(cString: $0) } }.sorted()
    }
}

/// Which runs a shard does: the runs ordered by a 64-bit FNV-1a hash of their key (ties by
/// the key), then dealt round-robin. The deal depends only on the set of keys, so
/// re-ordering the manifest changes nothing, and every shard gets ⌊R/N⌋ or ⌈R/N⌉ runs.
enum SweepSharding {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func share(_ runs: [SweepRun], shard: Int, of count: Int) -> [SweepRun] {
        let ordered = runs.map { ($0, $0.key) }.sorted { a, b in
            let ha = fnv1a(a.1), hb = fnv1a(b.1)
            return ha != hb ? ha < hb : a.1 < b.1
        }
        return ordered.enumerated().filter { $0.offset % count == shard }.map(\.element.0)
    }
}
