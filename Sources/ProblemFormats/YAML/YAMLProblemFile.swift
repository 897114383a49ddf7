import Foundation
import LagrangeCore
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// A parsed YAML (or JSON) problem file: its top-level mapping, location, and the common
/// header (`kind`, `name`, `solver`, `options`). Kind readers take their keys from it and
/// must ``finish(allowing:)`` so that unknown keys (typos) are reported, not ignored.
public final class YAMLProblemFile {
    /// The path as given (used in messages).
    public let path: String
    /// The folder that relative data paths are resolved against.
    package let directory: String
    /// The `kind:` value (required).
    public let kind: ProblemKind
    /// The `name:` value, or the file name without extension when absent.
    public let name: String
    /// The `solver:` value (a solver id), nil when absent; `--solver` overrides it.
    public let solverID: String?
    /// The line of `solver:`, when given.
    package let solverLine: Int?
    /// The `options:` block (snake_case keys); defaults when absent. The command line's flags override it.
    public let options: SolveOptions
    /// The `expect:` block (same syntax for every kind; see ``ExpectationsReader``).
    public let expectations: Expectations?
    private let entries: [(key: String, value: YAMLValue)]
    private var used: Set<String> = ["kind", "name", "solver", "options", "expect"]

    /// The header keys every kind accepts.
    package static let headerKeys = ["kind", "name", "solver", "options", "expect"]

