import LinearAlgebra

/// The equality-constrained QP of the seed model, in minimization form:
///
///     min ½xᵀSx + cᵀx + c₀   s.t.   Cx = b        (C = Aᵀ of the seed, m × n)
///
/// with x free. Its KKT (saddle-point) system is [S Cᵀ; C 0][x; −y] = [−c; b], where y
/// are the shadow prices ∂F*/∂b (for L = F + λᵀ(Cx − b) this is y = −λ). The KKT
/// backends (`native.kkt`, `gsl.kkt`) share this view and ``result(...)``.
package struct EqualityConstrainedQP: Sendable {
    package let original: QuadraticProgram
    /// +1 for a minimization, −1 for a maximization (S, c of the minimization form).
    package let senseSign: Double
    /// S = senseSign·Q, full symmetric, n × n.
    package let hessian: SparseMatrix
    /// c = senseSign·c.
    package let cost: [Double]
    /// C, m × n.
    package let constraints: SparseMatrix
    package let rightHandSide: [Double]

    package var variableCount: Int { constraints.columnCount }
    package var constraintCount: Int { constraints.rowCount }

    /// What the KKT solvers accept, for error messages.
    package static let requirement = "an equality-constrained QP — every row an equality (rowLower = rowUpper) and every variable free (no bounds); use native.ipm for inequalities or bounds"

    /// Checks that `problem` is an equality-constrained QP (or an LP of that form, with
    /// S = 0) and builds the minimization form. Throws ``SolverError/unsupported(_:)``
    /// naming the first row or column that does not fit.
    package init(_ problem: Problem, solver: String) throws(SolverError) {
        let qp: QuadraticProgram
        switch problem {
        case .quadratic(let q): qp = q
        case .linear(let lp):
            do { qp = try QuadraticProgram(linear: lp, quadratic: .zeros(rows: lp.columnCount, columns: lp.columnCount)) }
            catch { throw .unsupported("\(solver): \(error.message)") }
        default:
            throw .unsupported("\(solver) solves \(Self.requirement); got kind '\(problem.kind.rawValue)'")
        }
        let lp = qp.linear
        for i in 0..<lp.rowCount where lp.rowLower[i] != lp.rowUpper[i] {
            throw .unsupported("\(solver) solves \(Self.requirement); row '\(lp.constraintNames[i])' is an inequality [\(lp.rowLower[i]), \(lp.rowUpper[i])]")
        }
        for j in 0..<lp.columnCount where lp.columnLower[j] != -.infinity || lp.columnUpper[j] != .infinity {
            throw .unsupported("\(solver) solves \(Self.requirement); variable '\(lp.variableNames[j])' has bounds [\(lp.columnLower[j]), \(lp.columnUpper[j])]")
        }
        let s: Double = lp.sense == .minimize ? 1 : -1
        original = qp
        senseSign = s
        let q = qp.quadratic.droppingZeros()
        hessian = s == 1 ? q : q.scaled(rows: Array(repeating: -1, count: q.rowCount), columns: Array(repeating: 1, count: q.columnCount))
        cost = lp.objective.map { s * $0 }
        constraints = lp.constraints.droppingZeros()
        rightHandSide = lp.rowLower
    }

    /// ‖Cx − b‖∞ and ‖Sx + c − Cᵀy‖∞ (minimization form, y the shadow prices).
    package func residuals(x: [Double], y: [Double]) -> (primal: Double, dual: Double) {
        let cx = constraints.multiply(x)
        var primal = 0.0
        for i in 0..<constraintCount { primal = max(primal, abs(cx[i] - rightHandSide[i])) }
        let sx = hessian.multiply(x), cty = constraints.transposeMultiply(y)
        var dual = 0.0
        for j in 0..<variableCount { dual = max(dual, abs(sx[j] + cost[j] - cty[j])) }
        return (primal, dual)
    }

    /// The result for x and the minimization form's shadow prices y: duals in the
    /// problem's own sense (∂F*/∂b), reduced costs 0 (free columns), KKT residuals.
    package func result(x: [Double], y: [Double], status: TerminationStatus = .optimal, rawStatus: String,
                       details: KKTDetails) -> SolveResult {
        let lp = original.linear
        let duals = y.map { senseSign * $0 }
        let reduced = Array(repeating: 0.0, count: variableCount)
        var result = SolveResult(kind: .qp, status: status, rawStatus: rawStatus, objective: original.objectiveValue(at: x),
                                 variableNames: lp.variableNames, primal: x, constraintNames: lp.constraintNames,
                                 duals: duals, reducedCosts: reduced, iterations: details.refinementSteps)
        result.kkt = original.kktResiduals(primal: x, duals: duals, reducedCosts: reduced)
        result.details.append(details)
        return result
    }

    /// The result of a direct solve stopped (time limit, cancellation) before its
    /// factorization ended: no iterate exists yet, so x = 0, y = 0, with one history record
    /// (recorded through `control`) and a note saying so. `method` names the factorization.
    package func stoppedResult(_ status: TerminationStatus, method: String, control: IterationControl) -> SolveResult {
        let x = Array(repeating: 0.0, count: variableCount), y = Array(repeating: 0.0, count: constraintCount)
        let (primal, dual) = residuals(x: x, y: y)
        _ = control.record(IterationRecord(iteration: 0, objective: original.objectiveValue(at: x),
                                           primalResidual: primal, dualResidual: dual), iterationLimit: Int.max)
        let details = KKTDetails(method: method, positivePivots: 0, negativePivots: 0, refinementSteps: 0,
                                 regularization: 0, residual: max(primal, dual))
        var stopped = result(x: x, y: y, status: status, rawStatus: "stopped during the factorization", details: details)
        stopped.notes.append("\(status.rawValue) before the factorization finished: a direct solve has no iterate until then, so the point returned is x = 0, y = 0")
        return stopped
    }
}

