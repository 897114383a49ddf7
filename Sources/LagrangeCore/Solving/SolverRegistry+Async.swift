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
