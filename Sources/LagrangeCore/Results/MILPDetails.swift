import Foundation

/// The mixed-integer fields of a result: how far the search got.
///
/// JSON: `best_bound` (the best bound on the optimum over the unexplored search, in the
/// problem's sense: a lower bound when minimizing), `gap` (|objective − best_bound| /
/// max(1, |objective|), GLPK's and HiGHS's relative gap; null without an incumbent) and
/// `nodes` (branch-and-bound nodes processed).
public struct MILPDetails: ResultDetails, Equatable {
    /// The best proven bound on the optimal objective, when there is one.
    public var bestBound: Double?
    /// The relative gap |incumbent − bound| / max(1, |incumbent|), when both exist.
    public var gap: Double?
    /// Branch-and-bound nodes explored.
    public var nodes: Int
    /// The relative gap the solver was asked to close (0: prove optimality); `optimal`
    /// means `gap` ≤ this (or ≤ 1e-6, the checker's floor for rounding).
    public var gapTolerance: Double

    package init(bestBound: Double?, gap: Double?, nodes: Int, gapTolerance: Double) {
        self.bestBound = bestBound
        self.gap = gap
        self.nodes = nodes
        self.gapTolerance = gapTolerance
    }

    /// The relative gap between an incumbent value and a bound.
    package static func relativeGap(incumbent: Double?, bound: Double?) -> Double? {
        guard let incumbent, let bound, incumbent.isFinite, bound.isFinite else { return nil }
        return abs(incumbent - bound) / max(1, abs(incumbent))
    }

    /// The history record of a search's state, the same in every MIP solver: objective =
    /// the incumbent, `gap`, extras `best_bound`, `nodes`, `open_nodes`.
    package static func historyRecord(iteration: Int, incumbent: Double?, bestBound: Double?, nodes: Int, openNodes: Int) -> IterationRecord {
        var extras = [Metric("nodes", Double(nodes)), Metric("open_nodes", Double(openNodes))]
        if let bestBound { extras.insert(Metric("best_bound", bestBound), at: 0) }
        return IterationRecord(iteration: iteration, objective: incumbent, gap: relativeGap(incumbent: incumbent, bound: bestBound),
                               extras: extras)
    }

    /// The same mixed-integer program with a zero objective: what a MIP solver searches when
    /// the LP relaxation is unbounded, since the MILP is then unbounded exactly when it has an
    /// integer point (rational data: Meyer 1974).
    package static func feasibilityProgram(of lp: LinearProgram) throws(SolverError) -> LinearProgram {
        var zero = lp
        for j in 0..<lp.columnCount {
            do { try zero.setObjectiveCoefficient(j, to: 0) } catch { throw .unsupported("feasibility program: \(error)") }
        }
        zero.sense = .minimize
        return zero
    }

    /// The result of a MILP whose LP relaxation is unbounded, from the search for an integer
    /// point (on ``feasibilityProgram(of:)``) and the relaxation's ray: `unbounded` with the
    /// ray when a point exists, `infeasible` when none does, the search's own status when it
    /// stopped, `infeasible_or_unbounded` when a point exists but no ray was kept.
    package static func relaxationUnboundedResult(_ lp: LinearProgram, ray: Certificate?, search: SolveResult,
                                                 notes: [String], gapTolerance: Double) -> SolveResult {
        var result = SolveResult(kind: .lp, status: .infeasibleOrUnbounded, rawStatus: "the LP relaxation is unbounded",
                                 objective: nil, variableNames: lp.variableNames, primal: search.primal,
                                 constraintNames: lp.constraintNames, iterations: search.iterations)
        result.notes = notes
        switch search.status {
        case .optimal:
            if let ray {
                result.status = .unbounded
                result.certificate = ray
                result.notes.append("the relaxation's ray and an integer point (found with a zero objective) prove unbounded")
            } else {
                result.notes.append("an integer point exists but no ray of the relaxation was found")
            }
        case .infeasible:
            result.status = .infeasible
            result.notes.append("the LP relaxation is unbounded but no integer point exists")
        default:
            result.status = search.status
            result.notes.append("the search for an integer point stopped (\(search.status.rawValue)); the relaxation is unbounded")
        }
        result.details = [MILPDetails(bestBound: nil, gap: nil, nodes: search.iterations, gapTolerance: gapTolerance)]
        return result
    }

    /// The `record_nodes` option of the MIP solvers: a history record every this many nodes.
    package static func recordNodes(_ options: SolveOptions) throws(SolverError) -> Int {
        let every = try options.number("record_nodes", default: 100)
        guard every >= 1, every == every.rounded() else { throw .invalidOption(name: "record_nodes", reason: "must be a whole number ≥ 1") }
        return Int(every)
    }

    public var jsonFields: [String: JSONValue] {
        ["best_bound": bestBound.map { .number($0) } ?? .null,
         "gap": gap.map { .number($0) } ?? .null,
         "nodes": .integer(Int64(nodes))]
    }

    public var summaryLines: [String] {
        let bound = bestBound.map { String(format: "%.10g", $0) } ?? "—"
        let gapText = gap.map { String(format: "%.3g", $0) } ?? "—"
        return ["best bound \(bound)  gap \(gapText)  nodes \(nodes)"]
    }
}
