import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// The 500×500 benchmark of docs/benchmarks-games.md, run by hand in a release build:
///
///     LAGRANGE_GAMES_BENCH=/tmp/game500.csv swift test -c release --filter MatrixGameBenchmark
///
/// It writes the random game (integers in [-9, 9] from SeededGenerator(seed: 500)) to the
/// path for the SciPy side, and prints the value and the solve seconds.
@Suite("MatrixGameBenchmark", .enabled(if: ProcessInfo.processInfo.environment["LAGRANGE_GAMES_BENCH"] != nil))
struct MatrixGameBenchmark {
    @Test("Random 500×500 game: glpk.game-lp")
    func random500() throws {
        let path = ProcessInfo.processInfo.environment["LAGRANGE_GAMES_BENCH"] ?? "/tmp/game500.csv"
        let n = 500
        var generator = SeededGenerator(seed: 500)
        var rows: [[Double]] = []
        for _ in 0..<n { rows.append((0..<n).map { _ in Double(generator.nextIndex(below: 19) - 9) }) }
        try rows.map { $0.map { String(Int($0)) }.joined(separator: ",") }.joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let g = try MatrixGame(name: "random_500x500", payoff: try DenseMatrix(rowArrays: rows))
        for (label, options) in [("presolve", SolveOptions()), ("no presolve", SolveOptions(parameters: ["presolve": .bool(false)])),
                                 ("no presolve, Y's LP", SolveOptions(parameters: ["presolve": .bool(false), "column_strategy": .string("dual_lp")]))] {
            var times: [Double] = []
            var last: (SolveResult, MatrixGameDetails)? = nil
            for _ in 0..<3 {
                let run = try solveGame(g, "glpk.game-lp", options: options)
                times.append(run.0.seconds)
                last = run
            }
            let (result, d) = try #require(last)
            print("BENCH \(label): status \(result.status.rawValue) value \(d.value) iterations \(result.iterations) " +
                  "seconds \(times.map { String(format: "%.3f", $0) }.joined(separator: " ")) support \(d.rowSupport.count)/\(d.columnSupport.count) " +
                  "gap \(d.certificate.gap) passed \(d.certificate.passed) removed \(d.presolve?.removedRows.count ?? 0)/\(d.presolve?.removedColumns.count ?? 0)")
            #expect(d.certificate.passed)
        }
        for solver in ["native.fictitious-play", "native.multiplicative-weights"] {
            let (result, d) = try solveGame(g, solver, options: SolveOptions(maxIterations: 10_000))
            print("BENCH \(solver) 10000 rounds: gap \(d.certificate.gap) value \(d.value) seconds \(String(format: "%.3f", result.seconds))")
        }
    }
}
