import LagrangeCore
import LinearAlgebra

/// Bound-constrained limited-memory BFGS: Byrd, Lu, Nocedal & Zhu, "A limited memory
/// algorithm for bound constrained optimization" (SIAM J. Sci. Comput. 16, 1995).
///
/// Each iteration, on the compact form B = θI − W M Wᵀ of the L-BFGS matrix (W = [Y θS],
/// M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹, §3):
/// 1. the generalized Cauchy point: the first local minimizer of the quadratic model along
///    the projected steepest-descent path x(t) = P(x − t∇f), segment by segment between
///    the breakpoints (Algorithm CP, §4);
/// 2. subspace minimization over the variables free at the Cauchy point (the direct primal
///    method, §5.1, with the Sherman–Morrison–Woodbury form of the reduced B), the step
///    cut back to stay inside the box;
/// 3. a line search along d = x̄ − x for the strong Wolfe conditions (c₁ = 1e-3, c₂ = 0.9, as
///    L-BFGS-B's dcsrch) on t ∈ (0, t_max], t_max the step to the box's edge along d (every
///    such point is feasible): a step that still descends steeply is extended ×4, so an
///    unbounded direction is followed geometrically, and a bracket is narrowed by safeguarded
///    cubic interpolation (Nocedal & Wright, Algorithms 3.5–3.6). The curvature condition is
///    what keeps sᵀy > 0 and the pairs informative; a backtracking (Armijo-only) search took
///    1.55× SciPy's evaluations on the MGH functions, 33× on a badly scaled one;
/// 4. the pair (s, y) is kept when sᵀy > ε·yᵀy, the oldest dropped beyond `memory`.
///
/// Converged when the projected gradient ‖P(x − ∇f) − x‖∞ ≤ tolerance·max(1, |f|) (or
/// ≤ tolerance, for callers that scale it themselves).
struct LBFGSBEngine {
    let lower: [Double]
    let upper: [Double]
    let memory: Int
    var n: Int { lower.count }

    /// f(x) and ∇f(x) into the gradient; the caller counts evaluations.
    typealias Function = (_ x: [Double], _ gradient: inout [Double]) -> Double

    enum Outcome: Equatable {
        case converged
        case stalled(String)
        /// f fell below −1e20 (the objective looks unbounded below on the box).
        case unbounded
        case nonFinite
        case limit(TerminationStatus)
        case iterationLimit
    }

    struct State {
        var x: [Double]
        var f: Double
        var gradient: [Double]
        var iterations = 0
        var evaluations = 0
    }

    /// ‖P(x − g) − x‖∞.
    func projectedGradientNorm(_ x: [Double], _ g: [Double]) -> Double {
        var norm = 0.0
        for i in 0..<n { norm = max(norm, abs(min(max(x[i] - g[i], lower[i]), upper[i]) - x[i])) }
        return norm
    }

