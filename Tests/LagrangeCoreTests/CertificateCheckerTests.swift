import LagrangeCore
import LinearAlgebra
import Testing

/// The LP/QP certificate checker on hand-made answers with closed-form truths: each right
/// answer passes, each deliberately wrong one (a point off by 1e-3, a wrong dual sign, a
/// bad Farkas vector, a bad ray, an infeasible "feasible point") is rejected with the
/// status the contract names.
@Suite struct CertificateCheckerTests {
    /// min x1 + x2 s.t. x1 + 2x2 ≥ 2 (r1), x1 + x2 ≤ 3 (r2), x ≥ 0: x* = (0, 1), value 1,
    /// duals (shadow prices) y = (0.5, 0).
    static func lp(sense: ObjectiveSense = .minimize) throws -> LinearProgram {
        let a = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(0, 0, 1), (0, 1, 2), (1, 0, 1), (1, 1, 1)])
        let s: Double = sense == .minimize ? 1 : -1
        return try LinearProgram(sense: sense, objective: [s, s], constraints: a, rowLower: [2, -.infinity], rowUpper: [.infinity, 3])
    }

    static func result(_ status: TerminationStatus, x: [Double], y: [Double]?, objective: Double?,
                       certificate: Certificate? = nil, kind: ProblemKind = .lp) -> SolveResult {
        var r = SolveResult(kind: kind, status: status, rawStatus: "hand-made", objective: objective,
                            variableNames: ["x1", "x2"], primal: x, constraintNames: ["r1", "r2"], duals: y, iterations: 0)
        r.certificate = certificate
        return r
    }

    func checked(_ r: SolveResult, _ problem: Problem) -> SolveResult { CertificateCheckers.check(r, problem: problem) }

    @Test func theOptimumPasses() throws {
        let r = checked(Self.result(.optimal, x: [0, 1], y: [0.5, 0], objective: 1), .linear(try Self.lp()))
        #expect(r.status == .optimal)
        let check = try #require(r.certificateCheck)
        #expect(check.passed && check.measure("gap") == 0 && check.measure("primal_infeasibility") == 0)
    }

    @Test func aPointOffBy1e3IsRejected() throws {
        let r = checked(Self.result(.optimal, x: [0, 1.001], y: [0.5, 0], objective: 1.001), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
        #expect(r.certificateCheck?.failure?.contains("gap") == true)
        #expect(r.notes.contains { $0.contains("optimal downgraded to numerical_error") })
    }

    @Test func aSmallErrorIsAlmostOptimal() throws {
        // Gap 2e-5: above 1e-6, within the 100× relaxed tolerance.
        let r = checked(Self.result(.optimal, x: [0, 1.00002], y: [0.5, 0], objective: 1.00002), .linear(try Self.lp()))
        #expect(r.status == .almostOptimal)
    }

    @Test func anInfeasiblePointIsRejected() throws {
        // x = (0, 0.9): r1 violated by 0.2; duals keep the gap at 0.2·0.5 − ... all off.
        let r = checked(Self.result(.optimal, x: [0, 0.9], y: [0.5, 0], objective: 0.9), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
        #expect(r.certificateCheck?.failure?.contains("primal_infeasibility") == true)
    }

    @Test func aWrongDualSignIsRejected() throws {
        // y₁ = −0.5 would price r1's upper bound, which is +∞.
        let r = checked(Self.result(.optimal, x: [0, 1], y: [-0.5, 0], objective: 1), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
        #expect(r.certificateCheck?.failure?.contains("dual_infeasibility") == true)
    }

    @Test func aMaximizationFlipsTheDualSigns() throws {
        // max −x1 − x2: the same point, shadow prices of the maximization are −0.5.
        let problem = Problem.linear(try Self.lp(sense: .maximize))
        #expect(checked(Self.result(.optimal, x: [0, 1], y: [-0.5, 0], objective: -1), problem).status == .optimal)
        #expect(checked(Self.result(.optimal, x: [0, 1], y: [0.5, 0], objective: -1), problem).status == .numericalError)
    }

    @Test func aWrongObjectiveIsRejected() throws {
        let r = checked(Self.result(.optimal, x: [0, 1], y: [0.5, 0], objective: 1.01), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
        #expect(r.certificateCheck?.failure?.contains("objective_error") == true)
    }

    @Test func optimalWithoutDualsIsNotProved() throws {
        let r = checked(Self.result(.optimal, x: [0, 1], y: nil, objective: 1), .linear(try Self.lp()))
        #expect(r.status == .almostOptimal)
    }

    @Test func theConstantCountsInTheGap() throws {
        // min x + c₀ with c₀ = −1000 on x ≥ 1 (row): optimum 1 − 1000. A gap of 2.5e-5 on
        // an objective near 0 (HS268's case) is caught because the gap is measured with c₀.
        let a = try SparseMatrix(rowCount: 1, columnCount: 1, triplets: [(0, 0, 1)])
        let lp = try LinearProgram(objective: [1], objectiveConstant: -1, constraints: a, rowLower: [1], rowUpper: [.infinity])
        var r = SolveResult(kind: .lp, status: .optimal, rawStatus: "", objective: 2.5e-5, variableNames: ["x1"],
                            primal: [1 + 2.5e-5], constraintNames: ["r1"], duals: [1], iterations: 0)
        #expect(CertificateCheckers.check(r, problem: .linear(lp)).status == .almostOptimal)
        r.primal = [1]; r.objective = 0
        #expect(CertificateCheckers.check(r, problem: .linear(lp)).status == .optimal)
    }

    // MARK: infeasible

    /// x1 + x2 ≥ 3 and x1 + x2 ≤ 1, x ≥ 0.
    static func infeasible() throws -> LinearProgram {
        let a = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)])
        return try LinearProgram(objective: [1, 1], constraints: a, rowLower: [3, -.infinity], rowUpper: [.infinity, 1])
    }

    @Test func aFarkasVectorProvesInfeasibility() throws {
        let proof = Certificate(kind: .farkas, vector: [1, -1])
        let r = checked(Self.result(.infeasible, x: [0, 0], y: nil, objective: nil, certificate: proof), .linear(try Self.infeasible()))
        #expect(r.status == .infeasible)
        #expect((r.certificateCheck?.measure("farkas_margin") ?? 0) > 0)
    }

    @Test(arguments: [[1.0, 1.0], [1.0, -0.5], [0.0, 0.0], [1.0]])
    func aBadFarkasVectorIsRejected(_ vector: [Double]) throws {
        // [1, 1] prices r2's −∞ lower bound; [1, −0.5] leaves Aᵀy > 0 on columns without an
        // upper bound; zero proves nothing; a wrong length is no certificate.
        let r = checked(Self.result(.infeasible, x: [0, 0], y: nil, objective: nil,
                                    certificate: Certificate(kind: .farkas, vector: vector)), .linear(try Self.infeasible()))
        #expect(r.status == .numericalError)
    }

    @Test func infeasibleWithoutACertificateIsRejected() throws {
        let r = checked(Self.result(.infeasible, x: [0, 0], y: nil, objective: nil), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
        #expect(r.certificateCheck?.failure == "no Farkas vector was returned")
    }

    @Test func aFarkasVectorForAFeasibleProblemIsRejected() throws {
        // The feasible LP cannot have one: the candidate that looks most like one fails.
        let r = checked(Self.result(.infeasible, x: [0, 0], y: nil, objective: nil,
                                    certificate: Certificate(kind: .farkas, vector: [1, -1])), .linear(try Self.lp()))
        #expect(r.status == .numericalError)
    }

    // MARK: unbounded

    /// min −x1 s.t. x1 − x2 ≤ 1, x ≥ 0: unbounded along (1, 1).
    static func unbounded() throws -> LinearProgram {
        let a = try SparseMatrix(rowCount: 1, columnCount: 2, triplets: [(0, 0, 1), (0, 1, -1)])
        return try LinearProgram(objective: [-1, 0], constraints: a, rowLower: [-.infinity], rowUpper: [1])
    }

    static func unboundedResult(x: [Double], ray: [Double]) -> SolveResult {
        var r = SolveResult(kind: .lp, status: .unbounded, rawStatus: "hand-made", objective: nil, variableNames: ["x1", "x2"],
                            primal: x, constraintNames: ["r1"], iterations: 0)
        r.certificate = Certificate(kind: .primalRay, vector: ray)
        return r
    }

    @Test func aRayAndAFeasiblePointProveUnboundedness() throws {
        let r = checked(Self.unboundedResult(x: [0, 0], ray: [2, 2]), .linear(try Self.unbounded()))
        #expect(r.status == .unbounded)
    }

    @Test(arguments: [[1.0, 0.0], [-1.0, -1.0], [0.0, 1.0], [0.0, 0.0]])
    func aBadRayIsRejected(_ ray: [Double]) throws {
        // (1, 0) leaves the row's cone; (−1, −1) leaves the bounds' cone; (0, 1) does not
        // improve the objective; zero is no ray.
        let r = checked(Self.unboundedResult(x: [0, 0], ray: ray), .linear(try Self.unbounded()))
        #expect(r.status == .numericalError)
    }

    @Test func aValidRayFromAnInfeasiblePointProvesOnlyInfeasibleOrUnbounded() throws {
        let r = checked(Self.unboundedResult(x: [5, 0], ray: [1, 1]), .linear(try Self.unbounded()))
        #expect(r.status == .infeasibleOrUnbounded)
        #expect(r.certificateCheck?.failure?.contains("not feasible") == true)
    }

    @Test func aQPRayMustBeFlat() throws {
        // min ½x2² − x1 s.t. x1 − x2 ≤ 1: (1, 1) is no ray (Q r ≠ 0); (1, 0) breaks the row.
        let q = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(1, 1, 1)])
        let qp = try QuadraticProgram(linear: try Self.unbounded(), quadratic: q)
        var r = Self.unboundedResult(x: [0, 0], ray: [1, 1])
        r.kind = .qp
        #expect(checked(r, .quadratic(qp)).status == .numericalError)
        #expect(checked(r, .quadratic(qp)).certificateCheck?.failure?.contains("ray_curvature") == true)
    }

    // MARK: through the registry

    /// A plugin that always claims optimal at the origin, whatever the problem.
    struct LyingSolver: SolverPlugin {
        var descriptor: SolverDescriptor { SolverDescriptor(id: "test.liar", kinds: [.lp], summary: "claims optimal at 0") }
        func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
            guard case .linear(let lp) = problem else { throw SolverError.unsupported("LP only") }
            return SolveResult(kind: .lp, status: .optimal, rawStatus: "trust me", objective: 0, variableNames: lp.variableNames,
                               primal: Array(repeating: 0, count: lp.columnCount), constraintNames: lp.constraintNames,
                               duals: Array(repeating: 0, count: lp.rowCount), iterations: 0)
        }
    }

    @Test func theRegistryDowngradesAUserPluginsFalseClaim() throws {
        var registry = SolverRegistry()
        registry.register(LyingSolver())
        let r = try registry.solve(.linear(try Self.lp()), solverID: "test.liar")
        #expect(r.status == .numericalError && r.certificateCheck?.claimed == .optimal)
        #expect(!r.status.isDefinitive)
    }
}

