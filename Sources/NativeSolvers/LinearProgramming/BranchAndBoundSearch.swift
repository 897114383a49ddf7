import LagrangeCore
import LinearAlgebra

/// A node's view of the basis: the basic variables by position, and the nonbasic ones at
/// their upper bound (the rest sit at their lower bound, or 0 when free). Shared by both
/// children of the node that produced it.
final class BasisSnapshot: Sendable {
    let basis: [Int32]
    let atUpper: [Int32]

    init(basis: [Int32], atUpper: [Int32]) {
        self.basis = basis
        self.atUpper = atUpper
    }
}

extension SimplexEngine {
    func snapshot() -> BasisSnapshot {
        var atUpper: [Int32] = []
        for j in 0..<(n + m) where position[j] < 0 && value[j] == upper[j] && value[j] != lower[j] { atUpper.append(Int32(j)) }
        return BasisSnapshot(basis: basis.map { Int32($0) }, atUpper: atUpper)
    }

    /// Puts the nonbasic variables of `snapshot` (the engine's own basis) on the bounds in
    /// force, keeping the basis and its factor.
    mutating func restoreValues(_ snapshot: BasisSnapshot) {
        for j in 0..<(n + m) where position[j] < 0 {
            value[j] = lower[j].isFinite ? lower[j] : upper[j].isFinite ? upper[j] : 0
        }
        for j in snapshot.atUpper where upper[Int(j)].isFinite && position[Int(j)] < 0 { value[Int(j)] = upper[Int(j)] }
    }

    /// Sets the basis from `snapshot`, the nonbasic variables on the bounds in force.
    mutating func restore(_ snapshot: BasisSnapshot) {
        for j in 0..<(n + m) {
            position[j] = -1
            value[j] = lower[j].isFinite ? lower[j] : upper[j].isFinite ? upper[j] : 0
        }
        for j in snapshot.atUpper where upper[Int(j)].isFinite { value[Int(j)] = upper[Int(j)] }
        basis = snapshot.basis.map { Int($0) }
        for (k, j) in basis.enumerated() { position[j] = k }
    }
}

/// One open node: the column bounds that differ from the root's, its parent's basis and LP
/// bound, and the branching step that made it (for the pseudocosts).
struct SearchNode {
    var bounds: [(column: Int32, lower: Double, upper: Double)]
    var basis: BasisSnapshot?
    var bound: Double
    /// The parent's LP objective before rounding (pseudocosts measure LP gains).
    var lpBound: Double
    var depth: Int
    var branchedColumn: Int
    var branchedUp: Bool
    var fractionalDistance: Double
}

/// Open nodes: a binary min-heap by bound, and a last-in-first-out stack for depth-first
/// selection.
struct NodeQueue {
    private var heap: [SearchNode] = []
    private var stack: [SearchNode] = []
    /// Whether new nodes go on the stack (depth-first) rather than the heap.
    let depthFirst: Bool
    var count: Int { heap.count + stack.count }
    var bestBound: Double? { [heap.first?.bound, stack.map(\.bound).min()].compactMap { $0 }.min() }

    init(depthFirst: Bool) { self.depthFirst = depthFirst }

    mutating func push(_ node: SearchNode) {
        if depthFirst { stack.append(node) } else { pushHeap(node) }
    }

    /// The next node: the newest on the stack, else the best bound.
    mutating func popNext() -> SearchNode? {
        if let node = stack.popLast() { return node }
        return popBest()
    }

    /// Best bound first; among equal bounds the deeper node, which has fewer free integer
    /// columns left. Why: on a grid-rounded bound many nodes tie (10teams: every open node
    /// at 924 once the root cuts reach it), and the search needs an incumbent, not a wider
    /// tree, to finish.
    static func precedes(_ a: SearchNode, _ b: SearchNode) -> Bool {
        a.bound != b.bound ? a.bound < b.bound : a.depth > b.depth
    }

    private mutating func pushHeap(_ node: SearchNode) {
        heap.append(node)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.precedes(heap[i], heap[parent]) { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func popBest() -> SearchNode? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let best = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count && Self.precedes(heap[l], heap[smallest]) { smallest = l }
            if r < heap.count && Self.precedes(heap[r], heap[smallest]) { smallest = r }
            if smallest == i { break }
            heap.swapAt(i, smallest)
            i = smallest
        }
        return best
    }

    /// Drops nodes whose bound cannot beat `cutoff`; returns the least bound dropped.
    mutating func prune(above cutoff: Double) -> Double {
        let all = heap + stack
        guard all.contains(where: { $0.bound >= cutoff }) else { return .infinity }
        let dropped = all.filter { $0.bound >= cutoff }.map(\.bound).min() ?? .infinity
        stack.removeAll { $0.bound >= cutoff }
        let kept = heap.filter { $0.bound < cutoff }
        heap.removeAll(keepingCapacity: true)
        for item in kept { pushHeap(item) }
        return dropped
    }
}

/// One branch-and-bound search on a minimization form of the MILP.
struct BranchAndBoundSearch {
    let lp: LinearProgram
    let settings: BranchAndBoundSettings
    let control: IterationControl
    let sense: Double
    /// The relaxation the nodes solve: the problem's rows and the root's cuts.
    var root: RowBoundLP
    var engine: SimplexEngine
    var rootLower: [Double]
    var rootUpper: [Double]
    let isInteger: [Bool]
    /// The incumbent (minimization form) and its point.
    var incumbent = Double.infinity
    var incumbentPoint: [Double]?
    var nodes = 0
    /// The iteration number of the last history record (records are numbered by nodes,
    /// bumped by one where two fall on the same node count).
    var lastRecordedIteration = -1
    /// The least LP bound among nodes pruned by bound: with the incumbent, the proven bound.
    var prunedBound = Double.infinity
    var failedNodes = 0
    /// Dual simplex pivots of every LP solved, and of those the strong-branching probes'.
    var totalPivots = 0
    var strongBranchPivots = 0
    /// Strong-branching probes in a row whose children both kept the parent's LP value; at
    /// 200 the probes stop for good (enigma: the LP bound is the optimum at every node, so
    /// probes cannot rank candidates and only cost time).
    var flatProbes = 0
    var cutsAdded = 0
    /// Of `cutsAdded`, the knapsack covers.
    var coverCutsAdded = 0
    /// Of `cutsAdded`, the complemented mixed-integer rounding cuts.
    var mirCutsAdded = 0
    /// Nodes the RENS and RINS sub-MIPs searched; whether RENS improved the incumbent; RINS
    /// runs and improvements.
    var subMIPNodes = 0
    /// The root-face search's sub-MIP nodes, and whether it found a point.
    var faceSearchNodes = 0
    var faceSearchFound = false
    var rensImproved = false
    var rinsRuns = 0
    var rinsImproved = 0
    /// The node count at which RINS runs next (doubled after each run).
    var nextRINS: Int
    /// The basis the engine holds (factor included) after the last node LP, if optimal.
    var lastSnapshot: BasisSnapshot?
    var pseudocostSum: [[Double]]
    var pseudocostCount: [[Int]]
    /// The step g of the objective's grid: every integer point's objective is c₀ plus an
    /// integer multiple of g (costs on integer columns only, each a multiple of g; vpm2's
    /// are multiples of 0.25), so a node's bound rounds up to the grid. nil: no grid found.
    let objectiveGranularity: Double?

