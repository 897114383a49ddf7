import LagrangeCore
import LinearAlgebra

extension SimplexEngine {
    /// The crossover's dual push (Megiddo 1991; IPX's crossover does the same): from the
    /// guessed basis and the interior point's duals π, every basic variable whose interior
    /// reduced cost d_j = c_j − a_jᵀπ is not zero is brought to d_j = 0, one at a time, by
    /// moving π along ρ_r = B⁻ᵀe_r. The nonbasic reduced costs move with it,
    /// d_k ← d_k − t·α_rk, and one whose sign would turn wrong for the bound it sits at
    /// blocks the move: it enters the basis and the pushed variable leaves for the bound
    /// its remaining reduced cost prices. If nothing blocks, the variable stays basic with
    /// d_j = 0 and no pivot is made.
    ///
    /// Why: the guess (m largest distance/|dual| ratios) of a degenerate LP puts many
    /// variables in the basis that sit at a bound with a nonzero interior dual (cre-b: about
    /// 7 700 of 9 648 members). Priced from c_B, such a basis has duals far from the
    /// interior ones: 17 864 nonbasic reduced costs of the wrong sign, beyond 100, and the
    /// primal simplex spent minutes of degenerate pivots on them. After the push the basis's
    /// duals are the interior ones up to the push's blocking steps, and the primal simplex
    /// that follows has only the interior point's own small infeasibilities to clean.
    ///
    /// Primal values: a variable leaving goes to its bound (it was at most the interior
    /// point's distance from it), and the basic values are recomputed at the end. Returns
    /// when every push is done, when the iteration control stops, or when a refactorization
    /// had to repair the basis (the primal simplex goes on from there).
    mutating func dualPush(duals pi: [Double], control: IterationControl, iteration: inout Int) throws {
        let total = n + m
        var reducedCost = Array(repeating: 0.0, count: total)
        for j in 0..<n { reducedCost[j] = cost[j] - structuralDot(j, pi) }
        for i in 0..<m { reducedCost[n + i] = pi[i] }
        let dualTolerance = SimplexTermination.dualTolerance(costScale: costScale)
        // Complementarity first: a nonbasic variable off its bounds (a guess member the
        // basis repair took out, at its interior value) whose reduced cost is large next to
        // its distance from the bound that cost prices (distance/|d| < 1, the guess's own
        // rule for "at a bound") goes to that bound; the primal push would otherwise spend
        // a pivot on each, or the pricing treat it as an improving move.
        for k in 0..<total where position[k] < 0 && value[k] != lower[k] && value[k] != upper[k] {
            let d = reducedCost[k]
            let bound = d > 0 ? lower[k] : upper[k]
            if d != 0 && bound.isFinite && abs(value[k] - bound) < abs(d) { value[k] = bound }
        }
        let pivotTolerance = SimplexTermination.pivotTolerance
        if rowwiseMatrix == nil { rowwiseMatrix = a.transposed() }
        let rowwise = rowwiseMatrix ?? a.transposed()
        // ρ and α are kept zero outside their patterns, so a pivot touches only the entries
        // its solves reach (ken-18: 10⁵ rows, a few dozen nonzeros per vector); dense
        // clears, scans and solves made each of its 12 464 pivots cost 4 ms.
        var rho = Array(repeating: 0.0, count: m)
        var alpha = Array(repeating: 0.0, count: m)
        var rhoPattern: [Int] = [], alphaPattern: [Int] = []
        rhoPattern.reserveCapacity(m)
        alphaPattern.reserveCapacity(m)
        var pivotRow = Array(repeating: 0.0, count: total)
        var pattern: [Int] = []
        var inPattern = Array(repeating: false, count: total)
        // Fixed members included: a basic equality row's slack forces that row's dual to 0
        // (the basis repair puts them in; cre-b had 2 426).
        let pushed = basis.filter { j in abs(reducedCost[j]) > dualTolerance * max(1, abs(cost[j])) }
        // Where each variable sits, for the ratio loops (kept current across pivots): −1
        // basic or fixed, 0 between its bounds or free, 1 at its lower bound, 2 at its upper.
        func sideOf(_ k: Int) -> Int8 {
            if position[k] >= 0 || lower[k] == upper[k] { return -1 }
            if value[k] == lower[k] { return 1 }
            return value[k] == upper[k] ? 2 : 0
        }
        var side = (0..<total).map(sideOf)
        // With hyper-sparse solves a pivot costs microseconds, and a refactorization every
        // 100 pivots became most of the push (ken-13: 34 of them, 80% of its time). Its
        // etas are as sparse as its solves, so a longer file costs little; the size rule of
        // ``SimplexBasis/needsRefactorization`` still bounds it, and the push ends on a
        // fresh factorization when the file is longer than the simplex's usual one.
        factor.refactorInterval = min(1000, max(SimplexBasis.defaultRefactorInterval, m / 100))
        defer { factor.refactorInterval = SimplexBasis.defaultRefactorInterval }
        var pending: IterationRecord?
        for j in pushed {
            let r = position[j]
            guard r >= 0 else { continue }
            let dj = reducedCost[j]
            // The bound the pushed variable would leave for: d_j > 0 prices the lower one.
            let s: Double = dj > 0 ? 1 : -1
            let leavingBound = s > 0 || lower[j] == upper[j] ? lower[j] : upper[j]
            guard leavingBound.isFinite else { continue }
            for i in rhoPattern { rho[i] = 0 }
            rhoPattern.removeAll(keepingCapacity: true)
            rho[r] = 1
            rhoPattern.append(r)
            factor.solveTransposed(&rho, pattern: &rhoPattern)
            sortPattern(&rhoPattern, of: rho)
            var nonzeros = 0
            for i in rhoPattern where rho[i] != 0 { nonzeros += 1 }
            computePivotRow(rho, rhoPattern: rhoPattern, nonzeros: nonzeros, rowwise: rowwise, into: &pivotRow,
                            pattern: &pattern, inPattern: &inPattern)
            // Ratio test on t·s ∈ [0, |d_j|] (Harris's two passes): nonbasic k at its lower
            // bound keeps d_k ≥ 0, at its upper d_k ≤ 0, between them (superbasic, free) 0.
            // Locals only in these loops: ken-18's rows have up to 10⁵ entries.
            var thetaMax = abs(dj)
            var entering = -1, largest = 0.0, step = abs(dj)
            for pass in 0..<2 {
                if pass == 1 && thetaMax >= abs(dj) { break }
                for k in pattern {
                    let where_ = side[k]
                    if where_ < 0 { continue }
                    let entry = pivotRow[k], rate = s * entry
                    if abs(rate) < pivotTolerance { continue }
                    let d = reducedCost[k]
                    let available: Double
                    switch where_ {
                    case 1: if rate > 0 { available = max(d, 0) } else { continue }
                    case 2: if rate < 0 { available = max(-d, 0) } else { continue }
                    default: available = abs(d)
                    }
                    if pass == 0 {
                        thetaMax = min(thetaMax, (available + dualTolerance) / abs(entry))
                    } else {
                        let ratio = available / abs(entry)
                        if ratio <= thetaMax && abs(entry) > largest { largest = abs(entry); entering = k; step = ratio }
                    }
                }
            }
            let t = s * step
            for k in pattern where side[k] >= 0 && pivotRow[k] != 0 {
                reducedCost[k] -= t * pivotRow[k]
            }
            guard entering >= 0 else {
                reducedCost[j] = 0
                continue
            }
            // A pivot's record is emitted when the next one is made: the phase after the
            // push records the state after the last one as its first record. No objective
            // or residual: the basic values are recomputed only at the end.
            if let pending, control.record(pending) != nil { break }
            // The basis change: q enters at its current value, j leaves for its bound.
            let q = entering
            for i in alphaPattern { alpha[i] = 0 }
            alphaPattern.removeAll(keepingCapacity: true)
            if q >= n { alpha[q - n] = -1; alphaPattern.append(q - n) } else {
                for p in a.columnStarts[q]..<a.columnStarts[q + 1] {
                    alpha[a.rowIndices[p]] = a.values[p]
                    alphaPattern.append(a.rowIndices[p])
                }
            }
            factor.solve(&alpha, pattern: &alphaPattern)
            sortPattern(&alphaPattern, of: alpha)
            if abs(alpha[r]) < pivotTolerance { continue }
            reducedCost[j] = dj - t
            reducedCost[q] = 0
            value[j] = leavingBound
            position[j] = -1
            position[q] = r
            basis[r] = q
            factor.update(row: r, alpha: alpha, pattern: alphaPattern)
            side[q] = -1
            side[j] = sideOf(j)
            iteration += 1
            pending = IterationRecord(iteration: iteration, extras: [Metric("phase", 4), Metric("entering", Double(q)), Metric("leaving", Double(j))])
            if factor.needsRefactorization {
                let before = repairs
                try refactorRepairingSingularity(shouldStop: nil)
                if repairs != before { break }
            }
        }
        if factor.updateCount >= SimplexBasis.defaultRefactorInterval {
            try refactorRepairingSingularity(shouldStop: nil)
        }
        recomputeBasicValues()
    }

    /// Puts a solve's result pattern in increasing order, as the dense scans produced it:
    /// the pivot row's accumulation order and its ratio-test ties, and the eta entries' order,
    /// then follow the same order as before. A dense pattern is rebuilt by a scan instead.
    private func sortPattern(_ pattern: inout [Int], of x: [Double]) {
        if pattern.count * 16 < m {
            pattern.sort()
        } else {
            pattern.removeAll(keepingCapacity: true)
            for i in 0..<m where x[i] != 0 { pattern.append(i) }
        }
    }
}
