import LagrangeCore

/// A plugin of another family that also takes `kind: learning`: the base plugin keeps its
/// id, kinds and options, and learning problems go to `learning`. This is how
/// `native.lbfgs`, `native.newton`, `native.sgd`, `native.adam`, … serve both kinds under
/// one id without touching the base family's code.
package struct LearningExtendedSolver: SolverPlugin {
    package let base: any SolverPlugin
    package let descriptor: SolverDescriptor
    let learning: @Sendable (LearningProblem, SolveContext) throws -> SolveResult

    init(_ base: any SolverPlugin, options: [OptionSpec], usesSeed: Bool, summary: String,
         learning: @escaping @Sendable (LearningProblem, SolveContext) throws -> SolveResult) {
        self.base = base
        var d = base.descriptor
        d.kinds.append(.learning)
        d.summary += "; learning: " + summary
        let known = Set(d.options.map(\.name))
        d.options += options.filter { !known.contains($0.name) }
        if usesSeed { d.seededKinds.append(.learning) }
        descriptor = d
        self.learning = learning
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        if case .learning(let p) = problem { return try learning(p, context) }
        return try base.solve(problem, context: context)
    }
}

/// The learning solvers, for registration: the smooth and linear-system plugins extended
/// to `kind: learning` (full-batch `native.lbfgs` and `native.newton`; minibatch
/// `native.sgd`, `native.nesterov`, `native.adagrad`, `native.adam`), and the
/// learning-only `native.momentum`, `native.rmsprop`, `native.adamw`.
package enum NativeLearningSolvers {
    /// `base` extended to learning problems, or nil when no learning method shares its id.
    package static func extending(_ base: any SolverPlugin) -> (any SolverPlugin)? {
        switch base.descriptor.id {
        case "native.lbfgs", "native.newton":
            return LearningExtendedSolver(base, options: [], usesSeed: false, summary: "full batch on f (smooth losses)") { problem, context in
                try FullBatchLearning.solve(problem, with: base, context: context)
            }
        case "native.ipm":
            return LearningExtendedSolver(base, options: [], usesSeed: false, summary: "the hinge model as its QP") { problem, context in
                try HingeQP.solve(problem, solverID: base.descriptor.id, context: context)
            }
        case "native.sgd": return minibatch(base, .sgd)
        case "native.nesterov": return minibatch(base, .nesterov)
        case "native.adagrad": return minibatch(base, .adagrad)
        case "native.adam": return minibatch(base, .adam)
        default: return nil
        }
    }

    private static func minibatch(_ base: any SolverPlugin, _ method: MinibatchMethod) -> any SolverPlugin {
        LearningExtendedSolver(base, options: MinibatchSettings.optionSpecs(for: method), usesSeed: true,
                               summary: "minibatch epochs (options below from batch_size on)") { problem, context in
            try MinibatchTrainer.solve(problem, method: method, solverID: base.descriptor.id, context: context)
        }
    }

    /// The methods that exist only for learning.
    package static let learningOnly: [any SolverPlugin] = [
        MinibatchSolver(id: "native.momentum", method: .momentum, summary: "minibatch SGD with heavy-ball momentum (learning)"),
        MinibatchSolver(id: "native.rmsprop", method: .rmsprop, summary: "RMSProp: steps scaled by a running mean of squared gradients (learning)"),
        MinibatchSolver(id: "native.adamw", method: .adamw, summary: "Adam with decoupled weight decay λ (learning)"),
    ]
}

/// A minibatch method that has no other kind (`native.momentum`, `native.rmsprop`,
/// `native.adamw`).
struct MinibatchSolver: SolverPlugin {
    let descriptor: SolverDescriptor
    let method: MinibatchMethod

    init(id: String, method: MinibatchMethod, summary: String) {
        descriptor = SolverDescriptor(id: id, kinds: [.learning], options: MinibatchSettings.optionSpecs(for: method), summary: summary, usesSeed: true)
        self.method = method
    }

    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .learning(let p) = problem else { throw SolverError.unsupported("\(descriptor.id) solves learning problems only") }
        return try MinibatchTrainer.solve(p, method: method, solverID: descriptor.id, context: context)
    }
}

/// Full-batch methods on a learning problem: the smooth family's own plugin runs on
/// f(θ) as a ``SmoothObjective`` (``LearningObjective``: gradient Xᵀr/n + λW, exact
/// Hessian), from θ = 0; the result is mapped back to the learning kind.
enum FullBatchLearning {
    static let defaultTolerance = 1e-7
    /// 10 000² doubles = 800 MB.
    static let newtonParameterLimit = 10_000

    static func solve(_ problem: LearningProblem, with base: any SolverPlugin, context: SolveContext) throws -> SolveResult {
        guard problem.model.isSmooth else {
            throw SolverError.unsupported("\(base.descriptor.id) needs a differentiable loss; the hinge model is solved exactly by native.ipm (its QP) or approximately by native.sgd, native.adam, …")
        }
        // Newton forms the dense p×p Hessian: refuse sizes whose matrix alone is gigabytes.
        if base.descriptor.id == "native.newton", problem.parameterCount > newtonParameterLimit {
            throw SolverError.unsupported("native.newton forms the dense Hessian of all \(problem.parameterCount) parameters (limit \(newtonParameterLimit)); use native.lbfgs")
        }
        let smooth = try SmoothProblem(name: problem.name, variableNames: problem.parameterNames,
                                       start: Array(repeating: 0, count: problem.parameterCount), objective: problem.objective)
        // ‖∇f‖ ≤ 1e-7·max(1, |f|) puts f within 1e-11 relative of f* on every reference
        // problem (docs/benchmarks-learning.md), far inside the 1e-6 asked; the smooth
        // family's 1e-8 only adds iterations.
        var options = context.options
        options.tolerance = options.tolerance ?? defaultTolerance
        let inner = SolveContext(options: options, control: context.control, registry: context.registry)
        var result = try base.solve(.smooth(smooth), context: inner)
        result.kind = .learning
        result.primal = problem.normalized(result.primal)
        result.details = [LearningDetails(problem: problem, theta: result.primal)] + result.details
        return result
    }
}
