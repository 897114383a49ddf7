import LagrangeCore

/// Settings of `native.kkt`, read once from the solve options.
struct KKTSettings: Sendable, Equatable {
    /// Which factorization solves the KKT system (`method`).
    enum Method: String, Sendable, CaseIterable {
        /// `schur` when n ≤ 200 and S is positive definite, else `ldlt`.
        case auto
        /// Sparse LDLᵀ of the regularized KKT matrix, refined.
        case ldlt
        /// Dense Cholesky of S and of the Schur complement AᵀS⁻¹A.
        case schur
    }
    /// Default `auto`.
    var method = Method.auto
    /// Static regularization ρ of the LDLᵀ relative to max|Kᵢⱼ| (`regularization`).
    /// Default 1e-10; in [0, 1).
    var regularization = 1e-10
    /// Iterative refinement steps at most (`max_refinement`). Default 10; an integer in 0...100.
    var maxRefinement = 10

    init() {}

    init(options: SolveOptions) throws(SolverError) {
        let name = try options.string("method", default: method.rawValue, allowed: Method.allCases.map(\.rawValue))
        method = Method(rawValue: name) ?? .auto
        regularization = try options.number("regularization", default: regularization)
        guard regularization >= 0, regularization < 1 else {
            throw .invalidOption(name: "regularization", reason: "must lie in [0, 1), got \(regularization)")
        }
        let steps = try options.number("max_refinement", default: Double(maxRefinement))
        guard steps >= 0, steps <= 100, steps == steps.rounded() else {
            throw .invalidOption(name: "max_refinement", reason: "must be an integer in 0...100")
        }
        maxRefinement = Int(steps)
    }

    /// The options listed by `lagrange solvers`.
    static let optionSpecs = [
        OptionSpec("method", default: "auto", "ldlt (sparse LDLᵀ of the KKT matrix), schur (dense Cholesky of S and AᵀS⁻¹A), auto"),
        OptionSpec("regularization", default: "1e-10", "static regularization ρ of the LDLᵀ, relative to max|K_ij| (refined away)"),
        OptionSpec("max_refinement", default: "10", "iterative refinement steps at most"),
    ]
}
