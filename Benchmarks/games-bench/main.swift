// games-bench: the measurements behind docs/benchmarks-games.md.
//
//   games-bench write DIR N...        write DIR/gameN.csv (the random N×N game of seed N) for peers.py
//   games-bench solve N SOLVER...     solve the N×N game with each solver, one line each
//   games-bench solve N none          only generate the game: the baseline for /usr/bin/time -v
//
// The instances are MatrixGame.randomIntegers(rows: N, columns: N, seed: N): integers in
// [−9, 9] from SeededGenerator, generated in memory (nothing large is committed). Only the
// solve is timed (SolveResult.seconds: presolve, solve, certificate).
import Foundation
import Lagrange
import LagrangeGLPK

let usage = """
    usage: games-bench write DIR N...      write DIR/gameN.csv, the random N×N game of seed N (integers in [-9, 9])
           games-bench solve N SOLVER...   solve that game with each solver (e.g. native.game-lp glpk.game-lp);
                                           SOLVER 'none' only builds the game (the memory baseline)
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n" + usage + "\n").data(using: .utf8) ?? Data())
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
    print(usage)
    exit(arguments.isEmpty ? 2 : 0)
}

func game(_ text: String) -> MatrixGame {
    guard let n = Int(text), n > 0 else { fail("not a size: \(text)") }
    do { return try MatrixGame.randomIntegers(rows: n, columns: n, seed: UInt64(n), name: "random_\(n)x\(n)") } catch {
        fail("cannot build the \(n)×\(n) game: \(error)")
    }
}

switch arguments[0] {
case "write":
    guard arguments.count >= 3 else { fail("write needs a folder and sizes") }
    for size in arguments.dropFirst(2) {
        let g = game(size)
        let text = (0..<g.payoff.rows).map { i in g.payoff.row(i).map { String(Int($0)) }.joined(separator: ",") }.joined(separator: "\n")
        do { try text.write(toFile: "\(arguments[1])/game\(size).csv", atomically: true, encoding: .utf8) } catch {
            fail("cannot write \(arguments[1])/game\(size).csv: \(error)")
        }
    }
case "solve":
    guard arguments.count >= 3 else { fail("solve needs a size and solvers") }
    let g = game(arguments[1])
    let registry = SolverRegistry.standard.registeringGLPK()
    for solver in arguments.dropFirst(2) where solver != "none" {
        do {
            let result = try registry.solve(.matrixGame(g), name: g.name, solverID: solver)
            guard let d = result.details(as: MatrixGameDetails.self) else { fail("\(solver): no game details") }
            print("n=\(arguments[1]) \(solver): status \(result.status.rawValue) value \(d.value) iterations \(result.iterations) "
                  + "seconds \(String(format: "%.3f", result.seconds)) gap \(d.certificate.gap) "
                  + "support \(d.rowSupport.count)/\(d.columnSupport.count)")
        } catch {
            fail("\(solver): \(error)")
        }
    }
default:
    fail("unknown command \(arguments[0])")
}
