import Expressions
import Foundation
import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing

/// Error messages name the file, the line and the problem in the user's own words
/// (issue #16 defect 10).
struct MessageTests {
    static func failure(_ text: String, path: String = "t.yaml") -> InputError? {
        do { _ = try ProblemFileReader.load(try YAMLProblemFile(text: text, path: path)); return nil } catch { return error }
    }

    @Test("a misspelt required key is reported as an unknown key, with its line and the likely spelling")
    func typoOfARequiredKey() throws {
        let error = try #require(Self.failure("kind: lp\nname: t\nminimise: [1, 1]\nvariables: [x, y]\nA: [[1, 1]]\nb: [1]\nrelations: [\">=\"]\n"))
        #expect(error.line == 3, "\(error)")
        #expect(error.message.contains("unknown key 'minimise'") && error.message.contains("'minimize'"), "\(error)")
    }

    @Test("a duplicate key names the line of its second occurrence")
    func duplicateKeyLine() throws {
        let error = try #require(Self.failure("kind: lp\nname: t\nminimize: [1, 1]\nminimize: [1, 2]\nvariables: [x, y]\nA: [[1, 1]]\nb: [1]\n"))
        #expect(error.line == 4, "\(error)")
        #expect(error.message.contains("minimize"), "\(error)")
    }

    @Test("crossed bounds name the lines they were given on")
    func crossedBoundsLine() throws {
        let error = try #require(Self.failure("""
        kind: lp
        name: t
        minimize: [1, 1]
        variables: [x, y]
        A: [[1, 1]]
        b: [1]
        relations: [">="]
        lower: [0, 5]
        upper: [1, 2]
        """))
        #expect(error.line == 8 || error.line == 9, "\(error)")
        #expect(error.message.contains("'y'") && error.message.contains("5") && error.message.contains("2"), "\(error)")
        let named = try #require(Self.failure("""
        kind: lp
        name: t
        minimize: {x: 1}
        variables:
          x: {lower: 3, upper: 1}
        constraints:
          - {name: c, coefficients: {x: 1}, ">=": 1}
        """))
        #expect(named.line == 5, "\(named)")
    }

    @Test("an SVR target column that does not exist names the problem file's target: line")
    func svrTargetLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-msg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a,b,y\n1,2,3\n2,3,5\n3,4,7\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        try "kind: svr\nname: t\ntrain: data.csv\ntarget: z\n".write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) { try ProblemFileReader.load(dir + "/t.yaml") }
        #expect(error?.file == dir + "/t.yaml" && error?.line == 4, "\(String(describing: error))")
        #expect(error?.message.contains("'z'") == true && error?.message.contains("data.csv") == true, "\(String(describing: error))")
    }

    @Test("an expression error on a 200 KB line shows a window around the column, not the whole line")
    func expressionErrorWindow() throws {
        let long = (0..<20_000).map { "x\($0 % 3 + 1)^2" }.joined(separator: " + ") + " + sinn(x1)"
        let error = #expect(throws: ExpressionError.self) { try CompiledExpression(long) }
        let description = error?.description ?? ""
        #expect(description.count < 400, "\(description.count) characters")
        #expect(description.contains("sinn(x1)") && description.contains("^"))
        // The caret still points at the offending token in the window shown.
        let lines = description.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count >= 3, let caret = lines[2].firstIndex(of: "^") {
            let offset = lines[2].distance(from: lines[2].startIndex, to: caret)
            let shown = Array(lines[1])
            #expect(offset + 4 <= shown.count && String(shown[offset..<offset + 4]) == "sinn", "\(description)")
        }
    }

    @Test("a model file whose types are wrong is reported once, with the key path")
    func svrModelWrongType() throws {
        let error = #expect(throws: InputError.self) { try SVRModelFile.decode(#"{"format": 3}"#, file: "m.json") }
        #expect(error?.message.contains("at  at") == false && error?.message.contains("format") == true, "\(String(describing: error))")
    }

    @Test("a model that declares no features is the model's fault, not the data's")
    func svrModelWithoutFeatures() throws {
        var model = try SVRModelFile.decode(Self.tinyModel, file: "m.json")
        #expect(model.featureCount == 1)
        let broken = Self.tinyModel.replacingOccurrences(of: #""feature_count":1"#, with: #""feature_count":0"#)
            .replacingOccurrences(of: "[[1]]", with: "[[]]")
        let error = #expect(throws: InputError.self) { model = try SVRModelFile.decode(broken, file: "m.json") }
        #expect(error?.file == "m.json" && error?.message.contains("feature") == true, "\(String(describing: error))")
    }

    static let tinyModel = #"{"bias":true,"dual_coefficients":[-1],"feature_count":1,"format":"lagrange-svr-model","intercept":1,"kernel":{"type":"linear"},"support_vectors":[[1]],"version":1}"#
}

/// Duplicate names are errors with file and line in every reader (issue #16 defect 5).
struct DuplicateNameLineTests {
    static func failure(_ text: String) -> InputError? { MessageTests.failure(text) }

    @Test("a repeated name is reported at its line", arguments: [
        ("kind: lp\nname: t\nminimize: [1, 1]\nvariables: [x, x]\nA: [[1, 1]]\nb: [1]\nrelations: [\">=\"]\n", 4),
        ("kind: lp\nname: t\nminimize: [1, 1]\nA: [[1, 1], [1, 0]]\nb: [1, 0]\nrelations: [\">=\", \">=\"]\nconstraint_names:\n  - c\n  - c\n", 9),
        ("kind: qp\nname: t\nminimize: [1, 1]\nvariables: [x, x]\nQ: [[1, 0], [0, 1]]\n", 4),
        ("kind: qp\nname: t\nminimize: \"x^2 + y^2\"\nvariables: [x, y, x]\n", 4),
        ("kind: smooth\nname: t\nminimize: \"x^2\"\nvariables: [x, x]\nstart: [1, 1]\n", 4),
        ("kind: matrix-game\nname: g\npayoff: [[1, 2], [3, 4]]\nrow_names: [a, a]\n", 4),
        ("kind: matrix-game\nname: g\npayoff: [[1, 2], [3, 4]]\ncolumn_names: [a, b]\nrow_names: [c, c]\n", 5),
    ])
    func repeatedNameLine(text: String, line: Int) throws {
        let error = try #require(Self.failure(text))
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains("twice") || error.message.contains("duplicate"), "\(error)")
    }

    @Test("a Gambit file repeating a strategy name, and a CSV header repeating a column, name the line")
    func standardFormats() throws {
        let nfg = #expect(throws: InputError.self) {
            try NFGReader.parse("NFG 1 R \"g\" { \"p1\" \"p2\" }\n{ { \"a\" \"a\" } { \"b\" \"c\" } }\n1 -1 2 -2 3 -3 4 -4\n", path: "g.nfg")
        }
        #expect(nfg?.line == 2 && nfg?.message.contains("'a' appears twice") == true, "\(String(describing: nfg))")
        let csv = #expect(throws: InputError.self) { try RegressionDataReader.parseCSV("# data\na,a,y\n1,2,3\n2,1,4\n", file: "d.csv") }
        #expect(csv?.line == 2 && csv?.message.contains("'a' appears twice") == true, "\(String(describing: csv))")
    }

    @Test("MaxFlowProblem refuses repeated node names")
    func maxFlowNodeNames() throws {
        #expect(throws: ModelError.self) {
            try MaxFlowProblem(nodeCount: 2, source: 0, sink: 1, tails: [0], heads: [1], capacities: [1], nodeNames: ["a", "a"])
        }
    }
}
