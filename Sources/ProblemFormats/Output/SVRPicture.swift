import Foundation
import LagrangeCore

/// An SVG picture of a one-feature SVR fit: the training points (support vectors ringed),
/// the test points (when there are any), the fitted function f and its ε-tube f ± ε, on
/// labelled axes with round 1-2-5 ticks.
public enum SVRPicture {
    /// The SVG document for a trained 1-D problem; throws when the data has more than one
    /// feature (there is no faithful 2-D picture then).
    ///
    /// - Parameters:
    ///   - problem: the problem as solved (its features may be scaled; the x axis shows
    ///     the original units).
    ///   - details: the solve's ``SVRDetails``.
    ///   - xLabel, yLabel: the axis titles, the feature's and the target's names where known.
    ///   - samples: points at which f is evaluated for the curve.
    public static func svg(problem: SVRProblem, details: SVRDetails, title: String? = nil,
                           xLabel: String = "x", yLabel: String = "y", samples: Int = 400) throws(InputError) -> String {
        guard problem.training.features.columns == 1 else {
            throw InputError("the SVR picture needs data with one feature; this data has \(problem.training.features.columns)")
        }
        let model = details.model
        let offset = problem.scaling?.offsets.first ?? 0, scale = problem.scaling?.scales.first ?? 1
        func raw(_ scaled: Double) -> Double { scaled * scale + offset }
        let trainX = problem.training.features.storage, trainY = problem.training.targets
        let testX = problem.test?.features.storage ?? [], testY = problem.test?.targets ?? []
        let allX = trainX + testX
        guard let lowX = allX.min(), let highX = allX.max() else { throw InputError("no data to draw") }
        let count = max(2, samples)
        var curveX: [Double] = [], curveY: [Double] = []
        for k in 0..<count {
            let x = lowX + (highX - lowX) * Double(k) / Double(count - 1)
            curveX.append(raw(x))
            curveY.append(model.predict(scaledRow: [x]))
        }
        let epsilon = problem.epsilon
        let ys = trainY + testY + curveY.map { $0 + epsilon } + curveY.map { $0 - epsilon }
        let lowY = ys.min() ?? 0, highY = ys.max() ?? 1
        let width = 760.0, height = 500.0, left = 78.0, right = 24.0, top = 48.0, bottom = 84.0
        // Data ranges padded by 3 % (points stay off the frame), a unit wide when flat.
        func padded(_ lo: Double, _ hi: Double) -> (Double, Double) {
            guard hi > lo else { return (lo - 0.5, hi + 0.5) }
            return (lo - (hi - lo) * 0.03, hi + (hi - lo) * 0.03)
        }
        let (x0, x1) = padded(min(raw(lowX), raw(highX)), max(raw(lowX), raw(highX)))
        let (y0, y1) = padded(lowY, highY)
        let plotRight = width - right, plotBottom = height - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (plotRight - left) }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * (plotBottom - top) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(PlotAxis.escape(title ?? problem.name))</text>

        """
        // Grid, round ticks and axis titles.
        for t in PlotAxis.linearTicks(x0, x1, count: 8) {
            svg += "<line x1=\"\(f(px(t.position)))\" y1=\"\(f(top))\" x2=\"\(f(px(t.position)))\" y2=\"\(f(plotBottom))\" stroke=\"#e5e5e5\"/>"
            svg += "<text class=\"x-tick\" x=\"\(f(px(t.position)))\" y=\"\(f(plotBottom + 18))\" text-anchor=\"middle\">\(t.label)</text>\n"
        }
        for t in PlotAxis.linearTicks(y0, y1, count: 6) {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(t.position)))\" x2=\"\(f(plotRight))\" y2=\"\(f(py(t.position)))\" stroke=\"#e5e5e5\"/>"
            svg += "<text class=\"y-tick\" x=\"\(f(left - 6))\" y=\"\(f(py(t.position) + 4))\" text-anchor=\"end\">\(t.label)</text>\n"
        }
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotRight - left))\" height=\"\(f(plotBottom - top))\" fill=\"none\" stroke=\"#444\"/>\n"
        svg += "<text class=\"x-label\" x=\"\(f((left + plotRight) / 2))\" y=\"\(f(plotBottom + 40))\" text-anchor=\"middle\">\(PlotAxis.escape(xLabel))</text>\n"
        let yMiddle = (top + plotBottom) / 2
        svg += "<text class=\"y-label\" x=\"\(f(left - 56))\" y=\"\(f(yMiddle))\" text-anchor=\"middle\" transform=\"rotate(-90 \(f(left - 56)) \(f(yMiddle)))\">\(PlotAxis.escape(yLabel))</text>\n"
        // The ε-tube as a band, then its edges and f.
        var band = ""
        for (x, y) in zip(curveX, curveY) { band += "\(f(px(x))),\(f(py(y + epsilon))) " }
        for (x, y) in zip(curveX, curveY).reversed() { band += "\(f(px(x))),\(f(py(y - epsilon))) " }
        svg += "<polygon points=\"\(band)\" fill=\"#1f77b4\" fill-opacity=\"0.12\" stroke=\"none\"/>\n"
        for shift in [epsilon, -epsilon] {
            let points = zip(curveX, curveY).map { "\(f(px($0.0))),\(f(py($0.1 + shift)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1f77b4\" stroke-dasharray=\"5,4\" stroke-width=\"1\"/>\n"
        }
        let curve = zip(curveX, curveY).map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(curve)\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\"/>\n"
        let support = Set(details.supportVectorIndices)
        for (i, (x, y)) in zip(trainX, trainY).enumerated() {
            let style = support.contains(i) ? "fill=\"#d62728\" stroke=\"#7f0000\"" : "fill=\"#888\" stroke=\"none\""
            svg += "<circle cx=\"\(f(px(raw(x))))\" cy=\"\(f(py(y)))\" r=\"3\" \(style)/>"
        }
        svg += "\n"
        for (x, y) in zip(testX, testY) {
            svg += "<rect x=\"\(f(px(raw(x)) - 3))\" y=\"\(f(py(y) - 3))\" width=\"6\" height=\"6\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\"/>"
        }
        // Legend, one entry after the other; test points only when there are any.
        let ly = height - 18
        var lx = left
        func entry(_ symbol: String, _ text: String) {
            svg += symbol + "<text x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">\(PlotAxis.escape(text))</text>\n"
            lx += 30 + 5.8 * Double(text.count) + 28
        }
        svg += "\n"
        entry("<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"#1f77b4\" stroke-width=\"2.5\"/>",
              "f(x), tube ±ε = \(TextSummary.format(epsilon))")
        entry("<circle cx=\"\(f(lx + 20))\" cy=\"\(f(ly))\" r=\"3\" fill=\"#d62728\" stroke=\"#7f0000\"/>", "support vectors (\(support.count))")
        entry("<circle cx=\"\(f(lx + 20))\" cy=\"\(f(ly))\" r=\"3\" fill=\"#888\"/>", "other training points")
        if !testX.isEmpty {
            entry("<rect x=\"\(f(lx + 17))\" y=\"\(f(ly - 3))\" width=\"6\" height=\"6\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\"/>", "test points (\(testX.count))")
        }
        return svg + "</svg>\n"
    }
}
