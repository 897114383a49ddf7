import Foundation
import LagrangeCore
import LinearAlgebra

/// One run of the interior-point method: the iterate and the loop.
struct InteriorPointRun {
    let space: InteriorPointWorkspace
    let settings: InteriorPointSettings
    let control: IterationControl
    var n: Int { space.n }
    var m: Int { space.m }
    var size: Int { space.size }

    var point: InteriorPointWorkspace.Point
    var lambda: [Double]
    var lowerMultipliers: [Double]
    var upperMultipliers: [Double]
    var mu: Double
    /// (θ, φ) pairs, margins included: a trial point is rejected when it is no better in both.
    var filter: [(theta: Double, phi: Double)] = []
    var thetaMax = 0.0, thetaMin = 0.0
    var lastShift = 0.0
    var iteration = 0
    var restorations = 0
    var lastStep = 0.0
    /// The x part of the last accepted step, for the unboundedness probe.
    var lastDirection: [Double] = []
    var startObjective = 0.0
    var nextRayProbe = 0
    var probeAnchor: [Double] = []
    /// Consecutive iterations whose step the line search cut below 1e-3 of the largest.
    var shortSteps = 0

    init(_ space: InteriorPointWorkspace, settings: InteriorPointSettings, control: IterationControl) {
        self.space = space
        self.settings = settings
        self.control = control
        let program = space.program
        // The start pushed inside the bounds (Ipopt's κ₁ = κ₂ = 1e-2), the slacks at g(x₀) pushed likewise.
        func pushed(_ v: Double, _ lo: Double, _ up: Double) -> Double {
            var lowPush = 1e-2 * max(1, abs(lo)), highPush = 1e-2 * max(1, abs(up))
            if lo.isFinite, up.isFinite { lowPush = min(lowPush, 1e-2 * (up - lo)); highPush = min(highPush, 1e-2 * (up - lo)) }
            return min(max(v, lo + lowPush), up - highPush)
        }
        var w = Array(repeating: 0.0, count: space.size)
        for j in 0..<space.n { w[j] = pushed(program.start[j], space.lower[j], space.upper[j]) }
        let start = space.point(w)
        for i in 0..<space.m { if let k = space.slackIndex[i] { w[k] = pushed(start.values[i], space.lower[k], space.upper[k]) } }
        point = space.point(w)
        lowerMultipliers = space.lower.map { $0.isFinite ? 1 : 0 }
        upperMultipliers = space.upper.map { $0.isFinite ? 1 : 0 }
        mu = settings.initialBarrier
        lambda = Array(repeating: 0, count: space.m)
        startObjective = point.unscaledObjective
        let theta = point.infeasibility
        thetaMax = 1e4 * max(1, theta)
        thetaMin = 1e-4 * max(1, theta)
    }

    // MARK: barrier quantities

    func lowerDistance(_ w: [Double], _ j: Int) -> Double { w[j] - space.lower[j] }
    func upperDistance(_ w: [Double], _ j: Int) -> Double { space.upper[j] - w[j] }

    /// φ_μ(w) = F̃ − μ Σ ln(distance to each finite bound) + κ_d μ Σ (distance, one-sided bounds).
    func barrier(_ p: InteriorPointWorkspace.Point) -> Double {
        var phi = p.objective
        for j in 0..<size {
            let hasLower = space.lower[j].isFinite, hasUpper = space.upper[j].isFinite
            if hasLower { phi -= mu * log(lowerDistance(p.w, j)) }
            if hasUpper { phi -= mu * log(upperDistance(p.w, j)) }
            if hasLower != hasUpper { phi += settings.boundDamping * mu * (hasLower ? lowerDistance(p.w, j) : upperDistance(p.w, j)) }
        }
        return phi
    }

    func barrierGradient(_ p: InteriorPointWorkspace.Point) -> [Double] {
        var g = p.gradient
        for j in 0..<size {
            let hasLower = space.lower[j].isFinite, hasUpper = space.upper[j].isFinite
            if hasLower { g[j] -= mu / lowerDistance(p.w, j) }
            if hasUpper { g[j] += mu / upperDistance(p.w, j) }
            if hasLower != hasUpper { g[j] += settings.boundDamping * mu * (hasLower ? 1 : -1) }
        }
        return g
    }

