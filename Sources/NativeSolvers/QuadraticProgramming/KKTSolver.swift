import LagrangeCore
import LinearAlgebra

/// `native.kkt`: the equality-constrained QP of the seed model,
///
///     min ½xᵀSx + cᵀx + c₀   s.t.   Aᵀx = b      (in the LP form: rows Cx = b, C = Aᵀ; x free)
///
/// solved in one shot through its saddle-point (KKT) system [S A; Aᵀ 0][x; λ] = [−c; b].
/// Reported duals are shadow prices ∂F*/∂b = −λ (L = F + λᵀ(Aᵀx − b)).
///
/// Methods (option `method`):
/// - `ldlt`: sparse LDLᵀ of K_ρ = K + diag(ρI, −ρI) with a minimum-degree ordering and no
///   pivot replacement, then iterative refinement against the unregularized K until the
///   residual stops falling (≤ `max_refinement` steps). By Sylvester's law the pivot
///   signs are the inertia of K_ρ, which is (n, m, 0) exactly when S + ρI + Aρ⁻¹Aᵀ is
///   positive definite, i.e. (for small ρ, Finsler's lemma) when S is positive definite
///   on the null space of Aᵀ (Gould, "On practical conditions for the existence and
///   uniqueness of solutions to the general equality quadratic programming problem",
///   Math. Prog. 32, 1985). Fewer than n positive pivots is reported as negative curvature.
/// - `schur`: dense Cholesky of S (must be positive definite) and of the Schur complement
///   AᵀS⁻¹A: λ = −(AᵀS⁻¹A)⁻¹(b + AᵀS⁻¹c), x = −S⁻¹(c + Aλ) (Nocedal & Wright, §16.2).
/// - `auto` (default): `schur` when n ≤ 200 and S is positive definite, else `ldlt`.
///
/// Diagnosis, before solving: dependent constraints (a zero pivot, relative to its
/// diagonal, in a Cholesky of AᵀA — the m × m Gram matrix of the constraint rows), then
/// the inertia (fewer than n positive pivots: S not positive definite on the null space), then a refinement
/// that does not reach the residual tolerance (K numerically singular: S only positive
/// semidefinite there, so the minimizer is not unique or the QP is unbounded). Each
/// throws ``SolverError/unsupported(_:)`` with the offending row or the pivot count.
/// The history holds one record per solve (the first and each refinement step).
public struct NativeKKTSolver: SolverPlugin {
    public init() {}

