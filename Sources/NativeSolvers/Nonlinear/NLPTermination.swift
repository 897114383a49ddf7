import LagrangeCore

/// First-order optimality of (x, ŷ) for min F s.t. l ≤ g(x) ≤ u, lo ≤ x ≤ up, with the
/// Lagrangian L = F + Σ ŷᵢ gᵢ (ŷᵢ > 0 prices an active upper bound, ŷᵢ < 0 a lower one) and
/// bound multipliers z = ∇F + Jᵀŷ (zⱼ > 0 at a lower bound, < 0 at an upper one).
/// Every measure is relative, so it reads the same at any scale of f and g.
struct NLPOptimality {
    /// Largest violation of a constraint or bound, relative to max(1, |bound|).
    var feasibility: Double
    /// Largest part of z that no active bound can take (|zⱼ| where its sign needs a bound
    /// that is infinite), relative to max(1, ‖∇F‖∞).
    var stationarity: Double
    /// Largest |multiplier|·(distance to the bound it prices), and multipliers of the wrong
    /// sign, relative to max(1, ‖∇F‖∞).
    var complementarity: Double
    /// z, the bound multipliers.
    var boundMultipliers: [Double]

    init(_ evaluation: NLPEvaluation, x: [Double], gradient: [Double], values: [Double], jacobian: [[Double]], multipliers y: [Double]) {
        let program = evaluation.program
        let n = evaluation.n
        var feasibility = 0.0
        for (i, c) in program.constraints.enumerated() {
            let v = values[i]
            if v > c.upper { feasibility = max(feasibility, (v - c.upper) / max(1, abs(c.upper))) }
            if v < c.lower { feasibility = max(feasibility, (c.lower - v) / max(1, abs(c.lower))) }
        }
        for j in 0..<n {
            if x[j] > program.upperBounds[j] { feasibility = max(feasibility, (x[j] - program.upperBounds[j]) / max(1, abs(program.upperBounds[j]))) }
            if x[j] < program.lowerBounds[j] { feasibility = max(feasibility, (program.lowerBounds[j] - x[j]) / max(1, abs(program.lowerBounds[j]))) }
        }
        var z = gradient
        for (i, row) in jacobian.enumerated() where y[i] != 0 { for j in 0..<n { z[j] += y[i] * row[j] } }
        let scale = max(1, gradient.reduce(0) { max($0, abs($1)) })
        var stationarity = 0.0, complementarity = 0.0
        for j in 0..<n {
            let lo = program.lowerBounds[j], up = program.upperBounds[j]
            if z[j] > 0 {
                if lo == -.infinity { stationarity = max(stationarity, z[j]) } else { complementarity = max(complementarity, z[j] * abs(x[j] - lo)) }
            } else if z[j] < 0 {
                if up == .infinity { stationarity = max(stationarity, -z[j]) } else { complementarity = max(complementarity, -z[j] * abs(up - x[j])) }
            }
        }
        for (i, c) in program.constraints.enumerated() where !c.isEquality {
            if y[i] > 0 {
                if c.upper == .infinity { complementarity = max(complementarity, y[i]) } else { complementarity = max(complementarity, y[i] * abs(c.upper - values[i])) }
            } else if y[i] < 0 {
                if c.lower == -.infinity { complementarity = max(complementarity, -y[i]) } else { complementarity = max(complementarity, -y[i] * abs(values[i] - c.lower)) }
            }
        }
        self.feasibility = feasibility
        self.stationarity = stationarity / scale
        self.complementarity = complementarity / scale
        boundMultipliers = z
    }

    var kkt: KKTResiduals { KKTResiduals(primalInfeasibility: feasibility, dualInfeasibility: stationarity, complementarity: complementarity) }

    var metrics: [Metric] { [Metric("complementarity", complementarity)] }
}

/// The names of the `nlp` termination tests, as `converged_by` spells them.
enum NLPTermination {
    /// Feasibility, stationarity and complementarity all within the tolerance (the
    /// interior point and the augmented Lagrangian).
    static let kktResiduals = ConvergenceTest(rawValue: "kkt_residuals")
    /// The projected gradient within the tolerance (L-BFGS-B on a bound-only problem).
    static let projectedGradient = ConvergenceTest(rawValue: "projected_gradient")
    /// Stationarity + complementarity (``NLPOptimality``, relative to the gradient) above
    /// which a passed projected-gradient test is not trusted: the certificate checker's
    /// KKT tolerance.
    static let kktAgreement = 1e-6

    /// The status of an L-BFGS-B run that is a whole solve.
    static func afterLBFGSB(_ outcome: LBFGSBEngine.Outcome, convex: Bool, stationary: Double, tolerance: Double) -> (TerminationStatus, String) {
        switch outcome {
        case .converged: return (convex ? .optimal : .locallyOptimal, "projected gradient below tolerance")
        case .stalled(let why): return (stationary <= tolerance.squareRoot() ? .almostOptimal : .slowProgress, why)
        case .unbounded: return (.unbounded, "f below −1e20")
        case .nonFinite: return (.numericalError, "f or its gradient is not finite")
        case .limit(let status): return (status, status.rawValue)
        case .iterationLimit: return (.iterationLimit, "iteration limit")
        }
    }

    /// Whether min F s.t. the constraints is a convex program (so a local answer is global).
    static func isConvexProgram(_ program: NonlinearProgram, sign: Double) -> Bool {
        guard sign > 0 ? program.objective.isConvex : program.objective.isConcave else { return false }
        return program.constraints.allSatisfy { c in constraintIsConvex(c) }
    }

    static func constraintIsConvex(_ c: NonlinearConstraint) -> Bool {
        let affine = c.function.isConvex && c.function.isConcave
        if c.isEquality { return affine }
        return (c.upper == .infinity || c.function.isConvex) && (c.lower == -.infinity || c.function.isConcave)
    }

    /// After the penalty has grown without restoring feasibility: `infeasible` with a
    /// certificate when the constraints are convex and the linearization bound is positive
    /// over the box, else `slow_progress` with a note.
    static func infeasibleOutcome(_ program: NonlinearProgram, _ evaluation: NLPEvaluation, x: [Double], values: [Double], jacobian: [[Double]],
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
