import LagrangeCore
import LinearAlgebra

/// Newton's method on the KKT equations of a guessed active set: ALGENCAN's "acceleration"
/// (Birgin & Martínez, "Improving ultimate convergence of an augmented Lagrangian method",
/// Optim. Methods Softw. 23, 2008).
///
/// An augmented Lagrangian converges linearly at best, and its L-BFGS-B subproblems stall
/// in rounding before stationarity reaches 1e-8 relative. Near a KKT point the active set
/// is known, and the KKT conditions restricted to it are square equations
///
///     ∇F(x) + J_A(x)ᵀ y_A = 0   on the variables not fixed at a bound,
///     g_A(x) = b_A,
///
/// which Newton's method with the exact Lagrangian Hessian solves quadratically. The answer
/// is accepted only when the whole problem's residuals (``NLPOptimality``: feasibility,
/// stationarity and complementarity, multiplier signs included) are within the tolerance
/// *and* the KKT matrix has the inertia of a strict minimizer, (free, active, 0): a
/// wrong guess of the active set, or a saddle, is refused and the outer method goes on.
struct KKTNewtonAcceleration {
    let evaluation: NLPEvaluation
    /// Largest order n + |A| of the dense KKT matrix it will factor.
    static let largestOrder = 1500
    /// Newton steps per attempt.
    static let maximumSteps = 25

    struct Outcome {
        var x: [Double]
        var multipliers: [Double]
        var objective: Double
        var gradient: [Double]
        var values: [Double]
        var jacobian: [[Double]]
        var optimality: NLPOptimality
        var steps: Int
    }

    /// Tries to finish from (x, ŷ): first with the active set the multipliers suggest, then,
    /// if it differs, with the one nearness alone gives (for when the multipliers are poor).
    /// Nil when neither leads to a verified strict local minimizer.
    func attempt(x start: [Double], multipliers: [Double], tolerance: Double, shouldStop: @escaping () -> Bool) -> Outcome? {
        let program = evaluation.program
        guard program.objective.hasExactHessian, program.constraints.allSatisfy({ $0.function.hasExactHessian }) else { return nil }
        let (values, _) = evaluation.constraints(start)
        let trusting = activeSides(values: values, multipliers: multipliers, trustMultiplierSigns: true)
        if let outcome = attempt(x: start, multipliers: multipliers, side: trusting, tolerance: tolerance, shouldStop: shouldStop) {
            return outcome
        }
        let near = activeSides(values: values, multipliers: multipliers, trustMultiplierSigns: false)
        guard near != trusting else { return nil }
        return attempt(x: start, multipliers: multipliers, side: near, tolerance: tolerance, shouldStop: shouldStop)
    }

    /// The guessed active set, one entry per constraint: +1 (upper side or equality), −1
    /// (lower side), 0 (inactive). Equalities; inequality sides within 1e-6 of their bound;
    /// with `trustMultiplierSigns`, also sides whose multiplier has their sign.
    func activeSides(values: [Double], multipliers: [Double], trustMultiplierSigns: Bool) -> [Double] {
        evaluation.program.constraints.enumerated().map { i, c in
            if c.isEquality { return 1 }
            let nearUpper = c.upper < .infinity && values[i] >= c.upper - 1e-6 * max(1, abs(c.upper))
            let nearLower = c.lower > -.infinity && values[i] <= c.lower + 1e-6 * max(1, abs(c.lower))
            if c.upper < .infinity, nearUpper || (trustMultiplierSigns && multipliers[i] > 0) { return 1 }
            if c.lower > -.infinity, nearLower || (trustMultiplierSigns && multipliers[i] < 0) { return -1 }
            return 0
        }
    }