    /// Minimizes from `start` (projected into the box). `iterate` is told each iterate and
    /// may stop the run with a status (limits, observers).
    func minimize(_ function: Function, start: [Double], tolerance: Double, relativeToF: Bool = true, maxIterations: Int,
                  iterate: (State, Double) -> TerminationStatus? = { _, _ in nil }) -> (State, Outcome) {
        var x = (0..<n).map { min(max(start[$0], lower[$0]), upper[$0]) }
        var g = Array(repeating: 0.0, count: n)
        var state = State(x: x, f: function(x, &g), gradient: g, evaluations: 1)
        guard state.f.isFinite, g.allSatisfy(\.isFinite) else { return (state, .nonFinite) }
        var sList: [[Double]] = [], yList: [[Double]] = []
        var theta = 1.0
        var stalls = 0
        while true {
            let pg = projectedGradientNorm(state.x, state.gradient)
            if let stop = iterate(state, pg) { return (state, .limit(stop)) }
            if pg <= tolerance * (relativeToF ? max(1, abs(state.f)) : 1) { return (state, .converged) }
            if state.f < -1e20 { return (state, .unbounded) }
            if state.iterations >= maxIterations { return (state, .iterationLimit) }
            x = state.x
            g = state.gradient
            let compact = CompactForm(s: sList, y: yList, theta: theta, n: n)
            var d = searchDirection(x: x, g: g, compact: compact)
            var slope = Vector.dot(g, d)
            if !(slope < 0) {
                // Rounding can spoil the model's direction: restart from projected steepest descent.
                sList.removeAll(); yList.removeAll(); theta = 1
                d = (0..<n).map { min(max(x[$0] - g[$0], lower[$0]), upper[$0]) - x[$0] }
                slope = Vector.dot(g, d)
                guard slope < 0 else { return (state, .stalled("no descent direction in the box")) }
            }
            // The first step (no curvature yet) is 1/‖d‖, later ones 1, as in L-BFGS-B; the
            // search may extrapolate up to the box's edge along d.
            let tMax = largestStep(x: x, d: d)
            let tInitial = min(sList.isEmpty ? 1 / max(Vector.norm2(d), 1e-300) : 1, tMax)
            guard let found = wolfeSearch(function, x: x, f: state.f, slope: slope, d: d, tInitial: tInitial, tMax: tMax,
                                          evaluations: &state.evaluations) else {
                if sList.isEmpty { return (state, .stalled("the line search found no decrease")) }
                sList.removeAll(); yList.removeAll(); theta = 1
                stalls += 1
                if stalls > 2 { return (state, .stalled("the line search found no decrease")) }
                continue
            }
            let (trial, fTrial, trialGradient) = (found.point, found.f, found.gradient)
            guard trialGradient.allSatisfy(\.isFinite) else { return (state, .nonFinite) }
            let s = (0..<n).map { trial[$0] - x[$0] }
            let y = (0..<n).map { trialGradient[$0] - g[$0] }
            let sy = Vector.dot(s, y), yy = Vector.dot(y, y)
            if sy > 2.2e-16 * yy, sy.isFinite, yy > 0 {
                if sList.count == memory { sList.removeFirst(); yList.removeFirst() }
                sList.append(s)
                yList.append(y)
                theta = yy / sy
            }
            let decrease = state.f - fTrial
            state.x = trial
            state.f = fTrial
            state.gradient = trialGradient
            state.iterations += 1
            // Progress below rounding several times in a row: the accuracy available is reached.
            stalls = decrease <= 1e-15 * max(1, abs(fTrial)) ? stalls + 1 : 0
            if stalls >= 5 { return (state, .stalled("f stopped decreasing (relative change below 1e-15)")) }
        }
    }

    /// The largest t with x + t·d inside the box (capped at 1e10, L-BFGS-B's "big").
    func largestStep(x: [Double], d: [Double]) -> Double {
        var t = 1e10
        for i in 0..<n {
            if d[i] > 0, upper[i] < .infinity { t = min(t, (upper[i] - x[i]) / d[i]) }
            if d[i] < 0, lower[i] > -.infinity { t = min(t, (lower[i] - x[i]) / d[i]) }
        }
        return max(t, 0)
    }

    struct LineSearchPoint {
        var t: Double
        var point: [Double]
        var f: Double
        var gradient: [Double]
        /// φ'(t) = ∇f(x + td)ᵀd.
        var slope: Double
    }

