import LagrangeCore

extension NativeSimplexSolver {
    /// Settings of `native.simplex`, read from its options.
    struct SimplexSettings {
        enum Method: String, CaseIterable { case dual, primal }
        enum Pricing: String, CaseIterable { case devex, dantzig }
        var presolve = true
        /// Whether `presolve` was given (not the default).
        var explicitPresolve = false
        var method = Method.dual
        var pricing = Pricing.devex
        /// Sensitivity ranging of an optimal basic solution (``RangingDetails``, `ranging`).
        var ranging = false
        /// Dual cost perturbation (``SimplexEngine/perturbCosts(seed:)``, `perturbation`),
        /// drawn from `seed` (the common option; 0 when not given).
        var perturbation = true
        var seed: UInt64 = 0

        init() {}

        init(options: SolveOptions) throws(SolverError) {
            presolve = try options.flag("presolve", default: true)
            explicitPresolve = options.parameters["presolve"] != nil
            ranging = try options.flag("ranging", default: false)
            perturbation = try options.flag("perturbation", default: true)
            seed = options.effectiveSeed
            method = Method(rawValue: try options.string("method", default: "dual", allowed: Method.allCases.map(\.rawValue))) ?? .dual
            pricing = Pricing(rawValue: try options.string("pricing", default: "devex", allowed: Pricing.allCases.map(\.rawValue))) ?? .devex
        }

        /// The options listed by `lagrange solvers`.
        static let optionSpecs: [OptionSpec] = [
            OptionSpec("presolve", default: "true", "run the simple presolve first"),
            OptionSpec("method", default: "dual",
                       "dual (dual simplex, steepest edge, bound flipping; primal clean-up) or primal (primal simplex alone)"),
            OptionSpec("pricing", default: "devex",
                       "entering-column rule: dantzig (largest |d_j|) or devex (largest d_j²/w_j, reference weights)"),
            OptionSpec("perturbation", default: "true",
                       "dual simplex: perturb the costs against dual degeneracy (random, from seed), removed before the answer; primal clean-up if needed"),
            OptionSpec("ranging", default: "false",
                       "sensitivity ranging of an optimal basis: objective-coefficient and right-hand-side ranges (GLPK's definitions); presolve is then off"),
        ]
    }
}