/// The matrix-game checker: strategies whose guarantees do not meet cannot be `optimal`.
@Suite struct MatrixGameCheckerTests {
    static func result(_ game: MatrixGame, x: [Double], y: [Double], tolerance: Double) -> SolveResult {
        var r = SolveResult(kind: .matrixGame, status: .optimal, rawStatus: "hand-made", objective: 0,
                            variableNames: [], primal: [], iterations: 0)
        r.details = [MatrixGameDetails(value: 0, rowStrategy: x, columnStrategy: y, rowNames: game.rowNames,
                                       columnNames: game.columnNames,
                                       certificate: game.certificate(rowStrategy: x, columnStrategy: y, tolerance: tolerance),
                                       presolve: nil)]
        return r
    }

    @Test func matchingPenniesNeedsTheMixedStrategies() throws {
        let game = try MatrixGame(payoff: try DenseMatrix(rows: 2, columns: 2, storage: [1, -1, -1, 1]))
        let right = CertificateCheckers.check(Self.result(game, x: [0.5, 0.5], y: [0.5, 0.5], tolerance: 1e-9), problem: .matrixGame(game))
        #expect(right.status == .optimal && right.certificateCheck?.passed == true)
        // A pure pair claimed optimal: gap 2, rejected whatever the solver's report said.
        let wrong = CertificateCheckers.check(Self.result(game, x: [1, 0], y: [1, 0], tolerance: 1e-9), problem: .matrixGame(game))
        #expect(wrong.status == .numericalError && wrong.certificateCheck?.measure("game_gap") == 2)
        // Close but not within the tolerance: almost optimal.
        let close = CertificateCheckers.check(Self.result(game, x: [0.5 + 1e-8, 0.5 - 1e-8], y: [0.5, 0.5], tolerance: 1e-9),
                                              problem: .matrixGame(game))
        #expect(close.status == .almostOptimal)
    }
}

