import LagrangeCore
import LinearAlgebra

/// The dual simplex method on ``SimplexEngine``'s bounded form (Ax − w = 0, l ≤ (x, w) ≤ u).
///
/// Each iteration keeps the basis dual feasible (every nonbasic reduced cost has the sign
/// its bound allows) and removes one primal infeasibility: the leaving row is the basic
/// variable with the largest infeasibility² / weight (dual steepest edge, Forrest &
/// Goldfarb 1992, exact weight updates with one extra ftran), the entering column comes
/// from the bound-flipping ("long-step") ratio test with Harris's tolerances (Koberstein
/// 2005, §3.2 and §3.4): boxed candidates whose breakpoint the dual objective's slope
/// survives are flipped to their other bound instead of entering. A candidate whose reduced
/// cost has drifted to the wrong sign is treated as zero (a cost shift); the shifts vanish
/// when the reduced costs are recomputed from the true costs at the end, and any dual
/// infeasibility left then is cleaned up by the primal simplex from the final basis.
///
/// A cold start (the all-slack basis) is made dual feasible by putting each nonbasic
/// variable at the bound its reduced cost prefers; a variable whose preferred bound is
/// infinite gets an artificial one (``artificialBoundSize`` away, the "artificial bounding"
/// dual phase 1). If one is still active at the dual optimum, the true bounds come back and
/// the primal simplex finishes from that basis.
///
/// A warm start after bound or right-hand-side changes keeps the old basis dual feasible,
/// so the dual simplex continues from it directly: that is what makes re-solves cheap.
extension SimplexEngine {
    /// Distance of an artificial bound from the variable's other bound (or from 0).
    static let artificialBoundSize = 1e6

    /// Reduced costs d = c − [A −I]ᵀπ with π = B⁻ᵀc_B, for every nonbasic variable, with
    /// c = ``workCost`` (the perturbed costs while a perturbation is in force).
    mutating func computeReducedCosts(_ d: inout [Double], pi: inout [Double]) {
        for k in 0..<m { pi[k] = workCost[basis[k]] }
        factor.solveTransposed(&pi)
        for j in 0..<(n + m) {
            if position[j] >= 0 { d[j] = 0; continue }
            d[j] = j >= n ? workCost[j] + pi[j - n] : workCost[j] - structuralDot(j, pi)
        }
    }

    /// Cost perturbation against dual degeneracy (HiGHS's `HEkk::initialiseCost`; Koberstein
    /// 2005, §6.2). On a degenerate LP many nonbasic reduced costs are zero, every dual ratio
    /// test then ties at θ_d = 0 and the dual objective stalls for thousands of pivots
    /// (pilot, truss, pilot87, qap12). Each nonbasic structural column j at a bound gets
    ///
    ///     ξ_j = (1 + r_j)·(|c_j| + 1)·5e-7·C,   r_j uniform in [0, 1) from `seed`,
    ///
    /// added at its lower bound and subtracted at its upper one, so its reduced cost keeps
    /// (and gains a margin on) the sign that makes it dual feasible. C is the largest |c_j|
    /// (1 for a zero objective), replaced by its fourth root above 100 so that one huge cost
    /// does not swamp the rest, and capped at 1 when fewer than 1 % of the variables are
    /// boxed (HiGHS's rule: then there are few bound flips to absorb a large perturbation).
    /// Fixed, free and basic variables keep their costs: only nonbasic costs change, so π
    /// and a warm start's dual feasibility are untouched. Boxed columns take the direction
    /// of the bound they sit on (HiGHS uses the sign of c_j, the same bound on a cold start).
    ///
    /// Called after ``placeNonbasicForDualFeasibility(_:tolerance:)``; the dual simplex then
    /// solves the perturbed problem and ``runDual(control:factorIsCurrent:perturbationSeed:)``
    /// removes the perturbation before anything is reported.
    mutating func perturbCosts(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var largest = 0.0
        for j in 0..<n { largest = max(largest, abs(cost[j])) }
        if largest == 0 { largest = 1 }
        if largest > 100 { largest = largest.squareRoot().squareRoot() }
        // Boxed by the true bounds: an artificial bound of the cold start does not count.
        var boxed = 0
        var trulyUnbounded = Array(repeating: false, count: n + m)
        for entry in artificial { trulyUnbounded[entry.column] = true }
        for j in 0..<(n + m) where lower[j].isFinite && upper[j].isFinite && !trulyUnbounded[j] { boxed += 1 }
        if Double(boxed) < 0.01 * Double(n + m) { largest = min(largest, 1) }
        let base = 5e-7 * largest
        for j in 0..<n {
            // One draw per column whatever its status, so that ξ_j depends on j and the seed only.
            let r = generator.nextUnit()
            guard position[j] < 0, lower[j] != upper[j] else { continue }
            let size = (1 + r) * (abs(cost[j]) + 1) * base
            if value[j] == lower[j] {
                workCost[j] = cost[j] + size
            } else if value[j] == upper[j] {
                workCost[j] = cost[j] - size
            }
        }
    }

