import Foundation
import Lagrange
import LagrangeTestSupport
import NativeSolvers
import Testing

@Suite("SVR data, problem files and models")
struct SVRFormatTests {
    /// Issue #16, defect 9: a CRLF file read "1\r\n2" as one token, since Swift treats
    /// "\r\n" as one Character and splitting on "\n" never split it.
    @Test("CRLF line ends read like LF in LIBSVM and CSV")
    func crlf() throws {
        let libsvm = try RegressionDataReader.parseLIBSVM("1 1:0.5 2:1\r\n2 1:1.5 2:0\r\n", file: "t.libsvm")
        #expect(libsvm.targets == [1, 2] && libsvm.features.columns == 2)
        let csv = try RegressionDataReader.parseCSV("0.5,1,1\r\n1.5,0,2\r\n", file: "t.csv")
        #expect(csv.targets == [1, 2] && csv.features.columns == 2)
    }

    @Test("LIBSVM: comments, blank lines, omitted features, padding to a training width")
    func libsvmParsing() throws {
        let text = """
        # a header comment
        1.5 1:2 3:-1   # trailing comment

        -2\t2:4.25
        0
        """
        let data = try RegressionDataReader.parseLIBSVM(text, file: "t.libsvm")
        #expect(data.targets == [1.5, -2, 0])
        #expect(data.features.columns == 3)
        #expect(data.features.storage == [2, 0, -1, 0, 4.25, 0, 0, 0, 0])
        let padded = try RegressionDataReader.parseLIBSVM("3 1:1\n", file: "t", featureCount: 4)
        #expect(padded.features.columns == 4)
        // The fixtures: shortest round-trip decimals read back exactly.
        let diabetes = try SVRFixture.data("diabetes.train.libsvm")
        #expect(diabetes.features.rows == 353 && diabetes.features.columns == 10)
        #expect(diabetes.targets[0] == 151.0)
        #expect(diabetes.features[0, 0] == 0.8005000909564214)
    }

