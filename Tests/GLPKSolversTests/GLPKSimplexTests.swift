import Dispatch
import Testing
@testable import GLPKSolvers
import LagrangeCore
import LinearAlgebra
import LagrangeTestSupport

@Suite("glpk.simplex")
struct GLPKSimplexTests {
    @Test("seed LP: optimum 2 at (0, 0, 2), dual 1/2")
    func seed() throws {
        let r = try solve(try seedLP())
        #expect(r.status == .optimal)
        #expect(r.rawStatus.hasPrefix("GLP_OPT"))
        #expect(r.solverID == "glpk.simplex")
        #expect(isClose(r.objective ?? .nan, 2, absolute: 1e-9))
        #expect(r.primal.count == 3)
        #expect(isClose(r.value(of: "x3") ?? .nan, 2, absolute: 1e-9))
        #expect(isClose(r.dual(of: "r1") ?? .nan, 0.5, absolute: 1e-9))
        let d = try #require(r.reducedCosts)
        #expect(zip(d, [0.5, 0.5, 0]).allSatisfy { isClose($0, $1, absolute: 1e-9) })
        let kkt = try #require(r.kkt)
        #expect(kkt.primalInfeasibility < 1e-9 && kkt.dualInfeasibility < 1e-9 && kkt.complementarity < 1e-9)
        #expect(r.iterations >= 1)
        #expect(!r.history.records.isEmpty)
        #expect(r.history.records.last?.objective.map { isClose($0, 2, absolute: 1e-9) } == true)
    }

