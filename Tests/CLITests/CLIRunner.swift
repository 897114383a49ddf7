import Foundation
import LagrangeTestSupport

/// Runs the built `lagrange` executable and captures its output.
struct CLIRun {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// The first JSON object printed on stdout.
    var json: [String: Any]? {
        guard let line = stdout.split(separator: "\n").first,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { return nil }
        return object as? [String: Any]
    }

    /// Every JSON line on stdout.
    var jsonLines: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

enum CLI {
    /// The executable next to the test bundle (same build folder), else .build/debug.
    static let executable: String = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [testBinary, testBinary.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("lagrange").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Fixtures.packageRoot + "/.build/debug/lagrange"
    }()

    /// `stdin`, when given, is written to the child's standard input (then closed).
    static func run(_ arguments: [String], in directory: String = Fixtures.packageRoot,
                    environment extra: [String: String] = [:], stdin: Data? = nil) throws -> CLIRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !extra.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 } }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            // Written on its own thread: input larger than the pipe buffer must not block
            // the reading of stdout/stderr below.
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(stdin)
                try? writer.close()
            }
        }
        // Read before waiting so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
