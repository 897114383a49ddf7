import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import ProblemFormats
import Testing
import Foundation

/// Rows of the LP reference table, read once.
let lpReference: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("lp/reference.tsv"))) ?? []

@Suite("MPS reader")
struct MPSReaderTests {
    @Test("reference table is present")
    func referencePresent() {
        #expect(lpReference.count == 30)
    }

    @Test("every fixture matches reference.tsv counts", arguments: MPSFormat.allCases)
    func referenceCounts(format: MPSFormat) throws {
        for row in lpReference {
            let name = try #require(row["name"])
            let model = try MPSReader.read(contentsOf: Fixtures.path("lp/\(name).mps"), format: format)
            let lp = model.linearProgram
            #expect(String(lp.rowCount) == row["rows"], "\(name) rows, \(format)")
            #expect(String(lp.columnCount) == row["cols"], "\(name) cols, \(format)")
            #expect(String(lp.constraints.nonzeroCount) == row["nonzeros"], "\(name) nonzeros, \(format)")
            #expect(model.quadratic == nil)
        }
    }

    @Test("fixed, free and automatic reads of the fixtures are identical")
    func formatsAgree() throws {
        for row in lpReference {
            let path = Fixtures.path("lp/\(row["name"] ?? "").mps")
            let fixed = try MPSReader.read(contentsOf: path, format: .fixed)
            #expect(try MPSReader.read(contentsOf: path, format: .free) == fixed)
            #expect(try MPSReader.read(contentsOf: path, format: .automatic) == fixed)
        }
    }

    @Test("tiny_objconst: c0 = -RHS, free row ignored, MI+UP, FX, negative LO, PL")
    func tinyObjconst() throws {
        let model = try MPSReader.read(contentsOf: Fixtures.path("lp/tiny_objconst.mps"))
        let lp = model.linearProgram
        #expect(lp.name == "TINYOBJC")
        #expect(lp.objectiveName == "COST")
        #expect(lp.objectiveConstant == -10)
        #expect(lp.objective == [1, 1, 2, -1])
        #expect(lp.constraintNames == ["R1", "R2", "R3"])
        #expect(lp.variableNames == ["X1", "X2", "X3", "X4"])
        #expect(lp.rowLower == [-.infinity, 1, -4])
        #expect(lp.rowUpper == [4, .infinity, .infinity])
        #expect(lp.columnLower == [-.infinity, 1.5, -2, 0])
        #expect(lp.columnUpper == [3, 1.5, 5, .infinity])
        #expect(lp.constraints.nonzeroCount == 6)  // FREE1 entries are not in A
        #expect(model.notes.contains("free row FREE1 ignored"))
        #expect(model.notes.contains { $0.contains("c0 = -10") })
        // The hand-derived optimum x = (-6, 1.5, -2, 10) has objective -28.5.
        #expect(lp.objectiveValue(at: [-6, 1.5, -2, 10]) == -28.5)
    }

    @Test("tiny_range_free: row bounds from RANGES as derived in the header")
    func tinyRangeFree() throws {
        let lp = try MPSReader.read(contentsOf: Fixtures.path("lp/tiny_range_free.mps")).linearProgram
        #expect(lp.rowLower == [1, -2, -2, -1])
        #expect(lp.rowUpper == [5, 3, 4, 2])
        #expect(lp.columnLower == [0, 0, -.infinity])
        #expect(lp.columnUpper == [3, .infinity, .infinity])
        #expect(lp.objectiveConstant == 0)
    }

    @Test("e226: objective-row RHS -7.113 gives c0 = +7.113")
    func e226() throws {
        let lp = try MPSReader.read(contentsOf: Fixtures.path("lp/e226.mps")).linearProgram
        #expect(lp.objectiveConstant == 7.113)
    }

