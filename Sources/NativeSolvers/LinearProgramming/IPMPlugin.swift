import LagrangeCore
import LinearAlgebra

/// `native.ipm`: Lagrange's sparse primal–dual interior-point method for LPs and convex QPs.
///
/// Problem: min (or max) ½xᵀQx + cᵀx + c₀ s.t. l ≤ Ax ≤ u, column bounds (free, ranged and
/// fixed included); Q = 0 for an LP. Pipeline: negate a maximization → (QP) convexity
/// check, an LDLᵀ of Q + εI that must have only positive pivots → presolve
/// (``LPPresolve``) → standard form with slacks (``IPMStandardForm``; an LP's free columns
/// are split) → Ruiz equilibration → Mehrotra predictor–corrector
/// (``InteriorPointMethod``: normal equations for an LP, the augmented quasi-definite
/// system for a QP) → unscale → postsolve. Duals are shadow prices ∂obj/∂(row bound) in
/// the problem's own sense; reduced costs are c + Qx − Aᵀy. An LP's interior optimum then
/// goes through ``InteriorPointCrossover`` to an optimal basic solution with basis
/// statuses (option `crossover`, default on); a QP's is returned as it is. A non-convex Q (minimization) or non-concave
/// Q (maximization) throws ``SolverError/unsupported(_:)`` naming a variable on which
/// the curvature is negative.
package struct NativeInteriorPointSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.ipm", kinds: [.lp, .qp], options: IPMSettings.optionSpecs,
                         summary: "primal–dual interior point (Mehrotra predictor–corrector; sparse LDLᵀ of the normal equations for LP, of the augmented system for QP); an LP ends at an optimal basis (crossover)")
    }

    /// What native.ipm's presolve does to `lp`, in one line: the sizes before and after
    /// (rows × columns × nonzeros) and how often each reduction applied. For benchmarks
    /// and diagnostics (`lp-bench --stats`).
    package static func presolveSummary(of lp: LinearProgram) -> String {
        let minimizing = RowBoundLP(minimizing: lp)
        let presolve = LPPresolve(minimizing, enabled: true, reductions: .full)
        let c = presolve.counts, r = presolve.reduced
        var line = "presolve \(lp.rowCount)×\(lp.columnCount)×\(minimizing.matrix.nonzeroCount) → \(r.rowCount)×\(r.columnCount)×\(r.matrix.nonzeroCount)"
        line += ": rows dropped \(c.droppedRows), singleton \(c.singletonRows), forcing \(c.forcingRows), redundant \(c.redundantRows);"
        line += " columns fixed \(c.fixedColumns), empty \(c.emptyColumns), substituted \(c.substitutedColumns)"
        if case .infeasible(let reason) = presolve.verdict { line += "; infeasible: \(reason)" }
        return line
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try IPMSettings(options: context.options)
        switch problem {
        case .linear(let lp):
            return try InteriorPointDriver(lp: lp, settings: settings).solve(control: context.control)
        case .quadratic(let qp):
            if settings.explicitCrossover && settings.crossover {
                throw SolverError.invalidOption(name: "crossover", reason: "applies to LPs only: a QP's optimum need not be a vertex")
            }
            let minimizing = RowBoundLP(minimizing: qp)
            if let q = minimizing.quadratic, q.nonzeroCount > 0 {
                try ConvexityCheck.requirePositiveSemidefinite(q, names: qp.linear.variableNames,
                                                               sense: qp.linear.sense, solver: "native.ipm")
            }
            return try InteriorPointDriver(lp: qp.linear, quadraticProgram: qp, settings: settings).solve(control: context.control)
        default:
            throw SolverError.unsupported("native.ipm solves LPs and QPs; got kind '\(problem.kind.rawValue)'")
        }
    }
}

/// The LP pipeline around ``InteriorPointMethod``: presolve, scaling, the run, and the
/// mapping of its answer back to the user's problem.
struct InteriorPointDriver {
    let lp: LinearProgram
    /// Set for a QP (whose `linear` is `lp`).
    var quadraticProgram: QuadraticProgram? = nil
    let settings: IPMSettings

