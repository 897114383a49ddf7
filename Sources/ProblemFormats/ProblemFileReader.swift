import Foundation
import LagrangeCore
import Synchronization

/// Loads problem files of every kind: YAML/JSON problem files by their `kind:`, standard
/// files (MPS, …) by extension. Every failure is an ``InputError`` naming the file.
public enum ProblemFileReader {
    /// Reads the kind-specific part of a YAML problem file into a definition with the
    /// file's header (``YAMLProblemFile/definition(_:notes:)``) and any notes from reading,
    /// those of a standard file it refers to included.
    package typealias KindReader = @Sendable (YAMLProblemFile) throws(InputError) -> ProblemDefinition
    /// Reads a standard file (path → definition).
    package typealias FormatReader = @Sendable (String) throws(InputError) -> ProblemDefinition
    /// Reads a standard file that may come with a separate data file (path, data path →
    /// definition), as a GLPK MathProg model (`.mod`) comes with its `.dat`.
    public typealias DataFormatReader = @Sendable (String, String?) throws(InputError) -> ProblemDefinition

    /// One reader per kind. Families add theirs here.
    static let kindReaders: [ProblemKind: KindReader] = [
        .lp: LPFileReader.read,
        .qp: QPFileReader.read,
        .maxFlow: MaxFlowFileReader.read,
        .linearSystem: LinearSystemFileReader.read,
        .smooth: SmoothFileReader.read,
        .nlp: NLPFileReader.read,
        .svr: SVRFileReader.read,
        .matrixGame: MatrixGameFileReader.read,
        .learning: LearningFileReader.read,
    ]

    /// Standard formats by lower-case extension. Families add theirs here.
    static let formatReaders: [String: FormatReader] = [
        "mps": MPSReader.loadDefinition,
        "qps": MPSReader.loadDefinition,
        "lp": CPLEXLPReader.loadDefinition,
        "max": DIMACSMaxFlow.read,
        "libsvm": LIBSVMProblemReader.read,
        "nfg": MatrixGameFileReader.readNFG,
    ]

    /// Readers added by ``register(extension:reader:)``: formats read through a C library
    /// that this module does not link (GLPK MathProg, added by LagrangeGLPK's
    /// `ProblemFileReader.registerMathProg()`).
    private static let addedReaders = Mutex<[String: DataFormatReader]>([:])

    /// Teaches every `load` a standard format by its extension (lower case, no dot), for
    /// the whole process; a built-in extension cannot be replaced. `reader` gets the file
    /// and the data file passed to ``load(_:mathProgData:)`` (nil when none was given).
    public static func register(extension ext: String, reader: @escaping DataFormatReader) {
        let ext = ext.lowercased()
        precondition(formatReaders[ext] == nil && !yamlExtensions.contains(ext), "'.\(ext)' is a built-in format")
        addedReaders.withLock { $0[ext] = reader }
    }

    /// The reader for a (lower-case) extension: a built-in one, else a registered one.
    static func reader(for ext: String) -> DataFormatReader? {
        if let reader = formatReaders[ext] { return { path, _ throws(InputError) in try reader(path) } }
        return addedReaders.withLock { $0[ext] }
    }

    /// Extensions of YAML problem files.
    package static let yamlExtensions: Set<String> = ["yaml", "yml", "json"]

    /// Every extension `load` understands.
    public static var supportedExtensions: [String] {
        (Array(yamlExtensions) + formatReaders.keys + addedReaders.withLock { Array($0.keys) }).sorted()
    }

    /// The extension that picks the reader: a trailing `.gz` is skipped (`afiro.mps.gz`
    /// reads as `.mps`; the reader decompresses it).
    static func formatExtension(of path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "gz" else { return ext }
        return ((path as NSString).deletingPathExtension as NSString).pathExtension.lowercased()
    }

    /// The file name without its extensions (`.mps.gz` both).
    package static func stem(of path: String) -> String {
        var name = (path as NSString).lastPathComponent
        if (name as NSString).pathExtension.lowercased() == "gz" { name = (name as NSString).deletingPathExtension }
        return (name as NSString).deletingPathExtension
    }

