import Foundation
import LagrangeTestSupport
import Testing

/// `lagrange solve DIR --jobs N` and Ctrl-C.
@Suite(.serialized)
struct BatchTests {
    static let inputs = ["problems", "Tests/ProblemFormatsTests/Malformed", "Tests/MaxFlowTests/Malformed"]

    /// JSON lines with every `seconds` field removed (the only part that may differ).
    static func normalized(_ stdout: String) -> [String] {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                var out: [String: Any] = [:]
                for (key, v) in object where key != "seconds" { out[key] = strip(v) }
                return out
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return stdout.split(separator: "\n").map { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
                  let data = try? JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys]) else { return String(line) }
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test("a batch over problems/ and malformed files: same output with --jobs 1 and --jobs 4, errors reported, exit 2")
    func batchIsDeterministic() throws {
        let one = try CLI.run(["solve"] + Self.inputs + ["--format", "json", "--jobs", "1"])
        let four = try CLI.run(["solve"] + Self.inputs + ["--format", "json", "--jobs", "4"])
        #expect(one.exitCode == 2)
        #expect(four.exitCode == 2)
        let lines = Self.normalized(one.stdout)
        #expect(lines == Self.normalized(four.stdout))
        let objects = one.jsonLines
        #expect(objects.count == lines.count, "every line is JSON")
        let errors = objects.filter { $0["status"] as? String == "error" }
        let malformed = try ["Tests/ProblemFormatsTests/Malformed", "Tests/MaxFlowTests/Malformed"].flatMap {
            try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot + "/" + $0)
        }
        // Every malformed file is reported, each with a message naming it.
        for name in malformed {
            #expect(errors.contains { ($0["file"] as? String)?.hasSuffix("/" + name) == true && ($0["message"] as? String)?.isEmpty == false },
                    "no error line for \(name)")
        }
        // Every good problem is solved and correct where the answer is known here.
        let solved = objects.filter { $0["status"] as? String != "error" }
        #expect(solved.count >= 25)
        let afiro = try #require(solved.first { $0["problem"] as? String == "afiro" })
        #expect(isClose(afiro["objective"] as? Double ?? .nan, -464.753142857, relative: 1e-6))
        // clrs.max is dimacs.yaml's graph: solved through that file, not on its own.
        let clrs = try #require(solved.first { ($0["file"] as? String)?.hasSuffix("maxflow/dimacs.yaml") == true })
        #expect(!solved.contains { ($0["file"] as? String)?.hasSuffix("clrs.max") == true })
        #expect(clrs["flow_value"] as? Double == 23 || clrs["flow_value"] as? Int == 23)
        // Input order: the error lines of the malformed directories come in argument order,
        // each directory sorted, whichever worker finished first.
        let reported = errors.compactMap { $0["file"] as? String }.filter { $0.contains("/Malformed/") }
        let expected = try ["Tests/ProblemFormatsTests/Malformed", "Tests/MaxFlowTests/Malformed"].flatMap { dir in
            try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot + "/" + dir).sorted().map { dir + "/" + $0 }
        }
        #expect(reported == expected)
    }

    @Test("Ctrl-C turns the problem in flight into an interrupted result, printed normally; a file not started is named as interrupted")
    func sigintInterrupts() throws {
        let dir = try CLI.temporaryDirectory()
        let path = dir + "/endless.yaml", later = dir + "/later.yaml"
        for (file, name) in [(path, "endless"), (later, "later")] {
            try """
            kind: linear-system
            name: \(name)
            solver: native.kaczmarz
            A: [[1, 2], [3, 4], [5, 7]]
            b: [1, 2, 4]
            options: {max_iterations: 1000000000000, stop: iterations}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["solve", path, later, "--format", "json", "--jobs", "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1)
        let run = CLIRun(exitCode: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
        let json = try #require(run.json)
        #expect(json["status"] as? String == "interrupted")
        #expect((json["iterations"] as? Int ?? 0) > 0)
        #expect(!((json["history"] as? [Any]) ?? []).isEmpty)
        let notStarted = try #require(run.jsonLines.dropFirst().first)
        #expect(notStarted["file"] as? String == later)
        #expect(notStarted["status"] as? String == "interrupted")
    }

    /// Five LPs; the middle one routed to `test.abort`, a plugin that calls abort().
    static func batchWithAnAbortingProblem() throws -> String {
        let dir = try CLI.temporaryDirectory()
        for (i, name) in ["a", "b", "c", "d", "e"].enumerated() {
            let solver = name == "c" ? "\nsolver: test.abort" : ""
            try """
            kind: lp
            name: \(name)\(solver)
            maximize: [1, \(i + 1)]
            variables: [x, y]
            A: [[1, 1]]
            b: [1]
            relations: ["<="]
            """.write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test("a problem whose solver aborts the process is an error line; every other result is printed", arguments: [1, 2])
    func abortingPluginCostsOnlyItsProblem(jobs: Int) throws {
        let dir = try Self.batchWithAnAbortingProblem()
        let run = try CLI.run(["solve", dir, "--format", "json", "--jobs", "\(jobs)"], environment: ["LAGRANGE_TEST_SOLVERS": "1"])
        #expect(run.exitCode == 2, "\(run.stderr)")
        let lines = run.jsonLines
        #expect(lines.map { $0["problem"] as? String } == ["a", "b", "c", "d", "e"])
        for (i, line) in lines.enumerated() where line["problem"] as? String != "c" {
            #expect(line["status"] as? String == "optimal")
            // max x + k·y with x + y ≤ 1: the optimum is k (y = 1), k = 1 ties at 1.
            #expect(isClose(line["objective"] as? Double ?? .nan, Double(i + 1), relative: 1e-7))
        }
        let aborted = try #require(lines.first { $0["problem"] as? String == "c" })
        #expect(aborted["status"] as? String == "error")
        #expect(aborted["solver"] as? String == "test.abort")
        let message = aborted["message"] as? String ?? ""
        #expect(message.contains("c.yaml") && message.contains("SIGABRT"), "\(message)")
        #expect(run.stderr.contains("SIGABRT"))
    }

    /// A 1000 × 1000 linear system written out in full (2 MB of YAML): seconds to read in
    /// a debug build.
    static func slowToRead() throws -> String {
        let path = try CLI.temporaryDirectory() + "/big.yaml"
        let row = "  - [" + Array(repeating: "1", count: 1000).joined(separator: ",") + "]\n"
        let text = "kind: linear-system\nname: big\nA:\n" + String(repeating: row, count: 1000)
            + "b: [" + Array(repeating: "1", count: 1000).joined(separator: ",") + "]\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("--time-limit holds while a file is read: the file is reported as time_limit")
    func timeLimitWhileReading() throws {
        let path = try Self.slowToRead()
        let start = Date()
        let run = try CLI.run(["solve", path, "--time-limit", "0.2", "--format", "json"])
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.json?["status"] as? String == "time_limit")
        #expect(run.json?["file"] as? String == path)
        #expect(elapsed < 2.5, "took \(elapsed) s")
    }

    @Test("Ctrl-C while a file is read stops it at once: the file is reported as interrupted")
    func sigintWhileReading() throws {
        let path = try Self.slowToRead()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["solve", path, "--format", "json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: 0.3)
        let sent = Date()
        kill(process.processIdentifier, SIGINT)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(sent) < 1.5)
        #expect(process.terminationStatus == 1)
        let run = CLIRun(exitCode: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
        #expect(run.json?["status"] as? String == "interrupted")
        #expect(run.json?["file"] as? String == path)
    }

    @Test("a file's solver of the wrong kind is reported at its solver: line, by solve and by check")
    func wrongKindSolverLine() throws {
        let path = try CLI.temporaryDirectory() + "/wrong.yaml"
        try "kind: lp\nname: t\nsolver: native.bfgs\nminimize: [1, 1]\nA: [[1, 1]]\nb: [1]\nrelations: [\">=\"]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for command in ["solve", "check"] {
            let run = try CLI.run([command, path])
            #expect(run.exitCode == 2)
            #expect(run.stderr.contains("\(path):3: solver 'native.bfgs' does not accept kind 'lp'"), "\(run.stderr)")
        }
    }

    @Test("a game whose LP GLPK refuses is reported with the game's strategy names")
    func gameErrorUsesStrategyNames() throws {
        let path = try CLI.temporaryDirectory() + "/huge.yaml"
        try "kind: matrix-game\nname: huge\npayoff: [[1e308, -1e308], [-1e308, 1e308]]\nrow_names: [up, down]\ncolumn_names: [left, right]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CLI.run(["solve", path, "--solver", "glpk.game-lp"])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("'x[up]'") && run.stderr.contains("'col[left]'"), "\(run.stderr)")
    }

    @Test("the MPS knapsack gives 8 by default; an LP-only solver exits 2 unless --relax, which gives 8.25 and says so")
    func knapsackIsNeverSilentlyRelaxed() throws {
        let path = "problems/milp/knapsack.mps"
        let integer = try CLI.run(["solve", path, "--format", "json"])
        #expect(integer.exitCode == 0, "\(integer.stderr)")
        #expect(integer.json?["solver"] as? String == "glpk.mip" && integer.json?["objective"] as? Double == 8)
        #expect(integer.json?["nodes"] != nil && integer.json?["best_bound"] != nil && integer.json?["gap"] != nil)
        let refused = try CLI.run(["solve", path, "--solver", "native.ipm"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("native.ipm solves LPs only") && refused.stderr.contains("glpk.mip"), "\(refused.stderr)")
        // A copy without the sidecar expectations (which hold for the integer problem).
        let copy = try CLI.temporaryDirectory() + "/knapsack.mps"
        try FileManager.default.copyItem(atPath: Fixtures.packageRoot + "/" + path, toPath: copy)
        let relaxed = try CLI.run(["solve", copy, "--solver", "native.ipm", "--relax", "--format", "json"])
        #expect(relaxed.exitCode == 0, "\(relaxed.stderr)")
        #expect(abs((relaxed.json?["objective"] as? Double ?? 0) - 8.25) <= 1e-7)
        #expect((relaxed.json?["notes"] as? [String])?.contains { $0.contains("LP relaxation") } == true)
    }
}
