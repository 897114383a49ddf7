import LagrangeCore
import LinearAlgebra

// MARK: - libsvm's form: SMO on the 2n-variable dual with Σ sₜ zₜ = 0

/// The SMO workspace for one solve. Arrays are indexed by *position*: shrinking swaps
/// variables so that the active ones occupy positions 0..<activeSize (libsvm's layout).
///
/// The gradient is kept sign-folded, gₜ = sₜ∇ₜ (libsvm's y[t]*G[t]), because then every
/// test is sign-free: the index sets are I_up = {t : zₜ can move so that sₜzₜ grows}
/// and I_low likewise downward, m(z) = max over I_up of −gₜ, M(z) = min over I_low of −gₜ,
/// and the gradient update gₜ += Σ sᵤΔzᵤ K(xₜ, xᵤ) needs no sign of t.
final class PairwiseSMO {
    private enum Bound: UInt8 { case lower, upper, free }

    let sampleCount: Int
    let variableCount: Int
    let box: Double
    let epsilon: Double
    let tolerance: Double
    let shrinking: Bool
    let cache: KernelColumnCache
    let control: IterationControl
    let targets: [Double]
    /// Curvature floor for non-positive-definite pairs (libsvm's TAU).
    static let tau = 1e-12

    // Per position.
    /// gₜ = sₜ∇ₜ.
    private let signedGradient: UnsafeMutablePointer<Double>
    /// sₜḠₜ: the part of gₜ due to variables at the upper bound (for reconstruction).
    private let signedGradientBar: UnsafeMutablePointer<Double>
    /// sₜpₜ = sₜε − yᵢ.
    private let signedLinear: UnsafeMutablePointer<Double>
    private let sign: UnsafeMutablePointer<Double>
    private let sample: UnsafeMutablePointer<Int>
    private let variable: UnsafeMutablePointer<Int>
    private let status: UnsafeMutablePointer<Bound>
    /// K(xᵢ, xᵢ) of the position's sample (Qₜₜ).
    private let diagonal: UnsafeMutablePointer<Double>
    /// Membership in I_up / I_low (1 or 0), kept in step with `status`.
    private let inUp: UnsafeMutablePointer<UInt8>
    private let inLow: UnsafeMutablePointer<UInt8>
    // Per original variable (0..<n: αᵢ, n..<2n: αᵢ*).
    private let alpha: UnsafeMutablePointer<Double>
    // Scratch for reordering positions.
    private let order: UnsafeMutablePointer<Int>
    private let scratch: UnsafeMutableRawPointer

    private var activeSize: Int
    private var unshrunk = false
    private var supportCount = 0
    /// m(z) on the active set and where it is attained (the first half of WSS3), valid
    /// when `upValid` (computed by the fused gradient update or by `scanUp`).
    private var upMaximum = -Double.infinity
    private var upIndex = -1
    private var upValid = false

    init(problem: SVRProblem, cache: KernelColumnCache, tolerance: Double, shrinking: Bool, control: IterationControl) {
        let n = problem.training.targets.count
        sampleCount = n
        variableCount = 2 * n
        box = problem.boxConstraint
        epsilon = problem.epsilon
        self.tolerance = tolerance
        self.shrinking = shrinking
        self.cache = cache
        self.control = control
        targets = problem.training.targets
        let l = 2 * n
        signedGradient = .allocate(capacity: l)
        signedGradientBar = .allocate(capacity: l)
        signedLinear = .allocate(capacity: l)
        sign = .allocate(capacity: l)
        sample = .allocate(capacity: l)
        variable = .allocate(capacity: l)
        status = .allocate(capacity: l)
        diagonal = .allocate(capacity: l)
        inUp = .allocate(capacity: l)
        inLow = .allocate(capacity: l)
        alpha = .allocate(capacity: l)
        order = .allocate(capacity: l)
        scratch = .allocate(byteCount: l * 8, alignment: 8)
        for t in 0..<l {
            let i = t % n
            let s: Double = t < n ? 1 : -1
            sign[t] = s
            sample[t] = i
            variable[t] = t
            signedLinear[t] = s * epsilon - targets[i]
            signedGradient[t] = signedLinear[t] // z = 0
            signedGradientBar[t] = 0
            diagonal[t] = cache.diagonal[i]
            alpha[t] = 0
            status[t] = .lower
            inUp[t] = s > 0 ? 1 : 0
            inLow[t] = s > 0 ? 0 : 1
        }
        activeSize = l
    }

