import LagrangeCore
import LinearAlgebra

/// A nonlinear program as the native methods see it: F = f (or −f for `maximize`) to
/// minimize, the constraints g, and evaluation counters.
final class NLPEvaluation {
    let program: NonlinearProgram
    /// +1 to minimize f, −1 to maximize it.
    let sign: Double
    var n: Int { program.variableCount }
    var m: Int { program.constraints.count }
    private(set) var objectiveEvaluations = 0
    private(set) var constraintEvaluations = 0

    init(_ program: NonlinearProgram) {
        self.program = program
        sign = program.sense == .maximize ? -1 : 1
    }

    /// F(x) and ∇F(x).
    func objective(_ x: [Double], _ gradient: inout [Double]) -> Double {
        objectiveEvaluations += 1
        let f = program.objective.valueAndGradient(at: x, gradient: &gradient)
        if sign < 0 { for i in 0..<gradient.count { gradient[i] = -gradient[i] } }
        return sign * f
    }

    /// gᵢ(x) and ∇gᵢ(x) (row i of the Jacobian).
    func constraints(_ x: [Double]) -> (values: [Double], jacobian: [[Double]]) {
        constraintEvaluations += 1
        var values: [Double] = [], rows: [[Double]] = []
        values.reserveCapacity(m)
        for c in program.constraints {
            var row = Array(repeating: 0.0, count: n)
            values.append(c.function.valueAndGradient(at: x, gradient: &row))
            rows.append(row)
        }
        return (values, rows)
    }

    var counters: [Metric] { [Metric("f_evals", Double(objectiveEvaluations)), Metric("g_evals", Double(constraintEvaluations))] }
}

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

extension NLPEvaluation {
    /// The result in the problem's own sense, with multipliers as shadow prices: a
    /// constraint's dual ∂f*/∂(its bound) = −sign·ŷᵢ, a variable's reduced cost
    /// ∂f*/∂(its active bound) = sign·zⱼ.
    /// `convergedBy` names the test that fired; for a KKT point (`optimal`,
    /// `locally_optimal`, `stationary_point`) it defaults to ``NLPTermination/kktResiduals``.
    func result(_ status: TerminationStatus, _ raw: String, x: [Double], objective F: Double, multipliers y: [Double],
                optimality: NLPOptimality, iterations: Int, convergedBy: ConvergenceTest? = nil) -> SolveResult {
        var result = SolveResult(kind: .nlp, status: status, rawStatus: raw, objective: F.isFinite ? sign * F : nil,
                                 variableNames: program.variableNames, primal: x,
                                 constraintNames: program.constraints.map(\.name),
                                 duals: y.map { -sign * $0 + 0 }, reducedCosts: optimality.boundMultipliers.map { sign * $0 + 0 },
                                 iterations: iterations)
        result.kkt = optimality.kkt
        let isKKTPoint = status == .optimal || status == .locallyOptimal || status == .stationaryPoint
        result.convergedBy = isKKTPoint ? (convergedBy ?? NLPTermination.kktResiduals) : nil
        return result
    }
}

/// The names of the `nlp` termination tests, as `converged_by` spells them.
enum NLPTermination {
    /// Feasibility, stationarity and complementarity all within the tolerance (the
    /// interior point and the augmented Lagrangian).
    static let kktResiduals = ConvergenceTest(rawValue: "kkt_residuals")
    /// The projected gradient within the tolerance (L-BFGS-B on a bound-only problem).
    static let projectedGradient = ConvergenceTest(rawValue: "projected_gradient")
}
