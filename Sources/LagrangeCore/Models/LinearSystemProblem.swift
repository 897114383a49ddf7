import LinearAlgebra

/// The coefficient matrix of a linear system, stored densely or sparsely (chosen by density).
public enum SystemMatrix: Sendable, Equatable {
    /// Dense, row-major: rows are contiguous, which row-action methods (Kaczmarz) need.
    case dense(DenseMatrix)
    /// Sparse A in compressed sparse column form (column access).
    case sparse(SparseMatrix)
    /// Sparse A stored by rows: the payload is Aᵀ in CSC form, which is A in CSR form.
    /// Readers produce this form so that row-action methods reach each row without a copy.
    case sparseRows(transpose: SparseMatrix)

    /// The number of rows m.
    public var rowCount: Int {
        switch self {
        case .dense(let m): return m.rows
        case .sparse(let m): return m.rowCount
        case .sparseRows(let t): return t.columnCount
        }
    }
    /// The number of columns n.
    public var columnCount: Int {
        switch self {
        case .dense(let m): return m.columns
        case .sparse(let m): return m.columnCount
        case .sparseRows(let t): return t.rowCount
        }
    }
    /// Stored entries (rows × columns for dense storage).
    public var storedCount: Int {
        switch self {
        case .dense(let m): return m.rows * m.columns
        case .sparse(let m): return m.nonzeroCount
        case .sparseRows(let t): return t.nonzeroCount
        }
    }
    package func multiply(_ x: [Double]) -> [Double] {
        switch self {
        case .dense(let m): return m.multiply(x)
        case .sparse(let m): return m.multiply(x)
        case .sparseRows(let t): return t.transposeMultiply(x)
        }
    }
    package func transposeMultiply(_ y: [Double]) -> [Double] {
        switch self {
        case .dense(let m): return m.transposeMultiply(y)
        case .sparse(let m): return m.transposeMultiply(y)
        case .sparseRows(let t): return t.multiply(y)
        }
    }
    /// A dense row-major copy (for direct methods and small problems).
    package func denseCopy() -> DenseMatrix {
        switch self {
        case .dense(let m): return m
        case .sparse(let m): return m.dense()
        case .sparseRows(let t): return t.dense().transposed()
        }
    }
}

/// Solve A x = b, or min ‖Ax − b‖² + λ‖x‖² when inconsistent (`kind: linear-system`).
public struct LinearSystemProblem: Sendable, Equatable {
    /// The problem's name, used in results and messages.
    public var name: String
    /// The matrix A (m × n), dense or sparse.
    public private(set) var matrix: SystemMatrix
    /// The right-hand side b (m values).
    public private(set) var rightHandSide: [Double]
    /// A known solution, enabling error tracking in the history.
    public private(set) var knownSolution: [Double]?
    /// Ridge regularization λ ≥ 0.
    public private(set) var ridge: Double

    /// A x = b (least squares when m > n, plus a ridge term when `ridge` > 0); throws when the sizes disagree.
    public init(name: String = "", matrix: SystemMatrix, rightHandSide: [Double], knownSolution: [Double]? = nil, ridge: Double = 0) throws(ModelError) {
        guard matrix.rowCount > 0, matrix.columnCount > 0 else { throw ModelError("A is empty (\(matrix.rowCount)×\(matrix.columnCount))") }
        guard rightHandSide.count == matrix.rowCount else {
            throw ModelError("b has \(rightHandSide.count) entries but A has \(matrix.rowCount) rows")
        }
        if let xs = knownSolution, xs.count != matrix.columnCount {
            throw ModelError("x_true has \(xs.count) entries but A has \(matrix.columnCount) columns")
        }
        for (i, v) in rightHandSide.enumerated() where !v.isFinite { throw ModelError("b[\(i + 1)] is not finite") }
        for (i, v) in (knownSolution ?? []).enumerated() where !v.isFinite { throw ModelError("x_true[\(i + 1)] is not finite") }
        switch matrix {
        case .dense(let m): if m.storage.contains(where: { !$0.isFinite }) { throw ModelError("A has a non-finite entry") }
        case .sparse(let m), .sparseRows(let m):
            if m.values.contains(where: { !$0.isFinite }) { throw ModelError("A has a non-finite entry") }
        }
        guard ridge.isFinite, ridge >= 0 else { throw ModelError("ridge λ must be finite and ≥ 0, got \(ridge)") }
        self.name = name
        self.matrix = matrix
        self.rightHandSide = rightHandSide
        self.knownSolution = knownSolution
        self.ridge = ridge
    }
}

