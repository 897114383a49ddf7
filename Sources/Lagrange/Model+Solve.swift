import LagrangeCore
import Modeling

extension Model {
    /// Solves the model: with the solver `id` when given, else the registry's default for
    /// what the model is (an LP, a MILP when it has integer variables, a QP). Throws what
    /// ``Modeling/Model/problem`` throws, and the registry's routing and option errors.
    ///
    /// - Parameters:
    ///   - id: a registered solver id (`"glpk.simplex"`, `"native.ipm"`, …).
    ///   - options: iteration and time limits, tolerance, seed, solver parameters.
    ///   - registry: where the solver is looked up; ``LagrangeCore/SolverRegistry/standard`` by default.
    public func solve(with id: String? = nil, options: SolveOptions = SolveOptions(),
                      registry: SolverRegistry = .standard) throws -> SolveResult {
        let problem = try problem
        if case .quadratic(let qp) = problem, qp.linear.isMixedInteger {
            throw ModelError("\(name.isEmpty ? "the model" : "model '\(name)'") has integer variables and a quadratic objective; no registered solver handles mixed-integer QPs")
        }
        return try registry.solve(problem, name: name.isEmpty ? "model" : name, solverID: id, options: options)
    }
}