/// The `linear-system` checker: `infeasible` for Ax = b needs a Farkas vector y with
/// Aᵀy = 0 and bᵀy > 0; `optimal` is re-tested from the point (error, residual or normal
/// equations, at the solver's tolerance or 1e-6).
@Suite struct LinearSystemCertificateTests {
    static func problem() throws -> Problem {
        // Rows 1 and 2 are the same equation with different right-hand sides.
        .linearSystem(try LinearSystemProblem(matrix: .dense(try DenseMatrix(rowArrays: [[1, 2], [1, 2], [0, 1]])),
                                              rightHandSide: [1, 3, 0]))
    }

    static func claim(_ status: TerminationStatus, _ y: [Double]?) -> SolveResult {
        var r = SolveResult(kind: .linearSystem, status: status, rawStatus: "test", objective: nil,
                            variableNames: ["x1", "x2"], primal: [0, 0], iterations: 0)
        r.certificate = y.map { Certificate(kind: .farkas, vector: $0) }
        return r
    }

    @Test func farkasVectorsAreChecked() throws {
        let p = try Self.problem()
        let good = CertificateCheckers.check(Self.claim(.infeasible, [-1, 1, 0]), problem: p)
        #expect(good.status == .infeasible && good.certificateCheck?.passed == true)
        // bᵀy < 0: the contradiction points the wrong way.
        let sign = CertificateCheckers.check(Self.claim(.infeasible, [1, -1, 0]), problem: p)
        #expect(sign.status == .numericalError && sign.certificateCheck?.failure?.contains("farkas_margin") == true)
        // Aᵀy ≠ 0.
        let residual = CertificateCheckers.check(Self.claim(.infeasible, [0, 1, 0]), problem: p)
        #expect(residual.status == .numericalError && residual.certificateCheck?.failure?.contains("farkas_column_residual") == true)
        // No certificate, or one of the wrong length.
        #expect(CertificateCheckers.check(Self.claim(.infeasible, nil), problem: p).status == .numericalError)
        #expect(CertificateCheckers.check(Self.claim(.infeasible, [1, 1]), problem: p).status == .numericalError)
    }