    /// Restores the original costs (the reduced costs and duals must be recomputed).
    mutating func removeCostPerturbation() { workCost = cost }

    /// Moves each nonbasic variable to the bound its reduced cost prefers; where that bound
    /// is infinite, sets an artificial one there and records it in `artificial`.
    /// Returns whether any value changed.
    @discardableResult
    mutating func placeNonbasicForDualFeasibility(_ d: [Double], tolerance: Double) -> Bool {
        var changed = false
        for j in 0..<(n + m) where position[j] < 0 && lower[j] != upper[j] {
            var target = value[j]
            if d[j] > tolerance {
                if !lower[j].isFinite {
                    let anchor = upper[j].isFinite ? upper[j] : 0
                    artificial.append((j, lower[j], upper[j]))
                    lower[j] = anchor - Self.artificialBoundSize
                }
                target = lower[j]
            } else if d[j] < -tolerance {
                if !upper[j].isFinite {
                    let anchor = lower[j].isFinite ? lower[j] : 0
                    artificial.append((j, lower[j], upper[j]))
                    upper[j] = anchor + Self.artificialBoundSize
                }
                target = upper[j]
            } else if value[j] != lower[j] && value[j] != upper[j] {
                // A zero reduced cost: any bound keeps dual feasibility; the nearer one
                // moves the basic values least.
                if lower[j].isFinite || upper[j].isFinite {
                    target = !upper[j].isFinite || (lower[j].isFinite && abs(value[j] - lower[j]) <= abs(upper[j] - value[j])) ? lower[j] : upper[j]
                }
            }
            if target != value[j] { value[j] = target; changed = true }
        }
        return changed
    }

    /// Whether the row multipliers `pi` prove the current bounds infeasible: the combined
    /// row Σπᵢwᵢ = (Aᵀπ)ᵀx cannot hold, because the range of its left side over the row
    /// bounds and the range of its right side over the column bounds do not meet (interval
    /// arithmetic, with a margin of 1e-7 relative). The dual simplex checks its dual rays
    /// with it before claiming infeasibility, and a branch-and-bound every node's claim (a
    /// node's infeasibility prunes it without the registry's checker looking).
    func provesInfeasible(_ pi: [Double]) -> Bool {
        guard pi.count == m, pi.allSatisfy(\.isFinite) else { return false }
        // The multipliers' components on basic variables are zero in exact arithmetic and
        // rounding leaves ~1e-16 there; against an infinite bound that would void every
        // proof, so components that small are zero where the bound is infinite.
        let rowNoise = 1e-9 * max(1, pi.map(abs).max() ?? 0)
        var rowLow = 0.0, rowHigh = 0.0
        for i in 0..<m where pi[i] != 0 {
            if abs(pi[i]) <= rowNoise && !(lower[n + i].isFinite && upper[n + i].isFinite) { continue }
            let lo = lower[n + i], hi = upper[n + i]
            rowLow += pi[i] > 0 ? pi[i] * lo : pi[i] * hi
            rowHigh += pi[i] > 0 ? pi[i] * hi : pi[i] * lo
        }
        let combined = a.transposeMultiply(pi)
        let columnNoise = 1e-9 * max(1, combined.map(abs).max() ?? 0)
        var columnLow = 0.0, columnHigh = 0.0
        for j in 0..<n where combined[j] != 0 {
            let c = combined[j]
            if abs(c) <= columnNoise && !(lower[j].isFinite && upper[j].isFinite) { continue }
            columnLow += c > 0 ? c * lower[j] : c * upper[j]
            columnHigh += c > 0 ? c * upper[j] : c * lower[j]
        }
        if rowLow.isNaN || rowHigh.isNaN || columnLow.isNaN || columnHigh.isNaN { return false }
        let scale = max(1, [rowLow, rowHigh, columnLow, columnHigh].filter(\.isFinite).map(abs).max() ?? 1)
        return columnLow - rowHigh > 1e-7 * scale || rowLow - columnHigh > 1e-7 * scale
    }

