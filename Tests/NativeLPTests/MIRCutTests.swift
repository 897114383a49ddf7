import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import Testing

/// Complemented MIR cuts (``MIRSeparator``): every cut must hold at every feasible point of
/// the rows it came from. Small random mixed problems (1–3 bounded integer columns, 1–3
/// bounded continuous ones, 1–3 rows with either side or both, sometimes variable-upper-bound
/// rows x ≤ u·y on a binary y) are separated at their LP optimum for a random objective and
/// at a random point of the box. Each cut is checked at every integer point: the least value
/// of its left-hand side over the continuous part's polytope there (a bounded polytope, so
/// attained at a vertex, found by enumerating every basis of its constraints) must not be
/// below the cut's bound.
@Suite struct MIRCutTests {
    /// A uniform integer in `range`, from the project's generator.
    static func draw(_ range: ClosedRange<Int>, _ generator: inout SeededGenerator) -> Int {
        range.lowerBound + generator.nextIndex(below: range.count)
    }

    struct Problem {
        var lp: LinearProgram
        var integerCount: Int
    }

    static func randomProblem(_ g: inout SeededGenerator) throws -> Problem {
        let ni = draw(1...3, &g), nc = draw(1...3, &g), n = ni + nc
        // With variable upper bounds, integer column 0 is their binary y.
        let withVariableBounds = draw(0...1, &g) == 1
        var lower = [Double](), upper = [Double]()
        for j in 0..<ni {
            let l = withVariableBounds && j == 0 ? 0 : Double(draw(-2...1, &g))
            lower.append(l)
            upper.append(withVariableBounds && j == 0 ? 1 : l + Double(draw(1...3, &g)))
        }
        for _ in 0..<nc {
            let l = Double(draw(-3...1, &g)) + (draw(0...1, &g) == 0 ? 0 : 0.5)
            lower.append(l)
            upper.append(l + Double(draw(1...6, &g)) + 0.25 * Double(draw(0...3, &g)))
        }
        // A point every row holds at, so the problem has integer points.
        let point = (0..<n).map { j in
            j < ni ? lower[j] + Double(draw(0...Int(upper[j] - lower[j]), &g)) : lower[j] + g.nextUnit() * (upper[j] - lower[j])
        }
        var rows: [[Double]] = [], rowLower: [Double] = [], rowUpper: [Double] = []
        for _ in 0..<draw(1...3, &g) {
            // Integer or half-integer coefficients, some fractional; a few zeros.
            let row = (0..<n).map { _ -> Double in
                switch draw(0...5, &g) {
                case 0: 0
                case 1: Double(draw(-9...9, &g)) / 2
                case 2: Double(draw(-30...30, &g)) / 7
                default: Double(draw(-9...9, &g))
                }
            }
            let activity = zip(row, point).reduce(0) { $0 + $1.0 * $1.1 }
            let up = activity + Double(draw(0...3, &g)) * g.nextUnit()
            switch draw(0...3, &g) {
            case 0: (rows, rowLower, rowUpper) = (rows + [row], rowLower + [activity], rowUpper + [activity])
            case 1: (rows, rowLower, rowUpper) = (rows + [row], rowLower + [activity - 2 * g.nextUnit()], rowUpper + [.infinity])
            case 2: (rows, rowLower, rowUpper) = (rows + [row], rowLower + [-.infinity], rowUpper + [up])
            default: (rows, rowLower, rowUpper) = (rows + [row], rowLower + [activity - 2 * g.nextUnit()], rowUpper + [up])
            }
        }
        // Variable upper bounds x ≤ u·y on continuous columns with lower bound ≥ 0 and a
        // binary y (made binary here), written either way round.
        if withVariableBounds {
            let y = 0
            for j in ni..<n where lower[j] >= 0 && draw(0...1, &g) == 1 {
                let u = upper[j] * (0.5 + g.nextUnit())
                var row = Array(repeating: 0.0, count: n)
                if draw(0...1, &g) == 0 {
                    row[j] = 1; row[y] = -u
                    (rows, rowLower, rowUpper) = (rows + [row], rowLower + [-.infinity], rowUpper + [0])
                } else {
                    row[j] = -2; row[y] = 2 * u
                    (rows, rowLower, rowUpper) = (rows + [row], rowLower + [0], rowUpper + [.infinity])
                }
            }
        }
        let c = (0..<n).map { _ in g.nextUnit() * 2 - 1 }
        let lp = try makeLP(c: c, rows: rows, rowLower: rowLower, rowUpper: rowUpper,
                            columnLower: lower, columnUpper: upper, integerColumns: Array(0..<ni))
        return Problem(lp: lp, integerCount: ni)
    }

