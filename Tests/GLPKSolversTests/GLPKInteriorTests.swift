import CGLPK
import Testing
@testable import GLPKSolvers
import LagrangeCore
import LagrangeTestSupport

@Suite("glpk.interior")
struct GLPKInteriorTests {
    @Test("seed LP")
    func seed() throws {
        let r = try solve(try seedLP(), "glpk.interior")
        #expect(r.status == .optimal)
        #expect(r.rawStatus.hasPrefix("GLP_OPT"))
        #expect(isClose(r.objective ?? .nan, 2, absolute: 1e-6))
        #expect(isClose(r.value(of: "x3") ?? .nan, 2, absolute: 1e-6))
        #expect(isClose(r.dual(of: "r1") ?? .nan, 0.5, absolute: 1e-6))
        let kkt = try #require(r.kkt)
        #expect(kkt.primalInfeasibility < 1e-6 && kkt.dualInfeasibility < 1e-6 && kkt.complementarity < 1e-6)
        #expect(r.iterations > 0)
        #expect(r.history.records.count == r.iterations + 1)
        let last = try #require(r.history.records.last)
        #expect(last.primalResidual != nil && last.dualResidual != nil && last.gap != nil)
        #expect(isClose(last.objective ?? .nan, 2, absolute: 1e-6))
    }

    @Test("max problem: shadow prices in the project's convention; log objective in the problem's sense")
    func maximize() throws {
        let r = try solve(try maxLP(), "glpk.interior")
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, 11, absolute: 1e-6))
        #expect(isClose(r.duals?[0] ?? .nan, 2, absolute: 1e-6) && isClose(r.duals?[1] ?? .nan, 0, absolute: 1e-6))
        #expect(isClose(r.reducedCosts?[0] ?? .nan, 1, absolute: 1e-6))
        #expect(isClose(r.history.records.last?.objective ?? .nan, 11, absolute: 1e-5))
    }

    @Test("ranges, free and fixed variables agree with the simplex", arguments: ["amd", "symamd", "none"])
    func ranged(ordering: String) throws {
        let lp = try rangedLP()
        let r = try solve(lp, "glpk.interior", options: SolveOptions(parameters: ["ordering": .string(ordering)]))
        #expect(r.status == .optimal)
        #expect(isClose(r.objective ?? .nan, 10, absolute: 1e-6))
        #expect(zip(r.primal, [2, 0, 1]).allSatisfy { isClose($0, $1, absolute: 1e-6) })
        #expect(zip(r.duals ?? [], [1, 0, 0]).allSatisfy { isClose($0, $1, absolute: 1e-6) })
    }

    @Test("a random dense LP agrees with the simplex")
    func randomDense() throws {
        let lp = try randomDenseLP(rows: 30, columns: 40, seed: 5)
        let simplex = try solve(lp), interior = try solve(lp, "glpk.interior")
        #expect(interior.status == .optimal)
        #expect(isClose(interior.objective ?? .nan, simplex.objective ?? .nan, relative: 1e-6))
    }

    @Test("infeasible and unbounded: GLPK's IPM cannot tell which; the auxiliary LPs do, with certificates")
    func infeasibleOrUnbounded() throws {
        for (lp, expected) in [(try infeasibleLP(), TerminationStatus.infeasible), (try unboundedLP(), .unbounded)] {
            let r = try solve(lp, "glpk.interior")
            #expect(r.status == expected, "\(r.rawStatus)")
            #expect(r.certificate?.kind == (expected == .infeasible ? .farkas : .primalRay))
            #expect(r.certificateCheck?.passed == true)
        }
    }

    @Test("an empty standard form is reported, not solved")
    func emptyStandardForm() throws {
        let lp = try makeLP(c: [1], rows: [], rowLower: [], rowUpper: [], columnLower: [1], columnUpper: [1])
        let r = try solve(lp, "glpk.interior")
        #expect(r.status == .numericalError)
        #expect(r.rawStatus.contains("GLP_EFAIL"))
        #expect(r.notes.contains { $0.contains("use glpk.simplex") })
    }

    @Test("observers, max_iterations and cancellation stop glp_interior at its log line; GLPK works afterwards")
    func stops() throws {
        let lp = try seedLP()
        let reference = try solve(lp, "glpk.interior")
        #expect(reference.status == .optimal && reference.history.records.count >= 3)

        let observed = try solve(lp, "glpk.interior", observers: [ClosureObserver { _ in false }])
        #expect(observed.status == .interrupted)
        #expect(observed.history.records.count == 1 && observed.iterations == reference.history.records[0].iteration)
        #expect(observed.objective == nil && observed.primal.allSatisfy { $0 == 0 })
        #expect(observed.notes.contains { $0.contains("no point is returned") })

        let limited = try solve(lp, "glpk.interior", options: SolveOptions(maxIterations: 2))
        #expect(limited.status == .iterationLimit)
        #expect(limited.history.records.map(\.objective) == Array(reference.history.records.prefix(limited.history.records.count)).map(\.objective))

        // A stop frees GLPK's environment on this thread; the next solves rebuild it.
        let again = try solve(lp, "glpk.interior")
        #expect(again.status == .optimal && again.objective == reference.objective)
        #expect(again.history.records.map(\.objective) == reference.history.records.map(\.objective))
        let simplex = try solve(lp, "glpk.simplex")
        #expect(simplex.status == .optimal && isClose(simplex.objective ?? .nan, reference.objective ?? .nan, relative: 1e-6))

        let cancelled = CancellationFlag()
        cancelled.cancel()
        let c = try solve(lp, "glpk.interior", cancellation: cancelled)
        #expect(c.status == .interrupted)
        #expect(c.iterations == 0 && c.history.records.isEmpty)
    }

    @Test("tolerance is ignored with a note; descriptor")
    func descriptorAndTolerance() throws {
        let r = try solve(try seedLP(), "glpk.interior", options: SolveOptions(tolerance: 1e-6))
        #expect(r.notes.contains { $0.contains("tolerance ignored") })
        let d = GLPKInteriorSolver().descriptor
        #expect(d.id == "glpk.interior" && d.kinds == [.lp])
        #expect(d.options.map(\.name) == ["ordering"] && d.options[0].defaultValue == "amd")
        #expect(throws: SolverError.self) {
            try solve(try seedLP(), "glpk.interior", options: SolveOptions(parameters: ["ordering": .string("metis")]))
        }
        // GLPK 5.0's QMD aborts the process; it must be refused before GLPK is called.
        #expect(throws: SolverError.self) {
            try solve(try seedLP(), "glpk.interior", options: SolveOptions(parameters: ["ordering": .string("qmd")]))
        }
    }
}

