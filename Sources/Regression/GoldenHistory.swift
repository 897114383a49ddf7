import Foundation
import LagrangeCore
import ProblemFormats

/// A golden history: what one solver did on one problem file, stored as
/// `expected/NAME.SOLVER.json` next to the file. It holds the run's identity (solver id,
/// options, seed), its outcome (status, iterations, final objective and solution) and its
/// convergence history thinned to at most ``recordLimit`` records. Timing is never stored
/// as something to compare (`seconds` fields are dropped).
package struct GoldenHistory: Sendable, Equatable {
    /// Format version of the file.
    package static let formatVersion = 1
    /// Most records a golden file keeps: the first ``leadingRecords`` in full (divergence
    /// usually shows early), then evenly spaced ones, and always the last.
    package static let recordLimit = 120
    package static let leadingRecords = 40
    /// Solutions with more variables are stored as their 2-norm only.
    package static let solutionLimit = 50

    package var problem: String
    /// The problem file's name (relative to its folder).
    package var file: String
    package var solver: String
    /// The options the run used (the file's, merged with regression overrides).
    package var options: [String: JSONValue]
    /// nil for a solver that uses no seed.
    package var seed: UInt64?
    package var status: String
    package var iterations: Int
    package var objective: Double?
    /// Final primal values by name (empty when there are more than ``solutionLimit``).
    package var solution: [(name: String, value: Double)]
    package var solutionNorm: Double
    /// How many records the solver reported (before any thinning).
    package var reportedRecords: Int
    package var records: [IterationRecord]

    package init(problem: String, file: String, solver: String, options: [String: JSONValue], seed: UInt64?, status: String,
                iterations: Int, objective: Double?, solution: [(name: String, value: Double)], solutionNorm: Double,
                reportedRecords: Int, records: [IterationRecord]) {
        self.problem = problem
        self.file = file
        self.solver = solver
        self.options = options
        self.seed = seed
        self.status = status
        self.iterations = iterations
        self.objective = objective
        self.solution = solution
        self.solutionNorm = solutionNorm
        self.reportedRecords = reportedRecords
        self.records = records
    }

    /// The golden record of a result, with its full history (thin it with ``thinned()``).
    package init(result: SolveResult, file: String, options: SolveOptions) {
        let named = zip(result.variableNames, result.primal).map { (name: $0.0, value: $0.1) }
        self.init(problem: result.problemName, file: file, solver: result.solverID, options: GoldenHistory.json(options),
                  seed: result.seed, status: result.status.rawValue, iterations: result.iterations, objective: result.objective,
                  solution: named.count <= GoldenHistory.solutionLimit ? named : [],
                  solutionNorm: result.primal.reduce(0) { $0 + $1 * $1 }.squareRoot(),
                  reportedRecords: result.history.reportedCount, records: result.history.records)
    }

    package static func == (a: GoldenHistory, b: GoldenHistory) -> Bool { a.serialized() == b.serialized() }

    /// The same golden record with at most ``recordLimit`` records.
    package func thinned() -> GoldenHistory {
        var copy = self
        copy.records = GoldenHistory.thin(records)
        return copy
    }

    static func thin(_ records: [IterationRecord]) -> [IterationRecord] {
        guard records.count > recordLimit else { return records }
        var kept = Array(records.prefix(leadingRecords))
        let rest = records.count - leadingRecords - 1
        let slots = recordLimit - leadingRecords - 1
        for k in 1...slots { kept.append(records[leadingRecords - 1 + (k * rest) / slots]) }
        if kept.last?.iteration != records.last?.iteration, let last = records.last { kept.append(last) }
        return kept
    }

    /// The options as JSON (common options by their file names, then solver options).
    static func json(_ options: SolveOptions) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        if let v = options.maxIterations { o["max_iterations"] = .integer(Int64(v)) }
        if let v = options.timeLimit { o["time_limit"] = .number(v) }
        if let v = options.tolerance { o["tolerance"] = .number(v) }
        if let v = options.seed { o["seed"] = .integer(Int64(bitPattern: v)) }
        for (name, value) in options.parameters {
            switch value {
            case .number(let d): o[name] = .number(d)
            case .string(let s): o[name] = .string(s)
            case .bool(let b): o[name] = .bool(b)
            }
        }
        return o
    }

    // MARK: - File format

    /// The file's text: one key per line, one history record per line, keys sorted, so that
    /// `git diff` of an updated golden file reads record by record.
    package func serialized() -> String {
        func line(_ key: String, _ value: JSONValue) -> String { "  \"\(key)\": \(value.serialized())" }
        var solutionObject: [String: JSONValue] = [:]
        for s in solution { solutionObject[s.name] = .number(s.value) }
        var lines = [
            line("format", .integer(Int64(GoldenHistory.formatVersion))),
            line("problem", .string(problem)),
            line("file", .string(file)),
            line("solver", .string(solver)),
            line("options", .object(options)),
            line("seed", seed.map { .integer(Int64(bitPattern: $0)) } ?? .null),
            line("status", .string(status)),
            line("iterations", .integer(Int64(iterations))),
            line("objective", .optional(objective)),
            line("solution", .object(solutionObject)),
            line("solution_norm", .number(solutionNorm)),
            line("history_records", .integer(Int64(reportedRecords))),
        ]
        let history = records.map { r -> String in
            var o: [String: JSONValue] = ["iteration": .integer(Int64(r.iteration))]
            for key in IterationRecord.standardKeys { if let v = r.value(forKey: key) { o[key] = .number(v) } }
            for m in r.extras { o[m.name] = .number(m.value) }
            return "    " + JSONValue.object(o).serialized()
        }
        lines.append("  \"history\": [\n" + history.joined(separator: ",\n") + "\n  ]")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// Reads a golden file. Parsed through Yams (JSON is YAML) so that every number is read
    /// back bit for bit from its shortest round-trip text.
    package static func read(_ path: String) throws(InputError) -> GoldenHistory {
        let top = try YAMLProblemFile.document(text: try TextFile.read(path), path: path, label: "golden history")
        var fields: [String: YAMLValue] = [:]
        for (key, value) in try top.mapping() { fields[key] = value }
        func field(_ key: String) throws(InputError) -> YAMLValue {
            guard let v = fields[key] else { throw InputError(file: path, "missing '\(key)'") }
            return v
        }
        func optionalNumber(_ v: YAMLValue) throws(InputError) -> Double? { v.isNull ? nil : try v.number(allowInfinite: true) }
        let version = try field("format").integer()
        guard version == formatVersion else { throw InputError(file: path, "golden format \(version), expected \(formatVersion); run regress --update") }
        var records: [IterationRecord] = []
        for item in try field("history").array() {
            var r = IterationRecord(iteration: 0)
            for (key, v) in try item.mapping() where key != "seconds" {
                if key == "iteration" { r.iteration = try v.integer(); continue }
                let x = try optionalNumber(v) ?? .nan
                switch key {
                case "objective": r.objective = x
                case "primal_residual": r.primalResidual = x
                case "dual_residual": r.dualResidual = x
                case "gap": r.gap = x
                case "gradient_norm": r.gradientNorm = x
                case "step_size": r.stepSize = x
                default: r.extras.append(Metric(key, x))
                }
            }
            records.append(r)
        }
        var solution: [(name: String, value: Double)] = []
        for (name, v) in try field("solution").mapping() { solution.append((name, try optionalNumber(v) ?? .nan)) }
        // Options are kept for people reading the file; they are not compared.
        var options: [String: JSONValue] = [:]
        for (name, v) in try field("options").mapping() {
            if let d = try? v.number(allowInfinite: true) { options[name] = .number(d) }
            else if let b = try? v.bool() { options[name] = .bool(b) }
            else { options[name] = .string(try v.string()) }
        }
        let seed = try optionalNumber(field("seed")).map { UInt64(bitPattern: Int64($0)) }
        return GoldenHistory(problem: try field("problem").string(), file: try field("file").string(), solver: try field("solver").string(),
                             options: options, seed: seed, status: try field("status").string(),
                             iterations: try field("iterations").integer(), objective: try optionalNumber(field("objective")),
                             solution: solution, solutionNorm: try optionalNumber(field("solution_norm")) ?? .nan,
                             reportedRecords: try field("history_records").integer(), records: records)
    }

    /// The history as a ``ConvergenceHistory`` (for plots).
    package var history: ConvergenceHistory {
        var h = ConvergenceHistory(storage: .all)
        for r in records { h.append(r) }
        h.finish()
        return h
    }
}