    /// Σ = Z_L/(w − lo) + Z_U/(up − w), the bounds' part of the primal-dual Hessian.
    func sigma() -> [Double] {
        (0..<size).map { j in
            var s = 0.0
            if space.lower[j].isFinite { s += lowerMultipliers[j] / lowerDistance(point.w, j) }
            if space.upper[j].isFinite { s += upperMultipliers[j] / upperDistance(point.w, j) }
            return s
        }
    }

    /// ∇F̃ + Ãᵀλ − z_L + z_U, the (scaled) dual residual.
    func dualResidual(_ p: InteriorPointWorkspace.Point, lambda: [Double]) -> [Double] {
        var r = p.gradient
        for (i, row) in p.jacobian.enumerated() where lambda[i] != 0 { for j in 0..<size where row[j] != 0 { r[j] += lambda[i] * row[j] } }
        for j in 0..<size { r[j] += upperMultipliers[j] - lowerMultipliers[j] }
        return r
    }

    /// Ipopt's optimality error of the barrier problem for barrier `target` (eq. 5), with
    /// the dual and complementarity parts scaled down when the multipliers are large.
    func barrierError(_ target: Double) -> Double {
        let boundCount = (0..<size).reduce(0) { $0 + (space.lower[$1].isFinite ? 1 : 0) + (space.upper[$1].isFinite ? 1 : 0) }
        let zSum = lowerMultipliers.reduce(0) { $0 + abs($1) } + upperMultipliers.reduce(0) { $0 + abs($1) }
        let lambdaSum = lambda.reduce(0) { $0 + abs($1) }
        let dualScale = max(100, (zSum + lambdaSum) / Double(max(1, boundCount + m))) / 100
        let complementarityScale = max(100, zSum / Double(max(1, boundCount))) / 100
        let dual = dualResidual(point, lambda: lambda).reduce(0) { max($0, abs($1)) } / dualScale
        let primal = point.residuals.reduce(0) { max($0, abs($1)) }
        var complementarity = 0.0
        for j in 0..<size {
            if space.lower[j].isFinite { complementarity = max(complementarity, abs(lowerDistance(point.w, j) * lowerMultipliers[j] - target)) }
            if space.upper[j].isFinite { complementarity = max(complementarity, abs(upperDistance(point.w, j) * upperMultipliers[j] - target)) }
        }
        return max(dual, primal, complementarity / complementarityScale)
    }

    /// Whether the caller's limits or a cancellation ask the run to stop.
    var stopRequested: () -> Bool {
        let control = self.control
        return { control.checkInterrupt() != nil }
    }

    /// Least-squares λ of [I Ãᵀ; Ã 0] (Ipopt's initial estimate), nil when it exceeds 1e3
    /// in size (a poor estimate far from a solution) or the limits stopped the factorization.
    func leastSquaresMultipliers() -> [Double]? {
        guard m > 0 else { return [] }
        let identity = Array(repeating: 1.0, count: size)
        let k = space.kktMatrix(hessian: Array(repeating: 0, count: n * n), sigma: identity, jacobian: point.jacobian,
                                primalShift: 0, dualShift: 0)
        let factorization = DenseSymmetricIndefinite(k, order: size + m, shouldStop: stopRequested)
        guard !factorization.stopped else { return nil }
        var rhs = Array(repeating: 0.0, count: size + m)
        for j in 0..<size { rhs[j] = -(point.gradient[j] - lowerMultipliers[j] + upperMultipliers[j]) }
        let solution = factorization.solve(rhs)
        let estimate = Array(solution[size...])
        guard estimate.allSatisfy({ $0.isFinite && abs($0) <= 1e3 }) else { return nil }
        return estimate
    }

    /// The largest α ≤ 1 with v + α·dv ≥ (1 − τ)·v componentwise for the distances v.
    static func fractionToBoundary(_ distances: [Double], _ changes: [Double], tau: Double) -> Double {
        var alpha = 1.0
        for (v, dv) in zip(distances, changes) where dv < 0 { alpha = min(alpha, -tau * v / dv) }
        return alpha
    }

    func primalStepLimit(_ dw: [Double], tau: Double) -> Double {
        var distances: [Double] = [], changes: [Double] = []
        for j in 0..<size {
            if space.lower[j].isFinite { distances.append(lowerDistance(point.w, j)); changes.append(dw[j]) }
            if space.upper[j].isFinite { distances.append(upperDistance(point.w, j)); changes.append(-dw[j]) }
        }
        return Self.fractionToBoundary(distances, changes, tau: tau)
    }

