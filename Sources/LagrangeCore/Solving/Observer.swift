/// What an observer wants after seeing an iteration.
public enum ObserverDecision: Sendable {
    case proceed
    /// End the solve now; it returns `interrupted` with the last iterate and its history.
    case stop
}

/// Watches a solve as it runs (argmin's `Observe`, with DESIGN's stop rule).
///
/// Observers are called synchronously on the solving thread. All methods have empty
/// default implementations.
public protocol SolveObserver: AnyObject {
    func solveDidStart(problem: String, solverID: String)
    func solveDidIterate(_ record: IterationRecord) -> ObserverDecision
    func solveDidFinish(_ result: SolveResult)
}

extension SolveObserver {
    public func solveDidStart(problem: String, solverID: String) {}
    public func solveDidIterate(_ record: IterationRecord) -> ObserverDecision { .proceed }
    public func solveDidFinish(_ result: SolveResult) {}
}

/// An observer built from a closure: return `false` to stop the solve.
public final class ClosureObserver: SolveObserver {
    private let body: (IterationRecord) -> Bool
    public init(_ body: @escaping (IterationRecord) -> Bool) { self.body = body }
    public func solveDidIterate(_ record: IterationRecord) -> ObserverDecision { body(record) ? .proceed : .stop }
}

/// A thread-safe flag that asks a running solve to stop (Ctrl-C, task cancellation).
public final class CancellationFlag: Sendable {
    private let storage = Mutex(false)
    public init() {}
    public func cancel() { storage.withLock { $0 = true } }
    public var isCancelled: Bool { storage.withLock { $0 } }
}

import Synchronization