    /// Whether every nonbasic reduced cost has the sign its position allows.
    func isDualFeasible(_ d: [Double], tolerance: Double) -> Bool {
        for j in 0..<(n + m) where position[j] < 0 && lower[j] != upper[j] {
            let atLower = value[j] == lower[j], atUpper = value[j] == upper[j]
            if atLower && d[j] < -tolerance { return false }
            if atUpper && d[j] > tolerance { return false }
            if !atLower && !atUpper && abs(d[j]) > tolerance { return false }
        }
        return true
    }

    /// Restores the true bounds of the artificially bounded variables; one that sat on its
    /// artificial bound moves to its true finite bound (or 0 if free). Returns whether any
    /// artificial bound was active.
    mutating func removeArtificialBounds() -> Bool {
        var active = false
        for (j, lo, hi) in artificial.reversed() {
            let wasAt = position[j] < 0 && (value[j] == lower[j] || value[j] == upper[j])
            lower[j] = lo
            upper[j] = hi
            if wasAt && position[j] < 0 {
                let target = lo.isFinite ? lo : hi.isFinite ? hi : 0
                if value[j] != target { active = true; value[j] = target }
            }
        }
        artificial.removeAll()
        return active
    }

    /// What the dual simplex loop ended with.
    enum DualEnd {
        /// Primal feasible: optimal for the (possibly shifted, possibly artificially bounded) problem.
        case primalFeasible
        /// The row ray: basis position `row` cannot reach its bound; `certificate` = the
        /// phase-1 style multipliers.
        case dualUnbounded(certificate: [Double], row: Int)
        /// No progress in too many pivots, or a numerical failure: hand over to the primal.
        case stalled(String)
        /// Time limit, iteration limit, interrupt.
        case stopped(TerminationStatus, String)
    }

    /// The pivot row α_r = e_rᵀB⁻¹[A −I] from ρ_r = B⁻ᵀe_r (with `nonzeros` nonzero
    /// entries, all in `rhoPattern`, which is in increasing order), row-wise through Aᵀ
    /// when ρ_r is sparse. `pattern` lists the variables whose
    /// entry may be nonzero (nonbasic non-fixed columns when computed column-wise, and the
    /// slacks of ρ's nonzero rows); entries outside it are stale and never read. On truss the
    /// row has a few hundred of 9 806 entries.
    func computePivotRow(_ rho: [Double], rhoPattern: [Int], nonzeros: Int, rowwise: SparseMatrix, into pivotRow: inout [Double],
                         pattern: inout [Int], inPattern: inout [Bool]) {
        for j in pattern { inPattern[j] = false }
        pattern.removeAll(keepingCapacity: true)
        if nonzeros * 10 < m {
            for i in rhoPattern where rho[i] != 0 {
                let ri = rho[i]
                for p in rowwise.columnStarts[i]..<rowwise.columnStarts[i + 1] {
                    let j = rowwise.rowIndices[p]
                    if !inPattern[j] { inPattern[j] = true; pattern.append(j); pivotRow[j] = 0 }
                    pivotRow[j] += ri * rowwise.values[p]
                }
            }
        } else {
            for j in 0..<n where position[j] < 0 && lower[j] != upper[j] {
                let entry = structuralDot(j, rho)
                pivotRow[j] = entry
                if entry != 0 { inPattern[j] = true; pattern.append(j) }
            }
        }
        for i in rhoPattern where rho[i] != 0 {
            pivotRow[n + i] = -rho[i]
            inPattern[n + i] = true
            pattern.append(n + i)
        }
    }

