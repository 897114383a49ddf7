import LagrangeCore
import LinearAlgebra

/// Decides infeasibility or unboundedness when the main interior-point run stalls,
/// by solving two auxiliary LPs that always have an optimum:
///
/// 1. Phase-1: min Σ(pᵢ + qᵢ) s.t. l ≤ Ax + p − q ≤ u, column bounds, p, q ≥ 0.
///    A positive optimum proves infeasibility; its row duals are a Farkas ray.
/// 2. Ray: min cᵀd s.t. Ad in the recession cone of the rows, d in the recession cone of
///    the column bounds, −1 ≤ d ≤ 1 (and Qd = 0 for a QP). For a feasible problem, a
///    negative optimum proves unboundedness and d is the ray.
///
/// Both run under the caller's `interrupt` (its time limit and cancellation: there is no
/// default, so no caller can forget it), asked before each LP, inside each factorization
/// and after each iteration; a stop ends the diagnosis with ``Verdict/stopped(_:)``, the
/// status the caller must then report.
enum LPDiagnosis {
    enum Verdict: Equatable {
        case infeasible(farkas: [Double])
        /// A ray and, when asked for, a feasible point (phase-1's x).
        case unbounded(ray: [Double], point: [Double]?)
        /// The caller's time limit or cancellation stopped an auxiliary LP.
        case stopped(TerminationStatus)
    }

    enum PhaseOne: Equatable {
        case infeasible(farkas: [Double])
        case feasible(point: [Double])
        case stopped(TerminationStatus)
    }

    /// How an auxiliary LP ended.
    private enum Auxiliary {
        case solved(x: [Double], y: [Double])
        case stopped(TerminationStatus)
        case unsolved
    }

    /// The phase-1 LP alone: a Farkas vector, or a feasible point; nil if it did not solve.
    static func phaseOne(_ lp: RowBoundLP, settings: IPMSettings,
                         interrupt: @escaping () -> TerminationStatus?) throws -> PhaseOne? {
        if let stop = interrupt() { return .stopped(stop) }
        let m = lp.rowCount, n = lp.columnCount
        let identity = (try? SparseMatrix(rowCount: m, columnCount: m, triplets: (0..<m).map { ($0, $0, 1.0) })) ?? .zeros(rows: m, columns: m)
        let negative = identity.scaled(rows: Array(repeating: 1, count: m), columns: Array(repeating: -1, count: m))
        let phaseOne = RowBoundLP(
            objective: Array(repeating: 0, count: n) + Array(repeating: 1, count: 2 * m), objectiveConstant: 0,
            matrix: lp.matrix.appendingColumns(identity).appendingColumns(negative),
            rowLower: lp.rowLower, rowUpper: lp.rowUpper,
            columnLower: lp.columnLower + Array(repeating: 0, count: 2 * m),
            columnUpper: lp.columnUpper + Array(repeating: .infinity, count: 2 * m))
        var boundScale = 1.0
        for v in lp.rowLower + lp.rowUpper + lp.columnLower + lp.columnUpper where v.isFinite { boundScale = max(boundScale, abs(v)) }
        let x: [Double], y: [Double]
        switch try solve(phaseOne, settings: settings, interrupt: interrupt) {
        case .solved(let px, let py): (x, y) = (px, py)
        case .stopped(let stop): return .stopped(stop)
        case .unsolved: return nil
        }
        let violation = x[n...].reduce(0, +)
        return violation > 1e-6 * boundScale ? .infeasible(farkas: y) : .feasible(point: Array(x[..<n]))
    }

    /// Phase 1, then the ray LP; nil when neither settles the question.
    static func diagnose(_ lp: RowBoundLP, settings: IPMSettings, wantFeasiblePoint: Bool = false,
                         interrupt: @escaping () -> TerminationStatus?) throws -> Verdict? {
        let n = lp.columnCount
        var point: [Double]?
        switch try phaseOne(lp, settings: settings, interrupt: interrupt) {
        case .infeasible(let farkas)?: return .infeasible(farkas: farkas)
        case .feasible(let x)?: if wantFeasiblePoint { point = x }
        case .stopped(let stop)?: return .stopped(stop)
        case nil: break
        }
        if let stop = interrupt() { return .stopped(stop) }
        // Ray LP.
        // A convex QP is unbounded exactly along feasible directions with Qd = 0, cᵀd < 0.
        var rayMatrix = lp.matrix
        var rayLower = lp.rowLower.map { $0.isFinite ? 0 : -Double.infinity }
        var rayUpper = lp.rowUpper.map { $0.isFinite ? 0 : Double.infinity }
        if let q = lp.quadratic, q.nonzeroCount > 0 {
            rayMatrix = lp.matrix.transposed().appendingColumns(q).transposed()
            rayLower += Array(repeating: 0, count: n)
            rayUpper += Array(repeating: 0, count: n)
        }
        let ray = RowBoundLP(
            objective: lp.objective, objectiveConstant: 0, matrix: rayMatrix,
            rowLower: rayLower,
            rowUpper: rayUpper,
            columnLower: lp.columnLower.map { $0.isFinite ? 0 : -1 },
            columnUpper: lp.columnUpper.map { $0.isFinite ? 0 : 1 })
        switch try solve(ray, settings: settings, interrupt: interrupt) {
        case .solved(let d, _):
            let slope = Vector.dot(lp.objective, d)
            if slope < -1e-7 * max(1, Vector.normInf(lp.objective)) { return .unbounded(ray: d, point: point) }
        case .stopped(let stop): return .stopped(stop)
        case .unsolved: break
        }
        return nil
    }

    /// Solves an auxiliary LP to optimality (or almost).
    private static func solve(_ lp: RowBoundLP, settings: IPMSettings,
                              interrupt: @escaping () -> TerminationStatus?) throws -> Auxiliary {
        if let stop = interrupt() { return .stopped(stop) }
        let form = IPMStandardForm(lp)
        let scaling = Equilibration(form.matrix, passes: settings.scalingPasses)
        let outcome = try InteriorPointMethod(form: scaling.apply(to: form), settings: settings).run(interrupt: interrupt) { _ in interrupt() }
        if outcome.status == .timeLimit || outcome.status == .interrupted { return .stopped(outcome.status) }
        guard outcome.status == .optimal || outcome.status == .almostOptimal else { return .unsolved }
        let x = form.rowBoundPrimal(zip(outcome.x, scaling.columnScale).map { $0 * $1 })
        let y = zip(outcome.y, scaling.rowScale).map { $0 * $1 }
        return .solved(x: x, y: y)
    }
}
