import Foundation
import LagrangeCore
import LinearAlgebra

/// `native.lbfgsb`: L-BFGS-B (``LBFGSBEngine``) on a bound-constrained nonlinear program
/// (kind `nlp` without `subject_to`). One history record per iteration with the projected
/// gradient as the stationarity residual.
///
/// Statuses: `locally_optimal` (`optimal` for a known-convex objective) when
/// ‖P(x − ∇F) − x‖∞ ≤ tolerance·max(1, |F|) (tolerance default 1e-8); `almost_optimal` or
/// `slow_progress` when the line search or f stalls first (within √tolerance or not);
/// `unbounded` when F falls below −1e20 in the box (noted: not a proof); the limits.
package struct LBFGSBSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.lbfgsb", kinds: [.nlp],
        options: [OptionSpec("memory", default: "10", "number of (s, y) pairs kept")],
        summary: "L-BFGS-B: limited-memory BFGS with bounds (generalized Cauchy point, subspace minimization)")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .nonlinear(let program) = problem else { throw SolverError.unsupported("expected a nonlinear program") }
        guard program.constraints.isEmpty else {
            throw SolverError.unsupported("native.lbfgsb takes bounds only; this problem has \(program.constraints.count) constraints (use native.interior-point or native.augmented-lagrangian)")
        }
        let memory = try NonlinearOptions.memory(context.options)
        let tolerance = context.options.tolerance ?? 1e-8
        let evaluation = NLPEvaluation(program)
        let engine = LBFGSBEngine(lower: program.lowerBounds, upper: program.upperBounds, memory: memory)
        let control = context.control
        let limit = control.iterationLimit(default: 10_000)
        let convexObjective = evaluation.sign > 0 ? program.objective.isConvex : program.objective.isConcave
        var start = program.start
        var offset = 0, escapes = 0
        var state: LBFGSBEngine.State, outcome: LBFGSBEngine.Outcome
        while true {
            (state, outcome) = engine.minimize({ evaluation.objective($0, &$1) }, start: start, tolerance: tolerance,
                                               maxIterations: limit - offset) { state, pg in
                control.record(IterationRecord(iteration: offset + state.iterations, objective: evaluation.sign * state.f, primalResidual: 0,
                                               dualResidual: pg / max(1, abs(state.f)), gradientNorm: pg, extras: evaluation.counters),
                               iterationLimit: limit)
            }
            // A stationary point is not yet a minimum: with an exact Hessian, negative
            // curvature over the variables off their bounds is followed, then L-BFGS-B restarts.
            guard outcome == .converged, !convexObjective, escapes < 20,
                  let step = curvatureEscape(program, evaluation, at: state) else { break }
            escapes += 1
            offset += state.iterations + 1
            start = step
            _ = control.record(IterationRecord(iteration: offset, objective: evaluation.sign * evaluation.objective(step, &state.gradient),
                                               extras: [Metric("negative_curvature", 1)] + evaluation.counters), iterationLimit: limit)
        }
        state.iterations += offset
        let optimality = NLPOptimality(evaluation, x: state.x, gradient: state.gradient, values: [], jacobian: [], multipliers: [])
        let convex = evaluation.sign > 0 ? program.objective.isConvex : program.objective.isConcave
        let (status, raw) = NonlinearOptions.status(outcome, convex: convex, stationary: optimality.stationarity + optimality.complementarity,
                                                    tolerance: tolerance)
        var result = evaluation.result(status, raw, x: state.x, objective: state.f, multipliers: [], optimality: optimality,
                                       iterations: state.iterations, convergedBy: NLPTermination.projectedGradient)
        if status == .unbounded { result.notes.append("f fell below −1e20 inside the bounds: unbounded below as far as iterates can tell (not proved)") }
        return result
    }
}