/// What a KKT solve learned about the saddle-point matrix K = [S Cᵀ; C 0].
///
/// `inertia` counts K's positive, negative and zero eigenvalues as read from the pivots
/// of its factorization (Sylvester's law of inertia): a unique minimizer needs exactly
/// (n, m, 0) — n positive and m negative.
public struct KKTDetails: ResultDetails, Equatable {
    /// `ldlt` (sparse LDLᵀ of K), `schur` (Cholesky of S and of C S⁻¹ Cᵀ), or a backend's own.
    public var method: String
    /// Positive eigenvalues of K counted from its factorization's pivots; n (the variable count)
    /// for a unique minimizer. JSON: `inertia.positive`.
    public var positivePivots: Int
    /// Negative eigenvalues of K counted from the pivots; m (the constraint count) for a unique
    /// minimizer. JSON: `inertia.negative`.
    public var negativePivots: Int
    /// Zero pivots (a singular K: dependent constraints, or S singular on the null space of C);
    /// 0 for a unique minimizer. JSON: `inertia.zero`.
    public var zeroPivots: Int
    /// Iterative refinement steps after the first solve.
    public var refinementSteps: Int
    /// Static regularization used in the factorization (0 if none).
    public var regularization: Double
    /// ‖K[x; −y] − [−c; b]‖∞ with the unregularized K at the returned point.
    public var residual: Double

    package init(method: String, positivePivots: Int, negativePivots: Int, zeroPivots: Int = 0, refinementSteps: Int,
                regularization: Double, residual: Double) {
        self.method = method
        self.positivePivots = positivePivots
        self.negativePivots = negativePivots
        self.zeroPivots = zeroPivots
        self.refinementSteps = refinementSteps
        self.regularization = regularization
        self.residual = residual
    }

    public var jsonFields: [String: JSONValue] {
        ["kkt_method": .string(method),
         "inertia": .object(["positive": .number(Double(positivePivots)), "negative": .number(Double(negativePivots)),
                             "zero": .number(Double(zeroPivots))]),
         "kkt_residual": .number(residual),
         "refinement_steps": .number(Double(refinementSteps))]
    }

    public var summaryLines: [String] {
        ["KKT method: \(method), inertia (\(positivePivots), \(negativePivots), \(zeroPivots)), residual \(residual), refinement steps \(refinementSteps)"]
    }
}
