import Lagrange
import LagrangeCore
import Testing

/// The async entry point honours Swift task cancellation: a long solve stops with
/// `interrupted`, its last point and its history, soon after the task is cancelled.
@Suite(.serialized)
struct CancellationTests {
    @Test("cancelling the task interrupts a native solve")
    func cancelNative() async throws {
        let problem = LongInstances.smooth  // generated before the clock starts
        let task = Task {
            try await SolverRegistry.standard.solve(problem, name: "long", solverID: "native.gradient-descent",
                                                    options: SolveOptions(maxIterations: 100_000_000))
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.status == .interrupted)
        #expect(!result.history.records.isEmpty)
        #expect(result.primal.count == 500 && result.primal.allSatisfy(\.isFinite))
    }

    @Test("cancelling the task interrupts a GLPK solve (one thread for the whole solve)")
    func cancelGLPK() async throws {
        let lp = LongInstances.lp
        let task = Task {
            try await SolverRegistry.standard.solve(lp, name: "long", solverID: "glpk.simplex",
                                                    options: SolveOptions(parameters: ["chunk_iterations": .number(50)]))
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.status == .interrupted)
    }

    @Test("an uncancelled async solve gives the synchronous answer")
    func asyncMatchesSync() async throws {
        let problem = LongInstances.smooth
        let options = SolveOptions(maxIterations: 5)
        let asynchronous = try await SolverRegistry.standard.solve(problem, name: "p", solverID: "native.bfgs", options: options)
        let synchronous = try SolverRegistry.standard.solve(problem, name: "p", solverID: "native.bfgs", options: options, observers: [])
        #expect(asynchronous.status == .iterationLimit)
        #expect(asynchronous.primal == synchronous.primal)
        #expect(asynchronous.history.records.map(\.objective) == synchronous.history.records.map(\.objective))
    }
}