    /// Newton on the KKT equations of one guessed active set (`side`, from ``activeSides``).
    /// Variables exactly at a bound that the multipliers push against it stay fixed there
    /// (L-BFGS-B's iterates lie on a bound, not near it).
    private func attempt(x start: [Double], multipliers: [Double], side: [Double], tolerance: Double,
                         shouldStop: @escaping () -> Bool) -> Outcome? {
        let program = evaluation.program
        let n = evaluation.n, m = evaluation.m
        var x = start
        var gradient = Array(repeating: 0.0, count: n)
        _ = evaluation.objective(x, &gradient)
        let (_, jacobian) = evaluation.constraints(x)
        let active = (0..<m).filter { side[$0] != 0 }
        var z = gradient
        for i in active where multipliers[i] != 0 { for j in 0..<n { z[j] += multipliers[i] * jacobian[i][j] } }
        var free: [Int] = []
        for j in 0..<n {
            let lo = program.lowerBounds[j], up = program.upperBounds[j]
            if lo == up { x[j] = lo; continue }
            if x[j] <= lo, z[j] >= 0 { x[j] = lo; continue }
            if x[j] >= up, z[j] <= 0 { x[j] = up; continue }
            free.append(j)
        }
        let order = free.count + active.count
        guard order > 0, order <= Self.largestOrder, active.count <= free.count else { return nil }
        var y = Array(repeating: 0.0, count: m)
        // A multiplier of the wrong sign for its side starts at 0 (Newton finds its value: the
        // equations are linear in y).
        for i in active where program.constraints[i].isEquality || side[i] * multipliers[i] > 0 { y[i] = multipliers[i] }

        func residual(_ gradient: [Double], _ values: [Double], _ jacobian: [[Double]], _ y: [Double]) -> [Double] {
            var r = Array(repeating: 0.0, count: order)
            for (p, j) in free.enumerated() {
                var s = gradient[j]
                for i in active { s += y[i] * jacobian[i][j] }
                r[p] = s
            }
            for (q, i) in active.enumerated() {
                let c = program.constraints[i]
                r[free.count + q] = values[i] - (c.isEquality || side[i] > 0 ? c.upper : c.lower)
            }
            return r
        }
        func norm(_ r: [Double]) -> Double { r.reduce(0) { max($0, abs($1)) } }

        var f = evaluation.objective(x, &gradient)
        var (currentValues, currentJacobian) = evaluation.constraints(x)
        var r = residual(gradient, currentValues, currentJacobian, y)
        for step in 0...Self.maximumSteps {
            if shouldStop() { return nil }
            guard let hessian = lagrangianHessian(x, y, active: active) else { return nil }
            var k = Array(repeating: 0.0, count: order * order)
            for (p, j) in free.enumerated() {
                for (q, l) in free.enumerated() { k[p * order + q] = hessian[j * n + l] }
                for (q, i) in active.enumerated() {
                    k[p * order + free.count + q] = currentJacobian[i][j]
                    k[(free.count + q) * order + p] = currentJacobian[i][j]
                }
            }
            let factored = DenseSymmetricIndefinite(k, order: order, shouldStop: shouldStop)
            if factored.stopped || factored.inertia.zero > 0 { return nil }
            let optimality = NLPOptimality(evaluation, x: x, gradient: gradient, values: currentValues, jacobian: currentJacobian, multipliers: y)
            if optimality.feasibility <= tolerance, optimality.stationarity <= tolerance, optimality.complementarity <= tolerance {
                // A strict local minimizer on the active set, not a saddle or a maximum.
                guard factored.inertia.positive == free.count, factored.inertia.negative == active.count else { return nil }
                return Outcome(x: x, multipliers: y, objective: f, gradient: gradient, values: currentValues, jacobian: currentJacobian,
                               optimality: optimality, steps: step)
            }
            guard step < Self.maximumSteps else { return nil }
            let d = factored.solve(r.map { -$0 })
            guard d.allSatisfy({ $0.isFinite }) else { return nil }
            // Full Newton steps, halved until the residual falls (at most eight times).
            var accepted = false
            var alpha = 1.0
            for _ in 0..<8 {
                var trialX = x, trialY = y
                for (p, j) in free.enumerated() { trialX[j] += alpha * d[p] }
                for (q, i) in active.enumerated() { trialY[i] += alpha * d[free.count + q] }
                var trialGradient = gradient
                let trialF = evaluation.objective(trialX, &trialGradient)
                let (trialValues, trialJacobian) = evaluation.constraints(trialX)
                let trialR = residual(trialGradient, trialValues, trialJacobian, trialY)
                if trialF.isFinite, trialR.allSatisfy({ $0.isFinite }), norm(trialR) < norm(r) || norm(trialR) == 0 {
                    (x, y, f, gradient, currentValues, currentJacobian, r) = (trialX, trialY, trialF, trialGradient, trialValues, trialJacobian, trialR)
                    accepted = true
                    break
                }
                alpha /= 2
            }
            guard accepted else { return nil }
        }
        return nil
    }

    /// ∇²F + Σ_A ŷᵢ∇²gᵢ, row-major n×n.
    private func lagrangianHessian(_ x: [Double], _ y: [Double], active: [Int]) -> [Double]? {
        let program = evaluation.program
        let n = evaluation.n
        guard var h = program.objective.hessian(at: x), h.count == n * n else { return nil }
        if evaluation.sign < 0 { for k in h.indices { h[k] = -h[k] } }
        for i in active where y[i] != 0 {
            let function = program.constraints[i].function
            if function.isConvex && function.isConcave { continue }   // affine
            guard let hc = function.hessian(at: x), hc.count == n * n else { return nil }
            for k in h.indices { h[k] += y[i] * hc[k] }
        }
        return h
    }
}