extension LinearSystemProblem {
    /// The problem inside a `.linearSystem` case; other kinds throw for `solver`.
    package static func from(_ problem: Problem, solver: String) throws(SolverError) -> LinearSystemProblem {
        guard case .linearSystem(let p) = problem else { throw .kindNotSupported(id: solver, kind: problem.kind, valid: []) }
        return p
    }

    /// The least-squares objective ½‖Ax − b‖² + ½λ‖x‖² that every `linear-system` solver
    /// reports as `objective`.
    package func objective(residualNorm: Double, solution x: [Double]) -> Double {
        var xx = 0.0
        if ridge > 0 { for v in x { xx += v * v } }
        return 0.5 * residualNorm * residualNorm + 0.5 * ridge * xx
    }

    /// The note of a least-squares method on A = 0: x = 0 is optimal for that problem,
    /// which is not the consistent system Ax = b (b ≠ 0 has no solution there).
    package static func zeroMatrixNote(residual: Double) -> String {
        "A has no nonzero entry: every x minimizes ‖Ax − b‖² (the residual is ‖b‖ = \(residual) whatever x), so x = 0, the minimum-norm least-squares solution (with ridge λ > 0 the only minimizer), is optimal for the least-squares problem; Ax = b itself has no solution unless b = 0"
    }

    /// ‖x − x_true‖, when a known solution was given.
    package func errorNorm(_ x: [Double]) -> Double? {
        guard let xs = knownSolution else { return nil }
        var s = 0.0
        for j in 0..<xs.count { let d = x[j] - xs[j]; s += d * d }
        return s.squareRoot()
    }

    /// Variable names x1…xn, the primal names of every linear-system result.
    public var variableNames: [String] { (1...max(1, matrix.columnCount)).map { "x\($0)" } }
}

/// Result fields of a `linear-system` solve: `residual_norm` = ‖Ax − b‖, `error_norm` =
/// ‖x − x_true‖ when the file gives `x_true`, the numerical rank for direct methods, and
/// how the history was thinned for row-action methods that take millions of steps.
public struct LinearSystemDetails: ResultDetails, Equatable {
    /// ‖A x − b‖₂ at the returned x.
    public var residualNorm: Double
    /// ‖x − x*‖₂ against the known solution, when the problem has one.
    public var errorNorm: Double?
    /// ‖x − x_true‖ / ‖x_true‖.
    public var relativeError: Double?
    /// ‖Aᵀ(Ax − b) + λx‖, the normal-equations residual (zero at the least-squares solution).
    public var normalResidualNorm: Double?
    /// Numerical rank found by a direct method.
    public var rank: Int?
    /// Row (or column) updates performed, for row-action methods.
    public var rowUpdates: Int?
    /// How the history was recorded (e.g. "geometric: 20 records per decade").
    public var historyNote: String?

    package init(residualNorm: Double, errorNorm: Double? = nil, relativeError: Double? = nil, normalResidualNorm: Double? = nil,
                rank: Int? = nil, rowUpdates: Int? = nil, historyNote: String? = nil) {
        self.residualNorm = residualNorm
        self.errorNorm = errorNorm
        self.relativeError = relativeError
        self.normalResidualNorm = normalResidualNorm
        self.rank = rank
        self.rowUpdates = rowUpdates
        self.historyNote = historyNote
    }

    public var jsonFields: [String: JSONValue] {
        var f: [String: JSONValue] = ["residual_norm": .number(residualNorm)]
        if let errorNorm { f["error_norm"] = .number(errorNorm) }
        if let relativeError { f["relative_error"] = .number(relativeError) }
        if let normalResidualNorm { f["normal_residual_norm"] = .number(normalResidualNorm) }
        if let rank { f["rank"] = .integer(Int64(rank)) }
        if let rowUpdates { f["row_updates"] = .integer(Int64(rowUpdates)) }
        if let historyNote { f["history_recording"] = .string(historyNote) }
        return f
    }

    public var summaryLines: [String] {
        var lines = ["residual ‖Ax − b‖ = \(residualNorm)"]
        if let errorNorm { lines.append("error ‖x − x_true‖ = \(errorNorm)" + (relativeError.map { " (relative \($0))" } ?? "")) }
        if let normalResidualNorm { lines.append("normal-equations residual ‖Aᵀr‖ = \(normalResidualNorm)") }
        if let rank { lines.append("numerical rank = \(rank)") }
        if let rowUpdates { lines.append("row updates = \(rowUpdates)") }
        if let historyNote { lines.append("history: \(historyNote)") }
        return lines
    }
}
