/// One option a solver understands, as listed by `lagrange solvers`.
public struct OptionSpec: Sendable, Equatable {
    /// snake_case name used in files and on the CLI.
    public var name: String
    /// Default, as text (e.g. "1e-8", "auto").
    public var defaultValue: String
    /// One-line description for `lagrange solvers`.
    public var summary: String

    /// An option named `name` (snake_case) with its default as text and a one-line summary.
    public init(_ name: String, default defaultValue: String, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// What a plugin declares about itself.
public struct SolverDescriptor: Sendable, Equatable {
    /// `backend.method`, e.g. `native.ipm`, `glpk.simplex`.
    public var id: String
    /// The problem kinds the solver accepts; the registry routes only these to it.
    public var kinds: [ProblemKind]
    /// Solver-specific options beyond the common ones (``SolveOptions/commonOptionNames``).
    public var options: [OptionSpec]
    /// One-line description for `lagrange solvers`.
    public var summary: String
    /// Whether the solver draws random numbers from the seed (`SeededGenerator` seeded with
    /// `SolveOptions.effectiveSeed`). Only such solvers report a seed in their results: the
    /// results of the others do not depend on it.
    public var usesSeed: Bool
    /// Kinds for which the solver draws from the seed although `usesSeed` is false: a
    /// plugin serving several kinds whose method is randomized for some only (`native.adam`
    /// is deterministic on `smooth`, minibatch on `learning`).
    public var seededKinds: [ProblemKind] = []
    /// Whether the solver honours integer columns (``LinearProgram/integerColumns``). The
    /// registry never hands a mixed-integer program to a solver without it, unless the
    /// caller asks for the LP relaxation.
    public var integerVariables: Bool
    /// The common options the solver honours; all by default. One it lacks (`tolerance`
    /// for max-flow) is noted as ignored when given (``SolverRegistry/prepare(_:solverID:options:)``).
    public var commonOptions: Set<CommonOption>

    /// A descriptor; by default the solver uses no seed, takes no integer columns and honours
    /// every common option.
    public init(id: String, kinds: [ProblemKind], options: [OptionSpec] = [], summary: String, usesSeed: Bool = false,
                integerVariables: Bool = false, commonOptions: Set<CommonOption> = Set(CommonOption.allCases)) {
        self.id = id
        self.kinds = kinds
        self.options = options
        self.summary = summary
        self.usesSeed = usesSeed
        self.integerVariables = integerVariables
        self.commonOptions = commonOptions
    }

    /// The notes for common options set in `options` that this solver does not honour.
    package func ignoredOptionNotes(_ options: SolveOptions) -> [String] {
        CommonOption.allCases.filter { $0.isSet(in: options) && !commonOptions.contains($0) }.map {
            "\($0.rawValue) ignored: \(id) does not use it (docs/problem-files.md says what each common option means per kind)"
        }
    }

    /// Whether a solve of `kind` draws from the seed (and so reports it).
    public func usesSeed(for kind: ProblemKind) -> Bool { usesSeed || seededKinds.contains(kind) }

    /// The backend part of the id (`glpk` for `glpk.simplex`).
    package var backend: String { String(id.prefix { $0 != "." }) }
}

/// What a solve can reach besides the problem: options, the iteration control, and the
/// registry (for families that build on another through it, e.g. games through LP).
public struct SolveContext {
    /// The merged options of this solve (file, then command line), already validated against the descriptor.
    public let options: SolveOptions
    /// The clock, limits, observers and history of this solve: call its ``IterationControl/record(_:iterationLimit:)`` once per iteration.
    public let control: IterationControl
    /// The registry that routed this solve, for nested solves of another kind (games and max-flow through LP).
    public let registry: SolverRegistry

    /// A context for one solve.
    public init(options: SolveOptions, control: IterationControl, registry: SolverRegistry) {
        self.options = options
        self.control = control
        self.registry = registry
    }
}

/// A solver. Plugins hold no mutable state, so a registry can be shared across threads;
/// each solve builds its own workspace.
///
/// `solve` returns the outcome fields of ``SolveResult``; the registry fills in the
/// problem name, solver id, seed, seconds and history. Invalid input throws
/// (``ModelError``, ``SolverError``); everything a solver finds out about the problem
/// (infeasible, a limit, a numerical failure) is a status, not an error.
public protocol SolverPlugin: Sendable {
    /// Id, kinds, options and summary, as `lagrange solvers` lists them.
    var descriptor: SolverDescriptor { get }
    /// Solves `problem` (of one of the descriptor's kinds); throws only for input it cannot take.
    func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult
}