    deinit {
        signedGradient.deallocate(); signedGradientBar.deallocate(); signedLinear.deallocate(); sign.deallocate()
        sample.deallocate(); variable.deallocate(); status.deallocate(); diagonal.deallocate()
        inUp.deallocate(); inLow.deallocate(); alpha.deallocate(); order.deallocate(); scratch.deallocate()
    }

    /// Reorders positions 0..<count so that new position k holds old position order[k].
    private func permuteActive(count: Int) {
        func permute<T>(_ array: UnsafeMutablePointer<T>) {
            let temporary = scratch.bindMemory(to: T.self, capacity: count)
            for k in 0..<count { temporary[k] = array[order[k]] }
            array.update(from: temporary, count: count)
        }
        permute(signedGradient); permute(signedGradientBar); permute(signedLinear); permute(sign)
        permute(sample); permute(variable); permute(status); permute(diagonal); permute(inUp); permute(inLow)
    }

    @inline(__always) private func isUpper(_ t: Int) -> Bool { status[t] == .upper }
    @inline(__always) private func isLower(_ t: Int) -> Bool { status[t] == .lower }

    @inline(__always) private func updateStatus(_ t: Int) {
        let a = alpha[variable[t]]
        let bound: Bound = a >= box ? .upper : (a <= 0 ? .lower : .free)
        status[t] = bound
        let positive = sign[t] > 0
        inUp[t] = (positive ? bound != .upper : bound != .lower) ? 1 : 0
        inLow[t] = (positive ? bound != .lower : bound != .upper) ? 1 : 0
    }

    /// β of a sample is nonzero.
    @inline(__always) private func isSupport(_ i: Int) -> Bool { alpha[i] != alpha[i + sampleCount] }

    /// m(z) = max over I_up of −gₜ on the active set.
    private func scanUp() {
        var best = -Double.infinity, index = -1
        for t in 0..<activeSize where inUp[t] != 0 && -signedGradient[t] >= best {
            best = -signedGradient[t]
            index = t
        }
        upMaximum = best
        upIndex = index
        upValid = true
    }

    /// WSS3, second half: with i attaining m(z), j minimizes the second-order decrease
    /// −b²/a over I_low with b = m(z) + gⱼ > 0, a = Kᵢᵢ + Kⱼⱼ − 2Kᵢⱼ. Returns nil when
    /// m(z) − M(z) (stored in `violation`) is below the tolerance.
    private func selectWorkingSet(violation: inout Double) -> (Int, Int)? {
        if !upValid { scanUp() }
        let gmax = upMaximum, i = upIndex
        var gmax2 = -Double.infinity
        var gminIndex = -1
        var objectiveDiffMin = Double.infinity
        if i >= 0 {
            let columnI = cache.column(sample[i])
            let diagonalI = diagonal[i]
            for t in 0..<activeSize where inLow[t] != 0 {
                let g = signedGradient[t]
                if g >= gmax2 { gmax2 = g }
                let gradientDiff = gmax + g
                if gradientDiff > 0 {
                    let quadratic = diagonalI + diagonal[t] - 2 * columnI[sample[t]]
                    let objectiveDiff = -(gradientDiff * gradientDiff) / (quadratic > 0 ? quadratic : PairwiseSMO.tau)
                    if objectiveDiff <= objectiveDiffMin { gminIndex = t; objectiveDiffMin = objectiveDiff }
                }
            }
        } else {
            for t in 0..<activeSize where inLow[t] != 0 { gmax2 = max(gmax2, signedGradient[t]) }
        }
        violation = gmax + gmax2
        if !(gmax + gmax2 >= tolerance) || gminIndex < 0 { return nil }
        return (i, gminIndex)
    }

    /// Recomputes g for the inactive positions from Ḡ and the free variables.
    private func reconstructGradient() {
        let l = variableCount
        if activeSize == l { return }
        for t in activeSize..<l { signedGradient[t] = signedGradientBar[t] + signedLinear[t] }
        // Inactive gₜ += Σᵤ (free) sᵤ zᵤ K(xₜ, xᵤ): one column per free variable.
        for u in 0..<activeSize where status[u] == .free {
            let column = cache.column(sample[u])
            let weight = sign[u] * alpha[variable[u]]
            for t in activeSize..<l { signedGradient[t] += weight * column[sample[t]] }
        }
        upValid = false
    }

