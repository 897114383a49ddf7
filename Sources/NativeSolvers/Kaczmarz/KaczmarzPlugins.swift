import LagrangeCore
import LinearAlgebra

/// Randomized Kaczmarz for Ax = b (`native.kaczmarz`), after Strohmer & Vershynin,
/// "A randomized Kaczmarz algorithm with exponential convergence", J. Fourier Anal. Appl.
/// 15 (2009).
///
/// From x₀ = 0, each step draws row i with probability ‖aᵢ‖²/‖A‖_F² (an O(1) alias table
/// over precomputed row norms; `sampling: uniform` draws uniformly) and projects onto its
/// hyperplane, x ← x + ω (bᵢ − aᵢᵀx)/‖aᵢ‖² aᵢ (relaxation ω ∈ (0, 2), default 1). On a
/// consistent system with full column rank, E‖x_k − x*‖² ≤ (1 − 1/κ_F²)^k ‖x₀ − x*‖² with
/// κ_F = ‖A‖_F‖A⁺‖₂. On an inconsistent one it reaches only a ball around the
/// least-squares solution (Needell 2010); use `native.kaczmarz-extended` there.
///
/// Termination (checked at recorded steps, see `record_every`): `stop: residual`
/// (default) ‖Ax − b‖ ≤ tol·‖b‖; `stop: error` ‖x − x_true‖ ≤ tol·‖x_true‖; `stop:
/// iterations`. Default tolerance 1e-8, default limit max(10⁶, 100·m) steps. The problem
/// is the consistent system Ax = b: zero rows of A where b has weight beyond tol·‖b‖ (A = 0
/// with b ≠ 0, say) end at once with `infeasible` and the Farkas vector y = b on those rows
/// (Aᵀy = 0, bᵀy > 0), checked by ``LinearSystemCertificateChecker``. The history
/// holds ‖Ax − b‖ (primal_residual), ½‖Ax − b‖² (objective), and with x_true the error and
/// the mean of cos²θ_k = (aᵢᵀ(x_k − x*))²/(‖aᵢ‖²‖x_k − x*‖²) over the steps since the
/// previous record (theory: E cos²θ ≥ 1/κ_F²). Memory: x, the row norms and the alias table
/// (O(m + n)) besides A, which is read in place (dense rows or CSR).
package struct KaczmarzSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.kaczmarz", kinds: [.linearSystem], options: [
            OptionSpec("sampling", default: "norm", "norm (rows ∝ ‖a_i‖², Strohmer–Vershynin) or uniform"),
            OptionSpec("relaxation", default: "1", "relaxation ω in (0, 2)"),
            StoppingRule.option, RecordSchedule.option,
        ], summary: "randomized Kaczmarz (rows ∝ ‖a_i‖², alias sampling)", usesSeed: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        try solveKaczmarz(problem, context: context, solverID: descriptor.id, method: .randomized) { settings in
            settings.normSampling = try context.options.string("sampling", default: "norm", allowed: ["norm", "uniform"]) == "norm"
        }
    }
}

/// Cyclic Kaczmarz (`native.kaczmarz-cyclic`): the original method (Kaczmarz, Bull. Int.
/// Acad. Pol. Sci. A 35, 1937), projecting onto rows 1, 2, …, m in turn with relaxation ω.
/// Same termination (zero rows included), history and memory as ``KaczmarzSolver``; no randomness (the seed is
/// unused). Its rate depends on the row order, and is poor when neighbouring rows are
/// nearly parallel.
package struct CyclicKaczmarzSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.kaczmarz-cyclic", kinds: [.linearSystem], options: [
            OptionSpec("relaxation", default: "1", "relaxation ω in (0, 2)"),
            StoppingRule.option, RecordSchedule.option,
        ], summary: "cyclic Kaczmarz (rows in order)")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        try solveKaczmarz(problem, context: context, solverID: descriptor.id, method: .cyclic)
    }
}

/// Randomized extended Kaczmarz (`native.kaczmarz-extended`), after Zouzias & Freris,
/// "Randomized extended Kaczmarz for solving least squares", SIAM J. Matrix Anal. Appl. 34
/// (2013), Algorithm 3.
///
/// From x₀ = 0, z₀ = b, each step draws a column j ∝ ‖A⁽ʲ⁾‖² and removes z's component
/// along it, z ← z − (A⁽ʲ⁾ᵀz/‖A⁽ʲ⁾‖²) A⁽ʲ⁾ (so z → the part of b outside range(A)), then
/// draws a row i ∝ ‖aᵢ‖² and projects, x ← x + ω (bᵢ − zᵢ − aᵢᵀx)/‖aᵢ‖² aᵢ. x converges in
/// expectation to the minimum-norm least-squares solution A⁺b, also for inconsistent
/// systems. A step costs one row and one column (O(m + n) for dense A).
///
/// Termination as ``KaczmarzSolver``, except that `stop: residual` also accepts the
/// least-squares test ‖Aᵀ(Ax − b)‖ ≤ tol·‖A‖_F·‖Ax − b‖ (recorded as dual_residual); for
/// A = 0, x = 0 is the minimum-norm least-squares solution, `optimal`, with a note. Memory:
/// x, z, norms and two alias tables (O(m + n)); for sparse A stored by rows, the columns
/// are built once by transposition, a copy of A.
package struct ExtendedKaczmarzSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.kaczmarz-extended", kinds: [.linearSystem], options: [
            OptionSpec("relaxation", default: "1", "relaxation ω in (0, 2) of the row step"),
            StoppingRule.option, RecordSchedule.option,
        ], summary: "randomized extended Kaczmarz (least squares for inconsistent systems)", usesSeed: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        try solveKaczmarz(problem, context: context, solverID: descriptor.id, method: .extended)
    }
}

