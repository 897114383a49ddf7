import ArgumentParser
import Foundation
import Lagrange

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved SVR model (from `lagrange solve --model`) on LIBSVM or CSV data.",
        discussion: "Prints one prediction per line (or writes them to --output). When the data has targets, the mean squared error goes to stderr."
    )

    @Argument(help: "The model file (.json).")
    var model: String

    @Argument(help: "The data (.libsvm or .csv, raw features: the model applies its own scaling).")
    var data: String

    @Option(name: .long, help: ArgumentHelp("Write predictions to FILE instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
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
}
