import LagrangeCore
import Testing

@Suite struct HistoryTests {
    func filled(_ storage: HistoryStorage, count: Int) -> ConvergenceHistory {
        var h = ConvergenceHistory(storage: storage)
        for k in 0..<count { h.append(IterationRecord(iteration: k, objective: Double(k))) }
        h.finish()
        return h
    }

    @Test func allKeepsEverything() {
        let h = filled(.all, count: 25)
        #expect(h.records.map(\.iteration) == Array(0..<25))
        #expect(!h.isThinned)
    }

    @Test func everyKeepsStrideFirstAndLast() {
        let h = filled(.every(10), count: 25)
        #expect(h.records.map(\.iteration) == [0, 10, 20, 24])
        #expect(h.reportedCount == 25)
        #expect(h.isThinned)
    }

    @Test func boundedStaysSmallAndKeepsEnds() {
        let h = filled(.bounded(16), count: 100_000)
        #expect(h.records.count <= 17)
        #expect(h.records.first?.iteration == 0)
        #expect(h.records.last?.iteration == 99_999)
        let its = h.records.map(\.iteration)
        #expect(its == its.sorted())
    }

    @Test func offKeepsNothingButCounts() {
        let h = filled(.off, count: 50)
        #expect(h.records.isEmpty)
        #expect(h.reportedCount == 50)
    }

    @Test func metricLookupByKey() {
        let r = IterationRecord(iteration: 3, objective: 1.5, gap: 1e-3, extras: [Metric("mu", 0.25)])
        #expect(r.value(forKey: "gap") == 1e-3)
        #expect(r.value(forKey: "mu") == 0.25)
        #expect(r.value(forKey: "step_size") == nil)
    }
}
