import Foundation
import LagrangeCore
import LinearAlgebra

/// `native.newton`: solve (H + τI)Δx = −∇f with τ = 0 when the Hessian H is positive definite,
/// else the smallest τ found by doubling from max(β_H, −min Hᵢᵢ + β_H), β_H = 1e-3·max(1, max|Hᵢᵢ|),
/// that makes the Cholesky factorization succeed (Nocedal & Wright, *Numerical Optimization*,
/// Algorithm 3.3); then backtracking from t = 1 until F(x + tΔx) ≤ F(x) + α t ∇Fᵀ Δx
/// (Boyd & Vandenberghe §9.5). Near a minimizer with a positive definite Hessian, t = 1 and
/// τ = 0 are accepted and the error squares each step.
package struct NewtonSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.newton", kinds: [.smooth], options: SmoothOptions.armijo,
        summary: "Newton's method with Armijo backtracking and a Hessian shift when not positive definite")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let (alpha, beta) = try SmoothDriver.armijoParameters(context.options)
        var trial: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 500, secondOrder: .always) { state, evaluation, _ in
            let n = state.x.count
            if trial.count != n { trial = Array(repeating: 0, count: n) }
            // Forming the dense Hessian can itself take seconds (an expression's is n
            // Hessian–vector products), so it is asked for a stop too.
            let probe = InterruptProbe(context.control)
            guard let h = evaluation.hessian(state.x, shouldStop: probe.shouldStop) else {
                return .stopped(probe.status ?? .interrupted)  // nil only after a stop
            }
            guard h.allSatisfy(\.isFinite) else { return .stalled("the Hessian is not finite") }
            if probe.shouldStop(), let stop = probe.status { return .stopped(stop) }
            guard let (factor, shift) = Cholesky.shiftedFactor(h, n: n, shouldStop: probe.shouldStop) else {
                if let stop = probe.status { return .stopped(stop) }
                return .stalled("no shift made the Hessian positive definite")
            }
            var direction = Cholesky.solve(factor, n: n, rightHandSide: state.gradient.map { -$0 })
            var slope = Vector.dot(state.gradient, direction)
            if !(slope < 0) {
                direction = state.gradient.map { -$0 }
                slope = -state.gradientNorm * state.gradientNorm
            }
            guard let t = SmoothDriver.backtrack(&state, direction: direction, slope: slope, initial: 1, alpha: alpha, beta: beta,
                                                 evaluation: evaluation, trial: &trial) else {
                return .stalled("backtracking found no decrease along the Newton direction")
            }
            return .moved(step: t, extras: [Metric("hessian_shift", shift), Metric("newton_decrement", (-slope).squareRoot())])
        }
    }
}

