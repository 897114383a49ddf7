import LinearAlgebra

/// A two-person zero-sum game (`kind: matrix-game`).
///
/// Convention (DESIGN.md): `payoff[i, j]` is what the row player pays the column player
/// when they play row i and column j. The row player minimizes, the column player
/// maximizes, and the value is the expected payment. Files with `payoff_to: row` are
/// negated on load so this convention always holds inside the model.
public struct MatrixGame: Sendable, Equatable {
    /// The game's name, used in results and messages.
    public var name: String
    /// The row player's payoffs A (rows × columns); the column player pays them.
    public private(set) var payoff: DenseMatrix
    /// One name per row strategy.
    public private(set) var rowNames: [String]
    /// One name per column strategy.
    public private(set) var columnNames: [String]

    /// A zero-sum game with payoff matrix `payoff`; names default to r1…, c1….
    public init(name: String = "", payoff: DenseMatrix, rowNames: [String]? = nil, columnNames: [String]? = nil) throws(ModelError) {
        guard payoff.rows > 0, payoff.columns > 0 else { throw ModelError("the payoff matrix is empty (\(payoff.rows)×\(payoff.columns))") }
        if let bad = payoff.storage.firstIndex(where: { !$0.isFinite }) {
            throw ModelError("payoff entry (\(bad / payoff.columns + 1), \(bad % payoff.columns + 1)) is not finite")
        }
        let rn = rowNames ?? (1...payoff.rows).map { "r\($0)" }
        let cn = columnNames ?? (1...payoff.columns).map { "c\($0)" }
        guard rn.count == payoff.rows else { throw ModelError("\(rn.count) row names for \(payoff.rows) rows") }
        guard cn.count == payoff.columns else { throw ModelError("\(cn.count) column names for \(payoff.columns) columns") }
        if let duplicate = LinearProgram.firstDuplicate(rn) { throw ModelError("duplicate row strategy name '\(duplicate)'") }
        if let duplicate = LinearProgram.firstDuplicate(cn) { throw ModelError("duplicate column strategy name '\(duplicate)'") }
        self.name = name
        self.payoff = payoff
        self.rowNames = rn
        self.columnNames = cn
    }
}
