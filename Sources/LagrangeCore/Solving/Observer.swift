/// What an observer wants after seeing an iteration.
public enum ObserverDecision: Sendable {
    /// Go on with the solve.
    case proceed
    /// End the solve now; it returns `interrupted` with the last iterate and its history.
    case stop
}

/// Watches a solve as it runs (argmin's `Observe`, with DESIGN's stop rule).
///
/// Observers are called synchronously on the solving thread. All methods have empty
/// default implementations.
public protocol SolveObserver: AnyObject {
    /// Called once before the first iteration, with the problem's name and the solver id.
    func solveDidStart(problem: String, solverID: String)
    /// Called after each iteration with its record (time already stamped); return `.stop` to end
    /// the solve with `interrupted`.
    func solveDidIterate(_ record: IterationRecord) -> ObserverDecision
    /// Called once with the final result (status, history and all).
    func solveDidFinish(_ result: SolveResult)
}

extension SolveObserver {
    /// Does nothing.
    public func solveDidStart(problem: String, solverID: String) {}
    /// Always `.proceed`.
    public func solveDidIterate(_ record: IterationRecord) -> ObserverDecision { .proceed }
    /// Does nothing.
    public func solveDidFinish(_ result: SolveResult) {}
}

/// An observer built from a closure: return `false` to stop the solve.
public final class ClosureObserver: SolveObserver {
    private let body: (IterationRecord) -> Bool
    /// An observer calling `body` on every iteration record; `body` returns true to go on.
    public init(_ body: @escaping (IterationRecord) -> Bool) { self.body = body }
    /// `.proceed` when the closure returns true, else `.stop`.
    public func solveDidIterate(_ record: IterationRecord) -> ObserverDecision { body(record) ? .proceed : .stop }
}

/// A thread-safe flag that asks a running solve to stop (Ctrl-C, task cancellation).
public final class CancellationFlag: Sendable {
    private let storage = Mutex(false)
    /// A flag that is not yet cancelled.
    public init() {}
    /// Asks the solve to stop; it ends with `interrupted` at its next check. Safe from any thread; cannot be undone.
    public func cancel() { storage.withLock { $0 = true } }
    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool { storage.withLock { $0 } }
}

import Synchronization
