import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

@Suite("Matrix-game readers")
struct ReaderTests {
    func loadGame(_ path: String) throws -> MatrixGame {
        let definition = try ProblemFileReader.load(path)
        guard case .matrixGame(let g) = definition.problem else { throw TestFailure("not a game") }
        return g
    }

    @Test("YAML inline rows with names; payoff_to: row negates the matrix")
    func inlineAndFlip() throws {
        let dir = try temporaryFolder([
            "pay.yaml": "kind: matrix-game\npayoff: [[1, 0, 2], [3, -1, 4]]\nrow_names: [top, bottom]\ncolumn_names: [a, b, c]\n",
            "gain.yaml": "kind: matrix-game\npayoff_to: row\npayoff:\n  - [-1, 0, -2]\n  - [-3, 1, -4]\n",
        ])
        let pay = try loadGame(dir + "/pay.yaml"), gain = try loadGame(dir + "/gain.yaml")
        #expect(pay.rowNames == ["top", "bottom"] && pay.columnNames == ["a", "b", "c"])
        #expect(pay.payoff == gain.payoff)
        let (_, d) = try solveGame(gain, "glpk.game-lp")
        #expect(d.value == 2 && d.presolve?.saddleRow == 0 && d.presolve?.saddleColumn == 2)
    }

    @Test("YAML with a CSV file relative to it, and with an .nfg file")
    func files() throws {
        let dir = try temporaryFolder([
            "a.csv": "# seed_mixed\n1, 0, 4\r\n3,-1,2\n\n",
            "csv.yaml": "kind: matrix-game\npayoff: a.csv\n",
            "g.nfg": "NFG 1 R \"seed\" { \"X\" \"Y\" } { 2 3 }\n\"\"\n-1 1 -3 3 0 0 1 -1 -4 4 -2 2\n",
            "nfg.yaml": "kind: matrix-game\nname: from gambit\npayoff: g.nfg\n",
        ])
        let expected = try DenseMatrix(rowArrays: [[1, 0, 4], [3, -1, 2]])
        #expect(try loadGame(dir + "/csv.yaml").payoff == expected)
        let nfg = try loadGame(dir + "/nfg.yaml")
        #expect(nfg.payoff == expected && nfg.name == "from gambit")
        #expect(try loadGame(dir + "/g.nfg").payoff == expected)
    }

    @Test("Every fixture CSV reads with its declared size")
    func fixtures() throws {
        for row in try Fixtures.tsv(Fixtures.path("games/reference.tsv")) {
            let a = try PayoffCSVReader.read(Fixtures.path("games/\(row["name"]!).csv"))
            #expect(a.rows == Int(row["rows"]!) && a.columns == Int(row["cols"]!))
        }
    }