    /// A step t ∈ (0, tMax] along d with f(x + td) ≤ f + c₁·t·slope and |φ'(t)| ≤ c₂|slope|
    /// (or, where no such step is found within the evaluations allowed, the best step that
    /// meets the first condition); nil when none decreases f. Nocedal & Wright, Algorithms
    /// 3.5 (bracketing) and 3.6 (zoom) with safeguarded cubic interpolation.
    func wolfeSearch(_ function: Function, x: [Double], f f0: Double, slope slope0: Double, d: [Double], tInitial: Double,
                     tMax: Double, evaluations: inout Int) -> LineSearchPoint? {
        let c1 = 1e-3, c2 = 0.9
        var gradient = Array(repeating: 0.0, count: n)
        func evaluate(_ t: Double) -> LineSearchPoint {
            var point = x
            for i in 0..<n { point[i] = min(max(x[i] + t * d[i], lower[i]), upper[i]) }
            let f = function(point, &gradient)
            evaluations += 1
            let slope = f.isFinite && gradient.allSatisfy({ $0.isFinite }) ? Vector.dot(gradient, d) : .nan
            return LineSearchPoint(t: t, point: point, f: f, gradient: gradient, slope: slope)
        }
        func sufficient(_ p: LineSearchPoint) -> Bool { p.f.isFinite && p.slope.isFinite && p.f <= f0 + c1 * p.t * slope0 }
        func curvature(_ p: LineSearchPoint) -> Bool { abs(p.slope) <= -c2 * slope0 }
        /// The minimizer of the cubic through (a, φa, φ'a) and (b, φb, φ'b), kept inside the
        /// middle 80 % of [a, b]; the midpoint when the cubic has none.
        func interpolate(_ a: LineSearchPoint, _ b: LineSearchPoint) -> Double {
            let low = min(a.t, b.t), high = max(a.t, b.t), width = high - low
            var t = 0.5 * (a.t + b.t)
            if a.f.isFinite, b.f.isFinite, a.slope.isFinite, b.slope.isFinite {
                let d1 = a.slope + b.slope - 3 * (a.f - b.f) / (a.t - b.t)
                let radicand = d1 * d1 - a.slope * b.slope
                if radicand >= 0 {
                    let d2 = (b.t > a.t ? 1.0 : -1.0) * radicand.squareRoot()
                    let candidate = b.t - (b.t - a.t) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2)
                    if candidate.isFinite { t = candidate }
                }
            }
            return min(max(t, low + 0.1 * width), high - 0.1 * width)
        }
        func zoom(_ lowStart: LineSearchPoint, _ highStart: LineSearchPoint) -> LineSearchPoint? {
            var low = lowStart, high = highStart
            for _ in 0..<30 {
                if abs(high.t - low.t) <= 1e-16 * max(1, high.t) { break }
                let p = evaluate(interpolate(low, high))
                if !sufficient(p) || p.f >= low.f {
                    high = p
                } else {
                    if curvature(p) { return p }
                    if p.slope * (high.t - low.t) >= 0 { high = low }
                    low = p
                }
            }
            return low.t > 0 ? low : nil
        }
        var previous = LineSearchPoint(t: 0, point: x, f: f0, gradient: [], slope: slope0)
        var t = tInitial
        for expansion in 0..<60 {
            let p = evaluate(t)
            if !sufficient(p) || (expansion > 0 && p.f >= previous.f) { return zoom(previous, p) }
            if curvature(p) || t >= tMax || p.f < -1e20 { return p }
            if p.slope >= 0 { return zoom(p, previous) }
            previous = p
            t = min(4 * t, tMax)
        }
        return previous.t > 0 ? previous : nil
    }

    /// x̄ − x: the Cauchy point, then subspace minimization over its free variables.
    func searchDirection(x: [Double], g: [Double], compact: CompactForm) -> [Double] {
        let (cauchy, c) = cauchyPoint(x: x, g: g, compact: compact)
        let free = (0..<n).filter { cauchy[$0] > lower[$0] && cauchy[$0] < upper[$0] }
        var target = cauchy
        if !free.isEmpty {
            // Reduced gradient of the model at the Cauchy point: Zᵀ(g + θ(x_c − x) − W M c).
            let mc = compact.multiplyM(c)
            var reduced = free.map { i in g[i] + compact.theta * (cauchy[i] - x[i]) - compact.rowDot(i, mc) }
            // Reduced Newton step −B̂⁻¹r by Sherman–Morrison–Woodbury (§5.1).
            if compact.size > 0 {
                let k = compact.size
                var a = Array(repeating: 0.0, count: k * free.count)  // A = WᵀZ, k × |F|
                for (column, i) in free.enumerated() { for r in 0..<k { a[r * free.count + column] = compact.w[i * k + r] } }
                var ar = Array(repeating: 0.0, count: k)
                for r in 0..<k { for column in 0..<free.count { ar[r] += a[r * free.count + column] * reduced[column] } }
                var v = compact.multiplyM(ar)
                var aat = Array(repeating: 0.0, count: k * k)
                for p in 0..<k { for q in 0..<k {
                    var sum = 0.0
                    for column in 0..<free.count { sum += a[p * free.count + column] * a[q * free.count + column] }
                    aat[p * k + q] = sum
                } }
                // N = I − (1/θ) M A Aᵀ.
                var nMatrix = Array(repeating: 0.0, count: k * k)
                for p in 0..<k { for q in 0..<k {
                    var sum = 0.0
                    for r in 0..<k { sum += compact.m[p * k + r] * aat[r * k + q] }
                    nMatrix[p * k + q] = (p == q ? 1 : 0) - sum / compact.theta
                } }
                if let solved = CompactForm.solve(nMatrix, v, k) { v = solved } else { v = Array(repeating: 0, count: k) }
                for column in 0..<free.count {
                    var atv = 0.0
                    for r in 0..<k { atv += a[r * free.count + column] * v[r] }
                    reduced[column] = -reduced[column] / compact.theta - atv / (compact.theta * compact.theta)
                }
            } else {
                for column in 0..<free.count { reduced[column] = -reduced[column] / compact.theta }
            }
            // Cut the step back to the box (the original algorithm's backtracking).
            var alpha = 1.0
            for (column, i) in free.enumerated() {
                let step = reduced[column]
                if step > 0, upper[i] < .infinity { alpha = min(alpha, (upper[i] - cauchy[i]) / step) }
                if step < 0, lower[i] > -.infinity { alpha = min(alpha, (lower[i] - cauchy[i]) / step) }
            }
            alpha = max(0, alpha)
            for (column, i) in free.enumerated() { target[i] = cauchy[i] + alpha * reduced[column] }
        }
        return (0..<n).map { target[$0] - x[$0] }
    }

    /// The generalized Cauchy point and c = Wᵀ(x_c − x) (Algorithm CP).
    func cauchyPoint(x: [Double], g: [Double], compact: CompactForm) -> (point: [Double], c: [Double]) {
        let k = compact.size
        var breakpoints: [(t: Double, index: Int)] = []
        var d = Array(repeating: 0.0, count: n)
        var point = x
        for i in 0..<n {
            var t = Double.infinity
            if g[i] < 0, upper[i] < .infinity { t = (x[i] - upper[i]) / g[i] }
            else if g[i] > 0, lower[i] > -.infinity { t = (x[i] - lower[i]) / g[i] }
            if t > 0 {
                d[i] = -g[i]
                if t < .infinity { breakpoints.append((t, i)) }
            }
        }
        breakpoints.sort { $0.t < $1.t }
        var p = compact.transposeTimes(d)   // Wᵀd
        var c = Array(repeating: 0.0, count: k)
        var slope = -Vector.dot(d, d)
        var curvature = -compact.theta * slope - Vector.dot(p, compact.multiplyM(p))
        var tOld = 0.0
        var dtMin = curvature > 0 ? -slope / curvature : .infinity
        var next = 0
        while next < breakpoints.count {
            let (t, b) = breakpoints[next]
            let dt = t - tOld
            if dtMin < dt { break }
            // Variable b reaches its bound: it is fixed there from now on.
            point[b] = d[b] > 0 ? upper[b] : lower[b]
            let zb = point[b] - x[b]
            for r in 0..<k { c[r] += dt * p[r] }
            let gb = g[b]
            let wb = (0..<k).map { compact.w[b * k + $0] }
            let mc = compact.multiplyM(c), mp = compact.multiplyM(p), mw = compact.multiplyM(wb)
            slope += dt * curvature + gb * gb + compact.theta * gb * zb - gb * Vector.dot(wb, mc)
            curvature += -compact.theta * gb * gb - 2 * gb * Vector.dot(wb, mp) - gb * gb * Vector.dot(wb, mw)
            for r in 0..<k { p[r] += gb * wb[r] }
            d[b] = 0
            tOld = t
            next += 1
            if slope >= 0 { dtMin = 0; break }
            dtMin = curvature > 0 ? -slope / curvature : .infinity
        }
        if !dtMin.isFinite {
            // Unbounded model along the last segment: stop at the next breakpoint or a unit step.
            dtMin = next < breakpoints.count ? breakpoints[next].t - tOld : 1
        }
        dtMin = max(dtMin, 0)
        tOld += dtMin
        for i in 0..<n where d[i] != 0 { point[i] = min(max(x[i] + tOld * d[i], lower[i]), upper[i]) }
        for r in 0..<k { c[r] += dtMin * p[r] }
        return (point, c)
    }
}

