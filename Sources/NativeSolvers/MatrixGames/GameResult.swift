import LagrangeCore

/// Shared pieces of the matrix-game solvers: turning strategies into a ``SolveResult``.
enum GameResult {
    /// Clips tiny negative entries (LP round-off) and rescales to sum 1; a vector with no
    /// positive mass becomes uniform so a certificate can still be computed.
    static func normalized(_ p: [Double]) -> [Double] {
        var q = p.map { $0.isFinite ? max(0, $0) : 0 }
        let sum = q.reduce(0, +)
        guard sum > 0 else { return Array(repeating: 1 / Double(max(1, p.count)), count: p.count) }
        for k in q.indices { q[k] /= sum }
        return q
    }

    /// A result whose `primal` is x (named `x[row]`) followed by y (named `y[column]`).
    static func make(game: MatrixGame, rowStrategy x: [Double], columnStrategy y: [Double], value: Double,
                     status: TerminationStatus, rawStatus: String, iterations: Int, tolerance: Double,
                     presolve: GamePresolveReport?) -> SolveResult {
        let certificate = game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance)
        var result = SolveResult(kind: .matrixGame, status: status, rawStatus: rawStatus, objective: value,
                                 variableNames: game.rowNames.map { "x[\($0)]" } + game.columnNames.map { "y[\($0)]" },
                                 primal: x + y, iterations: iterations)
        result.details = [MatrixGameDetails(value: value, rowStrategy: x, columnStrategy: y, rowNames: game.rowNames,
                                            columnNames: game.columnNames, certificate: certificate, presolve: presolve)]
        return result
    }

    /// What presolve leaves of a game: the rows and columns to solve, its report, and the
    /// finished result when it found a pure saddle point (no LP needed).
    struct Reduction {
        var rows: [Int]
        var columns: [Int]
        var report: GamePresolveReport?
        var saddlePointResult: SolveResult?
    }

    /// Runs ``GamePresolve`` when `enabled` (stopping early when the control says so) and
    /// answers a pure saddle point at once, recording it as the solve's only iteration.
    static func presolve(_ game: MatrixGame, enabled: Bool, control: IterationControl, tolerance: Double) -> Reduction {
        let a = game.payoff
        let m = a.rows, n = a.columns
        guard enabled else { return Reduction(rows: Array(0..<m), columns: Array(0..<n)) }
        let outcome = GamePresolve.run(game, shouldStop: { control.checkInterrupt() != nil })
        var reduction = Reduction(rows: outcome.keptRows, columns: outcome.keptColumns, report: outcome.report)
        if let i = outcome.report.saddleRow, let j = outcome.report.saddleColumn {
            var x = Array(repeating: 0.0, count: m), y = Array(repeating: 0.0, count: n)
            x[i] = 1
            y[j] = 1
            _ = control.record(IterationRecord(iteration: 0, objective: a[i, j], gap: 0,
                                               extras: [Metric("lower_bound", a[i, j]), Metric("upper_bound", a[i, j])]))
            reduction.saddlePointResult = make(game: game, rowStrategy: x, columnStrategy: y, value: a[i, j], status: .optimal,
                                               rawStatus: "pure saddle point (no LP)", iterations: 0, tolerance: tolerance,
                                               presolve: outcome.report)
        }
        return reduction
    }

    /// The problem as a game, or an error naming the solver.
    static func game(_ problem: Problem, solverID: String) throws(SolverError) -> MatrixGame {
        guard case .matrixGame(let game) = problem else {
            throw .unsupported("\(solverID) solves matrix games, not kind '\(problem.kind.rawValue)'")
        }
        return game
    }
}

/// Forwards the iterations of a nested solve (the LP behind a game) into the outer solve's
/// control, so its history, observers, time limit and cancellation apply; stops the nested
/// solve when the outer control says so.
final class ForwardingObserver: SolveObserver {
    let control: IterationControl
    private(set) var stopStatus: TerminationStatus?
    private(set) var forwarded = 0

    init(control: IterationControl) { self.control = control }

    func solveDidIterate(_ record: IterationRecord) -> ObserverDecision {
        forwarded += 1
        if let status = control.record(record) {
            stopStatus = status
            return .stop
        }
        return .proceed
    }
}
