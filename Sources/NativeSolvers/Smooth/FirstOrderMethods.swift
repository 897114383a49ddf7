import Foundation
import LagrangeCore
import LinearAlgebra

/// Common options of the smooth methods (documented once, listed by each descriptor).
enum SmoothOptions {
    static let armijo = [
        OptionSpec("alpha", default: "0.25", "Armijo sufficient-decrease constant, in (0, 1/2)"),
        OptionSpec("beta", default: "0.5", "backtracking factor, in (0, 1)"),
    ]
}

/// `native.gradient-descent`: x ← x − t∇f(x) with t fixed (`step_size`), by backtracking
/// (Armijo, from t = 1), or by exact line search t = ∇fᵀ∇f / ∇fᵀH∇f — exact for quadratics;
/// elsewhere it minimizes the local quadratic model and falls back to backtracking where the
/// curvature along −∇f is not positive. Boyd & Vandenberghe, *Convex Optimization*, §9.3.
package struct GradientDescentSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.gradient-descent", kinds: [.smooth],
        options: [OptionSpec("line_search", default: "backtracking", "fixed | backtracking | exact (exact for quadratics)"),
                  OptionSpec("step_size", default: "1e-3", "step for line_search: fixed")] + SmoothOptions.armijo,
        summary: "steepest descent with a fixed step, Armijo backtracking or exact line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let options = context.options
        let mode = try options.string("line_search", default: "backtracking", allowed: ["fixed", "backtracking", "exact"])
        let fixed = try options.number("step_size", default: 1e-3)
        guard fixed > 0 else { throw SolverError.invalidOption(name: "step_size", reason: "must be > 0") }
        let (alpha, beta) = try SmoothDriver.armijoParameters(options)
        var direction: [Double] = [], trial: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 10_000) { state, evaluation, _ in
            let n = state.x.count
            if direction.count != n { direction = Array(repeating: 0, count: n); trial = direction }
            for i in 0..<n { direction[i] = -state.gradient[i] }
            let slope = -state.gradientNorm * state.gradientNorm
            var t: Double? = nil
            switch mode {
            case "fixed":
                t = fixed
                for i in 0..<n { state.x[i] += fixed * direction[i] }
                state.f = evaluation.valueAndGradient(state.x, &state.gradient)
                state.gradientNorm = Vector.norm2(state.gradient)
                return .moved(step: fixed, extras: [])
            case "exact":
                let hd = evaluation.hessianVector(state.x, direction)
                let curvature = Vector.dot(direction, hd)
                if curvature > 0, curvature.isFinite {
                    let step = -slope / curvature
                    for i in 0..<n { state.x[i] += step * direction[i] }
                    state.f = evaluation.valueAndGradient(state.x, &state.gradient)
                    state.gradientNorm = Vector.norm2(state.gradient)
                    return .moved(step: step, extras: [])
                }
                t = SmoothDriver.backtrack(&state, direction: direction, slope: slope, initial: 1, alpha: alpha, beta: beta,
                                           evaluation: evaluation, trial: &trial)
            default:
                t = SmoothDriver.backtrack(&state, direction: direction, slope: slope, initial: 1, alpha: alpha, beta: beta,
                                           evaluation: evaluation, trial: &trial)
            }
            guard let t else { return .stalled("backtracking found no decrease along -gradient") }
            return .moved(step: t, extras: [])
        }
    }
}

