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

/// Issue #21, the remaining plot items: the x axis, log x, small multiples, round ticks.
struct PlotAxesTests {
    /// The text of every `<text class="CLASS" …>…</text>` element.
    static func texts(_ svg: String, class name: String) -> [String] {
        svg.components(separatedBy: "<text class=\"\(name)\"").dropFirst().compactMap { part in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</text>") else { return nil }
            return String(part[part.index(after: open)..<close.lowerBound])
        }
    }

    /// Records at the given iterations, with f_evals = 3 × iteration when `evaluations`.
    static func history(iterations: [Int], evaluations: Bool = false) -> ConvergenceHistory {
        var h = ConvergenceHistory(storage: .all)
        for (k, i) in iterations.enumerated() {
            h.append(IterationRecord(iteration: i, seconds: Double(i) * 1e-3, objective: 100 / Double(k + 1), gradientNorm: pow(10, -Double(k)),
                                     extras: evaluations ? [Metric("f_evals", Double(3 * i))] : []))
        }
        return h
    }

    @Test("log x: an axis from 6 to 100 000 iterations has ticks at powers of ten, iteration 0 left out")
    func logXTicksArePowersOfTen() {
        let series = [ConvergencePlot.Series(label: "a", history: Self.history(iterations: [0, 6, 60, 600, 6000, 100_000]))]
        let svg = ConvergencePlot.svg(series, title: "t", x: .iterations, logX: true)
        let ticks = Self.texts(svg, class: "x-tick")
        #expect(!ticks.isEmpty)
        let powers = ["1", "10"] + (2...9).map { "10<tspan dy=\"-5\" font-size=\"9\">\($0)</tspan>" }
        #expect(ticks.allSatisfy(powers.contains), "\(ticks)")
        #expect(ticks.contains(powers[5]) && ticks.contains(powers[2]))
        #expect(svg.contains(">iteration (log scale)</text>"))
        // Iteration 0 has no place on a log axis: 5 points per line, not 6.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 * 5)
    }

    @Test("x axis: seconds and evaluations; evaluations without counts fall back to iterations with a note")
    func xAxisChoice() {
        let counted = [ConvergencePlot.Series(label: "bfgs", history: Self.history(iterations: [0, 1, 2, 3], evaluations: true))]
        #expect(ConvergencePlot.resolvedXAxis(.evaluations, for: counted).axis == .evaluations)
        let evaluations = ConvergencePlot.svg(counted, title: "t", x: .evaluations)
        #expect(evaluations.contains(">function evaluations</text>") && !evaluations.contains("note:"))
        // f_evals = 0, 3, 6, 9: the last point sits at the right edge, x = 3 × iteration.
        #expect(Self.texts(evaluations, class: "x-tick").contains("9") || Self.texts(evaluations, class: "x-tick").contains("8"))
        #expect(ConvergencePlot.svg(counted, title: "t", x: .seconds).contains(">seconds</text>"))

        let mixed = counted + [ConvergencePlot.Series(label: "simplex", history: Self.history(iterations: [0, 1, 2]))]
        let resolved = ConvergencePlot.resolvedXAxis(.evaluations, for: mixed)
        #expect(resolved.axis == .iterations)
        #expect(resolved.note?.contains("simplex") == true && resolved.note?.contains("bfgs") == false)
        let svg = ConvergencePlot.svg(mixed, title: "t", x: .evaluations)
        #expect(svg.contains("note: no evaluation count") && svg.contains(">iteration</text>"))
    }

    @Test("several problems: small multiples, one row of panels per problem, one legend entry per solver")
    func smallMultiples() {
        var series: [ConvergencePlot.Series] = []
        for problem in ["AFIRO", "KB2", "ADLITTLE"] {
            for solver in ["glpk.simplex", "native.ipm"] {
                series.append(.init(label: solver, history: Self.history(iterations: [0, 1, 2, 3]), problem: problem))
            }
        }
        let svg = ConvergencePlot.svg(series, title: "3 problems")
        #expect(Self.texts(svg, class: "problem").count == 3)
        for problem in ["AFIRO", "KB2", "ADLITTLE"] { #expect(svg.contains("</title>\(problem)</text>")) }
        // Objective and gradient norm for each problem: 6 panels, each with both solvers.
        #expect(svg.components(separatedBy: "<g class=\"panel\">").count - 1 == 6)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 12)
        // The legend names the solvers once each, not "problem · solver".
        #expect(svg.components(separatedBy: "<title>native.ipm</title>").count - 1 == 1)
        #expect(!svg.contains("·"))
        // One problem: no problem headings.
        let single = ConvergencePlot.svg(Array(series.prefix(2)), title: "AFIRO")
        #expect(Self.texts(single, class: "problem").isEmpty)
        #expect(single.components(separatedBy: "<g class=\"panel\">").count - 1 == 2)
    }

    @Test("linear ticks step by 1, 2 or 5 × 10ᵏ and print only the digits the step needs")
    func niceTicks() {
        for (lo, hi) in [(-0.4123, 1.1532), (-9.87, 10.03), (-1.54e-4, 3.2e-4), (0, 14), (1e6, 7.3e6), (8.213, 8.2131)] {
            let ticks = PlotAxis.linearTicks(lo, hi)
            #expect(ticks.count >= 3 && ticks.count <= 8, "\(lo)…\(hi): \(ticks.map(\.label))")
            let step = ticks[1].position - ticks[0].position
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
            for t in ticks {
                #expect(abs(t.position / step - (t.position / step).rounded()) < 1e-6 * max(1, abs(t.position / step)))
                #expect(t.label.count <= 7, "\(t.label)")
            }
        }
        #expect(PlotAxis.linearTicks(-0.4123, 1.1532, count: 6).map(\.label) == ["−0.4", "−0.2", "0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(PlotAxis.linearTicks(-1.54e-4, 3.2e-4).map(\.label) == ["−0.0001", "0", "0.0001", "0.0002", "0.0003"])
        #expect(PlotAxis.linearTicks(-3e-7, 6e-7).map(\.label) == ["−2e−7", "0", "2e−7", "4e−7", "6e−7"])
        #expect(PlotAxis.logTicks(0.2, 5.3).map(\.label) == ["10", "10<tspan dy=\"-5\" font-size=\"9\">2</tspan>",
                                                              "10<tspan dy=\"-5\" font-size=\"9\">3</tspan>", "10<tspan dy=\"-5\" font-size=\"9\">4</tspan>",
                                                              "10<tspan dy=\"-5\" font-size=\"9\">5</tspan>"])
        // Less than two decades: 2 and 5 × 10ᵏ join in.
        #expect(PlotAxis.logTicks(log10(3), log10(60)).map(\.label) == ["5", "10", "20", "50"])
    }
}