    public var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.kkt", kinds: [.qp], options: [
            OptionSpec("method", default: "auto", "ldlt (sparse LDLᵀ of the KKT matrix), schur (dense Cholesky of S and AᵀS⁻¹A), auto"),
            OptionSpec("regularization", default: "1e-10", "static regularization ρ of the LDLᵀ, relative to max|K_ij| (refined away)"),
            OptionSpec("max_refinement", default: "10", "iterative refinement steps at most"),
            OptionSpec("dependency_tolerance", default: "1e-10", "relative pivot of the constraint Gram matrix below which a row is dependent"),
        ], summary: "equality-constrained QP by the KKT (saddle-point) system: sparse LDLᵀ or Schur complement")
    }

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let eqp = try EqualityConstrainedQP(problem, solver: "native.kkt")
        let options = context.options
        let method = try options.string("method", default: "auto", allowed: ["auto", "ldlt", "schur"])
        let regularization = try options.number("regularization", default: 1e-10)
        guard regularization >= 0, regularization < 1 else {
            throw SolverError.invalidOption(name: "regularization", reason: "must lie in [0, 1), got \(regularization)")
        }
        let maxRefinement = try options.number("max_refinement", default: 10)
        guard maxRefinement >= 0, maxRefinement <= 100, maxRefinement == maxRefinement.rounded() else {
            throw SolverError.invalidOption(name: "max_refinement", reason: "must be an integer in 0...100")
        }
        let dependency = try options.number("dependency_tolerance", default: 1e-10)
        guard dependency > 0, dependency < 1 else {
            throw SolverError.invalidOption(name: "dependency_tolerance", reason: "must lie in (0, 1)")
        }
        let n = eqp.variableCount, m = eqp.constraintCount
        let names = eqp.original.linear
        if m > n {
            throw SolverError.unsupported("native.kkt: the KKT matrix is singular: \(m) equality constraints on \(n) variables are linearly dependent (rank ≤ \(n))")
        }
        let control = context.control
        // Direct work (ordering, factorizations) asks this between columns and panels.
        let shouldStop = { control.checkInterrupt() != nil }
        func stopped() -> SolveResult {
            eqp.stoppedResult(control.checkInterrupt() ?? .interrupted, method: "ldlt", control: control)
        }
        let dependent: Int?
        do { dependent = try KKTSystem.dependentRow(eqp.constraints, tolerance: dependency, shouldStop: shouldStop) } catch {
            return stopped()
        }
        if let row = dependent {
            throw SolverError.unsupported("native.kkt: the KKT matrix is singular: the equality constraints are linearly dependent — row '\(names.constraintNames[row])' is (to relative tolerance \(dependency)) a combination of the others")
        }
        var useSchur = method == "schur"
        var schurCholesky: DenseCholesky?
        if method != "ldlt" && n <= (method == "schur" ? Int.max : 200) {
            schurCholesky = KKTSystem.wellConditionedCholesky(eqp.hessian)
            if schurCholesky == nil && method == "schur" {
                throw SolverError.unsupported("native.kkt: method schur needs S positive definite, and its Cholesky factorization fails (or has a pivot below 1e-12·max|S_ij|); use method ldlt (S need only be positive definite on the null space of Aᵀ)")
            }
            useSchur = schurCholesky != nil
        }
        func record(_ iteration: Int, _ x: [Double], _ y: [Double]) -> TerminationStatus? {
            let (primal, dual) = eqp.residuals(x: x, y: y)
            return control.record(IterationRecord(iteration: iteration, objective: eqp.original.objectiveValue(at: x),
                                                  primalResidual: primal, dualResidual: dual), iterationLimit: Int.max)
        }
        if useSchur, let cholesky = schurCholesky {
            guard let (x, y) = KKTSystem.schurSolve(eqp, cholesky: cholesky) else {
                throw SolverError.unsupported("native.kkt: the Schur complement AᵀS⁻¹A is not positive definite: the equality constraints are numerically dependent")
            }
            let status = record(0, x, y)
            let residual = KKTSystem.residual(eqp, x: x, y: y)
            let details = KKTDetails(method: "schur", positivePivots: n, negativePivots: m, refinementSteps: 0,
                                     regularization: 0, residual: residual)
            return eqp.result(x: x, y: y, status: status ?? .optimal, rawStatus: "Cholesky of S and of AᵀS⁻¹A", details: details)
        }
        let system: KKTSystem
        do { system = try KKTSystem(eqp, regularization: regularization, shouldStop: shouldStop) } catch .interrupted {
            return stopped()
        } catch {
            throw SolverError.unsupported("native.kkt: the KKT matrix is singular (\(error)): S is only positive semidefinite on the null space of Aᵀ")
        }
        if system.positivePivots != n || system.negativePivots != m {
            throw SolverError.unsupported("native.kkt: S is not positive definite on the null space of Aᵀ: the LDLᵀ factorization of the KKT matrix has inertia (\(system.positivePivots), \(system.negativePivots), 0) but a minimizer needs (\(n), \(m), 0); the stationary point is not a minimum")
        }
        var stop: TerminationStatus?
        let (x, y, steps, residual) = system.solve(maxRefinement: Int(maxRefinement)) { k, x, y in
            if stop == nil { stop = record(k, x, y) }
        }
        let scale = 1 + max(Vector.normInf(eqp.cost), Vector.normInf(eqp.rightHandSide))
        guard residual.isFinite, residual <= 1e-9 * scale * max(1, system.matrixScale) else {
            throw SolverError.unsupported("native.kkt: the KKT matrix is numerically singular (residual \(residual) after \(steps) refinement steps): S is only positive semidefinite on the null space of Aᵀ, so the minimizer is not unique or the QP is unbounded below")
        }
        let details = KKTDetails(method: "ldlt", positivePivots: system.positivePivots, negativePivots: system.negativePivots,
                                 refinementSteps: steps, regularization: system.regularization, residual: residual)
        return eqp.result(x: x, y: y, status: stop ?? .optimal, rawStatus: "sparse LDLᵀ of the KKT matrix", details: details)
    }
}

