/// The plugins Lagrange knows, and how a problem is routed to one.
///
/// Routing: an explicit id (from the caller or `--solver`) → the problem file's `solver:`
/// → the kind's default. An unknown id, or an id that cannot take the kind, throws a
/// ``SolverError`` listing the valid ids. A value type: copy `SolverRegistry.standard`
/// (umbrella module) and ``register(_:asDefaultFor:)`` your own plugins.
public struct SolverRegistry: Sendable {
    private var plugins: [String: any SolverPlugin] = [:]
    private var order: [String] = []
    private var defaults: [ProblemKind: String] = [:]
    /// Defaults that depend on the problem, not only its kind (hinge learning → its QP
    /// solver, bound-only nlp → L-BFGS-B, large smooth → L-BFGS), tried in order before the
    /// kind's default.
    private var problemDefaults: [(kind: ProblemKind, id: String, applies: @Sendable (Problem) -> Bool)] = []

    /// An empty registry; `SolverRegistry.standard` (module Lagrange) holds the native solvers.
    public init() {}

    /// Adds (or replaces) a plugin. `asDefaultFor` makes it the default for those kinds.
    public mutating func register(_ plugin: any SolverPlugin, asDefaultFor kinds: [ProblemKind] = []) {
        let id = plugin.descriptor.id
        if plugins[id] == nil { order.append(id) }
        plugins[id] = plugin
        for kind in kinds {
            precondition(plugin.descriptor.kinds.contains(kind), "\(id) cannot be the default for \(kind.rawValue)")
            defaults[kind] = id
        }
    }

    /// Adds (or replaces, in place) a plugin listed just before the registered solver
    /// `neighbour`, or at the end when `neighbour` is not registered. Where a plugin is
    /// listed matters to ``descriptors(for:)`` (and so to `lagrange solvers`) and to the
    /// solver a mixed-integer program goes to when none is named: the first registered one
    /// that honours integers.
    public mutating func register(_ plugin: any SolverPlugin, before neighbour: String) {
        insert(plugin, at: order.firstIndex(of: neighbour))
    }

    /// Adds (or replaces, in place) a plugin listed just after the registered solver
    /// `neighbour`, or at the end when `neighbour` is not registered; see
    /// ``register(_:before:)``.
    public mutating func register(_ plugin: any SolverPlugin, after neighbour: String) {
        insert(plugin, at: order.firstIndex(of: neighbour).map { $0 + 1 })
    }

    private mutating func insert(_ plugin: any SolverPlugin, at index: Int?) {
        let id = plugin.descriptor.id
        if plugins[id] == nil { order.insert(id, at: index ?? order.endIndex) }
        plugins[id] = plugin
    }

    /// Makes a registered solver the default for the problems of `kind` that `applies`
    /// accepts (the kind's default stays for the others), e.g. non-differentiable learning
    /// losses, which a gradient method cannot take. Earlier calls take precedence.
    public mutating func setDefault(_ id: String, for kind: ProblemKind, when applies: @escaping @Sendable (Problem) -> Bool) {
        precondition(plugins[id]?.descriptor.kinds.contains(kind) == true, "\(id) is not a registered \(kind.rawValue) solver")
        problemDefaults.append((kind, id, applies))
    }

    /// Every descriptor in registration order, optionally only those accepting `kind`.
    public func descriptors(for kind: ProblemKind? = nil) -> [SolverDescriptor] {
        order.compactMap { plugins[$0]?.descriptor }.filter { kind == nil || $0.kinds.contains(kind!) }
    }

    /// The plugin with this id, if registered.
    public func plugin(id: String) -> (any SolverPlugin)? { plugins[id] }

    /// The default solver id for a kind.
    public func defaultID(for kind: ProblemKind) -> String? { defaults[kind] ?? descriptors(for: kind).first?.id }

    /// The solver a problem goes to when none is named: the kind's default, except that a
    /// mixed-integer program goes to the first solver that honours integers.
    public func defaultID(for problem: Problem) -> String? {
        if case .linear(let lp) = problem, lp.isMixedInteger {
            return descriptors(for: .lp).first(where: \.integerVariables)?.id
        }
        if let special = problemDefaults.first(where: { $0.kind == problem.kind && $0.applies(problem) }) { return special.id }
        return defaultID(for: problem.kind)
    }