    static func optimal(_ x: [Double], convergedBy: String? = nil) -> SolveResult {
        var r = SolveResult(kind: .linearSystem, status: .optimal, rawStatus: "test", objective: nil,
                            variableNames: ["x1", "x2"], primal: x, iterations: 0)
        r.convergedBy = convergedBy.map { ConvergenceTest(rawValue: $0) }
        return r
    }

    /// The least-squares point of the inconsistent system above is x = (2, 0): u = x1 + 2x2
    /// splits the difference of 1 and 3, and the third row wants x2 = 0 (Aᵀr = 0 there).
    @Test func optimalClaimsAreRetested() throws {
        let p = try Self.problem()
        let right = CertificateCheckers.check(Self.optimal([2, 0]), problem: p)
        #expect(right.status == .optimal && right.certificateCheck?.measure("normal_residual") == 0)
        // x = 0 is no least-squares point: Aᵀr = (−4, −8).
        let wrong = CertificateCheckers.check(Self.optimal([0, 0]), problem: p)
        #expect(wrong.status == .numericalError && wrong.certificateCheck?.failure?.contains("normal_residual") == true)
        // 1e-3 off: wrong at the checker's 1e-6, right at a --tolerance of 1e-3 the solver was given.
        let near = Self.optimal([2, 1e-3])
        #expect(CertificateCheckers.check(near, problem: p).status == .numericalError)
        var loose = CertificateTolerances.standard
        loose.solverTolerance = 1e-3
        #expect(CertificateCheckers.check(near, problem: p, tolerances: loose).status == .optimal)
        // A consistent system: the residual decides; with x_true and `stop: error`, the error.
        let consistent = Problem.linearSystem(try LinearSystemProblem(matrix: .dense(try DenseMatrix(rowArrays: [[2, 0], [0, 4]])),
                                                                      rightHandSide: [2, 4], knownSolution: [1, 1]))
        #expect(CertificateCheckers.check(Self.optimal([1, 1]), problem: consistent).certificateCheck?.measure("relative_residual") == 0)
        #expect(CertificateCheckers.check(Self.optimal([1, 1.5]), problem: consistent).status == .numericalError)
        let byError = CertificateCheckers.check(Self.optimal([1, 1 + 1e-9], convergedBy: "error_norm"), problem: consistent)
        #expect(byError.status == .optimal && byError.certificateCheck?.measures.first?.name == "relative_error")
        let ridge = Problem.linearSystem(try LinearSystemProblem(matrix: .dense(try DenseMatrix(rowArrays: [[2, 0], [0, 4]])),
                                                                 rightHandSide: [2, 4], ridge: 1))
        // Aᵀ(Ax − b) + λx = (4x1 − 4 + x1, 16x2 − 16 + x2) = 0 → x = (4/5, 16/17).
        #expect(CertificateCheckers.check(Self.optimal([0.8, 16.0 / 17]), problem: ridge).status == .optimal)
        #expect(CertificateCheckers.check(Self.optimal([1, 1]), problem: ridge).status == .numericalError)
    }
}