extension LBFGSBSolver {
    /// From a point that passed the projected-gradient test: with an exact Hessian and
    /// n ≤ 200, a direction of negative curvature of ∇²F over the variables strictly inside
    /// their bounds (``Cholesky/negativeCurvature(_:n:shouldStop:)``), and the point
    /// P(x + td) for the largest t of 1, ½, … whose F is below F(x) by ¼ of t²|κ|/2; nil when
    /// the reduced Hessian is positive semidefinite within its tolerance.
    func curvatureEscape(_ program: NonlinearProgram, _ evaluation: NLPEvaluation, at state: LBFGSBEngine.State) -> [Double]? {
        let n = program.variableCount
        guard program.objective.hasExactHessian, n <= SmoothCertificateChecker.maximumDimension,
              var h = program.objective.hessian(at: state.x) else { return nil }
        if evaluation.sign < 0 { for i in h.indices { h[i] = -h[i] } }
        let free = (0..<n).filter { state.x[$0] > program.lowerBounds[$0] && state.x[$0] < program.upperBounds[$0] }
        guard !free.isEmpty else { return nil }
        let k = free.count
        var reduced = Array(repeating: 0.0, count: k * k)
        for (a, i) in free.enumerated() { for (b, j) in free.enumerated() { reduced[a * k + b] = h[i * n + j] } }
        guard let (direction, curvature) = Cholesky.negativeCurvature(reduced, n: k) else { return nil }
        var d = Array(repeating: 0.0, count: n)
        for (a, i) in free.enumerated() { d[i] = direction[a] }
        if Vector.dot(d, state.gradient) > 0 { d = d.map { -$0 } }
        var gradient = Array(repeating: 0.0, count: n)
        var t = 1.0
        for _ in 0..<60 {
            let trial = (0..<n).map { min(max(state.x[$0] + t * d[$0], program.lowerBounds[$0]), program.upperBounds[$0]) }
            if evaluation.objective(trial, &gradient) <= state.f + 0.125 * t * t * curvature { return trial }
            t *= 0.5
        }
        return nil
    }
}

enum NonlinearOptions {
    /// The `memory` option of the L-BFGS methods (native.lbfgs, native.lbfgsb and the
    /// augmented Lagrangian's subproblems): (s, y) pairs kept, an integer in 1…1000.
    static func memory(_ options: SolveOptions) throws -> Int {
        let value = try options.number("memory", default: 10)
        guard value >= 1, value <= 1000, value == value.rounded() else {
            throw SolverError.invalidOption(name: "memory", reason: "must be an integer in 1...1000")
        }
        return Int(value)
    }

    /// The status of an L-BFGS-B run that is a whole solve.
    static func status(_ outcome: LBFGSBEngine.Outcome, convex: Bool, stationary: Double, tolerance: Double) -> (TerminationStatus, String) {
        switch outcome {
        case .converged: return (convex ? .optimal : .locallyOptimal, "projected gradient below tolerance")
        case .stalled(let why): return (stationary <= tolerance.squareRoot() ? .almostOptimal : .slowProgress, why)
        case .unbounded: return (.unbounded, "f below −1e20")
        case .nonFinite: return (.numericalError, "f or its gradient is not finite")
        case .limit(let status): return (status, status.rawValue)
        case .iterationLimit: return (.iterationLimit, "iteration limit")
        }
    }
}