    @Test("NFG outcome version with strategy names; constant-sum games are accepted with a note")
    func nfgOutcome() throws {
        let text = """
        NFG 1 R "Rock paper scissors" { "Player 1" "Player 2" }
        { { "R" "P" "S" }
          { "R" "P" "S" } }
        "A comment"
        {
        { "draw" 1/2, 1/2 }
        { "p1" 1, 0 }
        { "p2" 0, 1 }
        }
        1 2 3 3 1 2 2 3 1
        """
        let dir = try temporaryFolder(["rps.nfg": text])
        let definition = try ProblemFileReader.load(dir + "/rps.nfg")
        guard case .matrixGame(let g) = definition.problem else { throw TestFailure("not a game") }
        #expect(g.rowNames == ["R", "P", "S"] && g.columnNames == ["R", "P", "S"])
        // Profile order: player 1 fastest. (R,R) draw, (P,R) p1 wins, (S,R) p2 wins, ...
        #expect(g.payoff.row(0) == [0.5, 1, 0])
        #expect(g.payoff.row(1) == [0, 0.5, 1])
        #expect(definition.notes.contains { $0.contains("constant-sum") })
        let (_, d) = try solveGame(g, "glpk.game-lp")
        #expect(abs(d.value - 0.5) <= 1e-12)
        for p in d.rowStrategy { #expect(abs(p - 1.0 / 3) <= 1e-9) }
    }

    @Test("Malformed files are InputErrors with the file, line and column", arguments: [
        // (file name, text, expected line, expected column or nil, words in the message)
        ("empty-cell.csv", "1,2,3\n4,,6\n", 2, 3, "empty entry 2"),
        ("word.csv", "1,2,3\n4,5, x6\n", 2, 6, "'x6', not a number"),
        ("ragged.csv", "1,2,3\n\n4,5\n", 3, nil, "has 2 entries but line 1 has 3"),
        ("nan.csv", "1,nan\n", 1, 3, "not a finite number"),
        ("three.nfg", "NFG 1 R \"t\" { \"a\" \"b\" \"c\" } { 2 2 2 }\n", 1, 15, "3 players"),
        ("general.nfg", "NFG 1 R \"battle\" { \"1\" \"2\" } { 2 2 }\n\n2 1 0 0\n0 0 1 2\n", 3, 5, "not a zero-sum game"),
        ("short.nfg", "NFG 1 R \"t\" { \"1\" \"2\" } { 2 2 }\n1 -1 2 -2 3 -3\n", 2, nil, "6 payoffs for 4 strategy profiles"),
        ("odd.nfg", "NFG 1 R \"t\" { \"1\" \"2\" } { 1 1 }\n1\n", 2, 1, "payoffs come in pairs"),
        ("head.nfg", "EFG 2 R \"t\"\n", 1, 1, "expected 'NFG'"),
        ("quote.nfg", "NFG 1 R \"t\n", 1, 9, "unterminated"),
        ("bad-number.nfg", "NFG 1 R \"t\" { \"1\" \"2\" } { 1 1 }\n1 z\n", 2, 3, "a number"),
        ("outcome.nfg", "NFG 1 R \"t\" { \"1\" \"2\" } { { \"a\" } { \"b\" } }\n\"\"\n{ { \"o\" 1 -1 } }\n2\n", 4, 1, "not between 0 and 1"),
        ("kind.yaml", "kind: matrix-game\npayoff: [[1, 2], [3]]\n", 2, nil, "has 1 entries but the first row has 2"),
        ("to.yaml", "kind: matrix-game\npayoff: [[1]]\npayoff_to: both\n", 3, nil, "expected 'column'"),
        ("names.yaml", "kind: matrix-game\npayoff: [[1, 2]]\ncolumn_names: [a]\n", 3, nil, "1 names for 2 columns"),
        ("typo.yaml", "kind: matrix-game\npayoff: [[1]]\npayof_to: row\n", 3, nil, "unknown key 'payof_to'"),
        ("missing.yaml", "kind: matrix-game\n", nil, nil, "missing 'payoff:'"),
        ("ext.yaml", "kind: matrix-game\npayoff: game.txt\n", 2, nil, "a .csv or .nfg file"),
        ("nan.yaml", "kind: matrix-game\npayoff: [[1, .nan]]\n", 2, nil, "NaN"),
    ] as [(String, String, Int?, Int?, String)])
    func malformed(name: String, text: String, line: Int?, column: Int?, words: String) throws {
        let dir = try temporaryFolder([name: text])
        let path = dir + "/" + name
        // CSV is not a problem format by itself (other kinds use CSV too): read it as a payoff file.
        let error: InputError
        if name.hasSuffix(".csv") {
            do { _ = try PayoffCSVReader.read(path); throw TestFailure("\(name) read without an error") } catch let e as InputError { error = e }
        } else {
            error = try #require(loadError(path), "\(name) loaded without an error")
        }
        #expect(error.file == path, "\(name): \(error)")
        #expect(error.message.contains(words), "\(name): \(error)")
        if let line { #expect(error.line == line, "\(name): \(error)") }
        if let column { #expect(error.column == column, "\(name): \(error)") }
    }

    @Test("payoff_to does not apply to an .nfg file; an empty CSV is an error")
    func misc() throws {
        let dir = try temporaryFolder([
            "g.nfg": "NFG 1 R \"t\" { \"1\" \"2\" } { 1 1 }\n1 -1\n",
            "g.yaml": "kind: matrix-game\npayoff: g.nfg\npayoff_to: row\n",
            "e.csv": "\n# nothing\n",
            "e.yaml": "kind: matrix-game\npayoff: e.csv\n",
        ])
        #expect(loadError(dir + "/g.yaml")?.message.contains("does not apply to an .nfg file") == true)
        let e = try #require(loadError(dir + "/e.yaml"))
        #expect(e.file == dir + "/e.csv" && e.message.contains("no payoff rows"))
    }
}

@Suite("Example problems")
struct ExampleProblems {
    @Test("problems/games and the tour load and solve to their stated values", arguments: [
        ("games/seed_saddle.yaml", 2.0, nil as String?),
        ("games/seed_mixed.yaml", 2.5, nil),
        ("games/rps_named.yaml", 0.0, nil),
        ("games/rock_paper_scissors.nfg", 0.0, nil),
        ("games/dominated.yaml", 2.2, nil),
        ("tour/games.yaml", 1340.0 / 691.0, nil),
        ("tour/games.yaml", 1340.0 / 691.0, "glpk.game-lp"),
    ])
    func examples(path: String, value: Double, solver: String?) throws {
        let definition = try ProblemFileReader.load(Fixtures.problem(path))
        let result = try gameRegistry().solve(definition, solverID: solver)
        let d = try #require(result.details(as: MatrixGameDetails.self))
        let tolerance = definition.options.tolerance ?? 1e-9
        #expect(result.status == .optimal, "\(path): \(result.rawStatus)")
        #expect(abs(d.value - value) <= tolerance, "\(path): \(d.value)")
        #expect(d.certificate.passed)
    }

    @Test("dominated.yaml: presolve removes the middle row and the left column")
    func dominated() throws {
        let result = try gameRegistry().solve(try ProblemFileReader.load(Fixtures.problem("games/dominated.yaml")))
        let d = try #require(result.details(as: MatrixGameDetails.self))
        #expect(result.solverID == "native.game-lp")
        #expect(d.presolve?.removedRows == [1] && d.presolve?.removedColumns == [0])
        for (a, b) in zip(d.rowStrategy, [0.4, 0, 0.6]) { #expect(abs(a - b) <= 1e-9) }
    }
}
