import Lagrange
import LagrangeCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Limits that hold: every registered solver, given a 50 ms time limit on an instance
/// that takes it seconds, returns within 150 ms of wall time with `time_limit` (or
/// `interrupted`), its best point so far, and a history.
///
/// The solvers are taken from `SolverRegistry.standard`, so a new plugin is covered
/// without editing this file; a kind without a generator in ``LongInstances`` fails.
/// Cases run one at a time (`.serialized`) so they do not compete with each other; a run
/// over the budget is retried (up to three runs), so other suites running in parallel on
/// a 2-core machine do not fail it, while a solver that ignores its limit fails every time.
@Suite(.serialized)
struct LimitTests {
    static let timeLimit = 0.05
    static let wallBudget = 0.15

    /// Solvers that turn the whole input into another model (an LP) before their first
    /// check: `LinearProgram`'s validating initializer is one step, ≈ 2 µs per arc in a
    /// debug build, so they get a smaller instance of the same family.
    static let modelBuilders: [String: Problem] = ["native.maxflow-lp": LongInstances.smallMaxFlow]

    /// CPU seconds used by the calling thread.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Every (solver, kind) pair: a solver serving several kinds (native.ipm: LP and QP)
    /// runs different code for each.
    static var solverKinds: [String] {
        SolverRegistry.standard.descriptors().flatMap { d in d.kinds.map { "\(d.id) \($0.rawValue)" } }
    }

    @Test("50 ms time limit holds", arguments: solverKinds)
    func timeLimitHolds(solverKind: String) throws {
        let registry = SolverRegistry.standard
        let parts = solverKind.split(separator: " ").map(String.init)
        let solverID = parts[0]
        let kind = try #require(ProblemKind(rawValue: parts[1]))
        _ = try #require(registry.plugin(id: solverID)?.descriptor)
        let candidates = Self.modelBuilders[solverID].map { [$0] } ?? LongInstances.problems(for: kind)
        guard !candidates.isEmpty else {
            Issue.record("no seconds-long instance generator for kind \(kind.rawValue) (add one to LongInstances)")
            return
        }
        var wall = Double.infinity, cpu = Double.infinity
        var result: SolveResult?
        for problem in candidates where result == nil {
            for _ in 0..<3 where wall > Self.wallBudget {
                let start = IterationControl.now(), cpuStart = Self.threadCPUSeconds()
                do {
                    result = try registry.solve(problem, name: "long", solverID: solverID, options: SolveOptions(timeLimit: Self.timeLimit))
                } catch {
                    break  // this solver does not take this instance; try the next one
                }
                wall = IterationControl.now() - start
                cpu = Self.threadCPUSeconds() - cpuStart
            }
        }
        let r = try #require(result, "\(solverID) accepted none of the long \(kind.rawValue) instances")
        // Wall time is the requirement. On a machine this loaded that even the third run
        // was not scheduled in time, the solving thread's own CPU time (every solver is
        // single-threaded) still shows whether the solver stopped: one that ignores its
        // limit burns seconds of CPU.
        #expect(wall <= Self.wallBudget || cpu <= Self.wallBudget,
                "\(solverID) took \(wall) s (\(cpu) s CPU) with a \(Self.timeLimit) s limit")
        #expect(r.status == .timeLimit, "\(solverID) ended \(r.status.rawValue): the instance must take longer than the limit")
        #expect(!r.history.records.isEmpty || r.iterations == 0, "\(solverID) returned no history")
    }
}
