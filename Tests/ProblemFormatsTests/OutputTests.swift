import LagrangeCore
import ProblemFormats
import Testing

@Suite struct OutputTests {
    @Test func jsonIsDeterministicAndEscaped() {
        let v: JSONValue = .object(["b": .number(0.1), "a": .array([.integer(1), .null, .bool(true)]),
                                    "s": .string("q\"\\\n\u{1}"), "inf": .number(.infinity), "i": .number(3)])
        #expect(v.serialized() == #"{"a":[1,null,true],"b":0.1,"i":3,"inf":null,"s":"q\"\\\n\u0001"}"#)
    }

    func sampleResult() -> SolveResult {
        var r = SolveResult(kind: .lp, status: .optimal, rawStatus: "OPT", objective: 2, variableNames: ["x1", "x2"],
                            primal: [0, 2], constraintNames: ["c"], duals: [0.5], reducedCosts: [0.5, 0], iterations: 3)
        r.problemName = "seed"
        r.solverID = "glpk.simplex"
        var h = ConvergenceHistory(storage: .all)
        h.append(IterationRecord(iteration: 0, seconds: 0.001, objective: 4, primalResidual: 1))
        h.append(IterationRecord(iteration: 1, seconds: 0.002, objective: 2, extras: [Metric("mu", 1e-9)]))
        r.history = h
        return r
    }

    @Test func resultJSONHasTheContractFields() {
        let json = sampleResult().jsonValue()
        guard case .object(let o) = json else { Issue.record("not an object"); return }
        for key in ["problem", "kind", "solver", "status", "objective", "iterations", "seconds", "seed", "solution", "history", "duals", "reduced_costs"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        #expect(o["duals"] == .object(["c": .number(0.5)]))
        #expect(o["status"] == .string("optimal"))
        #expect(json.serialized().contains(#""history":[{"iteration":0,"objective":4,"primal_residual":1,"seconds":0.001},{"iteration":1,"mu":1e-09,"objective":2,"seconds":0.002}]"#))
    }

    @Test("the CLI's fields (file, expectations) are added by the one encoder, not patched in (issue #23)")
    func fileAndExpectationsGoThroughTheEncoder() {
        let claims = [ExpectationOutcome(name: "objective", met: true, detail: "2 vs 2"), ExpectationOutcome(name: "status", met: false, detail: "x")]
        let json = sampleResult().jsonValue(file: "lp/seed.yaml", expectations: claims)
        guard case .object(var o) = json, case .object(let plain) = sampleResult().jsonValue() else { Issue.record("not an object"); return }
        #expect(o["file"] == .string("lp/seed.yaml"))
        #expect(o["expectations"]?.serialized() == #"[{"detail":"2 vs 2","met":true,"name":"objective"},{"detail":"x","met":false,"name":"status"}]"#)
        o["file"] = nil
        o["expectations"] = nil
        #expect(o == plain)
        // No claims, no key.
        guard case .object(let bare) = sampleResult().jsonValue(file: "a.mps") else { return }
        #expect(bare["expectations"] == nil && bare["file"] == .string("a.mps"))
    }

    @Test("a file without a result (an error, not started) is a JSON line from the same encoder")
    func fileLineWithoutAResult() {
        #expect(ResultJSON.fileLine(file: "a.yaml", status: "error", message: "error: a.yaml: bad", problem: "p", solver: "native.ipm").serialized()
                == #"{"file":"a.yaml","message":"error: a.yaml: bad","problem":"p","solver":"native.ipm","status":"error"}"#)
        #expect(ResultJSON.fileLine(file: "-", status: "interrupted", message: "m").serialized() == #"{"file":"-","message":"m","status":"interrupted"}"#)
    }

    @Test func historyCSVHasStableColumns() {
        let csv = HistoryCSV.write(sampleResult().history)
        #expect(csv == "iteration,seconds,objective,primal_residual,mu\n0,0.001,4,1,\n1,0.002,2,,1e-09\n")
    }

    @Test func plotIsSVGWithLogScaleWhenSpanningDecades() {
        var h = ConvergenceHistory(storage: .all)
        for k in 0..<20 { h.append(IterationRecord(iteration: k, objective: 10 - Double(k) * 0.1, gap: pow10(-Double(k) / 2))) }
        let svg = ConvergencePlot.svg([.init(label: "a", history: h), .init(label: "b", history: h)], title: "t <1>")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("log scale"))
        #expect(svg.contains("t &lt;1&gt;"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4) // 2 panels × 2 series
    }

    @Test func numbersPrintReadably() {
        #expect(TextSummary.format(2) == "2")
        #expect(TextSummary.format(-464.7531428571429) == "-464.7531429")
        #expect(TextSummary.format(0.1 + 0.2) == "0.3")
        #expect(TextSummary.format(1.5e-9) == "1.5e-9")
        #expect(TextSummary.format(.infinity) == "inf")
    }
}

private func pow10(_ e: Double) -> Double { Double("1e\(Int(e))")! * (e == e.rounded() ? 1 : 3.1622776601683795) }

import Foundation

/// Plots a scientist would publish (issue #21, first items).
struct PlotReadabilityTests {
    static func history(_ values: [Double], extra: Double? = nil) -> ConvergenceHistory {
        var h = ConvergenceHistory(storage: .all)
        for (k, v) in values.enumerated() {
            h.append(IterationRecord(iteration: k, objective: v, gap: k == 0 ? extra : nil))
        }
        return h
    }

    @Test("series beyond the palette get line patterns; long legend labels are shortened")
    func manySeriesStayDistinguishable() {
        let series = (0..<12).map { ConvergencePlot.Series(label: "problem \($0) with a rather long descriptive name", history: Self.history([3, 2, 1])) }
        let svg = ConvergencePlot.svg(series, title: "t")
        let styles = Set((0..<12).map { ConvergencePlot.style($0).color + "/" + ConvergencePlot.style($0).dash })
        #expect(styles.count == 12)
        #expect(svg.contains("stroke-dasharray=\"7 3\""))
        // The visible label is shortened; the full one stays as the tooltip.
        #expect(svg.contains("</title>problem 0 with…"))
        #expect(svg.contains("<title>problem 0 with a rather long descriptive name</title>"))
    }

    @Test("a metric with one point is not a panel; iteration ticks are whole numbers")
    func singlePointPanelsAndIntegerTicks() {
        let series = [ConvergencePlot.Series(label: "a", history: Self.history([300, 200, 100], extra: 0.5))]
        #expect(ConvergencePlot.automaticMetrics(series) == ["objective"])
        let svg = ConvergencePlot.svg(series, title: "t")
        #expect(!svg.contains(">0.5</text>") && !svg.contains(">1.5</text>"))
    }
}
