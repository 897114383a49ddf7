import Foundation
import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reading is bounded (issue #16 defect 3): one byte cap for every reader, only regular
/// files, and YAML aliases that cannot blow a small file up into a huge problem.
struct ReadingLimitTests {
    /// Runs `body` on a thread and fails (instead of hanging the suite) when it takes
    /// longer than `seconds`.
    static func finishes<T: Sendable>(within seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Thread { box.value = body(); done.signal() }.start()
        return done.wait(timeout: .now() + seconds) == .success ? box.value : nil
    }

    final class ResultBox<T>: @unchecked Sendable { var value: T? }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-read-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a FIFO named x.mps is refused at once, not waited on", arguments: ["x.mps", "x.yaml", "x.max", "x.libsvm"])
    func fifoIsRefused(name: String) throws {
        let path = try Self.temporaryDirectory() + "/" + name
        #expect(mkfifo(path, 0o600) == 0)
        let message = Self.finishes(within: 5) { () -> String in
            do { _ = try ProblemFileReader.load(path); return "loaded" } catch { return "\(error)" }
        }
        // Unblock a reader still waiting for a writer, so the thread can end.
        if message == nil { let fd = open(path, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) } }
        let text = try #require(message, "reading a FIFO did not return within 5 s")
        #expect(text.contains(path) && text.contains("not a regular file"), "\(text)")
    }

    @Test("/dev/zero named z.mps is refused, not read until memory runs out", arguments: ["z.mps", "z.yaml", "z.max", "z.nfg"])
    func deviceIsRefused(name: String) throws {
        let path = try Self.temporaryDirectory() + "/" + name
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        let message = Self.finishes(within: 5) { () -> String in
            do { _ = try ProblemFileReader.load(path); return "loaded" } catch { return "\(error)" }
        }
        let text = try #require(message, "reading /dev/zero did not return within 5 s")
        #expect(text.contains("not a regular file"), "\(text)")
    }

    @Test("the byte cap is one rule for every reader: a file over it is refused before it is read")
    func byteCap() throws {
        let path = try Self.temporaryDirectory() + "/small.mps"
        try String(repeating: "* comment line\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) { try TextFile.bytes(path, maximumBytes: 1000) }
        #expect(error?.description.contains("1000-byte limit") == true, "\(String(describing: error))")
        #expect(try TextFile.bytes(path, maximumBytes: 1500).count == 1500)
    }

    /// 24 KB of YAML whose aliases make a 3000 × 3000 matrix: a row of 3000 numbers
    /// written once, then 3000 aliases to it.
    static var aliasBomb: String {
        let row = "[" + Array(repeating: "1", count: 3000).joined(separator: ",") + "]"
        let rows = ["    - &r " + row] + Array(repeating: "    - *r", count: 2999)
        return """
        kind: linear-system
        name: bomb
        A:
        \(rows.joined(separator: "\n"))
        b: [\(Array(repeating: "1", count: 3000).joined(separator: ","))]
        """
    }

    @Test("YAML aliases cannot expand a small file into a huge problem")
    func aliasExpansionIsLimited() throws {
        let text = Self.aliasBomb
        #expect(text.utf8.count < 40_000)
        let message = Self.finishes(within: 10) { () -> String in
            do { _ = try ProblemFileReader.load(try YAMLProblemFile(text: text, path: "bomb.yaml")); return "loaded" }
            catch { return "\(error)" }
        }
        let text2 = try #require(message, "the alias bomb took more than 10 s to read")
        #expect(text2.contains("aliases"), "\(text2)")
    }

    @Test("ordinary aliases (a shared options block, a repeated row) still read")
    func ordinaryAliasesStillRead() throws {
        let definition = try ProblemFileReader.load(try YAMLProblemFile(text: """
        kind: linear-system
        name: shared
        A:
          - &row [1, 2]
          - *row
          - [3, 5]
        b: [3, 3, 8]
        """, path: "shared.yaml"))
        guard case .linearSystem(let system) = definition.problem else { Issue.record("not a linear system"); return }
        #expect(system.matrix.rowCount == 3)
    }
}
