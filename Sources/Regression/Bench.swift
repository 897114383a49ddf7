import Foundation
import LagrangeCore
import ProblemFormats

/// Side-by-side runs: every problem file under a folder with several solvers, each solve
/// repeated and timed (the median of the repeats, solve time only), with the iteration
/// count and the error against the objective the file's `expect:` block states.
package struct Bench: Sendable {
    package var registry: SolverRegistry
    /// Solvers to run (those accepting each file's kind); empty: the files' own (as regress).
    package var solvers: [String] = []
    package var repeats = 3

    package init(registry: SolverRegistry, solvers: [String] = [], repeats: Int = 3) {
        self.registry = registry
        self.solvers = solvers
        self.repeats = max(1, repeats)
    }

    package struct Row: Sendable {
        package var file: String
        package var solver: String
        package var status: String
        package var iterations: Int
        package var medianSeconds: Double
        package var objective: Double?
        /// The objective the file expects (`expect: {objective: …}`).
        package var reference: Double?
        /// |objective − reference| / max(1, |reference|).
        package var error: Double? {
            guard let objective, let reference else { return nil }
            return abs(objective - reference) / max(1, abs(reference))
        }
        /// Load or solve failure.
        package var failure: String?

        package var jsonValue: JSONValue {
            .object(["problem": .string(file), "solver": .string(solver), "status": .string(status),
                     "iterations": .integer(Int64(iterations)), "median_seconds": .number(medianSeconds),
                     "objective": .optional(objective), "reference": .optional(reference), "error": .optional(error),
                     "failure": failure.map { .string($0) } ?? .null])
        }
    }

    /// Runs every file under `path` (a folder or a file).
    package func run(_ path: String, progress: (@Sendable (Row) -> Void)? = nil) throws(InputError) -> [Row] {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let selector = RegressionRunner(registry: registry, solvers: solvers)
        var rows: [Row] = []
        for file in try RegressionRunner.problemFiles(in: path) {
            let relative = file.hasPrefix(base + "/") ? String(file.dropFirst(base.count + 1)) : file
            let definition: ProblemDefinition
            do { definition = try ProblemFileReader.load(file) } catch {
                let row = Row(file: relative, solver: "-", status: "", iterations: 0, medianSeconds: .nan,
                              failure: RegressionRunner.describe(error, file: file))
                progress?(row)
                rows.append(row)
                continue
            }
            if definition.expectations?.regression.skip != nil { continue }
            for id in selector.solverIDs(for: definition) {
                var times: [Double] = []
                var last: SolveResult?
                var failure: String?
                let quiet = SolveOptions(historyStorage: .off)
                for _ in 0..<repeats {
                    do {
                        let r = try registry.solve(definition, solverID: id, options: quiet)
                        times.append(r.seconds)
                        last = r
                    } catch {
                        failure = RegressionRunner.describe(error, file: file)
                        break
                    }
                }
                times.sort()
                let median = times.isEmpty ? .nan
                    : (times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2)
                let row = Row(file: relative, solver: id, status: last?.status.rawValue ?? "", iterations: last?.iterations ?? 0,
                              medianSeconds: median, objective: last?.objective,
                              reference: definition.expectations?.effective(for: id, ownSolver: nil).objective?.value, failure: failure)
                progress?(row)
                rows.append(row)
            }
        }
        return rows
    }

    /// The rows as a text table.
    package static func table(_ rows: [Row]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + "  " : s + String(repeating: " ", count: n - s.count) }
        var lines = [pad("problem", 36) + pad("solver", 28) + pad("status", 17) + pad("iters", 9) + pad("median s", 12) + pad("objective", 20) + "rel. error"]
        for r in rows {
            if let failure = r.failure { lines.append(pad(r.file, 36) + pad(r.solver, 28) + "error: " + failure); continue }
            lines.append(pad(r.file, 36) + pad(r.solver, 28) + pad(r.status, 17) + pad(String(r.iterations), 9)
                         + pad(String(format: "%.4g", r.medianSeconds), 12) + pad(r.objective.map { String(format: "%.10g", $0) } ?? "-", 20)
                         + (r.error.map { String(format: "%.1e", $0) } ?? "-"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
