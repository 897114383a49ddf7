import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import NativeSolvers
import Testing

@Suite struct SimplexTests {
    /// Every problem of the shared set (reference.tsv) reaches its expected status; optimal
    /// ones to the reference objective (1e-6 relative) at a vertex feasible to 1e-6.
    @Test(arguments: netlibCases())
    func sharedProblem(_ reference: NetlibCase) throws {
        let lp = try readNetlib(reference.name)
        let result = try solve(lp, "native.simplex")
        #expect(result.status.rawValue == reference.status, "\(reference.name): \(result.rawStatus)")
        guard reference.status == "optimal" else { return }
        let objective = try #require(result.objective)
        #expect(abs(objective - reference.objective) <= 1e-6 * max(1, abs(reference.objective)),
                "\(reference.name): \(objective) vs \(reference.objective)")
        #expect(relativePrimalInfeasibility(lp, result.primal) <= 1e-6, "\(reference.name)")
        let kkt = try #require(result.kkt)
        #expect(kkt.complementarity <= 1e-6 * max(1, abs(objective)), "\(reference.name): \(kkt)")
        // A vertex with its basis, presolve's reductions undone: exactly m members, every
        // nonbasic variable at the bound its status names, every basic one priced at 0.
        let basis = try #require(result.details(as: BasisDetails.self), "\(reference.name): \(result.notes)")
        #expect(basis.basicCount == lp.rowCount, "\(reference.name)")
        #expect(statusesHold(basis, lp: lp, at: result.primal), "\(reference.name)")
        let y = try #require(result.duals), d = try #require(result.reducedCosts)
        let tolerance = 1e-7 * max(1, Vector.normInf(lp.objective))
        for j in 0..<lp.columnCount where basis.columnStatus[j] == .basic {
            #expect(abs(d[j]) <= tolerance, "\(reference.name): basic column \(j) priced at \(d[j])")
        }
        for i in 0..<lp.rowCount where basis.rowStatus[i] == .basic {
            #expect(abs(y[i]) <= tolerance, "\(reference.name): basic row \(i) priced at \(y[i])")
        }
        #expect(result.history.records.last?.primalResidual == 0)
    }

    @Test func maximizationDualsMatchTheInteriorPointMethod() throws {
        let lp = try makeLP(.maximize, c: [3, 2], rows: [[1, 1], [1, 3]], rowLower: [-.infinity, -.infinity],
                            rowUpper: [4, 9], columnUpper: [3, .infinity])
        let simplex = try solve(lp, "native.simplex")
        #expect(simplex.status == .optimal)
        #expect(isClose(simplex.objective ?? .nan, 11, relative: 1e-12))
        let y = try #require(simplex.duals), d = try #require(simplex.reducedCosts)
        #expect(isClose(y[0], 2, absolute: 1e-12) && isClose(y[1], 0, absolute: 1e-12))
        #expect(isClose(d[0], 1, absolute: 1e-12) && isClose(d[1], 0, absolute: 1e-12))
        let basis = try #require(simplex.details(as: BasisDetails.self))
        #expect(basis.columnStatus == [.atUpper, .basic])
        #expect(basis.rowStatus == [.atUpper, .basic] || basis.rowStatus[1] == .basic)
    }

    /// Vertex duals agree with GLPK's simplex where the dual is unique.
    @Test(arguments: ["sc50b", "adlittle", "kb2"])
    func dualsAgreeWithGLPK(_ name: String) throws {
        let lp = try readNetlib(name)
        let native = try solve(lp, "native.simplex")
        let glpk = try solve(lp, "glpk.simplex")
        let y1 = try #require(native.duals), y2 = try #require(glpk.duals)
        let worst = zip(y1, y2).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6 * max(1, Vector.normInf(y2)))
    }

    @Test func iterationLimitIsHonoured() throws {
        let result = try solve(try readNetlib("sc50a"), "native.simplex", options: SolveOptions(maxIterations: 5))
        #expect(result.status == .iterationLimit)
        #expect(result.iterations == 5)
    }

    @Test func infeasibleAndUnboundedAreStatuses() throws {
        let infeasible = try makeLP(c: [1, 1], rows: [[1, 2], [1, 1]], rowLower: [-.infinity, 2], rowUpper: [1, .infinity])
        let refuted = try solve(infeasible, "native.simplex")
        #expect(refuted.status == .infeasible)
        #expect(refuted.certificate?.kind == .farkas && refuted.certificateCheck?.passed == true)
        let unbounded = try makeLP(c: [-1, -1], rows: [[1, -1], [-1, 1]], rowLower: [-.infinity, -.infinity], rowUpper: [1, 1])
        let result = try solve(unbounded, "native.simplex")
        #expect(result.status == .unbounded)
        let ray = try #require(result.certificate)
        #expect(result.certificateCheck?.passed == true)
        #expect(ray.kind == .primalRay)
        #expect(ray.vector[0] >= 0 && ray.vector[1] >= 0 && -ray.vector[0] - ray.vector[1] < 0)
    }
}
