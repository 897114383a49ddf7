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

    /// Settings of `native.simplex`, read from its options.
    struct SimplexSettings {
        enum Method: String, CaseIterable { case dual, primal }
        enum Pricing: String, CaseIterable { case devex, dantzig }
        var presolve = true
        /// Whether `presolve` was given (not the default).
        var explicitPresolve = false
        var method = Method.dual
        var pricing = Pricing.devex
        /// Sensitivity ranging of an optimal basic solution (``RangingDetails``, `ranging`).
        var ranging = false

        init() {}

        init(options: SolveOptions) throws(SolverError) {
            presolve = try options.flag("presolve", default: true)
            explicitPresolve = options.parameters["presolve"] != nil
            ranging = try options.flag("ranging", default: false)
            method = Method(rawValue: try options.string("method", default: "dual", allowed: Method.allCases.map(\.rawValue))) ?? .dual
            pricing = Pricing(rawValue: try options.string("pricing", default: "devex", allowed: Pricing.allCases.map(\.rawValue))) ?? .devex
        }
    }

    package init() { startingBasis = nil }

    /// A plugin whose solves start from `basis` (one status per column and row of the problem).
    package init(startingFrom basis: BasisDetails?) { startingBasis = basis }

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.simplex", kinds: [.lp],
                         options: [OptionSpec("presolve", default: "true", "run the simple presolve first"),
                                   OptionSpec("method", default: "dual",
                                              "dual (dual simplex, steepest edge, bound flipping; primal clean-up) or primal (primal simplex alone)"),
                                   OptionSpec("pricing", default: "devex",
                                              "entering-column rule: dantzig (largest |d_j|) or devex (largest d_j²/w_j, reference weights)"),
                                   OptionSpec("ranging", default: "false",
                                              "sensitivity ranging of an optimal basis: objective-coefficient and right-hand-side ranges (GLPK's definitions); presolve is then off")],
                         summary: "dual simplex (steepest edge, bound flipping, warm starts) with a primal clean-up; sparse LU + eta file")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.unsupported("native.simplex solves LPs; got kind '\(problem.kind.rawValue)'")
        }
        let basis = startingBasis.flatMap { $0.columnStatus.count == lp.columnCount && $0.rowStatus.count == lp.rowCount ? $0 : nil }
        return try solve(lp, settings: SimplexSettings(options: context.options), startingBasis: basis, control: context.control)
    }

    /// Solves `lp`, from `startingBasis` when given (presolve is then off, so the basis
    /// applies to the problem as it is).
    func solve(_ lp: LinearProgram, settings: SimplexSettings, startingBasis: BasisDetails?,
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
        if let startingBasis { engine.start(from: startingBasis) }
        let outcome: SimplexEngine.Outcome
        do {
            outcome = settings.method == .dual ? try engine.runDual(control: control) : try engine.run(control: control)
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

/// The simplex iterations on a presolved minimization LP with slacks.
struct SimplexEngine {
    struct Outcome {
        var status: TerminationStatus
        var raw: String
        var x: [Double]
        var y: [Double]
        var iterations: Int
        var certificate: [Double]?
        var basisPosition: [Int]
        var value: [Double]
        var lower: [Double]
        var upper: [Double]

        func status(of j: Int) -> BasisStatus {
            if basisPosition[j] >= 0 { return .basic }
            if lower[j] == upper[j] { return .fixed }
            if value[j] == lower[j] { return .atLower }
            if value[j] == upper[j] { return .atUpper }
            return .free
        }
    }

    let m: Int
    let n: Int
    let a: SparseMatrix
    let cost: [Double]
    /// Bounds of (x, w); the dual simplex may put artificial bounds in for a while
    /// (``artificial`` remembers the true ones).
    var lower: [Double]
    var upper: [Double]
    let constant: Double
    let sense: Double
    var value: [Double]
    var basis: [Int]
    var position: [Int]
    var factor: SimplexBasis
    /// Devex pricing instead of Dantzig's (all weights stay 1 then, so d_j²/w_j orders the
    /// columns as |d_j| does).
    var devex = true
    /// Basis columns swapped for slacks because the basis was singular.
    var repairs = 0
    /// Variables with an artificial bound from the dual simplex's cold start, with their
    /// true bounds.
    var artificial: [(column: Int, lower: Double, upper: Double)] = []
    /// Dual steepest-edge weights by basis position (dual simplex).
    var edgeWeights: [Double] = []
    /// Iterations the dual simplex took before any primal clean-up.
    var dualIterations = 0
    /// A row-wise copy of A (Aᵀ in CSC), made on first use by the dual simplex.
    var rowwiseMatrix: SparseMatrix?

    init(_ lp: RowBoundLP, constant: Double, sense: Double) {
        m = lp.rowCount
        n = lp.columnCount
        a = lp.matrix
        cost = lp.objective + Array(repeating: 0, count: lp.rowCount)
        lower = lp.columnLower + lp.rowLower
        upper = lp.columnUpper + lp.rowUpper
        self.constant = constant
        self.sense = sense
        let structural = lp.columnCount, rows = lp.rowCount
        value = Array(repeating: 0, count: structural + rows)
        basis = (0..<rows).map { structural + $0 }
        position = Array(repeating: -1, count: n + m)
        for i in 0..<m { position[n + i] = i }
        factor = SimplexBasis(rowCount: m)
        for j in 0..<n {
            value[j] = lower[j].isFinite ? lower[j] : upper[j].isFinite ? upper[j] : 0
        }
    }

    /// a_jᵀv for a structural column j. Unchecked buffers in the two O(nnz(A)) loops of an
    /// iteration (pricing, the Devex pivot row): the CSC arrays were validated on creation.
    @inline(__always)
    func structuralDot(_ j: Int, _ v: [Double]) -> Double {
        let start = a.columnStarts[j], end = a.columnStarts[j + 1]
        return a.rowIndices.withUnsafeBufferPointer { rows in
            a.values.withUnsafeBufferPointer { values in
                v.withUnsafeBufferPointer { x in
                    var s = 0.0
                    for p in start..<end { s += values[p] * x[rows[p]] }
                    return s
                }
            }
        }
    }

    /// Basic values from the nonbasic ones: B x_B = −N x_N.
    mutating func recomputeBasicValues() {
        var rhs = Array(repeating: 0.0, count: m)
        for j in 0..<(n + m) where position[j] < 0 && value[j] != 0 {
            if j >= n { rhs[j - n] += value[j]; continue }
            for p in a.columnStarts[j]..<a.columnStarts[j + 1] { rhs[a.rowIndices[p]] -= a.values[p] * value[j] }
        }
        factor.solve(&rhs)
        for (k, j) in basis.enumerated() { value[j] = rhs[k] }
    }

    /// Factors the basis; where it is singular (a pivot on a tiny element made columns
    /// dependent), the columns elimination could not pivot leave the basis for the slacks
    /// of the rows it could not pivot, at their nearest bound (Koberstein's thesis calls
    /// this basis repair), and the basis is factored again. Throws `.singular` only if
    /// repair fails, which an all-slack replacement cannot do twice.
    mutating func refactorRepairingSingularity(shouldStop: (() -> Bool)?) throws(LinearAlgebraError) {
        for _ in 0..<3 {
            let deficient = try factor.refactor(matrix: a, structuralCount: n, basis: basis, shouldStop: shouldStop)
            if deficient.isEmpty { return }
            repairs += deficient.count
            for (k, row) in deficient {
                let out = basis[k], slack = n + row
                position[out] = -1
                value[out] = lower[out].isFinite ? lower[out] : upper[out].isFinite ? upper[out] : 0
                basis[k] = slack
                position[slack] = k
            }
        }
        throw .singular("basis still singular after repair")
    }

    /// Devex weight update for the pivot that brings `entering` into basis position `row`
    /// in place of `leaving` (before the basis factor is updated): with the pivot row
    /// α_r = e_rᵀB⁻¹[A −I], w_j ← max(w_j, (α_rj/α_rq)² w_q) for the nonbasic columns and
    /// w_leaving ← max(w_q/α_rq², 1). Weights are reset to 1 when they grow too large
    /// (a new reference framework).
    ///
    /// The same pivot row updates the phase-2 reduced costs when `dualStep` (θ_d = d_q/α_rq)
    /// is given: d_j ← d_j − θ_d α_rj, so an iteration needs no btran of the costs.
    mutating func updateDevexWeights(_ weight: inout [Double], pivotRow rho: inout [Double], entering: Int, leaving: Int,
                                     row: Int, pivot: Double, reducedCost: inout [Double], dualStep: Double?) {
        for k in 0..<m { rho[k] = 0 }
        rho[row] = 1
        factor.solveTransposed(&rho)
        let wq = weight[entering]
        var largest = 0.0
        for j in 0..<(n + m) where position[j] < 0 && j != entering && lower[j] != upper[j] {
            var rowEntry: Double
            if j >= n { rowEntry = -rho[j - n] } else {
                rowEntry = structuralDot(j, rho)
            }
            if rowEntry == 0 { continue }
            if let dualStep { reducedCost[j] -= dualStep * rowEntry }
            let ratio = rowEntry / pivot
            let candidate = ratio * ratio * wq
            if candidate > weight[j] { weight[j] = candidate }
            largest = max(largest, weight[j])
        }
        weight[leaving] = max(wq / (pivot * pivot), 1)
        if let dualStep {
            // Set, not updated: a basic variable's slot may hold a stale value.
            reducedCost[entering] = 0
            reducedCost[leaving] = -dualStep
        }
        if largest > 1e6 { for j in weight.indices { weight[j] = 1 } }
    }

    mutating func run(control: IterationControl, startIteration: Int = 0) throws -> Outcome {
        // Primal feasibility tolerance (relative); relaxed once to 1e-7 when phase 1 ends
        // with a residue its multipliers do not prove infeasible (rounding, not a proof).
        var tolerance = 1e-9
        let dualTolerance = 1e-9
        // Smallest |α| accepted as a pivot in the ratio test: smaller ones make the next
        // basis nearly singular.
        let pivotTolerance = 1e-7
        let total = n + m
        let probe = InterruptProbe(control)
        var iteration = startIteration
        do { try refactorRepairingSingularity(shouldStop: probe.shouldStop) } catch {
            guard error == .interrupted else { throw error }
            return Outcome(status: probe.status ?? .interrupted, raw: "stopped during the first basis factorization", x: Array(value[0..<n]),
                           y: Array(repeating: 0, count: m), iterations: iteration, certificate: nil,
                           basisPosition: position, value: value, lower: lower, upper: upper)
        }
        recomputeBasicValues()
        var degenerateRun = 0
        var bestMeasure = Double.infinity, progressPhaseOne = true, lastProgress = startIteration, blandOnly = false
        let stallLimit = max(5_000, 5 * (m + total))
        var status = TerminationStatus.optimal
        var raw = "optimal"
        var certificate: [Double]?
        var pi = Array(repeating: 0.0, count: m)
        var lastEntering = -1.0, lastLeaving = -1.0
        var phaseCost = Array(repeating: 0.0, count: m)
        var alpha = Array(repeating: 0.0, count: m)
        // Devex reference weights (Forrest & Goldfarb 1992): w_j approximates the squared
        // norm of column j's edge direction measured in the reference framework (the
        // variables nonbasic when the weights were last reset), so d_j²/w_j prices edges by
        // steepness rather than by raw reduced cost.
        var weight = Array(repeating: 1.0, count: total)
        var pivotRow = Array(repeating: 0.0, count: m)
        // Phase-2 reduced costs, kept current by the Devex pivot row between refactorizations
        // (recomputed from π = B⁻ᵀc_B in phase 1, after a refactorization, and to confirm
        // optimality).
        var reducedCost = Array(repeating: 0.0, count: total)
        var reducedCostsCurrent = false
        // A clean-up after the dual simplex starts at the iteration the dual recorded last:
        // its first record would repeat that iteration number, so it is not kept.
        func emit(_ record: IterationRecord) -> TerminationStatus? {
            if startIteration > 0 && record.iteration == startIteration { return control.checkInterrupt() }
            return control.record(record)
        }
        func outcome() -> Outcome {
            Outcome(status: status, raw: raw, x: Array(value[0..<n]), y: pi, iterations: iteration, certificate: certificate,
                    basisPosition: position, value: value, lower: lower, upper: upper)
        }
        while true {
            // Phase: violations of the basic variables.
            var infeasibility = 0.0
            for (k, j) in basis.enumerated() {
                phaseCost[k] = 0
                let scale = tolerance * max(1, abs(value[j]))
                if value[j] < lower[j] - scale { infeasibility += lower[j] - value[j]; phaseCost[k] = -1 }
                else if value[j] > upper[j] + scale { infeasibility += value[j] - upper[j]; phaseCost[k] = 1 }
            }
            let phaseOne = infeasibility > 0
            if !phaseOne { for (k, j) in basis.enumerated() { phaseCost[k] = cost[j] } }
            let incremental = devex && !phaseOne && reducedCostsCurrent
            if !incremental {
                for k in 0..<m { pi[k] = phaseCost[k] }
                factor.solveTransposed(&pi)
                for j in 0..<total where position[j] < 0 && lower[j] != upper[j] {
                    var d = phaseOne ? 0 : cost[j]
                    if j >= n { d += pi[j - n] } else { d -= structuralDot(j, pi) }
                    reducedCost[j] = d
                }
                reducedCostsCurrent = devex && !phaseOne
            }
            var objective = constant
            for j in 0..<n { objective += cost[j] * value[j] }
            let record = IterationRecord(iteration: iteration, objective: sense * objective, primalResidual: infeasibility,
                                         extras: [Metric("phase", phaseOne ? 1 : 2), Metric("entering", lastEntering),
                                                  Metric("leaving", lastLeaving)])

            // Pricing: d_j = c_j − a_jᵀπ (phase 1: c = 0 off the basis).
            let useBland = blandOnly || degenerateRun >= 200
            var entering = -1, direction = 0.0, best = 0.0
            for j in 0..<total where position[j] < 0 && lower[j] != upper[j] {
                let d = reducedCost[j]
                let canIncrease = value[j] < upper[j], canDecrease = value[j] > lower[j]
                var score = 0.0, dir = 0.0
                if d < -dualTolerance && canIncrease { score = d * d / weight[j]; dir = 1 }
                else if d > dualTolerance && canDecrease { score = d * d / weight[j]; dir = -1 }
                if dir == 0 { continue }
                if useBland { entering = j; direction = dir; break }
                if score > best { best = score; entering = j; direction = dir }
            }
            if entering < 0 && incremental {
                // Confirm with reduced costs computed afresh (and a current π for the duals).
                reducedCostsCurrent = false
                continue
            }
            if entering < 0 {
                if phaseOne && !provesInfeasible(pi) {
                    if tolerance < 1e-7 {
                        tolerance = 1e-7
                        reducedCostsCurrent = false
                        continue
                    }
                    status = .numericalError
                    raw = "phase 1 ended with infeasibility \(infeasibility) that its multipliers do not prove"
                } else if phaseOne {
                    status = .infeasible
                    raw = "phase 1 ended with infeasibility \(infeasibility)"
                    certificate = pi
                } else {
                    status = .optimal
                    raw = "optimal"
                }
                _ = emit(record)
                return outcome()
            }
            // Progress guard: a run of pivots that improves neither the phase-1
            // infeasibility nor the phase-2 objective is cycling or stalling (tuff ran
            // 571 052 such pivots); it ends as slow_progress instead of spinning to a limit.
            let measure = phaseOne ? infeasibility : objective
            if phaseOne != progressPhaseOne || measure < bestMeasure - 1e-9 * max(1, abs(bestMeasure)) {
                bestMeasure = measure
                progressPhaseOne = phaseOne
                lastProgress = iteration
            } else if iteration - lastProgress >= stallLimit && !blandOnly {
                // First stall: Bland's rule alone from here on (finite in exact arithmetic).
                blandOnly = true
                lastProgress = iteration
            } else if iteration - lastProgress >= stallLimit {
                _ = emit(record)
                status = .slowProgress
                raw = "no progress in \(stallLimit) pivots (\(phaseOne ? "phase 1" : "phase 2"), cycling or stalling)"
                return outcome()
            }
            if let stop = emit(record) {
                if incremental {
                    for k in 0..<m { pi[k] = phaseCost[k] }
                    factor.solveTransposed(&pi)
                }
                status = stop
                raw = "stopped by iteration control"
                return outcome()
            }

            // Ratio test (Harris two-pass) on x_B(θ) = x_B − θ·direction·α.
            for k in 0..<m { alpha[k] = 0 }
            if entering >= n { alpha[entering - n] = -1 } else {
                for p in a.columnStarts[entering]..<a.columnStarts[entering + 1] { alpha[a.rowIndices[p]] = a.values[p] }
            }
            factor.solve(&alpha)
            // The bound a basic variable moving at `rate` runs into first: an infeasible
            // one stops where it becomes feasible (phase-1 breakpoint), one moving away
            // from feasibility is not limited.
            func target(_ j: Int, _ rate: Double) -> Double? {
                let x = value[j], slack = tolerance * max(1, abs(x))
                if rate < 0 {
                    if x > upper[j] + slack { return upper[j] }
                    if x < lower[j] - slack { return nil }
                    return lower[j].isFinite ? lower[j] : nil
                } else {
                    if x < lower[j] - slack { return lower[j] }
                    if x > upper[j] + slack { return nil }
                    return upper[j].isFinite ? upper[j] : nil
                }
            }
            // Pass 1 ignores |α| below the pivot tolerance; only if nothing blocks then does it
            // look again down to 1e-9 (a tiny pivot beats a false ray or a failed phase 1).
            var thetaMax = Double.infinity, smallest = pivotTolerance
            for cut in [pivotTolerance, 1e-9] {
                smallest = cut
                thetaMax = upper[entering] - lower[entering]
                for k in 0..<m {
                    let rate = -direction * alpha[k]
                    if abs(rate) < cut { continue }
                    let j = basis[k]
                    guard let bound = target(j, rate) else { continue }
                    let slack = tolerance * max(1, abs(value[j]))
                    thetaMax = min(thetaMax, (abs(bound - value[j]) + slack) / abs(rate))
                }
                if thetaMax < .infinity { break }
            }
            if thetaMax == .infinity {
                status = phaseOne ? .numericalError : .unbounded
                raw = phaseOne ? "unbounded phase-1 step" : "no blocking variable: primal ray"
                var ray = Array(repeating: 0.0, count: n)
                if entering < n { ray[entering] = direction }
                for (k, j) in basis.enumerated() where j < n { ray[j] = -direction * alpha[k] }
                certificate = ray
                return outcome()
            }
            var leaving = -1, theta = upper[entering] - lower[entering], bestPivot = 0.0
            var leavingValue = 0.0
            for k in 0..<m {
                let rate = -direction * alpha[k]
                if abs(rate) < smallest { continue }
                let j = basis[k]
                guard let bound = target(j, rate) else { continue }
                let ratio = max(0, (bound - value[j]) / rate)
                if ratio <= thetaMax {
                    let better = useBland ? (leaving < 0 || j < basis[leaving]) : abs(alpha[k]) > bestPivot
                    if better { bestPivot = abs(alpha[k]); leaving = k; theta = ratio; leavingValue = bound }
                }
            }
            if leaving >= 0 && (upper[entering] - lower[entering]) <= theta { leaving = -1; theta = upper[entering] - lower[entering] }
            degenerateRun = theta <= 1e-12 ? degenerateRun + 1 : 0

            // Update values, then the basis.
            value[entering] += direction * theta
            for k in 0..<m { value[basis[k]] -= direction * theta * alpha[k] }
            lastEntering = Double(entering)
            if leaving < 0 {
                value[entering] = direction > 0 ? upper[entering] : lower[entering]
                lastLeaving = -1
            } else {
                let out = basis[leaving]
                value[out] = leavingValue
                position[out] = -1
                position[entering] = leaving
                basis[leaving] = entering
                lastLeaving = Double(out)
                if devex {
                    let dualStep: Double? = reducedCostsCurrent ? reducedCost[entering] / alpha[leaving] : nil
                    updateDevexWeights(&weight, pivotRow: &pivotRow, entering: entering, leaving: out, row: leaving,
                                       pivot: alpha[leaving], reducedCost: &reducedCost, dualStep: dualStep)
                }
                factor.update(row: leaving, alpha: alpha)
                if factor.needsRefactorization {
                    do { try refactorRepairingSingularity(shouldStop: probe.shouldStop) } catch {
                        guard error == .interrupted else { throw error }
                        iteration += 1
                        status = probe.status ?? .interrupted
                        raw = "stopped during a basis refactorization"
                        return outcome()
                    }
                    recomputeBasicValues()
                    reducedCostsCurrent = false
                }
            }
            iteration += 1
        }
    }
}
