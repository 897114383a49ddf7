import LagrangeCore
import LinearAlgebra

// The step-length rules the smooth methods share: Armijo backtracking, the strong Wolfe
// search, and the eigenvalue estimates that give heavy ball and Nesterov their steps.

extension SmoothDriver {
    /// Backtracking (Armijo) along d from t = `initial`: the first t = initial·βʲ with
    /// f(x + t d) ≤ f(x) + α t ∇fᵀd (non-finite values count as failures). Updates the
    /// state (with a new gradient) and returns t, or nil after 80 reductions.
    static func backtrack(_ state: inout SmoothState, direction d: [Double], slope: Double, initial: Double,
                          alpha: Double, beta: Double, evaluation: SmoothEvaluation, trial: inout [Double]) -> Double? {
        var t = initial
        let n = state.x.count
        for _ in 0..<80 {
            for i in 0..<n { trial[i] = state.x[i] + t * d[i] }
            let f = evaluation.value(trial)
            if f.isFinite, f <= state.f + alpha * t * slope {
                state.x = trial
                state.f = evaluation.valueAndGradient(trial, &state.gradient)
                state.gradientNorm = Vector.norm2(state.gradient)
                return t
            }
            t *= beta
        }
        return nil
    }

    /// Largest and smallest eigenvalue of the Hessian at x, estimated by power iteration on
    /// H and then on λmax·I − H (Hessian–vector products only; up to `steps` each).
    /// `shouldStop` is asked before each product (time limit, cancellation); a true answer
    /// ends the estimate early (the caller then stops too, so the rough bound is never used).
    static func eigenvalueBounds(_ evaluation: SmoothEvaluation, at x: [Double], steps: Int = 100, seed: UInt64,
                                 shouldStop: () -> Bool = { false }) -> (min: Double, max: Double) {
        let n = x.count
        var generator = SeededGenerator(seed: seed)
        func power(_ apply: ([Double]) -> [Double]) -> Double {
            var v = (0..<n).map { _ in 1 + 0.1 * generator.nextGaussian() }
            var norm = Vector.norm2(v)
            v = v.map { $0 / norm }
            var lambda = 0.0
            for _ in 0..<steps {
                if shouldStop() { break }
                let w = apply(v)
                let next = Vector.dot(v, w)
                norm = Vector.norm2(w)
                guard norm > 0, norm.isFinite else { return next }
                v = w.map { $0 / norm }
                if abs(next - lambda) <= 1e-12 * max(abs(next), 1e-300) { lambda = next; break }
                lambda = next
            }
            return lambda
        }
        let largest = power { evaluation.hessianVector(x, $0) }
        let shift = abs(largest)
        let shifted = power { v in
            let hv = evaluation.hessianVector(x, v)
            return (0..<n).map { shift * v[$0] - hv[$0] }
        }
        return (shift - shifted, largest)
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