@Suite("GLPK log and status mapping")
struct GLPKLogTests {
    @Test("simplex log lines")
    func simplexLines() throws {
        let p1 = try #require(GLPKLog.simplexRecord("      0: obj =   0.000000000e+00 inf =   4.000e+00 (1)"))
        #expect(p1.iteration == 0 && p1.objective == 0 && p1.primalResidual == 4)
        #expect(p1.extras == [Metric("phase", 1), Metric("primal_infeasible_count", 1)])
        let p2 = try #require(GLPKLog.simplexRecord("*    12: obj =  -4.647531429e+02 inf =   0.000e+00 (0) 2"))
        #expect(p2.iteration == 12 && p2.objective == -464.7531429 && p2.primalResidual == 0)
        #expect(p2.extras == [Metric("phase", 2), Metric("dual_infeasible_count", 0)])
        let d1 = try #require(GLPKLog.simplexRecord("     65: sum =   1.126006749e+00 inf =   1.126e+00 (9)"))
        #expect(d1.objective == nil && d1.dualResidual == 1.126 && d1.extras[1] == Metric("dual_infeasible_count", 9))
        let d2 = try #require(GLPKLog.simplexRecord("#    70: obj =   4.158220153e+00 inf =   0.000e+00 (3) 1 12%"))
        #expect(d2.iteration == 70 && d2.dualResidual == 0 && d2.extras[1] == Metric("primal_infeasible_count", 3))
        let trivial = try #require(GLPKLog.simplexRecord("~     0: obj =   1.000000000e+00  infeas =  0.000e+00"))
        #expect(trivial.objective == 1 && trivial.primalResidual == 0)
        for noise in ["GLPK Simplex Optimizer 5.0", "1 row, 3 columns, 3 non-zeros", "OPTIMAL LP SOLUTION FOUND", "", ":", "x: obj = 1"] {
            #expect(GLPKLog.simplexRecord(noise) == nil)
        }
    }

