import LagrangeCore
import LinearAlgebra

/// The two linear programs of a zero-sum game (A[i][j] paid by the row player X to the
/// column player Y), restricted to a subset of rows and columns.
///
/// X's LP (``rowPlayerLP(_:rows:columns:)``):
///
///     min v   s.t.  Σ_i A[i][j] x_i − v ≤ 0   for every column j   (rows `col[name]`)
///                   Σ_i x_i = 1                                      (row `sum`)
///                   x ≥ 0, v free                                    (variables `x[name]`, `v`)
///
/// Y's LP (``columnPlayerLP(_:rows:columns:)``), its dual:
///
///     max w   s.t.  Σ_j A[i][j] y_j − w ≥ 0   for every row i      (rows `row[name]`)
///                   Σ_j y_j = 1                                      (row `sum`)
///                   y ≥ 0, w free                                    (variables `y[name]`, `w`)
///
/// Both optimal objectives are the value (LP duality is the minimax theorem). In the
/// shadow-price convention, the dual of X's row `colj` is −y_j.
package enum MatrixGameLP {
    /// X's LP over the strategies `rows` × `columns` of `a`. With the game's strategy names
    /// the LP's variables are `x[name]` and its rows `col[name]` (else 1-based numbers), so
    /// a message about the LP names the user's strategies.
    package static func rowPlayerLP(_ a: DenseMatrix, rows: [Int], columns: [Int], name: String = "game",
                                   rowNames: [String]? = nil, columnNames: [String]? = nil) throws(ModelError) -> LinearProgram {
        try build(a, players: rows, opponents: columns, entry: { a[$0, $1] }, sense: .minimize, name: name,
                  variablePrefix: "x", rowPrefix: "col", playerNames: rowNames, opponentNames: columnNames)
    }

    /// Y's LP; variables `y[name]`, rows `row[name]`.
    package static func columnPlayerLP(_ a: DenseMatrix, rows: [Int], columns: [Int], name: String = "game",
                                      rowNames: [String]? = nil, columnNames: [String]? = nil) throws(ModelError) -> LinearProgram {
        try build(a, players: columns, opponents: rows, entry: { a[$1, $0] }, sense: .maximize, name: name,
                  variablePrefix: "y", rowPrefix: "row", playerNames: columnNames, opponentNames: rowNames)
    }

    /// Variables: one per `players` entry, then the bound variable; rows: one per opponent
    /// strategy (≤ 0 for a minimizer, ≥ 0 for a maximizer), then Σ = 1. Built as CSC directly.
    private static func build(_ a: DenseMatrix, players: [Int], opponents: [Int], entry: (Int, Int) -> Double,
                              sense: ObjectiveSense, name: String, variablePrefix: String, rowPrefix: String,
                              playerNames: [String]?, opponentNames: [String]?) throws(ModelError) -> LinearProgram {
        func label(_ prefix: String, _ names: [String]?, _ index: Int) -> String {
            guard let names, index < names.count else { return "\(prefix)\(index + 1)" }
            return "\(prefix)[\(names[index])]"
        }
        let k = players.count, r = opponents.count
        var starts = [0]
        starts.reserveCapacity(k + 2)
        var rowIndices: [Int] = []
        var values: [Double] = []
        rowIndices.reserveCapacity(k * (r + 1) + r)
        values.reserveCapacity(k * (r + 1) + r)
        for p in players {
            for (row, o) in opponents.enumerated() {
                let v = entry(p, o)
                if v != 0 { rowIndices.append(row); values.append(v) }
            }
            rowIndices.append(r)
            values.append(1)
            starts.append(rowIndices.count)
        }
        // The bound variable v (or w): −1 in every opponent row.
        for row in 0..<r { rowIndices.append(row); values.append(-1) }
        starts.append(rowIndices.count)
        let matrix: SparseMatrix
        do {
            matrix = try SparseMatrix(rowCount: r + 1, columnCount: k + 1, columnStarts: starts, rowIndices: rowIndices, values: values)
        } catch {
            throw ModelError("cannot build the game LP: \(error)")
        }
        let minimizing = sense == .minimize
        var objective = Array(repeating: 0.0, count: k + 1)
        objective[k] = 1
        let lower = minimizing ? Array(repeating: -Double.infinity, count: r) + [1] : Array(repeating: 0.0, count: r) + [1]
        let upper = minimizing ? Array(repeating: 0.0, count: r) + [1] : Array(repeating: Double.infinity, count: r) + [1]
        return try LinearProgram(
            name: name, sense: sense, objective: objective, constraints: matrix, rowLower: lower, rowUpper: upper,
            columnLower: Array(repeating: 0, count: k) + [-.infinity], columnUpper: Array(repeating: .infinity, count: k + 1),
            variableNames: players.map { label(variablePrefix, playerNames, $0) } + [minimizing ? "v" : "w"],
            constraintNames: opponents.map { label(rowPrefix, opponentNames, $0) } + ["sum"])
    }
}

