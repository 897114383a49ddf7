import LagrangeCore

/// Writes a convergence history as CSV: `iteration,seconds,` then the standard metrics any
/// record has, then the extras in first-seen order. Missing values are empty cells.
package enum HistoryCSV {
    package static func write(_ history: ConvergenceHistory) -> String {
        let keys = metricKeys([history])
        var out = keys.joined(separator: ",") + "\n"
        for r in history.records { out += row(r, keys).joined(separator: ",") + "\n" }
        return out
    }

    /// One run of a multi-run table.
    package struct Run: Sendable {
        package var problem: String
        package var file: String
        package var solver: String
        package var history: ConvergenceHistory
        package init(problem: String, file: String, solver: String, history: ConvergenceHistory) {
            self.problem = problem
            self.file = file
            self.solver = solver
            self.history = history
        }
    }

    /// Several runs in one table: `problem,file,solver,` then the union of every run's
    /// metric columns (a run without a metric leaves its cells empty).
    package static func write(runs: [Run]) -> String {
        let keys = metricKeys(runs.map(\.history))
        var out = "problem,file,solver," + keys.joined(separator: ",") + "\n"
        for run in runs {
            let identity = [run.problem, run.file, run.solver].map(quoted)
            for r in run.history.records { out += (identity + row(r, keys)).joined(separator: ",") + "\n" }
        }
        return out
    }

    /// `iteration,seconds`, the standard metrics any history has, then the extras in
    /// first-seen order.
    static func metricKeys(_ histories: [ConvergenceHistory]) -> [String] {
        let standard = IterationRecord.standardKeys.filter { key in histories.contains { $0.presentStandardKeys.contains(key) } }
        var extras: [String] = []
        for h in histories { for key in h.extraKeys where !extras.contains(key) { extras.append(key) } }
        return ["iteration", "seconds"] + standard + extras
    }

    static func row(_ r: IterationRecord, _ keys: [String]) -> [String] {
        keys.map { key in
            if key == "iteration" { return String(r.iteration) }
            let cell = r.value(forKey: key).map(JSONValue.format) ?? ""
            return cell == "null" ? "" : cell
        }
    }

    /// A text cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
