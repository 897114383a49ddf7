/// A problem of any kind, as routed by the ``SolverRegistry``.
public enum Problem: Sendable {
    case linear(LinearProgram)
    case quadratic(QuadraticProgram)
    case smooth(SmoothProblem)
    case nonlinear(NonlinearProgram)
    case linearSystem(LinearSystemProblem)
    case supportVectorRegression(SVRProblem)
    case maxFlow(MaxFlowProblem)
    case matrixGame(MatrixGame)
    case learning(LearningProblem)

    public var kind: ProblemKind {
        switch self {
        case .linear: return .lp
        case .quadratic: return .qp
        case .smooth: return .smooth
        case .nonlinear: return .nlp
        case .linearSystem: return .linearSystem
        case .supportVectorRegression: return .svr
        case .maxFlow: return .maxFlow
        case .matrixGame: return .matrixGame
        case .learning: return .learning
        }
    }
}

/// A problem as loaded from a file (or built in code): the model plus what the file said
/// about solving it.
public struct ProblemDefinition: Sendable {
    /// Display name: the file's `name:`, else its file name without extension.
    public var name: String
    public var problem: Problem
    /// The file it came from, if any.
    public var sourcePath: String?
    /// The file's `solver:` field.
    public var solverID: String?
    /// The file's `options:` block.
    public var options: SolveOptions
    /// Notes from reading (e.g. "integrality of 3 columns ignored").
    public var notes: [String]
    /// The file's `expect:` block (claims about the answer and the convergence), if any.
    public var expectations: Expectations?
    /// The line of the file's `solver:` key, for messages about that solver.
    public var solverLine: Int?

    public init(name: String, problem: Problem, sourcePath: String? = nil, solverID: String? = nil,
                options: SolveOptions = SolveOptions(), notes: [String] = [], expectations: Expectations? = nil) {
        self.name = name
        self.problem = problem
        self.sourcePath = sourcePath
        self.solverID = solverID
        self.options = options
        self.notes = notes
        self.expectations = expectations
    }

    public var kind: ProblemKind { problem.kind }
}