/// Solves a zero-sum matrix game by linear programming through the registry
/// (`glpk.game-lp` over `glpk.simplex`; any LP plugin can be plugged in the same way).
/// `native.game-lp` is not this plugin but ``DenseGameLPSolver``, which works on the dense
/// payoff block: a general sparse LP solver's factorization of the game LP fills in.
///
/// Algorithm: presolve (pure saddle point answered without an LP, then iterated removal
/// of strictly dominated rows and columns), then X's LP (``MatrixGameLP``) solved by the
/// LP solver `lpSolverID`. X's strategy is the LP's x; Y's comes from the row duals
/// (y_j = −dual of `colj`) when they pass the certificate, else from Y's own LP. The pair
/// is checked against every row and column of the full game.
///
/// Termination: the LP solver's status (its iterations, limits and cancellation are the
/// game's: they are forwarded into this solve's history). `optimal` when the LP is
/// optimal and the certificate passes with the tolerance (absolute; default
/// 1e-9·max(1, max|A|)); `almost_optimal` when the LP says optimal but the certificate
/// gap exceeds it.
///
/// Reference: G. B. Dantzig, "A proof of the equivalence of the programming problem and
/// the game problem" (1951); von Neumann & Morgenstern (1944).
package struct MatrixGameLPSolver: SolverPlugin {
    package let descriptor: SolverDescriptor
    /// The LP solver (by registry id) that solves the game's LPs.
    package let lpSolverID: String
    /// Options passed to the LP solver (e.g. GLPK's `method: dual`).
    package let lpParameters: [String: OptionValue]
    /// The LP solver's `tolerance`, when the game needs a tighter one than its default
    /// (an interior-point LP must meet the value to about 1e-9·max|A|).
    package let lpTolerance: Double?

    /// - Parameters:
    ///   - id: this plugin's id, e.g. `glpk.game-lp`.
    ///   - lpSolverID: the registry id of the LP solver, e.g. `glpk.simplex`.
    ///   - lpParameters: solver-specific options for the LP solver. The game LP has a zero
    ///     right-hand side in every row but one, so it is highly primal degenerate: GLPK's
    ///     primal simplex stalls on a random 500×500 game (time limit after 35 000
    ///     iterations) where its dual simplex takes 2 600 (docs/benchmarks-games.md).
    package init(id: String, lpSolverID: String, lpParameters: [String: OptionValue] = [:], lpTolerance: Double? = nil) {
        self.lpTolerance = lpTolerance
        self.lpSolverID = lpSolverID
        self.lpParameters = lpParameters
        self.descriptor = SolverDescriptor(
            id: id, kinds: [.matrixGame],
            options: GameLPSettings.optionSpecs,
            summary: "minimax LP solved by \(lpSolverID); saddle-point and dominance presolve; certificate checked")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let game = try GameResult.game(problem, solverID: descriptor.id)
        let settings = try GameLPSettings(options: context.options, game: game)
        let (usePresolve, columnMethod, tolerance) = (settings.presolve, settings.columnStrategy, settings.tolerance)
        let a = game.payoff
        let m = a.rows, n = a.columns

        let reduction = GameResult.presolve(game, enabled: usePresolve, control: context.control, tolerance: tolerance)
        if let answered = reduction.saddlePointResult { return answered }
        let rows = reduction.rows, columns = reduction.columns, report = reduction.report

        if let stop = context.control.checkInterrupt() {
            return stoppedResult(game, rows: rows, columns: columns, lp: nil, status: stop, rawStatus: "stopped during presolve",
                                 iterations: 0, tolerance: tolerance, presolve: report)
        }
        // X's LP on the reduced game.
        let primalLP = try MatrixGameLP.rowPlayerLP(a, rows: rows, columns: columns, name: game.name,
                                                      rowNames: game.rowNames, columnNames: game.columnNames)
        let (primalResult, primalStop) = try solveLP(primalLP, context: context)
        var iterations = primalResult.iterations
        let status = primalStop ?? primalResult.status
        if [.timeLimit, .iterationLimit, .interrupted].contains(status) {
            return stoppedResult(game, rows: rows, columns: columns, lp: primalResult, status: status,
                                 rawStatus: "\(lpSolverID): \(primalResult.rawStatus)", iterations: iterations, tolerance: tolerance,
                                 presolve: report)
        }
        guard status.hasSolution, primalResult.primal.count == rows.count + 1, let value = primalResult.objective else {
            var result = SolveResult(kind: .matrixGame, status: status, rawStatus: "\(lpSolverID): \(primalResult.rawStatus)",
                                     objective: nil, variableNames: [], primal: [], iterations: iterations)
            result.notes = ["the game LP ended with status \(primalResult.status.rawValue); no strategies"] + primalResult.notes
            return result
        }
        var x = Array(repeating: 0.0, count: m)
        let xReduced = GameResult.normalized(Array(primalResult.primal[0..<rows.count]))
        for (k, i) in rows.enumerated() { x[i] = xReduced[k] }

        var notes: [String] = []
        var y = Array(repeating: 0.0, count: n)
        var yFound = false
        if columnMethod == "duals", let duals = primalResult.duals, duals.count == columns.count + 1 {
            let yReduced = GameResult.normalized(columns.indices.map { -duals[$0] })
            for (k, j) in columns.enumerated() { y[j] = yReduced[k] }
            yFound = game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance).passed
            if !yFound { notes.append("the LP duals did not certify the column player's strategy; solved the column player's LP") }
        }
        var finalStatus = status
        var rawStatus = "\(lpSolverID): \(primalResult.rawStatus)"
        if !yFound {
            let dualLP = try MatrixGameLP.columnPlayerLP(a, rows: rows, columns: columns, name: game.name,
                                                           rowNames: game.rowNames, columnNames: game.columnNames)
            let (dualResult, dualStop) = try solveLP(dualLP, context: context)
            iterations += dualResult.iterations
            let dualStatus = dualStop ?? dualResult.status
            y = Array(repeating: 0.0, count: n)
            if dualStatus.hasSolution, dualResult.primal.count == columns.count + 1 {
                let yReduced = GameResult.normalized(Array(dualResult.primal[0..<columns.count]))
                for (k, j) in columns.enumerated() { y[j] = yReduced[k] }
            } else {
                finalStatus = dualStatus.hasSolution ? .numericalError : dualStatus
                rawStatus += "; column player's LP: \(dualResult.rawStatus)"
                notes.append("the column player's LP ended with status \(dualStatus.rawValue)")
                y = GameResult.normalized(y)
            }
        }
        var result = GameResult.make(game: game, rowStrategy: x, columnStrategy: y, value: value, status: finalStatus,
                                     rawStatus: rawStatus, iterations: iterations, tolerance: tolerance, presolve: report)
        // The game's own certificate (each strategy's guarantee) decides optimality, not
        // the LP's status: an LP answer the LP checker could only call almost optimal (no
        // duals, say) still yields optimal strategies when their guarantees meet.
        if let certificate = result.details(as: MatrixGameDetails.self)?.certificate, finalStatus.hasSolution {
            result.status = certificate.passed ? .optimal : .almostOptimal
            if !certificate.passed { notes.append("certificate gap \(certificate.gap) exceeds the tolerance \(tolerance)") }
        }
        if context.control.history.reportedCount == 0 {
            let d = result.details(as: MatrixGameDetails.self)
            _ = context.control.record(IterationRecord(iteration: iterations, objective: value, gap: d?.certificate.gap,
                                                       extras: [Metric("lower_bound", d?.columnGuarantee ?? .nan),
                                                                Metric("upper_bound", d?.rowGuarantee ?? .nan)]))
        }
        result.notes = notes + primalResult.notes
        return result
    }

    /// The result of a solve stopped by a limit before the row player's LP ended: the best
    /// strategies at hand rather than none, so the result still bounds the value. For each
    /// player it takes, of the stopped LP's current point (x from its primal, y from its
    /// duals, normalized) and the uniform strategy over what presolve kept, the one with the
    /// better guarantee; the value reported is the midpoint of the two guarantees, as
    /// fictitious play reports it, and the certificate holds the interval.
    private func stoppedResult(_ game: MatrixGame, rows: [Int], columns: [Int], lp: SolveResult?, status: TerminationStatus,
                               rawStatus: String, iterations: Int, tolerance: Double, presolve: GamePresolveReport?) -> SolveResult {
        let m = game.payoff.rows, n = game.payoff.columns
        func spread(_ reduced: [Double], over kept: [Int], count: Int) -> [Double] {
            var full = Array(repeating: 0.0, count: count)
            for (k, i) in kept.enumerated() { full[i] = reduced[k] }
            return full
        }
        let uniformX = spread(GameResult.normalized(Array(repeating: 0, count: rows.count)), over: rows, count: m)
        let uniformY = spread(GameResult.normalized(Array(repeating: 0, count: columns.count)), over: columns, count: n)
        var x = uniformX, y = uniformY
        if let lp, lp.primal.count == rows.count + 1 {
            let candidate = spread(GameResult.normalized(Array(lp.primal[0..<rows.count])), over: rows, count: m)
            // The row player pays at most its guarantee: lower is better.
            if game.certificate(rowStrategy: candidate, columnStrategy: y, tolerance: tolerance).rowGuarantee
                < game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance).rowGuarantee { x = candidate }
        }
        if let duals = lp?.duals, duals.count == columns.count + 1 {
            let candidate = spread(GameResult.normalized(columns.indices.map { -duals[$0] }), over: columns, count: n)
            if game.certificate(rowStrategy: x, columnStrategy: candidate, tolerance: tolerance).columnGuarantee
                > game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance).columnGuarantee { y = candidate }
        }
        let bounds = game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance)
        var result = GameResult.make(game: game, rowStrategy: x, columnStrategy: y,
                                     value: 0.5 * (bounds.rowGuarantee + bounds.columnGuarantee), status: status,
                                     rawStatus: rawStatus, iterations: iterations, tolerance: tolerance, presolve: presolve)
        result.notes = ["stopped (\(status.rawValue)) before the game LP ended: the strategies are the best at hand (the LP's current point or uniform); the value lies in [\(bounds.columnGuarantee), \(bounds.rowGuarantee)]"]
        return result
    }

    /// Solves an LP through the registry, forwarding its iterations into this solve.
    private func solveLP(_ lp: LinearProgram, context: SolveContext) throws -> (SolveResult, TerminationStatus?) {
        let outer = context.options
        var inner = SolveOptions(maxIterations: outer.maxIterations, tolerance: lpTolerance, seed: outer.seed, verbosity: outer.verbosity,
                                 historyStorage: .off, parameters: lpParameters)
        if outer.timeLimit != nil { inner.timeLimit = max(1e-3, context.control.secondsRemaining) }
        let forward = ForwardingObserver(control: context.control)
        let result = try context.registry.solve(.linear(lp), name: lp.name, solverID: lpSolverID, options: inner, observers: [forward])
        return (result, forward.stopStatus)
    }
}