    /// The least of Σ cⱼxⱼ over the continuous columns' polytope with the integers fixed at
    /// `integers`, or nil when that polytope is empty. By enumeration of its vertices.
    static func minimum(of cut: LinearCut, problem: Problem, integers: [Double]) -> Double? {
        let lp = problem.lp, ni = problem.integerCount, k = lp.columnCount - ni
        let dense = lp.constraints.dense()
        var constant = 0.0
        var objective = Array(repeating: 0.0, count: k)
        for (j, c) in zip(cut.columns, cut.coefficients) {
            if j < ni { constant += c * integers[j] } else { objective[j - ni] += c }
        }
        // g·x ≤ h over the continuous columns.
        var constraints: [(g: [Double], h: Double)] = []
        for i in 0..<lp.rowCount {
            let g = (0..<k).map { dense[i, ni + $0] }
            let fixed = (0..<ni).reduce(0.0) { $0 + dense[i, $1] * integers[$1] }
            if lp.rowUpper[i].isFinite { constraints.append((g, lp.rowUpper[i] - fixed)) }
            if lp.rowLower[i].isFinite { constraints.append((g.map { -$0 }, fixed - lp.rowLower[i])) }
        }
        for t in 0..<k {
            var e = Array(repeating: 0.0, count: k)
            e[t] = 1
            constraints.append((e, lp.columnUpper[ni + t]))
            e[t] = -1
            constraints.append((e, -lp.columnLower[ni + t]))
        }
        var best: Double?
        func visit(_ chosen: [Int], from start: Int) {
            if chosen.count == k {
                guard let v = solve(chosen.map { constraints[$0].g }, chosen.map { constraints[$0].h }) else { return }
                for (g, h) in constraints {
                    let lhs = zip(g, v).reduce(0) { $0 + $1.0 * $1.1 }
                    if lhs > h + 1e-9 * (1 + abs(h)) { return }
                }
                let value = constant + zip(objective, v).reduce(0) { $0 + $1.0 * $1.1 }
                best = min(best ?? value, value)
                return
            }
            guard start < constraints.count else { return }
            for p in start..<constraints.count { visit(chosen + [p], from: p + 1) }
        }
        visit([], from: 0)
        return best
    }

    /// Gaussian elimination with partial pivoting; nil when (nearly) singular.
    static func solve(_ rows: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = rows, b = rhs
        let k = b.count
        for col in 0..<k {
            guard let pivot = (col..<k).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-10 else { return nil }
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for r in 0..<k where r != col {
                let factor = a[r][col] / a[col][col]
                guard factor != 0 else { continue }
                for c in col..<k { a[r][c] -= factor * a[col][c] }
                b[r] -= factor * b[col]
            }
        }
        return (0..<k).map { b[$0] / a[$0][$0] }
    }

    /// Every integer point within the integer columns' bounds.
    static func integerPoints(_ problem: Problem) -> [[Double]] {
        var points: [[Double]] = [[]]
        for j in 0..<problem.integerCount {
            let range = Int(problem.lp.columnLower[j])...Int(problem.lp.columnUpper[j])
            points = points.flatMap { p in range.map { p + [Double($0)] } }
        }
        return points
    }

    static func search(_ lp: LinearProgram) throws -> BranchAndBoundSearch {
        BranchAndBoundSearch(lp: lp, settings: try BranchAndBoundSettings(options: SolveOptions()),
                             control: IterationControl(options: SolveOptions()))
    }