/// Dense LDLᵀ (Cholesky without square roots) with the shift strategy used by ``NewtonSolver``.
enum Cholesky {
    /// LDLᵀ factorization without square roots (unit lower L below the diagonal, D on it,
    /// row-major n×n), or nil when A is not positive definite (some dᵢ ≤ 0). No square roots
    /// keeps one-dimensional Newton steps exactly −g/h. `shouldStop` is asked before each
    /// column (time limit, cancellation); a true answer gives nil too.
    static func factor(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> [Double]? {
        if case .factor(let l) = attempt(a, n: n, shouldStop: shouldStop) { return l }
        return nil
    }

    /// What an LDLᵀ attempt ended with: the factor, the column whose pivot was not positive
    /// (with the partial factor: L's rows hold their entries left of that column), or a stop.
    enum Attempt {
        case factor([Double])
        case failedPivot(column: Int, partial: [Double])
        case stopped
    }

    static func attempt(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> Attempt {
        var l = a
        for j in 0..<n {
            if shouldStop() { return .stopped }
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] * l[k * n + k] }
            guard d > 0, d.isFinite else { return .failedPivot(column: j, partial: l) }
            l[j * n + j] = d
            for i in (j + 1)..<n {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] * l[k * n + k] }
                l[i * n + j] = s / d
            }
            for k in (j + 1)..<n { l[j * n + k] = 0 }
        }
        return .factor(l)
    }

    /// A unit direction of negative curvature of the symmetric A (row-major n×n), d with
    /// dᵀAd ≤ −ε, ε = 1e-6·max(1, max|Aᵢᵢ|), and its curvature dᵀAd; nil when A + εI is
    /// positive definite (A is positive semidefinite within ε) or when `shouldStop` stops it.
    /// From a failed LDLᵀ of A + εI at column j: z = L⁻ᵀeⱼ has zᵀ(A + εI)z = dⱼ ≤ 0 (the
    /// Gill–Murray construction; Nocedal & Wright §3.4).
    static func negativeCurvature(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> (direction: [Double], curvature: Double)? {
        var largestDiagonal = 0.0
        for i in 0..<n { largestDiagonal = max(largestDiagonal, abs(a[i * n + i])) }
        let epsilon = 1e-6 * max(1, largestDiagonal)
        var shifted = a
        for i in 0..<n { shifted[i * n + i] += epsilon }
        guard case .failedPivot(let j, let l) = attempt(shifted, n: n, shouldStop: shouldStop) else { return nil }
        var z = Array(repeating: 0.0, count: n)
        z[j] = 1
        for i in stride(from: j - 1, through: 0, by: -1) {
            var s = 0.0
            for k in (i + 1)...j { s += l[k * n + i] * z[k] }
            z[i] = -s
        }
        let norm = Vector.norm2(z)
        guard norm > 0, norm.isFinite else { return nil }
        for i in 0..<n { z[i] /= norm }
        var curvature = 0.0
        for i in 0..<n {
            var row = 0.0
            for k in 0..<n { row += a[i * n + k] * z[k] }
            curvature += z[i] * row
        }
        // Recomputed from A: rounding in the partial factor must not fake negative curvature.
        return curvature <= -epsilon ? (z, curvature) : nil
    }

    /// Factor of A + τI with the smallest τ of the doubling sequence that works.
    static func shiftedFactor(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> (factor: [Double], shift: Double)? {
        var minimumDiagonal = Double.infinity, maximumDiagonal = 0.0
        for i in 0..<n {
            minimumDiagonal = min(minimumDiagonal, a[i * n + i])
            maximumDiagonal = max(maximumDiagonal, abs(a[i * n + i]))
        }
        let floor = 1e-3 * max(1, maximumDiagonal)
        var shift = minimumDiagonal > 0 ? 0 : -minimumDiagonal + floor
        for _ in 0..<80 {
            var shifted = a
            if shift > 0 { for i in 0..<n { shifted[i * n + i] += shift } }
            if let l = factor(shifted, n: n, shouldStop: shouldStop) { return (l, shift) }
            if shouldStop() { return nil }
            shift = max(2 * shift, floor)
        }
        return nil
    }

    /// Solves LDLᵀx = b.
    static func solve(_ l: [Double], n: Int, rightHandSide b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s
        }
        for i in 0..<n { y[i] /= l[i * n + i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * y[k] }
            y[i] = s
        }
        return y
    }
}

/// Strong Wolfe line search: bracketing then zoom with safeguarded cubic interpolation
/// (Nocedal & Wright, Algorithms 3.5 and 3.6), c₁ = 1e-4, c₂ = 0.9. On success the state
/// holds the accepted point with its gradient.
struct WolfeLineSearch {
    var c1 = 1e-4
    var c2 = 0.9
    var trial: [Double] = []
    var trialGradient: [Double] = []
    var best: [Double] = []
    var bestGradient: [Double] = []

    /// Returns the accepted step, or nil when no step with sufficient decrease was found.
    mutating func search(_ state: inout SmoothState, direction d: [Double], initial: Double,
                         evaluation: SmoothEvaluation) -> Double? {
        let n = state.x.count
        if trial.count != n {
            trial = Array(repeating: 0, count: n)
            trialGradient = trial
            best = trial
            bestGradient = trial
        }
        let f0 = state.f
        let slope0 = Vector.dot(state.gradient, d)
        guard slope0 < 0 else { return nil }
        // φ(α) and φ′(α), leaving the point in trial / trialGradient.
        func phi(_ a: Double) -> (Double, Double) {
            for i in 0..<n { trial[i] = state.x[i] + a * d[i] }
            let f = evaluation.valueAndGradient(trial, &trialGradient)
            return (f, Vector.dot(trialGradient, d))
        }
        var bestAlpha = 0.0, bestF = f0
        func keep(_ a: Double, _ f: Double) {
            bestAlpha = a
            bestF = f
            best = trial
            bestGradient = trialGradient
        }
        func accept(_ a: Double, _ f: Double) -> Double {
            state.x = trial
            state.gradient = trialGradient
            state.f = f
            state.gradientNorm = Vector.norm2(trialGradient)
            return a
        }
        func acceptBest() -> Double? {
            guard bestAlpha > 0 else { return nil }
            state.x = best
            state.gradient = bestGradient
            state.f = bestF
            state.gradientNorm = Vector.norm2(bestGradient)
            return bestAlpha
        }
        func cubic(_ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double) -> Double {
            let d1 = da + db - 3 * (fa - fb) / (a - b)
            let radicand = d1 * d1 - da * db
            let lo = min(a, b), hi = max(a, b), margin = 0.1 * (hi - lo)
            guard radicand >= 0 else { return 0.5 * (a + b) }
            let d2 = (b > a ? 1.0 : -1.0) * radicand.squareRoot()
            let x = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2)
            guard x.isFinite else { return 0.5 * (a + b) }
            return min(max(x, lo + margin), hi - margin)
        }
        func zoom(_ loIn: (Double, Double, Double), _ hiIn: (Double, Double, Double)) -> Double? {
            var lo = loIn, hi = hiIn
            for _ in 0..<40 {
                let a = cubic(lo.0, lo.1, lo.2, hi.0, hi.1, hi.2)
                let (f, df) = phi(a)
                if !f.isFinite || f > f0 + c1 * a * slope0 || f >= lo.1 {
                    hi = (a, f.isFinite ? f : .greatestFiniteMagnitude, df.isFinite ? df : 0)
                } else {
                    if abs(df) <= -c2 * slope0 { return accept(a, f) }
                    keep(a, f)
                    if df * (hi.0 - lo.0) >= 0 { hi = lo }
                    lo = (a, f, df)
                }
                if abs(hi.0 - lo.0) <= 1e-16 * max(1, abs(lo.0)) { break }
            }
            return acceptBest()
        }
        var previous = (0.0, f0, slope0)
        var a = initial
        for i in 0..<40 {
            let (f, df) = phi(a)
            if !f.isFinite || !df.isFinite {
                // Step into a region where f is undefined: shrink toward the last good step.
                a = previous.0 + 0.1 * (a - previous.0)
                continue
            }
            if f > f0 + c1 * a * slope0 || (i > 0 && f >= previous.1) { return zoom(previous, (a, f, df)) }
            if abs(df) <= -c2 * slope0 { return accept(a, f) }
            keep(a, f)
            if df >= 0 { return zoom((a, f, df), previous) }
            previous = (a, f, df)
            a *= 4
        }
        return acceptBest()
    }
}

