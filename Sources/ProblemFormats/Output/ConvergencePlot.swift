import Foundation
import LagrangeCore

/// SVG convergence plots: one panel per metric, iteration on x, one line per solver run.
/// A panel uses a log-scale y axis when its values are positive and span more than two
/// decades. The output is plain SVG 1.1 that browsers render as is.
public enum ConvergencePlot {
    /// One line on the chart.
    public struct Series {
        public var label: String
        public var history: ConvergenceHistory
        public init(label: String, history: ConvergenceHistory) {
            self.label = label
            self.history = history
        }
    }

    /// Metrics tried, in order, after `objective` when choosing panels automatically.
    public static let residualMetrics = ["gap", "primal_residual", "dual_residual", "gradient_norm", "error", "max_kkt_violation"]

    /// The panel a mixed-integer search gets first: the incumbent (solid) and the best
    /// bound (dashed) on one axis, closing on each other, the picture every MIP solver
    /// user looks at. A panel name with `|` draws several metrics on one axis.
    public static let incumbentAndBound = "objective|best_bound"

    /// The learning panel: mean training loss (solid) and test loss (dashed), per epoch.
    public static let trainAndTestLoss = "train_loss|test_loss"

    /// The panels to draw: the objective (with the best bound, for a MIP search) plus up to
    /// two residual-like metrics present.
    public static func automaticMetrics(_ series: [Series]) -> [String] {
        // A metric with a single point in every run draws no line: no panel for it.
        func present(_ key: String) -> Bool {
            series.contains { s in s.history.records.lazy.filter { $0.value(forKey: key)?.isFinite == true }.prefix(2).count == 2 }
        }
        // Learning: training and test loss per epoch on one panel, the picture of fast
        // start and oscillating finish.
        if present("test_loss") { return [trainAndTestLoss] + residualMetrics.filter(present).prefix(1) }
        var metrics: [String] = present("objective") ? [present("best_bound") ? incumbentAndBound : "objective"] : []
        metrics += residualMetrics.filter(present).prefix(2)
        if metrics.isEmpty, let first = series.first?.history.extraKeys.first { metrics = [first] }
        return metrics
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    /// Line patterns, changed each time the palette comes round again, so 30 series stay
    /// distinguishable (colour × pattern).
    static let patterns = ["", "7 3", "2 3", "9 3 2 3"]

    /// The colour and dash pattern of series `i`.
    package static func style(_ i: Int) -> (color: String, dash: String) {
        (palette[i % palette.count], patterns[(i / palette.count) % patterns.count])
    }

    /// A legend label of at most `limit` characters (middle elided), so it never runs off.
    static func shortened(_ label: String, limit: Int = 30) -> String {
        guard label.count > limit else { return label }
        let keep = (limit - 1) / 2
        return String(label.prefix(keep)) + "…" + String(label.suffix(limit - 1 - keep))
    }

    /// The SVG document.
    public static func svg(_ series: [Series], title: String, metrics: [String]? = nil) -> String {
        let panels = metrics ?? automaticMetrics(series)
        let width = 760.0, panelHeight = 250.0, top = 48.0, left = 84.0, right = 24.0, gapBetween = 56.0
        let legendHeight = series.count > 1 ? 22.0 * Double((series.count + 2) / 3) : 0
        let height = top + Double(max(1, panels.count)) * (panelHeight + gapBetween) + legendHeight + 16
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(escape(title))</text>\n
        """
        if panels.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"\(top + 60)\" text-anchor=\"middle\">no history recorded</text>\n</svg>\n"
            return svg
        }
        // One iteration range for every panel, so panels line up.
        let iterations = series.flatMap { $0.history.records.map { Double($0.iteration) } }
        let xRange = (iterations.min() ?? 0, max(iterations.max() ?? 1, (iterations.min() ?? 0) + 1))
        for (p, metric) in panels.enumerated() {
            let y0 = top + Double(p) * (panelHeight + gapBetween)
            svg += panel(series, metric: metric, xRange: xRange, x: left, y: y0, width: width - left - right, height: panelHeight)
        }
        if series.count > 1 {
            let ly = top + Double(panels.count) * (panelHeight + gapBetween) + 4
            for (i, s) in series.enumerated() {
                let lx = left + Double(i % 3) * 220, row = ly + Double(i / 3) * 22
                let (color, dash) = style(i)
                let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
                svg += "<line x1=\"\(lx)\" y1=\"\(row)\" x2=\"\(lx + 24)\" y2=\"\(row)\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dashAttribute)/>"
                svg += "<text x=\"\(lx + 30)\" y=\"\(row + 4)\"><title>\(escape(s.label))</title>\(escape(shortened(s.label)))</text>\n"
            }
        }
        svg += "</svg>\n"
        return svg
    }

    static func panel(_ series: [Series], metric: String, xRange: (Double, Double), x: Double, y: Double, width: Double, height: Double) -> String {
        // One line per (series, metric); the second metric of a shared panel is dashed.
        let metrics = metric.split(separator: "|").map(String.init)
        let pairs = series.indices.flatMap { i in metrics.indices.map { (series: i, metric: $0) } }
        var lines: [[(Double, Double)]] = pairs.map { pair in
            series[pair.series].history.records.compactMap { r in
                guard let v = r.value(forKey: metrics[pair.metric]), v.isFinite else { return nil }
                return (Double(r.iteration), v)
            }
        }
        // Non-negative metrics that reach exactly zero are drawn on a log axis without
        // their zeros (a residual of 0 has no place on it). That includes an objective
        // converging to 0 (Newton hitting f = 0 next to methods at 1e-20); objectives with
        // negative values stay linear.
        let values = lines.flatMap { $0.map(\.1) }
        let positives = values.filter { $0 > 0 }
        if values.allSatisfy({ $0 >= 0 }), positives.count >= 2, positives.count < values.count,
           (positives.max() ?? 1) / (positives.min() ?? 1) > 100 || values.contains(0) {
            lines = lines.map { $0.filter { $0.1 > 0 } }
        }
        let all = lines.flatMap { $0 }
        var out = "<g>\n<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#444\"/>\n"
        // A branch-and-bound history counts nodes, not iterations.
        let xLabel = series.contains { $0.history.extraKeys.contains("best_bound") } ? "nodes"
            : series.contains { $0.history.extraKeys.contains("test_loss") } ? "epoch" : "iteration"
        let axisLabel = metrics.count == 1 ? metric.replacingOccurrences(of: "_", with: " ")
            : metrics.enumerated().map { "\($0.element.replacingOccurrences(of: "_", with: " ")) (\($0.offset == 0 ? "solid" : "dashed"))" }.joined(separator: ", ")
        out += "<text x=\"\(x - 62)\" y=\"\(y + height / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 \(x - 62) \(y + height / 2))\">\(escape(axisLabel))</text>\n"
        out += "<text x=\"\(x + width / 2)\" y=\"\(y + height + 34)\" text-anchor=\"middle\">\(xLabel)</text>\n"
        guard !all.isEmpty else { return out + "<text x=\"\(x + width / 2)\" y=\"\(y + height / 2)\" text-anchor=\"middle\">no data</text>\n</g>\n" }
        let xs = all.map(\.0), ys = all.map(\.1)
        _ = xs
        let (xMin, xMax) = xRange
        let positive = ys.allSatisfy { $0 > 0 }
        let logScale = positive && (ys.max() ?? 1) / (ys.min() ?? 1) > 100
        let transform: (Double) -> Double = logScale ? { log10($0) } : { $0 }
        var yLo = transform(ys.min() ?? 0), yHi = transform(ys.max() ?? 1)
        if yHi - yLo < 1e-12 * max(1, abs(yHi)) { yLo -= max(0.5, abs(yLo) * 0.1); yHi += max(0.5, abs(yHi) * 0.1) }
        let pad = (yHi - yLo) * 0.05
        yLo -= pad; yHi += pad
        func px(_ v: Double) -> Double { x + (v - xMin) / (xMax - xMin) * width }
        func py(_ v: Double) -> Double { y + height - (transform(v) - yLo) / (yHi - yLo) * height }
        // Grid and tick labels.
        // Iterations and nodes are whole numbers: no tick at 2.5.
        for t in niceTicks(xMin, xMax) where t == t.rounded() {
            let gx = px(t)
            out += "<line x1=\"\(gx)\" y1=\"\(y)\" x2=\"\(gx)\" y2=\"\(y + height)\" stroke=\"#e5e5e5\"/>"
            out += "<text x=\"\(gx)\" y=\"\(y + height + 16)\" text-anchor=\"middle\">\(tickLabel(t))</text>\n"
        }
        let yTicks: [Double] = logScale
            ? decadeTicks(yLo, yHi)
            : niceTicks(yLo, yHi)
        for t in yTicks {
            let gy = y + height - (t - yLo) / (yHi - yLo) * height
            guard gy >= y - 0.5, gy <= y + height + 0.5 else { continue }
            out += "<line x1=\"\(x)\" y1=\"\(gy)\" x2=\"\(x + width)\" y2=\"\(gy)\" stroke=\"#e5e5e5\"/>"
            let label = logScale ? "1e\(Int(t.rounded()))" : tickLabel(t)
            out += "<text x=\"\(x - 6)\" y=\"\(gy + 4)\" text-anchor=\"end\">\(label)</text>\n"
        }
        if logScale { out += "<text x=\"\(x + width - 4)\" y=\"\(y + 14)\" text-anchor=\"end\" fill=\"#666\">log scale</text>\n" }
        for (k, points) in lines.enumerated() where !points.isEmpty {
            let (color, seriesDash) = style(pairs[k].series)
            let pattern = pairs[k].metric > 0 ? "6 4" : seriesDash
            let dash = pattern.isEmpty ? "" : " stroke-dasharray=\"\(pattern)\""
            let path = points.map { "\(round2(px($0.0))),\(round2(py($0.1)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(path)\"/>\n"
            if points.count <= 60 {
                for p in points { out += "<circle cx=\"\(round2(px(p.0)))\" cy=\"\(round2(py(p.1)))\" r=\"2.5\" fill=\"\(color)\"/>" }
                out += "\n"
            }
        }
        return out + "</g>\n"
    }

    static func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    /// About five round-numbered ticks covering [lo, hi].
    static func niceTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var t = ceil(lo / step) * step
        var ticks: [Double] = []
        while t <= hi + step * 1e-9 && ticks.count < 50 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    /// Integer decades within [lo, hi] (in log10 units), thinned to at most ~8.
    static func decadeTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let first = Int(ceil(lo)), last = Int(floor(hi))
        guard first <= last else { return [(lo + hi) / 2] }
        let stride = max(1, (last - first) / 8 + 1)
        return Swift.stride(from: first, through: last, by: stride).map(Double.init)
    }

    static func tickLabel(_ v: Double) -> String {
        let a = abs(v)
        if a != 0 && (a >= 1e6 || a < 1e-3) { return TextSummary.format(v) }
        return TextSummary.format((v * 1e6).rounded() / 1e6)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
