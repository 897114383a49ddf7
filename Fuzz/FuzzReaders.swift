// libFuzzer entry point for Lagrange's readers. Built by Fuzz/build.sh with
// `swiftc -sanitize=fuzzer,address -parse-as-library` against the ProblemFormats modules
// compiled with the same sanitizers (a SwiftPM executable target would rename `main`).
//
// One binary, one target per reader: LAGRANGE_FUZZ_FORMAT picks the reader.
//   mps qps lp max libsvm csv mtx yaml   the bytes are parsed by that reader
//   expr                              the bytes are a smooth objective formula
//   file                              the bytes are a file named fuzz.EXT (LAGRANGE_FUZZ_EXT,
//                                     default mps.gz) read through ProblemFileReader.load:
//                                     the byte cap, the regular-file check, gzip's cap
// Every InputError / ExpressionError is an accepted outcome; a crash, a hang (-timeout)
// or an allocation beyond -rss_limit_mb is a finding.
import Expressions
import Foundation
import LagrangeCore
import ProblemFormats

private let format: String = ProcessInfo.processInfo.environment["LAGRANGE_FUZZ_FORMAT"] ?? "mps"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    switch format {
    case "expr":
        _ = try? CompiledExpression(text)
    case "mps", "qps":
        _ = try? MPSReader.parse(text, file: "fuzz.\(format)", format: .automatic)
    case "lp":
        _ = try? CPLEXLPReader.parse(text, file: "fuzz.lp")
    case "max":
        _ = try? DIMACSMaxFlow.parse(text: text, file: "fuzz.max")
    case "libsvm":
        _ = try? RegressionDataReader.parseLIBSVM(text, file: "fuzz.libsvm")
    case "csv":
        _ = try? RegressionDataReader.parseCSV(text, file: "fuzz.csv")
    case "nfg":
        _ = try? NFGReader.parse(text, path: "fuzz.nfg")
    case "payoff":
        _ = try? PayoffCSVReader.parse(text, path: "fuzz.csv")
    case "mtx":
        if let parsed = try? MatrixMarket.parse(text: text, path: "fuzz.mtx") {
            _ = try? parsed.systemMatrix(storage: .auto, path: "fuzz.mtx")
        }
    case "file":
        let ext = ProcessInfo.processInfo.environment["LAGRANGE_FUZZ_EXT"] ?? "mps.gz"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-fuzz-\(getpid()).\(ext)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        _ = try? ProblemFileReader.load(path)
    default:
        // YAML problem files go through the real entry point (a file), so referenced
        // files and every kind reader are reached; the directory holds the seed data.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-fuzz-\(getpid()).yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        _ = try? ProblemFileReader.load(path)
    }
    return 0
}