    /// Whether a path names a GLPK MathProg model (`.mod`).
    package static func isMathProg(_ path: String) -> Bool { formatExtension(of: path) == "mod" }

    /// Whether a path looks like a problem file (by extension).
    package static func isProblemFile(_ path: String) -> Bool {
        let ext = formatExtension(of: path)
        return yamlExtensions.contains(ext) || reader(for: ext) != nil
    }

    /// Loads one problem file.
    public static func load(_ path: String) throws(InputError) -> ProblemDefinition {
        try load(path, mathProgData: nil)
    }

    /// Loads one problem file. `mathProgData` is the data file (`.dat`) of a GLPK MathProg
    /// model (`.mod`, read once LagrangeGLPK's `registerMathProg()` has run; the model's own
    /// `data;` section is then skipped); other files ignore it.
    public static func load(_ path: String, mathProgData: String?) throws(InputError) -> ProblemDefinition {
        let ext = formatExtension(of: path)
        if let reader = reader(for: ext) {
            var definition = try reader(path, mathProgData)
            // Standard files carry their expectations in a sidecar, expected/NAME.expect.yaml.
            let sidecar = ExpectationsReader.sidecarPath(for: path)
            if FileManager.default.fileExists(atPath: sidecar) { definition.expectations = try ExpectationsReader.readSidecar(sidecar) }
            return definition
        }
        guard yamlExtensions.contains(ext) else {
            throw InputError(file: path, "unrecognised file type '.\(ext)'; expected one of \(supportedExtensions.map { "." + $0 }.joined(separator: ", "))")
        }
        let file = try YAMLProblemFile(contentsOf: path)
        return try load(file)
    }

    /// Loads a problem saved at `path` that the user knows by `name` (standard input, which
    /// the CLI saves to a private file so a child process can read it): errors and the
    /// definition name `name`, not the private file. A YAML file's relative data paths
    /// resolve against the current directory (standard input has no folder of its own),
    /// and there is no sidecar `expected/` folder to look in.
    public static func load(_ path: String, as name: String, mathProgData: String?) throws(InputError) -> ProblemDefinition {
        do throws(InputError) {
            let ext = formatExtension(of: path)
            if yamlExtensions.contains(ext) {
                var definition = try load(YAMLProblemFile(text: try TextFile.read(path), path: name))
                // Without `name:` a file is named by its stem; "<stdin>" has none, so use the
                // private file's ("stdin"), as a CPLEX LP from standard input is named.
                if definition.name == name { definition.name = stem(of: path) }
                return definition
            }
            guard let reader = reader(for: ext) else {
                throw InputError(file: name, "unrecognised input format '\(ext)'; expected one of \(supportedExtensions.joined(separator: ", "))")
            }
            var definition = try reader(path, mathProgData)
            definition.sourcePath = name
            return definition
        } catch {
            // Only the private file is renamed: a data file it refers to keeps its own path.
            guard error.file == path else { throw error }
            var renamed = error
            renamed.file = name
            throw renamed
        }
    }

    /// Loads a parsed YAML problem file.
    public static func load(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        guard let reader = kindReaders[file.kind] else {
            throw InputError(file: file.path, "kind '\(file.kind.rawValue)' has no file reader yet")
        }
        let definition = try reader(file)
        try file.finish()
        return definition
    }

    /// Loads a standard file named by a YAML file's `file:` key, relative to the YAML file;
    /// the kind reader keeps its notes (``YAMLProblemFile/definition(_:notes:)``).
    package static func loadReferenced(_ value: YAMLValue, from file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let relative = try value.string()
        let path = file.resolve(relative)
        let ext = (path as NSString).pathExtension.lowercased()
        guard let reader = reader(for: ext) else {
            let known = formatReaders.keys + addedReaders.withLock { Array($0.keys) }
            throw value.error("unsupported file type '.\(ext)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        return try reader(path, nil)
    }

    /// Runs a model constructor, turning its ``ModelError`` into an ``InputError`` for `file`.
    package static func model<T>(_ file: String, line: Int? = nil, _ build: () throws(ModelError) -> T) throws(InputError) -> T {
        do { return try build() } catch { throw InputError(file: file, line: line, error.message) }
    }
}
