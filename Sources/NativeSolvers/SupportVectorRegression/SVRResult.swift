import LagrangeCore
import LinearAlgebra

/// What an SVR solve found, before it becomes a ``SolveResult``.
struct SVROutcome {
    var status: TerminationStatus
    var rawStatus: String
    var iterations: Int
    /// βᵢ = αᵢ − αᵢ*, one per training sample.
    var beta: [Double]
    var intercept: Double
    var objective: Double
    /// (Kβ)ᵢ, used for training predictions.
    var kernelTimesBeta: [Double]
    var notes: [String] = []
}

// MARK: - Result

enum SVRResultBuilder {
    /// The ``SolveResult`` of an SVR solve: objective = dual objective (libsvm's sign),
    /// primal = β, details = ``SVRDetails`` with the model, MSEs and test predictions.
    static func result(problem: SVRProblem, outcome: SVROutcome, linearWeights: [Double]?) -> SolveResult {
        let data = problem.training
        let n = data.targets.count, d = data.features.columns
        var supportIndices: [Int] = []
        var coefficients: [Double] = []
        var supportVectors: [[Double]] = []
        var bounded = 0
        for i in 0..<n where outcome.beta[i] != 0 {
            supportIndices.append(i)
            coefficients.append(outcome.beta[i])
            supportVectors.append(data.features.row(i))
            if abs(outcome.beta[i]) >= problem.boxConstraint { bounded += 1 }
        }
        var weights = linearWeights
        if weights == nil, problem.kernel == .linear {
            var w = Array(repeating: 0.0, count: d)
            for (i, b) in zip(supportIndices, coefficients) { for k in 0..<d { w[k] += b * data.features[i, k] } }
            weights = w
        }
        var trainError = 0.0
        for i in 0..<n {
            let e = outcome.kernelTimesBeta[i] + outcome.intercept - data.targets[i]
            trainError += e * e
        }
        // Models always validate here: every number is finite when the status is a solution;
        // otherwise keep the numbers but drop nothing (validation is for files).
        let model = (try? SVRModel(kernel: problem.kernel, featureCount: d, intercept: outcome.intercept, bias: problem.bias,
                                   supportVectors: supportVectors, dualCoefficients: coefficients, linearWeights: weights,
                                   scaling: problem.scaling))
        var result = SolveResult(kind: .svr, status: outcome.status, rawStatus: outcome.rawStatus, objective: outcome.objective,
                                 variableNames: (0..<n).map { "beta[\($0 + 1)]" }, primal: outcome.beta, iterations: outcome.iterations)
        result.notes = outcome.notes
        if let model {
            var predictions: [Double]? = nil
            var testError: Double? = nil
            if let test = problem.test {
                let p = model.predict(scaledFeatures: test.features)
                predictions = p
                var e = 0.0
                for (value, target) in zip(p, test.targets) { e += (value - target) * (value - target) }
                testError = e / Double(max(1, test.targets.count))
            }
            result.details = [SVRDetails(model: model, supportVectorIndices: supportIndices, dualCoefficients: coefficients,
                                         boundedSupportVectorCount: bounded, trainMSE: trainError / Double(max(1, n)),
                                         testMSE: testError, predictions: predictions)]
        } else {
            result.notes.append("no model: the solve produced non-finite coefficients")
            if result.status.hasSolution { result.status = .numericalError }
        }
        return result
    }
}
