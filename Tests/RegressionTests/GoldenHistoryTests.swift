import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// Golden files: round trip, thinning, and the comparison semantics of docs/regression.md.
@Suite struct GoldenHistoryTests {
    func golden(iterations: Int = 50, perturbAt: Int? = nil, by factor: Double = 1) -> GoldenHistory {
        let records = (0...iterations).map { k -> IterationRecord in
            var f = 10 * pow(0.9, Double(k))
            if k == perturbAt { f *= factor }
            return IterationRecord(iteration: k, seconds: Double(k), objective: f, gradientNorm: f / 2, extras: [Metric("f_evals", Double(k + 1))])
        }
        return GoldenHistory(problem: "p", file: "p.yaml", solver: "s", options: ["tolerance": .number(1e-8)], seed: 3, status: "optimal",
                             iterations: iterations, objective: records.last?.objective, solution: [("x", 1.5), ("y", -2)],
                             solutionNorm: 2.5, reportedRecords: records.count, records: records)
    }

    @Test func serializationRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = golden()
        try g.serialized().write(toFile: dir + "/g.json", atomically: true, encoding: .utf8)
        let back = try GoldenHistory.read(dir + "/g.json")
        #expect(back.records.count == 51)
        #expect(back.records[7].objective == g.records[7].objective)
        #expect(back.records[7].value(forKey: "f_evals") == 8)
        #expect(back.solution.map(\.name) == ["x", "y"])
        #expect(back.serialized() == g.serialized())
        #expect(!g.serialized().contains("seconds"), "timing is never stored")
        #expect(HistoryComparison(expected: back, got: g, settings: RegressionSettings()).passed)
    }

    @Test func thinningKeepsTheStartAndTheLast() {
        let thinned = golden(iterations: 1000).thinned()
        #expect(thinned.records.count <= GoldenHistory.recordLimit)
        #expect(thinned.records.prefix(GoldenHistory.leadingRecords).map(\.iteration) == Array(0..<GoldenHistory.leadingRecords))
        #expect(thinned.records.last?.iteration == 1000)
        #expect(zip(thinned.records, thinned.records.dropFirst()).allSatisfy { $0.iteration < $1.iteration })
    }

    @Test func firstDivergingIterationIsNamed() {
        let c = HistoryComparison(expected: golden(), got: golden(perturbAt: 17, by: 1.001), settings: RegressionSettings())
        #expect(!c.passed)
        #expect(c.firstDivergence == 17)
        #expect(c.mismatches.first?.contains("history diverges at iteration 17") == true)
        #expect(c.mismatches.first?.contains("objective") == true)
        // Below the relative tolerance (1e-6) nothing diverges.
        #expect(HistoryComparison(expected: golden(), got: golden(perturbAt: 17, by: 1 + 1e-8), settings: RegressionSettings()).passed)
    }

    @Test func roundOffNearZeroIsNotDivergence() {
        // Absolute tolerance scales with the metric's largest value (10 here): 1e-9·10.
        var got = golden(iterations: 300)
        got.records[299].gradientNorm = (got.records[299].gradientNorm ?? 0) + 5e-9
        #expect(HistoryComparison(expected: golden(iterations: 300), got: got, settings: RegressionSettings()).passed)
        got.records[299].gradientNorm = (got.records[299].gradientNorm ?? 0) + 1e-6
        #expect(!HistoryComparison(expected: golden(iterations: 300), got: got, settings: RegressionSettings()).passed)
    }

    @Test(arguments: [(100, 110, true), (100, 111, false), (10, 12, true), (10, 13, false), (0, 2, true)])
    func iterationCountsWithinMaxTwoOrTenPercent(expected: Int, got: Int, passes: Bool) {
        var e = golden(), g = golden()
        e.iterations = expected
        g.iterations = got
        let c = HistoryComparison(expected: e, got: g, settings: RegressionSettings())
        #expect(c.passed == passes, "\(c.mismatches)")
    }

    @Test func statusAndFinalValuesAreTight() {
        var g = golden()
        g.status = "iteration_limit"
        g.solution[1].value = -2 + 1e-6
        let c = HistoryComparison(expected: golden(), got: g, settings: RegressionSettings())
        #expect(c.mismatches.contains { $0.hasPrefix("status: expected optimal, got iteration_limit") })
        #expect(c.mismatches.contains { $0.contains("final solution differs in 1 value(s): y") })
    }

    @Test func settingsChooseTheMetrics() {
        var g = golden(perturbAt: 5, by: 1.5)
        g.records[5].gradientNorm = golden().records[5].gradientNorm
        var settings = RegressionSettings()
        settings.metrics = ["gradient_norm"]
        #expect(HistoryComparison(expected: golden(), got: g, settings: settings).passed)
        settings.metrics = nil
        #expect(HistoryComparison(expected: golden(), got: g, settings: settings).firstDivergence == 5)
    }
}