    @Test("CRLF and tab variants parse identically", arguments: MPSFormat.allCases)
    func crlfAndTabs(format: MPSFormat) throws {
        let text = try Fixtures.text(Fixtures.path("lp/tiny_range_free.mps"))
        let plain = try MPSReader.parse(text, format: format)
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try MPSReader.parse(crlf, format: format) == plain)
        // Tabs between fields (and leading), which destroys fixed columns.
        let tabbed = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.first == " " else { return String(line) }
            return "\t" + line.split(separator: " ").joined(separator: "\t")
        }.joined(separator: "\n")
        #expect(try MPSReader.parse(tabbed, format: format) == plain)
        #expect(try MPSReader.parse(tabbed.replacingOccurrences(of: "\n", with: "\r\n"), format: format) == plain)
    }

    @Test("free format: omitted set names, OBJSENSE on the header line, markers, BV/LI/UI, negative UP")
    func freeFormatFeatures() throws {
        let text = """
        NAME free example
        OBJSENSE MAXIMIZE
        ROWS
         N obj
         L c1
         E c2
         N spare
        COLUMNS
         MARKER 'MARKER' 'INTORG'
         x obj 1 c1 1
         y obj 2 c2 1
         MARKER 'MARKER' 'INTEND'
         a_rather_long_column_name obj -1 c1 3
         z obj 1.5e0 spare 4
        RHS
         c1 10 c2 4
         obj 2.5
        RANGES
         c2 -3
         spare 1
        BOUNDS
         UP BND x -5
         BV y
         LI a_rather_long_column_name 2
         UI a_rather_long_column_name 8
         FR z
        ENDATA
        """
        for format in [MPSFormat.automatic, .free] {
            let model = try MPSReader.parse(text, format: format)
            let lp = model.linearProgram
            #expect(lp.name == "free example")
            #expect(lp.sense == .maximize)
            #expect(lp.variableNames == ["x", "y", "a_rather_long_column_name", "z"])
            #expect(lp.integerColumns == [0, 1, 2])
            #expect(lp.objectiveConstant == -2.5)
            #expect(lp.rowLower == [-.infinity, 1])
            #expect(lp.rowUpper == [10, 4])
            #expect(lp.columnLower == [-.infinity, 0, 2, -.infinity])
            #expect(lp.columnUpper == [-5, 1, 8, .infinity])
            #expect(model.notes.contains("3 integer columns"))
            #expect(model.notes.contains("free row spare ignored"))
            #expect(model.notes.contains { $0.contains("negative UP bound") && $0.contains("x") })
            #expect(model.notes.contains { $0.contains("RANGES on N row spare ignored") })
        }
        // Fixed columns cannot hold these lines.
        #expect(throws: InputError.self) { try MPSReader.parse(text, format: .fixed) }
    }

    @Test("OBJSENSE section with the sense on the next line; MIN")
    func objsenseSection() throws {
        let text = "NAME\nOBJSENSE\n    MAX\nROWS\n N obj\n L r\nCOLUMNS\n x obj 1 r 1\nRHS\n RHS r 1\nENDATA\n"
        #expect(try MPSReader.parse(text).linearProgram.sense == .maximize)
        let min = text.replacingOccurrences(of: "    MAX", with: "    MIN")
        #expect(try MPSReader.parse(min).linearProgram.sense == .minimize)
    }

    @Test("a later LO overrides the negative-UP rule; an explicit LO 0 blocks it")
    func negativeUpperRule() throws {
        func bounds(_ lines: String) throws -> (Double, Double) {
            let text = "NAME\nROWS\n N obj\n L r\nCOLUMNS\n x obj 1 r 1\nBOUNDS\n\(lines)\nENDATA\n"
            let lp = try MPSReader.parse(text).linearProgram
            return (lp.columnLower[0], lp.columnUpper[0])
        }
        #expect(try bounds(" UP B x -2") == (-.infinity, -2))
        #expect(try bounds(" UP B x -2\n LO B x -7") == (-7, -2))
        #expect(throws: InputError.self) { try bounds(" LO B x 0\n UP B x -2") }  // [0, -2] is empty
        #expect(try bounds(" UP B x 1e30") == (0, .infinity))
        #expect(try bounds(" LO B x -1e30\n UP B x 4") == (-.infinity, 4))
        #expect(try bounds(" MI B x\n PL B x") == (-.infinity, .infinity))
    }

    @Test("only the first RHS / BOUNDS set is used; others are noted")
    func extraSets() throws {
        let text = """
        NAME
        ROWS
         N obj
         L r
        COLUMNS
         x obj 1 r 1
        RHS
         RHS1 r 4
         RHS2 r 9
        BOUNDS
         UP B1 x 3
         UP B2 x 5
        ENDATA
        """
        let model = try MPSReader.parse(text)
        #expect(model.linearProgram.rowUpper == [4])
        #expect(model.linearProgram.columnUpper == [3])
        #expect(model.notes.contains("RHS set 'RHS2' ignored (only the first set, 'RHS1', is used)"))
        #expect(model.notes.contains("BOUNDS set 'B2' ignored (only the first set, 'B1', is used)"))
    }

    @Test("automatic format picks fixed when names contain spaces")
    func fixedNamesWithSpaces() throws {
        let text = """
        NAME          SPACES
        ROWS
         N  COST
         L  MY ROW
         G  ROW 2
        COLUMNS
            X ONE     COST                 1   MY ROW               1
            X ONE     ROW 2                1
            MARK 1    'MARKER'                 'INTORG'
            X TWO     COST                 2   MY ROW               1
            MARK 1    'MARKER'                 'INTEND'
        RHS
            RHS       MY ROW               4   ROW 2                1
        BOUNDS
         UP BND       X ONE                3
        ENDATA
        """
        let lp = try MPSReader.parse(text).linearProgram
        #expect(lp.integerColumns == [1])
        #expect(lp.constraintNames == ["MY ROW", "ROW 2"])
        #expect(lp.variableNames == ["X ONE", "X TWO"])
        #expect(lp.rowUpper == [4, .infinity])
        #expect(lp.rowLower == [-.infinity, 1])
        #expect(lp.columnUpper == [3, .infinity])
        #expect(try MPSReader.parse(text, format: .fixed).linearProgram == lp)
        #expect(throws: InputError.self) { try MPSReader.parse(text, format: .free) }
    }

    @Test("explicit fixed format reports text outside the fixed fields")
    func fixedGapError() {
        let text = "NAME\nROWS\n N  obj\n L  averylongrowname\nCOLUMNS\nENDATA\n"
        let error = #expect(throws: InputError.self) { try MPSReader.parse(text, format: .fixed) }
        #expect(error?.line == 4)
        #expect(error?.column == 13)
        #expect(error?.message.contains("outside the fixed-format fields") == true)
        // Free (and automatic) read it.
        #expect(throws: InputError.self) { try MPSReader.parse(text) }  // no columns at all
        let error2 = #expect(throws: InputError.self) { try MPSReader.parse(text) }
        #expect(error2?.message.contains("no variables") == true)
        #expect(error2?.line == nil)
        #expect(error2?.file == "<input>")
    }

    @Test("number syntax: Fortran exponents, leading and trailing points, signs")
    func numbers() throws {
        let text = """
        NAME
        ROWS
         N obj
         L r1
         L r2
        COLUMNS
         x obj 1. r1 .5
         x r2 -1d2
         y obj +2E-1 r1 1e+3
        ENDATA
        """
        let lp = try MPSReader.parse(text).linearProgram
        #expect(lp.objective == [1, 0.2])
        #expect(lp.constraints[0, 0] == 0.5)
        #expect(lp.constraints[1, 0] == -100)
        #expect(lp.constraints[0, 1] == 1000)
    }

    @Test("QUADOBJ mirrors one triangle; QMATRIX (full) and QSECTION give the same Q")
    func quadraticSections() throws {
        let head = """
        NAME          QP
        ROWS
         N  obj
         G  c1
        COLUMNS
            x         obj       1   c1        1
            y         obj       1   c1        1
        RHS
            rhs       c1        1
        """
        let quadobj = try MPSReader.parse(head + "\nQUADOBJ\n    x  x  4\n    x  y  1\n    y  y  2\nENDATA\n")
        let qmatrix = try MPSReader.parse(head + "\nQMATRIX\n    x  x  4\n    x  y  1\n    y  x  1\n    y  y  2\nENDATA\n")
        let qsection = try MPSReader.parse(head + "\nQSECTION      obj\n    x  x  4\n    y  x  1\n    y  y  2\nENDATA\n")
        let q = try #require(quadobj.quadratic)
        #expect(q.dense() == (try DenseMatrix(rowArrays: [[4, 1], [1, 2]])))
        #expect(qmatrix.quadratic == q)
        #expect(qsection.quadratic == q)
        #expect(try QuadraticProgram(linear: quadobj.linearProgram, quadratic: q).objectiveValue(at: [1, 1]) == 6)
    }

    @Test("comments, blank lines and text after ENDATA are ignored")
    func commentsAndTrailingText() throws {
        let text = "* header\n\nNAME  T\n* between\nROWS\n N obj\n\n L r\nCOLUMNS\n x obj 1 r 1\n*\nENDATA\ngarbage after the end\n"
        let lp = try MPSReader.parse(text).linearProgram
        #expect(lp.name == "T")
        #expect(lp.columnCount == 1)
    }

    @Test("reading a missing file names the file")
    func missingFile() {
        let error = #expect(throws: InputError.self) { try MPSReader.read(contentsOf: "/nonexistent/x.mps") }
        #expect(error?.file == "/nonexistent/x.mps")
        #expect(error?.message.contains("no such file") == true)
    }
}

