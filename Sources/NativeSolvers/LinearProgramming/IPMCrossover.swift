import LagrangeCore
import LinearAlgebra

/// `native.ipm`'s crossover (option `crossover`, on by default for LPs): from the interior
/// optimum to an optimal *basic* solution, with basis statuses, through the simplex engine.
///
/// An interior point converges to the analytic centre of the optimal face, not to a vertex:
/// on a degenerate LP its x has components like 3.8e-10 where a vertex has 0, and it has
/// no basis to warm-start from or to range. The crossover guesses a basis from the
/// complementary pairs and lets `native.simplex` finish from it:
///
/// 1. Every variable (column, or row slack w = aᵢᵀx) gets the ratio distance-to-nearest-
///    bound / |its reduced cost or dual|. At a strictly complementary optimum the ratio is
///    about 1/μ for a variable that belongs in the basis and μ for one at a bound; free
///    variables rank first, fixed ones last. The m largest become basic (IPX's and
///    Mehrotra's indicator; Andersen & Ye's crossover starts from the same split), the rest
///    nonbasic at their nearer bound.
/// 2. The simplex engine starts from that basis *at the interior point* on the problem as
///    given (no presolve, so the statuses describe the user's rows and columns). Dependent
///    members of the guess are replaced by the best-ranked independent columns
///    (``SimplexEngine/repairRank``) before slacks, and stay at their interior values as
///    superbasics.
/// 3. The dual push (``SimplexEngine/dualPush(duals:control:iteration:)``) brings every basic
///    variable's interior reduced cost to zero, so the basis is dual feasible up to the
///    interior point's error; the dual simplex then removes the small primal
///    infeasibilities, and its primal clean-up pushes the superbasics to a bound or into
///    the basis at zero cost (Megiddo's primal push; ``SimplexEngine/superbasicToPush(from:)``).
///    If the dual simplex stalls or fails, the primal simplex runs from the same start.
///
/// The history continues after the interior-point iterations, each record tagged
/// `crossover: 1` (with the simplex's own `phase`). If the simplex does not reach
/// `optimal` (a limit, a numerical failure), the interior point is returned as it was,
/// without a basis, and a note says why: the crossover never costs the user the answer.
enum InteriorPointCrossover {
    /// The history tag of the crossover's records.
    static let tag = Metric("crossover", 1)

    /// The basis guessed from an interior optimum `point` (the columns' values, then the
    /// rows' activities), with row duals `y` and reduced costs `d` (any sign convention:
    /// only magnitudes are read).
    static func startingBasis(_ lp: LinearProgram, point: [Double], duals y: [Double], reducedCosts d: [Double]) -> (basis: BasisDetails, rank: [Int]) {
        let n = lp.columnCount, m = lp.rowCount
        func entry(_ k: Int) -> (value: Double, lower: Double, upper: Double, dual: Double) {
            k < n ? (point[k], lp.columnLower[k], lp.columnUpper[k], k < d.count ? d[k] : 0)
                  : (point[k], lp.rowLower[k - n], lp.rowUpper[k - n], k - n < y.count ? y[k - n] : 0)
        }
        var ratio = Array(repeating: 0.0, count: n + m)
        for k in 0..<(n + m) {
            let e = entry(k)
            if e.lower == e.upper { ratio[k] = -.infinity; continue }
            let distance = max(0, min(e.value - e.lower, e.upper - e.value))
            // Free: +∞; otherwise distance / |dual|, with 0/0 (a degenerate pair) as 1.
            ratio[k] = distance.isInfinite ? .infinity : distance == 0 && e.dual == 0 ? 1 : distance / max(abs(e.dual), .leastNormalMagnitude)
        }
        let order = (0..<(n + m)).sorted {
            if ratio[$0] != ratio[$1] { return ratio[$0] > ratio[$1] }
            let (d0, d1) = (abs(entry($0).dual), abs(entry($1).dual))
            return d0 != d1 ? d0 < d1 : $0 < $1
        }
        var basic = Array(repeating: false, count: n + m)
        for k in order.prefix(m) { basic[k] = true }
        var rank = Array(repeating: 0, count: n + m)
        for (place, k) in order.enumerated() { rank[k] = place }
        func status(_ k: Int) -> BasisStatus {
            if basic[k] { return .basic }
            let e = entry(k)
            if e.lower == e.upper { return .fixed }
            if !e.lower.isFinite && !e.upper.isFinite { return .free }
            if !e.upper.isFinite { return .atLower }
            if !e.lower.isFinite { return .atUpper }
            return e.value - e.lower <= e.upper - e.value ? .atLower : .atUpper
        }
        let basis = BasisDetails(columnStatus: (0..<n).map(status), rowStatus: (0..<m).map { status(n + $0) },
                                 columnNames: lp.variableNames, rowNames: lp.constraintNames)
        return (basis, rank)
    }