    init(lp: LinearProgram, settings: BranchAndBoundSettings, control: IterationControl) {
        self.lp = lp
        self.settings = settings
        self.control = control
        sense = lp.sense == .minimize ? 1 : -1
        root = RowBoundLP(minimizing: lp)
        engine = SimplexEngine(root, constant: root.objectiveConstant, sense: sense)
        rootLower = root.columnLower
        rootUpper = root.columnUpper
        var integer = Array(repeating: false, count: lp.columnCount)
        for j in lp.integerColumns { integer[j] = true }
        isInteger = integer
        objectiveGranularity = Self.objectiveGranularity(lp.objective, isInteger: integer)
        pseudocostSum = Array(repeating: [0, 0], count: lp.columnCount)
        pseudocostCount = Array(repeating: [0, 0], count: lp.columnCount)
        nextRINS = settings.rinsStart
    }

    /// What a node's LP gave.
    enum NodeLP {
        case optimal(objective: Double, x: [Double], reducedCosts: [Double], basis: BasisSnapshot)
        case infeasible(farkas: [Double]?)
        case unbounded(ray: [Double]?)
        case stopped(TerminationStatus)
        case failed(String)
        /// Stopped at the pivot limit a strong-branching probe set: the objective there, a
        /// dual bound only while no artificial bound is active (used for scoring, never for
        /// pruning).
        case limited(objective: Double)
    }

    /// Integer column bounds rounded inward (a bound of 2.5 on an integer column is 2).
    func integerBounds(_ j: Int, _ lower: Double, _ upper: Double) -> (Double, Double) {
        guard isInteger[j] else { return (lower, upper) }
        return ((lower - 1e-9).rounded(.up), (upper + 1e-9).rounded(.down))
    }

    /// Solves the LP of a node: root bounds with `bounds` applied, from `basis` (slack basis
    /// when nil), with a quiet iteration control that shares the time limit and cancellation.
    /// `pivotLimit`: a strong-branching probe's budget; reaching it answers `.limited`.
    mutating func solveNode(bounds: [(column: Int32, lower: Double, upper: Double)], basis: BasisSnapshot?,
                            pivotLimit: Int? = nil) throws -> NodeLP {
        for j in 0..<lp.columnCount {
            (engine.lower[j], engine.upper[j]) = integerBounds(j, rootLower[j], rootUpper[j])
        }
        for change in bounds {
            let j = Int(change.column)
            engine.lower[j] = max(engine.lower[j], change.lower)
            engine.upper[j] = min(engine.upper[j], change.upper)
        }
        for j in 0..<lp.columnCount where engine.lower[j] > engine.upper[j] + 1e-9 { return .infeasible(farkas: nil) }
        for j in 0..<lp.columnCount where engine.lower[j] > engine.upper[j] { engine.upper[j] = engine.lower[j] }
        engine.artificial.removeAll()
        engine.repairs = 0
        // A node solved right after the one whose basis it starts from (a dive) finds that
        // basis still in the engine, factor included: only the nonbasic values move.
        let factorIsCurrent = basis != nil && basis === lastSnapshot
        if let basis, factorIsCurrent {
            engine.restoreValues(basis)
        } else if let basis {
            engine.restore(basis)
        } else {
            engine.restore(BasisSnapshot(basis: (0..<engine.m).map { Int32(engine.n + $0) }, atUpper: []))
        }
        lastSnapshot = nil
        var options = SolveOptions(historyStorage: .off)
        let remaining = control.secondsRemaining
        if remaining.isFinite { options.timeLimit = max(remaining, 1e-3) }
        // A node LP starts near its optimum; one that runs past this many pivots is cycling or
        // stalled (vpm1 once spent 16 s in one node) and is retried cold by the caller.
        options.maxIterations = pivotLimit ?? Self.nodePivotCap(rows: engine.m, columns: engine.n)
        let nodeControl = IterationControl(options: options, cancellation: control.cancellationFlag)
        let outcome: SimplexEngine.Outcome
        do { outcome = try engine.runDual(control: nodeControl, factorIsCurrent: factorIsCurrent) } catch {
            return .failed("\(error)")
        }
        totalPivots += outcome.iterations
        switch outcome.status {
        case .optimal:
            var d = Array(repeating: 0.0, count: engine.n + engine.m)
            var pi = Array(repeating: 0.0, count: engine.m)
            engine.computeReducedCosts(&d, pi: &pi)
            var objective = root.objectiveConstant
            for j in 0..<lp.columnCount { objective += root.objective[j] * outcome.x[j] }
            let snapshot = engine.snapshot()
            lastSnapshot = snapshot
            return .optimal(objective: objective, x: outcome.x, reducedCosts: d, basis: snapshot)
        case .infeasible:
            // Only a verified proof prunes: an unverified claim is a failure (retried cold).
            guard let pi = outcome.certificate, engine.provesInfeasible(pi) else {
                return .failed("an infeasibility claim its multipliers do not prove")
            }
            return .infeasible(farkas: pi)
        case .unbounded: return .unbounded(ray: outcome.certificate)
        case .iterationLimit where pivotLimit != nil && control.checkInterrupt() == nil:
            var objective = root.objectiveConstant
            for j in 0..<lp.columnCount { objective += root.objective[j] * outcome.x[j] }
            return .limited(objective: objective)
        case .iterationLimit where control.checkInterrupt() == nil:
            return .failed("the node LP passed \(Self.nodePivotCap(rows: engine.m, columns: engine.n)) pivots")
        case .timeLimit, .interrupted, .iterationLimit:
            return .stopped(control.checkInterrupt() ?? outcome.status)
        default: return .failed(outcome.raw)
        }
    }

    /// The most pivots a node LP may take: generous for a warm-started re-solve, and what a
    /// cold solve of the whole LP rarely needs (Netlib's LPs take about 2·(rows + columns)).
    static func nodePivotCap(rows: Int, columns: Int) -> Int { max(5_000, 10 * (rows + columns)) }

