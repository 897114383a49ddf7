import LinearAlgebra

/// The coefficient matrix of a linear system, stored densely or sparsely (chosen by density).
public enum SystemMatrix: Sendable, Equatable {
    case dense(DenseMatrix)
    case sparse(SparseMatrix)

    public var rowCount: Int {
        switch self { case .dense(let m): return m.rows; case .sparse(let m): return m.rowCount }
    }
    public var columnCount: Int {
        switch self { case .dense(let m): return m.columns; case .sparse(let m): return m.columnCount }
    }
    public func multiply(_ x: [Double]) -> [Double] {
        switch self { case .dense(let m): return m.multiply(x); case .sparse(let m): return m.multiply(x) }
    }
    public func transposeMultiply(_ y: [Double]) -> [Double] {
        switch self { case .dense(let m): return m.transposeMultiply(y); case .sparse(let m): return m.transposeMultiply(y) }
    }
}

/// Solve A x = b, or min ‖Ax − b‖² + λ‖x‖² when inconsistent (`kind: linear-system`).
public struct LinearSystemProblem: Sendable, Equatable {
    public var name: String
    public private(set) var matrix: SystemMatrix
    public private(set) var rightHandSide: [Double]
    /// A known solution, enabling error tracking in the history.
    public private(set) var knownSolution: [Double]?
    /// Ridge regularization λ ≥ 0.
    public private(set) var ridge: Double

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
        case .sparse(let m): if m.values.contains(where: { !$0.isFinite }) { throw ModelError("A has a non-finite entry") }
        }
        guard ridge.isFinite, ridge >= 0 else { throw ModelError("ridge λ must be finite and ≥ 0, got \(ridge)") }
        self.name = name
        self.matrix = matrix
        self.rightHandSide = rightHandSide
        self.knownSolution = knownSolution
        self.ridge = ridge
    }
}