    /// The bound multipliers' steps for the primal step dw (the linearized complementarity).
    func multiplierSteps(_ dw: [Double]) -> (lower: [Double], upper: [Double]) {
        var dl = Array(repeating: 0.0, count: size), du = Array(repeating: 0.0, count: size)
        for j in 0..<size {
            if space.lower[j].isFinite {
                let d = lowerDistance(point.w, j)
                dl[j] = mu / d - lowerMultipliers[j] - lowerMultipliers[j] / d * dw[j]
            }
            if space.upper[j].isFinite {
                let d = upperDistance(point.w, j)
                du[j] = mu / d - upperMultipliers[j] + upperMultipliers[j] / d * dw[j]
            }
        }
        return (dl, du)
    }

    // MARK: the loop

    /// The project's measures at the current point, with x put back into the original bounds.
    func finalPoint() -> (x: [Double], optimality: NLPOptimality, objective: Double, multipliers: [Double]) {
        let program = space.program
        let x = (0..<n).map { min(max(point.w[$0], program.lowerBounds[$0]), program.upperBounds[$0]) }
        let evaluation = space.evaluation
        var gradient = Array(repeating: 0.0, count: n)
        let f = evaluation.objective(x, &gradient)
        let (values, jacobian) = evaluation.constraints(x)
        let y = space.unscaledMultipliers(lambda)
        return (x, NLPOptimality(evaluation, x: x, gradient: gradient, values: values, jacobian: jacobian, multipliers: y), f, y)
    }

    func meetsTolerance(_ o: NLPOptimality) -> Bool {
        max(o.feasibility, o.stationarity, o.complementarity) <= settings.tolerance
    }

    func currentOptimality() -> NLPOptimality {
        NLPOptimality(space.evaluation, x: Array(point.w[0..<n]), gradient: point.unscaledGradient, values: point.values,
                      jacobian: point.unscaledJacobian, multipliers: space.unscaledMultipliers(lambda))
    }

    mutating func solve() throws -> SolveResult {
        let limit = control.iterationLimit(default: settings.maxIterations)
        let tolerance = settings.tolerance
        let minimumBarrier = tolerance / 100
        var acceptableCount = 0
        guard point.isFinite else { return finish(.numericalError, "f, g or a gradient is not finite at the start") }
        lambda = leastSquaresMultipliers() ?? lambda
        while true {
            let optimality = currentOptimality()
            let evaluation = space.evaluation
            let stop = control.record(IterationRecord(iteration: iteration, objective: evaluation.sign * point.unscaledObjective,
                                                      primalResidual: optimality.feasibility, dualResidual: optimality.stationarity,
                                                      stepSize: lastStep,
                                                      extras: optimality.metrics + [Metric("mu", mu), Metric("regularization", lastShift),
                                                                                    Metric("restorations", Double(restorations))] + evaluation.counters),
                                      iterationLimit: limit)
            if optimality.feasibility <= tolerance, optimality.stationarity <= tolerance, optimality.complementarity <= tolerance,
               meetsTolerance(finalPoint().optimality) {
                return converged()
            }
            if optimality.feasibility <= tolerance, point.unscaledObjective < -1e20 {
                var result = finish(.unbounded, "F below −1e20 at a feasible point")
                result.notes.append("f fell below −1e20 at a feasible point: unbounded as far as iterates can tell (not proved)")
                return result
            }
            if optimality.feasibility <= tolerance, iteration >= nextRayProbe,
               point.unscaledObjective < startObjective - 1e8 * max(1, abs(startObjective)), let ray = rayToUnboundedness() {
                point = ray
                var result = finish(.unbounded, "F below −1e20 at a feasible point on a ray from a feasible iterate")
                result.notes.append("f fell below −1e20 at a feasible point: unbounded as far as iterates can tell (not proved)")
                return result
            }
            let worst = max(optimality.feasibility, optimality.stationarity, optimality.complementarity)
            acceptableCount = worst <= 1e-6 ? acceptableCount + 1 : 0
            if acceptableCount >= 15 {
                return finish(.almostOptimal, "every measure ≤ 1e-6 for 15 iterations (worst \(worst)), short of \(tolerance)")
            }
            if let stop { return finish(stop, stop.rawValue) }
            // Monotone barrier update, possibly several times at once (Ipopt's step A-3).
            while mu > minimumBarrier, barrierError(mu) <= settings.barrierSubproblemFactor * mu {
                mu = max(minimumBarrier, min(settings.barrierFactor * mu, pow(mu, settings.barrierPower)))
                filter.removeAll()
            }
            iteration += 1
            switch try step() {
            case .accepted: continue
            case .failed(let status, let why): return finish(status, why)
            case .locallyInfeasible: return infeasibleResult()
            }
        }
    }

