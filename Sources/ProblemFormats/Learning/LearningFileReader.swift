import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads `kind: learning` YAML files (docs/problem-files.md):
///
/// ```yaml
/// kind: learning
/// train: breast_cancer.train.libsvm   # LIBSVM, or .csv with the label in the first column
/// test: breast_cancer.test.libsvm     # optional held-out set: test loss and accuracy / MSE
/// model: logistic                     # linear | logistic | softmax | hinge
/// l2: 0.001                           # λ (default 0)
/// intercept: true                     # default true; the intercept is not regularized
/// ```
enum LearningFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let trainValue = try file.required("train", "a LIBSVM or CSV file of training data")
        let modelValue = try file.required("model", "linear, logistic, softmax or hinge")
        let modelText = try modelValue.string()
        guard let model = LearningModelType(rawValue: modelText) else {
            throw modelValue.error("unknown model '\(modelText)'; expected linear, logistic, softmax or hinge")
        }
        var lambda = 0.0
        if let v = file.value("l2") {
            lambda = try v.number()
            guard lambda >= 0 else { throw v.error("l2 must be ≥ 0, found \(lambda)") }
        }
        let intercept = try file.value("intercept")?.bool() ?? true
        let training = try LearningDataReader.read(file.resolve(try trainValue.string()), model: model)
        var test: LearningData? = nil
        if let testValue = file.value("test") { test = try LearningDataReader.read(file.resolve(try testValue.string()), model: model) }
        let problem = try ProblemFileReader.model(file.path, line: modelValue.line) { () throws(ModelError) in
            try LearningProblem(name: file.name, model: model, lambda: lambda, intercept: intercept, training: training, test: test)
        }
        return file.definition(.learning(problem))
    }
}

/// Reads learning data: LIBSVM (sparse rows kept sparse) or CSV with the label in the
/// first column (dense). The LIBSVM and CSV parsing is ``RegressionDataReader``'s.
package enum LearningDataReader {
    /// Reads a file by its extension (`.csv` as CSV, anything else as LIBSVM).
    /// `featureCount` bounds the feature indices (a model's width); with `model`, every
    /// label is checked for it, and a bad one is reported at its line.
    package static func read(_ path: String, featureCount: Int? = nil, model: LearningModelType? = nil) throws(InputError) -> LearningData {
        let text = try TextFile.read(path)
        let labels: [Double], lines: [Int]?
        let build: () throws(ModelError) -> LearningData
        if path.lowercased().hasSuffix(".csv") {
            let data = try RegressionDataReader.parseCSV(text, file: path, featureCount: featureCount, target: .number(1))
            (labels, lines) = (data.targets, nil)
            build = { () throws(ModelError) in try LearningData(featureCount: data.features.columns, labels: data.targets, dense: data.features.storage) }
        } else {
            let rows = try RegressionDataReader.parseLIBSVMRows(text, file: path, featureCount: featureCount)
            (labels, lines) = (rows.labels, rows.lines)
            build = { () throws(ModelError) in
                try LearningData(featureCount: rows.featureCount, labels: rows.labels, rowStarts: rows.rowStarts, columnIndices: rows.indices, values: rows.values)
            }
        }
        if let model {
            for (i, y) in labels.enumerated() {
                if let reason = model.labelProblem(y) {
                    throw InputError(file: path, line: lines?[i], lines == nil ? "sample \(i + 1): \(reason)" : reason)
                }
            }
        }
        return try ProblemFileReader.model(path, build)
    }
}