/// The sparse saddle-point system K = [S Cᵀ; C 0] of an ``EqualityConstrainedQP``
/// (C = Aᵀ of the seed), factored with static regularization and expected signs.
struct KKTSystem {
    let problem: EqualityConstrainedQP
    let factorization: SparseLDLT
    /// ρ·max|K_ij|.
    let regularization: Double
    let matrixScale: Double
    let positivePivots: Int
    let negativePivots: Int

    /// `shouldStop` is asked during the ordering and the factorization (`.interrupted`).
    init(_ p: EqualityConstrainedQP, regularization relative: Double, shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) {
        problem = p
        let n = p.variableCount, m = p.constraintCount
        let s = p.hessian, c = p.constraints
        var triplets: [(row: Int, column: Int, value: Double)] = []
        var scale = 0.0
        for j in 0..<n {
            triplets.append((j, j, 0))  // every diagonal present, for the regularization
            for k in s.columnStarts[j]..<s.columnStarts[j + 1] where s.rowIndices[k] >= j {
                triplets.append((s.rowIndices[k], j, s.values[k]))
                scale = max(scale, abs(s.values[k]))
            }
            for k in c.columnStarts[j]..<c.columnStarts[j + 1] {
                triplets.append((n + c.rowIndices[k], j, c.values[k]))
                scale = max(scale, abs(c.values[k]))
            }
        }
        for i in 0..<m { triplets.append((n + i, n + i, 0)) }
        let k = try SparseMatrix(rowCount: n + m, columnCount: n + m, triplets: triplets)
        let symbolic = try SparseLDLTSymbolic(pattern: k, shouldStop: shouldStop)
        matrixScale = max(scale, 1e-300)
        regularization = relative * max(scale, 1)
        let signs = (0..<(n + m)).map { $0 < n ? 1.0 : -1.0 }
        var factorization = SparseLDLT(symbolic: symbolic, signs: signs,
                                       policy: PivotPolicy(staticRegularization: regularization, pivotTolerance: -.infinity))
        try factorization.factor(k, shouldStop: shouldStop)
        var positive = 0, negative = 0
        for d in factorization.pivots { if d > 0 { positive += 1 } else if d < 0 { negative += 1 } }
        positivePivots = positive
        negativePivots = negative
        self.factorization = factorization
    }

    /// Solves K[x; −y] = [−c; b] with iterative refinement; `observe` sees each iterate.
    func solve(maxRefinement: Int, observe: (Int, [Double], [Double]) -> Void)
        -> (x: [Double], y: [Double], steps: Int, residual: Double) {
        let p = problem, n = p.variableCount, m = p.constraintCount
        let rhs = p.cost.map { -$0 } + p.rightHandSide
        var v = factorization.solve(rhs)
        var scratch = Array(repeating: 0.0, count: n + m)
        func split(_ v: [Double]) -> ([Double], [Double]) { (Array(v[0..<n]), v[n...].map { -$0 }) }
        var (x, y) = split(v)
        observe(0, x, y)
        var r = residualVector(v, rhs)
        var norm = Vector.normInf(r)
        var steps = 0
        while steps < maxRefinement && norm > 1e-15 * (1 + Vector.normInf(rhs)) {
            var correction = r
            factorization.solve(&correction, scratch: &scratch)
            let candidate = zip(v, correction).map { $0 + $1 }
            let rc = residualVector(candidate, rhs)
            let candidateNorm = Vector.normInf(rc)
            guard candidateNorm < norm else { break }
            v = candidate; r = rc; norm = candidateNorm
            steps += 1
            (x, y) = split(v)
            observe(steps, x, y)
        }
        return (x, y, steps, norm)
    }

    /// rhs − K v with the unregularized K.
    private func residualVector(_ v: [Double], _ rhs: [Double]) -> [Double] {
        let p = problem, n = p.variableCount
        let x = Array(v[0..<n]), mu = Array(v[n...])
        let sx = p.hessian.multiply(x), ctm = p.constraints.transposeMultiply(mu), cx = p.constraints.multiply(x)
        var r = rhs
        for j in 0..<n { r[j] -= sx[j] + ctm[j] }
        for i in 0..<p.constraintCount { r[n + i] -= cx[i] }
        return r
    }

