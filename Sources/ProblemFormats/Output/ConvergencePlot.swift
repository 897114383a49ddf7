import Foundation
import LagrangeCore

/// SVG convergence plots: one panel per metric, one line per solver run, against
/// iterations, seconds or function evaluations (``XAxis``), on a linear or log x axis.
/// A panel uses a log-scale y axis when its values are positive and span more than two
/// decades. Runs of several problems are drawn as small multiples: one row of panels per
/// problem, each with its own axes (problems differ by orders of magnitude in objective and
/// iterations), one colour per solver throughout. The output is plain SVG 1.1 that browsers
/// render as is.
public enum ConvergencePlot {
    /// One line on the chart.
    public struct Series {
        /// The legend text (usually the solver id).
        public var label: String
        /// The records to draw; panels show the metrics they carry.
        public var history: ConvergenceHistory
        /// The problem the run solved. Series naming more than one problem are drawn as small
        /// multiples (a row of panels per problem, `label` in the legend, usually the solver);
        /// nil: all series share the panels.
        public var problem: String?
        /// A series; `problem` nil puts it on the shared panels.
        public init(label: String, history: ConvergenceHistory, problem: String? = nil) {
            self.label = label
            self.history = history
            self.problem = problem
        }
    }

    /// What the x axis counts.
    public enum XAxis: String, Sendable, CaseIterable {
        /// The record's iteration (the node count of a branch-and-bound search, the epoch of
        /// a minibatch method).
        case iterations
        /// Seconds since the solve started.
        case seconds
        /// Cumulative objective evaluations: the `f_evals` extra that smooth and nonlinear
        /// solvers record; other solvers record none.
        case evaluations

        /// The history key holding the x value.
        public var key: String {
            switch self {
            case .iterations: "iteration"
            case .seconds: "seconds"
            case .evaluations: "f_evals"
            }
        }
    }

    /// The axis to draw for `requested`: itself, or iterations with a note naming the runs
    /// when `requested` is evaluations and some run records no evaluation count (an LP
    /// solver's history, say). One axis for the whole chart, so lines stay comparable.
    package static func resolvedXAxis(_ requested: XAxis, for series: [Series]) -> (axis: XAxis, note: String?) {
        guard requested == .evaluations else { return (requested, nil) }
        let without = series.filter { s in !s.history.records.contains { $0.value(forKey: requested.key) != nil } }
        guard !without.isEmpty else { return (requested, nil) }
        let names = without.map { s in s.problem.map { "\($0) · \(s.label)" } ?? s.label }
        let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
        return (.iterations, "no evaluation count (f_evals) in the history of \(shown); x axis: iterations")
    }

    /// Metrics tried, in order, after `objective` when choosing panels automatically.
    package static let residualMetrics = ["gap", "primal_residual", "dual_residual", "gradient_norm", "error", "max_kkt_violation"]

    /// The panel a mixed-integer search gets first: the incumbent (solid) and the best
    /// bound (dashed) on one axis, closing on each other, the picture every MIP solver
    /// user looks at. A panel name with `|` draws several metrics on one axis.
    package static let incumbentAndBound = "objective|best_bound"

    /// The learning panel: mean training loss (solid) and test loss (dashed), per epoch.
    package static let trainAndTestLoss = "train_loss|test_loss"