    /// Picks the plugin for a kind: `explicitID`, else `fileID`, else the default.
    package func route(kind: ProblemKind, explicitID: String? = nil, fileID: String? = nil) throws(SolverError) -> any SolverPlugin {
        let valid = descriptors(for: kind).map(\.id)
        if let id = explicitID ?? fileID {
            guard let plugin = plugins[id] else { throw .unknownSolver(id: id, kind: kind, valid: valid) }
            guard plugin.descriptor.kinds.contains(kind) else { throw .kindNotSupported(id: id, kind: kind, valid: valid) }
            return plugin
        }
        guard let id = defaultID(for: kind), let plugin = plugins[id] else { throw .noSolver(kind: kind) }
        return plugin
    }

    /// The solver for a mixed-integer program: the one asked for if it honours integers
    /// (an error naming those that do otherwise), else the first registered one that does.
    func routeMixedInteger(_ lp: LinearProgram, explicitID: String?, fileID: String?) throws(SolverError) -> any SolverPlugin {
        let capable = descriptors(for: .lp).filter(\.integerVariables).map(\.id)
        let count = lp.integerColumns.count
        let names = lp.integerColumns.prefix(3).map { lp.variableNames[$0] }.joined(separator: ", ") + (count > 3 ? ", …" : "")
        if let id = explicitID ?? fileID {
            let plugin = try route(kind: .lp, explicitID: id)
            guard plugin.descriptor.integerVariables else {
                throw .unsupported("\(id) solves LPs only, and this problem has \(count) integer column\(count == 1 ? "" : "s") (\(names)); "
                    + "solvers for integer programs: \(capable.isEmpty ? "none registered" : capable.joined(separator: ", ")); "
                    + "or solve the LP relaxation with --relax (option relax: true)")
            }
            return plugin
        }
        guard let id = capable.first, let plugin = plugins[id] else {
            throw .unsupported("this problem has \(count) integer columns (\(names)) and no registered solver handles integers; solve the LP relaxation with --relax (option relax: true)")
        }
        return plugin
    }

    /// Checks option values (``SolveOptions/validate()``) and names against the common ones and
    /// the plugin's descriptor: an unknown name throws ``SolverError/invalidOption(name:reason:)``
    /// listing the valid ones.
    package func validateOptions(_ options: SolveOptions, for plugin: any SolverPlugin) throws(SolverError) {
        try options.validate()
        let known = Set(plugin.descriptor.options.map(\.name))
        for name in options.parameters.keys.sorted() where !known.contains(name) {
            let valid = (SolveOptions.commonOptionNames + plugin.descriptor.options.map(\.name)).joined(separator: ", ")
            throw .invalidOption(name: name, reason: "not understood by \(plugin.descriptor.id) (valid: \(valid))")
        }
    }