    /// libsvm's be_shrunk: a variable that cannot move up is dropped when −gₜ exceeds
    /// m(z); one that cannot move down, when gₜ exceeds −M(z).
    @inline(__always) private func beShrunk(_ t: Int, _ gmax1: Double, _ gmax2: Double) -> Bool {
        if inUp[t] == 0 && -signedGradient[t] > gmax1 { return true }
        if inLow[t] == 0 && signedGradient[t] > gmax2 { return true }
        return false
    }

    private func shrink() {
        var gmax1 = -Double.infinity, gmax2 = -Double.infinity
        for t in 0..<activeSize {
            let g = signedGradient[t]
            if inUp[t] != 0 { gmax1 = max(gmax1, -g) }
            if inLow[t] != 0 { gmax2 = max(gmax2, g) }
        }
        // Near the end, unshrink once so the final iterations see every variable.
        if !unshrunk, gmax1 + gmax2 <= tolerance * 10 {
            unshrunk = true
            reconstructGradient()
            activeSize = variableCount
        }
        // Stable partition of the active positions into kept ones, then shrunk ones, so that
        // positions stay in sample order and the column gathers sweep memory forward
        // (libsvm swaps instead, which scatters the order and costs cache misses here).
        var kept = 0
        for t in 0..<activeSize where !beShrunk(t, gmax1, gmax2) {
            order[kept] = t
            kept += 1
        }
        if kept < activeSize {
            var next = kept
            for t in 0..<activeSize where beShrunk(t, gmax1, gmax2) {
                order[next] = t
                next += 1
            }
            permuteActive(count: activeSize)
            activeSize = kept
        }
        upValid = false
    }

    /// ρ: the mean of gₜ over free variables, else the midpoint of its bounds.
    private func rho() -> Double {
        var upperBound = Double.infinity, lowerBound = -Double.infinity, sumFree = 0.0, freeCount = 0
        for t in 0..<activeSize {
            let yg = signedGradient[t]
            if isUpper(t) {
                if sign[t] < 0 { upperBound = min(upperBound, yg) } else { lowerBound = max(lowerBound, yg) }
            } else if isLower(t) {
                if sign[t] > 0 { upperBound = min(upperBound, yg) } else { lowerBound = max(lowerBound, yg) }
            } else {
                freeCount += 1
                sumFree += yg
            }
        }
        return freeCount > 0 ? sumFree / Double(freeCount) : (upperBound + lowerBound) / 2
    }