    func solve(control: IterationControl) throws -> SolveResult {
        let sense: Double = lp.sense == .minimize ? 1 : -1
        var minimizing = quadraticProgram.map { RowBoundLP(minimizing: $0) } ?? RowBoundLP(minimizing: lp)
        let negligible = minimizing.dropNegligibleEntries()
        let presolve = LPPresolve(minimizing, enabled: settings.presolve,
                                  reductions: quadraticProgram == nil ? .full : .simple,
                                  shouldStop: { control.checkInterrupt() != nil })
        var notes: [String] = []
        if negligible > 0 {
            notes.append("\(negligible) negligible matrix entr\(negligible == 1 ? "y" : "ies") dropped (below 1e-20 of the largest in both their row and column)")
        }
        if !lp.integerColumns.isEmpty { notes.append("integrality of \(lp.integerColumns.count) columns ignored (LP relaxation)") }
        if presolve.verdict == .stopped {
            var result = makeResult(status: control.checkInterrupt() ?? .interrupted, raw: "stopped during presolve",
                                    x: lp.columnLower.map { $0.isFinite ? $0 : 0 }, y: nil, d: nil, iterations: 0)
            result.notes = notes + ["stopped during presolve, before the first iterate: the point is the columns' lower bounds (0 where none)"]
            return result
        }
        if case .infeasible(let reason) = presolve.verdict {
            // Presolve's reasoning chains bound tightenings: prove it on the original rows.
            var result = makeResult(status: .infeasible, raw: "presolve: \(reason)", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                    y: nil, d: nil, iterations: 0)
            result.convergedBy = IPMTermination.presolve
            switch try? LPDiagnosis.diagnose(minimizing, settings: settings, interrupt: { control.checkInterrupt() }) {
            case .infeasible(let farkas)?:
                result.certificate = Certificate(kind: .farkas, vector: farkas)
            case .stopped(let stop)?:
                // No proof before the limit: the claim cannot leave unproved.
                result = makeResult(status: stop, raw: "\(stop.rawValue) while proving presolve's infeasibility (\(reason))",
                                    x: result.primal, y: nil, d: nil, iterations: 0)
            default:
                break
            }
            result.notes = notes
            return result
        }
        let reduced = presolve.reduced
        var x: [Double], y: [Double], status: TerminationStatus, raw: String, iterations: Int
        var certificate: Certificate?
        var convergedBy: ConvergenceTest?
        if reduced.columnCount == 0 {
            (x, y, status, raw, iterations) = ([], Array(repeating: 0, count: reduced.rowCount), .optimal, "solved by presolve", 0)
            convergedBy = IPMTermination.presolve
        } else {
            // Presolve, standard form and scaling are linear-time but long on large LPs
            // in debug builds: a limit met there returns the bound point nearest zero.
            if let stop = control.checkInterrupt() {
                return makeResult(status: stop, raw: "stopped after presolve", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                  y: nil, d: nil, iterations: 0)
            }
            let form = IPMStandardForm(reduced)
            let scaling = Equilibration(form.matrix, passes: settings.scalingPasses)
            let (scaled, boundScale, costScale) = DataScaling.normalize(scaling.apply(to: form))
            let objectiveScale = boundScale * costScale
            if let stop = control.checkInterrupt() {
                return makeResult(status: stop, raw: "stopped after scaling", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                  y: nil, d: nil, iterations: 0)
            }
            let constant = reduced.objectiveConstant
            var method = InteriorPointMethod(form: scaled, settings: settings)
            method.objectiveConstant = constant / objectiveScale
            let outcome: IPMOutcome
            do {
                outcome = try method.run(interrupt: { control.checkInterrupt() }) { info in
                let record = IterationRecord(
                    iteration: info.iteration, objective: sense * (objectiveScale * info.primalObjective + constant),
                    primalResidual: info.primalResidual, dualResidual: info.dualResidual, gap: info.relativeGap,
                    stepSize: min(info.primalStep, info.dualStep),
                    extras: [Metric("dual_objective", sense * (objectiveScale * info.dualObjective + constant)), Metric("mu", info.mu),
                             Metric("primal_step", info.primalStep), Metric("dual_step", info.dualStep)])
                return control.record(record, iterationLimit: settings.maxIterations)
            }
            } catch let error as LinearAlgebraError {
                // A factorization that fails is a numerical failure of the method, not bad input.
                var result = makeResult(status: .numericalError, raw: "factorization failed: \(error)",
                                        x: lp.columnLower.map { $0.isFinite ? $0 : 0 }, y: nil, d: nil, iterations: 0)
                result.notes = notes
                return result
            }
            let xs = zip(outcome.x, scaling.columnScale).map { $0 * $1 * boundScale }
            x = form.rowBoundPrimal(xs)
            y = zip(outcome.y, scaling.rowScale).map { $0 * $1 * costScale }
            status = outcome.status
            raw = outcome.rawStatus
            iterations = outcome.iterations
            convergedBy = outcome.convergedBy
            // The auxiliary LPs' setup (standard form, scaling) does not ask for the clock:
            // start them only with time for a few of the main run's iterations left.
            let perIteration = control.elapsedSeconds / Double(max(1, outcome.iterations))
            let timeForDiagnosis = control.secondsRemaining > 3 * perIteration
            if timeForDiagnosis && (status == .slowProgress || status == .numericalError || status == .almostOptimal) {
                // Stalled: settle feasibility and boundedness with the auxiliary LPs.
                switch try LPDiagnosis.diagnose(reduced, settings: settings, interrupt: { control.checkInterrupt() }) {
                case .infeasible(let farkas)?:
                    status = .infeasible
                    raw = "phase-1 LP has a positive optimum (after: \(raw))"
                    convergedBy = IPMTermination.phaseOneLP
                    var full = Array(repeating: 0.0, count: lp.rowCount)
                    for (k, i) in presolve.activeRows.enumerated() { full[i] = farkas[k] }
                    certificate = Certificate(kind: .farkas, vector: full)
                case .unbounded(let ray, _)?:
                    status = .unbounded
                    raw = "ray LP has a negative optimum (after: \(raw))"
                    convergedBy = IPMTermination.rayLP
                    certificate = Certificate(kind: .primalRay, vector: presolve.postsolveDirection(ray))
                case .stopped(let stop)?:
                    // The limit fell while the stall was being diagnosed: that is why the
                    // solve ends undecided.
                    status = stop
                    raw = "\(stop.rawValue) while diagnosing the stall (after: \(raw))"
                    convergedBy = nil
                case nil:
                    break
                }
            }
            if let ray = outcome.certificate {
                if status == .infeasible {
                    var full = Array(repeating: 0.0, count: lp.rowCount)
                    for (k, i) in presolve.activeRows.enumerated() { full[i] = ray[k] * scaling.rowScale[k] }
                    certificate = Certificate(kind: .farkas, vector: full)
                } else {
                    let direction = form.rowBoundPrimal(zip(ray, scaling.columnScale).map { $0 * $1 })
                    certificate = Certificate(kind: .primalRay, vector: presolve.postsolveDirection(direction))
                }
            }
        }
        if status == .optimal, let column = presolve.unboundedColumn {
            status = .unbounded
            raw = "column \(lp.variableNames[column]) has no constraints and its cost pulls it to an infinite bound"
            convergedBy = IPMTermination.presolve
            // The point is optimal for the other columns, so feasible; the ray moves this one.
            var ray = Array(repeating: 0.0, count: lp.columnCount)
            ray[column] = minimizing.objective[column] < 0 ? 1 : -1
            certificate = Certificate(kind: .primalRay, vector: ray)
        }
        let (fullX, fullY, fullD) = presolve.postsolve(primal: x, duals: y)
        var result = makeResult(status: status, raw: raw, x: fullX,
                                y: fullY.map { sense * $0 }, d: fullD.map { sense * $0 }, iterations: iterations)
        result.certificate = certificate
        result.convergedBy = convergedBy
        result.notes = notes
        if status == .optimal, quadraticProgram == nil, settings.crossover {
            result = InteriorPointCrossover.apply(to: result, lp: lp, control: control)
        }
        if status == .infeasible || status == .unbounded {
            result = confirmedOnOriginal(result, minimizing: minimizing, interrupt: { control.checkInterrupt() })
        }
        return result
    }

