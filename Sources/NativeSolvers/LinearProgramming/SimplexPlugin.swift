import LagrangeCore
import LinearAlgebra

/// `native.simplex`: the dual simplex (``SimplexEngine/runDual(control:)``, option `method:
/// dual`, the default) with a primal clean-up, or the bounded primal revised simplex alone
/// (`method: primal`), described here.
///
/// Problem: min (or max) cᵀx + c₀ s.t. l ≤ Ax ≤ u, column bounds. After presolve every
/// row gets a slack, Ax − w = 0 with l ≤ w ≤ u, and the all-slack basis starts. Phase 1
/// minimizes the sum of bound violations of the basic variables (composite costs ±1),
/// phase 2 the objective. Pricing is Devex (option `pricing`, or Dantzig's rule), the ratio
/// test Harris's two-pass test with bound flips and a 1e-7 pivot tolerance; after 200
/// consecutive degenerate pivots Bland's smallest-index rule takes over until a
/// nondegenerate pivot (anti-cycling; earlier takes over too often on degenerate problems
/// such as scsd1, where Bland's rule is slow). The basis is a sparse Markowitz LU with
/// product-form updates (``SimplexBasis``); a singular basis is repaired with slacks.
///
/// Termination: no improving column in phase 1 with violations left → `infeasible`
/// (the phase-1 multipliers π are kept as the certificate); none in phase 2 → `optimal`; no blocking variable in phase 2 →
/// `unbounded` (the entering direction is a ray); then the iteration control's limits.
package struct NativeSimplexSolver: SolverPlugin {
    /// A basis the solve starts from (presolve is then off), as ``SimplexSession`` passes it.
    let startingBasis: BasisDetails?

    package init() { startingBasis = nil }

    /// A plugin whose solves start from `basis` (one status per column and row of the problem).
    package init(startingFrom basis: BasisDetails?) { startingBasis = basis }

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.simplex", kinds: [.lp],
                         options: SimplexSettings.optionSpecs,
                         summary: "dual simplex (steepest edge, bound flipping, cost perturbation, warm starts) with a primal clean-up; sparse LU + eta file",
                         usesSeed: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.unsupported("native.simplex solves LPs; got kind '\(problem.kind.rawValue)'")
        }
        let basis = startingBasis.flatMap { $0.columnStatus.count == lp.columnCount && $0.rowStatus.count == lp.rowCount ? $0 : nil }
        return try solve(lp, settings: SimplexSettings(options: context.options), startingBasis: basis, control: context.control)
    }

    /// Solves `lp`, from `startingBasis` when given (presolve is then off, so the basis
    /// applies to the problem as it is), and from `startingPoint` (columns, then row
    /// activities) when also given: the crossover's start, see ``SimplexEngine/start(from:at:)``,
    /// with `repairRank` ordering the columns a singular start is repaired with
    /// (``SimplexEngine/repairRank``) and `startingDuals` (row duals, this result's signs)
    /// the interior duals of its dual push (``SimplexEngine/dualPush(duals:control:iteration:)``).
    func solve(_ lp: LinearProgram, settings: SimplexSettings, startingBasis: BasisDetails?,
               startingPoint: [Double]? = nil, repairRank: [Int] = [], startingDuals: [Double]? = nil,
               control: IterationControl) throws -> SolveResult {
        // Ranging needs an optimal basis of the problem as given, and the statuses of rows
        // and columns presolve removed do not map back to one in general (e226: 198 basic
        // for 223 rows), so ranging solves without presolve.
        let usePresolve = settings.presolve && startingBasis == nil && !settings.ranging
        let sense: Double = lp.sense == .minimize ? 1 : -1
        let presolve = LPPresolve(RowBoundLP(minimizing: lp), enabled: usePresolve)
        if case .infeasible = presolve.verdict, usePresolve {
            // Presolve's verdict chains bound tightenings and carries no Farkas vector:
            // phase 1 on the original rows proves it (or finds presolve was wrong).
            var plain = settings
            plain.presolve = false
            return try solve(lp, settings: plain, startingBasis: nil, control: control)
        }
        if case .infeasible(let reason) = presolve.verdict {
            var r = SolveResult(kind: .lp, status: .infeasible, rawStatus: "presolve: \(reason)", objective: nil,
                                variableNames: lp.variableNames, primal: Array(repeating: 0, count: lp.columnCount),
                                constraintNames: lp.constraintNames, iterations: 0)
            r.kkt = lp.kktResiduals(primal: r.primal, duals: nil, reducedCosts: nil)
            return r
        }
        var engine = SimplexEngine(presolve.reduced, constant: presolve.reduced.objectiveConstant, sense: sense)
        engine.devex = settings.pricing == .devex
        if let startingBasis { engine.start(from: startingBasis, at: startingPoint) }
        if repairRank.count == lp.columnCount + lp.rowCount && startingBasis != nil { engine.repairRank = repairRank }
        if let startingDuals, startingDuals.count == lp.rowCount, startingBasis != nil {
            engine.pushDuals = startingDuals.map { sense * $0 }
        }
        let outcome: SimplexEngine.Outcome
        do {
            // A warm start (a session's re-solve after a bound change) is a few dual pivots
            // from its optimum: perturbing it would cost a primal clean-up longer than the
            // degeneracy it saves (scfxm1 in WarmStartTests: 144 pivots perturbed, 80 not),
            // so only cold starts are perturbed.
            let perturbationSeed = settings.perturbation && startingBasis == nil ? settings.seed : nil
            outcome = settings.method == .dual
                ? try engine.runDual(control: control, perturbationSeed: perturbationSeed)
                : try engine.run(control: control)
        } catch let error as LinearAlgebraError {
            // A singular basis after rounding: report it as a status, not a thrown error.
            var r = SolveResult(kind: .lp, status: .numericalError, rawStatus: "basis factorization failed: \(error)", objective: nil,
                                variableNames: lp.variableNames, primal: Array(repeating: 0, count: lp.columnCount),
                                constraintNames: lp.constraintNames, iterations: 0)
            r.kkt = lp.kktResiduals(primal: r.primal, duals: nil, reducedCosts: nil)
            return r
        }
        var status = outcome.status
        var raw = outcome.raw
        if status == .optimal, let column = presolve.unboundedColumn {
            status = .unbounded
            raw = "column \(lp.variableNames[column]) has no constraints and its cost pulls it to an infinite bound"
        }
        let (x, y, d) = presolve.postsolve(primal: outcome.x, duals: outcome.y)
        let hasPoint = status == .optimal || status == .iterationLimit || status == .timeLimit || status == .interrupted
        var result = SolveResult(kind: .lp, status: status, rawStatus: raw, objective: hasPoint ? lp.objectiveValue(at: x) : nil,
                                 variableNames: lp.variableNames, primal: x, constraintNames: lp.constraintNames,
                                 duals: hasPoint ? y.map { sense * $0 } : nil, reducedCosts: hasPoint ? d.map { sense * $0 } : nil,
                                 iterations: outcome.iterations)
        if settings.ranging && settings.presolve && startingBasis == nil && settings.explicitPresolve {
            result.notes.append("presolve skipped: ranging needs a basis of the problem as given")
        }
        result.kkt = lp.kktResiduals(primal: x, duals: result.duals, reducedCosts: result.reducedCosts)
        if status == .optimal {
            // Basis status of the original columns and rows. Presolve removed some: a
            // removed column strictly inside its bounds is basic, one at a bound nonbasic;
            // a removed row is nonbasic at the bound its (nonzero) dual prices, else basic.
            func status(_ v: Double, _ lo: Double, _ hi: Double, priced: Bool) -> BasisStatus {
                if lo == hi { return .fixed }
                let close = { (b: Double) in b.isFinite && abs(v - b) <= 1e-9 * max(1, abs(b)) }
                if close(lo) && (priced || !close(hi)) { return .atLower }
                if close(hi) { return .atUpper }
                return .basic
            }
            var columnStatus = lp.columnLower.indices.map { j in
                status(x[j], lp.columnLower[j], lp.columnUpper[j], priced: true)
            }
            let activity = lp.constraints.multiply(x)
            var rowStatus = lp.rowLower.indices.map { i in
                y[i] == 0 ? BasisStatus.basic : status(activity[i], lp.rowLower[i], lp.rowUpper[i], priced: true)
            }
            for (k, j) in presolve.activeColumns.enumerated() { columnStatus[j] = outcome.status(of: k) }
            for (k, i) in presolve.activeRows.enumerated() { rowStatus[i] = outcome.status(of: presolve.reduced.columnCount + k) }
            // The reductions undone step by step give a basis of all m rows; the rules below
            // (from the point's values alone) remain for a point that rebuild rejects.
            if let rebuilt = presolve.postsolveBasis(reducedBasic: { outcome.status(of: $0) == .basic }, x: x, y: y, d: d) {
                (columnStatus, rowStatus) = rebuilt
            }
            // A basis has exactly m members. Presolve can break that: a singleton row
            // becomes a column bound, so the column is nonbasic in the reduced problem but
            // strictly inside its own bounds here, where the row holds it instead. Such a
            // column is basic; removed rows at a bound then leave the basis.
            let m = lp.rowCount
            var basicCount = columnStatus.filter { $0 == .basic }.count + rowStatus.filter { $0 == .basic }.count
            if basicCount < m {
                for j in presolve.activeColumns where columnStatus[j] != .basic
                    && status(x[j], lp.columnLower[j], lp.columnUpper[j], priced: false) == .basic {
                    columnStatus[j] = .basic
                    basicCount += 1
                }
            }
            if basicCount > m {
                let active = Set(presolve.activeRows)
                for i in 0..<m where basicCount > m && !active.contains(i) && rowStatus[i] == .basic {
                    let atBound = status(activity[i], lp.rowLower[i], lp.rowUpper[i], priced: true)
                    if atBound != .basic { rowStatus[i] = atBound; basicCount -= 1 }
                }
            }
            if basicCount == m {
                let basis = BasisDetails(columnStatus: columnStatus, rowStatus: rowStatus,
                                         columnNames: lp.variableNames, rowNames: lp.constraintNames)
                result.details.append(basis)
                if settings.ranging {
                    if let ranging = SimplexRanging.compute(lp, basis: basis) {
                        result.details.append(ranging)
                    } else {
                        result.notes.append("ranging skipped: the final basis is not optimal to \(SimplexRanging.optimalityTolerance) on the problem as given")
                    }
                }
            } else {
                // Never report statuses that are not a basis.
                result.notes.append("basis statuses not reported: after presolve's reductions \(basicCount) variables are basic for \(m) rows; solve with presolve: false for a basis")
            }
        }
        if status == .unbounded, outcome.status == .optimal, let column = presolve.unboundedColumn {
            // The rest is optimal, so feasible; the ray moves the unconstrained column.
            var ray = Array(repeating: 0.0, count: lp.columnCount)
            ray[column] = sense * lp.objective[column] < 0 ? 1 : -1
            result.certificate = Certificate(kind: .primalRay, vector: ray)
        } else if let ray = outcome.certificate {
            if status == .infeasible {
                var full = Array(repeating: 0.0, count: lp.rowCount)
                for (k, i) in presolve.activeRows.enumerated() { full[i] = ray[k] }
                result.certificate = Certificate(kind: .farkas, vector: full)
            } else if status == .unbounded {
                var full = Array(repeating: 0.0, count: lp.columnCount)
                for (k, j) in presolve.activeColumns.enumerated() { full[j] = ray[k] }
                result.certificate = Certificate(kind: .primalRay, vector: full)
            }
        }
        return result
    }
}
