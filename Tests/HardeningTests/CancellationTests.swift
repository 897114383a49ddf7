import BuiltInSolvers
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
            try await SolverRegistry.builtIn.solve(problem, name: "long", solverID: "native.gradient-descent",
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
            try await SolverRegistry.builtIn.solve(lp, name: "long", solverID: "glpk.simplex",
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
        let asynchronous = try await SolverRegistry.builtIn.solve(problem, name: "p", solverID: "native.bfgs", options: options)
        let synchronous = try SolverRegistry.builtIn.solve(problem, name: "p", solverID: "native.bfgs", options: options, observers: [])
        #expect(asynchronous.status == .iterationLimit)
        #expect(asynchronous.primal == synchronous.primal)
        #expect(asynchronous.history.records.map(\.objective) == synchronous.history.records.map(\.objective))
    }

    @Test("the event stream yields every record, then the result; the records are the history's")
    func eventStreamMatchesTheHistory() async throws {
        let problem = LongInstances.smooth
        let options = SolveOptions(maxIterations: 40, historyStorage: .all)
        var records: [IterationRecord] = []
        var finished: SolveResult?
        for try await event in SolverRegistry.builtIn.events(problem, name: "p", solverID: "native.bfgs", options: options) {
            switch event {
            case .iteration(let record): records.append(record)
            case .finished(let result): finished = result
            }
        }
        let result = try #require(finished)
        #expect(result.status == .iterationLimit)
        #expect(records.count == result.history.records.count && records.count > 10)
        #expect(records.map(\.objective) == result.history.records.map(\.objective))
    }

    @Test("leaving the event loop early stops the solve")
    func leavingTheEventLoopCancels() async throws {
        let problem = LongInstances.smooth
        let start = ContinuousClock.now
        var seen = 0
        for try await event in SolverRegistry.builtIn.events(problem, name: "long", solverID: "native.gradient-descent",
                                                              options: SolveOptions(maxIterations: 100_000_000)) {
            if case .iteration = event { seen += 1 }
            if seen == 5 { break }
        }
        #expect(seen == 5)
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test("a routing error ends the event stream with the error")
    func eventStreamCarriesErrors() async throws {
        await #expect(throws: SolverError.self) {
            for try await _ in SolverRegistry.builtIn.events(LongInstances.smooth, name: "p", solverID: "no.such-solver") {}
        }
    }
}
