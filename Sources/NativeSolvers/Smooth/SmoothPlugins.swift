import LagrangeCore

// The native smooth methods' plugins: each descriptor lists its settings' options, and
// `solve` builds the settings once from the options, then runs the method's loop
// (FirstOrderMethods.swift, SecondOrderMethods.swift) through ``SmoothDriver``.

/// `native.gradient-descent`: steepest descent (``GradientDescentMethod``).
package struct GradientDescentSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.gradient-descent", kinds: [.smooth], options: GradientDescentSettings.optionSpecs,
        summary: "steepest descent with a fixed step, Armijo backtracking or exact line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try GradientDescentSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: GradientDescentMethod(settings))
    }
}

/// `native.heavy-ball`: Polyak's momentum with the optimal step and momentum
/// (``HeavyBallMethod``).
package struct HeavyBallSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.heavy-ball", kinds: [.smooth], options: HeavyBallSettings.optionSpecs,
        summary: "Polyak heavy-ball momentum with the optimal step and momentum from eigenvalue bounds", usesSeed: true)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try HeavyBallSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: HeavyBallMethod(settings))
    }
}

/// `native.nesterov`: accelerated gradient with backtracking on L and adaptive restart
/// (``NesterovMethod``).
package struct NesterovSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.nesterov", kinds: [.smooth], options: NesterovSettings.optionSpecs,
        summary: "Nesterov accelerated gradient with backtracking on L and adaptive restart", usesSeed: true)

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try NesterovSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: NesterovMethod(settings))
    }
}

/// `native.adagrad`: per-coordinate steps scaled by accumulated squared gradients
/// (``AdaGradMethod``).
package struct AdaGradSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.adagrad", kinds: [.smooth], options: AdaGradSettings.optionSpecs,
        summary: "AdaGrad: per-coordinate steps scaled by accumulated squared gradients")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try AdaGradSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: AdaGradMethod(settings))
    }
}

/// `native.adam`: Adam with bias-corrected moment estimates (``AdamMethod``).
package struct AdamSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.adam", kinds: [.smooth], options: AdamSettings.optionSpecs,
        summary: "Adam with bias-corrected moment estimates")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try AdamSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: AdamMethod(settings))
    }
}

/// `native.newton`: Newton's method with Armijo backtracking and a Hessian shift when not
/// positive definite (``NewtonMethod``).
package struct NewtonSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.newton", kinds: [.smooth], options: NewtonSettings.optionSpecs,
        summary: "Newton's method with Armijo backtracking and a Hessian shift when not positive definite")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try NewtonSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: NewtonMethod(settings))
    }
}

/// `native.bfgs`: BFGS quasi-Newton with a strong Wolfe line search (``BFGSMethod``).
package struct BFGSSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.bfgs", kinds: [.smooth], options: BFGSSettings.optionSpecs,
        summary: "BFGS quasi-Newton with a strong Wolfe line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try BFGSSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: BFGSMethod(settings))
    }
}

/// `native.lbfgs`: limited-memory BFGS with a strong Wolfe line search (``LBFGSMethod``).
package struct LBFGSSolver: SolverPlugin {
    package init() {}
    package let descriptor = SolverDescriptor(
        id: "native.lbfgs", kinds: [.smooth], options: LBFGSSettings.optionSpecs,
        summary: "limited-memory BFGS with a strong Wolfe line search")

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let settings = try LBFGSSettings(options: context.options)
        return try SmoothDriver.run(problem, context: context, method: LBFGSMethod(settings))
    }
}

/// Every native smooth method, for registration.
package enum NativeSmoothSolvers {
    package static let all: [any SolverPlugin] = [
        NewtonSolver(), GradientDescentSolver(), HeavyBallSolver(), NesterovSolver(),
        AdaGradSolver(), AdamSolver(), BFGSSolver(), LBFGSSolver(),
    ]
}
