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
public enum SVRModelFile {
    /// The model as JSON text.
    public static func encode(_ model: SVRModel) throws(InputError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let data = try encoder.encode(model)
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw InputError("cannot encode the model: \(error)")
        }
    }

    /// A model from JSON text; `file` names it in messages.
    public static func decode(_ text: String, file: String) throws(InputError) -> SVRModel {
        let model: SVRModel
        do {
            model = try JSONDecoder().decode(SVRModel.self, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(file: file, "missing key '\(key.stringValue)'\(path(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError(file: file, "wrong type\(path(context)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw InputError(file: file, "not a valid model\(path(context)): \(context.debugDescription)")
        } catch {
            throw InputError(file: file, "not a valid model: \(error)")
        }
        do { try model.validate() } catch { throw InputError(file: file, error.message) }
        return model
    }

    /// Writes a model file.
    public static func save(_ model: SVRModel, to path: String) throws(InputError) {
        let text = try encode(model)
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw InputError(file: path, "cannot write the model: \(error.localizedDescription)")
        }
    }

    /// Reads a model file.
    public static func load(_ path: String) throws(InputError) -> SVRModel {
        try decode(try TextFile.read(path), file: path)
    }

    /// Predictions of `model` for a LIBSVM or CSV data file (raw features; the model
    /// applies its own scaling), with the file's targets for computing errors.
    public static func predict(_ model: SVRModel, dataPath: String) throws(InputError) -> (predictions: [Double], targets: [Double]) {
        let data = try RegressionDataReader.read(dataPath, featureCount: model.featureCount)
        let predictions = try ProblemFileReader.model(dataPath) { () throws(ModelError) in try model.predict(data.features) }
        return (predictions, data.targets)
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
    }
}
