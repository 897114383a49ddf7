import ArgumentParser
import Foundation
import Lagrange

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved SVR or learning model (from `lagrange solve --model`) on LIBSVM or CSV data.",
        discussion: "Prints one prediction per line (or writes them to --output): values, or labels (±1, or the class) for classifiers. When the data has labels, the mean squared error or the accuracy goes to stderr."
    )

    @Argument(help: "The model file (.json).")
    var model: String

    @Argument(help: "The data (.libsvm or .csv, raw features: the model applies its own scaling).")
    var data: String

    @Option(name: .long, help: ArgumentHelp("Write predictions to FILE instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            if try LearningModelFile.isLearningModel(model) { return try predictLearning() }
            let trained = try SVRModelFile.load(model)
            let (predictions, targets) = try SVRModelFile.predict(trained, dataPath: data)
            let text = predictions.map { "\($0)" }.joined(separator: "\n") + (predictions.isEmpty ? "" : "\n")
            if let output { try writeFile(output, text) } else { Console.out(text) }
            if targets.count == predictions.count, !targets.isEmpty {
                let mse = zip(predictions, targets).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(targets.count)
                Console.err("mse \(mse) over \(targets.count) samples\n")
            }
        } catch let done as CommandExit {
            throw done
        } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
    }

    /// A learning model: labels or values, then accuracy (classifiers) or MSE on stderr.
    private func predictLearning() throws {
        let trained = try LearningModelFile.load(model)
        let (predictions, labels) = try LearningModelFile.predict(trained, dataPath: data)
        let text = predictions.map { trained.model.isClassification ? String(Int($0)) : "\($0)" }.joined(separator: "\n") + (predictions.isEmpty ? "" : "\n")
        if let output { try writeFile(output, text) } else { Console.out(text) }
        guard !labels.isEmpty else { return }
        if trained.model.isClassification {
            let correct = zip(predictions, labels).filter { $0 == $1 }.count
            Console.err("accuracy \(Double(correct) / Double(labels.count)) (\(correct) of \(labels.count) samples)\n")
        } else {
            let mse = zip(predictions, labels).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(labels.count)
            Console.err("mse \(mse) over \(labels.count) samples\n")
        }
    }
}