/// B = θI − W M Wᵀ from the kept pairs (oldest first): W = [Y θS] (n × 2m, row-major) and
/// M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ with Lᵢⱼ = sᵢᵀyⱼ (i > j), D = diag(sᵢᵀyᵢ).
struct CompactForm {
    let theta: Double
    /// 2m.
    let size: Int
    let w: [Double]
    let m: [Double]

    init(s: [[Double]], y: [[Double]], theta: Double, n: Int) {
        self.theta = theta
        let pairs = s.count
        var size = 2 * pairs
        var w = Array(repeating: 0.0, count: n * size)
        for i in 0..<n {
            for j in 0..<pairs {
                w[i * size + j] = y[j][i]
                w[i * size + pairs + j] = theta * s[j][i]
            }
        }
        var inverse = Array(repeating: 0.0, count: size * size)
        for i in 0..<pairs {
            for j in 0..<pairs {
                let sy = Vector.dot(s[i], y[j])
                if i == j { inverse[i * size + j] = -sy }
                if i > j { inverse[(pairs + i) * size + j] = sy; inverse[j * size + pairs + i] = sy }  // L and Lᵀ
                inverse[(pairs + i) * size + pairs + j] = theta * Vector.dot(s[i], s[j])
            }
        }
        var m = Array(repeating: 0.0, count: size * size)
        var ok = pairs > 0
        for column in 0..<size where ok {
            var unit = Array(repeating: 0.0, count: size)
            unit[column] = 1
            guard let solved = Self.solve(inverse, unit, size) else { ok = false; break }
            for row in 0..<size { m[row * size + column] = solved[row] }
        }
        if !ok { size = 0; w = []; m = [] }
        self.size = size
        self.w = w
        self.m = m
    }

