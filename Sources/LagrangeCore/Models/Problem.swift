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

    /// Its size in a few words, as `lagrange check` prints it ("1 rows × 3 columns, 3 nonzeros").
    /// Here, beside ``kind``, so that a new kind is described where it is declared and the
    /// command line needs no per-kind code.
    public var sizeSummary: String {
        switch self {
        case .linear(let lp): return "\(lp.rowCount) rows × \(lp.columnCount) columns, \(lp.constraints.nonzeroCount) nonzeros"
        case .quadratic(let qp): return "\(qp.linear.rowCount) rows × \(qp.linear.columnCount) columns, Q with \(qp.quadratic.nonzeroCount) nonzeros"
        case .smooth(let s): return "\(s.variableNames.count) variables"
        case .nonlinear(let p): return "\(p.variableCount) variables, \(p.constraints.count) constraints"
        case .linearSystem(let s): return "\(s.matrix.rowCount) × \(s.matrix.columnCount) system"
        case .supportVectorRegression(let s): return "\(s.training.features.rows) samples × \(s.training.features.columns) features"
        case .maxFlow(let g): return "\(g.nodeCount) nodes, \(g.arcCount) arcs"
        case .matrixGame(let g): return "\(g.payoff.rows) × \(g.payoff.columns) payoff"
        case .learning(let l):
            return "\(l.model.rawValue) model, \(l.training.sampleCount) samples × \(l.featureCount) features, \(l.parameterCount) parameters"
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