/// `native.bfgs`: quasi-Newton with the BFGS inverse-Hessian update
/// H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs, the first H scaled by yᵀs/yᵀy, and a strong
/// Wolfe line search (so yᵀs > 0). On a line-search failure H is reset to the identity once
/// before the method reports a stall. Nocedal & Wright, Algorithm 6.1.
package struct BFGSSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.bfgs", kinds: [.smooth],
        options: [OptionSpec("c1", default: "1e-4", "Wolfe sufficient-decrease constant"),
                  OptionSpec("c2", default: "0.9", "Wolfe curvature constant, in (c1, 1)")],
        summary: "BFGS quasi-Newton with a strong Wolfe line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        var search = try WolfeLineSearch.from(context.options)
        var inverse: [Double] = []
        var scaled = false
        var previousX: [Double] = [], previousG: [Double] = [], direction: [Double] = [], hy: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 2_000) { state, evaluation, _ in
            let n = state.x.count
            if inverse.isEmpty {
                inverse = Array(repeating: 0, count: n * n)
                for i in 0..<n { inverse[i * n + i] = 1 }
                direction = Array(repeating: 0, count: n)
                hy = direction
            }
            // Each O(n²) sweep over H takes tens of milliseconds for n in the thousands, so
            // the limits are checked every 64 rows: before the line search a stop leaves the
            // state as it was; after it, the point has moved and the record that follows the
            // step stops the solve (a time limit or a cancellation stays in force), so H may
            // be left half updated.
            let probe = InterruptProbe(context.control)
            func stopDue(_ row: Int) -> Bool { row % 64 == 0 && probe.shouldStop() }
            var resets = 0
            while true {
                for i in 0..<n {
                    if stopDue(i), let stop = probe.status { return .stopped(stop) }
                    var s = 0.0
                    for j in 0..<n { s -= inverse[i * n + j] * state.gradient[j] }
                    direction[i] = s
                }
                // First step (H = I): start at t = 1/‖∇f‖ so the trial step has length 1.
                let initial = scaled ? 1 : min(1, 1 / max(state.gradientNorm, 1e-300))
                previousX = state.x
                previousG = state.gradient
                if let t = search.search(&state, direction: direction, initial: initial, evaluation: evaluation) {
                    var ys = 0.0, yy = 0.0
                    var s = previousX, y = previousG
                    for i in 0..<n {
                        s[i] = state.x[i] - previousX[i]
                        y[i] = state.gradient[i] - previousG[i]
                        ys += y[i] * s[i]
                        yy += y[i] * y[i]
                    }
                    if ys > 1e-12 * Vector.norm2(s) * yy.squareRoot(), ys.isFinite {
                        if !scaled {
                            let gamma = ys / yy
                            for i in 0..<n {
                                if stopDue(i) { return .moved(step: t, extras: []) }
                                for j in 0..<n { inverse[i * n + j] = i == j ? gamma : 0 }
                            }
                            scaled = true
                        }
                        let rho = 1 / ys
                        var yhy = 0.0
                        for i in 0..<n {
                            if stopDue(i) { return .moved(step: t, extras: []) }
                            var v = 0.0
                            for j in 0..<n { v += inverse[i * n + j] * y[j] }
                            hy[i] = v
                            yhy += y[i] * v
                        }
                        let c = rho * rho * yhy + rho
                        for i in 0..<n {
                            if stopDue(i) { return .moved(step: t, extras: []) }
                            for j in 0..<n {
                                inverse[i * n + j] += c * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
                            }
                        }
                    }
                    return .moved(step: t, extras: [])
                }
                guard resets == 0, scaled else { return .stalled("the Wolfe line search failed") }
                resets += 1
                scaled = false
                for i in 0..<n { for j in 0..<n { inverse[i * n + j] = i == j ? 1 : 0 } }
            }
        }
    }
}

