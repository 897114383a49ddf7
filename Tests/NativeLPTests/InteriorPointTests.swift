import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import NativeSolvers
import Testing

@Suite struct InteriorPointTests {
    /// Every problem of the shared set reaches its expected status. Optimal ones go
    /// through the crossover (on by default): the objective to the reference within 1e-9
    /// relative, a basic solution with exactly m basic variables whose nonbasic statuses
    /// hold at the point, and a history that continues after the interior-point iterations.
    @Test(arguments: netlibCases())
    func netlibProblem(_ reference: NetlibCase) throws {
        let lp = try readNetlib(reference.name)
        let result = try solve(lp, "native.ipm")
        #expect(result.status.rawValue == reference.status, "\(reference.name): \(result.rawStatus)")
        guard reference.status == "optimal" else { return }
        let objective = try #require(result.objective)
        #expect(abs(objective - reference.objective) <= 1e-9 * max(1, abs(reference.objective)),
                "\(reference.name): \(objective) vs \(reference.objective)")
        #expect(relativePrimalInfeasibility(lp, result.primal) <= 1e-9)
        let kkt = try #require(result.kkt)
        #expect(kkt.dualInfeasibility <= 1e-9 * max(1, Vector.normInf(lp.objective)))
        #expect(kkt.complementarity <= 1e-9 * max(1, abs(objective)), "\(reference.name): \(kkt)")
        #expect(result.rawStatus.contains("crossover: optimal basis"), "\(reference.name): \(result.notes)")
        let basis = try #require(result.details(as: BasisDetails.self), "\(reference.name): \(result.notes)")
        #expect(basis.basicCount == lp.rowCount)
        #expect(statusesHold(basis, lp: lp, at: result.primal), "\(reference.name)")
        let records = result.history.records
        // The crossover's pivots are in the history (none when the guessed basis was optimal).
        #expect(records.contains { $0.value(forKey: "crossover") == 1 } || result.rawStatus.hasSuffix("after 0 simplex pivots"))
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.iteration <= $1.iteration })
        #expect(records.last?.iteration == result.iterations)
    }

    /// The interior point alone (`crossover: off`): interior-accurate to 1e-6, no basis,
    /// one record per iteration.
    @Test(arguments: ["afiro", "scfxm1", "degen2"])
    func interiorPointAlone(_ name: String) throws {
        let lp = try readNetlib(name)
        let reference = try #require(netlibCases().first { $0.name == name })
        let result = try solve(lp, "native.ipm", options: interiorOnly)
        #expect(result.status == .optimal)
        let objective = try #require(result.objective)
        #expect(abs(objective - reference.objective) <= 1e-6 * max(1, abs(reference.objective)))
        #expect(result.details(as: BasisDetails.self) == nil)
        #expect(result.history.records.count == result.iterations + 1)
        #expect(!result.history.records.contains { $0.value(forKey: "crossover") != nil })
    }

    /// The crossover starts from the interior optimum: with the dual push it takes fewer
    /// than half the pivots of a cold simplex on the same problem (without presolve, as the
    /// crossover solves it). The first version, the primal simplex straight from the guessed
    /// basis, took more on israel (388 against 234) and recipe (77 against 46).
    @Test(arguments: ["25fv47", "scfxm2", "israel", "recipe", "degen2"])
    func crossoverTakesFewerPivotsThanAColdSimplex(_ name: String) throws {
        let lp = try readNetlib(name)
        let crossover = try solve(lp, "native.ipm")
        let interior = try solve(lp, "native.ipm", options: interiorOnly)
        let cold = try solve(lp, "native.simplex", options: SolveOptions(parameters: ["presolve": .bool(false)]))
        #expect(crossover.status == .optimal && cold.status == .optimal)
        let pivots = crossover.iterations - interior.iterations
        #expect(crossover.rawStatus.hasSuffix("after \(pivots) simplex pivots"), "\(crossover.rawStatus)")
        #expect(2 * pivots < cold.iterations, "\(name): \(pivots) crossover pivots, \(cold.iterations) cold")
    }

    @Test func maximizationDualsAreShadowPrices() throws {
        // max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 9, x ≤ 3: optimum 11 at (3, 1);
        // shadow prices ∂obj/∂rhs: row 1 → 2, row 2 → 0, and the bound x ≤ 3 → 1.
        let lp = try makeLP(.maximize, c: [3, 2], rows: [[1, 1], [1, 3]], rowLower: [-.infinity, -.infinity],
                            rowUpper: [4, 9], columnUpper: [3, .infinity])
        let result = try solve(lp, "native.ipm")
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, 11, relative: 1e-8))
        let y = try #require(result.duals), d = try #require(result.reducedCosts)
        #expect(isClose(y[0], 2, absolute: 1e-7) && isClose(y[1], 0, absolute: 1e-7))
        #expect(isClose(d[0], 1, absolute: 1e-7) && isClose(d[1], 0, absolute: 1e-7))
        // A finite-difference check of the first shadow price.
        let shifted = try makeLP(.maximize, c: [3, 2], rows: [[1, 1], [1, 3]], rowLower: [-.infinity, -.infinity],
                                 rowUpper: [4.01, 9], columnUpper: [3, .infinity])
        let moved = try solve(shifted, "native.ipm")
        #expect(isClose(((moved.objective ?? 0) - 11) / 0.01, y[0], absolute: 1e-5))
    }

    @Test func presolveRemovesSingletonRowsAndKeepsTheirDuals() throws {
        // min x + y s.t. 2x ≥ 2 (singleton), x + y ≥ 3, y fixed... y ∈ [0, 5].
        // Optimum 3 at any x ∈ [1, 3] on x + y = 3; with cost (1, 2): x = 3, y = 0, obj 3.
        let lp = try makeLP(c: [1, 2], rows: [[2, 0], [1, 1], [0, 0]], rowLower: [2, 3, -1], rowUpper: [.infinity, .infinity, 1],
                            columnLower: [0, 0], columnUpper: [.infinity, 5])
        for presolve in [true, false] {
            let result = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["presolve": .bool(presolve)]))
            #expect(result.status == .optimal)
            #expect(isClose(result.objective ?? .nan, 3, relative: 1e-8))
            let y = try #require(result.duals)
            #expect(isClose(y[0], 0, absolute: 1e-7) && isClose(y[1], 1, absolute: 1e-7) && isClose(y[2], 0, absolute: 1e-7))
        }
    }

    @Test func singletonRowThatBindsGetsTheReducedCost() throws {
        // min x s.t. 2x ≥ 4: presolve turns the row into x ≥ 2; the row's shadow price is 1/2.
        let lp = try makeLP(c: [1, 1], rows: [[2, 0], [0, 1]], rowLower: [4, 1], rowUpper: [.infinity, .infinity])
        let result = try solve(lp, "native.ipm")
        #expect(isClose(result.objective ?? .nan, 3, relative: 1e-8))
        let y = try #require(result.duals), d = try #require(result.reducedCosts)
        #expect(isClose(y[0], 0.5, absolute: 1e-7) && isClose(y[1], 1, absolute: 1e-7))
        #expect(abs(d[0]) < 1e-7 && abs(d[1]) < 1e-7)
    }

    @Test func freeFixedAndRangedColumns() throws {
        // min x − y + 0z s.t. −2 ≤ x + y ≤ 2 (ranged), x − z = 1, x free, y ≤ 1.5, z fixed at 0.5.
        // x = 1.5 from the equality; y as large as possible: y = min(1.5, 2 − 1.5) = 0.5; obj 1.
        let lp = try makeLP(c: [1, -1, 0], rows: [[1, 1, 0], [1, 0, -1]], rowLower: [-2, 1], rowUpper: [2, 1],
                            columnLower: [-.infinity, -.infinity, 0.5], columnUpper: [.infinity, 1.5, 0.5])
        let result = try solve(lp, "native.ipm")
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, 1, relative: 1e-8))
        #expect(isClose(result.primal[0], 1.5, absolute: 1e-7) && isClose(result.primal[1], 0.5, absolute: 1e-7))
    }

    @Test func infeasibleAndUnboundedComeBackAsStatusesWithCertificates() throws {
        let infeasible = try makeLP(c: [1, 1], rows: [[1, 2], [1, 1]], rowLower: [-.infinity, 2], rowUpper: [1, .infinity])
        let r1 = try solve(infeasible, "native.ipm")
        #expect(r1.status == .infeasible)
        #expect(r1.certificate?.kind == .farkas && r1.certificateCheck?.passed == true)
        let unbounded = try makeLP(c: [-1, -1], rows: [[1, -1], [-1, 1]], rowLower: [-.infinity, -.infinity], rowUpper: [1, 1])
        let r2 = try solve(unbounded, "native.ipm")
        #expect(r2.status == .unbounded)
        let ray = try #require(r2.certificate)
        #expect(ray.kind == .primalRay && r2.certificateCheck?.passed == true)
        #expect(ray.vector[0] > 0 && ray.vector[1] > 0)
    }

    @Test func historyHasTheDeclaredExtrasInOrderAndMonotoneGap() throws {
        let lp = try readNetlib("afiro")
        let result = try solve(lp, "native.ipm", options: interiorOnly)
        let records = result.history.records
        #expect(records.first?.extras.map(\.name) == ["dual_objective", "mu", "primal_step", "dual_step"])
        #expect((records.last?.gap ?? 1) <= 1e-8)
        #expect(records.allSatisfy { $0.primalResidual != nil && $0.dualResidual != nil })
    }

    @Test func iterationLimitIsHonoured() throws {
        let lp = try readNetlib("afiro")
        let result = try solve(lp, "native.ipm", options: SolveOptions(maxIterations: 3))
        #expect(result.status == .iterationLimit)
        #expect(result.iterations == 3)
    }

    /// Gondzio's centrality correctors (on by default where the factorization is
    /// expensive: israel, degen2) reach the reference optimum in fewer iterations than
    /// plain Mehrotra (`centrality_correctors=0`), which must still reach it too.
    @Test(arguments: ["israel", "degen2"])
    func centralityCorrectorsSaveIterations(_ name: String) throws {
        let lp = try readNetlib(name)
        let reference = try #require(netlibCases().first { $0.name == name })
        let corrected = try solve(lp, "native.ipm", options: interiorOnly)
        let plain = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["centrality_correctors": .string("0"), "crossover": .string("off")]))
        for result in [corrected, plain] {
            #expect(result.status == .optimal)
            let objective = try #require(result.objective)
            #expect(abs(objective - reference.objective) <= 1e-6 * max(1, abs(reference.objective)))
            #expect(relativePrimalInfeasibility(lp, result.primal) <= 1e-6)
        }
        #expect(corrected.iterations < plain.iterations, "\(name): \(corrected.iterations) vs \(plain.iterations)")
    }

    @Test func centralityCorrectorCountIsValidated() throws {
        let lp = try readNetlib("afiro")
        for bad in ["-1", "2.5", "11"] {
            #expect(throws: SolverError.self) {
                _ = try solve(lp, "native.ipm", options: SolveOptions(parameters: ["centrality_correctors": .string(bad)]))
            }
        }
    }

    /// Duals agree with GLPK's simplex on problems whose dual is unique (nondegenerate
    /// primal optimum).
    @Test(arguments: ["sc50b", "adlittle", "kb2", "israel"])
    func dualsAgreeWithGLPK(_ name: String) throws {
        let lp = try readNetlib(name)
        let native = try solve(lp, "native.ipm")
        let glpk = try solve(lp, "glpk.simplex")
        let y1 = try #require(native.duals), y2 = try #require(glpk.duals)
        let scale = max(1, Vector.normInf(y2))
        let worst = zip(y1, y2).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * scale, "\(name): \(Array(zip(y1, y2).filter { abs($0 - $1) > 1e-5 * scale }.prefix(5)))")
    }
}
