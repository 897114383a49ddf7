import LagrangeCore
import LinearAlgebra
import Testing

@Suite struct ModelTests {
    /// minimize x1 + x2 + x3 s.t. x1 + x2 + 2 x3 = 4, x ≥ 0 (the seed example).
    static func seed() throws -> LinearProgram {
        let a = try SparseMatrix(rowCount: 1, columnCount: 3, triplets: [(0, 0, 1), (0, 1, 1), (0, 2, 2)])
        return try LinearProgram(objective: [1, 1, 1], constraints: a, rowLower: [4], rowUpper: [4])
    }

    @Test func seedKKTResidualsVanishAtTheKnownOptimum() throws {
        let lp = try Self.seed()
        // x* = (0,0,2), y = 1/2, d = c − Aᵀy = (1/2, 1/2, 0).
        let k = lp.kktResiduals(primal: [0, 0, 2], duals: [0.5], reducedCosts: [0.5, 0.5, 0])
        #expect(k.primalInfeasibility == 0 && k.dualInfeasibility == 0 && k.complementarity == 0)
        // A wrong dual shows up.
        let bad = lp.kktResiduals(primal: [0, 0, 2], duals: [1], reducedCosts: [0.5, 0.5, 0])
        #expect(bad.dualInfeasibility > 0.4)
        #expect(lp.objectiveValue(at: [0, 0, 2]) == 2)
    }

    @Test func rejectsBadModels() throws {
        let a = try SparseMatrix(rowCount: 1, columnCount: 2, triplets: [(0, 0, 1), (0, 1, .nan)])
        #expect(throws: ModelError.self) { try LinearProgram(objective: [1, 1], constraints: a, rowLower: [0], rowUpper: [1]) }
        let b = try SparseMatrix(rowCount: 1, columnCount: 2, triplets: [(0, 0, 1)])
        #expect(throws: ModelError.self) { try LinearProgram(objective: [1], constraints: b, rowLower: [0], rowUpper: [1]) }
        #expect(throws: ModelError.self) { try LinearProgram(objective: [1, 1], constraints: b, rowLower: [2], rowUpper: [1]) }
        #expect(throws: ModelError.self) {
            try LinearProgram(objective: [1, 1], constraints: b, rowLower: [0], rowUpper: [1], variableNames: ["x", "x"])
        }
        #expect(throws: ModelError.self) { try LinearProgram(objective: [], constraints: .zeros(rows: 0, columns: 0), rowLower: [], rowUpper: []) }
        #expect(throws: ModelError.self) {
            try LinearProgram(objective: [1, 1], constraints: b, rowLower: [0], rowUpper: [1], columnLower: [.infinity, 0])
        }
    }

    @Test func otherKindsValidate() throws {
        #expect(throws: ModelError.self) { try MaxFlowProblem(nodeCount: 3, source: 1, sink: 1, tails: [], heads: [], capacities: []) }
        #expect(throws: ModelError.self) { try MaxFlowProblem(nodeCount: 3, source: 0, sink: 2, tails: [0], heads: [5], capacities: [1]) }
        #expect(throws: ModelError.self) { try MaxFlowProblem(nodeCount: 3, source: 0, sink: 2, tails: [0], heads: [1], capacities: [-1]) }
        #expect(throws: ModelError.self) {
            try MaxFlowProblem(nodeCount: 2, source: 0, sink: 1, tails: [0, 0], heads: [1, 1], capacities: [Int64.max, 1])
        }
        #expect(throws: ModelError.self) { try MatrixGame(payoff: DenseMatrix(rowArrays: [[1, .infinity]])) }
        #expect(throws: ModelError.self) {
            try LinearSystemProblem(matrix: .dense(DenseMatrix(rowArrays: [[1, 2]])), rightHandSide: [1, 2])
        }
    }

    @Test func sparseMatrixBasics() throws {
        // Duplicates are summed, entries sorted, products agree with the dense copy.
        let a = try SparseMatrix(rowCount: 3, columnCount: 2, triplets: [(2, 0, 1), (0, 0, 2), (2, 0, 3), (1, 1, -1)])
        #expect(a[2, 0] == 4 && a[0, 0] == 2 && a[1, 1] == -1 && a[0, 1] == 0)
        let x = [1.5, -2.0]
        #expect(a.multiply(x) == a.dense().multiply(x))
        let y = [1.0, 2, 3]
        #expect(a.transposeMultiply(y) == a.dense().transposeMultiply(y))
        #expect(a.transposed().transposed() == a)
        #expect(throws: LinearAlgebraError.self) { try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(2, 0, 1)]) }
    }
}

/// Issue #16, defect 5: duplicate names made the JSON show the wrong value at `optimal`
/// (`{"x": 0}` where the minimizer is x = 1; `x[a]: 0` beside `row_strategy` [1, 0]).
@Suite struct DuplicateNameTests {
    @Test func aSmoothProblemRefusesARepeatedVariable() throws {
        struct Sum: SmoothObjective {
            var dimension: Int { 2 }
            func hessian(at x: [Double]) -> [Double]? { nil }
            func value(at x: [Double]) -> Double { x[0] + x[1] }
            func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double { gradient = [1, 1]; return x[0] + x[1] }
        }
        #expect(throws: ModelError.self) {
            try SmoothProblem(variableNames: ["x", "x"], start: [0, 0], objective: Sum())
        }
    }

    @Test func aGameRefusesRepeatedStrategyNames() throws {
        let payoff = try DenseMatrix(rows: 2, columns: 2, storage: [1, 0, 0, 1])
        #expect(throws: ModelError.self) { try MatrixGame(payoff: payoff, rowNames: ["a", "a"]) }
        #expect(throws: ModelError.self) { try MatrixGame(payoff: payoff, columnNames: ["b", "b"]) }
    }
}
