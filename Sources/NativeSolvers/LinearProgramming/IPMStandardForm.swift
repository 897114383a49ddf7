import LagrangeCore
import LinearAlgebra

/// The quadratic part ½xᵀQx of an interior-point objective. When present, the method
/// solves the augmented quasi-definite system (``IPMAugmentedSystem``) instead of the
/// normal equations.
struct QuadraticObjective: Sendable {
    /// Full symmetric Q (both triangles), n × n, in the interior-point form's columns.
    var matrix: SparseMatrix
    var diagonal: [Double]
    /// Whether Q is diagonal (the normal equations are then exact).
    var isDiagonal: Bool
}

/// The internal standard form solved by the interior-point method:
///
///     min  cᵀx + ½xᵀQx   s.t.   A x = b,   l ≤ x ≤ u
///
/// with no free columns (a free column of the row-bound LP is split x = x⁺ − x⁻) and
/// every inequality row aᵢᵀx ∈ [lᵢ, uᵢ] written as aᵢᵀx − wᵢ = 0 with a slack column
/// lᵢ ≤ wᵢ ≤ uᵢ. The multiplier of row i is then the shadow price of the original row
/// (the slack's reduced cost equals yᵢ).
struct IPMStandardForm: Sendable {
    var matrix: SparseMatrix
    var rightHandSide: [Double]
    var cost: [Double]
    var lower: [Double]
    var upper: [Double]
    var quadratic: QuadraticObjective?

    /// Column of the standard form that holds each row-bound column (`negativePart` for
    /// a split free column, −1 otherwise).
    var positivePart: [Int]
    var negativePart: [Int]
    var rowCount: Int { matrix.rowCount }
    var columnCount: Int { matrix.columnCount }

    /// Builds the form. A QP (`lp.quadratic` set) keeps free columns whole: the augmented
    /// system handles them (their barrier term is just ρ), and splitting would make Q
    /// singular along x⁺ = x⁻ directions.
    init(_ lp: RowBoundLP) {
        let m = lp.rowCount, n = lp.columnCount
        let splitFree = lp.quadratic == nil
        var positive = Array(repeating: 0, count: n)
        var negative = Array(repeating: -1, count: n)
        var columns: [Int] = []
        var signs: [Double] = []
        var cost: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for j in 0..<n {
            positive[j] = columns.count
            columns.append(j); signs.append(1)
            cost.append(lp.objective[j])
            if splitFree && lp.columnLower[j] == -.infinity && lp.columnUpper[j] == .infinity {
                lower.append(0); upper.append(.infinity)
                negative[j] = columns.count
                columns.append(j); signs.append(-1)
                cost.append(-lp.objective[j])
                lower.append(0); upper.append(.infinity)
            } else {
                lower.append(lp.columnLower[j]); upper.append(lp.columnUpper[j])
            }
        }
        var starts = [0]
        var rows: [Int] = []
        var values: [Double] = []
        let a = lp.matrix
        for (j, sign) in zip(columns, signs) {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                rows.append(a.rowIndices[k])
                values.append(sign * a.values[k])
            }
            starts.append(rows.count)
        }
        var rhs = Array(repeating: 0.0, count: m)
        for i in 0..<m {
            if lp.rowLower[i] == lp.rowUpper[i] {
                rhs[i] = lp.rowLower[i]
            } else {
                rows.append(i)
                values.append(-1)
                starts.append(rows.count)
                cost.append(0)
                lower.append(lp.rowLower[i])
                upper.append(lp.rowUpper[i])
            }
        }
        // Safe: built column by column with increasing rows.
        matrix = (try? SparseMatrix(rowCount: m, columnCount: starts.count - 1, columnStarts: starts,
                                    rowIndices: rows, values: values)) ?? .zeros(rows: m, columns: 0)
        rightHandSide = rhs
        self.cost = cost
        self.lower = lower
        self.upper = upper
        positivePart = positive
        negativePart = negative
        quadratic = nil
        if let q = lp.quadratic {
            // Slack columns follow the structural ones and have no quadratic part.
            let total = starts.count - 1
            let qStarts = q.columnStarts + Array(repeating: q.nonzeroCount, count: total - n)
            let extended = (try? SparseMatrix(rowCount: total, columnCount: total, columnStarts: qStarts,
                                              rowIndices: q.rowIndices, values: q.values)) ?? .zeros(rows: total, columns: total)
            var diagonal = Array(repeating: 0.0, count: total)
            var isDiagonal = true
            for j in 0..<n {
                for k in q.columnStarts[j]..<q.columnStarts[j + 1] {
                    if q.rowIndices[k] == j { diagonal[j] += q.values[k] } else { isDiagonal = false }
                }
            }
            quadratic = QuadraticObjective(matrix: extended, diagonal: diagonal, isDiagonal: isDiagonal)
        }
    }

    /// The row-bound LP's primal values from a standard-form x.
    func rowBoundPrimal(_ x: [Double]) -> [Double] {
        (0..<positivePart.count).map { j in
            negativePart[j] >= 0 ? x[positivePart[j]] - x[negativePart[j]] : x[positivePart[j]]
        }
    }
}

