import LagrangeCore
import LinearAlgebra

/// A nonlinear program in the interior point's form (Wächter & Biegler 2006, §3.4): the
/// unknowns w = (x, s) with a slack sₖ for each inequality constraint, the equations
/// c(w) = 0 (gᵢ(x) − bᵢ for an equality, gᵢ(x) − sₖ for an inequality) and the bounds
/// lo ≤ w ≤ up (the variables' and the inequalities' own; the variables' relaxed by
/// ``InteriorPointSettings/boundRelaxation``). f and each cᵢ carry a scale factor
/// (``InteriorPointSettings/scalingGradient``), so the method sees F̃ = s_f·F and c̃ᵢ = sᵢ·cᵢ.
final class InteriorPointWorkspace {
    let evaluation: NLPEvaluation
    var program: NonlinearProgram { evaluation.program }
    let n: Int, m: Int
    /// n plus the number of inequality constraints.
    let size: Int
    /// The slack of each constraint (its index in w), nil for an equality.
    let slackIndex: [Int?]
    let lower: [Double], upper: [Double]
    let objectiveScale: Double
    let constraintScales: [Double]
    /// Whether the Hessian of each function is zero (an affine function), so it is not formed.
    private let constraintIsAffine: [Bool]

    init(_ evaluation: NLPEvaluation, settings: InteriorPointSettings) {
        self.evaluation = evaluation
        let program = evaluation.program
        n = evaluation.n
        m = evaluation.m
        var slackIndex: [Int?] = [], lower = program.lowerBounds, upper = program.upperBounds
        for c in program.constraints {
            if c.isEquality { slackIndex.append(nil); continue }
            slackIndex.append(lower.count)
            lower.append(c.lower)
            upper.append(c.upper)
        }
        size = lower.count
        // Only the variables' bounds are relaxed: the result's x is put back inside them, but
        // a constraint settling on a relaxed side would keep |ŷ|·(its overshoot) as
        // complementarity (hs116 stalled at 2e-7 that way).
        let variableCount = n
        func relax(_ j: Int) -> Double {
            guard j < variableCount else { return 0 }
            return lower[j] == upper[j] ? max(settings.boundRelaxation, 1e-10) : settings.boundRelaxation
        }
        self.lower = lower.indices.map { lower[$0].isFinite ? lower[$0] - relax($0) * max(1, abs(lower[$0])) : lower[$0] }
        self.upper = upper.indices.map { upper[$0].isFinite ? upper[$0] + relax($0) * max(1, abs(upper[$0])) : upper[$0] }
        self.slackIndex = slackIndex
        constraintIsAffine = program.constraints.map { $0.function.isConvex && $0.function.isConcave }
        // Gradient-based scaling at the start (Ipopt's nlp_scaling_method): never enlarges.
        let start = program.projectedStart
        var gradient = Array(repeating: 0.0, count: n)
        _ = evaluation.objective(start, &gradient)
        let (_, jacobian) = evaluation.constraints(start)
        func factor(_ row: [Double]) -> Double {
            let largest = row.reduce(0) { max($0, abs($1)) }
            guard settings.scalingGradient > 0, largest.isFinite, largest > settings.scalingGradient else { return 1 }
            return max(settings.scalingGradient / largest, 1e-8)
        }
        objectiveScale = factor(gradient)
        constraintScales = jacobian.map(factor)
    }

    /// Everything the method needs at one point w.
    struct Point {
        var w: [Double]
        /// F̃(x) and its gradient over w (zero on the slacks).
        var objective: Double
        var gradient: [Double]
        /// c̃(w) and its Jacobian rows over w.
        var residuals: [Double]
        var jacobian: [[Double]]
        /// The unscaled F(x), ∇F(x), gᵢ(x) and ∇gᵢ(x), for the project's measures.
        var unscaledObjective: Double
        var unscaledGradient: [Double]
        var values: [Double]
        var unscaledJacobian: [[Double]]

        /// θ(w) = ‖c̃(w)‖₁, the filter's infeasibility.
        var infeasibility: Double { residuals.reduce(0) { $0 + abs($1) } }
        var isFinite: Bool { objective.isFinite && residuals.allSatisfy(\.isFinite) && gradient.allSatisfy(\.isFinite) }
    }

    func point(_ w: [Double]) -> Point {
        let x = Array(w[0..<n])
        var gradient = Array(repeating: 0.0, count: n)
        let objective = evaluation.objective(x, &gradient)
        let (values, jacobian) = evaluation.constraints(x)
        var scaledGradient = Array(repeating: 0.0, count: size)
        for j in 0..<n { scaledGradient[j] = objectiveScale * gradient[j] }
        var residuals = Array(repeating: 0.0, count: m)
        var rows: [[Double]] = []
        rows.reserveCapacity(m)
        for (i, c) in program.constraints.enumerated() {
            let scale = constraintScales[i]
            var row = Array(repeating: 0.0, count: size)
            for j in 0..<n { row[j] = scale * jacobian[i][j] }
            if let k = slackIndex[i] {
                residuals[i] = scale * (values[i] - w[k])
                row[k] = -scale
            } else {
                residuals[i] = scale * (values[i] - c.upper)
            }
            rows.append(row)
        }
        return Point(w: w, objective: objectiveScale * objective, gradient: scaledGradient, residuals: residuals, jacobian: rows,
                     unscaledObjective: objective, unscaledGradient: gradient, values: values, unscaledJacobian: jacobian)
    }

