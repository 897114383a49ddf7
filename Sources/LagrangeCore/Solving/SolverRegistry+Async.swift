#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SolverRegistry {
    /// Routes and solves a problem definition on a thread of its own, honouring Swift task
    /// cancellation: cancelling the calling task sets the solve's ``CancellationFlag``, and
    /// the solver stops at its next check with `interrupted`, returning its last point and
    /// history (not an error).
    ///
    /// The synchronous solve runs start to finish on one dedicated thread (not the
    /// cooperative pool, which it would block), because GLPK keeps per-thread state and a
    /// GLPK problem must be created, solved and freed on one thread.
    ///
    /// - Parameters: as ``solve(_:solverID:options:observers:cancellation:)``, without
    ///   observers (they are called on the solving thread and are not `Sendable`).
    public func solve(_ definition: ProblemDefinition, solverID: String? = nil,
                      options: SolveOptions = SolveOptions()) async throws -> SolveResult {
        let flag = CancellationFlag()
        let registry = self
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SolveResult, any Error>) in
                let started = SolverThread.start {
                    do {
                        continuation.resume(returning: try registry.solve(definition, solverID: solverID, options: options,
                                                                          cancellation: flag))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                if !started { continuation.resume(throwing: SolverError.unsupported("could not start a solver thread")) }
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// Solves a problem built in code asynchronously (see ``solve(_:solverID:options:)-async``).
    public func solve(_ problem: Problem, name: String = "problem", solverID: String? = nil,
                      options: SolveOptions = SolveOptions()) async throws -> SolveResult {
        try await solve(ProblemDefinition(name: name, problem: problem), solverID: solverID, options: options)
    }
}

/// A detached POSIX thread running one closure, with a large stack (solvers and C
/// libraries may use deep recursion or big stack frames).
enum SolverThread {
    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; false if the thread could not be created.
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 16 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, box)
        if code != 0 {
            Unmanaged<Body>.fromOpaque(box).release()
            return false
        }
        return true
    }
}

/// What a streamed solve reports: each iteration record as the solver produces it, then
/// the result.
public enum SolveEvent: Sendable {
    /// One iteration's record, as the solver produced it.
    case iteration(IterationRecord)
    /// The result, once; the last event of the stream.
    case finished(SolveResult)
}

extension SolverRegistry {
    /// A solve as an asynchronous sequence: every iteration record as it happens (whatever
    /// the options' history storage keeps), then `.finished` with the result; routing and
    /// input errors end the sequence with that error.
    ///
    /// ```swift
    /// for try await event in SolverRegistry.standard.events(definition) {
    ///     if case .iteration(let record) = event { print(record.iteration, record.objective ?? .nan) }
    /// }
    /// ```
    ///
    /// The solve runs on a thread of its own (as the async `solve`). Leaving the loop early,
    /// or cancelling the consuming task, cancels the solve: it stops at its next check.
    /// Records are buffered without limit, so a consumer much slower than the solver holds
    /// them in memory until it catches up.
    public func events(_ definition: ProblemDefinition, solverID: String? = nil,
                       options: SolveOptions = SolveOptions()) -> AsyncThrowingStream<SolveEvent, any Error> {
        AsyncThrowingStream { continuation in
            let flag = CancellationFlag()
            continuation.onTermination = { termination in
                if case .cancelled = termination { flag.cancel() }
            }
            let registry = self
            let started = SolverThread.start {
                let forwarder = EventForwarder { continuation.yield(.iteration($0)) }
                do {
                    let result = try registry.solve(definition, solverID: solverID, options: options,
                                                    observers: [forwarder], cancellation: flag)
                    continuation.yield(.finished(result))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            if !started { continuation.finish(throwing: SolverError.unsupported("could not start a solver thread")) }
        }
    }

    /// The events of a problem built in code (see ``events(_:solverID:options:)``).
    public func events(_ problem: Problem, name: String = "problem", solverID: String? = nil,
                       options: SolveOptions = SolveOptions()) -> AsyncThrowingStream<SolveEvent, any Error> {
        events(ProblemDefinition(name: name, problem: problem), solverID: solverID, options: options)
    }
}

/// Passes each record on; lives on the solving thread only.
private final class EventForwarder: SolveObserver {
    private let forward: (IterationRecord) -> Void
    init(_ forward: @escaping (IterationRecord) -> Void) { self.forward = forward }
    func solveDidIterate(_ record: IterationRecord) -> ObserverDecision {
        forward(record)
        return .proceed
    }
}
