#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cross-cutting part of every solve, owned by one solve on one thread (argmin's
/// Executor): the clock, limits, cancellation, observers and history storage.
///
/// A solver calls ``record(_:)`` once per iteration after checking its own convergence
/// tests; a non-nil return is the status it must stop with. Long inner loops call
/// ``checkInterrupt()`` to honour the time limit and cancellation between iterations.
///
/// It keeps only what it enforces (the iteration and time limits, the history storage);
/// every option, those included, reaches a plugin through ``SolveContext/options``.
public final class IterationControl {
    /// The iteration limit of the options (`max_iterations`), nil for the solver's default.
    public let maxIterations: Int?
    /// The time limit of the options in seconds (`time_limit`), nil for none.
    public let timeLimit: Double?
    private let startTime: Double
    private let observers: [any SolveObserver]
    private let cancellation: CancellationFlag?
    /// The records kept so far under the options' history storage.
    public private(set) var history: ConvergenceHistory
    /// The most recent record (also when history storage is off).
    public private(set) var lastRecord: IterationRecord?
    /// Added to each record's iteration while a second phase continues the first's history
    /// (``continuing(after:tagging:_:)``).
    private var iterationOffset = 0
    /// Metrics appended to each record during such a phase.
    private var phaseTags: [Metric] = []

    /// Starts the clock now; takes the limits and history storage from `options`.
    public init(options: SolveOptions, observers: [any SolveObserver] = [], cancellation: CancellationFlag? = nil) {
        self.maxIterations = options.maxIterations
        self.timeLimit = options.timeLimit
        self.observers = observers
        self.cancellation = cancellation
        self.history = ConvergenceHistory(storage: options.historyStorage)
        self.startTime = IterationControl.now()
    }

    /// The cancellation flag of this solve, for a nested solve through the registry (a
    /// family built on another) that must stop with its caller.
    package var cancellationFlag: CancellationFlag? { cancellation }

    /// Monotonic seconds.
    package static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Seconds since the solve started.
    public var elapsedSeconds: Double { IterationControl.now() - startTime }

    /// The iteration limit in force: the options' value, else `defaultLimit`.
    public func iterationLimit(default defaultLimit: Int) -> Int { maxIterations ?? defaultLimit }

    /// Seconds left before the time limit (infinity without one).
    public var secondsRemaining: Double {
        guard let limit = timeLimit else { return .infinity }
        return limit - elapsedSeconds
    }

    /// `interrupted` if cancelled, `time_limit` if the time limit has passed, else nil.
    public func checkInterrupt() -> TerminationStatus? {
        if let cancellation, cancellation.isCancelled { return .interrupted }
        if let limit = timeLimit, elapsedSeconds >= limit { return .timeLimit }
        return nil
    }

    /// Stamps the time, stores the record, tells the observers, and checks limits in the
    /// fixed order: observer stop / cancellation (`interrupted`), time (`time_limit`),
    /// iterations (`iteration_limit`, when `record.iteration >= limit`).
    public func record(_ record: IterationRecord, iterationLimit: Int? = nil) -> TerminationStatus? {
        // A second phase's record before its first step would repeat the first phase's
        // last iteration number: it is not kept.
        if iterationOffset > 0 && record.iteration == 0 { return checkInterrupt() }
        var stamped = record
        stamped.seconds = elapsedSeconds
        stamped.iteration += iterationOffset
        stamped.extras += phaseTags
        history.append(stamped)
        lastRecord = stamped
        var stop = false
        for observer in observers where observer.solveDidIterate(stamped) == .stop { stop = true }
        if stop { return .interrupted }
        if let status = checkInterrupt() { return status }
        let limit = iterationLimit ?? maxIterations
        if let limit, stamped.iteration >= limit { return .iterationLimit }
        return nil
    }

    /// Runs `body`, a second phase of the same solve (an interior point's crossover), with
    /// its records numbered after `offset` and tagged with `tags`, so that one history shows
    /// both phases in order (its record 0, the state before its first step, is dropped: it
    /// would repeat iteration `offset`). The iteration limit compares against the shifted numbers.
    package func continuing<T>(after offset: Int, tagging tags: [Metric], _ body: () throws -> T) rethrows -> T {
        let (savedOffset, savedTags) = (iterationOffset, phaseTags)
        iterationOffset = savedOffset + offset
        phaseTags = savedTags + tags
        defer { (iterationOffset, phaseTags) = (savedOffset, savedTags) }
        return try body()
    }

    /// Ends the history (flushes the last thinned record) and returns it.
    package func finishHistory() -> ConvergenceHistory {
        history.finish()
        return history
    }

    func notifyStart(problem: String, solverID: String) {
        for o in observers { o.solveDidStart(problem: problem, solverID: solverID) }
    }

    func notifyFinish(_ result: SolveResult) {
        for o in observers { o.solveDidFinish(result) }
    }
}