    /// The project's multipliers ŷ (L = F + Σŷᵢgᵢ) from the scaled λ̃.
    func unscaledMultipliers(_ lambda: [Double]) -> [Double] {
        (0..<m).map { lambda[$0] * constraintScales[$0] / objectiveScale }
    }

    /// ∇²ₓₓ of L̃ = F̃ + Σ λ̃ᵢc̃ᵢ (the x block; the slacks enter linearly), dense n×n; nil when
    /// a function offers no Hessian or `shouldStop` answers true.
    func lagrangianHessian(_ x: [Double], lambda: [Double], shouldStop: () -> Bool) -> [Double]? {
        guard var h = program.objective.hessian(at: x, shouldStop: shouldStop), h.count == n * n else { return nil }
        let objectiveWeight = evaluation.sign * objectiveScale
        for k in h.indices { h[k] *= objectiveWeight }
        for (i, c) in program.constraints.enumerated() where lambda[i] != 0 && !constraintIsAffine[i] {
            guard let hc = c.function.hessian(at: x, shouldStop: shouldStop), hc.count == n * n else { return nil }
            let weight = lambda[i] * constraintScales[i]
            for k in h.indices { h[k] += weight * hc[k] }
        }
        return h
    }

    /// Whether every function's Hessian is exact (automatic differentiation or given), so
    /// that the inertia of the final KKT matrix says something about second-order conditions.
    var hasExactHessians: Bool {
        program.objective.hasExactHessian && program.constraints.allSatisfy { $0.function.hasExactHessian }
    }

    /// The primal-dual KKT matrix of Wächter & Biegler (2006), eq. (13), dense of order
    /// size + m: [W + Σ + δ_w I, Ãᵀ; Ã, −δ_c I], with W the Lagrangian Hessian on the x block.
    func kktMatrix(hessian: [Double], sigma: [Double], jacobian: [[Double]], primalShift: Double, dualShift: Double) -> [Double] {
        let order = size + m
        var k = Array(repeating: 0.0, count: order * order)
        for i in 0..<n { for j in 0..<n { k[i * order + j] = hessian[i * n + j] } }
        for j in 0..<size { k[j * order + j] += sigma[j] + primalShift }
        for (i, row) in jacobian.enumerated() {
            for j in 0..<size where row[j] != 0 {
                k[(size + i) * order + j] = row[j]
                k[j * order + size + i] = row[j]
            }
            k[(size + i) * order + size + i] = -dualShift
        }
        return k
    }

    /// The outcome of ``factorWithInertiaCorrection(hessian:sigma:jacobian:mu:lastShift:)``.
    struct Factored {
        var factorization: DenseSymmetricIndefinite
        var primalShift: Double
        var dualShift: Double
        var attempts: Int
    }

    /// Ipopt's inertia correction (Wächter & Biegler 2006, Algorithm IC): factor with no
    /// shift; on a zero eigenvalue (dependent constraint gradients) add δ_c = 1e-8·μ^¼;
    /// while the inertia is not (size, m, 0) raise δ_w, starting at 1e-4 (or a third of the
    /// last iteration's shift) and multiplying by 100 (8 after a successful earlier shift).
    /// Nil when δ_w passes 1e40.
    /// Nil too when `shouldStop` stopped a factorization.
    func factorWithInertiaCorrection(hessian: [Double], sigma: [Double], jacobian: [[Double]], mu: Double,
                                     lastShift: Double, shouldStop: @escaping () -> Bool) -> Factored? {
        var primalShift = 0.0, dualShift = 0.0, attempts = 0
        func factor() -> DenseSymmetricIndefinite {
            attempts += 1
            return DenseSymmetricIndefinite(kktMatrix(hessian: hessian, sigma: sigma, jacobian: jacobian, primalShift: primalShift,
                                                      dualShift: dualShift), order: size + m, shouldStop: shouldStop)
        }
        var factorization = factor()
        if factorization.stopped { return nil }
        if factorization.inertia.zero > 0 {
            dualShift = 1e-8 * mu.squareRoot().squareRoot()
            factorization = factor()
        }
        if factorization.inertia.positive == size && factorization.inertia.negative == m {
            return Factored(factorization: factorization, primalShift: 0, dualShift: dualShift, attempts: attempts)
        }
        primalShift = lastShift == 0 ? 1e-4 : max(1e-20, lastShift / 3)
        while primalShift <= 1e40 {
            factorization = factor()
            if factorization.stopped { return nil }
            if factorization.inertia.zero > 0, dualShift == 0 {
                dualShift = 1e-8 * mu.squareRoot().squareRoot()
                factorization = factor()
            }
            if factorization.inertia.positive == size && factorization.inertia.negative == m {
                return Factored(factorization: factorization, primalShift: primalShift, dualShift: dualShift, attempts: attempts)
            }
            primalShift *= lastShift == 0 ? 100 : 8
        }
        return nil
    }
}
