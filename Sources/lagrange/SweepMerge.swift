import Foundation
import Lagrange

/// Every run recorded in a sweep's output folder, one record per run key, sorted by key;
/// with the summary the suite benchmark prints (Benchmarks/suite/run-suite.py).
///
/// A run counts as solved when, with a reference (the manifest's `reference:`), its status
/// is the expected one and its objective within 1e-6·max(1, |expected|) of the expected
/// objective; without one, when its status is definitive (optimal, locally_optimal,
/// infeasible, unbounded, infeasible_or_unbounded). The shifted geometric mean uses a 10 ms
/// shift and counts an unsolved run at the run's `time_limit` option, or, without one, at
/// the longest time of any run in the folder.
struct SweepMerge {
    struct Record {
        var key: String
        var value: JSONValue

        func string(_ name: String) -> String? { value[name]?.stringValue }
        func number(_ name: String) -> Double? { value[name]?.doubleValue }
        var configuration: String {
            let solver = string("solver") ?? "?"
            guard case .object(let options)? = value["options"], !options.isEmpty else { return solver }
            return solver + " " + options.keys.sorted().map { "\($0)=\(options[$0]?.stringValue ?? "")" }.joined(separator: " ")
        }
        /// The problem instance the run is on: the key without solver and options.
        var instance: String {
            let parts = key.components(separatedBy: " | ")
            return parts.count == 5 ? [parts[0], parts[3], parts[4]].joined(separator: " | ") : key
        }

        var solved: Bool {
            let status = string("status") ?? "error"
            if let expected = string("expected_status") {
                guard status == expected else { return false }
                guard let target = number("expected_objective") else { return true }
                guard let objective = number("objective") else { return false }
                return abs(objective - target) <= 1e-6 * max(1, abs(target))
            }
            return TerminationStatus(rawValue: status)?.isDefinitive ?? false
        }
    }

    let records: [Record]
    let skippedLines: Int
    let duplicateKeys: Int

    init(folder: String) throws {
        (records, skippedLines, duplicateKeys) = try Self.readRecords(folder)
    }

    /// The records of every `*.jsonl` file in `folder` (files in name order), first record
    /// of each key kept, sorted by key; lines that do not parse (a write cut off by a kill)
    /// are counted and skipped.
    static func readRecords(_ folder: String) throws -> (records: [Record], skippedLines: Int, duplicateKeys: Int) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: folder, "no such folder")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
        var byKey: [String: Record] = [:]
        var skipped = 0, duplicates = 0
        for name in files {
            let text = try TextFile.read(folder + "/" + name)
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let value = try? JSONValue.parse(String(line)), let key = value["run_key"]?.stringValue else {
                    skipped += 1
                    continue
                }
                if byKey[key] != nil { duplicates += 1; continue }
                byKey[key] = Record(key: key, value: value)
            }
        }
        return (byKey.values.sorted { $0.key < $1.key }, skipped, duplicates)
    }

    /// Solver configurations in first-seen order of the sorted records, and instances sorted.
    var configurations: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in records where seen.insert(r.configuration).inserted { out.append(r.configuration) }
        return out.sorted()
    }

    var instances: [String] { Array(Set(records.map(\.instance))).sorted() }

    /// The time charged to a run: its seconds when solved, the limit otherwise.
    func chargedTime(_ r: Record) -> Double {
        if r.solved, let seconds = r.number("seconds") { return seconds }
        if case .object(let options)? = r.value["options"], let limit = options["time_limit"]?.stringValue.flatMap(Double.init) { return limit }
        return records.compactMap { $0.number("seconds") }.max() ?? 0
    }

    struct Summary {
        var configuration: String
        var solved: Int
        var runs: Int
        var shiftedGeometricMean: Double
    }

    var summaries: [Summary] {
        configurations.map { c in
            let runs = records.filter { $0.configuration == c }
            let shift = 0.01
            let logs = runs.map { log(chargedTime($0) + shift) }
            let mean = logs.isEmpty ? Double.nan : exp(logs.reduce(0, +) / Double(logs.count)) - shift
            return Summary(configuration: c, solved: runs.filter(\.solved).count, runs: runs.count, shiftedGeometricMean: mean)
        }
    }

    static let columns = ["problem", "file", "solver", "options", "seed", "repeat", "status", "objective", "iterations", "seconds", "solved"]

    func row(_ r: Record) -> [String] {
        var options = ""
        if case .object(let o)? = r.value["options"] { options = o.keys.sorted().map { "\($0)=\(o[$0]?.stringValue ?? "")" }.joined(separator: " ") }
        let seed: String = r.value["run_seed"].flatMap { $0 == .null ? nil : $0.doubleValue.map { String(Int64($0)) } } ?? ""
        return [r.string("problem") ?? "", r.string("file") ?? "", r.string("solver") ?? "", options, seed,
                r.number("repeat").map { String(Int($0)) } ?? "", r.string("status") ?? "",
                r.number("objective").map { "\($0)" } ?? "", r.number("iterations").map { String(Int($0)) } ?? "",
                r.number("seconds").map { "\($0)" } ?? "", r.solved ? "yes" : "no"]
    }

    func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([Self.columns] + records.map(row)).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    func text() -> String {
        let rows = [Self.columns] + records.map(row)
        let widths = Self.columns.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = rows.map { row in row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") + "\n\n"
        out += "\(records.count) runs on \(instances.count) problem instances\n"
        let nameWidth = max(13, summaries.map(\.configuration.count).max() ?? 0)
        out += "configuration".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  solved     shifted geomean (s, shift 10 ms, unsolved at the limit)\n"
        for s in summaries {
            out += s.configuration.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + "  " + "\(s.solved)/\(s.runs)".padding(toLength: 9, withPad: " ", startingAt: 0)
                + "  " + String(format: "%.4f", s.shiftedGeometricMean) + "\n"
        }
        return out
    }

    /// The Dolan–Moré profile of the configurations over the instances.
    func performanceProfileSVG() -> String {
        let configurations = self.configurations
        let index = Dictionary(uniqueKeysWithValues: configurations.enumerated().map { ($0.element, $0.offset) })
        var rows: [String: [Double?]] = [:]
        for r in records {
            var row = rows[r.instance] ?? Array(repeating: nil, count: configurations.count)
            if r.solved, let seconds = r.number("seconds"), let c = index[r.configuration] { row[c] = seconds }
            rows[r.instance] = row
        }
        let times = rows.keys.sorted().compactMap { rows[$0] }
        return PerformanceProfile.svg(solvers: configurations, times: times, title: "Performance profile — \(times.count) problems")
    }
}