/// `native.heavy-ball`: Polyak's momentum, x_{k+1} = x_k − s z_k, z_k = ∇f(x_k) + β z_{k−1},
/// with s = (2/(√λmax + √λmin))², β = ((√λmax − √λmin)/(√λmax + √λmin))² — optimal for a
/// quadratic with Hessian eigenvalues in [λmin, λmax], where f contracts by about β per step.
/// The bounds come from the options or from power iteration on the Hessian at the start point
/// (Polyak, *Introduction to Optimization*, 1987, §3.2.1).
package struct HeavyBallSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.heavy-ball", kinds: [.smooth],
        options: [OptionSpec("lambda_min", default: "estimated", "smallest Hessian eigenvalue bound (> 0)"),
                  OptionSpec("lambda_max", default: "estimated", "largest Hessian eigenvalue bound")],
        summary: "Polyak heavy-ball momentum with the optimal step and momentum from eigenvalue bounds", usesSeed: true)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let options = context.options
        var givenMin = try options.number("lambda_min", default: .nan)
        var givenMax = try options.number("lambda_max", default: .nan)
        var s = 0.0, beta = 0.0
        var z: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 10_000, prepare: { evaluation, state in
            if givenMin.isNaN || givenMax.isNaN {
                let bounds = SmoothDriver.eigenvalueBounds(evaluation, at: state.x, seed: context.options.effectiveSeed,
                                                           shouldStop: { context.control.checkInterrupt() != nil })
                if givenMax.isNaN { givenMax = bounds.max }
                if givenMin.isNaN { givenMin = bounds.min }
            }
            guard givenMax > 0, givenMax.isFinite else {
                throw SolverError.unsupported("heavy ball needs a positive largest Hessian eigenvalue; got \(givenMax) (give lambda_max)")
            }
            // A non-convex or singular start: keep some damping (κ ≤ 10⁸).
            givenMin = min(max(givenMin, 1e-8 * givenMax), givenMax)
            let a = givenMax.squareRoot(), b = givenMin.squareRoot()
            s = (2 / (a + b)) * (2 / (a + b))
            beta = ((a - b) / (a + b)) * ((a - b) / (a + b))
            z = Array(repeating: 0, count: state.x.count)
        }) { state, evaluation, _ in
            for i in 0..<state.x.count {
                z[i] = state.gradient[i] + beta * z[i]
                state.x[i] -= s * z[i]
            }
            state.f = evaluation.valueAndGradient(state.x, &state.gradient)
            state.gradientNorm = Vector.norm2(state.gradient)
            return .moved(step: s, extras: [Metric("momentum", beta), Metric("lambda_min", givenMin), Metric("lambda_max", givenMax)])
        }
    }
}

/// `native.nesterov`: accelerated gradient, x_{k+1} = y_k − ∇f(y_k)/L,
/// y_{k+1} = x_{k+1} + β_k(x_{k+1} − x_k) with β_k = (t_k − 1)/t_{k+1},
/// t_{k+1} = (1 + √(1 + 4t_k²))/2 (or the constant (√L − √μ)/(√L + √μ) when
/// `strong_convexity` μ is given). L starts from `lipschitz` or a power-iteration estimate
/// and doubles while the sufficient-decrease test f(x⁺) ≤ f(y) − ‖∇f(y)‖²/(2L) fails; the
/// momentum restarts when f increases (O'Donoghue & Candès 2015). Nesterov 1983;
/// Beck & Teboulle 2009.
package struct NesterovSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.nesterov", kinds: [.smooth],
        options: [OptionSpec("lipschitz", default: "estimated", "initial Lipschitz constant L of the gradient"),
                  OptionSpec("strong_convexity", default: "0", "μ > 0 for the constant-momentum variant")],
        summary: "Nesterov accelerated gradient with backtracking on L and adaptive restart", usesSeed: true)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let options = context.options
        var lipschitz = try options.number("lipschitz", default: .nan)
        let mu = try options.number("strong_convexity", default: 0)
        var y: [Double] = [], gy: [Double] = [], trial: [Double] = []
        var t = 1.0
        return try SmoothDriver.run(problem, context: context, defaultIterations: 10_000, prepare: { evaluation, state in
            if lipschitz.isNaN {
                lipschitz = SmoothDriver.eigenvalueBounds(evaluation, at: state.x, steps: 30, seed: context.options.effectiveSeed,
                                                        shouldStop: { context.control.checkInterrupt() != nil }).max
            }
            if !(lipschitz > 0) || !lipschitz.isFinite { lipschitz = 1 }
            y = state.x
            gy = state.gradient
            trial = state.x
        }) { state, evaluation, k in
            let n = state.x.count
            var fy = state.f
            if k > 1 { fy = evaluation.valueAndGradient(y, &gy) }
            let gy2 = Vector.dot(gy, gy)
            var accepted = false
            for _ in 0..<80 {
                for i in 0..<n { trial[i] = y[i] - gy[i] / lipschitz }
                let f = evaluation.value(trial)
                if f.isFinite, f <= fy - gy2 / (2 * lipschitz) { accepted = true; break }
                lipschitz *= 2
            }
            guard accepted else { return .stalled("no decrease from the extrapolated point") }
            let previous = state.x
            let previousF = state.f
            state.x = trial
            state.f = evaluation.valueAndGradient(trial, &state.gradient)
            state.gradientNorm = Vector.norm2(state.gradient)
            var beta: Double
            if mu > 0 {
                beta = (lipschitz.squareRoot() - mu.squareRoot()) / (lipschitz.squareRoot() + mu.squareRoot())
            } else {
                let next = (1 + (1 + 4 * t * t).squareRoot()) / 2
                beta = (t - 1) / next
                t = next
            }
            if state.f > previousF { beta = 0; t = 1 }  // adaptive restart
            for i in 0..<n { y[i] = state.x[i] + beta * (state.x[i] - previous[i]) }
            return .moved(step: 1 / lipschitz, extras: [Metric("momentum", beta), Metric("lipschitz", lipschitz)])
        }
    }
}