    /// An infeasible or unbounded verdict reached on the presolved, scaled problem, made
    /// to hold on the user's: the certificate checker judges it, and where it fails (a
    /// Farkas vector of tightened bounds, a last iterate that is not feasible) the
    /// auxiliary LPs of ``LPDiagnosis`` are solved on the original problem for a
    /// certificate (and feasible point) that does. If they cannot confirm it, the verdict
    /// becomes `numerical_error`: no claim leaves unproved.
    private func confirmedOnOriginal(_ result: SolveResult, minimizing: RowBoundLP,
                                     interrupt: @escaping () -> TerminationStatus?) -> SolveResult {
        let problem: Problem = quadraticProgram.map { .quadratic($0) } ?? .linear(lp)
        let checker = LinearCertificateChecker()
        guard let check = checker.check(result, problem: problem), !check.passed else { return result }
        var repaired = result
        if check.verdict == .infeasibleOrUnbounded {
            // The ray holds; only the point (the last iterate) is not feasible: phase 1's is.
            switch try? LPDiagnosis.phaseOne(minimizing, settings: settings, interrupt: interrupt) {
            case .feasible(let point)?:
                repaired.primal = point
                if checker.check(repaired, problem: problem)?.passed == true { return repaired }
                repaired = result
            case .stopped(let stop)?:
                return stoppedConfirming(result, stop)
            default:
                break
            }
        }
        let diagnosis = try? LPDiagnosis.diagnose(minimizing, settings: settings, wantFeasiblePoint: result.status == .unbounded,
                                                  interrupt: interrupt)
        switch diagnosis {
        case .infeasible(let farkas)? where result.status == .infeasible:
            repaired.certificate = Certificate(kind: .farkas, vector: farkas)
        case .unbounded(let ray, let point)? where result.status == .unbounded:
            repaired.certificate = Certificate(kind: .primalRay, vector: ray)
            if let point { repaired.primal = point }
        case .stopped(let stop)?:
            return stoppedConfirming(result, stop)
        default:
            repaired.status = .numericalError
            repaired.convergedBy = nil
            repaired.rawStatus = "\(result.status.rawValue) not confirmed on the original problem (after: \(result.rawStatus))"
        }
        return repaired
    }