@Suite("MPS number parsing")
struct MPSNumberTests {
    @Test("the fast decimal path agrees with the standard library bit for bit")
    func fastPathMatchesStandardLibrary() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<50_000 {
            var text = rng.nextIndex(below: 3) == 0 ? "-" : ""
            let digits = 1 + rng.nextIndex(below: 18)
            let point = rng.nextIndex(below: digits + 2)
            for k in 0..<digits {
                if k == point { text += "." }
                text += String(rng.nextIndex(below: 10))
            }
            if rng.nextIndex(below: 2) == 0 { text += "e\(rng.nextIndex(below: 61) - 30)" }
            let bytes = Array(text.utf8)
            let parsed = MPSLexer.number(bytes, 0..<bytes.count)
            #expect(parsed?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        for text in ["0", "-0", "1e22", "1e23", "123456789012345e-22", "9007199254740993", "0.000001", "1E+30", "-1e-30"] {
            let bytes = Array(text.utf8)
            #expect(MPSLexer.number(bytes, 0..<bytes.count)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test("inf, nan, hex and malformed tokens are not numbers")
    func notNumbers() {
        for text in ["inf", "-inf", "nan", "Infinity", "0x1p3", "1e", "e5", ".", "-", "1.2.3", "1e+", "1,5", "--1"] {
            let bytes = Array(text.utf8)
            #expect(MPSLexer.number(bytes, 0..<bytes.count) == nil, "\(text)")
        }
    }
}
