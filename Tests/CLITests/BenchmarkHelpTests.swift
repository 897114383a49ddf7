import Foundation
import LagrangeTestSupport
import Testing

/// Every benchmark executable is a tool: `--help` prints its usage and exits 0 (issue #22;
/// smooth-benchmark used to crash with SIGILL, others took `--help` for a file name).
@Suite struct BenchmarkHelpTests {
    static let tools = ["maxflow-bench", "kaczmarz-bench", "svr-bench", "qp-bench", "model-bench", "lp-bench",
                        "smooth-benchmark", "games-bench"]

    @Test(arguments: tools)
    func helpPrintsUsage(_ tool: String) throws {
        let path = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().appendingPathComponent(tool).path
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(tool) is not built next to lagrange")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--help"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(tool)")
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("usage: \(tool)"), "\(tool)")
    }
}