    @Test("max problem: optimum, shadow prices and reduced costs", arguments: GLPKSimplexSettings.Method.allCases)
    func maximize(method: GLPKSimplexSettings.Method) throws {
        let r = try solve(try maxLP(), options: SolveOptions(parameters: ["method": .string(method.rawValue)]))
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, 11, absolute: 1e-9))
        #expect(isClose(r.primal[0], 3, absolute: 1e-9) && isClose(r.primal[1], 1, absolute: 1e-9))
        let y = try #require(r.duals)
        #expect(isClose(y[0], 2, absolute: 1e-9) && isClose(y[1], 0, absolute: 1e-9))
        #expect(isClose(r.reducedCosts?[0] ?? .nan, 1, absolute: 1e-9))
        let kkt = try #require(r.kkt)
        #expect(kkt.dualInfeasibility < 1e-9 && kkt.complementarity < 1e-9)
    }

    @Test("ranges, a free and a fixed variable, objective constant")
    func rangedFreeFixed() throws {
        let r = try solve(try rangedLP())
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, 10, absolute: 1e-9))
        #expect(zip(r.primal, [2, 0, 1]).allSatisfy { isClose($0, $1, absolute: 1e-9) })
        #expect(zip(r.duals ?? [], [1, 0, 0]).allSatisfy { isClose($0, $1, absolute: 1e-9) })
        #expect(zip(r.reducedCosts ?? [], [0, 1, 3]).allSatisfy { isClose($0, $1, absolute: 1e-9) })
        let kkt = try #require(r.kkt)
        #expect(kkt.primalInfeasibility < 1e-9 && kkt.dualInfeasibility < 1e-9 && kkt.complementarity < 1e-9)
    }

    /// duals = ∂(optimal objective)/∂(row bound) and reduced costs = ∂/∂(column bound), by central
    /// differences, for a min and a max problem (GLPK's convention is the project's).
    @Test("duals and reduced costs are shadow prices (finite differences)", arguments: [
        ("min ranged", ObjectiveSense.minimize), ("max ranged", ObjectiveSense.maximize), ("max", ObjectiveSense.maximize),
    ])
    func shadowPrices(name: String, sense: ObjectiveSense) throws {
        let lp = name == "max" ? try maxLP() : try rangedLP(sense)
        let base = try solve(lp)
        #expect(base.status == .optimal)
        let h = 1e-4
        for i in 0..<lp.rowCount {
            let up = try solve(try shifted(lp, row: i, by: h)), down = try solve(try shifted(lp, row: i, by: -h))
            let fd = ((up.objective ?? .nan) - (down.objective ?? .nan)) / (2 * h)
            #expect(isClose(fd, base.duals?[i] ?? .nan, absolute: 1e-6), "row \(i): finite difference \(fd), dual \(base.duals?[i] ?? .nan)")
        }
        for j in 0..<lp.columnCount {
            let up = try solve(try shifted(lp, column: j, by: h)), down = try solve(try shifted(lp, column: j, by: -h))
            let fd = ((up.objective ?? .nan) - (down.objective ?? .nan)) / (2 * h)
            #expect(isClose(fd, base.reducedCosts?[j] ?? .nan, absolute: 1e-6), "column \(j): finite difference \(fd)")
        }
    }

    @Test("tiny_infeasible is infeasible", arguments: [("primal", false), ("primal", true), ("dual", false), ("dualp", false)])
    func infeasible(method: String, presolve: Bool) throws {
        let options = SolveOptions(parameters: ["method": .string(method), "presolve": .bool(presolve)])
        let r = try solve(try infeasibleLP(), options: options)
        #expect(r.status == .infeasible, "\(r.rawStatus)")
        #expect(r.objective == nil && r.duals == nil)
        #expect(r.primal.count == 2)
    }

    @Test("tiny_unbounded is unbounded", arguments: [("primal", false), ("primal", true)])
    func unbounded(method: String, presolve: Bool) throws {
        let options = SolveOptions(parameters: ["method": .string(method), "presolve": .bool(presolve)])
        let r = try solve(try unboundedLP(), options: options)
        #expect(r.status == .unbounded, "\(r.rawStatus)")
        #expect(r.objective == nil)
        if presolve { #expect(r.notes.contains { $0.contains("re-solved without presolve") }) }
    }

    @Test("the dual simplex on tiny_unbounded says no more than it proved")
    func unboundedDual() throws {
        let r = try solve(try unboundedLP(), options: SolveOptions(parameters: ["method": .string("dual")]))
        #expect(r.status == .unbounded || r.status == .infeasibleOrUnbounded, "\(r.rawStatus)")
    }

    @Test("a problem without rows (GLPK's trivial path)")
    func noRows() throws {
        let lp = try makeLP(c: [1, -1], rows: [], rowLower: [], rowUpper: [], columnLower: [1, -.infinity], columnUpper: [5, 2])
        let r = try solve(lp)
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, -1, absolute: 1e-12))
        #expect(r.duals == [])
        let free = try makeLP(c: [1], rows: [], rowLower: [], rowUpper: [], columnLower: [-.infinity])
        #expect(try solve(free).status == .unbounded)
        // A row without entries whose bounds exclude 0.
        let emptyRow = try makeLP(c: [1], rows: [[0]], rowLower: [1], rowUpper: [2])
        #expect(try solve(emptyRow).status == .infeasible)
    }

    @Test("integer columns are refused unless the relaxation is asked for, which the result then says (issue #18)")
    func integrality() throws {
        let lp = try makeLP(c: [1, 1, 1], rows: [[1, 1, 2]], rowLower: [3], rowUpper: [3], integerColumns: [2])
        #expect(throws: SolverError.self) { try solve(lp) }
        var options = SolveOptions()
        options.parameters["relax"] = .bool(true)
        let r = try solve(lp, options: options)
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, 1.5, absolute: 1e-9))
        #expect(r.notes.contains { $0.contains("LP relaxation (relax: true): integrality of 1 column dropped") })
    }

    @Test("names GLPK would reject never reach it")
    func awkwardNames() throws {
        let long = String(repeating: "v", count: 300)
        let a = try SparseMatrix(rowCount: 1, columnCount: 2, triplets: [(0, 0, 1), (0, 1, 1)])
        let lp = try LinearProgram(objective: [1, 2], constraints: a, rowLower: [1], rowUpper: [.infinity],
                                   variableNames: [long, "tab\there"], constraintNames: ["new\nline"])
        let r = try solve(lp)
        #expect(r.status == .optimal)
        #expect(r.value(of: long) == 1)
    }

    @Test("numbers beyond GLPK's safe range are refused before GLPK sees them")
    func hugeCoefficient() throws {
        let lp = try makeLP(c: [1e200], rows: [[1]], rowLower: [1], rowUpper: [1])
        #expect(throws: SolverError.self) { try solve(lp) }
    }

    @Test("invalid option values name the option")
    func invalidOptions() throws {
        let lp = try seedLP()
        #expect(throws: SolverError.invalidOption(name: "method", reason: "expected one of primal, dual, dualp, got 'simplex'")) {
            try solve(lp, options: SolveOptions(parameters: ["method": .string("simplex")]))
        }
        #expect(throws: SolverError.self) { try solve(lp, options: SolveOptions(parameters: ["chunk_iterations": .number(-1)])) }
        #expect(throws: SolverError.self) { try solve(lp, options: SolveOptions(tolerance: 2)) }
        #expect(throws: SolverError.self) { try solve(lp, options: SolveOptions(parameters: ["ordering": .string("amd")])) }
    }

    @Test("options change the run but not the answer")
    func optionsAccepted() throws {
        let lp = try randomDenseLP(rows: 30, columns: 30, seed: 3)
        let reference = try solve(lp)
        for params: [String: OptionValue] in [["scaling": .bool(false)], ["presolve": .bool(true)],
                                              ["chunk_iterations": .number(0)], ["chunk_iterations": .number(3)]] {
            let r = try solve(lp, options: SolveOptions(tolerance: 1e-9, parameters: params))
            #expect(r.status == .optimal)
            #expect(isClose(r.objective ?? .nan, reference.objective ?? .nan, relative: 1e-9), "\(params)")
        }
    }

    @Test("descriptor")
    func descriptor() {
        let d = GLPKSimplexSolver().descriptor
        #expect(d.id == "glpk.simplex" && d.kinds == [.lp] && d.backend == "glpk")
        #expect(d.options.map(\.name) == ["method", "presolve", "scaling", "chunk_iterations", "ranging"])
        #expect(d.options.allSatisfy { !$0.defaultValue.isEmpty && !$0.summary.isEmpty })
    }
}

