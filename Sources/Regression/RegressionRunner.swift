import Foundation
import LagrangeCore
import ProblemFormats

/// Runs every problem file under a folder with its listed solvers, checks the files'
/// expectations, and compares each run with its golden history `expected/NAME.SOLVER.json`
/// (see ``HistoryComparison`` and docs/regression.md). `lagrange regress`, the SwiftPM
/// command plugin and the test suite all call this.
public struct RegressionRunner: Sendable {
    /// The registry the runs solve through (usually `SolverRegistry.standard`).
    public var registry: SolverRegistry
    /// Rewrite golden files from the current runs instead of failing on a difference.
    public var update = false
    /// Only these solvers (each on the files whose kind it accepts); empty: the files' own.
    public var solvers: [String] = []
    /// Where to write an SVG overlay (expected vs got) for each regressed run.
    public var plotDirectory: String?

    /// A runner; by default it compares against golden files, runs each file's own solvers and writes no plots.
    public init(registry: SolverRegistry, update: Bool = false, solvers: [String] = [], plotDirectory: String? = nil) {
        self.registry = registry
        self.update = update
        self.solvers = solvers
        self.plotDirectory = plotDirectory
    }

    /// How one run ended.
    public enum Outcome: Sendable, Equatable {
        /// Matches its golden history and meets its expectations.
        case passed
        /// The run differs from its golden history or an expectation is not met.
        case regressed
        /// No golden history yet (run with update to create it).
        case missingGolden
        /// With update: no golden history existed; one was written.
        case created
        /// With update: the golden history was rewritten from this run.
        case updated
        /// Not run, with the reason (the file's `regression: {skip: …}`, or a solver asked for on the
        /// command line that cannot take the instance).
        case skipped(String)
        /// The file or the solver could not be used (bad input).
        case error(String)

        package var word: String {
            switch self {
            case .passed: return "ok"
            case .regressed: return "REGRESSED"
            case .missingGolden: return "NO GOLDEN"
            case .created: return "created"
            case .updated: return "updated"
            case .skipped: return "skipped"
            case .error: return "ERROR"
            }
        }
    }

    /// One problem file × solver.
    public struct Row: Sendable {
        /// The file relative to the folder that was run.
        public var file: String
        /// The solver id, or `-` when the file was not run (bad input or skipped).
        public var solver: String
        /// How the run ended.
        public var outcome: Outcome
        /// The result's termination status (`optimal`, …); empty when the solve did not run.
        public var status: String = ""
        /// The result's iteration count; nil when the solve did not run.
        public var iterations: Int?
        package var expectations: [ExpectationOutcome] = []
        package var comparison: HistoryComparison?
        /// The file had no `expect:` block (or sidecar).
        public var withoutExpectations = false
        /// The golden file for this file and solver (`expected/NAME.SOLVER.json` beside the file); empty when not run.
        public var goldenPath: String = ""
        /// The SVG overlay written for a regressed run (or a message saying it could not be written); nil otherwise.
        public var plotPath: String?

        package var unmetExpectations: [ExpectationOutcome] { expectations.filter { !$0.met } }
    }

    /// The result of a whole run.
    public struct Report: Sendable {
        /// One row per problem file × solver, in run order.
        public var rows: [Row] = []

        /// Rows that regressed or have no golden history: any makes the run fail (exit 1).
        public var regressions: [Row] { rows.filter { [.regressed, .missingGolden].contains($0.outcome) } }
        /// Rows whose file or solver could not be used: any makes the exit code 2.
        public var errors: [Row] { rows.filter { if case .error = $0.outcome { return true } else { return false } } }
        /// Files that make no claims (every file under problems/ should).
        public var filesWithoutExpectations: [String] { Array(Set(rows.filter(\.withoutExpectations).map(\.file))).sorted() }

        /// 0 all passed (or updated), 1 a regression, 2 bad input.
        package var exitCode: Int32 { !errors.isEmpty ? 2 : (regressions.isEmpty ? 0 : 1) }

