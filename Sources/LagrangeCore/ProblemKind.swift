/// The problem families Lagrange solves. The raw value is the `kind:` of a problem file.
public enum ProblemKind: String, Sendable, Codable, CaseIterable, Comparable {
    case lp
    case qp
    case smooth
    /// Nonlinear programs: smooth objective, bounds and constraints.
    case nlp
    case linearSystem = "linear-system"
    case svr
    case maxFlow = "max-flow"
    case matrixGame = "matrix-game"
    case learning

    public static func < (a: ProblemKind, b: ProblemKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