/// `native.augmented-lagrangian`: the Powell–Hestenes–Rockafellar augmented Lagrangian with
/// bound constraints kept in the subproblem, in the manner of ALGENCAN (Andreani, Birgin,
/// Martínez & Schuverdt, SIAM J. Optim. 18, 2007; Birgin & Martínez, *Practical Augmented
/// Lagrangian Methods*, 2014). Each outer iteration minimizes
///
///     L_ρ(x) = F(x) + Σ_eq [λᵢ(gᵢ − bᵢ) + ρ/2 (gᵢ − bᵢ)²] + Σ_ineq 1/(2ρ)[max(0, μᵢ + ρcᵢ)² − μᵢ²]
///
/// over the box with L-BFGS-B (cᵢ = gᵢ − uᵢ and lᵢ − gᵢ for the finite sides), to a
/// tolerance that tightens with the outer iterations; then λ ← λ + ρ(g − b),
/// μ ← max(0, μ + ρc), and ρ ← 10ρ when the infeasibility-complementarity measure did not
/// halve. Chosen as the second method because its subproblems are the bound-constrained
/// problems L-BFGS-B solves, so it shares no Hessian or KKT factorization with the
/// interior point and cross-checks it independently.
///
/// Statuses: `locally_optimal` when feasibility, stationarity and complementarity are all
/// ≤ tolerance (default 1e-8, relative); `infeasible` when the penalty has grown past 1e10
/// while the constraints stay violated and the constraints are convex (`<=` of a convex g,
/// `>=` of a concave g, `==` of an affine g), with the multipliers as a certificate: by
/// convexity Σyᵢcᵢ(x) ≥ Σyᵢcᵢ(x*) + (Σyᵢ∇cᵢ(x*))ᵀ(x − x*) > 0 on the whole box; without
/// convexity such a point is only locally infeasible: `slow_progress`, with a note;
/// `unbounded` when F falls below −1e20 at a feasible point (noted: not a proof).
package struct AugmentedLagrangianSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.augmented-lagrangian", kinds: [.nlp],
        options: [OptionSpec("memory", default: "10", "L-BFGS-B pairs in the subproblems"),
                  OptionSpec("penalty", default: "automatic", "initial penalty ρ₀ (default from the start point, as ALGENCAN)")],
        summary: "augmented Lagrangian (PHR, ALGENCAN-style) with L-BFGS-B subproblems over the bounds")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .nonlinear(let program) = problem else { throw SolverError.unsupported("expected a nonlinear program") }
        let memory = try NonlinearOptions.memory(context.options)
        let tolerance = context.options.tolerance ?? 1e-8
        let evaluation = NLPEvaluation(program)
        let control = context.control
        let limit = control.iterationLimit(default: 100)
        let n = evaluation.n, m = evaluation.m
        let constraints = program.constraints
        let engine = LBFGSBEngine(lower: program.lowerBounds, upper: program.upperBounds, memory: memory)

        // Multipliers: ŷ for the Lagrangian F + Σ ŷᵢ gᵢ; internally λ (equalities) and
        // μ⁺ (upper sides), μ⁻ (lower sides), all ≥ 0 for the inequality sides.
        var lambda = Array(repeating: 0.0, count: m)
        var upperMultiplier = Array(repeating: 0.0, count: m), lowerMultiplier = Array(repeating: 0.0, count: m)
        var polishedMultipliers: [Double]?
        func combined() -> [Double] {
            polishedMultipliers ?? (0..<m).map { constraints[$0].isEquality ? lambda[$0] : upperMultiplier[$0] - lowerMultiplier[$0] }
        }

        var x = program.projectedStart
        var gradient = Array(repeating: 0.0, count: n)
        var f = evaluation.objective(x, &gradient)
        var (values, jacobian) = evaluation.constraints(x)
        func infeasibility(_ values: [Double], _ rho: Double) -> Double {
            var v = 0.0
            for (i, c) in constraints.enumerated() {
                if c.isEquality { v = max(v, abs(values[i] - c.upper)); continue }
                if c.upper < .infinity { v = max(v, abs(min(c.upper - values[i], upperMultiplier[i] / rho))) }
                if c.lower > -.infinity { v = max(v, abs(min(values[i] - c.lower, lowerMultiplier[i] / rho))) }
            }
            return v
        }
        var rho: Double
        if let given = context.options.parameters["penalty"], case .number(let r) = given {
            guard r > 0, r.isFinite else { throw SolverError.invalidOption(name: "penalty", reason: "must be > 0") }
            rho = r
        } else {
            var squares = 0.0
            for (i, c) in constraints.enumerated() {
                let violation = max(0, values[i] - c.upper, c.lower - values[i])
                squares += violation * violation
            }
            rho = min(max(10 * max(1, abs(f)) / max(1, 0.5 * squares), 1e-6), 1e6)
        }

        var optimality = NLPOptimality(evaluation, x: x, gradient: gradient, values: values, jacobian: jacobian, multipliers: combined())
        func record(_ k: Int, inner: Int, rho: Double) -> TerminationStatus? {
            control.record(IterationRecord(iteration: k, objective: evaluation.sign * f, primalResidual: optimality.feasibility,
                                           dualResidual: optimality.stationarity,
                                           extras: optimality.metrics + [Metric("penalty", rho), Metric("inner_iterations", Double(inner))] + evaluation.counters),
                           iterationLimit: limit)
        }
        func finish(_ status: TerminationStatus, _ raw: String, iterations: Int) -> SolveResult {
            evaluation.result(status, raw, x: x, objective: f, multipliers: combined(), optimality: optimality, iterations: iterations)
        }
        if let stop = record(0, inner: 0, rho: rho) { return finish(stop, stop.rawValue, iterations: 0) }
        if m == 0, optimality.stationarity + optimality.complementarity <= tolerance {
            return finish(.locallyOptimal, "the start point is stationary", iterations: 0)
        }

        let acceleration = KKTNewtonAcceleration(evaluation: evaluation)
        let accelerationThreshold = 1e-2
        var previousInfeasibility = Double.infinity
        var bestResidual = Double.infinity, stagnant = 0
        var innerTolerance = 1e-2
        var innerTotal = 0
        var k = 0
        while true {
            k += 1
            // L_ρ and its gradient.
            let augmented: LBFGSBEngine.Function = { point, g in
                var value = evaluation.objective(point, &g)
                guard m > 0 else { return value }
                let (cv, cj) = evaluation.constraints(point)
                for (i, c) in constraints.enumerated() {
                    var weight = 0.0
                    if c.isEquality {
                        let r = cv[i] - c.upper
                        value += lambda[i] * r + 0.5 * rho * r * r
                        weight = lambda[i] + rho * r
                    } else {
                        if c.upper < .infinity {
                            let shifted = max(0, upperMultiplier[i] + rho * (cv[i] - c.upper))
                            value += (shifted * shifted - upperMultiplier[i] * upperMultiplier[i]) / (2 * rho)
                            weight += shifted
                        }
                        if c.lower > -.infinity {
                            let shifted = max(0, lowerMultiplier[i] + rho * (c.lower - cv[i]))
                            value += (shifted * shifted - lowerMultiplier[i] * lowerMultiplier[i]) / (2 * rho)
                            weight -= shifted
                        }
                    }
                    if weight != 0 { for j in 0..<n { g[j] += weight * cj[i][j] } }
                }
                return value
            }
            var innerStop: TerminationStatus?
            // The subproblem's projected gradient, in the units of the stationarity measure.
            let gradientScale = max(1, gradient.reduce(0) { max($0, abs($1)) })
            let (state, outcome) = engine.minimize(augmented, start: x, tolerance: 0.5 * innerTolerance * gradientScale, relativeToF: false,
                                                   maxIterations: 5_000) { _, _ in
                if let stop = control.checkInterrupt() { innerStop = stop; return stop }
                return nil
            }
            innerTotal += state.iterations
            x = state.x
            f = evaluation.objective(x, &gradient)
            (values, jacobian) = evaluation.constraints(x)
            if case .nonFinite = outcome { return finish(.numericalError, "the subproblem met a non-finite value", iterations: k) }
            // First-order multiplier update.
            for (i, c) in constraints.enumerated() {
                if c.isEquality { lambda[i] = min(max(lambda[i] + rho * (values[i] - c.upper), -1e20), 1e20); continue }
                if c.upper < .infinity { upperMultiplier[i] = min(max(0, upperMultiplier[i] + rho * (values[i] - c.upper)), 1e20) }
                if c.lower > -.infinity { lowerMultiplier[i] = min(max(0, lowerMultiplier[i] + rho * (c.lower - values[i])), 1e20) }
            }
            optimality = NLPOptimality(evaluation, x: x, gradient: gradient, values: values, jacobian: jacobian, multipliers: combined())
            // The first-order update lags the point; least-squares multipliers of the active
            // constraints at x are often exact there (and never replace better ones).
            if let estimate = leastSquaresMultipliers(program, x: x, gradient: gradient, values: values, jacobian: jacobian) {
                let polished = NLPOptimality(evaluation, x: x, gradient: gradient, values: values, jacobian: jacobian, multipliers: estimate)
                if max(polished.stationarity, polished.complementarity) < max(optimality.stationarity, optimality.complementarity) {
                    optimality = polished
                    polishedMultipliers = estimate
                } else {
                    polishedMultipliers = nil
                }
            }
            let stop = record(k, inner: state.iterations, rho: rho)
            if let innerStop { return finish(innerStop, "\(innerStop.rawValue) in subproblem \(k)", iterations: k) }
            if optimality.feasibility <= tolerance, f < -1e20 {
                var result = finish(.unbounded, "F below −1e20 at a feasible point", iterations: k)
                result.notes.append("f fell below −1e20 at a feasible point: unbounded as far as iterates can tell (not proved)")
                return result
            }
            if optimality.feasibility <= tolerance, optimality.stationarity <= tolerance, optimality.complementarity <= tolerance {
                let convex = isConvexProgram(program, sign: evaluation.sign)
                return finish(convex ? .optimal : .locallyOptimal, "feasibility, stationarity and complementarity ≤ \(tolerance) after \(innerTotal) inner iterations", iterations: k)
            }
            // Near a KKT point, Newton on the active set's KKT equations finishes what the
            // linearly converging outer iteration would take many subproblems (or rounding)
            // to reach; it is refused unless the whole problem's residuals and the inertia
            // of a minimizer say so.
            // Complementarity is not in the gate: poor multipliers (hs109's) make it large at a
            // point Newton finishes from; the second try lets nearness alone choose the active set.
            if max(optimality.feasibility, optimality.stationarity) <= accelerationThreshold,
               let accelerated = [true, false].lazy.compactMap({ trust in
                   acceleration.attempt(x: x, multipliers: combined(), tolerance: tolerance, trustMultiplierSigns: trust,
                                        shouldStop: { control.checkInterrupt() != nil })
               }).first {
                x = accelerated.x
                f = accelerated.objective
                gradient = accelerated.gradient
                (values, jacobian) = (accelerated.values, accelerated.jacobian)
                polishedMultipliers = accelerated.multipliers
                optimality = accelerated.optimality
                _ = record(k + 1, inner: accelerated.steps, rho: rho)
                let convex = isConvexProgram(program, sign: evaluation.sign)
                var result = finish(convex ? .optimal : .locallyOptimal,
                                    "feasibility, stationarity and complementarity ≤ \(tolerance) after \(accelerated.steps) Newton steps on the active set's KKT equations",
                                    iterations: k + 1)
                result.notes.append("finished by Newton's method on the KKT equations of the active set (ALGENCAN's acceleration) after \(k) outer iterations; the KKT matrix has the inertia of a strict local minimizer")
                return result
            }
            if let stop { return finish(stop, stop.rawValue, iterations: k) }
            if rho > 1e10, optimality.feasibility > tolerance.squareRoot() {
                return infeasibleOutcome(program, evaluation, x: x, values: values, jacobian: jacobian, finish: finish, iterations: k)
            }
            // Once feasible, eight outer iterations without the worst residual falling by 10 %:
            // the accuracy the subproblems can reach (rounding in a flat f, a degenerate
            // multiplier) is reached.
            let worst = max(optimality.feasibility, optimality.stationarity, optimality.complementarity)
            stagnant = optimality.feasibility <= 100 * tolerance && worst > 0.9 * bestResidual ? stagnant + 1 : 0
            bestResidual = min(bestResidual, worst)
            if stagnant >= 8 {
                return finish(worst <= tolerance.squareRoot() ? .almostOptimal : .slowProgress,
                              "the residuals stopped decreasing (worst \(worst))", iterations: k)
            }
            let current = infeasibility(values, rho)
            // A penalty that grows once the constraints hold to tolerance only spoils the conditioning.
            if current > 0.5 * previousInfeasibility, optimality.feasibility > tolerance { rho *= 10 }
            previousInfeasibility = current
            innerTolerance = max(tolerance, 0.1 * innerTolerance)
        }
    }

    /// Multipliers ŷ minimizing ‖∇F + J_Aᵀŷ_A‖ over the variables not at a bound, for the
    /// constraints active at x (equalities, and sides within 1e-7 of their bound), by the
    /// normal equations with a tiny ridge; nil when a sign comes out wrong for its side or
    /// nothing is active.
    func leastSquaresMultipliers(_ program: NonlinearProgram, x: [Double], gradient: [Double], values: [Double],
                                 jacobian: [[Double]]) -> [Double]? {
        let n = x.count
        var active: [(index: Int, side: Double)] = []   // side +1 upper, −1 lower, 0 equality
        for (i, c) in program.constraints.enumerated() {
            if c.isEquality { active.append((i, 0)); continue }
            if c.upper < .infinity, values[i] >= c.upper - 1e-7 * max(1, abs(c.upper)) { active.append((i, 1)) }
            else if c.lower > -.infinity, values[i] <= c.lower + 1e-7 * max(1, abs(c.lower)) { active.append((i, -1)) }
        }
        guard !active.isEmpty else { return nil }
        func isFree(_ j: Int) -> Bool {
            let lo = program.lowerBounds[j], up = program.upperBounds[j]
            let aboveLower: Bool = x[j] > lo + 1e-10 * max(1, abs(lo))
            let belowUpper: Bool = x[j] < up - 1e-10 * max(1, abs(up))
            return aboveLower && belowUpper
        }
        let free = (0..<n).filter(isFree)
        let k = active.count
        var normal = Array(repeating: 0.0, count: k * k), rhs = Array(repeating: 0.0, count: k)
        var largest = 0.0
        for p in 0..<k {
            for q in 0..<k {
                var sum = 0.0
                for j in free { sum += jacobian[active[p].index][j] * jacobian[active[q].index][j] }
                normal[p * k + q] = sum
            }
            largest = max(largest, normal[p * k + p])
            var sum = 0.0
            for j in free { sum -= jacobian[active[p].index][j] * gradient[j] }
            rhs[p] = sum
        }
        for p in 0..<k { normal[p * k + p] += 1e-14 * max(1, largest) }
        guard let solution = CompactForm.solve(normal, rhs, k) else { return nil }
        var y = Array(repeating: 0.0, count: program.constraints.count)
        for (p, a) in active.enumerated() {
            if a.side * solution[p] < 0 { return nil }
            y[a.index] = solution[p]
        }
        return y
    }

    /// Whether min F s.t. the constraints is a convex program (so a local answer is global).
    func isConvexProgram(_ program: NonlinearProgram, sign: Double) -> Bool {
        guard sign > 0 ? program.objective.isConvex : program.objective.isConcave else { return false }
        return program.constraints.allSatisfy { c in constraintIsConvex(c) }
    }

    func constraintIsConvex(_ c: NonlinearConstraint) -> Bool {
        let affine = c.function.isConvex && c.function.isConcave
        if c.isEquality { return affine }
        return (c.upper == .infinity || c.function.isConvex) && (c.lower == -.infinity || c.function.isConcave)
    }

    /// After the penalty has grown without restoring feasibility: `infeasible` with a
    /// certificate when the constraints are convex and the linearization bound is positive
    /// over the box, else `slow_progress` with a note.
    func infeasibleOutcome(_ program: NonlinearProgram, _ evaluation: NLPEvaluation, x: [Double], values: [Double], jacobian: [[Double]],
                           finish: (TerminationStatus, String, Int) -> SolveResult, iterations: Int) -> SolveResult {
        // Violation weights: yᵢ > 0 for an upper side violated, < 0 for a lower side.
        let weights = program.constraints.enumerated().map { i, c -> Double in
            if values[i] > c.upper { return values[i] - c.upper }
            if values[i] < c.lower { return values[i] - c.lower }
            return 0
        }
        // h(x) = Σ yᵢ(gᵢ(x) − bᵢ) is convex and ≤ 0 at every feasible point; its linearization at
        // x bounded below on the box (a component of ∇h below 1e-7 of its terms counts as 0,
        // as the LP checker's Farkas test allows Aᵀy to 1e-7).
        let n = evaluation.n
        var margin = 0.0, scale = 0.0
        var w = Array(repeating: 0.0, count: n)
        for (i, c) in program.constraints.enumerated() where weights[i] != 0 {
            margin += weights[i] * weights[i]
            for j in 0..<n {
                w[j] += weights[i] * jacobian[i][j]
                scale = max(scale, abs(weights[i] * jacobian[i][j]))
            }
            _ = c
        }
        var bounded = true
        for j in 0..<n where abs(w[j]) > 1e-7 * max(scale, 1e-300) {
            let bound = w[j] > 0 ? program.lowerBounds[j] : program.upperBounds[j]
            if bound.isInfinite { bounded = false; break }
            margin += w[j] * (bound - x[j])
        }
        guard program.constraints.allSatisfy(constraintIsConvex), bounded, margin > 0 else {
            var result = finish(.slowProgress, "converged to a point of local infeasibility", iterations)
            result.notes.append("the constraints stay violated at a minimizer of the infeasibility, but infeasibility is not proved (the constraints are not known convex, or their linearization does not separate the box)")
            return result
        }
        var result = finish(.infeasible, "the constraints are convex and their weighted linearization is positive on the whole box (margin \(margin))", iterations)
        result.certificate = Certificate(kind: .farkas, vector: weights)
        return result
    }
}

/// Every native nonlinear-programming method, for registration.
package enum NativeNonlinearSolvers {
    package static let all: [any SolverPlugin] = [LBFGSBSolver(), AugmentedLagrangianSolver(), NonlinearInteriorPointSolver()]
}