    /// A claim whose confirmation the time limit or a cancellation cut short: the stop's
    /// status, since no claim leaves unproved.
    private func stoppedConfirming(_ result: SolveResult, _ stop: TerminationStatus) -> SolveResult {
        var stopped = result
        stopped.status = stop
        stopped.rawStatus = "\(stop.rawValue) while confirming \(result.status.rawValue) on the original problem (after: \(result.rawStatus))"
        stopped.convergedBy = nil
        stopped.certificate = nil  // it failed the checker, and nothing replaced it
        return stopped
    }

    private func makeResult(status: TerminationStatus, raw: String, x: [Double], y: [Double]?, d: [Double]?,
                            iterations: Int) -> SolveResult {
        let hasPoint = status.hasSolution || status == .iterationLimit || status == .timeLimit
            || status == .interrupted || status == .slowProgress
        let objective = quadraticProgram.map { $0.objectiveValue(at: x) } ?? lp.objectiveValue(at: x)
        var result = SolveResult(kind: quadraticProgram == nil ? .lp : .qp, status: status, rawStatus: raw,
                                 objective: hasPoint ? objective : nil,
                                 variableNames: lp.variableNames, primal: x, constraintNames: lp.constraintNames,
                                 duals: hasPoint ? y : nil, reducedCosts: hasPoint ? d : nil, iterations: iterations)
        if let qp = quadraticProgram {
            result.kkt = qp.kktResiduals(primal: x, duals: hasPoint ? y : nil, reducedCosts: hasPoint ? d : nil)
        } else {
            result.kkt = lp.kktResiduals(primal: x, duals: hasPoint ? y : nil, reducedCosts: hasPoint ? d : nil)
        }
        return result
    }
}