/// Ruiz equilibration (D. Ruiz, "A scaling algorithm to equilibrate both rows and
/// columns norms in matrices", RAL-TR-2001-034): repeatedly divide each row and column
/// by the square root of its largest entry, so all rows and columns of R A C have
/// ∞-norm near 1. Powers of two are used so the scaling is exact in floating point.
struct Equilibration: Sendable {
    var rowScale: [Double]
    var columnScale: [Double]

    init(_ a: SparseMatrix, passes: Int) {
        let m = a.rowCount, n = a.columnCount
        var r = Array(repeating: 1.0, count: m)
        var c = Array(repeating: 1.0, count: n)
        var rowMax = Array(repeating: 0.0, count: m)
        var columnMax = Array(repeating: 0.0, count: n)
        for _ in 0..<passes {
            for i in 0..<m { rowMax[i] = 0 }
            for j in 0..<n {
                var cm = 0.0
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let v = abs(a.values[k]) * r[a.rowIndices[k]] * c[j]
                    cm = max(cm, v)
                    rowMax[a.rowIndices[k]] = max(rowMax[a.rowIndices[k]], v)
                }
                columnMax[j] = cm
            }
            var done = true
            for i in 0..<m where rowMax[i] > 0 {
                if abs(rowMax[i] - 1) > 0.1 { done = false }
                r[i] *= Self.powerOfTwo(1 / rowMax[i].squareRoot())
            }
            for j in 0..<n where columnMax[j] > 0 {
                if abs(columnMax[j] - 1) > 0.1 { done = false }
                c[j] *= Self.powerOfTwo(1 / columnMax[j].squareRoot())
            }
            if done { break }
        }
        rowScale = r
        columnScale = c
    }

    static func powerOfTwo(_ v: Double) -> Double {
        guard v.isFinite, v > 0 else { return 1 }
        return Double(sign: .plus, exponent: v.exponent, significand: 1)
    }

    /// The scaled standard form: Ã = RAC, b̃ = Rb, c̃ = Cc, l̃ = l/C, ũ = u/C, Q̃ = CQC.
    func apply(to form: IPMStandardForm) -> IPMStandardForm {
        var scaled = form
        scaled.matrix = form.matrix.scaled(rows: rowScale, columns: columnScale)
        scaled.rightHandSide = zip(form.rightHandSide, rowScale).map { $0 * $1 }
        scaled.cost = zip(form.cost, columnScale).map { $0 * $1 }
        scaled.lower = zip(form.lower, columnScale).map { $0 / $1 }
        scaled.upper = zip(form.upper, columnScale).map { $0 / $1 }
        if let q = form.quadratic {
            let matrix = q.matrix.scaled(rows: columnScale, columns: columnScale)
            scaled.quadratic = QuadraticObjective(matrix: matrix,
                                                  diagonal: zip(q.diagonal, columnScale).map { $0 * $1 * $1 },
                                                  isDiagonal: q.isDiagonal)
        }
        return scaled
    }
}
