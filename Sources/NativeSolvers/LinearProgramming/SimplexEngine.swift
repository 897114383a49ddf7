import LagrangeCore
import LinearAlgebra

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
    /// The costs the dual simplex prices with: `cost`, or `cost` plus a random perturbation
    /// while ``perturbCosts(seed:)``'s is in force (``removeCostPerturbation()`` restores
    /// `cost`). The primal simplex and every reported answer use `cost`.
    var workCost: [Double]
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
    /// Started from a point (a crossover, ``start(from:at:)``): a column the repair takes
    /// out of the basis keeps its value, as a superbasic the primal simplex pushes to a
    /// bound later, instead of jumping to a bound and leaving the point.
    var keepsValuesOnRepair = false
    /// A crossover's ranking of the variables (0 = most wanted in the basis), or empty. The
    /// basis repair then fills a deficient row with the best-ranked nonbasic column that has
    /// an entry in it, and only falls back to the row's slack when none is left: a slack of
    /// an equality row in the basis forces that row's dual to 0 wherever the interior point
    /// put it (cre-b's guess lost 5 407 of 9 648 members to slacks, and the primal simplex
    /// spent minutes of degenerate pivots repairing the duals).
    var repairRank: [Int] = []
    /// The interior point's row duals (this engine's signs) for a crossover's
    /// ``dualPush(duals:control:iteration:)`` before the primal simplex, or empty.
    var pushDuals: [Double] = []
    /// ‖c‖∞ of the costs, for ``SimplexTermination/dualTolerance(costScale:)``.
    var costScale: Double { cost.reduce(0) { max($0, abs($1)) } }
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
        workCost = cost
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
        var solution = rhs
        factor.solve(&solution)
        // One step of iterative refinement: on an ill-conditioned basis (bandm's crossover)
        // the solve alone left an equality row 7e-9 off.
        var residual = rhs
        for (k, j) in basis.enumerated() where solution[k] != 0 {
            if j >= n { residual[j - n] += solution[k]; continue }
            for p in a.columnStarts[j]..<a.columnStarts[j + 1] { residual[a.rowIndices[p]] -= a.values[p] * solution[k] }
        }
        factor.solve(&residual)
        for (k, j) in basis.enumerated() { value[j] = solution[k] + residual[k] }
    }

    /// Factors the basis; where it is singular (a pivot on a tiny element made columns
    /// dependent), the columns elimination could not pivot leave the basis for the slacks
    /// of the rows it could not pivot, at their nearest bound (Koberstein's thesis calls
    /// this basis repair), and the basis is factored again. Throws `.singular` only if
    /// repair fails, which an all-slack replacement cannot do twice.
    mutating func refactorRepairingSingularity(shouldStop: (() -> Bool)?) throws(LinearAlgebraError) {
        // Each round swaps the dependent columns found for slacks; a numerically
        // near-singular start (a crossover's guess on pilot87) can need several.
        // Columns a ranked repair has put in or taken out: never tried twice.
        var tried = Set<Int>()
        for round in 0..<10 {
            let deficient = try factor.refactor(matrix: a, structuralCount: n, basis: basis, shouldStop: shouldStop)
            if deficient.isEmpty { return }
            repairs += deficient.count
            // All deficient members leave before any slack enters: a deficient position can
            // hold the very slack another one is given (the LU took that slack's row for
            // another column), and swapping one pair at a time then took it out again.
            for (k, _) in deficient {
                let out = basis[k]
                position[out] = -1
                if !keepsValuesOnRepair || !value[out].isFinite {
                    value[out] = lower[out].isFinite ? lower[out] : upper[out].isFinite ? upper[out] : 0
                } else {
                    value[out] = min(max(value[out], lower[out]), upper[out])
                }
            }
            let ranked = !repairRank.isEmpty && round < 2
            if ranked {
                for (k, _) in deficient { tried.insert(basis[k]) }
                if rowwiseMatrix == nil { rowwiseMatrix = a.transposed() }
            }
            for (k, row) in deficient {
                let replacement = ranked ? rankedColumn(inRow: row, excluding: tried) ?? n + row : n + row
                tried.insert(replacement)
                basis[k] = replacement
                position[replacement] = k
            }
        }
        throw .singular("basis still singular after repair")
    }

    /// The best-ranked (``repairRank``) nonbasic, non-fixed column with an entry in `row`
    /// not in `excluded`; nil when there is none.
    func rankedColumn(inRow row: Int, excluding excluded: Set<Int>) -> Int? {
        guard let rowwise = rowwiseMatrix else { return nil }
        var best: Int?
        for p in rowwise.columnStarts[row]..<rowwise.columnStarts[row + 1] {
            let j = rowwise.rowIndices[p]
            guard position[j] < 0, lower[j] != upper[j], !excluded.contains(j) else { continue }
            if best.map({ repairRank[j] < repairRank[$0] }) ?? true { best = j }
        }
        return best
    }

    /// A nonbasic variable strictly between its bounds (with a finite one to reach), the
    /// first by index from `start`; nil when every nonbasic variable from there sits at a
    /// bound or is free at any value.
    func superbasicToPush(from start: Int = 0) -> Int? {
        for j in start..<(n + m) where position[j] < 0 && lower[j] != upper[j] && (lower[j].isFinite || upper[j].isFinite)
            && value[j] != lower[j] && value[j] != upper[j] {
            return j
        }
        return nil
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
        var tolerance = SimplexTermination.primalTolerance
        let dualTolerance = SimplexTermination.dualTolerance(costScale: costScale)
        let pivotTolerance = SimplexTermination.pivotTolerance
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
        if !pushDuals.isEmpty {
            let duals = pushDuals
            pushDuals = []
            try dualPush(duals: duals, control: control, iteration: &iteration)
        }
        var degenerateRun = 0
        // The stall guard's best phase-1 infeasibility (since phase 1 was last entered) and
        // best phase-2 objective (over the whole run: a return to phase 1 and back is no
        // progress by itself, or a pivot pair that flips the phase at every step would
        // cycle for ever; ken-13's crossover did).
        var bestInfeasibility = Double.infinity, bestObjective = Double.infinity
        var progressPhaseOne = true, lastProgress = startIteration, blandOnly = false
        // Pushing superbasics (a crossover's start) once the reduced costs price nothing:
        // one after another, each a ratio test and a basis update at zero cost, without
        // pricing or Devex updates in between (cre-b has thousands; priced afresh before
        // each push they took 2 ms apiece). The cursor only moves forward, since a push
        // leaves the pushed variable and any leaving one at a bound.
        var pushing = false, pushCursor = 0
        var recomputedAt = -1
        let stallLimit = SimplexTermination.stallLimit(rows: m, columns: n)
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
            if phaseOne && pushing { pushing = false; reducedCostsCurrent = false }
            let incremental = devex && !phaseOne && reducedCostsCurrent
            if !incremental && !pushing {
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
            for j in 0..<total where !pushing && position[j] < 0 && lower[j] != upper[j] {
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
            if entering < 0 && !phaseOne, let push = superbasicToPush(from: pushing ? pushCursor : 0) {
                // Optimal but for superbasic variables (a crossover's start): push one to a
                // bound, or into the basis when a basic variable blocks first. Its reduced
                // cost is zero within tolerance, so the objective stays where it is.
                entering = push
                pushing = true
                pushCursor = push + 1
                reducedCostsCurrent = false
                // Downhill when |d| shows a side, else to the nearer bound; never towards
                // an infinite bound (a zero-cost move there is no ray).
                let d = reducedCost[push]
                var down = d > 0 || (d == 0 && lower[push].isFinite
                                     && (!upper[push].isFinite || value[push] - lower[push] <= upper[push] - value[push]))
                if down && !lower[push].isFinite { down = false }
                if !down && !upper[push].isFinite { down = true }
                direction = down ? -1 : 1
            }
            if entering < 0 && pushing {
                // Every superbasic pushed: price afresh (a push's reduced cost was zero only
                // within the tolerance) before calling the basis optimal.
                pushing = false
                continue
            }
            if entering < 0 {
                if phaseOne && !provesInfeasible(pi) {
                    if tolerance < 1e-7 {
                        tolerance = SimplexTermination.relaxedPrimalTolerance
                        reducedCostsCurrent = false
                        continue
                    }
                    status = .numericalError
                    raw = "phase 1 ended with infeasibility \(infeasibility) that its multipliers do not prove"
                } else if phaseOne {
                    status = .infeasible
                    raw = "phase 1 ended with infeasibility \(infeasibility)"
                    certificate = pi
                } else if recomputedAt != iteration {
                    // Confirmed on basic values recomputed from scratch: updated pivot by
                    // pivot they drift (bandm's crossover ended with a row 7e-9 off).
                    recomputeBasicValues()
                    recomputedAt = iteration
                    reducedCostsCurrent = false
                    continue
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
            // A push is progress too: each leaves one superbasic fewer.
            var progressed = pushing
            if !pushing && phaseOne && !progressPhaseOne {
                bestInfeasibility = infeasibility  // a new baseline, not progress
            } else if phaseOne ? SimplexTermination.improves(infeasibility, on: bestInfeasibility)
                               : SimplexTermination.improves(objective, on: bestObjective) {
                if phaseOne { bestInfeasibility = infeasibility } else { bestObjective = objective }
                progressed = true
            }
            progressPhaseOne = phaseOne
            if progressed {
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
                if incremental || pushing {
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
            // How far the entering variable may move before its own bound: the whole range
            // from a bound, less from a superbasic value between them.
            let span = direction > 0 ? upper[entering] - value[entering] : value[entering] - lower[entering]
            for cut in [pivotTolerance, 1e-9] {
                smallest = cut
                thetaMax = span
                for k in 0..<m {
                    let rate = -direction * alpha[k]
                    if abs(rate) < cut { continue }
                    let j = basis[k]
                    guard let bound = target(j, rate) else { continue }
                    // Signed room: a variable already past its bound (within the
                    // tolerance) has only the rest of the tolerance left, not the
                    // distance back to the bound plus a whole tolerance.
                    let slack = tolerance * max(1, abs(value[j]))
                    let room = (rate > 0 ? bound - value[j] : value[j] - bound) + slack
                    thetaMax = min(thetaMax, max(0, room) / abs(rate))
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
            var leaving = -1, theta = span, bestPivot = 0.0
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
            if leaving >= 0 && span <= theta { leaving = -1; theta = span }
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
                if devex && !pushing {
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
