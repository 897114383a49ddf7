/// A problem of any kind, as routed by the ``SolverRegistry``.
public enum Problem: Sendable {
    /// An LP, or a MILP when it has integer columns (kind `lp`).
    case linear(LinearProgram)
    /// A convex QP (kind `qp`).
    case quadratic(QuadraticProgram)
    /// An unconstrained smooth minimization (kind `smooth`).
    case smooth(SmoothProblem)
    /// A nonlinear program with bounds and constraints (kind `nlp`).
    case nonlinear(NonlinearProgram)
    /// A linear system or least-squares problem (kind `linear-system`).
    case linearSystem(LinearSystemProblem)
    /// An ε-SVR training problem (kind `svr`).
    case supportVectorRegression(SVRProblem)
    /// A maximum-flow problem (kind `max-flow`).
    case maxFlow(MaxFlowProblem)
    /// A zero-sum matrix game (kind `matrix-game`).
    case matrixGame(MatrixGame)
    /// A learning problem (kind `learning`).
    case learning(LearningProblem)

    /// The kind the registry routes by.
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
    package var sizeSummary: String {
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
    /// The problem itself.
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
    package var solverLine: Int?

    /// A problem with where it came from, its solver and options, notes and expectations.
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

    /// The kind of ``problem``.
    public var kind: ProblemKind { problem.kind }
}
