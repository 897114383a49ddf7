/// The `svr` result fields (DESIGN.md): the trained model, its support vectors and
/// coefficients, and training / test errors.
///
/// JSON: `intercept`, `support_vectors` (0-based training-row indices, scikit-learn's
/// `support_`), `dual_coefficients` (βᵢ of those rows, scikit-learn's `dual_coef_`),
/// `n_support_vectors`, `n_bounded_support_vectors` (|βᵢ| = C), `train_mse`, and with
/// test data `test_mse` and `predictions` (test-file order).
public struct SVRDetails: ResultDetails, Equatable {
    /// The model, ready to save (`SVRModelFile.save`) and predict.
    public var model: SVRModel
    /// The training samples that are support vectors (nonzero dual coefficient).
    public var supportVectorIndices: [Int]
    /// βᵢ = αᵢ − αᵢ* of each support vector, in `supportVectorIndices` order.
    public var dualCoefficients: [Double]
    /// Support vectors at the box bound, |βᵢ| = C (JSON `n_bounded_support_vectors`).
    public var boundedSupportVectorCount: Int
    /// Mean squared error on the training data, (1/n) Σ (f(xᵢ) − yᵢ)², not halved (JSON `train_mse`).
    public var trainMSE: Double
    /// Mean squared error on the test data (JSON `test_mse`); nil without test data.
    public var testMSE: Double?
    /// f(x) for each test sample in test-file order (JSON `predictions`); nil without test data.
    public var predictions: [Double]?

    package init(model: SVRModel, supportVectorIndices: [Int], dualCoefficients: [Double], boundedSupportVectorCount: Int,
                trainMSE: Double, testMSE: Double? = nil, predictions: [Double]? = nil) {
        self.model = model
        self.supportVectorIndices = supportVectorIndices
        self.dualCoefficients = dualCoefficients
        self.boundedSupportVectorCount = boundedSupportVectorCount
        self.trainMSE = trainMSE
        self.testMSE = testMSE
        self.predictions = predictions
    }

    /// b, the model's intercept (libsvm's −ρ; 0 for the bias-free form). JSON: `intercept`.
    public var intercept: Double { model.intercept }

    public var jsonFields: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "intercept": .number(model.intercept),
            "support_vectors": .array(supportVectorIndices.map { .integer(Int64($0)) }),
            "dual_coefficients": .array(dualCoefficients.map { .number($0) }),
            "n_support_vectors": .integer(Int64(supportVectorIndices.count)),
            "n_bounded_support_vectors": .integer(Int64(boundedSupportVectorCount)),
            "train_mse": .number(trainMSE),
        ]
        if let testMSE { o["test_mse"] = .number(testMSE) }
        if let predictions { o["predictions"] = .array(predictions.map { .number($0) }) }
        return o
    }

    public var summaryLines: [String] {
        var lines = [
            "intercept       \(model.intercept)",
            "support vectors \(supportVectorIndices.count) (\(boundedSupportVectorCount) at the bound C)",
            "train MSE       \(trainMSE)",
        ]
        if let testMSE { lines.append("test MSE        \(testMSE)") }
        return lines
    }
}
