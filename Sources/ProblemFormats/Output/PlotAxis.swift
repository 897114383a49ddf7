import Foundation

/// Ticks and tick labels shared by the SVG charts (convergence plots, the SVR picture):
/// round steps of 1, 2 or 5 × 10ᵏ on a linear axis, printed with the digits the step needs
/// (no 8.213, no −1.54e-04), and powers of ten on a log axis.
package enum PlotAxis {
    /// A tick: its position in axis units (log₁₀ units on a log axis) and its label as SVG
    /// text content (a power of ten carries its exponent as a superscript `tspan`).
    package struct Tick: Equatable {
        package var position: Double
        package var label: String
    }

    /// About `count` ticks covering [lo, hi] at a step of 1, 2 or 5 × 10ᵏ.
    package static func linearTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Tick] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return lo.isFinite ? [Tick(position: lo, label: plain(lo))] : [] }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        // The 1, 2 or 5 × 10ᵏ step whose tick count is nearest `count`.
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(span / $0 - Double(count)) < abs(span / $1 - Double(count)) } ?? magnitude
        var ticks: [Tick] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + step * 1e-9 && ticks.count < 50 {
            let t = k == 0 ? 0 : k * step
            ticks.append(Tick(position: t, label: label(t, step: step)))
            k += 1
        }
        return ticks
    }

    /// Ticks of a log axis over [lo, hi] in log₁₀ units: the powers of ten inside (thinned to
    /// at most about 8), with 2 and 5 × 10ᵏ added when fewer than two decades are inside.
    package static func logTicks(_ lo: Double, _ hi: Double) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi >= lo else { return [] }
        let first = Int(ceil(lo - 1e-9)), last = Int(floor(hi + 1e-9))
        // Thinned to multiples of the stride, so 1 = 10⁰ stays a tick whenever it is inside.
        let stride = max(1, (last - first) / 8 + 1)
        let aligned = Int((Double(first) / Double(stride)).rounded(.up)) * stride
        var ticks = aligned <= last
            ? Swift.stride(from: aligned, through: last, by: stride).map { Tick(position: Double($0), label: power(of: $0)) }
            : []
        if ticks.count < 2 {
            for k in (first - 1)...last {
                for m in [2.0, 5.0] {
                    let position = Double(k) + log10(m)
                    guard position >= lo - 1e-9, position <= hi + 1e-9 else { continue }
                    ticks.append(Tick(position: position, label: plain(m * pow(10, Double(k)))))
                }
            }
            ticks.sort { $0.position < $1.position }
        }
        return ticks
    }

    /// The unlabelled 2 … 9 × 10ᵏ positions of a log axis over [lo, hi] (log₁₀ units), for
    /// light grid lines; empty beyond six decades, where they would only add clutter.
    package static func logMinorPositions(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi - lo <= 6 else { return [] }
        var out: [Double] = []
        for k in Int(floor(lo))...Int(ceil(hi)) {
            for m in 2...9 {
                let position = Double(k) + log10(Double(m))
                if position > lo, position < hi { out.append(position) }
            }
        }
        return out
    }

    /// 10ᵏ as SVG text: `1` and `10` plainly, otherwise 10 with a superscript exponent.
    package static func power(of k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "10<tspan dy=\"-5\" font-size=\"9\">\(k < 0 ? "−" : "")\(abs(k))</tspan>"
        }
    }

    /// A tick value printed with the decimals its step needs, in scientific notation only for
    /// very large or very small values.
    package static func label(_ v: Double, step: Double) -> String {
        let rounded = (v / step).rounded() * step
        let magnitude = max(abs(rounded), step)
        if magnitude >= 1e6 || magnitude < 1e-4 {
            // Mantissa digits: enough to tell neighbouring ticks apart.
            let exponent = Int(floor(log10(magnitude)))
            let digits = max(0, exponent - Int(floor(log10(step))))
            let mantissa = rounded / pow(10, Double(exponent))
            return rounded == 0 ? "0" : trimmed(String(format: "%.\(digits)f", mantissa)) + "e" + (exponent < 0 ? "−" : "") + "\(abs(exponent))"
        }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return trimmed(String(format: "%.\(decimals)f", rounded))
    }

    static func plain(_ v: Double) -> String {
        guard v != 0, v.isFinite else { return v.isFinite ? "0" : "\(v)" }
        return label(v, step: pow(10, floor(log10(abs(v)))))
    }

    /// "-0" → "0"; trailing zeros after a decimal point removed; a minus sign as U+2212.
    static func trimmed(_ s: String) -> String {
        var s = s
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { return "0" }
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    /// Text made safe for SVG content and attribute values.
    package static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