    /// The KKT residual ‖K[x; −y] − [−c; b]‖∞.
    static func residual(_ p: EqualityConstrainedQP, x: [Double], y: [Double]) -> Double {
        let (primal, dual) = p.residuals(x: x, y: y)
        return max(primal, dual)
    }

    /// The first row (in elimination order) of C whose pivot in a Cholesky of CCᵀ is at
    /// most `tolerance` times its diagonal: that row lies (numerically) in the span of
    /// the rows eliminated before it. nil when C has full row rank (or no rows). Throws
    /// only `.interrupted`, when `shouldStop` answers true.
    static func dependentRow(_ c: SparseMatrix, tolerance: Double,
                             shouldStop: (() -> Bool)? = nil) throws(LinearAlgebraError) -> Int? {
        let m = c.rowCount
        guard m > 0 else { return nil }
        let normal: NormalEquationsMatrix
        do { normal = try NormalEquationsMatrix(c, shouldStop: shouldStop) } catch .interrupted { throw .interrupted } catch { return nil }
        var values = Array(repeating: 0.0, count: normal.symbolic.upperNonzeros)
        normal.assemble(theta: Array(repeating: 1, count: c.columnCount), shift: nil, into: &values)
        var factorization = SparseLDLT(symbolic: normal.symbolic, policy: PivotPolicy(pivotTolerance: tolerance))
        do { try factorization.factor(internalValues: values, shouldStop: shouldStop) } catch .interrupted { throw .interrupted } catch { return 0 }
        guard factorization.replacedPivots > 0 else { return nil }
        let replacement = PivotPolicy().replacement
        for (k, d) in factorization.pivots.enumerated() where d == replacement { return normal.symbolic.permutation[k] }
        return 0
    }

    /// The dense Cholesky factor of S, or nil when S is not positive definite or a pivot
    /// falls below 1e-12·max|Sᵢⱼ| (then S⁻¹ would amplify rounding beyond use).
    static func wellConditionedCholesky(_ s: SparseMatrix) -> DenseCholesky? {
        guard let factor = try? DenseCholesky(s.dense()) else { return nil }
        var scale = 0.0
        for v in s.values { scale = max(scale, abs(v)) }
        for j in 0..<s.columnCount {
            let pivot = factor.factor[j, j]
            guard pivot * pivot > 1e-12 * scale else { return nil }
        }
        return factor
    }

    /// The Schur-complement route for a positive definite S (dense): returns nil if
    /// AᵀS⁻¹A is not positive definite.
    static func schurSolve(_ p: EqualityConstrainedQP, cholesky: DenseCholesky) -> (x: [Double], y: [Double])? {
        let n = p.variableCount, m = p.constraintCount
        let ct = p.constraints.transposed()  // n × m: column i is row i of C
        var sInverseCt: [[Double]] = []      // columns S⁻¹cᵢ
        sInverseCt.reserveCapacity(m)
        for i in 0..<m {
            var column = Array(repeating: 0.0, count: n)
            for k in ct.columnStarts[i]..<ct.columnStarts[i + 1] { column[ct.rowIndices[k]] = ct.values[k] }
            sInverseCt.append(cholesky.solve(column))
        }
        let sInverseC = cholesky.solve(p.cost)
        // M = C S⁻¹ Cᵀ, r = b + C S⁻¹ c; then Mλ = −r and y = −λ, so M y = r.
        var schur = DenseMatrix(rows: m, columns: m)
        for i in 0..<m {
            let column = p.constraints.multiply(sInverseCt[i])
            for k in 0..<m { schur[k, i] = column[k] }
        }
        for i in 0..<m { for k in 0..<i { let v = 0.5 * (schur[i, k] + schur[k, i]); schur[i, k] = v; schur[k, i] = v } }
        let csc = p.constraints.multiply(sInverseC)
        let r = (0..<m).map { p.rightHandSide[$0] + csc[$0] }
        var y = Array(repeating: 0.0, count: m)
        if m > 0 {
            guard let factor = try? DenseCholesky(schur) else { return nil }
            y = factor.solve(r)
        }
        // x = S⁻¹(Cᵀy − c).
        let cty = p.constraints.transposeMultiply(y)
        let x = cholesky.solve((0..<n).map { cty[$0] - p.cost[$0] })
        return (x, y)
    }
}
