import Foundation
import LagrangeCore

/// The comparison of a run against its golden history (docs/regression.md):
///
/// 1. the status must match exactly;
/// 2. the iteration count may differ by max(`iterations_absolute`, `iterations_relative`·expected)
///    (default ±max(2, 10%));
/// 3. every compared metric must agree at every iteration present in both histories:
///    |e − g| ≤ absolute·scale + relative·max(|e|, |g|), with scale the largest |e| of that
///    metric in the golden history (at least 1) so that values at round-off level do not
///    count as divergence; NaN/absent on both sides agree;
/// 4. the final objective and solution values agree with the tight `final_*` tolerances.
///
/// Timing (`seconds`) is never compared.
package struct HistoryComparison: Sendable {
    /// Whether everything agreed.
    package var passed: Bool { mismatches.isEmpty }
    /// One readable line (or block) per disagreement, the first diverging iteration first.
    package var mismatches: [String] = []
    /// The first iteration at which a compared metric disagrees, if any.
    package var firstDivergence: Int?
    /// How many records were aligned (same iteration number in both histories).
    package var alignedRecords = 0

    package init(expected: GoldenHistory, got: GoldenHistory, settings: RegressionSettings) {
        if expected.status != got.status {
            mismatches.append("status: expected \(expected.status), got \(got.status)")
        }
        let slack = max(settings.iterationsAbsolute, Int((settings.iterationsRelative * Double(expected.iterations)).rounded(.down)))
        if abs(got.iterations - expected.iterations) > slack {
            mismatches.append("iterations: expected \(expected.iterations), got \(got.iterations) (allowed \(max(0, expected.iterations - slack))...\(expected.iterations + slack))")
        }
        compareHistories(expected, got, settings)
        compareFinal(expected, got, settings)
    }

    static func agree(_ e: Double, _ g: Double, absolute: Double, relative: Double) -> Bool {
        if e == g || (e.isNaN && g.isNaN) { return true }
        guard e.isFinite, g.isFinite else { return false }
        return abs(e - g) <= absolute + relative * max(abs(e), abs(g))
    }

    mutating func compareHistories(_ expected: GoldenHistory, _ got: GoldenHistory, _ settings: RegressionSettings) {
        let metrics = settings.metrics ?? GoldenHistory.metricKeys(expected.records)
        var scale: [String: Double] = [:]
        for m in metrics {
            scale[m] = max(1, expected.records.compactMap { $0.value(forKey: m) }.filter(\.isFinite).map(abs).max() ?? 1)
        }
        var byIteration: [Int: IterationRecord] = [:]
        for r in got.records { byIteration[r.iteration] = r }
        var diverging = 0
        var firstBlock: [String] = []
        for e in expected.records {
            guard let g = byIteration[e.iteration] else { continue }
            alignedRecords += 1
            var rows: [String] = []
            for m in metrics {
                let ev = e.value(forKey: m), gv = g.value(forKey: m)
                if ev == nil && gv == nil { continue }
                let absolute = settings.absolute * (scale[m] ?? 1)
                let ok: Bool
                if let ev, let gv { ok = HistoryComparison.agree(ev, gv, absolute: absolute, relative: settings.relative) } else { ok = false }
                if !ok {
                    let allowed = absolute + settings.relative * max(abs(ev ?? 0), abs(gv ?? 0))
                    rows.append(HistoryComparison.row(m, HistoryComparison.show(ev), HistoryComparison.show(gv),
                                                      ev.flatMap { a in gv.map { HistoryComparison.short(abs(a - $0)) } } ?? "-",
                                                      HistoryComparison.short(allowed)))
                }
            }
            if !rows.isEmpty {
                diverging += 1
                if firstDivergence == nil {
                    firstDivergence = e.iteration
                    firstBlock = rows
                }
            }
        }
        if let first = firstDivergence {
            var text = "history diverges at iteration \(first) (first of \(diverging) differing records among \(alignedRecords) aligned):\n"
            text += HistoryComparison.row("metric", "expected", "got", "|diff|", "allowed") + "\n"
            text += firstBlock.joined(separator: "\n")
            mismatches.append(text)
        } else if alignedRecords == 0, !expected.records.isEmpty {
            mismatches.append("history: no iteration numbers in common with the golden history (expected \(expected.records.first!.iteration)...\(expected.records.last!.iteration))")
        }
    }

    mutating func compareFinal(_ expected: GoldenHistory, _ got: GoldenHistory, _ settings: RegressionSettings) {
        let rel = settings.finalRelative, absolute = settings.finalAbsolute
        switch (expected.objective, got.objective) {
        case (nil, nil): break
        case let (e?, g?):
            if !HistoryComparison.agree(e, g, absolute: absolute * max(1, abs(e)), relative: rel) {
                mismatches.append("final objective: expected \(HistoryComparison.show(e)), got \(HistoryComparison.show(g))")
            }
        case let (e, g):
            mismatches.append("final objective: expected \(HistoryComparison.show(e)), got \(HistoryComparison.show(g))")
        }
        let gotValues = Dictionary(got.solution.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let scale = max(1, expected.solution.map { abs($0.value) }.filter(\.isFinite).max() ?? 1)
        var differing: [String] = []
        for (name, e) in expected.solution {
            guard let g = gotValues[name] else { differing.append("\(name): missing"); continue }
            if !HistoryComparison.agree(e, g, absolute: absolute * scale, relative: rel) {
                differing.append("\(name): expected \(HistoryComparison.show(e)), got \(HistoryComparison.show(g))")
            }
        }
        if !differing.isEmpty {
            mismatches.append("final solution differs in \(differing.count) value(s): " + differing.prefix(4).joined(separator: "; ")
                              + (differing.count > 4 ? "; …" : ""))
        }
        if !HistoryComparison.agree(expected.solutionNorm, got.solutionNorm, absolute: absolute * max(1, expected.solutionNorm), relative: rel) {
            mismatches.append("final solution norm: expected \(HistoryComparison.show(expected.solutionNorm)), got \(HistoryComparison.show(got.solutionNorm))")
        }
    }

    static func show(_ v: Double?) -> String {
        guard let v else { return "absent" }
        return v.isNaN ? "NaN" : String(format: "%.12g", v)
    }

    static func short(_ v: Double) -> String { String(format: "%.2g", v) }

    static func row(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        return "    " + pad(a, 18) + pad(b, 22) + pad(c, 22) + pad(d, 10) + e
    }
}

extension GoldenHistory {
    /// Every metric key in the records except timing, in first-seen order.
    static func metricKeys(_ records: [IterationRecord]) -> [String] {
        var keys: [String] = []
        for r in records {
            for key in IterationRecord.standardKeys where r.value(forKey: key) != nil && !keys.contains(key) { keys.append(key) }
            for m in r.extras where !keys.contains(m.name) && !m.name.contains("seconds") && !m.name.contains("time") { keys.append(m.name) }
        }
        return keys
    }
}