    @Test("LIBSVM: malformed input names the line and column", arguments: [
        ("1 1:2\n2 0:1\n", 2, "indices start at 1"),
        ("1 3:2 2:1\n", 1, "strictly increasing"),
        ("1 2:2 2:1\n", 1, "strictly increasing"),
        ("# c\n\n1 1:2\nabc 1:2\n", 4, "label 'abc'"),
        ("1 1:2\n1 12\n", 2, "not index:value"),
        ("1 1:x\n", 1, "value 'x' of feature 1"),
        ("1 1:nan\n", 1, "not a finite number"),
        ("1 a:1\n", 1, "not an integer"),
        ("1 1:1 99999999999:1\n", 1, "too large"),
        ("1 1:1\n2 5:1\n", 2, "exceeds the 3 features"),
    ])
    func libsvmErrors(_ text: String, _ line: Int, _ fragment: String) {
        do {
            _ = try RegressionDataReader.parseLIBSVM(text, file: "bad.libsvm", featureCount: fragment.contains("exceeds") ? 3 : nil)
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.file == "bad.libsvm")
            #expect(error.line == line, "\(error)")
            #expect(error.column != nil)
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("LIBSVM: a file of only comments is an error, and so is a missing file")
    func libsvmEmpty() {
        #expect(throws: InputError.self) { try RegressionDataReader.parseLIBSVM("# nothing\n\n", file: "e") }
        #expect(throws: InputError.self) { try RegressionDataReader.read("/nonexistent/x.libsvm") }
    }

    @Test("CSV: header detection and the target column by name, number or last")
    func csv() throws {
        let text = "x1,y,x2\n1,10,2\n3,30,4\n"
        let byName = try RegressionDataReader.parseCSV(text, file: "d.csv", target: .name("y"))
        #expect(byName.targets == [10, 30])
        #expect(byName.features.storage == [1, 2, 3, 4])
        let byNumber = try RegressionDataReader.parseCSV(text, file: "d.csv", target: .number(2))
        #expect(byNumber == byName)
        let noHeader = try RegressionDataReader.parseCSV("1,2,3\n4,5,6\n", file: "d.csv")
        #expect(noHeader.targets == [3, 6])
        do {
            _ = try RegressionDataReader.parseCSV("a,b\n1,2\n3\n", file: "d.csv")
            Issue.record("ragged CSV accepted")
        } catch {
            #expect(error.line == 3)
        }
        do {
            _ = try RegressionDataReader.parseCSV("a,b\n1,2\n", file: "d.csv", target: .name("z"))
            Issue.record("unknown target accepted")
        } catch {
            #expect(error.message.contains("no column named 'z'"))
        }
    }

    @Test("feature scaling: standardize and min-max are fitted on the training data")
    func scaling() throws {
        let features = try DenseMatrix(rowArrays: [[1, 5], [3, 5], [5, 5]])
        let standard = FeatureScaling.fit(.standardize, to: features)
        #expect(standard.offsets == [3, 5])
        #expect(isClose(standard.scales[0], (8.0 / 3).squareRoot(), relative: 1e-15))
        #expect(standard.scales[1] == 1) // constant feature
        let minMax = FeatureScaling.fit(.minMax, to: features)
        let scaled = try minMax.apply(to: features)
        #expect(scaled.storage == [0, 0, 0.5, 0, 1, 0])
    }

    @Test("kind: svr files: both examples load, λ sets C = 1/(2nλ), keys are checked")
    func problemFiles() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("svr/diabetes.yaml"))
        guard case .supportVectorRegression(let svr) = definition.problem else { Issue.record("not svr"); return }
        #expect(svr.kernel == .rbf(gamma: 0.05))
        #expect(svr.boxConstraint == 10 && svr.epsilon == 5 && svr.bias)
        #expect(svr.test?.targets.count == 89)
        let result = try SolverRegistry.standard.solve(definition)
        #expect(isClose(try #require(result.objective), -148804.6242113022, relative: 1e-6))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svr-yaml-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let train = Fixtures.path("svr/sinc.train.libsvm")
        func load(_ body: String) throws(InputError) -> ProblemDefinition {
            let path = dir + "/p.yaml"
            try? ("kind: svr\ntrain: \(train)\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
            return try ProblemFileReader.load(path)
        }
        let lambda = try load("kernel: linear\nlambda: 0.01\nbias: false\nscaling: min-max\n")
        guard case .supportVectorRegression(let p) = lambda.problem else { Issue.record("not svr"); return }
        #expect(isClose(p.boxConstraint, 1 / (2 * 150 * 0.01), relative: 1e-15))
        #expect(!p.bias)
        #expect(p.scaling?.method == .minMax)
        #expect(p.training.features.storage.min() == 0 && p.training.features.storage.max() == 1)
        // Defaults: rbf with γ = 1/d, C = 1, ε = 0.1.
        let defaults = try load("")
        guard case .supportVectorRegression(let q) = defaults.problem else { Issue.record("not svr"); return }
        #expect(q.kernel == .rbf(gamma: 1) && q.boxConstraint == 1 && q.epsilon == 0.1)

        for (body, fragment) in [
            ("C: 1\nlambda: 2\n", "not both"),
            ("kernel: {type: rbf, degree: 3}\n", "unknown kernel key 'degree'"),
            ("kernel: sigmoid\n", "unknown kernel type"),
            ("epsilon: -1\n", "must be ≥ 0"),
            ("scaling: zscore\n", "expected none, standardize or min-max"),
            ("gamma: 3\n", "unknown key 'gamma'"),
        ] {
            do {
                _ = try load(body)
                Issue.record("accepted: \(body)")
            } catch {
                #expect(error.message.contains(fragment), "\(error)")
                #expect(error.line != nil || fragment.contains("not both") == false, "\(error)")
            }
        }
    }

    @Test("a bare .libsvm file trains with libsvm's defaults")
    func bareLIBSVM() throws {
        let definition = try ProblemFileReader.load(Fixtures.path("svr/sinc.train.libsvm"))
        guard case .supportVectorRegression(let svr) = definition.problem else { Issue.record("not svr"); return }
        #expect(svr.kernel == .rbf(gamma: 1) && svr.boxConstraint == 1 && svr.epsilon == 0.1 && svr.bias)
    }

