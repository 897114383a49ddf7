import Foundation
import LagrangeTestSupport
import Testing

@Suite("lagrange solve on .lp and .mod files")
struct ModelFilesCLITests {
    @Test("every malformed .lp and .mod file exits 2 with a file:line message, and the batch goes on")
    func malformedFiles() throws {
        let folder = "Tests/ModelingTests/Malformed"
        let run = try CLI.run(["solve", folder, "--format", "json", "--in-process"])
        #expect(run.exitCode == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot + "/" + folder).sorted()
        let errors = run.jsonLines.filter { $0["status"] as? String == "error" }
        #expect(errors.count == files.count)
        for file in files where file != "empty.lp" {  // an empty file has no line to name
            let message = errors.first { ($0["file"] as? String)?.hasSuffix("/" + file) == true }?["message"] as? String ?? ""
            #expect(message.range(of: "\(folder)/\(file):[0-9]+: ", options: .regularExpression) != nil, "\(file): \(message)")
        }
    }

    @Test("a CPLEX LP file is solved by extension: the MILP to GLPK's 20.5, its LP relaxation by the native simplex")
    func lpFile() throws {
        let run = try CLI.run(["solve", "Tests/Fixtures/modeling/syntax.lp", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.json?["solver"] as? String == "glpk.mip")
        #expect(run.json?["objective"] as? Double == 20.5)
        let relaxed = try CLI.run(["solve", "Tests/Fixtures/modeling/syntax.lp", "--relax", "--solver", "native.simplex", "--format", "json"])
        #expect(relaxed.exitCode == 0, "\(relaxed.stderr)")
        // glpsol's LP relaxation of the same file: 21.5 ("OPTIMAL LP SOLUTION FOUND" before branching).
        #expect(isClose(relaxed.json?["objective"] as? Double ?? .nan, 21.5, relative: 1e-9))
    }

    @Test("a MathProg model with --data: solved by native.ipm, the model's output in JSON, --data forwarded to the child process")
    func mathProgWithData() throws {
        let run = try CLI.run(["solve", "Tests/Fixtures/mathprog/transp.mod", "--data", "Tests/Fixtures/mathprog/transp.dat",
                               "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let json = try #require(run.json)
        #expect(json["solver"] as? String == "native.ipm")
        #expect(isClose(json["objective"] as? Double ?? .nan, 153.675, relative: 1e-7))
        let seed = try CLI.run(["solve", "Tests/Fixtures/mathprog/seed.mod"])
        #expect(seed.exitCode == 0)
        #expect(seed.stdout.contains("model output:\n    x3 = 2\n"), "\(seed.stdout)")
        let misuse = try CLI.run(["solve", "problems/lp/seed.yaml", "--data", "Tests/Fixtures/mathprog/transp.dat"])
        #expect(misuse.exitCode == 2 && misuse.stderr.contains("--data applies to GLPK MathProg models"))
    }
}
