import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

/// Prints a line at once (stdout is block-buffered when redirected).
func report(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}

/// The benchmark of docs/benchmarks-games.md, run by hand in a release build:
///
///     LAGRANGE_GAMES_BENCH=/tmp/game LAGRANGE_GAMES_BENCH_SIZES=200,300,500 \
///         swift test -c release --filter MatrixGameBenchmark
///
/// For each size n it writes a random n×n game (integers in [-9, 9] from
/// SeededGenerator(seed: n)) to `<prefix><n>.csv` for the SciPy side
/// (`python3 ../shared/bench/peers.py game <prefix><n>.csv`), then prints the value and
/// the solve seconds of native.game-lp, glpk.game-lp and of 10 000 rounds of each learner.
@Suite("MatrixGameBenchmark", .enabled(if: ProcessInfo.processInfo.environment["LAGRANGE_GAMES_BENCH"] != nil))
struct MatrixGameBenchmark {
    @Test("Random n×n games: native.game-lp, glpk.game-lp and the learners")
    func randomGames() throws {
        let environment = ProcessInfo.processInfo.environment
        let prefix = environment["LAGRANGE_GAMES_BENCH"] ?? "/tmp/game"
        let sizes = (environment["LAGRANGE_GAMES_BENCH_SIZES"] ?? "500").split(separator: ",").compactMap { Int($0) }
        for n in sizes {
            let g = try MatrixGame.randomIntegers(rows: n, columns: n, seed: UInt64(n), name: "random_\(n)x\(n)")
            try (0..<n).map { i in g.payoff.row(i).map { String(Int($0)) }.joined(separator: ",") }.joined(separator: "\n")
                .write(toFile: "\(prefix)\(n).csv", atomically: true, encoding: .utf8)
            for solver in ["native.game-lp", "glpk.game-lp"] {
                let (result, d) = try solveGame(g, solver)
                report("BENCH n=\(n) \(solver): status \(result.status.rawValue) value \(d.value) iterations \(result.iterations) " +
                       "seconds \(String(format: "%.3f", result.seconds)) support \(d.rowSupport.count)/\(d.columnSupport.count) " +
                       "gap \(d.certificate.gap) passed \(d.certificate.passed) removed \(d.presolve?.removedRows.count ?? 0)/\(d.presolve?.removedColumns.count ?? 0)")
            }
            for solver in ["native.fictitious-play", "native.multiplicative-weights"] {
                let (r, l) = try solveGame(g, solver, options: SolveOptions(maxIterations: 10_000))
                report("BENCH n=\(n) \(solver) 10000 rounds: gap \(l.certificate.gap) value \(l.value) seconds \(String(format: "%.3f", r.seconds))")
            }
        }
    }
}