/// Scaling of the data's magnitudes, after Ruiz has balanced the matrix: bounds (b, l, u)
/// and costs near 1e8–1e9 are divided by a power of two near their size, so the method's
/// starting point, step rules and ray tests see numbers of order one. x = σ_b·x′,
/// y = σ_c·y′, objective = σ_b·σ_c·(scaled objective). LPs only (see below). Data
/// of magnitude at most 1e7 is left as it is (σ = 1), so ordinary problems run unchanged.
enum DataScaling {
    static func normalize(_ form: IPMStandardForm) -> (IPMStandardForm, bounds: Double, costs: Double) {
        var boundSize = 0.0, costSize = 0.0
        for v in form.rightHandSide { boundSize = max(boundSize, abs(v)) }
        for v in form.lower where v.isFinite { boundSize = max(boundSize, abs(v)) }
        for v in form.upper where v.isFinite { boundSize = max(boundSize, abs(v)) }
        for v in form.cost { costSize = max(costSize, abs(v)) }
        // LPs only: for a QP the bound scale multiplies Q by σ_b/σ_c, and one huge row
        // (BOYD1's 3.75e12) then wrecks the conditioning of every other one.
        guard form.quadratic == nil else { return (form, 1, 1) }
        let sigmaB = factor(boundSize), sigmaC = factor(costSize)
        guard sigmaB != 1 || sigmaC != 1 else { return (form, 1, 1) }
        var scaled = form
        scaled.rightHandSide = form.rightHandSide.map { $0 / sigmaB }
        scaled.lower = form.lower.map { $0 / sigmaB }
        scaled.upper = form.upper.map { $0 / sigmaB }
        scaled.cost = form.cost.map { $0 / sigmaC }
        return (scaled, sigmaB, sigmaC)
    }

    /// A power of two near `size` when it is above 1e7, else 1.
    private static func factor(_ size: Double) -> Double {
        guard size.isFinite, size > 1e7 else { return 1 }
        return Double(sign: .plus, exponent: Int(size.exponent), significand: 1)
    }
}

/// The convexity test of a QP's Q (in minimization form): an LDLᵀ of Q + εI,
/// ε = 1e-9·max(1, max|Qᵢⱼ|), with a minimum-degree ordering must have only positive
/// pivots. By Sylvester's law of inertia a nonpositive pivot means Q + εI has a
/// nonpositive eigenvalue, so Q has one below −ε: the objective is not convex.
enum ConvexityCheck {
    static func requirePositiveSemidefinite(_ q: SparseMatrix, names: [String], sense: ObjectiveSense,
                                            solver: String) throws(SolverError) {
        if let variable = firstNegativeCurvature(q) {
            let what = sense == .minimize ? "positive semidefinite (the minimization is not convex)"
                                          : "negative semidefinite (the maximization is not concave)"
            let name = variable < names.count ? names[variable] : "#\(variable + 1)"
            throw .unsupported("\(solver): Q is not \(what): the LDLᵀ factorization of Q + εI meets a nonpositive pivot at variable '\(name)'; \(solver) solves convex QPs only")
        }
    }

    /// The original index of the first nonpositive pivot of LDLᵀ(Q + εI), or nil if Q is
    /// positive semidefinite to within ε.
    static func firstNegativeCurvature(_ q: SparseMatrix) -> Int? {
        let n = q.columnCount
        var scale = 1.0
        for v in q.values { scale = max(scale, abs(v)) }
        let epsilon = 1e-9 * scale
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(q.nonzeroCount + n)
        for j in 0..<n {
            for k in q.columnStarts[j]..<q.columnStarts[j + 1] where q.rowIndices[k] >= j {
                triplets.append((q.rowIndices[k], j, q.values[k]))
            }
            triplets.append((j, j, epsilon))
        }
        guard let shifted = try? SparseMatrix(rowCount: n, columnCount: n, triplets: triplets),
              let symbolic = try? SparseLDLTSymbolic(pattern: shifted) else { return nil }
        // Pivot tolerance 0: exactly the pivots d ≤ 0 are replaced (and counted).
        var factorization = SparseLDLT(symbolic: symbolic, policy: PivotPolicy(staticRegularization: 0, pivotTolerance: 0))
        do { try factorization.factor(shifted) } catch { return 0 }
        guard factorization.replacedPivots > 0 else { return nil }
        let pivots = factorization.pivots
        for k in 0..<n where pivots[k] == PivotPolicy().replacement { return symbolic.permutation[k] }
        return 0
    }
}