    func run() -> SVROutcome {
        let l = variableCount
        let iterationLimit = control.iterationLimit(default: max(10_000_000, 100 * l))
        var iteration = 0
        var counter = min(l, 1000) + 1
        var objective = 0.0
        var stop: TerminationStatus? = nil
        var violation = Double.infinity
        while stop == nil {
            if iteration >= iterationLimit { stop = .iterationLimit; break }
            counter -= 1
            if counter == 0 {
                counter = min(l, 1000)
                if shrinking { shrink() }
            }
            var pair = selectWorkingSet(violation: &violation)
            if pair == nil {
                // Optimal on the active set: check every variable before stopping.
                reconstructGradient()
                activeSize = l
                upValid = false
                pair = selectWorkingSet(violation: &violation)
                counter = 1 // shrink again at the next iteration
            }
            guard let (i, j) = pair else { break }
            iteration += 1
            // Two-variable subproblem (libsvm's Solver::Solve update), in ∇ = s·g.
            let si = sample[i], sj = sample[j]
            let columnI = cache.column(si)
            let columnJ = cache.column(sj)
            let qii = diagonal[i], qjj = diagonal[j]
            let qij = sign[i] * sign[j] * columnI[sj]
            let gradientI = sign[i] * signedGradient[i], gradientJ = sign[j] * signedGradient[j]
            let vi = variable[i], vj = variable[j]
            let oldI = alpha[vi], oldJ = alpha[vj]
            let supportBefore = (isSupport(si) ? 1 : 0) + (sj != si && isSupport(sj) ? 1 : 0)
            var ai = oldI, aj = oldJ
            let c = box
            if sign[i] != sign[j] {
                var quadratic = qii + qjj + 2 * qij
                if quadratic <= 0 { quadratic = PairwiseSMO.tau }
                let delta = (-gradientI - gradientJ) / quadratic
                let diff = ai - aj
                ai += delta; aj += delta
                if diff > 0 { if aj < 0 { aj = 0; ai = diff } } else if ai < 0 { ai = 0; aj = -diff }
                if diff > 0 { if ai > c { ai = c; aj = c - diff } } else if aj > c { aj = c; ai = c + diff }
            } else {
                var quadratic = qii + qjj - 2 * qij
                if quadratic <= 0 { quadratic = PairwiseSMO.tau }
                let delta = (gradientI - gradientJ) / quadratic
                let sum = ai + aj
                ai -= delta; aj += delta
                if sum > c { if ai > c { ai = c; aj = sum - c } } else if aj < 0 { aj = 0; ai = sum }
                if sum > c { if aj > c { aj = c; ai = sum - c } } else if ai < 0 { ai = 0; aj = sum }
            }
            alpha[vi] = ai
            alpha[vj] = aj
            let deltaI = ai - oldI, deltaJ = aj - oldJ
            // f(z + Δ) − f(z) with the gradient before the update (for the history).
            objective += gradientI * deltaI + gradientJ * deltaJ
                + 0.5 * (qii * deltaI * deltaI + qjj * deltaJ * deltaJ) + qij * deltaI * deltaJ
            let wasUpperI = isUpper(i), wasUpperJ = isUpper(j)
            updateStatus(i)
            updateStatus(j)
            // Gradient update fused with the first half of the next selection (m(z)).
            let weightI = sign[i] * deltaI, weightJ = sign[j] * deltaJ
            var best = -Double.infinity, bestIndex = -1
            for t in 0..<activeSize {
                let st = sample[t]
                let g = signedGradient[t] + (weightI * columnI[st] + weightJ * columnJ[st])
                signedGradient[t] = g
                if inUp[t] != 0 && -g >= best { best = -g; bestIndex = t }
            }
            upMaximum = best
            upIndex = bestIndex
            upValid = true
            // Ḡ (contribution of variables at C) is kept for gradient reconstruction.
            if wasUpperI != isUpper(i) {
                let w = (isUpper(i) ? c : -c) * sign[i]
                for t in 0..<l { signedGradientBar[t] += w * columnI[sample[t]] }
            }
            if wasUpperJ != isUpper(j) {
                let w = (isUpper(j) ? c : -c) * sign[j]
                for t in 0..<l { signedGradientBar[t] += w * columnJ[sample[t]] }
            }
            supportCount += (isSupport(si) ? 1 : 0) + (sj != si && isSupport(sj) ? 1 : 0) - supportBefore
            if !objective.isFinite { stop = .numericalError; break }
            let record = IterationRecord(iteration: iteration, objective: objective, extras: [
                Metric("max_kkt_violation", violation), Metric("support_vectors", Double(supportCount)),
                Metric("cache_hit_rate", cache.hitRate), Metric("active_size", Double(activeSize)),
            ])
            stop = control.record(record, iterationLimit: iterationLimit)
        }
        if activeSize < l { reconstructGradient(); activeSize = l }
        return outcome(status: stop ?? .optimal, iterations: iteration, violation: violation)
    }

    private func outcome(status: TerminationStatus, iterations: Int, violation: Double) -> SVROutcome {
        let n = sampleCount
        var beta = Array(repeating: 0.0, count: n)
        var kernelTimesBeta = Array(repeating: 0.0, count: n)
        // f = ½ Σ zₜ(∇ₜ + pₜ) with the (reconstructed) gradient, as libsvm reports it;
        // ∇ₜ + pₜ = sₜ(gₜ + sₜpₜ).
        var objective = 0.0
        for t in 0..<variableCount {
            objective += alpha[variable[t]] * sign[t] * (signedGradient[t] + signedLinear[t])
            // gₜ = (Kβ)ᵢ + sₜε − yᵢ for either variable of sample i; use αᵢ's.
            if sign[t] > 0 { kernelTimesBeta[sample[t]] = signedGradient[t] - epsilon + targets[sample[t]] }
        }
        objective *= 0.5
        for i in 0..<n { beta[i] = alpha[i] - alpha[i + n] }
        let intercept = -rho()
        let raw = status == .optimal
            ? "converged: max KKT violation \(violation) < \(tolerance)"
            : "stopped (\(status.rawValue)) with max KKT violation \(violation)"
        return SVROutcome(status: objective.isFinite ? status : .numericalError, rawStatus: raw, iterations: iterations, beta: beta,
                          intercept: intercept, objective: objective, kernelTimesBeta: kernelTimesBeta)
    }
}
