import Foundation
import LagrangeCore
import LinearAlgebra

/// The loop of `native.augmented-lagrangian` (``AugmentedLagrangianSolver`` says what it does
/// and which statuses it gives): outer iterations on L_ρ with L-BFGS-B subproblems, the
/// multiplier and penalty updates, and the Newton finish (``KKTNewtonAcceleration``).
struct AugmentedLagrangianMethod {
    let settings: AugmentedLagrangianSettings

    func run(_ program: NonlinearProgram, control: IterationControl) -> SolveResult {
        let memory = settings.memory
        let tolerance = settings.tolerance
        let evaluation = NLPEvaluation(program)
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
        if let given = settings.penalty {
            rho = given
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
                let convex = NLPTermination.isConvexProgram(program, sign: evaluation.sign)
                return finish(convex ? .optimal : .locallyOptimal, "feasibility, stationarity and complementarity ≤ \(tolerance) after \(innerTotal) inner iterations", iterations: k)
            }
            // Near a KKT point, Newton on the active set's KKT equations finishes what the
            // linearly converging outer iteration would take many subproblems (or rounding)
            // to reach; it is refused unless the whole problem's residuals and the inertia
            // of a minimizer say so.
            // Complementarity is not in the gate: poor multipliers (hs109's) make it large at a
            // point Newton finishes from; the second try lets nearness alone choose the active set.
            if max(optimality.feasibility, optimality.stationarity) <= accelerationThreshold,
               let accelerated = acceleration.attempt(x: x, multipliers: combined(), tolerance: tolerance,
                                                      shouldStop: { control.checkInterrupt() != nil }) {
                x = accelerated.x
                f = accelerated.objective
                gradient = accelerated.gradient
                (values, jacobian) = (accelerated.values, accelerated.jacobian)
                polishedMultipliers = accelerated.multipliers
                optimality = accelerated.optimality
                _ = record(k + 1, inner: accelerated.steps, rho: rho)
                let convex = NLPTermination.isConvexProgram(program, sign: evaluation.sign)
                var result = finish(convex ? .optimal : .locallyOptimal,
                                    "feasibility, stationarity and complementarity ≤ \(tolerance) after \(accelerated.steps) Newton steps on the active set's KKT equations",
                                    iterations: k + 1)
                result.notes.append("finished by Newton's method on the KKT equations of the active set (ALGENCAN's acceleration) after \(k) outer iterations; the KKT matrix has the inertia of a strict local minimizer")
                return result
            }
            if let stop { return finish(stop, stop.rawValue, iterations: k) }
            if rho > 1e10, optimality.feasibility > tolerance.squareRoot() {
                return NLPTermination.infeasibleOutcome(program, evaluation, x: x, values: values, jacobian: jacobian, finish: finish, iterations: k)
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
}
