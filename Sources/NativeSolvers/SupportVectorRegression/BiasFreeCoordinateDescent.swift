import LagrangeCore
import LinearAlgebra

// MARK: - Bias-free form: greedy coordinate descent on β

/// min ½βᵀKβ − βᵀy + ε‖β‖₁ over |βᵢ| ≤ C. Keeps r = Kβ − y; each iteration computes, for
/// every i, the exact one-dimensional minimizer (a soft threshold clipped to the box) and
/// its decrease, and moves the coordinate with the largest decrease.
final class BiasFreeCoordinateDescent {
    let problem: SVRProblem
    let cache: KernelColumnCache
    let tolerance: Double
    let control: IterationControl

    init(problem: SVRProblem, cache: KernelColumnCache, tolerance: Double, control: IterationControl) {
        self.problem = problem
        self.cache = cache
        self.tolerance = tolerance
        self.control = control
    }

    /// The exact minimizer of ½k(b − β)² + r(b − β) + ε|b| over |b| ≤ C.
    @inline(__always)
    static func coordinateMinimizer(beta: Double, residual r: Double, curvature k: Double, epsilon: Double, box c: Double) -> Double {
        if k <= 0 {
            // Linear in b: go to the bound the slope favours, or 0 inside the dead zone.
            return r < -epsilon ? c : (r > epsilon ? -c : 0)
        }
        let z = beta - r / k, threshold = epsilon / k
        let b = z > threshold ? z - threshold : (z < -threshold ? z + threshold : 0)
        return min(max(b, -c), c)
    }

    func run() -> SVROutcome {
        let n = problem.training.targets.count
        let y = problem.training.targets
        let c = problem.boxConstraint, epsilon = problem.epsilon
        var beta = Array(repeating: 0.0, count: n)
        var residual = y.map { -$0 }
        let iterationLimit = control.iterationLimit(default: max(10_000_000, 200 * n))
        var iteration = 0
        var objective = 0.0
        var supportCount = 0
        var stop: TerminationStatus? = nil
        var maxViolation = Double.infinity
        let diagonal = cache.diagonal
        while stop == nil {
            var best = -1, bestDecrease = 0.0, bestValue = 0.0
            maxViolation = 0
            for i in 0..<n {
                let b = beta[i], r = residual[i]
                let v = SVRTermination.violation(beta: b, residual: r, epsilon: epsilon, box: c)
                if v > maxViolation { maxViolation = v }
                if v == 0 { continue }
                let k = diagonal[i]
                let candidate = BiasFreeCoordinateDescent.coordinateMinimizer(beta: b, residual: r, curvature: k, epsilon: epsilon, box: c)
                let delta = candidate - b
                let decrease = -(r * delta + 0.5 * k * delta * delta + epsilon * (abs(candidate) - abs(b)))
                if decrease > bestDecrease { bestDecrease = decrease; best = i; bestValue = candidate }
            }
            if SVRTermination.converged(maxViolation: maxViolation, tolerance: tolerance) { break }
            // Violations remain but no coordinate step decreases the objective in floating
            // point: report the stall rather than optimality.
            if best < 0 { stop = .slowProgress; break }
            if iteration >= iterationLimit { stop = .iterationLimit; break }
            iteration += 1
            let delta = bestValue - beta[best]
            if beta[best] != 0 { supportCount -= 1 }
            beta[best] = bestValue
            if bestValue != 0 { supportCount += 1 }
            let column = cache.column(best)
            for t in 0..<n { residual[t] += delta * column[t] }
            objective -= bestDecrease
            if !objective.isFinite { stop = .numericalError; break }
            let record = IterationRecord(iteration: iteration, objective: objective, extras: [
                Metric("max_kkt_violation", maxViolation), Metric("support_vectors", Double(supportCount)),
                Metric("cache_hit_rate", cache.hitRate), Metric("active_size", Double(n)),
            ])
            stop = control.record(record, iterationLimit: iterationLimit)
        }
        // Final objective from the residual: ½βᵀ(r − y) + ε‖β‖₁ = ½βᵀKβ − βᵀy + ε‖β‖₁.
        var finalObjective = 0.0
        var kernelTimesBeta = Array(repeating: 0.0, count: n)
        for i in 0..<n {
            finalObjective += 0.5 * beta[i] * (residual[i] - y[i]) + epsilon * abs(beta[i])
            kernelTimesBeta[i] = residual[i] + y[i]
        }
        let status = stop ?? .optimal
        let raw = status == .optimal
            ? "converged: max KKT violation \(maxViolation) < \(tolerance)"
            : "stopped (\(status.rawValue)) with max KKT violation \(maxViolation)"
        return SVROutcome(status: finalObjective.isFinite ? status : .numericalError, rawStatus: raw, iterations: iteration,
                          beta: beta, intercept: 0, objective: finalObjective, kernelTimesBeta: kernelTimesBeta)
    }
}
