import Foundation
import LagrangeCore

/// An SVG picture of a one-feature SVR fit: the training points (support vectors ringed),
/// the test points, the fitted function f and its ε-tube f ± ε.
public enum SVRPicture {
    /// The SVG document for a trained 1-D problem; throws when the data has more than one
    /// feature (there is no faithful 2-D picture then).
    ///
    /// - Parameters:
    ///   - problem: the problem as solved (its features may be scaled; the x axis shows
    ///     the original units).
    ///   - details: the solve's ``SVRDetails``.
    ///   - samples: points at which f is evaluated for the curve.
    public static func svg(problem: SVRProblem, details: SVRDetails, title: String? = nil, samples: Int = 400) throws(InputError) -> String {
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
        let padY = max(1e-12, (highY - lowY) * 0.05)
        let width = 760.0, height = 480.0, left = 70.0, right = 24.0, top = 48.0, bottom = 56.0
        let x0 = raw(lowX), x1 = raw(highX) == x0 ? x0 + 1 : raw(highX)
        let y0 = lowY - padY, y1 = highY + padY
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(escape(title ?? problem.name))</text>

        """
        // Axes with five ticks each.
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"#444\"/>\n"
        for k in 0...4 {
            let xv = x0 + (x1 - x0) * Double(k) / 4, yv = y0 + (y1 - y0) * Double(k) / 4
            svg += "<text x=\"\(f(px(xv)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(tick(xv))</text>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(yv) + 4))\" text-anchor=\"end\">\(tick(yv))</text>\n"
        }
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
        // Legend.
        let ly = height - 18
        svg += """

        <line x1="\(f(left))" y1="\(f(ly))" x2="\(f(left + 24))" y2="\(f(ly))" stroke="#1f77b4" stroke-width="2.5"/><text x="\(f(left + 30))" y="\(f(ly + 4))">f(x), tube ±ε = \(tick(epsilon))</text>
        <circle cx="\(f(left + 230))" cy="\(f(ly))" r="3" fill="#d62728" stroke="#7f0000"/><text x="\(f(left + 238))" y="\(f(ly + 4))">support vectors (\(support.count))</text>
        <circle cx="\(f(left + 400))" cy="\(f(ly))" r="3" fill="#888"/><text x="\(f(left + 408))" y="\(f(ly + 4))">other training points</text>
        <rect x="\(f(left + 560))" y="\(f(ly - 3))" width="6" height="6" fill="none" stroke="#2ca02c" stroke-width="1.5"/><text x="\(f(left + 572))" y="\(f(ly + 4))">test points</text>
        </svg>

        """
        return svg
    }

    static func tick(_ v: Double) -> String {
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e5) { return String(format: "%.2e", v) }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