/// The linear-system checker (issue #16 defect 6): `infeasible` for Ax = b needs y with
/// Aᵀy = 0 and bᵀy > 0; wrong vectors are refused.
struct LinearSystemCheckerTests {
    /// x + y = 1 and x + y = 3: inconsistent; y = (−1, 1) proves it (Aᵀy = 0, bᵀy = 2).
    static func system() throws -> LinearSystemProblem {
        try LinearSystemProblem(matrix: .dense(try DenseMatrix(rows: 2, columns: 2, storage: [1, 1, 1, 1])), rightHandSide: [1, 3])
    }

    static func claim(_ y: [Double]?) -> SolveResult {
        var r = SolveResult(kind: .linearSystem, status: .infeasible, rawStatus: "", objective: nil,
                            variableNames: ["x1", "x2"], primal: [0, 0], iterations: 0)
        r.certificate = y.map { Certificate(kind: .farkas, vector: $0) }
        return r
    }

    @Test func validFarkasVectorPasses() throws {
        let check = try #require(LinearSystemCertificateChecker().check(Self.claim([-1, 1]), problem: .linearSystem(try Self.system())))
        #expect(check.passed && check.verdict == .infeasible)
    }

    @Test("wrong certificates are refused", arguments: [[1.0, 1.0], [1.0, -1.0], [0.0, 0.0], [-1.0, 1.0, 0.0]])
    func wrongFarkasVectorFails(y: [Double]) throws {
        // (1, 1): Aᵀy ≠ 0; (1, −1): bᵀy < 0; zero; wrong length.
        let check = try #require(LinearSystemCertificateChecker().check(Self.claim(y), problem: .linearSystem(try Self.system())))
        #expect(!check.passed && check.verdict == .numericalError)
    }

    @Test func missingCertificateFails() throws {
        let check = try #require(LinearSystemCertificateChecker().check(Self.claim(nil), problem: .linearSystem(try Self.system())))
        #expect(!check.passed)
    }
}