        /// A table: file, solver, outcome, status, iterations, expectations met.
        public func table() -> String {
            var lines = [RegressionRunner.columns("problem", "solver", "result", "status", "iters", "expectations")]
            for r in rows {
                let met = r.expectations.isEmpty ? (r.withoutExpectations ? "none" : "-")
                    : "\(r.expectations.count - r.unmetExpectations.count)/\(r.expectations.count) met"
                lines.append(RegressionRunner.columns(r.file, r.solver, r.outcome.word, r.status, r.iterations.map(String.init) ?? "", met))
            }
            let passed = rows.filter { [.passed, .created, .updated].contains($0.outcome) }.count
            let skipped = rows.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
            lines.append("\(rows.count) runs: \(passed) ok, \(regressions.count) regressed, \(errors.count) errors, \(skipped) skipped")
            return lines.joined(separator: "\n") + "\n"
        }

        /// The diffs and unmet expectations of every failing run, and the skip reasons.
        public func details() -> String {
            var out = ""
            for r in rows {
                switch r.outcome {
                case .regressed:
                    out += "\n\(r.file) · \(r.solver): regressed (\(r.goldenPath))\n"
                    for m in r.comparison?.mismatches ?? [] { out += "  " + m + "\n" }
                    for e in r.unmetExpectations { out += "  expectation not met: \(e.name) — got \(e.detail)\n" }
                    if let plot = r.plotPath { out += "  overlay: \(plot)\n" }
                case .missingGolden:
                    out += "\n\(r.file) · \(r.solver): no golden history at \(r.goldenPath) (run `lagrange regress --update`)\n"
                    for e in r.unmetExpectations { out += "  expectation not met: \(e.name) — got \(e.detail)\n" }
                case .error(let message):
                    out += "\n\(r.file) · \(r.solver): \(message)\n"
                case .skipped(let reason):
                    out += "\n\(r.file)\(r.solver == "-" ? "" : " · " + r.solver): skipped — \(reason)\n"
                default:
                    break
                }
            }
            return out
        }
    }

