import LagrangeCore
import LinearAlgebra

/// The hinge model solved exactly as its QP, through the registry (so the QP's
/// certificate checker vets the answer):
///
///     min (λ/2)‖w‖² + (1/n) Σ ξᵢ   s.t.  yᵢ(wᵀxᵢ + b) + ξᵢ ≥ 1,  ξ ≥ 0
///
/// over (w, b, ξ); at the optimum ξᵢ = max(0, 1 − yᵢ(wᵀxᵢ + b)), so the QP's objective is f.
/// With λ = 0 it is an LP.
enum HingeQP {
    static func program(_ problem: LearningProblem) throws -> QuadraticProgram {
        let data = problem.training, n = data.sampleCount, d = data.featureCount
        let bias = problem.intercept ? 1 : 0
        let columns = d + bias + n
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(data.values.count + n * (1 + bias))
        for i in 0..<n {
            let y = data.labels[i], start = data.rowStarts[i]
            for e in start..<data.rowStarts[i + 1] where data.values[e] != 0 {
                let j = data.isDense ? e - start : Int(data.columnIndices[e])
                triplets.append((i, j, y * data.values[e]))
            }
            if bias == 1 { triplets.append((i, d, y)) }
            triplets.append((i, d + bias + i, 1))
        }
        let a = try SparseMatrix(rowCount: n, columnCount: columns, triplets: triplets)
        var objective = Array(repeating: 0.0, count: columns)
        for i in 0..<n { objective[d + bias + i] = 1 / Double(n) }
        var lower = Array(repeating: -Double.infinity, count: d + bias) + Array(repeating: 0.0, count: n)
        lower.reserveCapacity(columns)
        let names = problem.parameterNames + (1...n).map { "xi\($0)" }
        let lp = try LinearProgram(name: problem.name, objective: objective, constraints: a,
                                   rowLower: Array(repeating: 1, count: n), rowUpper: Array(repeating: .infinity, count: n),
                                   columnLower: lower, columnUpper: Array(repeating: .infinity, count: columns),
                                   variableNames: names, constraintNames: (1...n).map { "margin\($0)" })
        let q = try SparseMatrix(rowCount: columns, columnCount: columns,
                                 triplets: problem.lambda > 0 ? (0..<d).map { ($0, $0, problem.lambda) } : [])
        return try QuadraticProgram(linear: lp, quadratic: q)
    }

    /// Solves `problem` (hinge) with the QP solver `solverID` through the registry.
    static func solve(_ problem: LearningProblem, solverID: String, context: SolveContext) throws -> SolveResult {
        guard problem.model == .hinge else {
            throw SolverError.unsupported("\(solverID) solves the hinge model (a QP); for \(problem.model.rawValue) use native.lbfgs (default), native.newton or the SGD family")
        }
        let qp = try program(problem)
        var inner = context.options
        inner.historyStorage = .off
        if inner.timeLimit != nil { inner.timeLimit = max(1e-3, context.control.secondsRemaining) }
        let forward = ForwardingObserver(control: context.control)
        let qpResult = try context.registry.solve(.quadratic(qp), name: problem.name, solverID: solverID, options: inner, observers: [forward])
        let theta = Array(qpResult.primal.prefix(problem.parameterCount))
        let f = problem.objective.value(at: theta)
        var result = SolveResult(kind: .learning, status: forward.stopStatus ?? qpResult.status, rawStatus: qpResult.rawStatus,
                                 objective: f.isFinite ? f : nil, variableNames: problem.parameterNames, primal: theta,
                                 iterations: qpResult.iterations)
        result.details = [LearningDetails(problem: problem, theta: theta)]
        result.notes = qpResult.notes + ["solved as the hinge QP in (w, b, ξ): \(qp.linear.rowCount) rows × \(qp.linear.columnCount) columns"]
        if let check = qpResult.certificateCheck { result.certificateCheck = check }
        return result
    }
}
