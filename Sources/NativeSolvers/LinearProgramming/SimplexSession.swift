import LagrangeCore
import LinearAlgebra

/// A linear program kept together with the basis of its last simplex solve, so that a
/// re-solve after a change starts where the last one ended (issue #17's warm start).
///
/// ```swift
/// var session = try SimplexSession(lp)
/// let first = try session.solve()                    // cold: dual simplex from the slack basis
/// try session.setColumnBounds(2, lower: 0, upper: 1)  // a branching step, say
/// let again = try session.solve()                    // warm: a few dual pivots from the last basis
/// ```
///
/// After bound and right-hand-side changes the old basis is still dual feasible and the
/// dual simplex continues from it; after an objective change it is still primal feasible
/// and the primal clean-up continues from it; a new row enters with its slack basic, a new
/// column nonbasic at a bound. A basis from elsewhere (a previous run's JSON, another
/// solver) is set with ``setBasis(_:)``. Each solve goes through `native.simplex` and the
/// LP certificate checker like any other solve; presolve is off (the basis must describe
/// the problem as it is).
public struct SimplexSession: Sendable {
    /// The program as edited so far.
    public private(set) var problem: LinearProgram
    /// The basis the next solve starts from: the last optimal one, or one set by the caller.
    public private(set) var basis: BasisDetails?
    /// Limits, observers' options and `native.simplex`'s own options (`method`, `pricing`).
    public var options: SolveOptions

    /// A session on an LP. A mixed-integer program is refused (solve its ``LinearProgram/relaxation()``
    /// for the LP bound): a session never drops integrality silently.
    public init(_ problem: LinearProgram, options: SolveOptions = SolveOptions()) throws(ModelError) {
        guard !problem.isMixedInteger else {
            throw ModelError("SimplexSession solves LPs; this program has integer columns (use problem.relaxation() for its LP relaxation)")
        }
        self.problem = problem
        self.options = options
    }

    /// Solves from ``basis`` (cold from the slack basis when there is none) and keeps the
    /// new basis when the result has one.
    public mutating func solve(observers: [any SolveObserver] = [], cancellation: CancellationFlag? = nil) throws -> SolveResult {
        var registry = SolverRegistry()
        registry.register(NativeSimplexSolver(startingFrom: basis))
        var options = self.options
        options.parameters["presolve"] = .bool(false)
        let result = try registry.solve(.linear(problem), name: problem.name.isEmpty ? "problem" : problem.name,
                                        solverID: "native.simplex", options: options, observers: observers, cancellation: cancellation)
        if let next = result.details(as: BasisDetails.self) { basis = next }
        return result
    }

    /// Starts the next solve from `basis`, which must have one status per column and row
    /// (names are not compared). It need not be a valid basis: missing basic variables are
    /// made up with slacks, extra ones made nonbasic, a singular basis repaired.
    public mutating func setBasis(_ basis: BasisDetails) throws(ModelError) {
        guard basis.columnStatus.count == problem.columnCount, basis.rowStatus.count == problem.rowCount else {
            throw ModelError("the basis has \(basis.columnStatus.count) column and \(basis.rowStatus.count) row statuses; "
                             + "the problem has \(problem.columnCount) columns and \(problem.rowCount) rows")
        }
        self.basis = basis
    }

    /// Forgets the basis: the next solve is cold.
    public mutating func clearBasis() { basis = nil }

    /// Sets the bounds of a column (0-based); ±infinity for none. The basis is kept for a warm start.
    public mutating func setColumnBounds(_ column: Int, lower: Double, upper: Double) throws(ModelError) {
        try problem.setColumnBounds(column, lower: lower, upper: upper)
    }

    /// Sets the bounds lower ≤ aᵢᵀx ≤ upper of a row (0-based); ±infinity for none. The basis is kept.
    public mutating func setRowBounds(_ row: Int, lower: Double, upper: Double) throws(ModelError) {
        try problem.setRowBounds(row, lower: lower, upper: upper)
    }

    /// Sets the objective coefficient cⱼ of a column (0-based; finite), in the problem's own sense. The basis is kept.
    public mutating func setObjectiveCoefficient(_ column: Int, to value: Double) throws(ModelError) {
        try problem.setObjectiveCoefficient(column, to: value)
    }

    /// Appends a row; its slack joins the basis.
    public mutating func addRow(name: String, coefficients: [(column: Int, value: Double)], lower: Double, upper: Double) throws(ModelError) {
        try problem.addRow(name: name, coefficients: coefficients, lower: lower, upper: upper)
        basis?.rowStatus.append(.basic)
        basis?.rowNames.append(name)
    }

    /// Appends a column; it starts nonbasic at its lower bound (upper if the lower is
    /// infinite, free if both are).
    public mutating func addColumn(name: String, objective: Double, coefficients: [(row: Int, value: Double)],
                                   lower: Double = 0, upper: Double = .infinity) throws(ModelError) {
        try problem.addColumn(name: name, objective: objective, coefficients: coefficients, lower: lower, upper: upper)
        basis?.columnStatus.append(lower.isFinite ? .atLower : upper.isFinite ? .atUpper : .free)
        basis?.columnNames.append(name)
    }
}

extension SimplexEngine {
    /// Takes the basis and nonbasic positions from `details` (indices as in the unpresolved
    /// problem: columns, then rows). The basis gets exactly m members: surplus basic
    /// variables become nonbasic, a shortfall is made up with slacks of rows whose slack is
    /// nonbasic; a singular result is repaired at the first factorization.
    ///
    /// With `point` (a value for every column, then every row activity: a crossover's
    /// interior optimum) the variables start there instead: basic ones at their point
    /// values until the first factorization recomputes them, nonbasic ones at the bound
    /// their status names, and `free` ones with a finite bound stay at their point value,
    /// as superbasics that the primal simplex pushes to a bound (``superbasicToPush()``).
    mutating func start(from details: BasisDetails, at point: [Double]? = nil) {
        guard details.columnStatus.count == n, details.rowStatus.count == m else { return }
        if let point, point.count == n + m {
            keepsValuesOnRepair = true
            for j in 0..<(n + m) where point[j].isFinite { value[j] = min(max(point[j], lower[j]), upper[j]) }
        }
        func nearestBound(_ j: Int, preferUpper: Bool) -> Double {
            if preferUpper { return upper[j].isFinite ? upper[j] : lower[j].isFinite ? lower[j] : 0 }
            return lower[j].isFinite ? lower[j] : upper[j].isFinite ? upper[j] : 0
        }
        var members: [Int] = []
        for j in 0..<(n + m) {
            let status = j < n ? details.columnStatus[j] : details.rowStatus[j - n]
            position[j] = -1
            switch status {
            case .basic: members.append(j)
            case .atUpper: value[j] = nearestBound(j, preferUpper: true)
            case .atLower, .fixed: value[j] = nearestBound(j, preferUpper: false)
            case .free where point != nil && (lower[j].isFinite || upper[j].isFinite):
                break  // a superbasic, at its point value
            case .free: value[j] = lower[j].isFinite || upper[j].isFinite ? nearestBound(j, preferUpper: false) : 0
            }
        }
        if members.count > m {
            for j in members[m...] where point == nil { value[j] = nearestBound(j, preferUpper: false) }
            members.removeLast(members.count - m)
        }
        if members.count < m {
            let inBasis = Set(members)
            for i in 0..<m where members.count < m && !inBasis.contains(n + i) { members.append(n + i) }
        }
        basis = members
        for (k, j) in members.enumerated() { position[j] = k }
    }
}
