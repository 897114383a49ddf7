import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// Matrix Market, CSV and `kind: linear-system` readers.
@Suite struct MatrixMarketReaderTests {
    @Test func readsDenseArrayFileColumnMajor() throws {
        let a = try MatrixMarket.readMatrix(Fixtures.path("kaczmarz/gauss_100x10_cond400.A.mtx"))
        guard case .dense(let d) = a else { Issue.record("expected dense storage"); return }
        #expect(d.rows == 100 && d.columns == 10)
        // The file lists column 1 first: (1,1) = -0.3307665988, (2,1) = 0.725354207.
        #expect(d[0, 0] == -0.3307665988)
        #expect(d[1, 0] == 0.725354207)
        let b = try MatrixMarket.readVector(Fixtures.path("kaczmarz/gauss_100x10_cond400.b.mtx"))
        #expect(b.count == 100)
        #expect(b[0] == -0.41049571080651015)
    }

    @Test func readsSparseCoordinateFileByRows() throws {
        let a = try MatrixMarket.readMatrix(Fixtures.path("kaczmarz/sparse_5000x500.A.mtx"))
        guard case .sparseRows(let t) = a else { Issue.record("expected sparse row storage"); return }
        #expect(a.rowCount == 5000 && a.columnCount == 500)
        #expect(t.nonzeroCount == 25000)
        // First line of entries: "1 181 1.20282".
        #expect(t[180, 0] == 1.20282)
        // Every row has exactly five entries (README).
        for i in 0..<5000 { #expect(t.columnStarts[i + 1] - t.columnStarts[i] == 5) }
    }

    @Test func symmetricPatternIntegerAndSkewFormats() throws {
        let sym = try MatrixMarket.parse(text: """
            %%MatrixMarket matrix coordinate real symmetric
            % lower triangle only
            3 3 4
            1 1 2.5
            2 1 -1
            3 2 4
            3 3 1e-05
            """).systemMatrix(storage: .dense, path: "t")
        let d = sym.denseCopy()
        #expect(d[0, 1] == -1 && d[1, 0] == -1 && d[1, 2] == 4 && d[2, 1] == 4 && d[2, 2] == 1e-5 && d[0, 0] == 2.5)
        #expect(d[0, 2] == 0)

        let pattern = try MatrixMarket.parse(text: "%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 1\n")
            .systemMatrix(storage: .dense, path: "t").denseCopy()
        #expect(pattern.storage == [0, 0, 1, 1, 0, 0])

        let skew = try MatrixMarket.parse(text: "%%MatrixMarket matrix coordinate integer skew-symmetric\n2 2 1\n2 1 3\n")
            .systemMatrix(storage: .dense, path: "t").denseCopy()
        #expect(skew.storage == [0, -3, 3, 0])

        let arraySym = try MatrixMarket.parse(text: "%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n")
            .systemMatrix(storage: .dense, path: "t").denseCopy()
        #expect(arraySym.storage == [1, 2, 2, 3])

        // Duplicates are summed; rows given out of order are sorted.
        let dup = try MatrixMarket.parse(text: "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 2 1\n1 1 5\n1 2 2\n")
            .systemMatrix(storage: .sparse, path: "t").denseCopy()
        #expect(dup.storage == [5, 3, 0, 0])
    }

    @Test func storageFollowsDensity() throws {
        let sparseText = "%%MatrixMarket matrix coordinate real general\n4 4 2\n1 1 1\n4 4 2\n"
        guard case .sparseRows = try MatrixMarket.parse(text: sparseText).systemMatrix(storage: .auto, path: "t") else {
            Issue.record("12.5% dense should be sparse"); return
        }
        let denseText = "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n2 2 2\n1 2 3\n"
        guard case .dense = try MatrixMarket.parse(text: denseText).systemMatrix(storage: .auto, path: "t") else {
            Issue.record("75% dense should be dense"); return
        }
    }

    /// Each malformed file must fail with the right line and a message naming the problem.
    @Test(arguments: [
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n", 0, ""), // valid control
        ("%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n", 1, "banner"),
        ("%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0\n", 1, "complex"),
        ("%%MatrixMarket matrix array pattern general\n2 2\n", 1, "pattern"),
        ("%%MatrixMarket matrix coordinate real general\n% c\n2 2\n1 1 1\n", 3, "size line"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n3 1 1\n", 4, "row index"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n1 0 1\n", 4, "column index"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 x\n", 4, "not a finite number"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 nan\n", 4, "not a finite number"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1 7\n", 3, "3 fields"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n\n", 3, "ends after 1 of the 2"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 2\n", 4, "more entries"),
        ("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", 3, "integer"),
        ("%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 2 1\n", 3, "above the diagonal"),
        ("%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n1 1 1\n", 2, "square"),
        ("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n", 5, "ends after 3 of the 4"),
        ("%%MatrixMarket matrix array real general\n1 1\n1 2\n", 3, "one value"),
        ("%%MatrixMarket matrix coordinate real general\n1000000 1000000 1000000000000\n1 1 1\n", 2, "truncated or its header is wrong"),
        ("%%MatrixMarket matrix array real general\n1000000 1000000\n1\n", 2, "truncated or its header is wrong"),
        ("%%MatrixMarket matrix coordinate real general\n99999999999999 5 1\n1 1 1\n", 2, "implausibly large"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 -1\n", 2, "non-negative"),
    ])
    func malformedFilesReportTheirLine(text: String, line: Int, fragment: String) throws {
        do {
            _ = try MatrixMarket.parse(text: text, path: "bad.mtx")
            #expect(line == 0, "expected an error at line \(line)")
        } catch {
            #expect(error.file == "bad.mtx")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func missingFileAndVectorShape() throws {
        #expect(throws: InputError.self) { try MatrixMarket.readMatrix("/nonexistent/a.mtx") }
        do {
            _ = try MatrixMarket.parse(text: "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n").vector(path: "v.mtx")
            Issue.record("a 2×2 matrix is not a vector")
        } catch {
            #expect(error.message.contains("expected a vector"))
        }
    }
}

@Suite struct CSVAndYAMLReaderTests {
    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "lagrange-kaczmarz-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvWithHeaderAndErrors() throws {
        let path = try temporaryFile("a.csv", "c1, c2\n1, 2\n# comment\n\n3,4.5\n")
        let a = try CSVMatrix.readMatrix(path).denseCopy()
        #expect(a.rows == 2 && a.storage == [1, 2, 3, 4.5])
        let bad = try temporaryFile("bad.csv", "1,2\n3\n")
        do { _ = try CSVMatrix.readMatrix(bad); Issue.record("ragged rows must fail") } catch {
            #expect(error.line == 2 && error.message.contains("1 cells"))
        }
        let bad2 = try temporaryFile("bad2.csv", "1,2\n3,abc\n")
        do { _ = try CSVMatrix.readMatrix(bad2); Issue.record("text cell must fail") } catch {
            #expect(error.line == 2 && error.message.contains("abc"))
        }
    }

    @Test func yamlInlineSystem() throws {
        let file = try YAMLProblemFile(text: """
            kind: linear-system
            name: tiny
            solver: gsl.qr
            A: [[1, 0], [0, 2], [1, 1]]
            b: [1, 4, 3]
            x_true: [1, 2]
            ridge: 0
            options: {seed: 3, stop: error}
            """, path: "tiny.yaml")
        let definition = try ProblemFileReader.load(file)
        guard case .linearSystem(let p) = definition.problem else { Issue.record("wrong kind"); return }
        #expect(p.matrix.rowCount == 3 && p.matrix.columnCount == 2)
        #expect(p.knownSolution == [1, 2])
        #expect(definition.solverID == "gsl.qr")
        #expect(definition.options.parameters["stop"] == .string("error"))
    }

    @Test func yamlFileReferencesAndErrors() throws {
        let fixtures = Fixtures.path("kaczmarz")
        let good = try temporaryFile("sys.yaml", """
            kind: linear-system
            A: \(fixtures)/sparse_5000x500.A.mtx
            b: \(fixtures)/sparse_5000x500.b.mtx
            x_true: \(fixtures)/sparse_5000x500.x_star.mtx
            """)
        let definition = try ProblemFileReader.load(good)
        guard case .linearSystem(let p) = definition.problem else { Issue.record("wrong kind"); return }
        guard case .sparseRows = p.matrix else { Issue.record("1% dense should be sparse"); return }

        let wrongB = try temporaryFile("wrong.yaml", """
            kind: linear-system
            A: [[1, 2], [3, 4]]
            b: [1, 2, 3]
            """)
        do { _ = try ProblemFileReader.load(wrongB); Issue.record("b of the wrong length must fail") } catch {
            #expect(error.line == 3 && error.message.contains("3 entries but A has 2 rows"))
        }
        let typo = try temporaryFile("typo.yaml", "kind: linear-system\nA: [[1]]\nb: [1]\nrige: 1\n")
        do { _ = try ProblemFileReader.load(typo); Issue.record("unknown key must fail") } catch {
            #expect(error.line == 4 && error.message.contains("rige"))
        }
        let missing = try temporaryFile("missing.yaml", "kind: linear-system\nA: nothere.mtx\nb: [1]\n")
        do { _ = try ProblemFileReader.load(missing); Issue.record("missing file must fail") } catch {
            #expect(error.message.contains("no such file"))
        }
    }
}