    /// Dual simplex iterations from the current basis, which must be dual feasible for the
    /// reduced costs it computes (the caller places the nonbasic variables first).
    mutating func runDualLoop(control: IterationControl, probe: InterruptProbe, iteration: inout Int) throws -> DualEnd {
        let primalTolerance = SimplexTermination.primalTolerance
        let dualTolerance = SimplexTermination.dualTolerance
        let pivotTolerance = SimplexTermination.pivotTolerance
        let total = n + m
        var reducedCost = Array(repeating: 0.0, count: total)
        var pi = Array(repeating: 0.0, count: m)
        computeReducedCosts(&reducedCost, pi: &pi)
        // Dual steepest-edge weights ‖e_rᵀB⁻¹‖², exact for the slack basis, 1 as a start otherwise.
        if edgeWeights.count != m { edgeWeights = Array(repeating: 1, count: m) }
        var rho = Array(repeating: 0.0, count: m)
        var tau = Array(repeating: 0.0, count: m)
        var alpha = Array(repeating: 0.0, count: m)
        var flipColumn = Array(repeating: 0.0, count: m)
        var pivotRow = Array(repeating: 0.0, count: total)
        var rowPattern: [Int] = []
        rowPattern.reserveCapacity(total)
        let sparseSolves = m >= 20_000
        var rhoPattern: [Int] = [], columnPattern: [Int] = []
        rhoPattern.reserveCapacity(m)
        columnPattern.reserveCapacity(m)
        var inPattern = Array(repeating: false, count: total)
        var candidates: [(column: Int, ratio: Double, magnitude: Double)] = []
        var flips: [Int] = []
        // Aᵀ for the row-wise pivot row, built once per engine (a branch-and-bound solves
        // thousands of node LPs on one).
        if rowwiseMatrix == nil { rowwiseMatrix = a.transposed() }
        let rowwise = rowwiseMatrix ?? a.transposed()
        let stallLimit = SimplexTermination.stallLimit(rows: m, columns: n)
        var bestObjective = -Double.infinity, lastProgress = iteration
        var lastEntering = -1.0, lastLeaving = -1.0

        while true {
            // Pricing: the most infeasible basic variable relative to its edge weight.
            var leaving = -1, bestScore = 0.0, infeasibility = 0.0
            for k in 0..<m {
                let j = basis[k], x = value[j]
                let slack = primalTolerance * max(1, abs(x))
                var violation = 0.0
                if x < lower[j] - slack { violation = lower[j] - x } else if x > upper[j] + slack { violation = x - upper[j] }
                if violation == 0 { continue }
                infeasibility += violation
                let score = violation * violation / edgeWeights[k]
                if score > bestScore { bestScore = score; leaving = k }
            }
            // The record shows the objective of the original costs; progress is measured on
            // the costs being priced (cᵀx of a dual feasible basic solution is the dual
            // objective, which the dual simplex raises monotonically only for those costs).
            var objective = constant, workObjective = constant
            for j in 0..<n { objective += cost[j] * value[j]; workObjective += workCost[j] * value[j] }
            let record = IterationRecord(iteration: iteration, objective: sense * objective, primalResidual: infeasibility,
                                         extras: [Metric("phase", 3), Metric("entering", lastEntering), Metric("leaving", lastLeaving)])
            if leaving < 0 {
                _ = control.record(record)
                return .primalFeasible
            }
            // The dual objective rises: progress is its negative falling.
            if SimplexTermination.improves(-workObjective, on: -bestObjective) {
                bestObjective = workObjective
                lastProgress = iteration
            } else if iteration - lastProgress >= stallLimit {
                _ = control.record(record)
                return .stalled("no dual progress in \(stallLimit) pivots")
            }
            if let stop = control.record(record) { return .stopped(stop, "stopped by iteration control") }

            let r = leaving, leavingColumn = basis[r]
            let belowLower = value[leavingColumn] < lower[leavingColumn]
            let leavingBound = belowLower ? lower[leavingColumn] : upper[leavingColumn]
            // s = +1: x_r must rise to its lower bound; −1: fall to its upper bound.
            let s: Double = belowLower ? 1 : -1

            // Pivot row α_r = e_rᵀB⁻¹[A −I], row-wise when ρ_r is sparse.
            // Pattern solves (hyper-sparse when ρ and α are, as on ken-18's 10⁵ rows) only on
            // large bases: on mid-sized ones (cre-b, dfl001, d2q06c) the vectors are seldom
            // sparse enough and the failed graph searches made the simplex 15–50% slower.
            // The vectors are still read densely below, so they are cleared densely.
            for k in 0..<m { rho[k] = 0 }
            rho[r] = 1
            rhoPattern.removeAll(keepingCapacity: true)
            rhoPattern.append(r)
            if sparseSolves { factor.solveTransposed(&rho, pattern: &rhoPattern) } else { factor.solveTransposed(&rho) }
            var rhoNonzeros = 0, rhoNorm = 0.0
            rhoPattern.removeAll(keepingCapacity: true)
            for i in 0..<m where rho[i] != 0 { rhoNonzeros += 1; rhoNorm += rho[i] * rho[i]; rhoPattern.append(i) }
            edgeWeights[r] = max(rhoNorm, 1e-12)
            // `rowPattern` lists the columns whose entry may be nonzero; the ratio test and
            // the reduced-cost update visit only those (on truss the row has a few hundred
            // of 9 806 entries). Entries outside it are stale and never read.
            computePivotRow(rho, rhoPattern: rhoPattern, nonzeros: rhoNonzeros, rowwise: rowwise, into: &pivotRow, pattern: &rowPattern, inPattern: &inPattern)

            // Candidates: nonbasic j whose move in its allowed direction raises (s = +1) or
            // lowers (s = −1) x_r; the dual ratio is |d_j| / |α_rj|.
            candidates.removeAll(keepingCapacity: true)
            for j in rowPattern where position[j] < 0 && lower[j] != upper[j] {
                let entry = pivotRow[j]
                if abs(entry) < 1e-9 { continue }
                let directed = s * entry
                let d = reducedCost[j]
                let atLower = value[j] == lower[j], atUpper = value[j] == upper[j]
                let ratio: Double
                if atLower && !atUpper {
                    guard directed < 0 else { continue }
                    ratio = max(d, 0) / abs(entry)
                } else if atUpper {
                    guard directed > 0 else { continue }
                    ratio = max(-d, 0) / abs(entry)
                } else {
                    // Free (or between bounds): either direction.
                    ratio = abs(d) / abs(entry)
                }
                candidates.append((j, ratio, abs(entry)))
            }
            if candidates.allSatisfy({ $0.magnitude < pivotTolerance }) && !candidates.isEmpty {
                // Only tiny pivots: take the largest rather than claim a ray.
            } else {
                candidates.removeAll { $0.magnitude < pivotTolerance }
            }
            if candidates.isEmpty {
                // No nonbasic move can bring x_r to its bound: the primal is infeasible. The
                // phase-1 multipliers of this one violated row, π = −s·ρ_r, certify it.
                return .dualUnbounded(certificate: rho.map { -s * $0 }, row: r)
            }

            // Bound-flipping ratio test with Harris's passes over the breakpoint groups. A pass
            // takes every remaining candidate whose ratio is within Harris's bound θ_max; if
            // they are all boxed and the slope survives them, they flip and the next pass
            // looks further. The candidates are not sorted: each pass scans the remaining
            // ones anyway (for θ_max), and the sort of all of them was a quarter of truss's
            // time. Ties go as the ascending stable sort had them: the largest |α_rj|, then
            // the smallest ratio, then the smallest column (so the candidates' order, which
            // follows the row's pattern, does not matter).
            var slope = abs(value[leavingColumn] - leavingBound)
            flips.removeAll(keepingCapacity: true)
            var entering = -1
            var remainingCount = candidates.count
            while entering < 0 {
                var thetaMax = Double.infinity
                for i in 0..<remainingCount {
                    let c = candidates[i]
                    thetaMax = min(thetaMax, c.ratio + dualTolerance / c.magnitude)
                }
                var groupCount = 0, slopeUse = 0.0, allBoxed = true
                var largest = 0.0, largestRatio = Double.infinity, largestColumn = -1
                for i in 0..<remainingCount where candidates[i].ratio <= thetaMax {
                    let c = candidates[i]
                    groupCount += 1
                    let range = upper[c.column] - lower[c.column]
                    if !range.isFinite { allBoxed = false } else { slopeUse += c.magnitude * range }
                    if c.magnitude > largest || (c.magnitude == largest && largestColumn >= 0
                        && (c.ratio < largestRatio || (c.ratio == largestRatio && c.column < largestColumn))) {
                        largest = c.magnitude; largestRatio = c.ratio; largestColumn = c.column
                    }
                }
                if groupCount == 0 {
                    // Nothing within θ_max (rounding): the smallest ratio enters.
                    var first = 0
                    for i in 1..<max(1, remainingCount) {
                        let c = candidates[i], f = candidates[first]
                        if c.ratio < f.ratio || (c.ratio == f.ratio && c.column < f.column) { first = i }
                    }
                    entering = candidates[first].column
                    break
                }
                if allBoxed && slope - slopeUse > 0 && groupCount < remainingCount {
                    // Flip the group; the rest keep their order (for the tie rule).
                    var kept = 0
                    for i in 0..<remainingCount {
                        let c = candidates[i]
                        if c.ratio <= thetaMax { flips.append(c.column) } else { candidates[kept] = c; kept += 1 }
                    }
                    remainingCount = kept
                    slope -= slopeUse
                } else {
                    entering = largestColumn
                }
            }

            // Dual step: θ_d = d_q / α_rq, with a wrong-signed d_q taken as 0. The cost
            // shift that makes it 0 is kept in workCost (HiGHS's shift_cost): without it the
            // reduced costs recomputed at the next refactorization bring the dual
            // infeasibility back, through π of the basis q now belongs to, and the dual
            // objective swung by 10⁴ on pilot87. The shifts go with the perturbation.
            let q = entering
            let alphaRQ = pivotRow[q]
            var dq = reducedCost[q]
            let qAtLower = value[q] == lower[q] && value[q] != upper[q]
            let qAtUpper = value[q] == upper[q] && value[q] != lower[q]
            if (qAtLower && dq < 0) || (qAtUpper && dq > 0) {
                workCost[q] -= dq
                dq = 0
                reducedCost[q] = 0
            }
            let thetaDual = dq / alphaRQ
            for j in rowPattern where position[j] < 0 && lower[j] != upper[j] && j != q {
                let entry = pivotRow[j]
                if entry != 0 { reducedCost[j] -= thetaDual * entry }
            }

            // Flips: the flipped variables jump to their other bound; x_B moves by −B⁻¹Σa_jΔ_j.
            if !flips.isEmpty {
                for k in 0..<m { flipColumn[k] = 0 }
                for j in flips {
                    let target = value[j] == lower[j] ? upper[j] : lower[j]
                    let delta = target - value[j]
                    value[j] = target
                    if j >= n { flipColumn[j - n] -= delta } else {
                        for p in a.columnStarts[j]..<a.columnStarts[j + 1] { flipColumn[a.rowIndices[p]] += a.values[p] * delta }
                    }
                }
                factor.solve(&flipColumn)
                for k in 0..<m { value[basis[k]] -= flipColumn[k] }
            }

            // Primal step along the entering column α_q = B⁻¹a_q.
            for k in 0..<m { alpha[k] = 0 }
            columnPattern.removeAll(keepingCapacity: true)
            if q >= n { alpha[q - n] = -1; columnPattern.append(q - n) } else {
                for p in a.columnStarts[q]..<a.columnStarts[q + 1] {
                    alpha[a.rowIndices[p]] = a.values[p]
                    columnPattern.append(a.rowIndices[p])
                }
            }
            if sparseSolves { factor.solve(&alpha, pattern: &columnPattern) } else { factor.solve(&alpha) }
            let pivot = alpha[r]
            if abs(pivot) < 1e-11 || abs(pivot - alphaRQ) > 1e-6 * max(1, abs(pivot)) {
                // The row and the column disagree on the pivot: the factors have drifted.
                if factor.updateCount == 0 { return .stalled("pivot \(pivot) unreliable on a fresh factorization") }
                try refactorRepairingSingularity(shouldStop: probe.shouldStop)
                recomputeBasicValues()
                computeReducedCosts(&reducedCost, pi: &pi)
                iteration += 1
                continue
            }
            let thetaPrimal = (value[leavingColumn] - leavingBound) / pivot
            for k in 0..<m where alpha[k] != 0 { value[basis[k]] -= thetaPrimal * alpha[k] }
            value[q] += thetaPrimal

            // Dual steepest-edge weights: τ = B⁻¹ρ_r.
            for i in 0..<m { tau[i] = rho[i] }
            if sparseSolves {
                columnPattern = rhoPattern
                factor.solve(&tau, pattern: &columnPattern)
            } else {
                factor.solve(&tau)
            }
            let weightR = edgeWeights[r]
            for k in 0..<m where k != r && alpha[k] != 0 {
                let ratio = alpha[k] / pivot
                edgeWeights[k] = max(edgeWeights[k] + ratio * (ratio * weightR - 2 * tau[k]), 1e-12)
            }
            edgeWeights[r] = max(weightR / (pivot * pivot), 1e-12)

            // Basis change.
            value[leavingColumn] = leavingBound
            position[leavingColumn] = -1
            position[q] = r
            basis[r] = q
            reducedCost[q] = 0
            reducedCost[leavingColumn] = -thetaDual
            lastEntering = Double(q)
            lastLeaving = Double(leavingColumn)
            factor.update(row: r, alpha: alpha)
            iteration += 1
            if factor.needsRefactorization {
                do { try refactorRepairingSingularity(shouldStop: probe.shouldStop) } catch {
                    guard error == .interrupted else { throw error }
                    return .stopped(probe.status ?? .interrupted, "stopped during a basis refactorization")
                }
                if repairs > 0 { edgeWeights = Array(repeating: 1, count: m) }
                recomputeBasicValues()
                computeReducedCosts(&reducedCost, pi: &pi)
            }
        }
    }

