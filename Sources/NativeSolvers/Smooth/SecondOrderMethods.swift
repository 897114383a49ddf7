import Foundation
import LagrangeCore
import LinearAlgebra

/// The step of `native.newton`: solve (H + τI)Δx = −∇f with τ = 0 when the Hessian H is
/// positive definite, else the smallest τ found by doubling from max(β_H, −min Hᵢᵢ + β_H),
/// β_H = 1e-3·max(1, max|Hᵢᵢ|), that makes the Cholesky factorization succeed (Nocedal &
/// Wright, *Numerical Optimization*, Algorithm 3.3); then backtracking from t = 1 until
/// F(x + tΔx) ≤ F(x) + α t ∇Fᵀ Δx (Boyd & Vandenberghe §9.5). Near a minimizer with a
/// positive definite Hessian, t = 1 and τ = 0 are accepted and the error squares each step.
struct NewtonMethod: SmoothMethod {
    let settings: NewtonSettings
    private var trial: [Double] = []

    init(_ settings: NewtonSettings) { self.settings = settings }

    /// Newton uses whatever Hessian it has (finite differences included) for the test too.
    static var secondOrder: SmoothDriver.SecondOrderPolicy { .always }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
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
        guard let t = SmoothDriver.backtrack(&state, direction: direction, slope: slope, initial: 1, alpha: settings.armijo.alpha, beta: settings.armijo.beta,
                                             evaluation: evaluation, trial: &trial) else {
            return .stalled("backtracking found no decrease along the Newton direction")
        }
        return .moved(step: t, extras: [Metric("hessian_shift", shift), Metric("newton_decrement", (-slope).squareRoot())])
    }
}

/// The step of `native.bfgs`: quasi-Newton with the BFGS inverse-Hessian update
/// H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs, the first H scaled by yᵀs/yᵀy, and a strong
/// Wolfe line search (so yᵀs > 0). On a line-search failure H is reset to the identity once
/// before the method reports a stall. Nocedal & Wright, Algorithm 6.1.
struct BFGSMethod: SmoothMethod {
    let settings: BFGSSettings
    private var search: WolfeLineSearch
    private var inverse: [Double] = []
    private var scaled = false
    private var previousX: [Double] = [], previousG: [Double] = [], direction: [Double] = [], hy: [Double] = []

    init(_ settings: BFGSSettings) {
        self.settings = settings
        search = WolfeLineSearch(c1: settings.wolfe.c1, c2: settings.wolfe.c2)
    }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
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

/// The step of `native.lbfgs`: limited-memory BFGS, the two-loop recursion over the last
/// `memory` pairs (s, y) with H₀ = (sᵀy/yᵀy)I, and the strong Wolfe line search (Nocedal &
/// Wright, Algorithms 7.4 and 7.5; Liu & Nocedal 1989).
struct LBFGSMethod: SmoothMethod {
    let settings: LBFGSSettings
    private var search: WolfeLineSearch
    private var sList: [[Double]] = [], yList: [[Double]] = [], rhoList: [Double] = []
    private var previousX: [Double] = [], previousG: [Double] = []

    init(_ settings: LBFGSSettings) {
        self.settings = settings
        search = WolfeLineSearch(c1: settings.wolfe.c1, c2: settings.wolfe.c2)
    }

    mutating func step(_ state: inout SmoothState, _ evaluation: SmoothEvaluation, _ k: Int, context: SolveContext) -> SmoothStep {
        let memory = settings.memory
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
