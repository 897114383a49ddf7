import LagrangeCore
import NativeSolvers

extension SolverRegistry {
    /// Every native solver, with each kind's default set to the best measured solver. It
    /// links no C library: add the GLPK- and GSL-backed solvers with `registerGLPK()`
    /// (product `LagrangeGLPK`) and `registerGSL()` (product `LagrangeGSL`), which put them
    /// where the `lagrange` CLI lists them and change no kind's default, except that a
    /// mixed-integer program then goes to `glpk.mip` (here `native.branch-and-bound`).
    /// Copy it and register your own plugins to route them like built-ins.
    public static let standard: SolverRegistry = {
        var registry = SolverRegistry()
        // One block per family; `asDefaultFor` marks the best measured solver for a kind.
        // lp, qp (docs/benchmarks-lp.md, docs/benchmarks-qp.md)
        registry.register(NativeInteriorPointSolver(), asDefaultFor: [.lp, .qp])
        registry.register(NativeSimplexSolver())
        // milp (an lp with integer columns: routed to the first registered solver with
        // integerVariables; registerGLPK() puts glpk.mip before this one)
        registry.register(NativeBranchAndBoundSolver())
        registry.register(NativeKKTSolver())
        // smooth
        for plugin in NativeSmoothSolvers.all {
            registry.register(plugin, asDefaultFor: plugin.descriptor.id == "native.bfgs" ? [.smooth] : [])
        }
        // Above n = 200 BFGS's dense n×n update dominates: extended Rosenbrock with n = 1000
        // took 324 ms under native.bfgs and 5.5 ms under native.lbfgs (issue #22).
        registry.setDefault("native.lbfgs", for: .smooth) { if case .smooth(let s) = $0 { s.objective.dimension > 200 } else { false } }
        // nlp: L-BFGS-B for bounds only, the interior point for general constraints: on
        // ../shared/data/nlp it solves 72/77 where the augmented Lagrangian solved 45
        // (docs/nonlinear.md)
        registry.register(LBFGSBSolver())
        registry.register(AugmentedLagrangianSolver())
        registry.register(NonlinearInteriorPointSolver(), asDefaultFor: [.nlp])
        registry.setDefault("native.lbfgsb", for: .nlp) { if case .nonlinear(let p) = $0 { p.hasBoundsOnly } else { false } }
        // linear-system
        // A direct method by default (issue #21: native.kaczmarz as the default solved a 3×3
        // system to 1e-9 and ran a 4×2 least-squares problem to its iteration limit far
        // from the answer): the dense complete orthogonal decomposition where it is cheap,
        // CGLS beyond (DirectLeastSquaresSolver.isAffordable, docs/problem-files.md).
        // Kaczmarz, the method the seeds teach, is chosen by name.
        registry.register(DirectLeastSquaresSolver(), asDefaultFor: [.linearSystem])
        registry.register(KaczmarzSolver())
        registry.register(CyclicKaczmarzSolver())
        registry.register(ExtendedKaczmarzSolver())
        registry.register(StochasticGradientSolver())
        registry.register(CGLSSolver())
        registry.setDefault("native.cgls", for: .linearSystem) {
            if case .linearSystem(let s) = $0 { !DirectLeastSquaresSolver.isAffordable(s) } else { false }
        }
        // svr
        registry.register(SMOSolver(), asDefaultFor: [.svr])
        registry.register(LinearSVRSolver())
        // max-flow
        registry.register(PushRelabelSolver(), asDefaultFor: [.maxFlow])
        registry.register(DinicSolver())
        registry.register(MaxFlowLPSolver())
        // matrix-game: native.game-lp works on the dense payoff block itself (a sparse LP
        // solver's factorization of the game LP fills in to O(n³) memory, issue #22) and is
        // the default: 0.2 s against glpk.game-lp's 3.4 s at 500×500, 2.65 s against 41 s at
        // 1000×1000 (docs/benchmarks-games.md). registerGLPK() adds glpk.game-lp before it.
        registry.register(DenseGameLPSolver(), asDefaultFor: [.matrixGame])
        registry.register(FictitiousPlaySolver())
        registry.register(MultiplicativeWeightsSolver())
        // learning: the smooth, linear-system and QP plugins above extended to the kind
        // (same ids); L-BFGS by default, the hinge QP through native.ipm
        // (docs/benchmarks-learning.md)
        for id in ["native.lbfgs", "native.newton", "native.ipm", "native.sgd", "native.nesterov", "native.adagrad", "native.adam"] {
            if let base = registry.plugin(id: id), let extended = NativeLearningSolvers.extending(base) {
                registry.register(extended, asDefaultFor: id == "native.lbfgs" ? [.learning] : [])
            }
        }
        for plugin in NativeLearningSolvers.learningOnly { registry.register(plugin) }
        registry.setDefault("native.ipm", for: .learning) { if case .learning(let l) = $0 { !l.model.isSmooth } else { false } }
        return registry
    }()
}