/// `native.adagrad`: x ← x − η g / (√G + ε), G ← G + g² elementwise (Duchi, Hazan & Singer,
/// JMLR 2011). Deterministic full gradients; stops on the gradient test or the limit.
package struct AdaGradSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.adagrad", kinds: [.smooth],
        options: [OptionSpec("learning_rate", default: "0.1", "η"), OptionSpec("epsilon", default: "1e-8", "ε in the denominator")],
        summary: "AdaGrad: per-coordinate steps scaled by accumulated squared gradients")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let eta = try context.options.number("learning_rate", default: 0.1)
        let epsilon = try context.options.number("epsilon", default: 1e-8)
        guard eta > 0, epsilon > 0 else { throw SolverError.invalidOption(name: "learning_rate", reason: "learning_rate and epsilon must be > 0") }
        var accumulated: [Double] = []
        return try SmoothDriver.run(problem, context: context, defaultIterations: 10_000) { state, evaluation, _ in
            let n = state.x.count
            if accumulated.count != n { accumulated = Array(repeating: 0, count: n) }
            var stepNorm = 0.0
            for i in 0..<n {
                let g = state.gradient[i]
                accumulated[i] += g * g
                let dx = eta * g / (accumulated[i].squareRoot() + epsilon)
                state.x[i] -= dx
                stepNorm += dx * dx
            }
            state.f = evaluation.valueAndGradient(state.x, &state.gradient)
            state.gradientNorm = Vector.norm2(state.gradient)
            return .moved(step: stepNorm.squareRoot(), extras: [])
        }
    }
}

/// `native.adam`: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − α m̂/(√v̂ + ε) with the
/// bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) (Kingma & Ba, ICLR 2015, Algorithm 1).
package struct AdamSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.adam", kinds: [.smooth],
        options: [OptionSpec("learning_rate", default: "1e-3", "α"), OptionSpec("beta1", default: "0.9", "first-moment decay"),
                  OptionSpec("beta2", default: "0.999", "second-moment decay"), OptionSpec("epsilon", default: "1e-8", "ε")],
        summary: "Adam with bias-corrected moment estimates")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let o = context.options
        let alpha = try o.number("learning_rate", default: 1e-3)
        let beta1 = try o.number("beta1", default: 0.9), beta2 = try o.number("beta2", default: 0.999)
        let epsilon = try o.number("epsilon", default: 1e-8)
        guard alpha > 0 else { throw SolverError.invalidOption(name: "learning_rate", reason: "must be > 0") }
        guard beta1 >= 0, beta1 < 1 else { throw SolverError.invalidOption(name: "beta1", reason: "must be in [0, 1)") }
        guard beta2 >= 0, beta2 < 1 else { throw SolverError.invalidOption(name: "beta2", reason: "must be in [0, 1)") }
        guard epsilon > 0 else { throw SolverError.invalidOption(name: "epsilon", reason: "must be > 0") }
        var m: [Double] = [], v: [Double] = []
        var power1 = 1.0, power2 = 1.0
        return try SmoothDriver.run(problem, context: context, defaultIterations: 10_000) { state, evaluation, _ in
            let n = state.x.count
            if m.count != n { m = Array(repeating: 0, count: n); v = m }
            power1 *= beta1
            power2 *= beta2
            var stepNorm = 0.0
            for i in 0..<n {
                let g = state.gradient[i]
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                let mHat = m[i] / (1 - power1), vHat = v[i] / (1 - power2)
                let dx = alpha * mHat / (vHat.squareRoot() + epsilon)
                state.x[i] -= dx
                stepNorm += dx * dx
            }
            state.f = evaluation.valueAndGradient(state.x, &state.gradient)
            state.gradientNorm = Vector.norm2(state.gradient)
            return .moved(step: stepNorm.squareRoot(), extras: [])
        }
    }
}