    /// Parses YAML text. `path` is used for messages and relative paths.
    public init(text: String, path: String) throws(InputError) {
        self.path = path
        self.directory = (path as NSString).deletingLastPathComponent
        let top = try Self.document(text: text, path: path, label: "problem file")
        guard top.isMapping else { throw top.error("the top level must be a mapping with a 'kind:' key") }
        let entries = try top.mapping()
        self.entries = entries
        func value(_ key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }
        guard let kindValue = value("kind") else {
            throw InputError(file: path, line: 1, "missing 'kind:' (one of \(ProblemKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let kindText = try kindValue.string()
        guard let kind = ProblemKind(rawValue: kindText) else {
            throw kindValue.error("unknown kind '\(kindText)'; expected one of \(ProblemKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        self.name = try value("name")?.string() ?? fallbackName
        self.solverID = try value("solver")?.string()
        self.solverLine = value("solver")?.line
        self.options = try value("options").map { v throws(InputError) in try YAMLProblemFile.parseOptions(v) } ?? SolveOptions()
        self.expectations = try value("expect").map { v throws(InputError) in try ExpectationsReader.parse(v) }
    }

    /// The root of a YAML (or JSON) text, with YAML's errors as ``InputError``s at their line
    /// and aliases held to the expansion limit; for any YAML file Lagrange reads.
    package static func document(text: String, path: String, label: String) throws(InputError) -> YAMLValue {
        let root: Node?
        do {
            // Tags are never read: every accessor of YAMLValue interprets the scalar's text
            // itself. The basic resolver keeps Yams's default one from compiling its seven
            // regular expressions through ICU, about a millisecond of every CLI start-up.
            root = try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            throw YAMLProblemFile.convert(e, file: path)
        } catch {
            throw InputError(file: path, "not valid YAML: \(error)")
        }
        guard let root else { throw InputError(file: path, line: 1, "the file is empty") }
        try Self.limitExpansion(root, textBytes: text.utf8.count, path: path)
        return YAMLValue(node: root, file: path, label: label)
    }

    /// Reads and parses a file.
    public convenience init(contentsOf path: String) throws(InputError) {
        try self.init(text: try TextFile.read(path), path: path)
    }

    /// The value of a key, marking it as understood.
    package func value(_ key: String) -> YAMLValue? {
        guard let v = entries.first(where: { $0.key == key })?.value else { return nil }
        used.insert(key)
        return v
    }

    /// The value of a key that must be present.
    package func required(_ key: String, _ what: String = "") throws(InputError) -> YAMLValue {
        guard let v = value(key) else {
            throw missing([key], "missing '\(key):'\(what.isEmpty ? "" : " (\(what))") for kind \(kind.rawValue)")
        }
        return v
    }

    /// The error for missing `keys`: a near spelling of one of them in the file (`minimise:`
    /// for `minimize:`) is reported as the unknown key it is, with its line; otherwise
    /// `message`.
    package func missing(_ keys: [String], _ message: String) -> InputError {
        for (key, v) in entries where !used.contains(key) {
            if let near = keys.first(where: { Self.editDistance(key.lowercased(), $0, atMost: 2) <= 2 }) {
                return InputError(file: path, line: v.line.map { max(1, $0) }, "unknown key '\(key)' (did you mean '\(near)'?)")
            }
        }
        return InputError(file: path, message)
    }

    /// Levenshtein distance, cut off above `atMost` (any larger value means "far").
    static func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    package func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// A path relative to the problem file's folder.
    package func resolve(_ relative: String) -> String {
        if relative.hasPrefix("/") || directory.isEmpty { return relative }
        return directory + "/" + relative
    }

    /// Throws for any top-level key no reader asked for.
    package func finish() throws(InputError) {
        for (key, v) in entries where !used.contains(key) {
            throw InputError(file: path, line: v.line.map { max(1, $0) }, "unknown key '\(key)' for kind \(kind.rawValue)")
        }
    }

    /// The definition of this file's problem: the header's name, solver, options and
    /// expectations, and `notes` from reading it (a referenced standard file's, say).
    package func definition(_ problem: Problem, notes: [String] = []) -> ProblemDefinition {
        var definition = ProblemDefinition(name: name, problem: problem, sourcePath: path, solverID: solverID,
                                           options: options, notes: notes, expectations: expectations)
        definition.solverLine = solverLine
        return definition
    }

    /// An error about the file as a whole.
    package func error(_ message: String) -> InputError { InputError(file: path, message) }

    /// The `options:` block: common options by name, everything else solver-specific.
    /// Options given as NAME=VALUE text (the CLI's `-o`), read by the same rules as a file's
    /// `options:` block, so `-o history=off` or `-o verbosity=quiet` mean what they mean there.
    package static func parseOptions(_ pairs: [(name: String, value: String)], source: String) throws(InputError) -> SolveOptions {
        // Tagged for the basic resolver, as `document` parses (Yams's `.implicit` tag would
        // build the default resolver and its regular expressions).
        let tag = Tag(.implicit, .basic)
        let mapping = Node.mapping(Node.Mapping(pairs.map { (Node($0.name, tag), Node($0.value, tag)) }, tag))
        return try parseOptions(YAMLValue(node: mapping, file: source, label: "option"))
    }

    /// Text becomes values here; their ranges are checked once, by ``SolveOptions/validate()``,
    /// whose reason is reported at the offending key's line.
    static func parseOptions(_ block: YAMLValue) throws(InputError) -> SolveOptions {
        var options = SolveOptions()
        let entries = try block.mapping()
        for (key, v) in entries {
            switch key {
            case "max_iterations":
                options.maxIterations = try v.integer()
            case "time_limit":
                options.timeLimit = try v.number()
            case "tolerance":
                options.tolerance = try v.number()
            case "seed":
                let s = try v.integer()
                guard s >= 0 else { throw v.error("must be ≥ 0") }
                options.seed = UInt64(s)
            case "verbosity":
                let s = try v.string()
                guard let verbosity = Verbosity(rawValue: s) else { throw v.error("expected quiet, normal or progress") }
                options.verbosity = verbosity
            case "history":
                options.historyStorage = try parseHistory(v)
            default:
                if v.isScalar {
                    if let d = try? v.number(allowInfinite: true) { options.parameters[key] = .number(d) }
                    else if let b = try? v.bool() { options.parameters[key] = .bool(b) }
                    else { options.parameters[key] = .string(try v.string()) }
                } else {
                    throw v.error("solver options must be single values")
                }
            }
        }
        do { try options.validate() } catch {
            guard case .invalidOption(let name, let reason) = error, let v = entries.first(where: { $0.key == name })?.value else {
                throw block.error("\(error)")
            }
            throw v.error(reason)
        }
        return options
    }

    /// `all`, `off`, `every N`, or `bounded N` (N's range is checked by ``SolveOptions/validate()``).
    static func parseHistory(_ v: YAMLValue) throws(InputError) -> HistoryStorage {
        let parts = try v.string().split(separator: " ").map(String.init)
        switch (parts.first, parts.count) {
        case ("all", 1): return .all
        case ("off", 1): return .off
        case ("every", 2): if let n = Int(parts[1]) { return .every(n) }
        case ("bounded", 2): if let n = Int(parts[1]) { return .bounded(n) }
        default: break
        }
        throw v.error("expected 'all', 'off', 'every N' or 'bounded N'")
    }

    /// The most nodes a document may hold once its aliases are expanded: its size in
    /// bytes (a node written out takes at least one), or 100 000 for a small file. Aliases
    /// can share an options block or repeat a row; they cannot turn 24 KB into a
    /// 3000 × 3000 matrix (the "billion laughs" attack on YAML readers).
    package static func maximumExpandedNodes(textBytes: Int) -> Int { max(100_000, textBytes) }

    /// Counts the expanded document's nodes, stopping at the cap.
    static func limitExpansion(_ root: Node, textBytes: Int, path: String) throws(InputError) {
        let cap = maximumExpandedNodes(textBytes: textBytes)
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            guard count <= cap else {
                throw InputError(file: path, "YAML aliases expand this \(textBytes)-byte file to more than \(cap) values; write large data out (or in a referenced data file) instead of repeating it through aliases")
            }
            switch node {
            case .scalar, .alias: break
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            }
        }
    }

    static func convert(_ e: YamlError, file: String) -> InputError {
        switch e {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return InputError(file: file, line: mark.line, column: mark.column, "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the first occurrence of the first duplicated key; the line to fix
            // is the repetition: the next line with that key at the same indentation.
            let key = duplicates.first ?? ""
            let first = context.mark.line, indent = max(0, context.mark.column - 1)
            let lines = context.text.split(separator: "\n", omittingEmptySubsequences: false)
            var repeated: Int?
            for (offset, line) in lines.enumerated().dropFirst(first) {
                let body = line.dropFirst(indent)
                guard line.prefix(indent).allSatisfy({ $0 == " " }), body.hasPrefix(key) else { continue }
                if body.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" { repeated = offset + 1; break }
            }
            let others = duplicates.count > 1 ? " (also repeated: \(duplicates.dropFirst().joined(separator: ", ")))" : ""
            return InputError(file: file, line: repeated ?? first, "duplicate key '\(key)', first given on line \(first)\(others)")
        case let .reader(problem, _, _, _):
            return InputError(file: file, "cannot read as text: \(problem)")
        default:
            return InputError(file: file, "not valid YAML: \(e)")
        }
    }
}

/// Reading whole files with clear errors, under one cap for every reader.
///
/// Every problem reader gets its bytes here: only regular files are read (a FIFO would
/// block, a device never ends), and at most ``maximumBytes`` of them; gzip data is held
/// to the same cap once decompressed.
package enum TextFile {
    /// Largest file a reader loads whole (1 GiB); bigger ones are refused, not allocated.
    package static let maximumBytes = 1 << 30

    /// UTF-8 text of a file; errors for a missing, unreadable, huge or binary file.
    package static func read(_ path: String) throws(InputError) -> String {
        let data = try bytes(path)
        if data.contains(0) { throw InputError(file: path, "binary data (NUL bytes): not a text file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, "not valid UTF-8 text") }
        return text
    }

    /// Raw bytes of a regular file of at most `maximumBytes` bytes.
    package static func bytes(_ path: String, maximumBytes: Int = TextFile.maximumBytes) throws(InputError) -> Data {
        // Non-blocking, so opening a FIFO with no writer returns at once (to be refused below).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno
            if reason == ENOENT { throw InputError(file: path, "no such file") }
            throw InputError(file: path, "cannot open the file (\(String(cString: strerror(reason))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(file: path, "cannot read the file (\(String(cString: strerror(errno))))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw InputError(file: path, "is a directory, expected a file")
        default:
            let what = info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : info.st_mode & S_IFMT == S_IFSOCK ? "a socket" : "a device"
            throw InputError(file: path, "not a regular file (\(what)); problem files must be regular files")
        }
        let size = Int(info.st_size)
        guard size <= maximumBytes else {
            throw InputError(file: path, "file is \(size) bytes, larger than the \(maximumBytes)-byte limit")
        }
        return try readToEnd(fd, name: path, expected: size, maximumBytes: maximumBytes)
    }

    /// Raw bytes of standard input, at most `maximumBytes` of them (the files' cap), read
    /// to its end once; `name` names it in errors. A pipe or a terminal is fine here: the
    /// user asked for standard input, so waiting on it is what they expect.
    package static func standardInput(name: String = "<stdin>", maximumBytes: Int = TextFile.maximumBytes) throws(InputError) -> Data {
        try readToEnd(STDIN_FILENO, name: name, expected: 0, maximumBytes: maximumBytes)
    }

    /// Reads `fd` to its end, refusing more than `maximumBytes`; `expected` sizes the first buffer.
    private static func readToEnd(_ fd: Int32, name path: String, expected size: Int, maximumBytes: Int) throws(InputError) -> Data {
        var data = Data(count: size)
        var filled = 0
        // A file that grows while read is still held to the cap: read at most one byte past it.
        while true {
            if filled == data.count {
                guard filled <= maximumBytes else {
                    throw InputError(file: path, "file is larger than the \(maximumBytes)-byte limit")
                }
                data.count = min(maximumBytes + 1, max(data.count * 2, 1 << 16))
            }
            let n = data.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, "cannot read the file (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            filled += n
        }
        guard filled <= maximumBytes else { throw InputError(file: path, "file is larger than the \(maximumBytes)-byte limit") }
        data.count = filled
        return data
    }
}
