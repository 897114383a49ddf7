import LagrangeCore

/// Writes a convergence history as CSV: `iteration,seconds,` then the standard metrics any
/// record has, then the extras in first-seen order. Missing values are empty cells.
public enum HistoryCSV {
    public static func write(_ history: ConvergenceHistory, solver: String? = nil) -> String {
        let keys = ["iteration", "seconds"] + history.presentStandardKeys + history.extraKeys
        var out = (solver == nil ? "" : "solver,") + keys.joined(separator: ",") + "\n"
        for r in history.records {
            var cells: [String] = solver.map { [$0] } ?? []
            for key in keys {
                if key == "iteration" { cells.append(String(r.iteration)); continue }
                cells.append(r.value(forKey: key).map(JSONValue.format) ?? "")
            }
            out += cells.map { $0 == "null" ? "" : $0 }.joined(separator: ",") + "\n"
        }
        return out
    }
}