    /// The simplex run from the guessed basis, its records numbered after the interior
    /// point's `iterations` and tagged. Returns the simplex's result (with its basis) when
    /// it is `optimal`, else nil and the reason.
    static func run(_ lp: LinearProgram, interior: SolveResult, control: IterationControl) -> (SolveResult?, String) {
        guard let y = interior.duals, let d = interior.reducedCosts else {
            return (nil, "the interior point has no duals")
        }
        let point = interior.primal + lp.constraints.multiply(interior.primal)
        let (basis, rank) = startingBasis(lp, point: point, duals: y, reducedCosts: d)
        var settings = NativeSimplexSolver.SimplexSettings()
        settings.presolve = false
        // The dual push makes the guess dual feasible up to the interior point's error and
        // leaves primal infeasibilities of that order: the dual simplex's case. If it stalls
        // or fails, the primal simplex from the same start.
        var last: SolveResult?
        for method in [NativeSimplexSolver.SimplexSettings.Method.dual, .primal] {
            settings.method = method
            let pivotsSoFar = last?.iterations ?? 0
            do {
                let attempt = try control.continuing(after: interior.iterations + pivotsSoFar, tagging: [tag]) {
                    try NativeSimplexSolver(startingFrom: basis).solve(lp, settings: settings, startingBasis: basis,
                                                                       startingPoint: point, repairRank: rank,
                                                                       startingDuals: y, control: control)
                }
                last = attempt
                last?.iterations += pivotsSoFar
            } catch {
                return (nil, "the simplex failed: \(error)")
            }
            if let status = last?.status, status != .slowProgress && status != .numericalError { break }
        }
        guard let simplex = last else { return (nil, "the simplex did not run") }
        guard simplex.status == .optimal else {
            return (nil, "the simplex ended \(simplex.status.rawValue) (\(simplex.rawStatus)) after \(simplex.iterations) pivots")
        }
        guard simplex.details(as: BasisDetails.self) != nil else {
            return (nil, "the simplex reported no basis: \(simplex.notes.joined(separator: "; "))")
        }
        return (simplex, "")
    }

    /// `interior` (an optimal interior point of `lp`) replaced by the crossover's basic
    /// solution, or kept with a note when the crossover does not finish.
    static func apply(to interior: SolveResult, lp: LinearProgram, control: IterationControl) -> SolveResult {
        let (basic, reason) = run(lp, interior: interior, control: control)
        guard let basic else {
            var kept = interior
            kept.notes.append("crossover did not finish (\(reason)): the point is the interior-point solution, without a basis")
            return kept
        }
        var result = interior
        result.primal = basic.primal
        result.duals = basic.duals
        result.reducedCosts = basic.reducedCosts
        result.objective = basic.objective
        result.kkt = basic.kkt
        result.iterations = interior.iterations + basic.iterations
        result.rawStatus = "\(interior.rawStatus); crossover: optimal basis after \(basic.iterations) simplex pivots"
        result.details += basic.details
        return result
    }
}