    static func columns(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + "  " : s + String(repeating: " ", count: n - s.count) }
        return pad(a, 36) + pad(b, 28) + pad(c, 11) + pad(d, 17) + pad(e, 9) + f
    }

    /// Problem files under a folder (recursively, sorted), skipping `expected/` folders and
    /// hidden entries. A file path is returned as is.
    package static func problemFiles(in path: String) throws(InputError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let all = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String]) ?? []
        return all.filter { relative in
            let parts = relative.split(separator: "/")
            return ProblemFileReader.isProblemFile(relative) && !parts.contains("expected") && !parts.contains { $0.hasPrefix(".") }
        }.sorted().map { base + "/" + $0 }
    }

    /// Where a file's golden history for a solver lives.
    public static func goldenPath(for problemPath: String, solver: String) -> String {
        let directory = (problemPath as NSString).deletingLastPathComponent
        let base = ((problemPath as NSString).lastPathComponent as NSString).deletingPathExtension
        return (directory.isEmpty ? "" : directory + "/") + "expected/\(base).\(solver).json"
    }

    /// The solvers a file is run with: the `solvers` filter (those accepting its kind), else
    /// the file's `expect: {solvers: …}`, else its `solver:`, else the kind's default.
    public func solverIDs(for definition: ProblemDefinition) -> [String] {
        if !solvers.isEmpty {
            return solvers.filter { registry.plugin(id: $0)?.descriptor.kinds.contains(definition.kind) == true }
        }
        if let listed = definition.expectations?.solvers, !listed.isEmpty { return listed }
        return [definition.solverID ?? registry.defaultID(for: definition.problem)].compactMap { $0 }
    }

    /// Runs every problem file under `path` (a folder or one file).
    public func run(_ path: String, progress: (@Sendable (Row) -> Void)? = nil) throws(InputError) -> Report {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        var report = Report()
        let files = try RegressionRunner.problemFiles(in: path)
        // Golden files are named after the problem file's stem: two files with one stem in
        // one folder (a.yaml and a.nfg) would share, and overwrite, each other's goldens.
        var stems: [String: String] = [:]
        for file in files {
            let stem = (file as NSString).deletingPathExtension
            if let other = stems[stem] {
                throw InputError(file: file, "shares its name with \(other); golden histories are named after the file's stem, so rename one")
            }
            stems[stem] = file
        }
        for file in files {
            let relative = file.hasPrefix(base + "/") ? String(file.dropFirst(base.count + 1)) : file
            for row in runFile(file, relative: relative) {
                progress?(row)
                report.rows.append(row)
            }
        }
        return report
    }

    /// Runs one problem file with each of its solvers.
    public func runFile(_ path: String, relative: String) -> [Row] {
        let definition: ProblemDefinition
        do { definition = try ProblemFileReader.load(path) } catch {
            return [Row(file: relative, solver: "-", outcome: .error(RegressionRunner.describe(error, file: path)))]
        }
        let expectations = definition.expectations ?? Expectations()
        if let reason = expectations.regression.skip {
            return [Row(file: relative, solver: "-", outcome: .skipped(reason), withoutExpectations: expectations.isEmpty)]
        }
        let ids = solverIDs(for: definition)
        if ids.isEmpty { return [] }
        let ownSolver = definition.solverID ?? registry.defaultID(for: definition.problem)
        return ids.map { id in
            var row = Row(file: relative, solver: id, outcome: .passed, withoutExpectations: expectations.isEmpty)
            row.goldenPath = RegressionRunner.goldenPath(for: path, solver: id)
            let overrides = expectations.regression.options
            let result: SolveResult
            do {
                result = try registry.solve(definition, solverID: id, options: overrides)
            } catch let SolverError.unsupported(reason) where !solvers.isEmpty && !expectations.solvers.contains(id) {
                // A solver asked for on the command line that cannot take this instance
                // (e.g. an equality-only method on a file with bounds) is not a failure.
                row.outcome = .skipped("\(id) cannot take this instance: \(reason)")
                return row
            } catch {
                row.outcome = .error(RegressionRunner.describe(error, file: path))
                return row
            }
            row.status = result.status.rawValue
            row.iterations = result.iterations
            row.expectations = expectations.evaluate(result, ownSolver: ownSolver)
            let fileName = (path as NSString).lastPathComponent
            let got = GoldenHistory(result: result, file: fileName, options: definition.options.merging(overrides))
            let exists = FileManager.default.fileExists(atPath: row.goldenPath)
            if update {
                let text = got.thinned().serialized()
                let old = exists ? (try? TextFile.read(row.goldenPath)) : nil
                if old != text {
                    do {
                        try FileManager.default.createDirectory(atPath: (row.goldenPath as NSString).deletingLastPathComponent,
                                                                withIntermediateDirectories: true)
                        try text.write(toFile: row.goldenPath, atomically: true, encoding: .utf8)
                    } catch {
                        row.outcome = .error("cannot write \(row.goldenPath): \(error.localizedDescription)")
                        return row
                    }
                    row.outcome = exists ? .updated : .created
                }
                // Unmet expectations are still regressions: an update must not bless them.
                if !row.unmetExpectations.isEmpty { row.outcome = .regressed }
                return row
            }
            guard exists else {
                row.outcome = .missingGolden
                return row
            }
            let expected: GoldenHistory
            do { expected = try GoldenHistory.read(row.goldenPath) } catch {
                row.outcome = .error(RegressionRunner.describe(error, file: row.goldenPath))
                return row
            }
            let comparison = HistoryComparison(expected: expected, got: got, settings: expectations.regression)
            row.comparison = comparison
            if !comparison.passed || !row.unmetExpectations.isEmpty {
                row.outcome = .regressed
                if !comparison.passed, let plotDirectory {
                    let name = (((path as NSString).lastPathComponent as NSString).deletingPathExtension) + ".\(id).svg"
                    let plotPath = (plotDirectory as NSString).appendingPathComponent(name)
                    let svg = ConvergencePlot.svg([.init(label: "expected (golden)", history: expected.history),
                                                   .init(label: "got", history: got.history)],
                                                  title: "\(relative) · \(id): expected vs got")
                    do {
                        try FileManager.default.createDirectory(atPath: plotDirectory, withIntermediateDirectories: true)
                        try svg.write(toFile: plotPath, atomically: true, encoding: .utf8)
                        row.plotPath = plotPath
                    } catch {
                        row.plotPath = "(cannot write \(plotPath): \(error.localizedDescription))"
                    }
                }
            }
            return row
        }
    }

    static func describe(_ error: Error, file: String) -> String {
        switch error {
        case let e as InputError: return e.inFile(file).description
        default: return "\(file): \(error)"
        }
    }
}