    /// The dual simplex with its primal clean-up: the main algorithm of `native.simplex`.
    ///
    /// Starts from the current basis (slack basis or a warm start): places the nonbasic
    /// variables for dual feasibility (artificial bounds where needed), runs the dual
    /// loop, then checks the answer against the true bounds and costs; whatever is left
    /// (an active artificial bound, a dual infeasibility from cost shifts, a stall, an
    /// infeasibility claim that leaned on an artificial bound or that its multipliers do not
    /// prove, ``provesInfeasible(_:)``) goes to the primal simplex from the final basis.
    ///
    /// `factorIsCurrent`: the factor already describes the current basis (a branch-and-bound
    /// child solved right after its parent), so the first factorization is skipped.
    ///
    /// `perturbationSeed`: when given, the dual simplex prices with perturbed costs
    /// (``perturbCosts(seed:)``). The perturbation is removed before anything is reported:
    /// at the perturbed optimum the original costs come back and the reduced costs are
    /// recomputed; if that leaves a dual infeasibility (the perturbed optimum is not the
    /// original's) the primal simplex finishes from that basis, which stays primal feasible
    /// (HiGHS's clean-up). An infeasibility claim rests on the dual ray's interval proof,
    /// which does not involve costs; an unboundedness claim only ever comes from the primal
    /// simplex on the original costs. Without a seed (branch-and-bound's node LPs) the costs
    /// are the problem's throughout.
    mutating func runDual(control: IterationControl, factorIsCurrent: Bool = false, perturbationSeed: UInt64? = nil) throws -> Outcome {
        let probe = InterruptProbe(control)
        var iteration = 0
        if !factorIsCurrent { do { try refactorRepairingSingularity(shouldStop: probe.shouldStop) } catch {
            guard error == .interrupted else { throw error }
            return Outcome(status: probe.status ?? .interrupted, raw: "stopped during the first basis factorization", x: Array(value[0..<n]),
                           y: Array(repeating: 0, count: m), iterations: 0, certificate: nil,
                           basisPosition: position, value: value, lower: lower, upper: upper)
        } }
        if !pushDuals.isEmpty {
            // A crossover's start: the interior duals pushed onto the guessed basis make it
            // dual feasible up to the interior point's own error, which is what the dual
            // simplex needs; the primal values it leaves are off by about that much.
            let duals = pushDuals
            pushDuals = []
            try dualPush(duals: duals, control: control, iteration: &iteration)
        }
        var d = Array(repeating: 0.0, count: n + m)
        var pi = Array(repeating: 0.0, count: m)
        computeReducedCosts(&d, pi: &pi)
        let dualTolerance = SimplexTermination.dualTolerance(costScale: costScale)
        placeNonbasicForDualFeasibility(d, tolerance: dualTolerance)
        if let perturbationSeed { perturbCosts(seed: perturbationSeed) }
        recomputeBasicValues()
        var end = try runDualLoop(control: control, probe: probe, iteration: &iteration)
        // "Primal feasible" is judged on values updated pivot by pivot; recomputed from
        // scratch they can have drifted past the tolerance (bandm's crossover: a row 7e-9
        // off), so the loop goes on from the recomputed values until they agree.
        for _ in 0..<3 {
            guard case .primalFeasible = end, artificial.isEmpty else { break }
            recomputeBasicValues()
            let drifted = basis.contains { j in
                let slack = SimplexTermination.primalTolerance * max(1, abs(value[j]))
                return value[j] < lower[j] - slack || value[j] > upper[j] + slack
            }
            if !drifted { break }
            end = try runDualLoop(control: control, probe: probe, iteration: &iteration)
        }
        dualIterations = iteration
        // From here on every answer is for the original costs.
        removeCostPerturbation()
        switch end {
        case .stopped(let status, let raw):
            _ = removeArtificialBounds()
            computeReducedCosts(&d, pi: &pi)
            return Outcome(status: status, raw: raw, x: Array(value[0..<n]), y: pi, iterations: iteration, certificate: nil,
                           basisPosition: position, value: value, lower: lower, upper: upper)
        case .dualUnbounded(let certificate, _) where artificial.isEmpty && provesInfeasible(certificate):
            return Outcome(status: .infeasible, raw: "dual simplex: a row cannot reach its bound (dual ray)", x: Array(value[0..<n]),
                           y: pi, iterations: iteration, certificate: certificate,
                           basisPosition: position, value: value, lower: lower, upper: upper)
        case .primalFeasible where artificial.isEmpty:
            // Optimal unless shifted or perturbed costs hid a dual infeasibility: fresh
            // reduced costs of the original costs tell; the primal simplex takes over only if
            // they show one.
            computeReducedCosts(&d, pi: &pi)
            if isDualFeasible(d, tolerance: dualTolerance) {
                return Outcome(status: .optimal, raw: "optimal", x: Array(value[0..<n]), y: pi, iterations: iteration,
                               certificate: nil, basisPosition: position, value: value, lower: lower, upper: upper)
            }
        default:
            if removeArtificialBounds() { recomputeBasicValues() }
        }
        return try run(control: control, startIteration: iteration)
    }
}