    @Test("model: JSON round trip, predictions from raw features, and the picture")
    func modelRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svr-model-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/p.yaml"
        // On standardized x the rbf kernel with γ·s² equals the raw-x kernel with γ (s the
        // training std), so this model must reproduce the libsvm reference fit.
        let s = SVRFixture.standardDeviation(try SVRFixture.data("sinc.train.libsvm").features.storage)
        try """
        kind: svr
        train: \(Fixtures.path("svr/sinc.train.libsvm"))
        test: \(Fixtures.path("svr/sinc.test.libsvm"))
        kernel: {type: rbf, gamma: \(0.5 * s * s)}
        C: 10
        epsilon: 0.05
        scaling: standardize
        options: {tolerance: 1e-6}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let definition = try ProblemFileReader.load(path)
        let result = try SolverRegistry.standard.solve(definition)
        let details = try #require(result.details(as: SVRDetails.self))
        let modelPath = dir + "/model.json"
        try SVRModelFile.save(details.model, to: modelPath)
        let loaded = try SVRModelFile.load(modelPath)
        #expect(loaded == details.model)
        #expect(loaded.scaling?.method == .standardize)
        // Predicting the raw test file reproduces the solve's predictions bit for bit.
        let (predictions, targets) = try SVRModelFile.predict(loaded, dataPath: Fixtures.path("svr/sinc.test.libsvm"))
        #expect(predictions == details.predictions)
        #expect(targets.count == 50)
        #expect(isClose(try #require(details.testMSE), 0.01105800731407282, relative: 1e-4))
        #expect(isClose(try #require(result.objective), -39.90506845055942, relative: 1e-6))

        // A damaged file is an InputError naming it.
        let text = try String(contentsOfFile: modelPath, encoding: .utf8)
        let bad = text.replacingOccurrences(of: "\"intercept\"", with: "\"intercept_\"")
        #expect(throws: InputError.self) { try SVRModelFile.decode(bad, file: "m.json") }
        #expect(throws: InputError.self) { try SVRModelFile.decode("{}", file: "m.json") }
        #expect(throws: ModelError.self) { try loaded.predict([1, 2]) }

        guard case .supportVectorRegression(let svr) = definition.problem else { return }
        let svg = try SVRPicture.svg(problem: svr, details: details)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<polygon"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 150 + 2)
        #expect(svg.contains("support vectors (\(details.supportVectorIndices.count))"))
        #expect(svg.contains("test points (50)"))

        // Issue #21: labelled axes, round ticks, no test-points entry without test data.
        #expect(svg.contains("class=\"x-label\" ") && svg.contains(">x</text>") && svg.contains(">y</text>"))
        for axis in ["x-tick", "y-tick"] {
            let values = svg.components(separatedBy: "<text class=\"\(axis)\"").dropFirst().compactMap { part -> Double? in
                guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</text>") else { return nil }
                return Double(part[part.index(after: open)..<close.lowerBound].replacingOccurrences(of: "−", with: "-"))
            }
            #expect(values.count >= 4, "\(axis): \(values)")
            let step = values[1] - values[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(axis) step \(step)")
            #expect(values.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-9 }, "\(axis): \(values)")
        }
        var trainingOnly = try SVRProblem(name: svr.name, training: svr.training, kernel: svr.kernel,
                                          boxConstraint: svr.boxConstraint, epsilon: svr.epsilon, bias: svr.bias)
        trainingOnly.scaling = svr.scaling
        let plain = try SVRPicture.svg(problem: trainingOnly, details: details, xLabel: "dose (mg)")
        #expect(!plain.contains("test points") && plain.contains(">dose (mg)</text>"))
        #expect(!plain.contains("stroke=\"#2ca02c\""))
    }

    @Test("result JSON carries the svr fields of the CLI contract")
    func jsonFields() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("svr/sinc.yaml"))
        let result = try SolverRegistry.standard.solve(definition)
        guard case .object(let o) = result.jsonValue() else { Issue.record("not an object"); return }
        for key in ["intercept", "support_vectors", "dual_coefficients", "n_support_vectors", "n_bounded_support_vectors",
                    "train_mse", "test_mse", "predictions"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        guard case .array(let support)? = o["support_vectors"], case .array(let coefficients)? = o["dual_coefficients"] else {
            Issue.record("support_vectors / dual_coefficients are not arrays"); return
        }
        #expect(support.count == 93 && coefficients.count == 93)
        #expect(o["n_bounded_support_vectors"] == .integer(68)) // reference n_bounded_sv
        guard case .array(let predictions)? = o["predictions"] else { Issue.record("no predictions"); return }
        #expect(predictions.count == 50)
    }
}
