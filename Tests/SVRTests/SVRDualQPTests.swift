import Lagrange
import LagrangeTestSupport
import Testing

/// The bias-free SVR dual, min ½βᵀKβ − βᵀy + ε‖β‖₁ with |βᵢ| ≤ C, solved a second way: as
/// the QP in (p, q) with β = p − q, 0 ≤ p, q ≤ C, by `native.ipm` through the registry
/// (min ½(p−q)ᵀK(p−q) − yᵀ(p−q) + ε1ᵀ(p+q)). Both must reach the same objective.
@Suite("SVR dual as a QP")
struct SVRDualQPTests {
    @Test("native.smo's bias-free dual agrees with native.ipm on the same QP", arguments: [
        Kernel.rbf(gamma: 0.5), .polynomial(degree: 3, gamma: 0.1, coef0: 1),
    ])
    func agreesWithInteriorPoint(kernel: Kernel) throws {
        let problem = try SVRSolverTests.smallSinc(kernel: kernel)
        let smo = try SVRFixture.solve(problem, tolerance: 1e-10)
        #expect(smo.status == .optimal)

        let k = SVRFixture.kernelMatrix(problem.training, problem.kernel)
        let y = problem.training.targets
        let n = y.count, c = problem.boxConstraint, epsilon = problem.epsilon
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<n {
            for j in 0..<n where k[i][j] != 0 {
                triplets += [(i, j, k[i][j]), (n + i, n + j, k[i][j]), (i, n + j, -k[i][j]), (n + i, j, -k[i][j])]
            }
        }
        let q = try SparseMatrix(rowCount: 2 * n, columnCount: 2 * n, triplets: triplets)
        let linear = try LinearProgram(objective: y.map { -$0 + epsilon } + y.map { $0 + epsilon },
                                       constraints: .zeros(rows: 0, columns: 2 * n), rowLower: [], rowUpper: [],
                                       columnLower: Array(repeating: 0, count: 2 * n), columnUpper: Array(repeating: c, count: 2 * n))
        let qp = try QuadraticProgram(linear: linear, quadratic: q)
        let ipm = try SolverRegistry.standard.solve(.quadratic(qp), name: "svr-dual", solverID: "native.ipm",
                                                    options: SolveOptions(tolerance: 1e-10))
        #expect(ipm.status == .optimal, "\(ipm.rawStatus)")
        let ipmObjective = try #require(ipm.objective)
        let smoObjective = try #require(smo.objective)
        #expect(isClose(smoObjective, ipmObjective, absolute: 1e-8, relative: 1e-8), "smo \(smoObjective) vs ipm \(ipmObjective)")
        // β from the QP solves the same problem: its SVR objective matches too.
        let beta = (0..<n).map { ipm.primal[$0] - ipm.primal[n + $0] }
        #expect(isClose(SVRFixture.dualObjective(beta, k, y, epsilon), smoObjective, absolute: 1e-7, relative: 1e-7))
    }
}
