import Foundation
import LagrangeCore
import LinearAlgebra

/// Saving, loading and applying trained SVR models (`--model FILE.json`,
/// `lagrange predict MODEL DATA`).
///
/// The file is the JSON encoding of ``SVRModel`` with sorted keys and snake_case names:
/// `format` ("lagrange-svr-model"), `version`, `kernel` {type, degree, gamma, coef0},
/// `feature_count`, `intercept`, `bias`, `support_vectors` (scaled rows),
/// `dual_coefficients`, optional `linear_weights` and `scaling` {method, offsets, scales}.
/// Doubles are written in shortest round-trip form, so a model reloads bit for bit.
package enum SVRModelFile {
    /// The model as JSON text.
    package static func encode(_ model: SVRModel) throws(InputError) -> String { try ModelFile.encode(model) }

    /// A model from JSON text; `file` names it in messages.
    package static func decode(_ text: String, file: String) throws(InputError) -> SVRModel {
        try ModelFile.decode(SVRModel.self, text, file: file) { (m: SVRModel) throws(ModelError) in try m.validate() }
    }

    /// Writes a model file.
    package static func save(_ model: SVRModel, to path: String) throws(InputError) { try ModelFile.write(try encode(model), to: path) }

    /// Reads a model file.
    package static func load(_ path: String) throws(InputError) -> SVRModel {
        try decode(try TextFile.read(path), file: path)
    }

    /// Predictions of `model` for a LIBSVM or CSV data file (raw features; the model
    /// applies its own scaling), with the file's targets for computing errors.
    package static func predict(_ model: SVRModel, dataPath: String) throws(InputError) -> (predictions: [Double], targets: [Double]) {
        let data = try RegressionDataReader.read(dataPath, featureCount: model.featureCount)
        let predictions = try ProblemFileReader.model(dataPath) { () throws(ModelError) in try model.predict(data.features) }
        return (predictions, data.targets)
    }
}