/// `native.lbfgs`: limited-memory BFGS, the two-loop recursion over the last `memory` pairs
/// (s, y) with H₀ = (sᵀy/yᵀy)I, and the strong Wolfe line search (Nocedal & Wright,
/// Algorithms 7.4 and 7.5; Liu & Nocedal 1989).
package struct LBFGSSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.lbfgs", kinds: [.smooth],
        options: [OptionSpec("memory", default: "10", "number of (s, y) pairs kept"),
                  OptionSpec("c1", default: "1e-4", "Wolfe sufficient-decrease constant"),
                  OptionSpec("c2", default: "0.9", "Wolfe curvature constant, in (c1, 1)")],
        summary: "limited-memory BFGS with a strong Wolfe line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        var search = try WolfeLineSearch.from(context.options)
        let memory = try NonlinearOptions.memory(context.options)
        var sList: [[Double]] = [], yList: [[Double]] = [], rhoList: [Double] = []
        var previousX: [Double] = [], previousG: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 5_000) { state, evaluation, _ in
            let n = state.x.count
            var resets = 0
            while true {
                var q = state.gradient
                var alphas = Array(repeating: 0.0, count: sList.count)
                for k in stride(from: sList.count - 1, through: 0, by: -1) {
                    alphas[k] = rhoList[k] * Vector.dot(sList[k], q)
                    for i in 0..<n { q[i] -= alphas[k] * yList[k][i] }
                }
                var gamma = 1.0
                if let s = sList.last, let y = yList.last { gamma = Vector.dot(s, y) / Vector.dot(y, y) }
                for i in 0..<n { q[i] *= gamma }
                for k in 0..<sList.count {
                    let b = rhoList[k] * Vector.dot(yList[k], q)
                    for i in 0..<n { q[i] += sList[k][i] * (alphas[k] - b) }
                }
                let direction = q.map { -$0 }
                let initial = sList.isEmpty ? min(1, 1 / max(state.gradientNorm, 1e-300)) : 1
                previousX = state.x
                previousG = state.gradient
                if let t = search.search(&state, direction: direction, initial: initial, evaluation: evaluation) {
                    let s = (0..<n).map { state.x[$0] - previousX[$0] }
                    let y = (0..<n).map { state.gradient[$0] - previousG[$0] }
                    let ys = Vector.dot(y, s)
                    if ys > 1e-12 * Vector.norm2(s) * Vector.norm2(y), ys.isFinite {
                        if sList.count == memory { sList.removeFirst(); yList.removeFirst(); rhoList.removeFirst() }
                        sList.append(s)
                        yList.append(y)
                        rhoList.append(1 / ys)
                    }
                    return .moved(step: t, extras: [])
                }
                guard resets == 0, !sList.isEmpty else { return .stalled("the Wolfe line search failed") }
                resets += 1
                sList.removeAll()
                yList.removeAll()
                rhoList.removeAll()
            }
        }
    }
}

extension WolfeLineSearch {
    static func from(_ options: SolveOptions) throws -> WolfeLineSearch {
        let c1 = try options.number("c1", default: 1e-4), c2 = try options.number("c2", default: 0.9)
        guard c1 > 0, c1 < c2, c2 < 1 else { throw SolverError.invalidOption(name: "c2", reason: "need 0 < c1 < c2 < 1, got c1 = \(c1), c2 = \(c2)") }
        return WolfeLineSearch(c1: c1, c2: c2)
    }
}

/// Every native smooth method, for registration.
package enum NativeSmoothSolvers {
    package static let all: [any SolverPlugin] = [
        NewtonSolver(), GradientDescentSolver(), HeavyBallSolver(), NesterovSolver(),
        AdaGradSolver(), AdamSolver(), BFGSSolver(), LBFGSSolver(),
    ]
}
