import Foundation
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

// MARK: - The seeds' two games

@Suite("Seeds' examples")
struct SeedGames {
    @Test("A = [[1,0,2],[3,-1,4]]: saddle point at row 1, column 3, value 2, found without an LP")
    func saddle() throws {
        let g = try game([[1, 0, 2], [3, -1, 4]])
        let (result, d) = try solveGame(g, "glpk.game-lp")
        #expect(result.status == .optimal)
        #expect(result.objective == 2)
        #expect(d.value == 2)
        #expect(d.presolve?.saddleRow == 0 && d.presolve?.saddleColumn == 2)
        #expect(result.iterations == 0)
        #expect(result.rawStatus.contains("saddle"))
        #expect(d.rowStrategy == [1, 0] && d.columnStrategy == [0, 0, 1])
        #expect(d.rowSupport == [0] && d.columnSupport == [2])
        #expect(d.certificate.passed && d.certificate.gap == 0)
        #expect(result.history.records.count == 1)
    }

    @Test("The saddle game through the LP (presolve off) gives the same pure pair")
    func saddleByLP() throws {
        let g = try game([[1, 0, 2], [3, -1, 4]])
        let (result, d) = try solveGame(g, "glpk.game-lp", options: SolveOptions(parameters: ["presolve": .bool(false)]))
        #expect(result.status == .optimal)
        #expect(isClose(d.value, 2, absolute: 1e-12))
        #expect(d.presolve == nil)
        for (a, b) in zip(d.rowStrategy, [1.0, 0]) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in zip(d.columnStrategy, [0.0, 0, 1]) { #expect(abs(a - b) <= 1e-9) }
        #expect(d.certificate.passed)
    }

    @Test("A = [[1,0,4],[3,-1,2]]: value 2.5, x* = (1/4, 3/4), y* = (1/2, 0, 1/2), mixed row (2.5, -0.75, 2.5)")
    func mixed() throws {
        let g = try game([[1, 0, 4], [3, -1, 2]])
        let (result, d) = try solveGame(g, "glpk.game-lp")
        #expect(result.status == .optimal)
        #expect(abs(d.value - 2.5) <= 1e-12)
        #expect(result.objective.map { abs($0 - 2.5) <= 1e-12 } == true)
        for (a, b) in zip(d.rowStrategy, [0.25, 0.75]) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in zip(d.columnStrategy, [0.5, 0, 0.5]) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in zip(g.columnPayments(against: d.rowStrategy), [2.5, -0.75, 2.5]) { #expect(abs(a - b) <= 1e-9) }
        #expect(d.rowSupport == [0, 1] && d.columnSupport == [0, 2])
        #expect(abs(d.rowGuarantee - 2.5) <= 1e-9 && abs(d.columnGuarantee - 2.5) <= 1e-9)
        #expect(d.certificate.passed)
        #expect(d.presolve?.foundSaddlePoint == false)
        #expect(result.value(of: "x[r2]").map { abs($0 - 0.75) <= 1e-9 } == true)
        #expect(result.value(of: "y[c3]").map { abs($0 - 0.5) <= 1e-9 } == true)
    }
}

// MARK: - Every reference game

@Suite("Reference games (Tests/Fixtures/games)")
struct ReferenceGames {
    static let names = ["seed_saddle", "seed_mixed", "rock_paper_scissors", "random_5x7_s4", "random_10x15_s1",
                        "random_50x50_s2", "random_200x300_s3", "random_positive_30x20_s8"]
    static let unique: Set<String> = ["seed_saddle", "seed_mixed", "rock_paper_scissors"]

    static func reference(_ name: String) throws -> Double {
        guard let row = try Fixtures.tsv(Fixtures.path("games/reference.tsv")).first(where: { $0["name"] == name }),
              let v = row["value"].flatMap(Double.init) else { throw TestFailure("no reference for \(name)") }
        return v
    }

    @Test("glpk.game-lp and native.game-lp match the reference value to 1e-9·max|A| and pass the certificate",
          arguments: names, ["glpk.game-lp", "native.game-lp"])
    func lp(name: String, solver: String) throws {
        let g = try fixtureGame(name)
        let tol = 1e-9 * g.maxAbsolutePayoff
        let v = try Self.reference(name)
        let (result, d) = try solveGame(g, solver)
        #expect(result.status == .optimal, "\(name): \(result.status) \(result.rawStatus)")
        #expect(abs(d.value - v) <= tol, "\(name): \(d.value)")
        // The certificate recomputed here, independently of the plugin's own check.
        let c = g.certificate(rowStrategy: d.rowStrategy, columnStrategy: d.columnStrategy, tolerance: tol)
        #expect(c.passed, "\(name): gap \(c.gap), violation \(c.strategyViolation)")
        #expect(c.rowGuarantee <= v + tol && c.columnGuarantee >= v - tol)
        #expect(d.rowStrategy.allSatisfy { $0 >= -1e-12 } && d.columnStrategy.allSatisfy { $0 >= -1e-12 })
        if Self.unique.contains(name), let ref = try referenceStrategies(name) {
            for (a, b) in zip(d.rowStrategy, ref.x) { #expect(abs(a - b) <= 1e-9, "\(name) x") }
            for (a, b) in zip(d.columnStrategy, ref.y) { #expect(abs(a - b) <= 1e-9, "\(name) y") }
        }
    }

    @Test("Without presolve and with y from the column player's LP, the same values", arguments: ["seed_mixed", "random_10x15_s1", "random_50x50_s2"])
    func dualLP(name: String) throws {
        let g = try fixtureGame(name)
        let tol = 1e-9 * g.maxAbsolutePayoff
        let options = SolveOptions(parameters: ["presolve": .bool(false), "column_strategy": .string("dual_lp")])
        let (result, d) = try solveGame(g, "glpk.game-lp", options: options)
        #expect(result.status == .optimal)
        #expect(abs(d.value - (try Self.reference(name))) <= tol)
        #expect(d.certificate.passed)
    }

    @Test("An LP solver without duals: the plugin falls back to the column player's LP")
    func noDuals() throws {
        var registry = gameRegistry()
        registry.register(DualsDroppingLP())
        registry.register(MatrixGameLPSolver(id: "test.game-lp", lpSolverID: "test.no-duals"))
        let g = try fixtureGame("random_5x7_s4")
        let result = try registry.solve(.matrixGame(g), solverID: "test.game-lp")
        let d = try #require(result.details(as: MatrixGameDetails.self))
        #expect(result.status == .optimal)
        #expect(abs(d.value - 56.0 / 47.0) <= 1e-9 * 5)
        #expect(d.certificate.passed)
    }

    @Test("The learners reach a gap below 1e-3 on the small games, with bounds around the value",
          arguments: [("native.fictitious-play", "seed_saddle"), ("native.fictitious-play", "seed_mixed"),
                      ("native.fictitious-play", "rock_paper_scissors"), ("native.fictitious-play", "random_5x7_s4"),
                      ("native.fictitious-play", "random_10x15_s1"),
                      ("native.multiplicative-weights", "seed_saddle"), ("native.multiplicative-weights", "seed_mixed"),
                      ("native.multiplicative-weights", "rock_paper_scissors")])
    func learners(solver: String, name: String) throws {
        let g = try fixtureGame(name)
        let v = try Self.reference(name)
        let (result, d) = try solveGame(g, solver)
        #expect(result.status == .optimal, "\(solver) on \(name): \(result.rawStatus)")
        let c = g.certificate(rowStrategy: d.rowStrategy, columnStrategy: d.columnStrategy, tolerance: 1e-3)
        #expect(c.passed && c.gap < 1e-3, "\(solver) on \(name): gap \(c.gap)")
        #expect(c.columnGuarantee <= v + 1e-9 && v <= c.rowGuarantee + 1e-9)
        #expect(abs(d.value - v) < 1e-3)
        try checkHistory(result)
    }

    @Test("Optimistic Hedge with a constant step reaches 1e-3 on the small random games",
          arguments: ["random_5x7_s4", "random_10x15_s1"])
    func optimisticHedge(name: String) throws {
        let g = try fixtureGame(name)
        let options = SolveOptions(parameters: ["optimistic": .bool(true), "schedule": .string("constant"), "step_size": .number(1)])
        let (result, d) = try solveGame(g, "native.multiplicative-weights", options: options)
        #expect(result.status == .optimal, "\(result.rawStatus)")
        #expect(d.certificate.gap < 1e-3)
        #expect(abs(d.value - (try Self.reference(name))) < 1e-3)
        try checkHistory(result)
    }

    /// The recorded gap never grows, equals upper − lower, and brackets the value.
    func checkHistory(_ result: SolveResult) throws {
        let records = result.history.records
        #expect(!records.isEmpty)
        var previous = Double.infinity
        for r in records {
            let gap = try #require(r.gap)
            let lower = try #require(r.value(forKey: "lower_bound")), upper = try #require(r.value(forKey: "upper_bound"))
            #expect(gap <= previous + 1e-15)
            #expect(abs(gap - (upper - lower)) <= 1e-12)
            previous = gap
        }
        #expect(result.history.extraKeys == ["lower_bound", "upper_bound", "current_gap"])
    }
}

// MARK: - Learners' limits and rates

@Suite("Iterative learners")
struct Learners {
    @Test("An iteration budget too small ends with iteration_limit and the averaged strategies")
    func limit() throws {
        let g = try fixtureGame("random_50x50_s2")
        for solver in ["native.fictitious-play", "native.multiplicative-weights"] {
            let (result, d) = try solveGame(g, solver, options: SolveOptions(maxIterations: 50))
            #expect(result.status == .iterationLimit)
            #expect(result.iterations == 50)
            #expect(result.history.records.count == 50)
            #expect(d.certificate.strategyViolation <= 1e-12)
            #expect(d.certificate.gap > 1e-3)
        }
    }

    @Test("A game LP stopped by a limit returns the best strategies at hand, whose guarantees bound the value",
          arguments: ["glpk.game-lp", "native.game-lp"])
    func stoppedLP(solver: String) throws {
        let name = "random_200x300_s3"
        let g = try fixtureGame(name)
        let v = try ReferenceGames.reference(name)
        let (result, d) = try solveGame(g, solver, options: SolveOptions(maxIterations: 3))
        #expect(result.status == .iterationLimit)
        #expect(result.primal.count == g.payoff.rows + g.payoff.columns)
        #expect(d.certificate.strategyViolation <= 1e-12)
        #expect(d.certificate.columnGuarantee <= v + 1e-9 && v - 1e-9 <= d.certificate.rowGuarantee)
    }

    @Test("An observer's stop ends with interrupted")
    func interrupted() throws {
        let g = try fixtureGame("random_10x15_s1")
        let stopper = ClosureObserver { $0.iteration < 10 }
        let (result, _) = try solveGame(g, "native.fictitious-play", observers: [stopper])
        #expect(result.status == .interrupted)
        #expect(result.iterations == 10)
    }

    @Test("Hedge's gap shrinks at least like the O(√(log n / T)) bound")
    func hedgeRate() throws {
        let g = try fixtureGame("random_10x15_s1")
        let range = (g.payoff.storage.max() ?? 0) - (g.payoff.storage.min() ?? 0)
        for t in [100, 1000, 10000] {
            let options = SolveOptions(maxIterations: t, tolerance: 1e-12, parameters: ["schedule": .string("horizon")])
            let (_, d) = try solveGame(g, "native.multiplicative-weights", options: options)
            // Average regret of Hedge with η = √(8 ln N / T) is at most √(ln N / (2T)) per player.
            let bound = range * ((log(10.0) / (2 * Double(t))).squareRoot() + (log(15.0) / (2 * Double(t))).squareRoot())
            #expect(d.certificate.gap <= bound, "T = \(t): gap \(d.certificate.gap) > \(bound)")
        }
    }

    @Test("Simultaneous fictitious play also converges, more slowly on rock–paper–scissors")
    func simultaneous() throws {
        let g = try fixtureGame("seed_mixed")
        let (result, d) = try solveGame(g, "native.fictitious-play", options: SolveOptions(parameters: ["alternating": .bool(false)]))
        #expect(result.status == .optimal)
        #expect(abs(d.value - 2.5) < 1e-3)
    }

    @Test("Bad learner options are errors naming the option")
    func badOptions() throws {
        let g = try fixtureGame("seed_mixed")
        #expect(throws: SolverError.self) {
            _ = try solveGame(g, "native.multiplicative-weights", options: SolveOptions(parameters: ["schedule": .string("fast")]))
        }
        #expect(throws: SolverError.self) {
            _ = try solveGame(g, "native.multiplicative-weights", options: SolveOptions(parameters: ["step_size": .number(-1)]))
        }
        #expect(throws: SolverError.self) {
            _ = try solveGame(g, "native.fictitious-play", options: SolveOptions(parameters: ["presolve": .bool(true)]))
        }
    }
}

// MARK: - Presolve and certificate

@Suite("Presolve and certificate")
struct PresolveAndCertificate {
    @Test("Iterated strict dominance: row 2 then column 1 go, leaving [[1,4],[3,1]] with value 2.2")
    func dominance() throws {
        let g = try game([[3, 1, 4], [4, 2, 5], [0, 3, 1]])
        let outcome = GamePresolve.run(g)
        #expect(outcome.report.removedRows == [1])
        #expect(outcome.report.removedColumns == [0])
        #expect(outcome.keptRows == [0, 2] && outcome.keptColumns == [1, 2])
        #expect(!outcome.report.foundSaddlePoint)
        let (result, d) = try solveGame(g, "glpk.game-lp")
        #expect(result.status == .optimal)
        #expect(abs(d.value - 2.2) <= 1e-12)
        for (a, b) in zip(d.rowStrategy, [0.4, 0, 0.6]) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in zip(d.columnStrategy, [0, 0.6, 0.4]) { #expect(abs(a - b) <= 1e-9) }
        #expect(d.certificate.passed)
        #expect(d.presolve?.removedRows == [1])
    }

    @Test("Dominance that uncovers a saddle point in the reduced game")
    func dominanceThenSaddle() throws {
        // Row 1 is dominated by row 2; then column 2 by column 1 leaves [[0, ...]]: (row 2, column 1).
        let g = try game([[5, 6], [0, -1], [-2, 7]])
        let outcome = GamePresolve.run(g)
        if let i = outcome.report.saddleRow, let j = outcome.report.saddleColumn {
            // A saddle of the reduced game is a saddle of the full one.
            let a = g.payoff
            #expect((0..<a.columns).allSatisfy { a[i, $0] <= a[i, j] })
            #expect((0..<a.rows).allSatisfy { a[$0, j] >= a[i, j] })
        }
        let (_, d) = try solveGame(g, "glpk.game-lp")
        let (_, plain) = try solveGame(g, "glpk.game-lp", options: SolveOptions(parameters: ["presolve": .bool(false)]))
        #expect(abs(d.value - plain.value) <= 1e-12)
        #expect(d.certificate.passed)
    }

    @Test("No saddle point in rock–paper–scissors (nothing dominated) or the mixed seed (column 2 dominated by column 1)")
    func noSaddle() throws {
        let rps = GamePresolve.run(try fixtureGame("rock_paper_scissors"))
        #expect(!rps.report.foundSaddlePoint)
        #expect(rps.report.removedRows.isEmpty && rps.report.removedColumns.isEmpty)
        let mixed = GamePresolve.run(try fixtureGame("seed_mixed"))
        #expect(!mixed.report.foundSaddlePoint)
        #expect(mixed.report.removedRows.isEmpty && mixed.report.removedColumns == [1])
    }

    @Test("The certificate rejects non-optimal and invalid strategies")
    func certificate() throws {
        let g = try game([[1, 0, 4], [3, -1, 2]])
        #expect(g.certificate(rowStrategy: [0.25, 0.75], columnStrategy: [0.5, 0, 0.5], tolerance: 1e-12).passed)
        let uniform = g.certificate(rowStrategy: [0.5, 0.5], columnStrategy: [0.5, 0, 0.5], tolerance: 1e-9)
        #expect(!uniform.passed && abs(uniform.rowGuarantee - 3) <= 1e-15)
        #expect(!g.certificate(rowStrategy: [0.5, 0.75], columnStrategy: [0.5, 0, 0.5], tolerance: 1).passed)
        #expect(!g.certificate(rowStrategy: [1.25, -0.25], columnStrategy: [0.5, 0, 0.5], tolerance: 10).passed)
        #expect(!g.certificate(rowStrategy: [1], columnStrategy: [0.5, 0, 0.5], tolerance: 10).passed)
    }

    @Test("JSON fields of the result")
    func json() throws {
        let (_, d) = try solveGame(try game([[1, 0, 2], [3, -1, 4]]), "glpk.game-lp")
        let json = JSONValue.object(d.jsonFields).serialized()
        #expect(json.contains("\"value\":2"))
        #expect(json.contains("\"row_strategy\":[1,0]"))
        #expect(json.contains("\"column_strategy\":[0,0,1]"))
        #expect(json.contains("\"saddle_point\":{\"column\":\"c3\",\"row\":\"r1\"}"))
        #expect(d.summaryLines.contains { $0.contains("saddle point at (r1, c3)") })
    }
}
