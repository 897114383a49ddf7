import BuiltInSolvers
import Foundation
import GLPKSolvers
import Lagrange
import LagrangeTestSupport
import NativeSolvers

/// The standard registry plus the GLPK LP plugins that glpk.game-lp solves through.
func gameRegistry() -> SolverRegistry {
    var r = SolverRegistry.builtIn
    if r.plugin(id: "glpk.simplex") == nil { r.register(GLPKSimplexSolver()) }
    return r
}

func game(_ rows: [[Double]], name: String = "game") throws -> MatrixGame {
    try MatrixGame(name: name, payoff: try DenseMatrix(rowArrays: rows))
}

func fixtureGame(_ name: String) throws -> MatrixGame {
    try MatrixGame(name: name, payoff: try PayoffCSVReader.read(Fixtures.path("games/\(name).csv")))
}

func solveGame(_ g: MatrixGame, _ solver: String, options: SolveOptions = SolveOptions(),
               observers: [any SolveObserver] = []) throws -> (SolveResult, MatrixGameDetails) {
    let result = try gameRegistry().solve(.matrixGame(g), name: g.name, solverID: solver, options: options, observers: observers)
    guard let details = result.details(as: MatrixGameDetails.self) else { throw TestFailure("no matrix-game details in the result") }
    return (result, details)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A fresh temporary folder with the given files; returns its path.
func temporaryFolder(_ files: [String: String]) throws -> String {
    let dir = NSTemporaryDirectory() + "lagrange-games-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    return dir
}

/// The InputError a load throws (nil if it loads).
func loadError(_ path: String) -> InputError? {
    do { _ = try ProblemFileReader.load(path); return nil } catch { return error }
}

/// The strategy pair of strategies.tsv for a game.
func referenceStrategies(_ name: String) throws -> (x: [Double], y: [Double])? {
    guard let row = try Fixtures.tsv(Fixtures.path("games/strategies.tsv")).first(where: { $0["name"] == name }) else { return nil }
    func parse(_ s: String?) -> [Double] { (s ?? "").split(separator: ",").compactMap { Double($0) } }
    return (parse(row["x_row_player"]), parse(row["y_column_player"]))
}

/// An LP plugin that solves through glpk.simplex and drops the duals, to exercise the
/// game LP's fallback to the column player's own LP.
struct DualsDroppingLP: SolverPlugin {
    let descriptor = SolverDescriptor(id: "test.no-duals", kinds: [.lp], summary: "glpk.simplex without duals")
    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        var inner = try context.registry.solve(problem, solverID: "glpk.simplex")
        inner.duals = nil
        inner.reducedCosts = nil
        return inner
    }
}