    enum StepOutcome {
        case accepted
        case failed(TerminationStatus, String)
        case locallyInfeasible
    }

    /// One iteration: the Newton direction, then the filter line search (or restoration).
    mutating func step() throws -> StepOutcome {
        guard let hessian = space.lagrangianHessian(Array(point.w[0..<n]), lambda: lambda, shouldStop: { control.checkInterrupt() != nil }) else {
            if let stop = control.checkInterrupt() { return .failed(stop, stop.rawValue) }
            throw SolverError.unsupported("native.interior-point needs the Hessians of f and of every constraint (an expression, or a closure with a Hessian)")
        }
        let sigma = self.sigma()
        guard let factored = space.factorWithInertiaCorrection(hessian: hessian, sigma: sigma, jacobian: point.jacobian, mu: mu,
                                                                lastShift: lastShift, shouldStop: stopRequested) else {
            if let stop = control.checkInterrupt() { return .failed(stop, stop.rawValue) }
            return .failed(.numericalError, "the inertia correction passed δ_w = 1e40")
        }
        lastShift = factored.primalShift
        let gradient = barrierGradient(point)
        var rhs = Array(repeating: 0.0, count: size + m)
        var top = gradient
        for (i, row) in point.jacobian.enumerated() where lambda[i] != 0 { for j in 0..<size where row[j] != 0 { top[j] += lambda[i] * row[j] } }
        for j in 0..<size { rhs[j] = -top[j] }
        for i in 0..<m { rhs[size + i] = -point.residuals[i] }
        let solution = factored.factorization.solve(rhs)
        guard solution.allSatisfy(\.isFinite) else { return .failed(.numericalError, "the Newton direction is not finite") }
        let dw = Array(solution[0..<size]), dLambda = Array(solution[size...])
        let tau = max(settings.minimumBoundaryFraction, 1 - mu)
        let theta = point.infeasibility, phi = barrier(point)
        let slope = Vector.dot(gradient, dw)
        let alphaMax = primalStepLimit(dw, tau: tau)

        // A step below rounding of w: take it whole (Ipopt's tiny-step rule).
        let tiny = (0..<size).allSatisfy { abs(dw[$0]) <= 10 * Double.ulpOfOne * (1 + abs(point.w[$0])) }
        if tiny {
            accept(space.point(point.w.indices.map { point.w[$0] + alphaMax * dw[$0] }), dw: dw, dLambda: dLambda, alpha: alphaMax, tau: tau)
            return .accepted
        }
        // The switching rule's smallest useful step (Wächter & Biegler 2006, eq. 23).
        var alphaMin = settings.filterTheta
        if slope < 0 {
            alphaMin = min(settings.filterTheta, settings.filterPhi * theta / -slope)
            if theta <= thetaMin { alphaMin = min(alphaMin, settings.switching * pow(theta, settings.switchingTheta) / pow(-slope, settings.switchingPhi)) }
        }
        alphaMin *= 0.05

        func acceptable(_ trial: InteriorPointWorkspace.Point, alpha: Double) -> (ok: Bool, augment: Bool) {
            guard trial.isFinite else { return (false, false) }
            let thetaTrial = trial.infeasibility, phiTrial = barrier(trial)
            guard phiTrial.isFinite, thetaTrial <= thetaMax else { return (false, false) }
            if filter.contains(where: { thetaTrial >= $0.theta && phiTrial >= $0.phi }) { return (false, false) }
            let rounding = 10 * Double.ulpOfOne * abs(phi)
            let switching = slope < 0 && alpha * pow(-slope, settings.switchingPhi) > settings.switching * pow(theta, settings.switchingTheta)
            if theta <= thetaMin && switching {
                return (phiTrial - phi - settings.armijo * alpha * slope <= rounding, false)
            }
            return (thetaTrial <= (1 - settings.filterTheta) * theta || phiTrial - (phi - settings.filterPhi * theta) <= rounding, true)
        }

        var alpha = alphaMax
        var firstTrial = true
        while alpha >= alphaMin {
            if let stop = control.checkInterrupt() { return .failed(stop, stop.rawValue) }
            let trial = space.point((0..<size).map { point.w[$0] + alpha * dw[$0] })
            let verdict = acceptable(trial, alpha: alpha)
            if verdict.ok {
                if verdict.augment { augmentFilter(theta: theta, phi: phi) }
                accept(trial, dw: dw, dLambda: dLambda, alpha: alpha, tau: tau)
                // Steps cut a thousandfold by the filter, again and again, far from
                // feasibility: the Newton direction overshoots the curvature of c (hs109,
                // α ≈ 1e-4 for 3000 iterations). The damped restoration steps move better.
                shortSteps = alpha < 1e-3 * alphaMax && theta > thetaMin ? shortSteps + 1 : 0
                if shortSteps >= 5 {
                    shortSteps = 0
                    augmentFilter(theta: point.infeasibility, phi: barrier(point))
                    return restore()
                }
                return .accepted
            }
            // Second-order corrections when the full step raised θ (curvature of c the
            // linearization missed, the Maratos effect).
            if firstTrial, trial.isFinite, trial.infeasibility >= theta, m > 0 {
                var corrected = point.residuals.indices.map { alpha * point.residuals[$0] + trial.residuals[$0] }
                var previousTheta = theta
                for _ in 0..<settings.maximumCorrections {
                    var correctionRhs = rhs
                    for i in 0..<m { correctionRhs[size + i] = -corrected[i] }
                    let s = factored.factorization.solve(correctionRhs)
                    guard s.allSatisfy(\.isFinite) else { break }
                    let dwCorrected = Array(s[0..<size])
                    let alphaCorrected = primalStepLimit(dwCorrected, tau: tau)
                    let candidate = space.point((0..<size).map { point.w[$0] + alphaCorrected * dwCorrected[$0] })
                    let check = acceptable(candidate, alpha: alpha)
                    if check.ok {
                        if check.augment { augmentFilter(theta: theta, phi: phi) }
                        accept(candidate, dw: dwCorrected, dLambda: Array(s[size...]), alpha: alphaCorrected, tau: tau)
                        return .accepted
                    }
                    guard candidate.isFinite, candidate.infeasibility <= settings.correctionReduction * previousTheta else { break }
                    previousTheta = candidate.infeasibility
                    corrected = corrected.indices.map { alphaCorrected * corrected[$0] + candidate.residuals[$0] }
                }
            }
            firstTrial = false
            alpha *= 0.5
        }
        augmentFilter(theta: theta, phi: phi)
        return restore()
    }

