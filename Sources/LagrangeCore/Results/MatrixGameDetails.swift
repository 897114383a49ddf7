import LinearAlgebra

// MARK: - Certificate

/// The optimality certificate of a strategy pair for a ``MatrixGame``.
///
/// With A[i][j] what the row player X pays the column player Y, a mixed strategy x of X
/// caps the payment at `rowGuarantee = max_j (xᵀA)_j` whatever Y does, and y of Y secures
/// at least `columnGuarantee = min_i (Ay)_i` whatever X does. Weak duality gives
/// `columnGuarantee ≤ v ≤ rowGuarantee`, so the pair is optimal within `gap =
/// rowGuarantee − columnGuarantee` (von Neumann's minimax theorem: the gap can be 0).
/// Every column is checked against x and every row against y.
public struct GameCertificate: Sendable, Equatable {
    /// max_j (xᵀA)_j: the most X pays with x (an upper bound on the value).
    public var rowGuarantee: Double
    /// min_i (Ay)_i: the least Y receives with y (a lower bound on the value).
    public var columnGuarantee: Double
    /// How far x and y are from being probability vectors: the largest of −min entry and
    /// |Σ − 1| over both (0 for valid strategies).
    public var strategyViolation: Double
    /// The tolerance `passed` was decided with (absolute, in payoff units).
    public var tolerance: Double

    package init(rowGuarantee: Double, columnGuarantee: Double, strategyViolation: Double, tolerance: Double) {
        self.rowGuarantee = rowGuarantee
        self.columnGuarantee = columnGuarantee
        self.strategyViolation = strategyViolation
        self.tolerance = tolerance
    }

    /// rowGuarantee − columnGuarantee (≥ 0 up to rounding for valid strategies).
    public var gap: Double { rowGuarantee - columnGuarantee }

    /// Valid strategies (entries ≥ −1e-12, sums within 1e-9 of 1) whose gap is within
    /// `tolerance`.
    public var passed: Bool {
        strategyViolation <= 1e-9 && gap <= tolerance && gap.isFinite
    }
}

extension MatrixGame {
    /// Largest |A[i][j]| (the scale for tolerances).
    package var maxAbsolutePayoff: Double { payoff.storage.reduce(0) { max($0, abs($1)) } }

    /// (Ay)_i for every row i: what each pure row strategy pays against y.
    package func rowPayments(against y: [Double]) -> [Double] { payoff.multiply(y) }

    /// (xᵀA)_j for every column j: what each pure column strategy receives against x.
    package func columnPayments(against x: [Double]) -> [Double] { payoff.transposeMultiply(x) }

    /// Checks (x, y) against every column and every row of the full matrix.
    ///
    /// - Parameters:
    ///   - x: the row player's mixed strategy (one entry per row).
    ///   - y: the column player's mixed strategy (one entry per column).
    ///   - tolerance: absolute tolerance on the gap.
    /// - Returns: the certificate; a pair of the wrong lengths gets infinite guarantees.
    package func certificate(rowStrategy x: [Double], columnStrategy y: [Double], tolerance: Double) -> GameCertificate {
        guard x.count == payoff.rows, y.count == payoff.columns else {
            return GameCertificate(rowGuarantee: .infinity, columnGuarantee: -.infinity, strategyViolation: .infinity, tolerance: tolerance)
        }
        let upper = columnPayments(against: x).max() ?? .infinity
        let lower = rowPayments(against: y).min() ?? -.infinity
        func violation(_ p: [Double]) -> Double {
            let negative = max(0, -(p.min() ?? 0) - 1e-12)
            let sum = p.reduce(0, +)
            return max(negative, abs(sum - 1))
        }
        return GameCertificate(rowGuarantee: upper, columnGuarantee: lower,
                               strategyViolation: max(violation(x), violation(y)), tolerance: tolerance)
    }
}

// MARK: - Presolve report

/// What game presolve found: a pure saddle point, and the strictly dominated strategies it
/// removed (indices into the original matrix, 0-based, in removal order).
package struct GamePresolveReport: Sendable, Equatable {
    /// Row of a pure saddle point (an entry largest in its row and smallest in its column).
    package var saddleRow: Int?
    /// Column of the saddle point.
    package var saddleColumn: Int?
    /// Rows removed because another row always pays strictly less.
    package var removedRows: [Int]
    /// Columns removed because another column always receives strictly more.
    package var removedColumns: [Int]
    /// Passes of the dominance loop (the last one removes nothing).
    package var rounds: Int

    package init(saddleRow: Int? = nil, saddleColumn: Int? = nil, removedRows: [Int] = [], removedColumns: [Int] = [], rounds: Int = 0) {
        self.saddleRow = saddleRow
        self.saddleColumn = saddleColumn
        self.removedRows = removedRows
        self.removedColumns = removedColumns
        self.rounds = rounds
    }

    /// Whether a saddle point answered the game without an LP.
    package var foundSaddlePoint: Bool { saddleRow != nil && saddleColumn != nil }
}

// MARK: - Result details

