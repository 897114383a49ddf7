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
///
/// A second test runs every solver of a kind on the kind's large instance (issue #16's
/// sizes: an expression in 3000 variables, a million arcs, a dense 50 000 × 500 system).
/// On these even a stopped solve has O(size) work to do (building its workspace before
/// the first check, the result's per-arc flows or residual after it): a few milliseconds
/// per pass in an optimized build, where the budget is the same 150 ms
/// (`swift test -c release --filter LimitTests`), but 30–150 ms per pass in a debug build,
/// whose Swift code runs 5–50× slower (generic code is not specialized) while GSL and GLPK
/// do not. So a debug build allows each kind what that work costs there
/// (``largeDebugBudgets``), still well below what a solver that ignores its limit takes.
@Suite(.serialized)
struct LimitTests {
    static let timeLimit = 0.05
    static let wallBudget = 0.15
    /// Budgets on the large instances in a debug build. Smooth: none is needed (the stopped
    /// solvers take 40–85 ms there; before their fixes Newton took 13 s, Nelder–Mead 4 s,
    /// BFGS 0.6 s). Max-flow: the result's per-arc flows and cut (the stopped solvers take
    /// 0.08–0.12 s; before, 0.3–0.55 s). Linear system: three or four passes over 25
    /// million entries (norms, the residuals of the first and the last record: the stopped
    /// solvers take 0.25–0.56 s alone, but a clean-clone CI run with the tests in parallel
    /// measured extended Kaczmarz at 0.79 s of its thread's CPU, hence 1.0 s. Extended
    /// Kaczmarz took 0.8–1.1 s before its fix, so in debug builds this budget now catches only
    /// a solver that overruns by more than that; release builds are held to 0.15 s).
    static let largeDebugBudgets: [ProblemKind: Double] = [.smooth: 0.15, .maxFlow: 0.25, .linearSystem: 1.0]

    static func largeBudget(for kind: ProblemKind) -> Double {
        #if DEBUG
        return largeDebugBudgets[kind] ?? wallBudget
        #else
        return wallBudget
        #endif
    }

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
        let (solverID, kind) = try Self.parse(solverKind)
        let candidates = Self.modelBuilders[solverID].map { [$0] } ?? LongInstances.problems(for: kind)
        guard !candidates.isEmpty else {
            Issue.record("no seconds-long instance generator for kind \(kind.rawValue) (add one to LongInstances)")
            return
        }
        let run = try #require(Self.solveWithLimit(solverID, candidates),
                               "\(solverID) accepted none of the long \(kind.rawValue) instances")
        Self.expectLimitHeld(solverID, run)
    }

    /// Every solver of a kind with a large instance (``LongInstances/large(for:)``: the sizes
    /// of issue #16 where limits were once missed by seconds), except the model builders,
    /// which get the smaller instance above.
    static var largeSolverKinds: [String] {
        solverKinds.filter { entry in
            let parts = entry.split(separator: " ").map(String.init)
            return modelBuilders[parts[0]] == nil && ProblemKind(rawValue: parts[1]).flatMap(LongInstances.large(for:)) != nil
        }
    }

    @Test("50 ms time limit holds on the large instances", arguments: largeSolverKinds)
    func timeLimitHoldsOnLargeInstances(solverKind: String) throws {
        let (solverID, kind) = try Self.parse(solverKind)
        let problem = try #require(LongInstances.large(for: kind))
        // A solver that refuses the instance (a dense method above its size cap) is not run.
        let budget = Self.largeBudget(for: kind)
        guard let run = Self.solveWithLimit(solverID, [problem], budget: budget) else { return }
        Self.expectLimitHeld(solverID, run, budget: budget)
    }

    static func parse(_ solverKind: String) throws -> (id: String, kind: ProblemKind) {
        let parts = solverKind.split(separator: " ").map(String.init)
        let kind = try #require(ProblemKind(rawValue: parts[1]))
        _ = try #require(SolverRegistry.standard.plugin(id: parts[0])?.descriptor)
        return (parts[0], kind)
    }

    /// One solve at the limit: the result, its wall time and the thread's CPU time.
    struct LimitedRun {
        var result: SolveResult
        var wall: Double
        var cpu: Double
    }

    /// Solves the first candidate the solver accepts with the 50 ms limit, up to three times
    /// while over the wall budget; nil when it accepts none.
    static func solveWithLimit(_ solverID: String, _ candidates: [Problem], budget: Double = wallBudget) -> LimitedRun? {
        let registry = SolverRegistry.standard
        var wall = Double.infinity, cpu = Double.infinity
        var result: SolveResult?
        for problem in candidates where result == nil {
            for _ in 0..<3 where wall > budget {
                let start = IterationControl.now(), cpuStart = threadCPUSeconds()
                do {
                    result = try registry.solve(problem, name: "long", solverID: solverID, options: SolveOptions(timeLimit: timeLimit))
                } catch {
                    break  // this solver does not take this instance; try the next one
                }
                wall = IterationControl.now() - start
                cpu = threadCPUSeconds() - cpuStart
            }
        }
        return result.map { LimitedRun(result: $0, wall: wall, cpu: cpu) }
    }

    static func expectLimitHeld(_ solverID: String, _ run: LimitedRun, budget: Double = wallBudget) {
        // Wall time is the requirement. On a machine this loaded that even the third run
        // was not scheduled in time, the solving thread's own CPU time (every solver is
        // single-threaded) still shows whether the solver stopped: one that ignores its
        // limit burns seconds of CPU.
        #expect(run.wall <= budget || run.cpu <= budget,
                "\(solverID) took \(run.wall) s (\(run.cpu) s CPU) with a \(timeLimit) s limit")
        #expect(run.result.status == .timeLimit, "\(solverID) ended \(run.result.status.rawValue): the instance must take longer than the limit")
        #expect(!run.result.history.records.isEmpty || run.result.iterations == 0, "\(solverID) returned no history")
    }
}