    mutating func augmentFilter(theta: Double, phi: Double) {
        filter.append(((1 - settings.filterTheta) * theta, phi - settings.filterPhi * theta))
    }

    /// Moves to `trial` (reached by α·dw), λ by α·dλ, the bound multipliers by their own
    /// fraction to the boundary, kept within κ_Σ of μ/distance.
    mutating func accept(_ trial: InteriorPointWorkspace.Point, dw: [Double], dLambda: [Double], alpha: Double, tau: Double) {
        let (dl, du) = multiplierSteps(dw)
        var distances: [Double] = [], changes: [Double] = []
        for j in 0..<size {
            if space.lower[j].isFinite { distances.append(lowerMultipliers[j]); changes.append(dl[j]) }
            if space.upper[j].isFinite { distances.append(upperMultipliers[j]); changes.append(du[j]) }
        }
        let alphaDual = Self.fractionToBoundary(distances, changes, tau: tau)
        for i in 0..<m { lambda[i] += alpha * dLambda[i] }
        point = trial
        let kappa = settings.multiplierSafeguard
        for j in 0..<size {
            if space.lower[j].isFinite {
                let d = lowerDistance(point.w, j)
                lowerMultipliers[j] = min(max(lowerMultipliers[j] + alphaDual * dl[j], mu / (kappa * d)), kappa * mu / d)
            }
            if space.upper[j].isFinite {
                let d = upperDistance(point.w, j)
                upperMultipliers[j] = min(max(upperMultipliers[j] + alphaDual * du[j], mu / (kappa * d)), kappa * mu / d)
            }
        }
        lastStep = alpha
        lastDirection = Array(dw[0..<n])
    }

