import Foundation
import LagrangeTestSupport
import Testing

/// `lagrange sweep`: manifests, shards, resumable output, merge, the Slurm script
/// (the real-Slurm run is scripts/slurm-test.sh, `make slurm-test`).
@Suite(.serialized)
struct SweepTests {
    static let root = Fixtures.packageRoot

    /// Writes a manifest into a fresh folder and returns its path.
    static func manifest(_ text: String) throws -> String {
        let dir = try CLI.temporaryDirectory()
        let path = dir + "/sweep.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func keys(_ run: CLIRun) -> [String] { run.stdout.split(separator: "\n").map(String.init) }

    static func lines(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
            .flatMap { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).split(separator: "\n").map(String.init) }
    }

    static func runKey(_ line: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["run_key"] as? String
    }

    @Test("a grid is the cartesian product (× seeds × repeats); the explicit form lists option sets")
    func gridAndExplicitForms() throws {
        let grid = try Self.manifest("""
            problems: [\(Self.root)/problems/lp/seed.yaml, \(Self.root)/problems/lp/diet.yaml]
            solvers: [native.ipm, glpk.simplex]
            options: {tolerance: [1e-6, 1e-8], max_iterations: 100}
            seeds: [1, 2]
            repeats: 2
            """)
        let keys = Self.keys(try CLI.run(["sweep", grid, "--list"]))
        #expect(keys.count == 2 * 2 * 2 * 2 * 2)
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains { $0.hasSuffix("diet.yaml | glpk.simplex | max_iterations=100,tolerance=1e-8 | seed=2 | repeat=2") })
        let explicit = try Self.manifest("""
            problems: [\(Self.root)/problems/lp/seed.yaml]
            solvers: native.ipm
            options: [{tolerance: 1e-6}, {tolerance: 1e-8, max_iterations: 50}]
            """)
        let explicitKeys = Self.keys(try CLI.run(["sweep", explicit, "--list"])).sorted()
        #expect(explicitKeys.map { $0.components(separatedBy: " | ")[2] } == ["max_iterations=50,tolerance=1e-8", "tolerance=1e-6"])
    }

    @Test("shards are disjoint, cover every run, hold ⌊R/N⌋ or ⌈R/N⌉ runs, and do not move when the manifest is re-ordered")
    func shardingIsBalancedAndStable() throws {
        let problems = ["seed.yaml", "diet.yaml", "production.yaml", "ranged-free.yaml"].map { "\(Self.root)/problems/lp/\($0)" }
        func manifest(_ problems: [String], _ solvers: [String]) throws -> String {
            try Self.manifest("""
                problems: [\(problems.joined(separator: ", "))]
                solvers: [\(solvers.joined(separator: ", "))]
                options: {tolerance: [1e-6, 1e-7, 1e-8]}
                """)
        }
        let a = try manifest(problems, ["native.ipm", "glpk.simplex", "native.simplex"])
        let b = try manifest(problems.reversed(), ["native.simplex", "native.ipm", "glpk.simplex"])
        let total = 4 * 3 * 3
        for count in [1, 4, 5, 7] {
            var seen: [String] = []
            for index in 0..<count {
                let share = Self.keys(try CLI.run(["sweep", a, "--shard", "\(index)/\(count)", "--list"]))
                let reordered = Self.keys(try CLI.run(["sweep", b, "--shard", "\(index)/\(count)", "--list"]))
                #expect(Set(share) == Set(reordered), "shard \(index)/\(count) moved when the manifest was re-ordered")
                #expect(share.count == total / count || share.count == total / count + 1, "shard \(index)/\(count): \(share.count) runs")
                seen += share
            }
            #expect(seen.count == total && Set(seen).count == total)
        }
    }

    @Test("a killed shard resumes: recorded runs are kept as they are and not run again; a line cut off mid-write is skipped")
    func resumesWithoutRepeating() throws {
        let path = try Self.manifest("""
            problems: [\(Self.root)/problems/lp/seed.yaml, \(Self.root)/problems/lp/diet.yaml, \(Self.root)/problems/qp/HS21.qps]
            solvers: [native.ipm, glpk.simplex]
            options: {tolerance: [1e-6, 1e-8]}
            """)
        let folder = (path as NSString).deletingLastPathComponent + "/out"
        let shareKeys = Self.keys(try CLI.run(["sweep", path, "--shard", "0/2", "--list"]))
        let first = try CLI.run(["sweep", path, "--shard", "0/2", "--output", folder, "--jobs", "2"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let file = folder + "/shard-0-of-2.jsonl"
        let complete = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(complete.compactMap(Self.runKey)) == Set(shareKeys))
        // The kill: two runs recorded, the third cut off in the middle of its line.
        let kept = Array(complete.prefix(2))
        try (kept.joined(separator: "\n") + "\n" + complete[2].prefix(40)).write(toFile: file, atomically: true, encoding: .utf8)
        let second = try CLI.run(["sweep", path, "--shard", "0/2", "--output", folder])
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(second.stderr.contains("2 already recorded, \(shareKeys.count - 2) to run"), "\(second.stderr)")
        let after = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Array(after.prefix(2)) == kept, "recorded runs must stay byte for byte (they were not run again)")
        let keys = after.compactMap(Self.runKey)
        #expect(keys.count == shareKeys.count && Set(keys) == Set(shareKeys), "each run once")
        // The other shard, then the merge: every run once, the cut line noted and skipped.
        #expect(try CLI.run(["sweep", path, "--shard", "1/2", "--output", folder]).exitCode == 0)
        let merged = try CLI.run(["sweep", "--merge", folder, "--format", "json"])
        #expect(merged.stderr.contains("1 unreadable line skipped"), "\(merged.stderr)")
        let runKeys = merged.jsonLines.compactMap { $0["run_key"] as? String }
        #expect(runKeys == runKeys.sorted() && runKeys.count == 3 * 2 * 2 - 2, "glpk.simplex takes no QP: 10 runs")
        // The same results as one unsharded run, but for the timings.
        let serial = (path as NSString).deletingLastPathComponent + "/serial"
        #expect(try CLI.run(["sweep", path, "--output", serial, "--jobs", "1"]).exitCode == 0)
        let serialMerged = try CLI.run(["sweep", "--merge", serial, "--format", "json"])
        #expect(BatchTests.normalized(merged.stdout) == BatchTests.normalized(serialMerged.stdout))
    }

    @Test("merge: solved counts against a reference, shifted geometric means, CSV, and a performance profile")
    func mergeSummaryAndProfile() throws {
        let dir = try CLI.temporaryDirectory()
        // diet's expected objective is deliberately wrong: no configuration may count it solved.
        try "name\texpected_status\texpected_objective\nseed\toptimal\t2\ndiet\toptimal\t5\nproduction\toptimal\t36\n"
            .write(toFile: dir + "/reference.tsv", atomically: true, encoding: .utf8)
        try """
            problems: [\(Self.root)/problems/lp/seed.yaml, \(Self.root)/problems/lp/diet.yaml, \(Self.root)/problems/lp/production.yaml]
            solvers: [native.ipm, glpk.simplex]
            options: {time_limit: 5}
            reference: reference.tsv
            """.write(toFile: dir + "/sweep.yaml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["sweep", dir + "/sweep.yaml", "--output", dir + "/out"]).exitCode == 0)
        let text = try CLI.run(["sweep", "--merge", dir + "/out", "--plot", dir + "/profile.svg"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("glpk.simplex time_limit=5  2/3"), "\(text.stdout)")
        #expect(text.stdout.contains("native.ipm time_limit=5    2/3"), "\(text.stdout)")
        // Unsolved runs count at the time limit: the shifted geometric mean is at least
        // ((5 + 0.01)·0.01²)^(1/3) − 0.01 ≈ 0.0694 s.
        let means = text.stdout.split(separator: "\n").filter { $0.contains("time_limit=5  ") || $0.contains("time_limit=5    ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        #expect(means.count == 2 && means.allSatisfy { $0 >= 0.069 && $0 < 5 }, "\(means)")
        let csv = try CLI.run(["sweep", "--merge", dir + "/out", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.first == "problem,file,solver,options,seed,repeat,status,objective,iterations,seconds,solved")
        #expect(csv.count == 7)
        let svg = try String(contentsOfFile: dir + "/profile.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("(2/3)"))
    }

    @Test("--slurm writes an sbatch array script that runs each shard, and creates the output folder")
    func slurmScript() throws {
        let path = try Self.manifest("""
            problems: [\(Self.root)/problems/lp/seed.yaml, \(Self.root)/problems/lp/diet.yaml]
            solvers: [native.ipm, glpk.simplex]
            """)
        let folder = (path as NSString).deletingLastPathComponent + "/results"
        let run = try CLI.run(["sweep", path, "--slurm", "--shards", "3", "--output", folder, "--partition", "short",
                               "--time", "00:30:00", "--cpus-per-task", "2"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        for line in ["#!/bin/bash", "#SBATCH --array=0-2", "#SBATCH --partition=short", "#SBATCH --time=00:30:00",
                     "#SBATCH --cpus-per-task=2", "#SBATCH --output=\(folder)/slurm-%A_%a.log",
                     "--shard \"$SLURM_ARRAY_TASK_ID/3\" --output '\(folder)' --jobs \"${SLURM_CPUS_PER_TASK:-1}\""] {
            #expect(run.stdout.contains(line), "missing: \(line)")
        }
        #expect(run.stdout.contains("sweep '\(path)'"))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test("bad manifests and arguments: exit 2, naming the file and line")
    func badInput() throws {
        let cases: [(String, String)] = [
            ("problems: [\(Self.root)/problems/lp/seed.yaml]\nsolvers: [native.ipm]\nsolver: [glpk.simplex]\n", "sweep.yaml:3"),
            ("problems: [\(Self.root)/problems/lp/seed.yaml]\nsolvers: [native.ipn]\n", "unknown solver 'native.ipn'"),
            ("problems: [\(Self.root)/problems/nothing/*.mps]\nsolvers: [native.ipm]\n", "matches no file"),
            ("problems: [\(Self.root)/problems/lp/seed.yaml]\nsolvers: [native.ipm]\noptions: {tolerance: [1e-6, -1]}\n", "must be > 0"),
            ("problems: [\(Self.root)/problems/lp/seed.yaml]\nsolvers: [native.ipm]\nseeds: [1, 1]\n", "listed twice"),
            ("solvers: [native.ipm]\n", "missing 'problems:'"),
        ]
        for (text, message) in cases {
            let path = try Self.manifest(text)
            let run = try CLI.run(["sweep", path, "--list"])
            #expect(run.exitCode == 2, "\(text)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
        let path = try Self.manifest("problems: [\(Self.root)/problems/lp/seed.yaml]\nsolvers: [native.ipm]\n")
        let shard = try CLI.run(["sweep", path, "--shard", "4/4"])
        #expect(shard.exitCode == 2 && shard.stderr.contains("0 ≤ I < N"))
    }
}
