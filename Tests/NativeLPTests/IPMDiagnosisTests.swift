import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// ``LPDiagnosis`` honours the caller's time limit and cancellation (issue #23 item 4): its
/// two auxiliary LPs stop when the interrupt answers, and the stop comes back as a status
/// (`time_limit`, `interrupted`) instead of an open question the plugin would report as
/// `slow_progress` or an unconfirmed claim.
@Suite struct IPMDiagnosisTests {
    /// x + y ≥ 3 and x + y ≤ 1 with x, y ≥ 0: infeasible, so phase 1 has a positive optimum.
    func infeasible() throws -> RowBoundLP {
        RowBoundLP(minimizing: try makeLP(c: [1, 1], rows: [[1, 1], [1, 1]], rowLower: [3, -.infinity], rowUpper: [.infinity, 1]))
    }

    @Test func withoutAStopTheDiagnosisProvesInfeasibility() throws {
        let verdict = try LPDiagnosis.diagnose(try infeasible(), settings: IPMSettings(), interrupt: { nil })
        guard case .infeasible(let farkas)? = verdict else { Issue.record("got \(String(describing: verdict))"); return }
        #expect(farkas.count == 2)
    }

    @Test func anExpiredDeadlineStopsBothLPsAtOnce() throws {
        var calls = 0
        let verdict = try LPDiagnosis.diagnose(try infeasible(), settings: IPMSettings(), interrupt: { calls += 1; return .timeLimit })
        guard case .stopped(let status)? = verdict else { Issue.record("got \(String(describing: verdict))"); return }
        #expect(status == .timeLimit)
        #expect(calls == 1)
        let phaseOne = try LPDiagnosis.phaseOne(try infeasible(), settings: IPMSettings(), interrupt: { .timeLimit })
        guard case .stopped(.timeLimit)? = phaseOne else { Issue.record("got \(String(describing: phaseOne))"); return }
    }

    /// A cancellation that arrives inside phase 1's iterations ends it there, and the ray
    /// LP is not started.
    @Test func aCancellationDuringPhaseOneEndsTheDiagnosis() throws {
        var calls = 0, callsAfterStop = 0
        let verdict = try LPDiagnosis.diagnose(try infeasible(), settings: IPMSettings(), interrupt: {
            calls += 1
            guard calls >= 4 else { return nil }
            if calls > 4 { callsAfterStop += 1 }
            return .interrupted
        })
        guard case .stopped(let status)? = verdict else { Issue.record("got \(String(describing: verdict))"); return }
        #expect(status == .interrupted)
        #expect(callsAfterStop <= 1)
    }
}

/// native.ipm says which of ``IPMTermination``'s tests gave its status.
@Suite struct IPMConvergedByTests {
    @Test func anOptimumIsReachedByTheResidualsAndGap() throws {
        let lp = try makeLP(c: [-1, -2], rows: [[1, 1], [1, -1]], rowLower: [-.infinity, -.infinity], rowUpper: [4, 1])
        let r = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["presolve": .bool(false)]))
        #expect(r.status == .optimal)
        #expect(r.convergedBy == IPMTermination.residualsAndGap)
        #expect(r.convergedBy?.rawValue == "residuals_and_gap")
    }

    @Test func anInfeasibilityProofNamesItsCertificate() throws {
        let lp = try makeLP(c: [1, 1], rows: [[1, 1], [1, 1]], rowLower: [3, -.infinity], rowUpper: [.infinity, 1])
        let r = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["presolve": .bool(false)]))
        #expect(r.status == .infeasible)
        let tests = [IPMTermination.farkasRay, IPMTermination.phaseOneLP]
        #expect(r.convergedBy.map(tests.contains) == true, "\(String(describing: r.convergedBy))")
    }

    @Test func aLimitIsNoConvergence() throws {
        let lp = try makeLP(c: [-1, -2], rows: [[1, 1], [1, -1]], rowLower: [-.infinity, -.infinity], rowUpper: [4, 1])
        let r = try solve(lp, "native.ipm", options: SolveOptions(maxIterations: 1, parameters: ["presolve": .bool(false)]))
        #expect(r.status == .iterationLimit)
        #expect(r.convergedBy == nil)
    }
}
