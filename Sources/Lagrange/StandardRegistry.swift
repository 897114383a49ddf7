import GLPKSolvers
import GSLSolvers
import LagrangeCore
import NativeSolvers

extension SolverRegistry {
    /// Every built-in solver, with each kind's default set to the best measured solver.
    /// Copy it and register your own plugins to route them like built-ins.
    public static let standard: SolverRegistry = {
        var registry = SolverRegistry()
        // Families register their plugins here, one line each.
        registry.register(GLPKSimplexSolver())
        registry.register(GLPKInteriorSolver())
        registry.register(PushRelabelSolver(), asDefaultFor: [.maxFlow])
        registry.register(DinicSolver())
        registry.register(GLPKFordFulkersonSolver())
        registry.register(MaxFlowLPSolver())
        registry.register(KaczmarzSolver(), asDefaultFor: [.linearSystem])
        registry.register(CyclicKaczmarzSolver())
        registry.register(ExtendedKaczmarzSolver())
        registry.register(StochasticGradientSolver())
        registry.register(CGLSSolver())
        registry.register(GSLQRSolver())
        registry.register(GSLSVDSolver())
        for plugin in NativeSmoothSolvers.all { registry.register(plugin, asDefaultFor: plugin.descriptor.id == "native.bfgs" ? [.smooth] : []) }
        for plugin in GSLSmoothSolvers.all { registry.register(plugin) }
        registry.register(SMOSolver(), asDefaultFor: [.svr])
        registry.register(LinearSVRSolver())
        registry.register(NativeInteriorPointSolver(), asDefaultFor: [.lp, .qp])  // best geometric mean in docs/benchmarks-lp.md; QP: the only general QP solver
        registry.register(NativeSimplexSolver())
        registry.register(NativeKKTSolver())
        registry.register(GSLKKTSolver())
        return registry
    }()
}