    @Test("interior log lines")
    func interiorLines() throws {
        let line = " 13: obj =  -4.158220151e+00; rpi =  1.1e-09; rdi =  1.9e-11; gap =  8.0e-09"
        let min = try #require(GLPKLog.interiorRecord(line, sense: .minimize))
        #expect(min.iteration == 13 && min.objective == -4.158220151)
        #expect(min.primalResidual == 1.1e-9 && min.dualResidual == 1.9e-11 && min.gap == 8.0e-9)
        #expect(GLPKLog.interiorRecord(line, sense: .maximize)?.objective == 4.158220151)
        #expect(GLPKLog.interiorRecord("Matrix L has 820 non-zeros", sense: .minimize) == nil)
        #expect(GLPKLog.interiorRecord("Guessing initial point...", sense: .minimize) == nil)
    }

    @Test("status table")
    func statusTable() {
        func simplex(_ code: Int32, _ p: Int32, _ d: Int32) -> TerminationStatus {
            GLPKOutcome(method: .simplex, returnCode: code, primalStatus: p, dualStatus: d).terminationStatus
        }
        #expect(simplex(0, GLP_FEAS, GLP_FEAS) == .optimal)
        #expect(simplex(0, GLP_NOFEAS, GLP_INFEAS) == .infeasible)
        #expect(simplex(0, GLP_FEAS, GLP_NOFEAS) == .unbounded)
        #expect(simplex(0, GLP_INFEAS, GLP_NOFEAS) == .infeasibleOrUnbounded)
        #expect(simplex(0, GLP_UNDEF, GLP_UNDEF) == .numericalError)
        #expect(simplex(GLP_ENOPFS, GLP_UNDEF, GLP_UNDEF) == .infeasible)
        #expect(simplex(GLP_ENODFS, GLP_UNDEF, GLP_UNDEF) == .infeasibleOrUnbounded)
        #expect(simplex(GLP_EITLIM, GLP_FEAS, GLP_INFEAS) == .iterationLimit)
        #expect(simplex(GLP_ETMLIM, GLP_INFEAS, GLP_INFEAS) == .timeLimit)
        for code in [GLP_EBADB, GLP_ESING, GLP_ECOND, GLP_EBOUND, GLP_EFAIL, GLP_EOBJLL, GLP_EOBJUL] {
            #expect(simplex(code, GLP_UNDEF, GLP_UNDEF) == .numericalError)
        }
        func interior(_ code: Int32, _ s: Int32) -> TerminationStatus {
            GLPKOutcome(method: .interior, returnCode: code, primalStatus: s, dualStatus: GLP_UNDEF).terminationStatus
        }
        #expect(interior(0, GLP_OPT) == .optimal)
        #expect(interior(0, GLP_NOFEAS) == .infeasibleOrUnbounded)
        #expect(interior(GLP_ENOFEAS, GLP_UNDEF) == .infeasibleOrUnbounded)
        #expect(interior(GLP_ENOCVG, GLP_INFEAS) == .slowProgress)
        #expect(interior(GLP_EITLIM, GLP_INFEAS) == .iterationLimit)
        #expect(interior(GLP_EINSTAB, GLP_INFEAS) == .numericalError)
        #expect(interior(GLP_EFAIL, GLP_UNDEF) == .numericalError)
        #expect(GLPKOutcome(method: .simplex, returnCode: GLP_EITLIM, primalStatus: GLP_FEAS, dualStatus: GLP_INFEAS).rawStatus
                == "GLP_FEAS (glp_simplex: GLP_EITLIM; primal GLP_FEAS, dual GLP_INFEAS)")
    }
}