    func multiplyM(_ v: [Double]) -> [Double] {
        (0..<size).map { r in (0..<size).reduce(0.0) { $0 + m[r * size + $1] * v[$1] } }
    }

    /// Wᵀv.
    func transposeTimes(_ v: [Double]) -> [Double] {
        var out = Array(repeating: 0.0, count: size)
        guard size > 0 else { return out }
        for i in 0..<v.count where v[i] != 0 { for r in 0..<size { out[r] += w[i * size + r] * v[i] } }
        return out
    }

    /// (row i of W)·v.
    func rowDot(_ i: Int, _ v: [Double]) -> Double {
        var sum = 0.0
        for r in 0..<size { sum += w[i * size + r] * v[r] }
        return sum
    }

    /// Solves the dense k×k system by Gaussian elimination with partial pivoting.
    static func solve(_ a: [Double], _ b: [Double], _ k: Int) -> [Double]? {
        var a = a, b = b
        for column in 0..<k {
            var pivot = column
            for row in column..<k where abs(a[row * k + column]) > abs(a[pivot * k + column]) { pivot = row }
            guard abs(a[pivot * k + column]) > 1e-300, a[pivot * k + column].isFinite else { return nil }
            if pivot != column {
                for q in 0..<k { a.swapAt(pivot * k + q, column * k + q) }
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<k {
                let factor = a[row * k + column] / a[column * k + column]
                if factor == 0 { continue }
                for q in column..<k { a[row * k + q] -= factor * a[column * k + q] }
                b[row] -= factor * b[column]
            }
        }
        var x = Array(repeating: 0.0, count: k)
        for row in stride(from: k - 1, through: 0, by: -1) {
            var sum = b[row]
            for q in (row + 1)..<k { sum -= a[row * k + q] * x[q] }
            x[row] = sum / a[row * k + row]
        }
        return x
    }
}