    /// Column j's bounds at a node: the root's (integer ones rounded inward) with the
    /// node's changes applied.
    func nodeBounds(_ j: Int, _ bounds: [(column: Int32, lower: Double, upper: Double)]) -> (Double, Double) {
        var (lo, hi) = integerBounds(j, rootLower[j], rootUpper[j])
        for change in bounds where Int(change.column) == j {
            lo = max(lo, change.lower)
            hi = min(hi, change.upper)
        }
        return (lo, hi)
    }

    /// Fractional integer columns of `x` (index, fractional part).
    func fractionalColumns(_ x: [Double]) -> [(column: Int, fraction: Double)] {
        var list: [(column: Int, fraction: Double)] = []
        for j in lp.integerColumns {
            let f = x[j] - x[j].rounded(.down)
            if f > settings.integralityTolerance && f < 1 - settings.integralityTolerance { list.append((j, f)) }
        }
        return list
    }

    /// Whether `point` satisfies the problem's rows and bounds, measured as the certificate
    /// checker does (violation / (1 + max(|bound|, Σ|terms|))) but ten times tighter.
    func isFeasible(_ point: [Double]) -> Bool {
        for j in 0..<lp.columnCount {
            let v = point[j]
            if v < lp.columnLower[j] - 1e-7 * (1 + abs(lp.columnLower[j])) { return false }
            if v > lp.columnUpper[j] + 1e-7 * (1 + abs(lp.columnUpper[j])) { return false }
        }
        var activity = Array(repeating: 0.0, count: lp.rowCount), magnitude = activity
        for j in 0..<lp.columnCount where point[j] != 0 {
            lp.constraints.forEachEntry(inColumn: j) { i, a in
                activity[i] += a * point[j]
                magnitude[i] += abs(a * point[j])
            }
        }
        for i in 0..<lp.rowCount {
            let lo = lp.rowLower[i], hi = lp.rowUpper[i], v = activity[i]
            if v < lo - 1e-7 * (1 + max(abs(lo), magnitude[i])) { return false }
            if v > hi + 1e-7 * (1 + max(abs(hi), magnitude[i])) { return false }
        }
        return true
    }

    /// What offering a point as the incumbent did.
    enum Offer { case accepted, notBetter, infeasible }

    /// Offers `x` with its integer columns rounded by `rule` (`nil`: as it is, for a point
    /// integral within the tolerance whose rounding is infeasible).
    @discardableResult
    mutating func offerIncumbent(_ x: [Double], rule: FloatingPointRoundingRule? = .toNearestOrAwayFromZero) -> Offer {
        var point = x
        if let rule {
            for j in lp.integerColumns { point[j] = (point[j] + (rule == .up ? -1e-9 : rule == .down ? 1e-9 : 0)).rounded(rule) }
        }
        guard isFeasible(point) else { return .infeasible }
        var objective = root.objectiveConstant
        for j in 0..<lp.columnCount { objective += root.objective[j] * point[j] }
        guard objective < incumbent - 1e-12 * max(1, abs(objective)) else { return .notBetter }
        incumbent = objective
        incumbentPoint = point
        return .accepted
    }

    /// A node whose LP point is integral: its integer columns rounded make the incumbent
    /// candidate; if the rounding breaks a row (large coefficients turn 1e-9 into a
    /// violation), the continuous columns are re-solved with the integers fixed, and failing
    /// that the point is offered unrounded. A node is never dropped silently: when none of
    /// these is feasible it counts as failed (and the search cannot end `optimal`).
    mutating func acceptIntegralNode(_ x: [Double], bounds: [(column: Int32, lower: Double, upper: Double)],
                                     basis: BasisSnapshot) throws -> Bool {
        switch offerIncumbent(x) {
        case .accepted: return true
        case .notBetter: return false
        case .infeasible: break
        }
        var fixed = bounds
        for j in lp.integerColumns { fixed.append((Int32(j), x[j].rounded(), x[j].rounded())) }
        if case .optimal(_, let polished, _, _) = try solveNode(bounds: fixed, basis: basis) {
            switch offerIncumbent(polished) {
            case .accepted: return true
            case .notBetter: return false
            case .infeasible: break
            }
        }
        switch offerIncumbent(x, rule: nil) {
        case .accepted: return true
        case .notBetter: return false
        case .infeasible:
            failedNodes += 1
            return false
        }
    }

    /// Simple rounding: the integer columns to the nearest integer, then all up, then all
    /// down (fixed-charge models round up), the continuous ones kept.
    mutating func tryRounding(_ x: [Double]) -> Bool {
        guard settings.rounding else { return false }
        var improved = false
        for rule in [FloatingPointRoundingRule.toNearestOrAwayFromZero, .up, .down] where offerIncumbent(x, rule: rule) == .accepted {
            improved = true
        }
        return improved
    }

    func pseudocost(_ j: Int, up: Bool) -> Double {
        let side = up ? 1 : 0
        if pseudocostCount[j][side] > 0 { return pseudocostSum[j][side] / Double(pseudocostCount[j][side]) }
        var total = 0.0, count = 0
        for k in lp.integerColumns where pseudocostCount[k][side] > 0 {
            total += pseudocostSum[k][side] / Double(pseudocostCount[k][side])
            count += 1
        }
        return count > 0 ? total / Double(count) : 1
    }

    /// The pseudocost product score of branching on a candidate: max(down gain, 1e-6) ·
    /// max(up gain, 1e-6), the gains estimated from the pseudocosts.
    func pseudocostScore(_ candidate: (column: Int, fraction: Double)) -> Double {
        let down = max(pseudocost(candidate.column, up: false) * candidate.fraction, 1e-6)
        let up = max(pseudocost(candidate.column, up: true) * (1 - candidate.fraction), 1e-6)
        return down * up
    }

    /// Whether both of a column's pseudocosts rest on at least `reliability` observations.
    func isReliable(_ j: Int) -> Bool {
        min(pseudocostCount[j][0], pseudocostCount[j][1]) >= settings.reliability
    }

