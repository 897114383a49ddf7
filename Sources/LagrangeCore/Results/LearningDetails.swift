/// The `learning` result fields: the trained model (for `--model` and predictions) and
/// how it fits the training and test data.
///
/// JSON: `model` (linear | logistic | softmax | hinge), `train_loss` (mean loss, no
/// regularization), `train_accuracy` or `train_mse`, and with test data `test_loss` and
/// `test_accuracy` or `test_mse` (MSE not halved). The weights are the `solution`.
public struct LearningDetails: ResultDetails, Equatable {
    /// The trained model, ready to predict.
    public var model: LearningModel
    /// The fit on the training data.
    public var training: LearningFit
    /// The fit on the test data, when there is some.
    public var test: LearningFit?

    package init(model: LearningModel, training: LearningFit, test: LearningFit?) {
        self.model = model
        self.training = training
        self.test = test
    }

    /// The details of θ on a problem's training and test data.
    package init(problem: LearningProblem, theta: [Double]) {
        self.init(model: problem.trainedModel(theta), training: problem.fit(theta, on: problem.training),
                  test: problem.test.map { problem.fit(theta, on: $0) })
    }

    public var jsonFields: [String: JSONValue] {
        var o: [String: JSONValue] = ["model": .string(model.model.rawValue)]
        func add(_ fit: LearningFit, _ prefix: String) {
            o[prefix + "_loss"] = .number(fit.loss)
            if let a = fit.accuracy { o[prefix + "_accuracy"] = .number(a) }
            if let m = fit.meanSquaredError { o[prefix + "_mse"] = .number(m) }
        }
        add(training, "train")
        if let test { add(test, "test") }
        return o
    }

    public var summaryLines: [String] {
        func line(_ fit: LearningFit, _ name: String) -> String {
            var s = "\(name) loss \(fit.loss)"
            if let a = fit.accuracy { s += ", accuracy \(a)" }
            if let m = fit.meanSquaredError { s += ", MSE \(m)" }
            return s
        }
        return [line(training, "train")] + (test.map { [line($0, "test ")] } ?? [])
    }
}
