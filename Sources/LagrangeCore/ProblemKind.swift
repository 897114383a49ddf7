/// The problem families Lagrange solves. The raw value is the `kind:` of a problem file.
public enum ProblemKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// Linear programs, and with integer columns mixed-integer ones: ``LinearProgram``.
    case lp
    /// Convex quadratic programs: ``QuadraticProgram``.
    case qp
    /// Unconstrained minimization of a smooth function: ``SmoothProblem``.
    case smooth
    /// Nonlinear programs: smooth objective, bounds and constraints.
    case nlp
    /// Ax = b or least squares, optionally with a ridge term: ``LinearSystemProblem``.
    case linearSystem = "linear-system"
    /// ε-support vector regression: ``SVRProblem``.
    case svr
    /// s–t maximum flow and minimum cut: ``MaxFlowProblem``.
    case maxFlow = "max-flow"
    /// Two-person zero-sum games: ``MatrixGame``.
    case matrixGame = "matrix-game"
    /// Regularized empirical risk minimization on a data set: ``LearningProblem``.
    case learning

    public static func < (a: ProblemKind, b: ProblemKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
