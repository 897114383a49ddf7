import Foundation
import LagrangeTestSupport
import Testing

/// `lagrange solve -` / `check -`: one problem read from standard input.
@Suite struct StdinCLITests {
    static func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.packageRoot + "/" + path))
    }

    @Test func mpsFromStdinGivesTheFilesObjective() throws {
        let file = try CLI.run(["solve", "problems/lp/netlib/afiro.mps", "--solver", "glpk.simplex", "--format", "json"])
        #expect(file.exitCode == 0, "\(file.stderr)")
        let expected = try #require(file.json?["objective"] as? Double)
        // Through the child process (the default) and in this process.
        for extra in [[], ["--in-process"]] {
            let run = try CLI.run(["solve", "-", "--input-format", "mps", "--solver", "glpk.simplex", "--format", "json"] + extra,
                                  stdin: try Self.contents("problems/lp/netlib/afiro.mps"))
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try #require(run.json)
            #expect(json["objective"] as? Double == expected)
            #expect(json["file"] as? String == "<stdin>")
            #expect(json["problem"] as? String == file.json?["problem"] as? String)
        }
    }

    @Test func yamlLPFromStdinWithAndWithoutInputFormat() throws {
        let file = try CLI.run(["solve", "problems/lp/seed.yaml", "--format", "json"])
        #expect(file.exitCode == 0, "\(file.stderr)")
        let expected = try #require(file.json?["objective"] as? Double)
        // Without --input-format the top-level `kind:` tells YAML.
        for extra in [[], ["--input-format", "yaml"]] {
            let run = try CLI.run(["solve", "-", "--format", "json"] + extra, stdin: try Self.contents("problems/lp/seed.yaml"))
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(run.json?["objective"] as? Double == expected)
            #expect(run.json?["file"] as? String == "<stdin>")
        }
    }

    @Test func stdinAmongFilesKeepsItsPlace() throws {
        let run = try CLI.run(["solve", "problems/lp/seed.yaml", "-", "problems/lp/diet.yaml", "--input-format", "mps",
                               "--solver", "glpk.simplex", "--format", "json"],
                              stdin: try Self.contents("problems/lp/netlib/afiro.mps"))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.jsonLines.map { $0["file"] as? String } == ["problems/lp/seed.yaml", "<stdin>", "problems/lp/diet.yaml"])
    }

    @Test func malformedStdinIsNamedWithItsLine() throws {
        let badMPS = Data("NAME BAD\nROWS\n N obj\n L c1\nCOLUMNS\n x obj notanumber\nENDATA\n".utf8)
        let mps = try CLI.run(["solve", "-", "--input-format", "mps"], stdin: badMPS)
        #expect(mps.exitCode == 2)
        #expect(mps.stderr.contains("<stdin>:6"), "\(mps.stderr)")
        #expect(!mps.stderr.contains("lagrange-stdin"), "the private copy leaked into: \(mps.stderr)")

        let badYAML = Data("kind: lp\nobjective: {minimize: x}\nconstraints: [\n".utf8)
        let yaml = try CLI.run(["solve", "-", "--format", "json"], stdin: badYAML)
        #expect(yaml.exitCode == 2)
        #expect(yaml.stderr.range(of: #"<stdin>:\d+"#, options: .regularExpression) != nil, "\(yaml.stderr)")
        #expect(yaml.json?["file"] as? String == "<stdin>")
        #expect(yaml.json?["status"] as? String == "error")
    }

    @Test func usageErrorsExit2() throws {
        let cases: [([String], String)] = [
            (["solve", "problems/lp/seed.yaml", "--input-format", "mps"], "--input-format applies to standard input"),
            (["solve", "-", "-", "--input-format", "mps"], "may be given once"),
            (["solve", "-", "--input-format", "docx"], "unknown --input-format 'docx'"),
            (["solve", "-"], "cannot tell the format of standard input"),
            (["check", "-", "-", "--input-format", "mps"], "may be given once"),
        ]
        for (arguments, message) in cases {
            let run = try CLI.run(arguments, stdin: try Self.contents("problems/lp/netlib/afiro.mps"))
            #expect(run.exitCode == 2, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments)")
        }
    }

    @Test func privateCopyIsRemoved() throws {
        let temporary = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let run = try CLI.run(["solve", "-", "--input-format", "mps", "--solver", "glpk.simplex"], environment: ["TMPDIR": temporary],
                              stdin: try Self.contents("problems/lp/netlib/afiro.mps"))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("optimal"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }

    @Test func checkReadsStdinAndResolvesDataAgainstTheCurrentDirectory() throws {
        let sinc = try Self.contents("problems/svr/sinc.yaml")
        // `train: sinc.train.libsvm` is found from problems/svr, the current directory …
        let here = try CLI.run(["check", "-"], in: Fixtures.packageRoot + "/problems/svr", stdin: sinc)
        #expect(here.exitCode == 0, "\(here.stderr)")
        #expect(here.stdout.hasPrefix("<stdin>: ok (svr"), "\(here.stdout)")
        // … and not from the package root: standard input has no folder of its own.
        let root = try CLI.run(["check", "-"], stdin: sinc)
        #expect(root.exitCode == 2)
        #expect(root.stderr.contains("sinc.train.libsvm"), "\(root.stderr)")
    }
}