    /// After F has fallen by 1e8·max(1, |F₀|) at a feasible point: the points x + t·d for
    /// t = 1, 2, 4, …, 2¹⁰⁰ while they stay feasible, along d = the displacement since the
    /// last probe (the start at first), the last step's x part, and each coordinate
    /// direction along which F decreases, until F passes −1e20
    /// (then that point, slacks at g(x)); nil when every ray leaves the feasible set first.
    /// The barrier keeps the iterates of an unbounded problem creeping (the filter's θ_max
    /// and the line search cut each step), so this probe is what reaches −1e20; probed at
    /// most every 10 iterations.
    mutating func rayToUnboundedness() -> InteriorPointWorkspace.Point? {
        nextRayProbe = iteration + 10
        let program = space.program
        let x0 = Array(point.w[0..<n])
        let anchor = probeAnchor.count == n ? probeAnchor : program.projectedStart
        probeAnchor = x0
        // The coordinate directions along which F decreases, too: a recession direction of
        // the feasible set is often one variable (unbounded_parabola's x₂).
        let coordinates = (0..<n).compactMap { j -> [Double]? in
            guard point.unscaledGradient[j] != 0 else { return nil }
            var e = Array(repeating: 0.0, count: n)
            e[j] = point.unscaledGradient[j] < 0 ? 1 : -1
            return e
        }
        let directions = ([(0..<n).map { x0[$0] - anchor[$0] }, lastDirection] + coordinates).filter { $0.count == n && $0.contains { $0 != 0 } }
        for direction in directions {
            var t = 1.0
            for _ in 0...100 {
                let x = (0..<n).map { x0[$0] + t * direction[$0] }
                guard (0..<n).allSatisfy({ x[$0] >= program.lowerBounds[$0] && x[$0] <= program.upperBounds[$0] }) else { break }
                var w = point.w
                for j in 0..<n { w[j] = x[j] }
                let trial = space.point(w)
                let feasible = program.constraints.enumerated().allSatisfy { i, c in
                    let tolerance = settings.tolerance
                    return trial.values[i] <= c.upper + tolerance * max(1, abs(c.upper)) && trial.values[i] >= c.lower - tolerance * max(1, abs(c.lower))
                }
                guard feasible, trial.isFinite else { break }
                if trial.unscaledObjective < -1e20 {
                    for i in 0..<m { if let k = space.slackIndex[i] { w[k] = trial.values[i] } }
                    return space.point(w)
                }
                t *= 2
            }
        }
        return nil
    }