/// Minibatch stochastic gradient descent on f(x) = (1/m)(½‖Ax − b‖² + ½λ‖x‖²)
/// (`native.sgd`; Robbins & Monro 1951). Each step draws `batch_size` rows uniformly with
/// replacement and moves x ← (1 − η_kλ/m) x + (η_k/B) Σ (bᵢ − aᵢᵀx) aᵢ. Step schedules:
/// `constant` η, `inverse` η/(1 + k/d), `inverse_sqrt` η/√(1 + k/d), with d = `decay_steps`
/// (default m) and η = `step_size` (default 1/maxᵢ‖aᵢ‖²). With batch 1 and per-row steps
/// 1/‖aᵢ‖² this is uniform-sampling Kaczmarz; a constant step converges only to a
/// neighbourhood on inconsistent systems, a decaying one to the least-squares solution
/// (slowly). Termination, history and memory as ``KaczmarzSolver``, except that the problem
/// is this least-squares f: for A = 0, x = 0 minimizes it (`optimal`, with a note).
package struct StochasticGradientSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.sgd", kinds: [.linearSystem], options: [
            OptionSpec("step_size", default: "1/max‖a_i‖²", "base step η > 0"),
            OptionSpec("schedule", default: "constant", "constant, inverse (η/(1+k/d)) or inverse_sqrt (η/√(1+k/d))"),
            OptionSpec("decay_steps", default: "m", "decay constant d of the schedule, in steps"),
            OptionSpec("batch_size", default: "1", "rows per step"),
            StoppingRule.option, RecordSchedule.option,
        ], summary: "minibatch SGD on ½‖Ax − b‖² with step schedules", usesSeed: true)
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        var settings = RowActionSettings(method: .stochasticGradient)
        let options = context.options
        if options.parameters["step_size"] != nil {
            let eta = try options.number("step_size", default: 1)
            guard eta > 0 else { throw SolverError.invalidOption(name: "step_size", reason: "must be > 0, got \(eta)") }
            settings.stepSize = eta
        }
        let scheduleName = try options.string("schedule", default: "constant", allowed: StepSchedule.allCases.map(\.rawValue))
        settings.schedule = StepSchedule(rawValue: scheduleName) ?? .constant
        if options.parameters["decay_steps"] != nil {
            let d = try options.number("decay_steps", default: 1)
            guard d > 0 else { throw SolverError.invalidOption(name: "decay_steps", reason: "must be > 0, got \(d)") }
            settings.decaySteps = d
        }
        let batch = try options.number("batch_size", default: 1)
        guard batch >= 1, batch == batch.rounded(), batch <= 1e6 else {
            throw SolverError.invalidOption(name: "batch_size", reason: "must be a whole number in 1…10⁶, got \(batch)")
        }
        settings.batchSize = Int(batch)
        return try withLineKernels(p.matrix, needColumns: false,
                                   RowActionRun(problem: p, settings: settings, context: context, solverID: descriptor.id))
    }
}

/// The shared body of the three Kaczmarz plugins: no ridge, relaxation ω, then the
/// row-action engine (the extended method also needs column access).
func solveKaczmarz(_ problem: Problem, context: SolveContext, solverID: String, method: RowActionMethod,
                   configure: (inout RowActionSettings) throws -> Void = { _ in }) throws -> SolveResult {
    let p = try LinearSystemProblem.from(problem, solver: solverID)
    try rejectRidge(p, id: solverID)
    var settings = RowActionSettings(method: method)
    settings.relaxation = try readRelaxation(context.options)
    try configure(&settings)
    return try withLineKernels(p.matrix, needColumns: method == .extended,
                               RowActionRun(problem: p, settings: settings, context: context, solverID: solverID))
}

func readRelaxation(_ options: SolveOptions) throws(SolverError) -> Double {
    let omega = try options.number("relaxation", default: 1)
    guard omega > 0, omega < 2 else { throw .invalidOption(name: "relaxation", reason: "must lie in (0, 2), got \(omega)") }
    return omega
}

func rejectRidge(_ problem: LinearSystemProblem, id: String) throws(SolverError) {
    if problem.ridge > 0 {
        throw .unsupported("\(id) solves Ax = b without regularization; for ridge λ > 0 use native.cgls, native.sgd, gsl.qr or gsl.svd")
    }
}
