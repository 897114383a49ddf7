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

        init() {}

        init(options: SolveOptions) throws(SolverError) {
            presolve = try options.flag("presolve", default: true)
            explicitPresolve = options.parameters["presolve"] != nil
            ranging = try options.flag("ranging", default: false)
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
            OptionSpec("ranging", default: "false",
                       "sensitivity ranging of an optimal basis: objective-coefficient and right-hand-side ranges (GLPK's definitions); presolve is then off"),
        ]
    }
}
