import Foundation
import Testing
import Lagrange
import LagrangeTestSupport

/// `native.interior-point` (issue #25) against the verified optima of ../shared/data/nlp
/// (copies in Tests/Fixtures/nlp), shadow prices against re-solves with a moved right-hand
/// side, Ipopt's published hs071 multipliers, native.augmented-lagrangian (an independent
/// path: L-BFGS-B subproblems, then Newton on the active set's KKT equations, no barrier),
/// and the certificate checker.
@Suite("Nonlinear interior point")
struct InteriorPointTests {
    static let solver = "native.interior-point"

    static func solve(_ name: String, solver: String = Self.solver) throws -> SolveResult {
        try SolverRegistry.standard.solve(try NonlinearProgramTests.load(name), solverID: solver)
    }

    @Test("reaches the verified optimum with a claim the checker verifies",
          arguments: ["hs006", "hs021", "hs026", "hs035", "hs040", "hs043", "hs065", "hs071", "hs083", "hs100", "hs116",
                      "maximize_box_volume", "start_outside_bounds", "degenerate_active_set"])
    func referenceOptimum(name: String) throws {
        let target = try #require(NonlinearProgramTests.references[name]?.objective)
        let result = try Self.solve(name)
        #expect(result.status == .locallyOptimal || result.status == .optimal, "\(name): \(result.status) \(result.rawStatus)")
        let f = try #require(result.objective)
        #expect(abs(f - target) <= 1e-6 * max(1, abs(target)), "\(name): f = \(f), f* = \(target)")
        let check = try #require(result.certificateCheck)
        #expect(check.passed, "\(name): \(check.failure ?? "")")
        #expect(check.verdict == result.status)
        let kkt = try #require(result.kkt)
        #expect(max(kkt.primalInfeasibility, kkt.dualInfeasibility, kkt.complementarity) <= 1e-8)
    }

    @Test("hs071: f* = 17.0140173 and Ipopt's multipliers (λ = −0.552294, 0.161469 in Ipopt's signs, L = f + λᵀg)")
    func hs071Multipliers() throws {
        let result = try Self.solve("hs071")
        #expect(isClose(result.objective ?? 0, 17.014017289132163, relative: 1e-6))
        // Shadow prices: sphere (== 40) −λ₂, product (>= 25) −λ₁.
        #expect(abs((result.dual(of: "c1") ?? 0) - -0.161469) <= 1e-4 * 0.161469 + 1e-6)
        #expect(abs((result.dual(of: "c2") ?? 0) - 0.552294) <= 1e-4 * 0.552294 + 1e-6)
        #expect(result.rawStatus.contains("inertia of a minimizer"))
    }

    @Test("a shadow price is ∂f*/∂rhs: hs071's duals match re-solves with each right-hand side moved by ±1e-4")
    func shadowPricesByPerturbation() throws {
        func hs071(sphere: Double, product: Double) throws -> Double {
            let definition = try NonlinearProgramTests.model("""
                kind: nlp
                minimize: "x1*x4*(x1 + x2 + x3) + x3"
                variables: {x1: [1, 5], x2: [1, 5], x3: [1, 5], x4: [1, 5]}
                start: {x1: 1, x2: 5, x3: 5, x4: 1}
                subject_to:
                  c1: "x1^2 + x2^2 + x3^2 + x4^2 == \(sphere)"
                  c2: "x1*x2*x3*x4 >= \(product)"
                """)
            return try #require(try SolverRegistry.standard.solve(definition, solverID: Self.solver).objective)
        }
        let result = try Self.solve("hs071")
        let h = 1e-4
        let sphere = (try hs071(sphere: 40 + h, product: 25) - hs071(sphere: 40 - h, product: 25)) / (2 * h)
        let product = (try hs071(sphere: 40, product: 25 + h) - hs071(sphere: 40, product: 25 - h)) / (2 * h)
        #expect(abs((result.dual(of: "c1") ?? 0) - sphere) <= 1e-4, "\(result.dual(of: "c1") ?? 0) vs \(sphere)")
        #expect(abs((result.dual(of: "c2") ?? 0) - product) <= 1e-4, "\(result.dual(of: "c2") ?? 0) vs \(product)")
    }

    @Test("agrees with native.augmented-lagrangian on objective (1e-6), point and multipliers (1e-4)",
          arguments: ["hs006", "hs021", "hs035", "hs040", "hs043", "hs065", "hs071", "hs100", "maximize_box_volume",
                      "start_outside_bounds"])
    func crossCheck(name: String) throws {
        let ipm = try Self.solve(name)
        let al = try Self.solve(name, solver: "native.augmented-lagrangian")
        #expect(al.status == .locallyOptimal || al.status == .optimal, "\(name): AL \(al.status)")
        let f = try #require(ipm.objective), g = try #require(al.objective)
        #expect(abs(f - g) <= 1e-6 * max(1, abs(g)), "\(name): \(f) vs \(g)")
        for (a, b) in zip(ipm.primal, al.primal) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(name): x \(a) vs \(b)") }
        for (a, b) in zip(ipm.duals ?? [], al.duals ?? []) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(name): dual \(a) vs \(b)") }
        for (a, b) in zip(ipm.reducedCosts ?? [], al.reducedCosts ?? []) {
            #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(name): reduced cost \(a) vs \(b)")
        }
    }

    @Test("infeasible convex constraints: infeasible, with a certificate the checker verifies")
    func infeasible() throws {
        let result = try Self.solve("infeasible_disc_halfplane")
        #expect(result.status == .infeasible, "\(result.status) \(result.rawStatus)")
        #expect(result.certificateCheck?.verdict == .infeasible)
        #expect((result.certificateCheck?.measure("linearization_margin") ?? 0) > 0)
    }

    @Test("unbounded_parabola: a feasible point with f below −1e20, which the checker accepts")
    func unbounded() throws {
        let result = try Self.solve("unbounded_parabola")
        #expect(result.status == .unbounded, "\(result.status) \(result.rawStatus)")
        #expect((result.objective ?? 0) < -1e20)
        #expect(result.certificateCheck?.verdict == .unbounded)
    }

    @Test("second-order honesty: min x² − y² s.t. x = 0 from y = 0 stops at the KKT point (0, 0), a saddle on the tangent space: stationary_point")
    func saddleOnTangentSpace() throws {
        let result = try SolverRegistry.standard.solve(try NonlinearProgramTests.model("""
            kind: nlp
            minimize: "x^2 - y^2"
            variables: [x, y]
            start: {x: 1, y: 0}
            subject_to: {pin: "x == 0"}
            """), solverID: Self.solver)
        #expect(result.status == .stationaryPoint, "\(result.status) \(result.rawStatus)")
        #expect(abs(result.primal[0]) <= 1e-8 && result.primal[1] == 0)
    }

    @Test("every history record carries the three KKT residuals")
    func historyResiduals() throws {
        let result = try Self.solve("hs071")
        #expect(!result.history.records.isEmpty)
        for record in result.history.records {
            #expect(record.primalResidual != nil && record.dualResidual != nil && record.value(forKey: "complementarity") != nil)
        }
        let last = try #require(result.history.records.last)
        #expect((last.primalResidual ?? 1) <= 1e-8 && (last.value(forKey: "complementarity") ?? 1) <= 1e-8)
    }

    @Test("option validation: mu_init must be positive")
    func options() throws {
        var options = SolveOptions()
        options.parameters["mu_init"] = .number(-1)
        #expect(throws: SolverError.self) {
            try SolverRegistry.standard.solve(try NonlinearProgramTests.load("hs071"), solverID: Self.solver, options: options)
        }
    }
}