    /// The panels to draw: the objective (with the best bound, for a MIP search) plus up to
    /// two residual-like metrics present.
    package static func automaticMetrics(_ series: [Series]) -> [String] {
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
    ///
    /// - Parameters:
    ///   - metrics: the panels (history keys; `a|b` draws both on one axis). Default:
    ///     ``automaticMetrics(_:)``, chosen per problem for small multiples.
    ///   - x: what the x axis counts. Evaluations fall back to iterations as
    ///     ``resolvedXAxis(_:for:)`` says, and the note is printed under the title.
    ///   - logX: a log₁₀ x axis, ticks at powers of ten. Records at x ≤ 0 (iteration 0,
    ///     the start point) have no place on it and are left out, as in any log plot.
    public static func svg(_ series: [Series], title: String, metrics: [String]? = nil,
                           x requestedX: XAxis = .iterations, logX: Bool = false) -> String {
        let (xAxis, note) = resolvedXAxis(requestedX, for: series)
        let axes = Axes(x: xAxis, logX: logX)
        // One style per legend label, so a solver keeps its colour in every panel.
        var labels: [String] = []
        for s in series where !labels.contains(s.label) { labels.append(s.label) }
        let styles = series.map { s in labels.firstIndex(of: s.label) ?? 0 }
        let cells = layoutCells(series, metrics: metrics)
        let multiples = cells.count > 1
        let panelsPerCell = cells.map(\.metrics.count).max() ?? 0
        // Single problem: panels stacked, full width. Small multiples: a row per problem with
        // its panels side by side, or, with one panel each, three problems to a row.
        let columns = !multiples ? 1 : panelsPerCell == 1 ? min(3, cells.count) : panelsPerCell
        let left = 84.0, right = 24.0, gapX = 100.0
        let panelWidth = multiples ? 250.0 : 652, panelHeight = multiples ? 190.0 : 250
        let heading = multiples ? 22.0 : 0, gapY = multiples ? 50.0 : 56
        let width = left + Double(columns) * panelWidth + Double(columns - 1) * gapX + right
        let top = note == nil ? 48.0 : 66
        func place(cell c: Int, panel p: Int) -> (column: Int, row: Int) {
            !multiples ? (0, p) : panelsPerCell == 1 ? (c % columns, c / columns) : (p, c)
        }
        let rows = cells.indices.map { c in cells[c].metrics.indices.map { place(cell: c, panel: $0).row }.max() ?? place(cell: c, panel: 0).row }.max() ?? 0
        let rowPitch = heading + panelHeight + gapY
        let legendColumns = max(3, Int((width - left) / 240))
        let legendHeight = labels.count > 1 ? 22.0 * Double((labels.count + legendColumns - 1) / legendColumns) : 0
        let height = top + Double(rows + 1) * rowPitch + legendHeight + 16
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(PlotAxis.escape(title))</text>\n
        """
        if let note {
            svg += "<text x=\"\(width / 2)\" y=\"46\" text-anchor=\"middle\" fill=\"#666\">note: \(PlotAxis.escape(note))</text>\n"
        }
        if cells.allSatisfy({ $0.metrics.isEmpty }) {
            svg += "<text x=\"\(width / 2)\" y=\"\(top + 60)\" text-anchor=\"middle\">no history recorded</text>\n</svg>\n"
            return svg
        }
        for (c, cell) in cells.enumerated() {
            let members = cell.members.map { series[$0] }, memberStyles = cell.members.map { styles[$0] }
            // One x range per problem, so its panels line up.
            let xRange = axes.range(members)
            if let problem = cell.problem {
                let (column, row) = place(cell: c, panel: 0)
                let hx = left + Double(column) * (panelWidth + gapX), hy = top + Double(row) * rowPitch + 14
                let limit = Int(panelWidth * Double(cell.metrics.count) / 7.5)
                svg += "<text class=\"problem\" x=\"\(hx)\" y=\"\(hy)\" font-size=\"14\" font-weight=\"bold\"><title>\(PlotAxis.escape(problem))</title>\(PlotAxis.escape(shortened(problem, limit: limit)))</text>\n"
            }
            for (p, metric) in cell.metrics.enumerated() {
                let (column, row) = place(cell: c, panel: p)
                let px = left + Double(column) * (panelWidth + gapX), py = top + Double(row) * rowPitch + heading
                svg += panel(members, styles: memberStyles, metric: metric, axes: axes, xRange: xRange,
                             x: px, y: py, width: panelWidth, height: panelHeight)
            }
        }
        if labels.count > 1 {
            let ly = top + Double(rows + 1) * rowPitch + 4
            for (i, label) in labels.enumerated() {
                let lx = left + Double(i % legendColumns) * 220, row = ly + Double(i / legendColumns) * 22
                let (color, dash) = style(i)
                let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
                svg += "<line x1=\"\(lx)\" y1=\"\(row)\" x2=\"\(lx + 24)\" y2=\"\(row)\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dashAttribute)/>"
                svg += "<text x=\"\(lx + 30)\" y=\"\(row + 4)\"><title>\(PlotAxis.escape(label))</title>\(PlotAxis.escape(shortened(label)))</text>\n"
            }
        }
        svg += "</svg>\n"
        return svg
    }

    /// A group of panels: all series (one problem), or one problem's series.
    struct Cell {
        var problem: String?
        var members: [Int]
        var metrics: [String]
    }

    /// One cell for series of one problem; one per problem, in order of first appearance,
    /// for several.
    static func layoutCells(_ series: [Series], metrics: [String]?) -> [Cell] {
        var problems: [String] = []
        for s in series { if let p = s.problem, !problems.contains(p) { problems.append(p) } }
        guard problems.count > 1 else {
            return [Cell(problem: nil, members: Array(series.indices), metrics: metrics ?? automaticMetrics(series))]
        }
        // A series without a problem name is a problem of its own ("").
        if series.contains(where: { $0.problem == nil }) { problems.append("") }
        return problems.map { problem in
            let members = series.indices.filter { (series[$0].problem ?? "") == problem }
            let chosen = metrics ?? automaticMetrics(members.map { series[$0] })
            // A problem whose runs recorded nothing still gets its (empty) objective panel.
            return Cell(problem: problem, members: members, metrics: chosen.isEmpty ? ["objective"] : chosen)
        }
    }

    /// The x axis: what it counts and its scale.
    struct Axes {
        var x: XAxis
        var logX: Bool

        /// A record's position on the axis (log₁₀ units on a log axis), nil when it has none.
        func position(_ r: IterationRecord) -> Double? {
            guard let v = r.value(forKey: x.key), v.isFinite else { return nil }
            if logX { return v > 0 ? log10(v) : nil }
            return v
        }

        /// The range the series span, never empty.
        func range(_ series: [Series]) -> (Double, Double) {
            let positions = series.flatMap { $0.history.records.compactMap(position) }
            // A linear time axis starts when the solve did, at 0.
            let lo = x == .seconds && !logX ? min(0, positions.min() ?? 0) : positions.min() ?? 0, hi = positions.max() ?? 1
            guard hi > lo else { return (lo, lo + (logX ? 1 : x == .seconds ? max(abs(lo), 1e-3) : 1)) }
            return (lo, hi)
        }

        /// Counts are whole numbers: no tick at 2.5 iterations.
        var isCount: Bool { x != .seconds }

        func label(_ series: [Series]) -> String {
            let base: String
            switch x {
            case .iterations:
                // A branch-and-bound history counts nodes, a minibatch method epochs.
                base = series.contains { $0.history.extraKeys.contains("best_bound") } ? "nodes"
                    : series.contains { $0.history.extraKeys.contains("test_loss") } ? "epoch" : "iteration"
            case .seconds: base = "seconds"
            case .evaluations: base = "function evaluations"
            }
            return logX ? base + " (log scale)" : base
        }

        func ticks(_ lo: Double, _ hi: Double) -> [PlotAxis.Tick] {
            logX ? PlotAxis.logTicks(lo, hi).filter { !isCount || $0.position < 0 || pow(10, $0.position).isWholeAfterRounding }
                 : PlotAxis.linearTicks(lo, hi).filter { !isCount || $0.position == $0.position.rounded() }
        }
    }

    static func panel(_ series: [Series], styles: [Int], metric: String, axes: Axes, xRange: (Double, Double),
                      x: Double, y: Double, width: Double, height: Double) -> String {
        // One line per (series, metric); the second metric of a shared panel is dashed.
        let metrics = metric.split(separator: "|").map(String.init)
        let pairs = series.indices.flatMap { i in metrics.indices.map { (series: i, metric: $0) } }
        var lines: [[(Double, Double)]] = pairs.map { pair in
            series[pair.series].history.records.compactMap { r in
                guard let v = r.value(forKey: metrics[pair.metric]), v.isFinite, let position = axes.position(r) else { return nil }
                return (position, v)
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
        var out = "<g class=\"panel\">\n<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#444\"/>\n"
        let axisLabel = metrics.count == 1 ? metric.replacingOccurrences(of: "_", with: " ")
            : metrics.enumerated().map { "\($0.element.replacingOccurrences(of: "_", with: " ")) (\($0.offset == 0 ? "solid" : "dashed"))" }.joined(separator: ", ")
        out += "<text x=\"\(x - 62)\" y=\"\(y + height / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 \(x - 62) \(y + height / 2))\">\(PlotAxis.escape(axisLabel))</text>\n"
        out += "<text x=\"\(x + width / 2)\" y=\"\(y + height + 34)\" text-anchor=\"middle\">\(axes.label(series))</text>\n"
        guard !all.isEmpty else { return out + "<text x=\"\(x + width / 2)\" y=\"\(y + height / 2)\" text-anchor=\"middle\">no data</text>\n</g>\n" }
        let ys = all.map(\.1)
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
        // Grid and tick labels; light unlabelled lines at 2 … 9 × 10ᵏ on log axes.
        if axes.logX {
            for t in PlotAxis.logMinorPositions(xMin, xMax) {
                out += "<line x1=\"\(round2(px(t)))\" y1=\"\(y)\" x2=\"\(round2(px(t)))\" y2=\"\(y + height)\" stroke=\"#f3f3f3\"/>"
            }
        }
        if logScale {
            for t in PlotAxis.logMinorPositions(yLo, yHi) {
                let gy = round2(y + height - (t - yLo) / (yHi - yLo) * height)
                out += "<line x1=\"\(x)\" y1=\"\(gy)\" x2=\"\(x + width)\" y2=\"\(gy)\" stroke=\"#f3f3f3\"/>"
            }
        }
        out += "\n"
        for t in axes.ticks(xMin, xMax) {
            let gx = round2(px(t.position))
            guard gx >= x - 0.5, gx <= x + width + 0.5 else { continue }
            out += "<line x1=\"\(gx)\" y1=\"\(y)\" x2=\"\(gx)\" y2=\"\(y + height)\" stroke=\"#e5e5e5\"/>"
            out += "<text class=\"x-tick\" x=\"\(gx)\" y=\"\(y + height + 16)\" text-anchor=\"middle\">\(t.label)</text>\n"
        }
        let yTicks = logScale ? PlotAxis.logTicks(yLo, yHi) : PlotAxis.linearTicks(yLo, yHi)
        for t in yTicks {
            let gy = round2(y + height - (t.position - yLo) / (yHi - yLo) * height)
            guard gy >= y - 0.5, gy <= y + height + 0.5 else { continue }
            out += "<line x1=\"\(x)\" y1=\"\(gy)\" x2=\"\(x + width)\" y2=\"\(gy)\" stroke=\"#e5e5e5\"/>"
            out += "<text class=\"y-tick\" x=\"\(x - 6)\" y=\"\(gy + 4)\" text-anchor=\"end\">\(t.label)</text>\n"
        }
        if logScale { out += "<text x=\"\(x + width - 4)\" y=\"\(y + 14)\" text-anchor=\"end\" fill=\"#666\">log scale</text>\n" }
        for (k, points) in lines.enumerated() where !points.isEmpty {
            let (color, seriesDash) = style(styles[pairs[k].series])
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

}

private extension Double {
    /// Whether the value is a whole number up to rounding error (10^0.301… = 2).
    var isWholeAfterRounding: Bool { abs(self - rounded()) < 1e-9 * max(1, abs(self)) }
}
