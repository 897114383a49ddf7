import GSLSolvers
import LagrangeCore

extension SolverRegistry {
    /// Adds the GNU Scientific Library's solvers: `gsl.kkt` (qp), the `gsl.*` multimin and
    /// multiroot methods (smooth: `gsl.bfgs2`, `gsl.conjugate-fr`, `gsl.conjugate-pr`,
    /// `gsl.steepest-descent`, `gsl.nelder-mead`, `gsl.newton`) and `gsl.qr`, `gsl.svd`
    /// (linear-system), each listed where `lagrange solvers` lists it. No kind's default
    /// changes. Registering again replaces the plugins in place.
    public mutating func registerGSL() {
        register(GSLKKTSolver(), after: "native.kkt")
        // After the native smooth methods, before the first nlp solver.
        for plugin in GSLSmoothSolvers.all { register(plugin, before: "native.lbfgsb") }
        register(GSLQRSolver(), after: "native.cgls")
        register(GSLSVDSolver(), after: "gsl.qr")
    }

    /// This registry with the GSL solvers added (``registerGSL()``).
    public func registeringGSL() -> SolverRegistry {
        var registry = self
        registry.registerGSL()
        return registry
    }
}
