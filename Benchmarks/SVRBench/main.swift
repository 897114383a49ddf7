// svr-bench: times native SVR solves (the solve only, not reading the data) and can
// write the model and, for one-feature data, the picture of data, fit and ε-tube.
//
//   swift build -c release --product svr-bench
//   .build/release/svr-bench PROBLEM.yaml [--solver ID] [--repeat N] [--tolerance T]
//                            [--option name=value ...] [--model OUT.json] [--picture OUT.svg]
//
// Prints one line per run and the median; peak memory is measured from outside
// (`/usr/bin/time -v`).
import Foundation
import Lagrange
import NativeSolvers

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: svr-bench PROBLEM.yaml [--solver ID] [--repeat N] [--tolerance T]
                     [--option name=value ...] [--model OUT.json] [--picture OUT.svg]
    """)
    exit(0)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func take(_ flag: String) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    let value = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
    return value
}
let solver = take("--solver")
let repeats = Int(take("--repeat") ?? "1") ?? 1
let tolerance = take("--tolerance").flatMap(Double.init)
let modelPath = take("--model")
let picturePath = take("--picture")
var parameters: [String: OptionValue] = [:]
while let option = take("--option") {
    let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { FileHandle.standardError.write("bad --option \(option)\n".data(using: .utf8)!); exit(2) }
    parameters[parts[0]] = Double(parts[1]).map { OptionValue.number($0) } ?? (parts[1] == "true" || parts[1] == "false" ? .bool(parts[1] == "true") : .string(parts[1]))
}
guard let path = arguments.first else {
    FileHandle.standardError.write("usage: svr-bench PROBLEM.yaml [--solver ID] [--repeat N] [--tolerance T] [--option k=v] [--model OUT.json] [--picture OUT.svg]\n".data(using: .utf8)!)
    exit(2)
}
do {
    let definition = try ProblemFileReader.load(path)
    var seconds: [Double] = []
    var last: SolveResult? = nil
    for run in 1...max(1, repeats) {
        let options = SolveOptions(tolerance: tolerance, historyStorage: .bounded(16), parameters: parameters)
        let result = try SolverRegistry.standard.solve(definition, solverID: solver, options: options)
        seconds.append(result.seconds)
        let details = result.details(as: SVRDetails.self)
        let hitRate = result.history.records.last?.value(forKey: "cache_hit_rate")
        print("run \(run): \(result.solverID) \(result.status.rawValue) seconds \(String(format: "%.4f", result.seconds)) iterations \(result.iterations) "
              + "objective \(result.objective ?? .nan) support_vectors \(details?.supportVectorIndices.count ?? -1) "
              + "intercept \(details?.intercept ?? .nan)" + (hitRate.map { " cache_hit_rate \($0)" } ?? "")
              + (details?.testMSE.map { " test_mse \($0)" } ?? ""))
        last = result
    }
    let sorted = seconds.sorted()
    print("median seconds \(String(format: "%.4f", sorted[sorted.count / 2])) over \(sorted.count) runs")
    if let result = last, let details = result.details(as: SVRDetails.self) {
        if let modelPath { try SVRModelFile.save(details.model, to: modelPath) }
        if let picturePath, case .supportVectorRegression(let svr) = definition.problem {
            try SVRPicture.svg(problem: svr, details: details).write(toFile: picturePath, atomically: true, encoding: .utf8)
        }
    }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(2)
}
