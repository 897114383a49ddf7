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
enum LPDiagnosis {
    enum Verdict {
        case infeasible(farkas: [Double])
        /// A ray and, when asked for, a feasible point (phase-1's x).
        case unbounded(ray: [Double], point: [Double]?)
    }

    enum PhaseOne {
        case infeasible(farkas: [Double])
        case feasible(point: [Double])
    }

    /// The phase-1 LP alone: a Farkas vector, or a feasible point; nil if it did not solve.
    static func phaseOne(_ lp: RowBoundLP, settings: IPMSettings,
                         interrupt: @escaping () -> TerminationStatus? = { nil }) throws -> PhaseOne? {
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
        guard let (x, y) = try solve(phaseOne, settings: settings, interrupt: interrupt) else { return nil }
        let violation = x[n...].reduce(0, +)
        return violation > 1e-6 * boundScale ? .infeasible(farkas: y) : .feasible(point: Array(x[..<n]))
    }

    /// `interrupt` (the caller's time limit and cancellation) is asked inside both solves;
    /// a stop leaves the question open (nil).
    static func diagnose(_ lp: RowBoundLP, settings: IPMSettings, wantFeasiblePoint: Bool = false,
                         interrupt: @escaping () -> TerminationStatus? = { nil }) throws -> Verdict? {
        let n = lp.columnCount
        var point: [Double]?
        switch try phaseOne(lp, settings: settings, interrupt: interrupt) {
        case .infeasible(let farkas)?: return .infeasible(farkas: farkas)
        case .feasible(let x)?: if wantFeasiblePoint { point = x }
        case nil: break
        }
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
        if let (d, _) = try solve(ray, settings: settings, interrupt: interrupt) {
            let slope = Vector.dot(lp.objective, d)
            if slope < -1e-7 * max(1, Vector.normInf(lp.objective)) { return .unbounded(ray: d, point: point) }
        }
        return nil
    }

    /// Solves an auxiliary LP to optimality; nil if it does not converge.
    private static func solve(_ lp: RowBoundLP, settings: IPMSettings,
                              interrupt: @escaping () -> TerminationStatus?) throws -> ([Double], [Double])? {
        if interrupt() != nil { return nil }
        let form = IPMStandardForm(lp)
        let scaling = Equilibration(form.matrix, passes: settings.scalingPasses)
        let outcome = try InteriorPointMethod(form: scaling.apply(to: form), settings: settings).run(interrupt: interrupt) { _ in interrupt() }
        guard outcome.status == .optimal || outcome.status == .almostOptimal else { return nil }
        let x = form.rowBoundPrimal(zip(outcome.x, scaling.columnScale).map { $0 * $1 })
        let y = zip(outcome.y, scaling.rowScale).map { $0 * $1 }
        return (x, y)
    }
}
