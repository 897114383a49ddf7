import Foundation
import Lagrange
import NativeSolvers
import LagrangeTestSupport
import Testing

/// Helpers shared by the SVR tests.
enum SVRFixture {
    static func data(_ name: String, featureCount: Int? = nil) throws -> RegressionData {
        try RegressionDataReader.read(Fixtures.path("svr/" + name), featureCount: featureCount)
    }

    /// Population standard deviation.
    static func standardDeviation(_ v: [Double]) -> Double {
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
    }

    static func kernel(_ row: [String: String]) throws -> Kernel {
        switch row["kernel"] {
        case "linear": return .linear
        case "rbf": return .rbf(gamma: try #require(Double(row["gamma"] ?? "")))
        case "poly":
            return .polynomial(degree: try #require(Int(row["degree"] ?? "")), gamma: try #require(Double(row["gamma"] ?? "")),
                               coef0: try #require(Double(row["coef0"] ?? "")))
        default: throw InputError("unknown kernel in reference.tsv")
        }
    }

    static func problem(_ row: [String: String], bias: Bool = true) throws -> SVRProblem {
        let name = try #require(row["dataset"])
        let training = try data("\(name).train.libsvm")
        let test = try data("\(name).test.libsvm", featureCount: training.features.columns)
        return try SVRProblem(name: name, training: training, test: test, kernel: try kernel(row),
                              boxConstraint: try #require(Double(row["C"] ?? "")), epsilon: try #require(Double(row["epsilon"] ?? "")), bias: bias)
    }

    static func solve(_ problem: SVRProblem, solver: String = "native.smo", tolerance: Double = 1e-6,
                      parameters: [String: OptionValue] = [:], maxIterations: Int? = nil) throws -> SolveResult {
        try SolverRegistry.standard.solve(.supportVectorRegression(problem), name: problem.name, solverID: solver,
                                          options: SolveOptions(maxIterations: maxIterations, tolerance: tolerance, parameters: parameters))
    }

    /// Dense kernel matrix of the training data.
    static func kernelMatrix(_ data: RegressionData, _ kernel: Kernel) -> [[Double]] {
        let n = data.features.rows
        let rows = (0..<n).map { data.features.row($0) }
        return (0..<n).map { i in (0..<n).map { j in kernel.value(rows[i], rows[j]) } }
    }

    /// ½βᵀKβ − βᵀy + ε‖β‖₁, computed from scratch.
    static func dualObjective(_ beta: [Double], _ k: [[Double]], _ y: [Double], _ epsilon: Double) -> Double {
        var f = 0.0
        for i in beta.indices {
            var kb = 0.0
            for j in beta.indices { kb += k[i][j] * beta[j] }
            f += 0.5 * beta[i] * kb - beta[i] * y[i] + epsilon * abs(beta[i])
        }
        return f
    }
}

@Suite("SVR against the libsvm / scikit-learn references")
struct SVRReferenceTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("svr/reference.tsv"))) ?? []

    @Test("reference file is present")
    func referencePresent() {
        #expect(SVRReferenceTests.rows.count == 6)
    }

    @Test("native.smo matches libsvm at tol 1e-6", arguments: SVRReferenceTests.rows.map { "\($0["dataset"]!)/\($0["kernel"]!)" })
    func matchesReference(_ label: String) throws {
        let row = try #require(SVRReferenceTests.rows.first { "\($0["dataset"]!)/\($0["kernel"]!)" == label })
        let problem = try SVRFixture.problem(row)
        let result = try SVRFixture.solve(problem)
        #expect(result.status == .optimal)
        let details = try #require(result.details(as: SVRDetails.self))
        let scale = 1e-3 * SVRFixture.standardDeviation(problem.training.targets)

        let objective = try #require(Double(row["dual_objective"] ?? ""))
        #expect(isClose(try #require(result.objective), objective, relative: 1e-6), "objective \(result.objective ?? .nan) vs \(objective)")
        // The objective from the solver's β, recomputed densely, agrees too.
        let k = SVRFixture.kernelMatrix(problem.training, problem.kernel)
        let recomputed = SVRFixture.dualObjective(result.primal, k, problem.training.targets, problem.epsilon)
        #expect(isClose(recomputed, objective, relative: 1e-6), "recomputed \(recomputed) vs \(objective)")

        let intercept = try #require(Double(row["intercept"] ?? ""))
        #expect(abs(details.intercept - intercept) <= scale, "intercept \(details.intercept) vs \(intercept)")

        let testMSE = try #require(Double(row["test_mse"] ?? ""))
        #expect(isClose(try #require(details.testMSE), testMSE, relative: 1e-4), "test MSE \(details.testMSE ?? .nan) vs \(testMSE)")
        let trainMSE = try #require(Double(row["train_mse"] ?? ""))
        #expect(isClose(details.trainMSE, trainMSE, relative: 1e-4), "train MSE \(details.trainMSE) vs \(trainMSE)")

        let supportCount = try #require(Int(row["n_support_vectors"] ?? ""))
        #expect(abs(details.supportVectorIndices.count - supportCount) <= max(1, Int((0.02 * Double(supportCount)).rounded(.down))),
                "support vectors \(details.supportVectorIndices.count) vs \(supportCount)")

        let expected = try Fixtures.text(Fixtures.path("svr/" + (row["predictions_file"] ?? ""))).split(separator: "\n").compactMap { Double($0) }
        let predictions = try #require(details.predictions)
        #expect(predictions.count == expected.count)
        let worst = zip(predictions, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= scale, "largest prediction difference \(worst) > \(scale)")

        // Σβ = 0 and the box hold.
        #expect(abs(result.primal.reduce(0, +)) <= 1e-9 * problem.boxConstraint * Double(result.primal.count))
        #expect(result.primal.allSatisfy { abs($0) <= problem.boxConstraint })

        // History: one record per SMO iteration, extras in their fixed order.
        let last = try #require(result.history.records.last)
        #expect(last.extras.map(\.name) == SMOSolver.extraKeys)
        #expect(result.history.reportedCount == result.iterations)
        #expect(isClose(try #require(last.objective), objective, relative: 1e-6))
    }
}
