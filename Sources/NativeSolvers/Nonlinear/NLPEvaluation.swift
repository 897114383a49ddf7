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
