import GLPKSolvers
import LagrangeTestSupport
import LagrangeCore
import LinearAlgebra

/// The same LP with row `i`'s bounds (or column `j`'s) shifted by `h`.
func shifted(_ lp: LinearProgram, row i: Int? = nil, column j: Int? = nil, by h: Double) throws -> LinearProgram {
    var rl = lp.rowLower, ru = lp.rowUpper, cl = lp.columnLower, cu = lp.columnUpper
    if let i { rl[i] += h; ru[i] += h }
    if let j { cl[j] += h; cu[j] += h }
    return try LinearProgram(sense: lp.sense, objective: lp.objective, objectiveConstant: lp.objectiveConstant,
                             constraints: lp.constraints, rowLower: rl, rowUpper: ru, columnLower: cl, columnUpper: cu)
}

func registry() -> SolverRegistry {
    var r = SolverRegistry()
    r.register(GLPKSimplexSolver(), asDefaultFor: [.lp])
    r.register(GLPKInteriorSolver())
    r.register(GLPKMIPSolver())
    return r
}

func solve(_ lp: LinearProgram, _ solver: String = "glpk.simplex", options: SolveOptions = SolveOptions(),
           observers: [any SolveObserver] = [], cancellation: CancellationFlag? = nil) throws -> SolveResult {
    try registry().solve(.linear(lp), solverID: solver, options: options, observers: observers, cancellation: cancellation)
}

/// The seed problem: min x1 + x2 + x3 s.t. x1 + x2 + 2x3 = 4, x ≥ 0. Optimum 2 at (0, 0, 2), y = 1/2.
func seedLP() throws -> LinearProgram {
    try makeLP(c: [1, 1, 1], rows: [[1, 1, 2]], rowLower: [4], rowUpper: [4])
}

/// max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 9, 0 ≤ x ≤ 3, y ≥ 0. Optimum 11 at (3, 1);
/// shadow prices: row 1 → 2, row 2 → 0; reduced cost of x (at its upper bound) → 1.
func maxLP() throws -> LinearProgram {
    try makeLP(.maximize, c: [3, 2], rows: [[1, 1], [1, 3]], rowLower: [-.infinity, -.infinity], rowUpper: [4, 9],
               columnLower: [0, 0], columnUpper: [3, .infinity])
}

/// min x1 + 2x2 + 3x3 + 5 with x1 free, 0 ≤ x2 ≤ 10, x3 fixed at 1;
/// 2 ≤ x1 + x2 ≤ 4 (range), x1 − x2 ≥ −1, x1 + x3 ≤ 10. Optimum 10 at (2, 0, 1);
/// duals (1, 0, 0), reduced costs (0, 1, 3).
func rangedLP(_ sense: ObjectiveSense = .minimize) throws -> LinearProgram {
    try makeLP(sense, c: [1, 2, 3], c0: 5, rows: [[1, 1, 0], [1, -1, 0], [1, 0, 1]],
               rowLower: [2, -1, -.infinity], rowUpper: [4, .infinity, 10],
               columnLower: [-.infinity, 0, 1], columnUpper: [.infinity, 10, 1])
}

/// tiny_infeasible: min x + y s.t. x + y ≥ 2, x + 2y ≤ 1, x, y ≥ 0.
func infeasibleLP() throws -> LinearProgram {
    try makeLP(c: [1, 1], rows: [[1, 1], [1, 2]], rowLower: [2, -.infinity], rowUpper: [.infinity, 1])
}

/// tiny_unbounded: min −x − y s.t. x − y ≤ 1, x + y ≥ 1, x, y ≥ 0.
func unboundedLP() throws -> LinearProgram {
    try makeLP(c: [-1, -1], rows: [[1, -1], [1, 1]], rowLower: [-.infinity, 1], rowUpper: [1, .infinity])
}

/// A dense random LP max cᵀx s.t. Ax ≤ b, 0 ≤ x ≤ 10, with A of mixed signs and b > 0:
/// feasible (x = 0), bounded, and needing many simplex iterations.
func randomDenseLP(rows m: Int, columns n: Int, seed: UInt64) throws -> LinearProgram {
    var rng = SeededGenerator(seed: seed)
    let rows = (0..<m).map { _ in (0..<n).map { _ in 2 * rng.nextUnit() - 0.5 } }
    let b = (0..<m).map { _ in 1 + 9 * rng.nextUnit() }
    let c = (0..<n).map { _ in 1 + rng.nextUnit() }
    return try makeLP(.maximize, c: c, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: b,
                      columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: 10, count: n))
}