/// The `matrix-game` part of a ``SolveResult``: the value, both mixed strategies, their
/// supports, each player's guarantee with the checked certificate, and the presolve report.
///
/// JSON fields: `value`, `row_strategy`, `column_strategy` (arrays in row / column order),
/// `row_names`, `column_names`, `row_support`, `column_support` (names with probability
/// above 1e-12), `row_guarantee`, `column_guarantee`, `certificate`, and `presolve` (or
/// null when presolve did not run).
public struct MatrixGameDetails: ResultDetails, Equatable {
    /// The value of the game (what X pays Y), or the solver's estimate of it.
    public var value: Double
    /// The row player's mixed strategy (a probability vector).
    public var rowStrategy: [Double]
    /// The column player's mixed strategy (a probability vector).
    public var columnStrategy: [Double]
    /// The row strategies' names.
    public var rowNames: [String]
    /// The column strategies' names.
    public var columnNames: [String]
    /// The guarantees each strategy secures, and the gap between them.
    public var certificate: GameCertificate
    package var presolve: GamePresolveReport?

    /// Probabilities at or below this count as outside the support.
    package static let supportThreshold = 1e-12

    package init(value: Double, rowStrategy: [Double], columnStrategy: [Double], rowNames: [String], columnNames: [String],
                certificate: GameCertificate, presolve: GamePresolveReport?) {
        self.value = value
        self.rowStrategy = rowStrategy
        self.columnStrategy = columnStrategy
        self.rowNames = rowNames
        self.columnNames = columnNames
        self.certificate = certificate
        self.presolve = presolve
    }

    /// Rows played with positive probability (0-based).
    public var rowSupport: [Int] { rowStrategy.indices.filter { rowStrategy[$0] > Self.supportThreshold } }
    /// Columns played with positive probability (0-based).
    public var columnSupport: [Int] { columnStrategy.indices.filter { columnStrategy[$0] > Self.supportThreshold } }
    /// The most X pays with its strategy: max_j (xᵀA)_j.
    public var rowGuarantee: Double { certificate.rowGuarantee }
    /// The least Y receives with its strategy: min_i (Ay)_i.
    public var columnGuarantee: Double { certificate.columnGuarantee }

    public var jsonFields: [String: JSONValue] {
        func names(_ indices: [Int], _ all: [String]) -> JSONValue { .array(indices.map { .string(all[$0]) }) }
        var presolveJSON = JSONValue.null
        if let p = presolve {
            var saddle = JSONValue.null
            if let i = p.saddleRow, let j = p.saddleColumn {
                saddle = .object(["row": .string(rowNames[i]), "column": .string(columnNames[j])])
            }
            presolveJSON = .object([
                "saddle_point": saddle,
                "removed_rows": names(p.removedRows, rowNames),
                "removed_columns": names(p.removedColumns, columnNames),
                "rounds": .integer(Int64(p.rounds)),
            ])
        }
        return [
            "value": .number(value),
            "row_strategy": .array(rowStrategy.map { .number($0) }),
            "column_strategy": .array(columnStrategy.map { .number($0) }),
            "row_names": .array(rowNames.map { .string($0) }),
            "column_names": .array(columnNames.map { .string($0) }),
            "row_support": names(rowSupport, rowNames),
            "column_support": names(columnSupport, columnNames),
            "row_guarantee": .number(rowGuarantee),
            "column_guarantee": .number(columnGuarantee),
            "certificate": .object([
                "passed": .bool(certificate.passed),
                "gap": .number(certificate.gap),
                "tolerance": .number(certificate.tolerance),
                "strategy_violation": .number(certificate.strategyViolation),
            ]),
            "presolve": presolveJSON,
        ]
    }

    public var summaryLines: [String] {
        func strategy(_ p: [Double], _ names: [String], _ support: [Int]) -> String {
            let shown = support.prefix(8).map { "\(names[$0])=\(Self.short(p[$0]))" }.joined(separator: " ")
            return support.count > 8 ? shown + " … (\(support.count) in support)" : shown
        }
        var lines = [
            "value \(value)",
            "row player (pays) strategy: \(strategy(rowStrategy, rowNames, rowSupport))",
            "column player (receives) strategy: \(strategy(columnStrategy, columnNames, columnSupport))",
            "guarantees: row pays at most \(rowGuarantee), column receives at least \(columnGuarantee)",
            "certificate \(certificate.passed ? "passed" : "FAILED"): gap \(certificate.gap) (tolerance \(certificate.tolerance))",
        ]
        if let p = presolve {
            if let i = p.saddleRow, let j = p.saddleColumn {
                lines.append("presolve: pure saddle point at (\(rowNames[i]), \(columnNames[j]))")
            } else if !p.removedRows.isEmpty || !p.removedColumns.isEmpty {
                lines.append("presolve: removed \(p.removedRows.count) dominated rows and \(p.removedColumns.count) dominated columns")
            }
        }
        return lines
    }

    static func short(_ v: Double) -> String {
        let r = (v * 1e6).rounded() / 1e6
        return "\(r)"
    }
}