    @Test func everyCutHoldsAtEveryMixedIntegerPoint() throws {
        var generator = SeededGenerator(seed: 2026_12_07)
        var checked = 0, variableBoundCuts = 0
        for _ in 0..<400 {
            let problem = try Self.randomProblem(&generator)
            var search = try Self.search(problem.lp)
            let separator = search.mirSeparator()
            let hasVariableBounds = separator.variableUpper.contains { !$0.isEmpty } || separator.variableLower.contains { !$0.isEmpty }
            var points: [[Double]] = []
            if case .optimal(_, let x, _, _) = try search.solveNode(bounds: [], basis: nil) { points.append(x) }
            points.append((0..<problem.lp.columnCount).map { j in
                problem.lp.columnLower[j] + generator.nextUnit() * (problem.lp.columnUpper[j] - problem.lp.columnLower[j])
            })
            let integerPoints = Self.integerPoints(problem)
            for x in points {
                for cut in separator.cuts(at: x, limit: 20) {
                    let atX = zip(cut.columns, cut.coefficients).reduce(0) { $0 + $1.1 * x[$1.0] }
                    #expect(atX < cut.lower, "the cut does not cut x")
                    for integers in integerPoints {
                        guard let least = Self.minimum(of: cut, problem: problem, integers: integers) else { continue }
                        let scale = 1 + abs(cut.lower) + cut.coefficients.reduce(0) { $0 + abs($1) } * 10
                        #expect(least >= cut.lower - 1e-9 * scale,
                                "cut \(cut) fails at integers \(integers) (least \(least)) of \(problem.lp.constraints.dense()) rows [\(problem.lp.rowLower), \(problem.lp.rowUpper)] bounds \(problem.lp.columnLower) \(problem.lp.columnUpper)")
                    }
                    checked += 1
                    if hasVariableBounds { variableBoundCuts += 1 }
                }
            }
        }
        #expect(checked >= 200, "only \(checked) cuts were generated")
        #expect(variableBoundCuts >= 20, "only \(variableBoundCuts) cuts on problems with variable bounds")
    }

    /// A single-node fixed-charge flow: x₁ + x₂ ≥ 5 with xᵢ ≤ 4·yᵢ, yᵢ binary. The LP optimum
    /// of min y₁ + y₂ opens both arcs at 5/8; the flow cover y₁ + y₂ ≥ 2 (one arc carries at
    /// most 4) is a c-MIR cut of the demand row with the variable bounds substituted.
    @Test func cutsTheFixedChargeRelaxation() throws {
        // Columns y₁, y₂, x₁, x₂.
        let lp = try makeLP(c: [1, 1, 0, 0], rows: [[0, 0, 1, 1], [-4, 0, 1, 0], [0, -4, 0, 1]],
                            rowLower: [5, -.infinity, -.infinity], rowUpper: [.infinity, 0, 0],
                            columnLower: [0, 0, 0, 0], columnUpper: [1, 1, 10, 10], integerColumns: [0, 1])
        var search = try Self.search(lp)
        let separator = search.mirSeparator()
        guard case .optimal(let objective, let x, _, _) = try search.solveNode(bounds: [], basis: nil) else {
            Issue.record("the relaxation has no optimum")
            return
        }
        #expect(abs(objective - 1.25) < 1e-9)
        #expect(separator.variableUpper[2] == [VariableBound(integerColumn: 0, coefficient: 4, constant: 0)])
        let cuts = separator.cuts(at: x, limit: 10)
        #expect(!cuts.isEmpty)
        // Every cut must hold at the integer optimum y = (1, 1), x = (4, 1), and at (1, 1, 1, 4).
        for cut in cuts {
            for point in [[1.0, 1, 4, 1], [1, 1, 1, 4], [1, 1, 2.5, 2.5]] {
                let value = zip(cut.columns, cut.coefficients).reduce(0) { $0 + $1.1 * point[$1.0] }
                #expect(value >= cut.lower - 1e-9, "cut \(cut) fails at \(point)")
            }
        }
    }
}
