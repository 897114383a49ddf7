import LagrangeCore
import LinearAlgebra

/// `native.linear-svr`'s loop (the method is described on ``LinearSVRSolver``): epochs of
/// dual coordinate descent over w = Xᵀβ in a seeded random order, with liblinear's
/// shrinking, until the maximal KKT violation over all coordinates is below the tolerance.
enum LinearSVRDualCoordinateDescent {
    static func run(_ svr: SVRProblem, settings: LinearSVRSettings, control: IterationControl, seed: UInt64) -> SolveResult {
        let tolerance = settings.tolerance, biasFeature = settings.biasFeature
        let x = svr.training.features
        let y = svr.training.targets
        let n = x.rows, d0 = x.columns
        // Augmented width: one constant column when the intercept is wanted.
        let d = svr.bias ? d0 + 1 : d0
        var rows = Array(repeating: 0.0, count: n * d)
        for i in 0..<n {
            for k in 0..<d0 { rows[i * d + k] = x.storage[i * d0 + k] }
            if svr.bias { rows[i * d + d0] = biasFeature }
        }
        let c = svr.boxConstraint, epsilon = svr.epsilon
        var beta = Array(repeating: 0.0, count: n)
        var w = Array(repeating: 0.0, count: d)
        var diagonal = Array(repeating: 0.0, count: n)
        for i in 0..<n { var s = 0.0; for k in 0..<d { s += rows[i * d + k] * rows[i * d + k] }; diagonal[i] = s }
        var order = Array(0..<n)
        var activeSize = n
        var previousMax = Double.infinity
        var generator = SeededGenerator(seed: seed)
        let epochLimit = control.iterationLimit(default: 100_000)
        var epoch = 0
        var stop: TerminationStatus? = nil
        var maxViolation = Double.infinity
        rows.withUnsafeBufferPointer { xs in
            w.withUnsafeMutableBufferPointer { wp in
                while stop == nil {
                    if epoch >= epochLimit { stop = .iterationLimit; break }
                    epoch += 1
                    // Fisher–Yates with the project's generator (reproducible across toolchains).
                    for s in 0..<activeSize {
                        let t = s + generator.nextIndex(below: activeSize - s)
                        order.swapAt(s, t)
                    }
                    var newMax = 0.0
                    var s = 0
                    while s < activeSize {
                        let i = order[s]
                        let base = i * d
                        var g = -y[i]
                        for k in 0..<d { g += wp[k] * xs[base + k] }
                        let b = beta[i]
                        let v = SVRTermination.violation(beta: b, residual: g, epsilon: epsilon, box: c)
                        // Shrink coordinates at 0 or ±C whose gradient points outward by more
                        // than the last epoch's largest violation (liblinear's rule).
                        let gp = g + epsilon, gn = g - epsilon
                        let shrinkable: Bool
                        if b == 0 { shrinkable = gp > previousMax && gn < -previousMax }
                        else if b >= c { shrinkable = gp < -previousMax }
                        else if b <= -c { shrinkable = gn > previousMax }
                        else { shrinkable = false }
                        if shrinkable {
                            activeSize -= 1
                            order.swapAt(s, activeSize)
                            continue
                        }
                        newMax = max(newMax, v)
                        let candidate = BiasFreeCoordinateDescent.coordinateMinimizer(beta: b, residual: g, curvature: diagonal[i], epsilon: epsilon, box: c)
                        let delta = candidate - b
                        if delta != 0 {
                            beta[i] = candidate
                            for k in 0..<d { wp[k] += delta * xs[base + k] }
                        }
                        s += 1
                    }
                    maxViolation = newMax
                    var converged = false
                    if SVRTermination.converged(maxViolation: newMax, tolerance: tolerance) {
                        if activeSize == n { converged = true } else {
                            // Converged on the active set: unshrink and check everything.
                            activeSize = n
                            previousMax = .infinity
                        }
                    } else {
                        previousMax = newMax
                    }
                    var objective = 0.0
                    for k in 0..<d { objective += 0.5 * wp[k] * wp[k] }
                    var support = 0
                    for i in 0..<n { objective += -beta[i] * y[i] + epsilon * abs(beta[i]); if beta[i] != 0 { support += 1 } }
                    if !objective.isFinite { stop = .numericalError; break }
                    let record = IterationRecord(iteration: epoch, objective: objective, extras: [
                        Metric("max_kkt_violation", newMax), Metric("support_vectors", Double(support)),
                        Metric("cache_hit_rate", 0), Metric("active_size", Double(activeSize)),
                    ])
                    if converged { _ = control.record(record, iterationLimit: nil); break }
                    stop = control.record(record, iterationLimit: epochLimit)
                }
            }
        }
        // Exact residuals for the outcome: (Xw)ᵢ with the augmented column included.
        var kernelTimesBeta = Array(repeating: 0.0, count: n)
        var objective = 0.0
        for k in 0..<d { objective += 0.5 * w[k] * w[k] }
        for i in 0..<n {
            var s = 0.0
            for k in 0..<d { s += w[k] * rows[i * d + k] }
            objective += -beta[i] * y[i] + epsilon * abs(beta[i])
            kernelTimesBeta[i] = svr.bias ? s - w[d0] * biasFeature : s
        }
        let intercept = svr.bias ? w[d0] * biasFeature : 0
        let status = stop ?? .optimal
        var outcome = SVROutcome(status: status, rawStatus: status == .optimal
                                     ? "converged: max KKT violation \(maxViolation) < \(tolerance)"
                                     : "stopped (\(status.rawValue)) with max KKT violation \(maxViolation)",
                                 iterations: epoch, beta: beta, intercept: intercept, objective: objective, kernelTimesBeta: kernelTimesBeta)
        if svr.bias {
            outcome.notes.append("intercept regularized as liblinear's -B \(biasFeature) (a constant feature); native.smo gives libsvm's unregularized intercept")
        }
        return SVRResultBuilder.result(problem: svr, outcome: outcome, linearWeights: Array(w.prefix(d0)))
    }
}