    /// What a solve of `definition` would run, checked without running it: the routed
    /// plugin, the problem it gets (the LP relaxation under `relax: true`), the merged
    /// options it sees, and the note a relaxation adds. `solve` and `lagrange check` both
    /// go through here, so they accept and refuse the same things.
    package func prepare(_ definition: ProblemDefinition, solverID: String? = nil,
                        options: SolveOptions = SolveOptions()) throws -> PreparedSolve {
        var merged = definition.options.merging(options)
        let relax = try merged.flag(SolveOptions.relaxOptionName, default: false)
        var definition = definition
        var relaxationNote: String?
        // SVR model parameters given as options (a bare .libsvm file has no other place).
        if case .supportVectorRegression(let svr) = definition.problem {
            let given = merged.parameters.filter { SVRProblem.modelOptionNames.contains($0.key) }
            if !given.isEmpty {
                definition.problem = .supportVectorRegression(try svr.overriding(given))
                for name in given.keys { merged.parameters[name] = nil }
                definition.notes.append("model parameters from the options: " + given.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
        }
        let plugin: any SolverPlugin
        if case .linear(let lp) = definition.problem, lp.isMixedInteger {
            if relax {
                definition.problem = .linear(lp.relaxation())
                let count = lp.integerColumns.count
                relaxationNote = "LP relaxation (relax: true): integrality of \(count) column\(count == 1 ? "" : "s") dropped"
                plugin = try route(kind: definition.kind, explicitID: solverID, fileID: definition.solverID)
            } else {
                plugin = try routeMixedInteger(lp, explicitID: solverID, fileID: definition.solverID)
            }
        } else {
            // The problem's own default (hinge learning, bound-only nlp) when nothing is named.
            let problemDefault = solverID == nil && definition.solverID == nil ? defaultID(for: definition.problem) : nil
            plugin = try route(kind: definition.kind, explicitID: solverID, fileID: definition.solverID ?? problemDefault)
        }
        var pluginOptions = merged
        pluginOptions.parameters[SolveOptions.relaxOptionName] = nil
        try validateOptions(pluginOptions, for: plugin)
        definition.notes += plugin.descriptor.ignoredOptionNotes(pluginOptions)
        return PreparedSolve(plugin: plugin, definition: definition, options: pluginOptions, relaxationNote: relaxationNote)
    }

    /// Routes and solves a problem definition.
    ///
    /// - Parameters:
    ///   - definition: the problem, with the file's solver and options.
    ///   - solverID: an explicit solver id, overriding the file's.
    ///   - options: overrides merged over the file's options.
    ///   - observers: receive every iteration and can stop the solve (`interrupted`).
    ///   - cancellation: a flag another thread can set to stop the solve.
    public func solve(_ definition: ProblemDefinition, solverID: String? = nil, options: SolveOptions = SolveOptions(),
                      observers: [any SolveObserver] = [], cancellation: CancellationFlag? = nil) throws -> SolveResult {
        let prepared = try prepare(definition, solverID: solverID, options: options)
        let (plugin, definition, pluginOptions, relaxationNote) = (prepared.plugin, prepared.definition, prepared.options, prepared.relaxationNote)
        let control = IterationControl(options: pluginOptions, observers: observers, cancellation: cancellation)
        let id = plugin.descriptor.id
        control.notifyStart(problem: definition.name, solverID: id)
        var result = try plugin.solve(definition.problem, context: SolveContext(options: pluginOptions, control: control, registry: self))
        if let relaxationNote { result.notes.insert(relaxationNote, at: 0) }
        // A status is a claim: it leaves the registry only once the kind's checker accepts it.
        var tolerances = CertificateTolerances.standard
        tolerances.solverTolerance = pluginOptions.tolerance
        result = CertificateCheckers.check(result, problem: definition.problem, tolerances: tolerances)
        result.seconds = control.elapsedSeconds
        result.problemName = definition.name
        result.solverID = id
        result.seed = plugin.descriptor.usesSeed(for: definition.kind) ? pluginOptions.effectiveSeed : nil
        result.history = control.finishHistory()
        result.notes = definition.notes + result.notes
        if result.history.isThinned {
            result.notes.append("history thinned: \(result.history.records.count) of \(result.history.reportedCount) records kept")
        }
        control.notifyFinish(result)
        return result
    }

    /// Solves a problem built in code.
    public func solve(_ problem: Problem, name: String = "problem", solverID: String? = nil, options: SolveOptions = SolveOptions(),
                      observers: [any SolveObserver] = [], cancellation: CancellationFlag? = nil) throws -> SolveResult {
        try solve(ProblemDefinition(name: name, problem: problem), solverID: solverID, options: options,
                  observers: observers, cancellation: cancellation)
    }
}

/// A solve routed and validated but not run (``SolverRegistry/prepare(_:solverID:options:)``).
package struct PreparedSolve {
    package let plugin: any SolverPlugin
    /// The problem as the plugin gets it.
    package let definition: ProblemDefinition
    /// The merged options the plugin sees.
    package let options: SolveOptions
    package let relaxationNote: String?
}