    /// The restoration fallback: Levenberg–Marquardt steps (ÃᵀÃ + B + ζI)d = −(Ãᵀc̃ + ∇b) on
    /// ½‖c̃‖₂² + b(w), b a log barrier on the bounds with weight min(μ, 1e-2) (B its
    /// Hessian; ζ from 1e-4 of the largest diagonal, ÷10 after a full step, ×10 otherwise), cut by the fraction to the boundary and backtracked to an Armijo decrease, until θ
    /// has fallen below 0.9 of its value here with (θ, φ) acceptable to the filter. Twenty
    /// steps that lower ½‖c̃‖² by less than 1 % in all, at a point where the constraints
    /// stay violated, make the point locally infeasible.
    mutating func restore() -> StepOutcome {
        restorations += 1
        let startTheta = point.infeasibility
        let tau = max(settings.minimumBoundaryFraction, 1 - mu)
        // The restoration's own barrier on the bounds, so that its steps turn along a bound
        // instead of running into it (without it the fraction to the boundary cut each step
        // a hundredfold on hs109).
        let restorationBarrier = min(mu, 1e-2)
        func merit(_ p: InteriorPointWorkspace.Point) -> Double {
            var value = 0.5 * p.residuals.reduce(0) { $0 + $1 * $1 }
            for j in 0..<size {
                if space.lower[j].isFinite { value -= restorationBarrier * log(lowerDistance(p.w, j)) }
                if space.upper[j].isFinite { value -= restorationBarrier * log(upperDistance(p.w, j)) }
            }
            return value
        }
        var stalled = 0
        var reference = 0.5 * point.residuals.reduce(0) { $0 + $1 * $1 }
        // Levenberg–Marquardt's ζ: ÷10 after a full step, ×10 after a cut one.
        var damping = 0.0
        for _ in 0..<200 {
            if let stop = control.checkInterrupt() { return .failed(stop, stop.rawValue) }
            let residual = point.residuals
            let current = merit(point)
            var normal = Array(repeating: 0.0, count: size * size)
            var gradient = Array(repeating: 0.0, count: size)
            for (i, row) in point.jacobian.enumerated() {
                for a in 0..<size where row[a] != 0 {
                    gradient[a] += row[a] * residual[i]
                    for b in 0..<size where row[b] != 0 { normal[a * size + b] += row[a] * row[b] }
                }
            }
            for j in 0..<size {
                if space.lower[j].isFinite {
                    let d = lowerDistance(point.w, j)
                    gradient[j] -= restorationBarrier / d
                    normal[j * size + j] += restorationBarrier / (d * d)
                }
                if space.upper[j].isFinite {
                    let d = upperDistance(point.w, j)
                    gradient[j] += restorationBarrier / d
                    normal[j * size + j] += restorationBarrier / (d * d)
                }
            }
            if damping == 0 { damping = 1e-4 * max(1, (0..<size).reduce(0) { max($0, normal[$1 * size + $1]) }) }
            for a in 0..<size { normal[a * size + a] += damping }
            let normalFactorization = DenseSymmetricIndefinite(normal, order: size, shouldStop: stopRequested)
            if normalFactorization.stopped, let stop = control.checkInterrupt() { return .failed(stop, stop.rawValue) }
            let direction = normalFactorization.solve(gradient.map { -$0 })
            let slope = Vector.dot(gradient, direction)
            guard direction.allSatisfy(\.isFinite), slope < 0 else { return .locallyInfeasible }
            var alpha = primalStepLimit(direction, tau: tau)
            var moved = false
            while alpha > 1e-12 {
                let trial = space.point((0..<size).map { point.w[$0] + alpha * direction[$0] })
                if trial.isFinite, merit(trial) <= current + 1e-4 * alpha * slope {
                    point = trial
                    moved = true
                    break
                }
                alpha *= 0.5
            }
            damping = moved && alpha >= 0.5 ? max(1e-12, damping / 10) : min(1e12, damping * 10)
            let theta = point.infeasibility
            let phi = barrier(point)
            if moved, theta <= 0.9 * startTheta, !filter.contains(where: { theta >= $0.theta && phi >= $0.phi }) {
                // Back to the barrier problem: central bound multipliers, least-squares λ.
                for j in 0..<size {
                    if space.lower[j].isFinite { lowerMultipliers[j] = min(mu / lowerDistance(point.w, j), 1e3) }
                    if space.upper[j].isFinite { upperMultipliers[j] = min(mu / upperDistance(point.w, j), 1e3) }
                }
                lambda = leastSquaresMultipliers() ?? Array(repeating: 0, count: m)
                lastStep = alpha
                return .accepted
            }
            let violation = 0.5 * point.residuals.reduce(0) { $0 + $1 * $1 }
            if !moved { return theta > 0 ? .locallyInfeasible : .failed(.slowProgress, "the restoration phase could not move") }
            if violation >= 0.99 * reference { stalled += 1 } else { stalled = 0; reference = violation }
            if stalled >= 20 { return .locallyInfeasible }
        }
        return .locallyInfeasible
    }

    // MARK: results

    func finish(_ status: TerminationStatus, _ raw: String) -> SolveResult {
        let (x, optimality, f, y) = finalPoint()
        var result = space.evaluation.result(status, raw, x: x, objective: f, multipliers: y, optimality: optimality, iterations: iteration)
        result.notes.append("\(restorations) restoration phase(s), final μ = \(mu)")
        return result
    }

