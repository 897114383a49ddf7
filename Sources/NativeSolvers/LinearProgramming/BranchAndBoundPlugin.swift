import LagrangeCore
import LinearAlgebra

/// `native.branch-and-bound`: LP-based branch-and-bound for mixed-integer LPs on the native
/// dual simplex.
///
/// Each node's LP starts from its parent's optimal basis: a branching step only changes a
/// bound, so that basis stays dual feasible and the dual simplex needs a few pivots (the
/// warm start of ``SimplexSession``). Node selection is a hybrid: dive depth-first into the
/// child the fractional part points to, and when a dive ends (pruned, infeasible or
/// integral) continue from the open node with the best bound. Branching is by pseudocosts
/// (the product rule, uninitialized ones taking the average), heuristics are simple
/// rounding at every node and a fractional dive at the root, and each node tightens its
/// integer columns' bounds from the reduced costs and the incumbent.
///
/// Status: `optimal` when every open node is pruned (the gap within `mip_gap` relative or
/// `mip_gap_abs` absolute: defaults 1e-6 and 1e-9, so optimality is proved, as GLPK and CBC
/// do by default); `infeasible` when the relaxation is (with its Farkas vector) or the
/// search finds no integer point; `unbounded` when the relaxation has a ray and a search
/// with a zero objective finds an integer point; `time_limit` / `iteration_limit` (nodes:
/// `max_iterations`) / `interrupted` with the incumbent, the best bound and the gap; a node
/// whose LP fails twice (warm, then cold) is dropped and the result is `numerical_error`
/// (no optimality claim). History: one record at each new incumbent and every
/// `record_nodes` nodes: objective = incumbent, `gap`, extras `best_bound`, `nodes`,
/// `open_nodes` (the fields of `glpk.mip`).
package struct NativeBranchAndBoundSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(
            id: "native.branch-and-bound", kinds: [.lp],
            options: BranchAndBoundSettings.optionSpecs,
            summary: "LP-based branch-and-bound on the native dual simplex (warm starts, pseudocosts, rounding and diving)",
            integerVariables: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.kindNotSupported(id: descriptor.id, kind: problem.kind, valid: [descriptor.id])
        }
        // Without integer columns the search would be one LP whose result carries no duals,
        // so its optimum could not be certified (the checker said almost_optimal): solve
        // the LP by the simplex it runs at its nodes, which returns them.
        if lp.integerColumns.isEmpty {
            var result = try NativeSimplexSolver().solve(problem, context: context)
            result.notes.insert("no integer columns: solved as an LP by native.simplex", at: 0)
            return result
        }
        let settings = try BranchAndBoundSettings(options: context.options)
        var search = BranchAndBoundSearch(lp: lp, settings: settings, control: context.control)
        return try search.run()
    }
}
