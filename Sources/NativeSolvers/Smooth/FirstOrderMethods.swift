import Foundation
import LagrangeCore
import LinearAlgebra

/// The step of `native.gradient-descent`: x ← x − t∇f(x) with t fixed (`step_size`), by
/// backtracking (Armijo, from t = 1), or by exact line search t = ∇fᵀ∇f / ∇fᵀH∇f — exact
/// for quadratics; elsewhere it minimizes the local quadratic model and falls back to
/// backtracking where the curvature along −∇f is not positive. Boyd & Vandenberghe,
/// *Convex Optimization*, §9.3.
struct GradientDescentMethod: SmoothMethod {
    let settings: GradientDescentSettings
    private var direction: [Double] = [], trial: [Double] = []

    init(_ settings: GradientDescentSettings) { self.settings = settings }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        let n = state.x.count
        let (alpha, beta) = (settings.armijo.alpha, settings.armijo.beta)
        if direction.count != n { direction = Array(repeating: 0, count: n); trial = direction }
        for i in 0..<n { direction[i] = -state.gradient[i] }
        let slope = -state.gradientNorm * state.gradientNorm
        let t: Double?
        switch settings.lineSearch {
        case .fixed:
            let fixed = settings.stepSize
            for i in 0..<n { state.x[i] += fixed * direction[i] }
            state.f = evaluation.valueAndGradient(state.x, &state.gradient)
            state.gradientNorm = Vector.norm2(state.gradient)
            return .moved(step: fixed, extras: [])
        case .exact:
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
        case .backtracking:
            t = SmoothDriver.backtrack(&state, direction: direction, slope: slope, initial: 1, alpha: alpha, beta: beta,
                                       evaluation: evaluation, trial: &trial)
        }
        guard let t else { return .stalled("backtracking found no decrease along -gradient") }
        return .moved(step: t, extras: [])
    }
}

/// The step of `native.heavy-ball`: Polyak's momentum, x_{k+1} = x_k − s z_k,
/// z_k = ∇f(x_k) + β z_{k−1}, with s = (2/(√λmax + √λmin))², β = ((√λmax − √λmin)/(√λmax + √λmin))²
/// — optimal for a quadratic with Hessian eigenvalues in [λmin, λmax], where f contracts by
/// about β per step. The bounds come from the settings or from power iteration on the
/// Hessian at the start point (Polyak, *Introduction to Optimization*, 1987, §3.2.1).
struct HeavyBallMethod: SmoothMethod {
    let settings: HeavyBallSettings
    private var lambdaMin = Double.nan, lambdaMax = Double.nan
    private var s = 0.0, beta = 0.0
    private var z: [Double] = []

    init(_ settings: HeavyBallSettings) { self.settings = settings }

    mutating func prepare(_ evaluation: SmoothEvaluation, _ state: SmoothState, context: SolveContext) throws {
        var givenMin = settings.lambdaMin ?? .nan, givenMax = settings.lambdaMax ?? .nan
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
        (lambdaMin, lambdaMax) = (givenMin, givenMax)
    }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        for i in 0..<state.x.count {
            z[i] = state.gradient[i] + beta * z[i]
            state.x[i] -= s * z[i]
        }
        state.f = evaluation.valueAndGradient(state.x, &state.gradient)
        state.gradientNorm = Vector.norm2(state.gradient)
        return .moved(step: s, extras: [Metric("momentum", beta), Metric("lambda_min", lambdaMin), Metric("lambda_max", lambdaMax)])
    }
}

/// The step of `native.nesterov`: accelerated gradient, x_{k+1} = y_k − ∇f(y_k)/L,
/// y_{k+1} = x_{k+1} + β_k(x_{k+1} − x_k) with β_k = (t_k − 1)/t_{k+1},
/// t_{k+1} = (1 + √(1 + 4t_k²))/2 (or the constant (√L − √μ)/(√L + √μ) when
/// `strong_convexity` μ is given). L starts from `lipschitz` or a power-iteration estimate
/// and doubles while the sufficient-decrease test f(x⁺) ≤ f(y) − ‖∇f(y)‖²/(2L) fails; the
/// momentum restarts when f increases (O'Donoghue & Candès 2015). Nesterov 1983;
/// Beck & Teboulle 2009.
struct NesterovMethod: SmoothMethod {
    let settings: NesterovSettings
    private var lipschitz = Double.nan
    private var y: [Double] = [], gy: [Double] = [], trial: [Double] = []
    private var t = 1.0

    init(_ settings: NesterovSettings) { self.settings = settings }

    mutating func prepare(_ evaluation: SmoothEvaluation, _ state: SmoothState, context: SolveContext) {
        lipschitz = settings.lipschitz ?? .nan
        if lipschitz.isNaN {
            lipschitz = SmoothDriver.eigenvalueBounds(evaluation, at: state.x, steps: 30, seed: context.options.effectiveSeed,
                                                      shouldStop: { context.control.checkInterrupt() != nil }).max
        }
        if !(lipschitz > 0) || !lipschitz.isFinite { lipschitz = 1 }
        y = state.x
        gy = state.gradient
        trial = state.x
    }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        let n = state.x.count
        let mu = settings.strongConvexity
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

/// The step of `native.adagrad`: x ← x − η g / (√G + ε), G ← G + g² elementwise (Duchi,
/// Hazan & Singer, JMLR 2011). Deterministic full gradients; stops on the gradient test or
/// the limit.
struct AdaGradMethod: SmoothMethod {
    let settings: AdaGradSettings
    private var accumulated: [Double] = []

    init(_ settings: AdaGradSettings) { self.settings = settings }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        let n = state.x.count
        let eta = settings.learningRate, epsilon = settings.epsilon
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

/// The step of `native.adam`: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − α m̂/(√v̂ + ε)
/// with the bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) (Kingma & Ba, ICLR 2015,
/// Algorithm 1).
struct AdamMethod: SmoothMethod {
    let settings: AdamSettings
    private var m: [Double] = [], v: [Double] = []
    private var power1 = 1.0, power2 = 1.0

    init(_ settings: AdamSettings) { self.settings = settings }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        let n = state.x.count
        let alpha = settings.learningRate, beta1 = settings.beta1, beta2 = settings.beta2, epsilon = settings.epsilon
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