@Suite("glpk.simplex limits and observers")
struct GLPKSimplexControlTests {
    @Test("an observer returning false stops the solve: interrupted, with history")
    func observerStop() throws {
        let lp = try randomDenseLP(rows: 40, columns: 40, seed: 1)
        let full = try solve(lp)
        #expect(full.status == .optimal && full.iterations > 10)
        var seen = 0
        let stopper = ClosureObserver { record in
            seen += 1
            return record.iteration < 5
        }
        let r = try solve(lp, options: SolveOptions(parameters: ["chunk_iterations": .number(4)]), observers: [stopper])
        #expect(r.status == .interrupted, "\(r.rawStatus)")
        #expect(!r.history.records.isEmpty && seen > 0)
        #expect(r.iterations >= 5 && r.iterations <= 8)
        #expect(r.primal.count == lp.columnCount)
        // The last iterate is a feasible basis here (x = 0 start, primal phase 2).
        #expect((r.kkt?.primalInfeasibility ?? 1) < 1e-9)
    }

    @Test("an observer stop with the default chunk: interrupted")
    func observerStopDefaultChunk() throws {
        let lp = try randomDenseLP(rows: 40, columns: 40, seed: 1)
        let r = try solve(lp, observers: [ClosureObserver { _ in false }])
        // One chunk of 1000 iterations finishes this LP before the stop can act: GLPK's
        // answer wins, with a note; the history still holds every iteration.
        #expect(r.status == .optimal)
        #expect(r.notes.contains { $0.contains("requested") })
        #expect(r.history.records.count == r.iterations + 1)
    }

    @Test("cancellation: interrupted")
    func cancellation() throws {
        let lp = try randomDenseLP(rows: 40, columns: 40, seed: 2)
        let flag = CancellationFlag()
        flag.cancel()
        let r = try solve(lp, cancellation: flag)
        #expect(r.status == .interrupted)
        #expect(r.primal.count == lp.columnCount && r.objective == nil)

        let later = CancellationFlag()
        let cancelAtTwo = ClosureObserver { record in
            if record.iteration >= 2 { later.cancel() }
            return true
        }
        let r2 = try solve(lp, options: SolveOptions(parameters: ["chunk_iterations": .number(2)]),
                           observers: [cancelAtTwo], cancellation: later)
        #expect(r2.status == .interrupted)
        #expect(r2.iterations == 2)
    }

    @Test("max_iterations: iteration_limit at exactly the limit", arguments: [0, 2, 1000])
    func iterationLimit(chunk: Int) throws {
        let lp = try randomDenseLP(rows: 40, columns: 40, seed: 1)
        let r = try solve(lp, options: SolveOptions(maxIterations: 7, parameters: ["chunk_iterations": .number(Double(chunk))]))
        #expect(r.status == .iterationLimit, "\(r.rawStatus)")
        #expect(r.iterations == 7)
        #expect(r.rawStatus.contains("GLP_EITLIM"))
        #expect(r.objective != nil)
    }

    @Test("time_limit on an LP that takes longer")
    func timeLimit() throws {
        let lp = try randomDenseLP(rows: 300, columns: 300, seed: 4)
        let r = try solve(lp, options: SolveOptions(timeLimit: 0.005))
        #expect(r.status == .timeLimit, "\(r.rawStatus)")
        #expect(r.primal.count == 300)
    }

    @Test("solves on several threads at once (GLPK state is per thread)")
    func concurrentSolves() throws {
        let lps = try (0..<6).map { try randomDenseLP(rows: 30, columns: 30, seed: UInt64(10 + $0)) }
        let serial = try lps.map { try solve($0).objective ?? .nan }
        let parallel = Results(count: lps.count)
        DispatchQueue.concurrentPerform(iterations: lps.count) { k in
            parallel.set(k, (try? solve(lps[k]))?.objective ?? .nan)
        }
        #expect(zip(serial, parallel.values).allSatisfy { isClose($0, $1, relative: 1e-12) })
    }
}

/// Collects values written from several threads.
final class Results: @unchecked Sendable {
    private let lock = DispatchQueue(label: "results")
    private var storage: [Double]
    init(count: Int) { storage = Array(repeating: .nan, count: count) }
    func set(_ k: Int, _ v: Double) { lock.sync { storage[k] = v } }
    var values: [Double] { lock.sync { storage } }
}