    /// Reliability branching (Achterberg, Koch & Martin 2005): the candidates are ranked by
    /// their pseudocost score; those whose pseudocosts are not yet reliable are probed by
    /// strong branching (both children's LPs from this node's basis, at most
    /// `strongBranchingPivots` pivots each), best-ranked first, at most
    /// `strongBranchingCandidates` of them, stopping after `strongBranchingLookahead` probes
    /// in a row that do not beat the best score. A probe's gains replace the estimate in the
    /// score and, when its LP reached an optimum, enter the pseudocosts. A candidate with a
    /// child whose LP is infeasible or cut off is chosen at once (that child is pruned as
    /// soon as it is solved). The probes stop while their pivots exceed half the nodes'
    /// plus a start-up allowance, and at any limit or interrupt; the pseudocost choice is
    /// then made from what is known. Branching choices only order the search: every child
    /// is still solved exactly, so no probe can make an answer wrong.
    mutating func chooseBranch(_ fractional: [(column: Int, fraction: Double)], x: [Double],
                               bounds: [(column: Int32, lower: Double, upper: Double)], basis: BasisSnapshot,
                               lpObjective: Double) throws -> (column: Int, fraction: Double) {
        // With no objective every gain is 0: probes cannot rank anything.
        guard settings.branching == .reliability, !fractional.isEmpty, flatProbes < 200, root.objective.contains(where: { $0 != 0 }) else {
            return chooseBranch(fractional)
        }
        // The engine holds this node's basis and factor (it was the last LP solved): a copy
        // (copy-on-write arrays) lets every probe, and afterwards the child solved next,
        // start from that factor instead of refactorizing.
        let parent: SimplexEngine? = basis === lastSnapshot ? engine : nil
        defer {
            if let parent {
                engine = parent
                lastSnapshot = basis
            }
        }
        let ranked = fractional.map { ($0, pseudocostScore($0)) }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0.column < $1.0.column) }
        var best = ranked[0].0, bestScore = -1.0
        // The best reliable candidate sets the score to beat.
        if let reliable = ranked.first(where: { isReliable($0.0.column) }) { (best, bestScore) = reliable }
        var probed = 0, sinceImprovement = 0
        for (candidate, _) in ranked where !isReliable(candidate.column) {
            let nodePivots = totalPivots - strongBranchPivots
            guard probed < settings.strongBranchingCandidates, sinceImprovement < settings.strongBranchingLookahead,
                  strongBranchPivots <= nodePivots / 2 + settings.strongBranchingAllowance
            else { break }
            if control.checkInterrupt() != nil { break }
            probed += 1
            let j = candidate.column, value = x[j]
            var gains = [0.0, 0.0]
            var decided = false
            for (side, change) in [(0, (Int32(j), -Double.infinity, value.rounded(.down))), (1, (Int32(j), value.rounded(.up), Double.infinity))] {
                if let parent {
                    engine = parent
                    lastSnapshot = basis
                }
                let before = totalPivots
                let outcome = try solveNode(bounds: bounds + [change], basis: basis, pivotLimit: settings.strongBranchingPivots)
                strongBranchPivots += totalPivots - before
                let distance = side == 0 ? candidate.fraction : 1 - candidate.fraction
                switch outcome {
                case .optimal(let objective, _, _, _):
                    if effectiveBound(objective) >= cutoff { decided = true }
                    gains[side] = max(objective - lpObjective, 0)
                    pseudocostSum[j][side] += gains[side] / max(distance, 1e-9)
                    pseudocostCount[j][side] += 1
                case .infeasible:
                    decided = true
                case .limited(let objective):
                    gains[side] = max(objective - lpObjective, 0)
                case .unbounded, .failed, .stopped:
                    gains[side] = pseudocost(j, up: side == 1) * distance
                }
                if decided { break }
            }
            if decided { return candidate }
            let flat = 1e-9 * max(1, abs(lpObjective))
            flatProbes = gains[0] <= flat && gains[1] <= flat ? flatProbes + 1 : 0
            let score = max(gains[0], 1e-6) * max(gains[1], 1e-6)
            if score > bestScore {
                (best, bestScore) = (candidate, score)
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
            }
        }
        return best
    }

    func chooseBranch(_ fractional: [(column: Int, fraction: Double)]) -> (column: Int, fraction: Double) {
        switch settings.branching {
        case .mostFractional:
            return fractional.max { abs($0.fraction - 0.5) > abs($1.fraction - 0.5) } ?? fractional[0]
        case .pseudocost, .reliability:
            var best = fractional[0], bestScore = -1.0
            for candidate in fractional {
                let score = pseudocostScore(candidate)
                if score > bestScore { bestScore = score; best = candidate }
            }
            return best
        }
    }

    mutating func record(openNodes: Int, bestBound: Double?, force: Bool) -> TerminationStatus? {
        guard force || nodes - lastRecordedIteration >= settings.recordNodes else { return nil }
        let iteration = max(nodes, lastRecordedIteration + 1)
        lastRecordedIteration = iteration
        let incumbentValue = incumbent.isFinite ? sense * incumbent : nil
        let bound = bestBound.map { sense * $0 }
        return control.record(MILPDetails.historyRecord(iteration: iteration, incumbent: incumbentValue, bestBound: bound,
                                                        nodes: nodes, openNodes: openNodes),
                              iterationLimit: .max)
    }

    /// RENS (Berthold 2014, "RENS: the optimal rounding"): a sub-MIP of the root relaxation
    /// (its cuts included) in which every integer column the root LP left integral is fixed
    /// there and every fractional one is limited to its floor and ceiling, searched by this
    /// same branch-and-bound with a node limit (`rens_nodes`), no cut rounds and no RENS of
    /// its own. Skipped when fewer than half the integer columns are integral (the sub-MIP
    /// would be the problem itself) or when the incumbent already meets the root bound. Its
    /// incumbent is offered to this search, which checks it against the original rows.
    /// Why: on 10teams every dive ends infeasible and the search found no point within the
    /// time limit, while the root LP has most of the 1 800 binaries at 0 or 1.
    mutating func rens(rootX: [Double], rootObjective: Double) throws {
        guard incumbent > rootObjective, !lp.integerColumns.isEmpty, settings.rensNodes > 0 else { return }
        var lower = rootLower, upper = rootUpper
        var fixed = 0
        for j in lp.integerColumns {
            let (lo, hi) = integerBounds(j, rootLower[j], rootUpper[j])
            let nearest = rootX[j].rounded()
            if abs(rootX[j] - nearest) <= settings.integralityTolerance {
                lower[j] = nearest
                upper[j] = nearest
                fixed += 1
            } else {
                lower[j] = max(lo, rootX[j].rounded(.down))
                upper[j] = min(hi, rootX[j].rounded(.up))
            }
        }
        guard 2 * fixed >= lp.integerColumns.count, fixed < lp.integerColumns.count else { return }
        if try searchSubMIP(lower: lower, upper: upper) { rensImproved = true }
    }

    /// The root-face search: a sub-MIP whose cutoff admits only points at the root bound
    /// (half a grid step above it, or 1e-6 relative without a grid), with each integer
    /// column that is nonbasic at a bound held within the distance its reduced cost allows
    /// there (the reduced-cost tightening of the nodes, with the root bound as the incumbent).
    /// A point it finds is optimal. Why: 10teams' root bound after the cuts is the optimum
    /// 924, but the dives, RENS and RINS find nothing better than 930 in 60 s, and the tree
    /// wanders a plateau of nodes at 924; with 660 of its 1 800 binaries fixed this search
    /// finds 924 in about 750 nodes.
    mutating func rootFaceSearch(rootX: [Double], rootD: [Double], rootLPObjective: Double, rootObjective: Double) throws {
        let slack = objectiveGranularity.map { 0.5 * $0 } ?? 1e-6 * max(1, abs(rootObjective))
        let target = rootObjective + slack
        guard incumbent > target, !lp.integerColumns.isEmpty, settings.rensNodes > 0 else { return }
        let room = target - rootLPObjective
        var lower = rootLower, upper = rootUpper
        for j in lp.integerColumns {
            let (lo, hi) = integerBounds(j, rootLower[j], rootUpper[j])
            (lower[j], upper[j]) = (lo, hi)
            let dj = rootD[j]
            if rootX[j] == lo && dj > 1e-9 {
                upper[j] = min(hi, lo + (room / dj + 1e-9).rounded(.down))
            } else if rootX[j] == hi && dj < -1e-9 {
                lower[j] = max(lo, hi - (room / -dj + 1e-9).rounded(.down))
            }
        }
        let before = subMIPNodes
        faceSearchFound = try searchSubMIP(lower: lower, upper: upper, cutoffValue: target)
        faceSearchNodes = subMIPNodes - before
    }

    /// RINS (Danna, Rothberg & Le Pape 2005): a sub-MIP with every integer column fixed where
    /// a node's LP point and the incumbent agree, the rest free within the node's root
    /// bounds. Run at nodes 200, 400, 800, … while an incumbent exists and at least half the
    /// integer columns agree. Why: 10teams' root bound is the optimum 924 after the cuts,
    /// but the dives stop at 930 and the tree alone did not find 924 in 10 000 nodes.
    mutating func rins(nodeX: [Double]) throws {
        guard let point = incumbentPoint, settings.rensNodes > 0 else { return }
        var lower = rootLower, upper = rootUpper
        var fixed = 0
        for j in lp.integerColumns where abs(nodeX[j] - point[j]) <= settings.integralityTolerance {
            lower[j] = point[j]
            upper[j] = point[j]
            fixed += 1
        }
        guard 2 * fixed >= lp.integerColumns.count, fixed < lp.integerColumns.count else { return }
        rinsRuns += 1
        if try searchSubMIP(lower: lower, upper: upper) { rinsImproved += 1 }
    }

    /// Searches the sub-MIP of the root relaxation (cuts included) with the given column
    /// bounds by this branch-and-bound with `rens_nodes` nodes, no cut rounds and no
    /// sub-MIPs of its own, in at most a fifth of the time left (it is a heuristic); offers
    /// its incumbent to this search, which checks it against the original rows. A
    /// `cutoffValue` below the incumbent prunes the sub-MIP's nodes as an incumbent of that
    /// value would (the sub-MIP then has no point until it finds one). Returns whether the
    /// incumbent improved.
    mutating func searchSubMIP(lower: [Double], upper: [Double], cutoffValue: Double? = nil) throws -> Bool {
        var subSettings = settings
        subSettings.faceSearch = false
        subSettings.rens = false
        subSettings.rins = false
        subSettings.cutRounds = 0
        var options = SolveOptions(historyStorage: .off)
        options.maxIterations = settings.rensNodes
        let remaining = control.secondsRemaining
        if remaining.isFinite { options.timeLimit = max(remaining / 5, 1e-3) }
        var sub = BranchAndBoundSearch(lp: lp, settings: subSettings,
                                       control: IterationControl(options: options, cancellation: control.cancellationFlag))
        sub.root = root
        sub.root.columnLower = lower
        sub.root.columnUpper = upper
        sub.rootLower = lower
        sub.rootUpper = upper
        sub.engine = SimplexEngine(sub.root, constant: sub.root.objectiveConstant, sense: sense)
        sub.incumbent = min(incumbent, cutoffValue ?? incumbent)
        _ = try sub.run()
        subMIPNodes += sub.nodes
        guard let point = sub.incumbentPoint, sub.incumbent < incumbent else { return false }
        if case .accepted = offerIncumbent(point) { return true }
        return false
    }

    /// The fractional diving heuristic: from the root LP, fix the least fractional integer
    /// column to its nearest integer and re-solve (warm), until integral, or 2·(integer
    /// columns) steps; an infeasible or cut-off fix is tried once the other way round.
    /// `upward`: instead, the column with the largest fractional part is fixed up (the
    /// rounding that set-partitioning rows such as 10teams' need: a 1 fixes its row).
    mutating func dive(from rootX: [Double], basis: BasisSnapshot, upward: Bool = false) throws {
        var bounds: [(column: Int32, lower: Double, upper: Double)] = []
        var x = rootX, current = basis
        for _ in 0..<(2 * lp.integerColumns.count + 1) {
            let fractional = fractionalColumns(x)
            if fractional.isEmpty { offerIncumbent(x); return }
            _ = tryRounding(x)
            let choice = upward ? fractional.max(by: { $0.fraction < $1.fraction || ($0.fraction == $1.fraction && $0.column > $1.column) })
                : fractional.min(by: { min($0.fraction, 1 - $0.fraction) < min($1.fraction, 1 - $1.fraction) })
            guard let pick = choice else { return }
            let nearest = upward ? x[pick.column].rounded(.up) : x[pick.column].rounded()
            let other = upward ? nearest - 1 : pick.fraction < 0.5 ? nearest + 1 : nearest - 1
            var advanced = false
            for target in [nearest, other] {
                let trial = bounds + [(Int32(pick.column), target, target)]
                if control.checkInterrupt() != nil { return }
                if case .optimal(let objective, let next, _, let snapshot) = try solveNode(bounds: trial, basis: current),
                   effectiveBound(objective) < cutoff {
                    bounds = trial
                    x = next
                    current = snapshot
                    advanced = true
                    break
                }
            }
            if !advanced { return }
        }
    }

    mutating func run() throws -> SolveResult {
        var notes: [String] = []
        if let stop = control.checkInterrupt() { return finish(stop, raw: "stopped before the search", bestBound: nil, notes: notes) }
        let rootLP = try solveNode(bounds: [], basis: nil)
        var rootObjective: Double, rootX: [Double], rootD: [Double], rootBasis: BasisSnapshot
        var rootLPObjective = 0.0
        switch rootLP {
        case .optimal(let objective, let x, let d, let basis):
            (rootObjective, rootX, rootD, rootBasis) = (effectiveBound(objective), x, d, basis)
            rootLPObjective = objective
        case .infeasible(let farkas):
            var result = finish(.infeasible, raw: "the LP relaxation is infeasible", bestBound: nil, notes: notes)
            if let farkas { result.certificate = Certificate(kind: .farkas, vector: farkas) }
            return result
        case .unbounded(let ray):
            return try relaxationUnbounded(ray: ray, notes: notes)
        case .stopped(let status):
            return finish(status, raw: "stopped in the root LP", bestBound: nil, notes: notes)
        case .failed(let reason):
            return finish(.numericalError, raw: "the root LP failed: \(reason)", bestBound: nil, notes: notes)
        case .limited:
            return finish(.numericalError, raw: "the root LP stopped at a pivot limit", bestBound: nil, notes: notes)
        }
        if settings.cutRounds > 0 && !fractionalColumns(rootX).isEmpty {
            switch try cutRoundsAtRoot(objective: rootLPObjective, basis: rootBasis) {
            case .strengthened(let objective, let x, let d, let basis):
                (rootLPObjective, rootX, rootD, rootBasis) = (objective, x, d, basis)
                rootObjective = effectiveBound(objective)
                rootBasis = dropInactiveCuts(basis)
            case .unchanged: break
            case .infeasible:
                return finish(.infeasible, raw: "the root LP with its cuts is infeasible: no integer point", bestBound: nil, notes: notes)
            case .failed:
                // Cut rows whose LP failed are no proof of anything: search without them.
                root = RowBoundLP(minimizing: lp)
                engine = SimplexEngine(root, constant: root.objectiveConstant, sense: sense)
                lastSnapshot = nil
                cutsAdded = 0
                coverCutsAdded = 0
                mirCutsAdded = 0
            }
        }
        if cutsAdded > 0 {
            let gomory = cutsAdded - coverCutsAdded - mirCutsAdded
            var families = ["\(gomory) Gomory mixed-integer"]
            if coverCutsAdded > 0 { families.append("\(coverCutsAdded) knapsack cover") }
            if mirCutsAdded > 0 { families.append("\(mirCutsAdded) complemented MIR") }
            notes.append("\(families.joined(separator: ", ")) cuts at the root, \(root.rowCount - lp.rowCount) of them binding there and kept for the nodes")
        }
        nodes = 1
        if fractionalColumns(rootX).isEmpty {
            offerIncumbent(rootX)
        } else {
            _ = tryRounding(rootX)
            if settings.diving {
                try dive(from: rootX, basis: rootBasis)
                if !incumbent.isFinite { try dive(from: rootX, basis: rootBasis, upward: true) }
            }
            if settings.faceSearch {
                try rootFaceSearch(rootX: rootX, rootD: rootD, rootLPObjective: rootLPObjective, rootObjective: rootObjective)
                if faceSearchNodes > 0 {
                    notes.append("root-face search: \(faceSearchNodes) sub-MIP nodes, \(faceSearchFound ? "an incumbent at the root bound" : "no point at the root bound")")
                }
            }
            if settings.rens {
                let before = subMIPNodes
                try rens(rootX: rootX, rootObjective: rootObjective)
                if subMIPNodes > before {
                    notes.append("RENS at the root: \(subMIPNodes - before) sub-MIP nodes, \(rensImproved ? "a better incumbent" : "no better incumbent")")
                }
            }
        }
        // Hybrid: every solved node dives on into its preferred child, and the nodes taken
        // from the queue come by best bound from the start. (Taking them depth-first until
        // the first incumbent, as before 2026-12-08, cost misc07 66 000 nodes against
        // 56 600; the set's shifted geomean moved by under 2%.)
        var queue = NodeQueue(depthFirst: settings.nodeSelection == .depthFirst)
        var current: SearchNode? = nil
        // The root's children are made by the same code as everyone's: treat the root as a
        // solved node and branch it below.
        var solved: (node: SearchNode, objective: Double, lpObjective: Double, x: [Double], d: [Double], basis: BasisSnapshot)? =
            (SearchNode(bounds: [], basis: nil, bound: rootObjective, lpBound: rootLPObjective, depth: 0, branchedColumn: -1,
                        branchedUp: false, fractionalDistance: 0), rootObjective, rootLPObjective, rootX, rootD, rootBasis)
        _ = record(openNodes: 0, bestBound: rootObjective, force: true)

        while true {
            if let done = solved {
                solved = nil
                let fractional = fractionalColumns(done.x)
                if fractional.isEmpty {
                    if try acceptIntegralNode(done.x, bounds: done.node.bounds, basis: done.basis) {
                        prunedBound = min(prunedBound, queue.prune(above: cutoff))
                        if let stop = record(openNodes: queue.count, bestBound: min(queue.bestBound ?? incumbent, incumbent), force: true) {
                            return finish(stop, raw: "stopped by iteration control", bestBound: queue.bestBound, notes: notes)
                        }
                    }
                } else if done.objective >= cutoff {
                    prunedBound = min(prunedBound, done.objective)
                } else {
                    if tryRounding(done.x) {
                        prunedBound = min(prunedBound, queue.prune(above: cutoff))
                    }
                    var childBounds = done.node.bounds
                    if settings.reducedCostTightening && incumbent.isFinite {
                        let room = incumbent - done.lpObjective
                        // Nonbasic columns have a nonzero reduced cost (basic ones exactly 0).
                        for j in lp.integerColumns where done.d[j] != 0 {
                            let (lo, hi) = nodeBounds(j, done.node.bounds)
                            guard lo < hi else { continue }
                            let dj = done.d[j]
                            if done.x[j] == lo && dj > 1e-9 && hi > lo + (room / dj + 1e-9).rounded(.down) {
                                childBounds.append((Int32(j), lo, lo + (room / dj + 1e-9).rounded(.down)))
                            } else if done.x[j] == hi && dj < -1e-9 && lo < hi - (room / -dj + 1e-9).rounded(.down) {
                                childBounds.append((Int32(j), hi - (room / -dj + 1e-9).rounded(.down), hi))
                            }
                        }
                    }
                    let branch = try chooseBranch(fractional, x: done.x, bounds: childBounds, basis: done.basis,
                                                  lpObjective: done.lpObjective)
                    let value = done.x[branch.column]
                    var down = SearchNode(bounds: childBounds + [(Int32(branch.column), -.infinity, value.rounded(.down))],
                                          basis: done.basis, bound: done.objective, lpBound: done.lpObjective, depth: done.node.depth + 1,
                                          branchedColumn: branch.column, branchedUp: false, fractionalDistance: branch.fraction)
                    var up = down
                    up.bounds[up.bounds.count - 1] = (Int32(branch.column), value.rounded(.up), .infinity)
                    up.branchedUp = true
                    up.fractionalDistance = 1 - branch.fraction
                    down.bound = done.objective
                    let preferUp = branch.fraction >= 0.5
                    switch settings.nodeSelection {
                    case .bestBound:
                        queue.push(down)
                        queue.push(up)
                    case .hybrid, .depthFirst:
                        queue.push(preferUp ? down : up)
                        current = preferUp ? up : down
                    }
                }
            }
            // Next node: the dive's child, else the best (or deepest) open one.
            if current == nil {
                current = queue.popNext()
            }
            guard let node = current else { break }
            current = nil
            if node.bound >= cutoff { prunedBound = min(prunedBound, node.bound); continue }
            if let stop = control.checkInterrupt() {
                queue.push(node)
                return finish(stop, raw: "stopped by iteration control", bestBound: queue.bestBound, notes: notes)
            }
            if let limit = control.maxIterations, nodes >= limit {
                queue.push(node)
                return finish(.iterationLimit, raw: "node limit \(limit) reached", bestBound: queue.bestBound, notes: notes)
            }
            nodes += 1
            var outcome = try solveNode(bounds: node.bounds, basis: node.basis)
            if case .failed = outcome { outcome = try solveNode(bounds: node.bounds, basis: nil) }
            if case .limited = outcome { outcome = .failed("a node LP stopped at a probe's pivot limit") }
            switch outcome {
            case .optimal(let lpObjective, let x, let d, let basis):
                let objective = effectiveBound(lpObjective)
                if node.branchedColumn >= 0 {
                    let side = node.branchedUp ? 1 : 0
                    let gain = max(lpObjective - node.lpBound, 0) / max(node.fractionalDistance, 1e-9)
                    pseudocostSum[node.branchedColumn][side] += gain
                    pseudocostCount[node.branchedColumn][side] += 1
                }
                var solvedNode = node
                solvedNode.bound = objective
                solved = (solvedNode, objective, lpObjective, x, d, basis)
                if settings.rins && nodes >= nextRINS && incumbent.isFinite && objective < cutoff {
                    nextRINS *= 2
                    try rins(nodeX: x)
                }
            case .infeasible, .unbounded:
                // A child of a bounded relaxation cannot be unbounded; either way it holds
                // no better integer point.
                break
            case .stopped(let status):
                queue.push(node)
                return finish(status, raw: "stopped by iteration control", bestBound: queue.bestBound, notes: notes)
            case .limited:
                // Converted to `.failed` above; never reached.
                failedNodes += 1
            case .failed(let reason):
                failedNodes += 1
                if failedNodes == 1 { notes.append("a node LP failed twice (\(reason)); its subtree was dropped") }
            }
            let open = queue.count + (solved == nil ? 0 : 1)
            let bound = [queue.bestBound, solved?.objective].compactMap { $0 }.min()
            if let stop = record(openNodes: open, bestBound: bound.map { min($0, incumbent) }, force: false) {
                if let pending = solved { queue.push(pending.node) }
                return finish(stop, raw: "stopped by iteration control", bestBound: queue.bestBound, notes: notes)
            }
        }
        if failedNodes > 0 {
            return finish(.numericalError, raw: "\(failedNodes) node(s) failed (an LP that failed twice, or an integral LP point no rounding made feasible): the search is incomplete",
                          bestBound: nil, notes: notes)
        }
        if incumbent.isFinite {
            let proven = min(prunedBound, incumbent)
            _ = record(openNodes: 0, bestBound: proven, force: true)
            return finish(.optimal, raw: "search complete: every open node pruned", bestBound: proven, notes: notes)
        }
        return finish(.infeasible, raw: "search complete: no integer feasible point", bestBound: nil, notes: notes)
    }

    /// Rounds of root cuts (knapsack covers, complemented MIR cuts of the problem's rows,
    /// Gomory mixed-integer cuts of the current optimal tableau): each round adds them as rows and re-solves from the same basis with the new
    /// slacks basic (the dual simplex then removes the cuts' violations). Stops when a
    /// round gives no cut, after `cutStallRounds` rounds in a row that raise the bound by
    /// less than `cutStall` (1e-4) relative, after
    /// `cutRounds` rounds, or at 4·(rows) cuts. Returns the strengthened root, or nil when
    /// the cut LP is infeasible (only possible if no integer point exists) or failed.
    enum CutOutcome {
        case strengthened(objective: Double, x: [Double], d: [Double], basis: BasisSnapshot)
        case unchanged
        case infeasible
        case failed
    }

    mutating func cutRoundsAtRoot(objective: Double, basis: BasisSnapshot) throws -> CutOutcome {
        var outcome = CutOutcome.unchanged
        var bound = objective, start = basis
        var stalled = 0
        let budget = 4 * max(lp.rowCount, 10)
        let rowwise = lp.constraints.transposed()
        let mir = mirSeparator()
        for _ in 0..<settings.cutRounds where cutsAdded < budget {
            if control.checkInterrupt() != nil { break }
            // Per round: covers up to half the room, c-MIR cuts up to half of the rest, and at
            // most 20 Gomory cuts (dense rows that slow every node LP; with more, vpm2's and
            // modglob's searches ran slower, measured in docs/benchmarks-milp.md).
            let room = min(100, budget - cutsAdded)
            let x = Array(engine.value[0..<lp.columnCount])
            let covers = coverCuts(at: x, rows: rowwise, limit: room / 2)
            let mirs = mir.cuts(at: x, limit: (room - covers.count) / 2)
            let cuts = covers + mirs + engine.gomoryCuts(isInteger: isInteger, limit: min(settings.gomoryCutsPerRound, room - covers.count - mirs.count))
            if cuts.isEmpty { break }
            coverCutsAdded += covers.count
            mirCutsAdded += mirs.count
            start = appendRows(cuts, basis: start)
            cutsAdded += cuts.count
            switch try solveNode(bounds: [], basis: start) {
            case .optimal(let value, let x, let d, let snapshot):
                let gain = value - bound
                outcome = .strengthened(objective: value, x: x, d: d, basis: snapshot)
                bound = value
                start = snapshot
                if fractionalColumns(x).isEmpty { return outcome }
                if gain <= settings.cutStall * max(1, abs(value)) {
                    stalled += 1
                    if stalled >= settings.cutStallRounds { return outcome }
                } else {
                    stalled = 0
                }
            case .infeasible:
                return .infeasible
            default:
                return .failed
            }
        }
        return outcome
    }

    /// Removes the cut rows whose slack is basic in `basis`, the root's optimal basis: they
    /// do not bind there (their multipliers are 0), so the root LP keeps its optimum and its
    /// basis (less those rows and slacks), and every node LP is smaller. Dropping rows only
    /// relaxes the problem, so no integer point is lost. Returns the basis renumbered.
    mutating func dropInactiveCuts(_ basis: BasisSnapshot) -> BasisSnapshot {
        let n = lp.columnCount, m = root.rowCount
        var isBasic = Array(repeating: false, count: n + m)
        for j in basis.basis { isBasic[Int(j)] = true }
        var newIndex = Array(repeating: -1, count: m)
        var keptRows: [Int] = []
        for i in 0..<m where i < lp.rowCount || !isBasic[n + i] {
            newIndex[i] = keptRows.count
            keptRows.append(i)
        }
        guard keptRows.count < m else { return basis }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for j in 0..<n {
            root.matrix.forEachEntry(inColumn: j) { i, v in
                if newIndex[i] >= 0 { triplets.append((newIndex[i], j, v)) }
            }
        }
        // The indices come from the matrix itself: always in range.
        guard let matrix = try? SparseMatrix(rowCount: keptRows.count, columnCount: n, triplets: triplets) else { return basis }
        root = RowBoundLP(objective: root.objective, objectiveConstant: root.objectiveConstant, matrix: matrix,
                          rowLower: keptRows.map { root.rowLower[$0] }, rowUpper: keptRows.map { root.rowUpper[$0] },
                          columnLower: root.columnLower, columnUpper: root.columnUpper)
        engine = SimplexEngine(root, constant: root.objectiveConstant, sense: sense)
        lastSnapshot = nil
        // A structural keeps its index; a kept row's slack moves with its row; a dropped
        // row's slack (basic) leaves with it, so the basis stays square.
        func renumbered(_ j: Int32) -> Int32? {
            if Int(j) < n { return j }
            let i = newIndex[Int(j) - n]
            return i >= 0 ? Int32(n + i) : nil
        }
        return BasisSnapshot(basis: basis.basis.compactMap(renumbered), atUpper: basis.atUpper.compactMap(renumbered))
    }

    /// The c-MIR separator of the problem's rows, with the root's bounds (integer ones
    /// rounded inward).
    func mirSeparator() -> MIRSeparator {
        var lower = rootLower, upper = rootUpper
        for j in 0..<lp.columnCount { (lower[j], upper[j]) = integerBounds(j, rootLower[j], rootUpper[j]) }
        return MIRSeparator(constraints: lp.constraints.droppingZeros(), rowLower: lp.rowLower, rowUpper: lp.rowUpper,
                            lower: lower, upper: upper, isInteger: isInteger)
    }

    /// Adds cut rows Σ c·x ≥ lower to the relaxation and returns `basis` extended with their
    /// slacks basic.
    mutating func appendRows(_ cuts: [LinearCut], basis: BasisSnapshot) -> BasisSnapshot {
        let oldRows = root.rowCount, n = lp.columnCount
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(root.matrix.nonzeroCount + cuts.reduce(0) { $0 + $1.columns.count })
        for j in 0..<n { root.matrix.forEachEntry(inColumn: j) { i, v in triplets.append((i, j, v)) } }
        for (k, cut) in cuts.enumerated() {
            for (j, c) in zip(cut.columns, cut.coefficients) { triplets.append((oldRows + k, j, c)) }
        }
        // The indices come from the matrix and the cuts' own columns: always in range.
        guard let matrix = try? SparseMatrix(rowCount: oldRows + cuts.count, columnCount: n, triplets: triplets) else { return basis }
        root = RowBoundLP(objective: root.objective, objectiveConstant: root.objectiveConstant, matrix: matrix,
                          rowLower: root.rowLower + cuts.map(\.lower), rowUpper: root.rowUpper + cuts.map { _ in .infinity },
                          columnLower: root.columnLower, columnUpper: root.columnUpper)
        engine = SimplexEngine(root, constant: root.objectiveConstant, sense: sense)
        lastSnapshot = nil
        let newSlacks = (0..<cuts.count).map { Int32(n + oldRows + $0) }
        return BasisSnapshot(basis: basis.basis + newSlacks, atUpper: basis.atUpper)
    }

    /// The relaxation has a ray: the MILP is unbounded if it has an integer point (rational
    /// data), which a search with a zero objective looks for.
    mutating func relaxationUnbounded(ray: [Double]?, notes: [String]) throws -> SolveResult {
        var feasibility = BranchAndBoundSearch(lp: try MILPDetails.feasibilityProgram(of: lp), settings: settings, control: control)
        return MILPDetails.relaxationUnboundedResult(lp, ray: ray.map { Certificate(kind: .primalRay, vector: $0) },
                                                     search: try feasibility.run(), notes: notes, gapTolerance: settings.relativeGap)
    }

    /// The result in the problem's own sense, with the incumbent if there is one.
    func finish(_ status: TerminationStatus, raw: String, bestBound: Double?, notes: [String]) -> SolveResult {
        var notes = notes
        if rinsRuns > 0 { notes.append("RINS: \(rinsRuns) sub-MIPs, \(rinsImproved) of them a better incumbent") }
        let point = incumbentPoint
        let objective = point.map { lp.objectiveValue(at: $0) }
        // With open nodes left the bound is the best of theirs (never past the incumbent).
        let boundMin: Double? = {
            guard let bestBound else { return incumbent.isFinite ? min(incumbent, prunedBound) : nil }
            return min(bestBound, incumbent, prunedBound)
        }()
        let bound = boundMin.map { sense * $0 }
        var result = SolveResult(kind: .lp, status: status, rawStatus: raw, objective: objective,
                                 variableNames: lp.variableNames, primal: point ?? Array(repeating: 0, count: lp.columnCount),
                                 constraintNames: lp.constraintNames, iterations: nodes)
        let gap = MILPDetails.relativeGap(incumbent: objective, bound: bound)
        result.details = [MILPDetails(bestBound: status == .infeasible ? nil : bound, gap: gap, nodes: nodes,
                                      gapTolerance: settings.relativeGap)]
        result.notes = notes
        if strongBranchPivots > 0 {
            result.notes.append("\(strongBranchPivots) of \(totalPivots) dual simplex pivots in strong-branching probes")
        }
        if point == nil && status != .infeasible { result.notes.append("no integer feasible point found before the search stopped") }
        return result
    }
}
