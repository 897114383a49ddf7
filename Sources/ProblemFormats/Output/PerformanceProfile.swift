import Foundation

/// A Dolan–Moré performance profile (Math. Programming 91, 2002): for each solver s and
/// problem p, the ratio r = t(p, s) / minₛ t(p, s) of its time to the best time on p (∞ when
/// s did not solve p); the curve ρₛ(τ) = fraction of problems with r ≤ τ, on a log₂ τ axis.
/// ρₛ(1) is how often s was fastest, ρₛ(∞) how often it solved the problem at all.
package enum PerformanceProfile {
    /// The curves: for each solver, the sorted finite ratios (one per solved problem) and the
    /// number of problems. `times[p][s]` is nil when solver s did not solve problem p.
    package static func ratios(_ times: [[Double?]], solverCount: Int) -> [[Double]] {
        var out = Array(repeating: [Double](), count: solverCount)
        for row in times {
            // A floor keeps a 0-second run from making every other ratio infinite.
            let solved = row.compactMap { $0 }.map { max($0, 1e-6) }
            guard let best = solved.min() else { continue }
            for (s, t) in row.enumerated() where s < solverCount {
                if let t { out[s].append(max(t, 1e-6) / best) }
            }
        }
        return out.map { $0.sorted() }
    }

    /// The SVG: one step curve per solver (ρ against log₂ τ), legend below.
    package static func svg(solvers: [String], times: [[Double?]], title: String) -> String {
        let ratios = ratios(times, solverCount: solvers.count)
        let problems = Double(max(1, times.count))
        let largest = ratios.flatMap { $0 }.max() ?? 1
        let tauMax = max(1, ceil(log2(max(largest, 1)) + 0.25))
        let width = 760.0, height = 430.0, left = 70.0, right = 24.0, top = 48.0, plotHeight = 280.0
        let plotWidth = width - left - right
        let legendRows = Double((solvers.count + 1) / 2)
        let total = top + plotHeight + 56 + 22 * legendRows + 10
        func px(_ log2Tau: Double) -> Double { left + log2Tau / tauMax * plotWidth }
        func py(_ rho: Double) -> Double { top + plotHeight - rho * plotHeight }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(max(height, total)))" viewBox="0 0 \(Int(width)) \(Int(max(height, total)))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="26" text-anchor="middle" font-size="16" font-weight="bold">\(PlotAxis.escape(title))</text>
        <rect x="\(left)" y="\(top)" width="\(plotWidth)" height="\(plotHeight)" fill="none" stroke="#444"/>\n
        """
        for rho in stride(from: 0.0, through: 1.0001, by: 0.2) {
            let y = ConvergencePlot.round2(py(rho))
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(String(format: "%.1f", rho))</text>\n"
        }
        let step = max(1, Int(tauMax) / 8)
        for k in Swift.stride(from: 0, through: Int(tauMax), by: step) {
            let x = ConvergencePlot.round2(px(Double(k)))
            svg += "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(top + plotHeight)\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(x)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(1 << k)</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(top + plotHeight + 36)\" text-anchor=\"middle\">τ: time within a factor τ of the fastest (log₂ scale)</text>\n"
        svg += "<text x=\"\(left - 46)\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 \(left - 46) \(top + plotHeight / 2))\">fraction of \(Int(problems)) problems solved</text>\n"
        for (s, sorted) in ratios.enumerated() {
            let (color, dash) = ConvergencePlot.style(s)
            // A step function: ρ jumps by 1/P at each ratio, flat to the right edge.
            var points = [(px(0), py(0))]
            var count = 0.0
            for r in sorted {
                let x = px(log2(r))
                points.append((x, py(count / problems)))
                count += 1
                points.append((x, py(count / problems)))
            }
            points.append((px(tauMax), py(count / problems)))
            let path = points.map { "\(ConvergencePlot.round2($0.0)),\(ConvergencePlot.round2($0.1))" }.joined(separator: " ")
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute) points=\"\(path)\"/>\n"
        }
        let legendTop = top + plotHeight + 58
        for (s, name) in solvers.enumerated() {
            let (color, dash) = ConvergencePlot.style(s)
            let lx = left + Double(s % 2) * 340, ly = legendTop + Double(s / 2) * 22
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let solved = ratios[s].count
            svg += "<line x1=\"\(lx)\" y1=\"\(ly)\" x2=\"\(lx + 24)\" y2=\"\(ly)\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dashAttribute)/>"
            svg += "<text x=\"\(lx + 30)\" y=\"\(ly + 4)\"><title>\(PlotAxis.escape(name))</title>\(PlotAxis.escape(ConvergencePlot.shortened(name, limit: 38))) (\(solved)/\(Int(problems)))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
