import Foundation
import LagrangeCore

/// Saving and loading trained models as JSON (sorted keys, shortest round-trip doubles, so
/// a model reloads bit for bit). Shared by ``SVRModelFile`` and ``LearningModelFile``.
enum ModelFile {
    static func encode<T: Encodable>(_ model: T) throws(InputError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let data = try encoder.encode(model)
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw InputError("cannot encode the model: \(error)")
        }
    }

    /// Decodes and validates; every failure names `file` and, where known, the key path.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String, file: String, validate: (T) throws(ModelError) -> Void) throws(InputError) -> T {
        let model: T
        do {
            model = try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(file: file, "missing key '\(key.stringValue)'\(path(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError(file: file, "wrong type\(path(context)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw InputError(file: file, "not a valid model\(path(context)): \(context.debugDescription)")
        } catch {
            throw InputError(file: file, "not a valid model: \(error)")
        }
        do { try validate(model) } catch { throw InputError(file: file, error.message) }
        return model
    }

    static func write(_ text: String, to path: String) throws(InputError) {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw InputError(file: path, "cannot write the model: \(error.localizedDescription)")
        }
    }

    /// The `format` field of a model file's text, if it has one.
    static func format(of text: String) -> String? {
        struct Header: Decodable { var format: String? }
        return (try? JSONDecoder().decode(Header.self, from: Data(text.utf8)))?.format
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
    }
}

/// Saving, loading and applying trained learning models (`--model FILE.json`,
/// `lagrange predict MODEL DATA`). The file is the JSON encoding of ``LearningModel``:
/// `format` ("lagrange-learning-model"), `version`, `model`, `feature_count`,
/// `class_count` (softmax), `weights` (feature by feature, K per feature), `intercepts`.
package enum LearningModelFile {
    package static let format = "lagrange-learning-model"

    package static func encode(_ model: LearningModel) throws(InputError) -> String { try ModelFile.encode(model) }

    package static func decode(_ text: String, file: String) throws(InputError) -> LearningModel {
        try ModelFile.decode(LearningModel.self, text, file: file) { (m: LearningModel) throws(ModelError) in try m.validate() }
    }

    package static func save(_ model: LearningModel, to path: String) throws(InputError) { try ModelFile.write(try encode(model), to: path) }

    package static func load(_ path: String) throws(InputError) -> LearningModel { try decode(try TextFile.read(path), file: path) }

    /// Whether a model file is a learning model (else an SVR model).
    package static func isLearningModel(_ path: String) throws(InputError) -> Bool {
        ModelFile.format(of: try TextFile.read(path)) == format
    }

    /// Predictions for a LIBSVM or CSV (label first) data file, with its labels (0 read as
    /// −1 for the binary models) for computing accuracy or MSE.
    package static func predict(_ model: LearningModel, dataPath: String) throws(InputError) -> (predictions: [Double], labels: [Double]) {
        let data = try LearningDataReader.read(dataPath, featureCount: model.featureCount)
        var labels = data.labels
        if model.model == .logistic || model.model == .hinge { labels = labels.map { $0 == 0 ? -1 : $0 } }
        return (model.predict(data), labels)
    }
}