    /// At a point meeting the tolerance: `optimal` for a convex program, else the
    /// second-order test on the KKT matrix's inertia.
    func converged() -> SolveResult {
        let (x, optimality, f, y) = finalPoint()
        let convex = NLPTermination.isConvexProgram(space.program, sign: space.evaluation.sign)
        let what = "feasibility, stationarity and complementarity ≤ \(settings.tolerance)"
        func result(_ status: TerminationStatus, _ raw: String) -> SolveResult {
            var r = space.evaluation.result(status, raw, x: x, objective: f, multipliers: y, optimality: optimality, iterations: iteration)
            r.notes.append("\(restorations) restoration phase(s), final μ = \(mu)")
            return r
        }
        if convex { return result(.optimal, what + " (a convex program)") }
        guard space.hasExactHessians else {
            var r = result(.locallyOptimal, what)
            r.notes.append("second-order conditions were not checked (no exact Hessian)")
            return r
        }
        guard let hessian = space.lagrangianHessian(Array(point.w[0..<n]), lambda: lambda, shouldStop: { control.checkInterrupt() != nil }) else {
            return result(control.checkInterrupt() ?? .locallyOptimal, what)
        }
        // PSD within tolerance: a shift of 1e-8 relative to the Hessian's size is allowed,
        // and δ_c where the constraint gradients are dependent.
        let shift = 1e-8 * max(1, hessian.reduce(0) { max($0, abs($1)) })
        var k = space.kktMatrix(hessian: hessian, sigma: sigma(), jacobian: point.jacobian, primalShift: shift, dualShift: 0)
        var factorization = DenseSymmetricIndefinite(k, order: size + m, shouldStop: stopRequested)
        if factorization.inertia.zero > 0, !factorization.stopped {
            k = space.kktMatrix(hessian: hessian, sigma: sigma(), jacobian: point.jacobian, primalShift: shift, dualShift: 1e-10)
            factorization = DenseSymmetricIndefinite(k, order: size + m, shouldStop: stopRequested)
        }
        if factorization.stopped, let stop = control.checkInterrupt() {
            return result(stop, what + "; stopped (\(stop.rawValue)) before the inertia test")
        }
        let inertia = factorization.inertia
        if inertia.positive == size && inertia.negative == m {
            return result(.locallyOptimal, what + "; the KKT matrix has the inertia of a minimizer")
        }
        var r = result(.stationaryPoint, what + ", but the KKT matrix has inertia (\(inertia.positive), \(inertia.negative), \(inertia.zero)), not (\(size), \(m), 0)")
        r.notes.append("the Lagrangian Hessian has negative curvature on the tangent space of the active constraints: a KKT point that is not a local minimum")
        return r
    }

    /// Restoration stalled with the constraints violated.
    func infeasibleResult() -> SolveResult {
        let (x, optimality, _, _) = finalPoint()
        if optimality.feasibility <= settings.tolerance {
            return finish(.slowProgress, "the line search and the restoration phase stalled at a feasible point")
        }
        let evaluation = space.evaluation
        let program = space.program
        // The restoration stops near a minimizer of the violation; the certificate needs
        // its stationarity to 1e-7, so L-BFGS-B finishes min ½Σ violationᵢ² over the box.
        let engine = LBFGSBEngine(lower: program.lowerBounds, upper: program.upperBounds, memory: 10)
        let (state, _) = engine.minimize({ point, g in
            let (values, jacobian) = evaluation.constraints(point)
            for j in g.indices { g[j] = 0 }
            var sum = 0.0
            for (i, c) in program.constraints.enumerated() {
                let violation = values[i] > c.upper ? values[i] - c.upper : (values[i] < c.lower ? values[i] - c.lower : 0)
                guard violation != 0 else { continue }
                sum += 0.5 * violation * violation
                for j in 0..<point.count { g[j] += violation * jacobian[i][j] }
            }
            return sum
        }, start: x, tolerance: 1e-12, relativeToF: false, maxIterations: 1000) { _, _ in control.checkInterrupt() }
        let minimizer = state.x
        var gradient = Array(repeating: 0.0, count: n)
        let f = evaluation.objective(minimizer, &gradient)
        let (values, jacobian) = evaluation.constraints(minimizer)
        let y = space.unscaledMultipliers(lambda)
        let polished = NLPOptimality(evaluation, x: minimizer, gradient: gradient, values: values, jacobian: jacobian, multipliers: y)
        return NLPTermination.infeasibleOutcome(
            program, evaluation, x: minimizer, values: values, jacobian: jacobian,
            finish: { status, raw, k in
                var r = evaluation.result(status, raw, x: minimizer, objective: f, multipliers: y, optimality: polished, iterations: k)
                r.notes.append("\(restorations) restoration phase(s); the restoration stalled at a stationary point of the infeasibility")
                return r
            }, iterations: iteration)
    }
}
