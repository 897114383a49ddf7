/// Basis status of a column or a row (its slack w = aᵢᵀx) in a basic LP solution.
public enum BasisStatus: String, Sendable, CaseIterable, CustomStringConvertible {
    /// In the basis; its value lies between its bounds.
    case basic
    /// Nonbasic at its (finite) lower bound (`at_lower`).
    case atLower = "at_lower"
    /// Nonbasic at its (finite) upper bound (`at_upper`).
    case atUpper = "at_upper"
    /// Nonbasic with both bounds infinite (at zero, or wherever a warm start left it).
    case free
    /// Lower bound = upper bound.
    case fixed

    /// The JSON spelling (`at_lower`), as everywhere else.
    public var description: String { rawValue }
}

/// The vertex description of a basic LP solution: the basis status of every column and
/// every row, with their names.
///
/// JSON (docs/cli.md): `"basis": {"columns": {NAME: STATUS}, "rows": {NAME: STATUS}}`, the
/// statuses spelled as ``BasisStatus``'s raw values. A warm start takes this value back
/// (``columnStatus`` and ``rowStatus`` in the problem's order).
public struct BasisDetails: ResultDetails, Equatable {
    /// The status of each column, in column order.
    public var columnStatus: [BasisStatus]
    /// The status of each row's slack, in row order.
    public var rowStatus: [BasisStatus]
    /// The column names, for reports.
    public var columnNames: [String]
    /// The row names, for reports.
    public var rowNames: [String]

    /// A basis, e.g. to warm-start a ``SimplexSession`` (its basic count must equal the row count there).
    public init(columnStatus: [BasisStatus], rowStatus: [BasisStatus], columnNames: [String], rowNames: [String]) {
        self.columnStatus = columnStatus
        self.rowStatus = rowStatus
        self.columnNames = columnNames
        self.rowNames = rowNames
    }

    /// How many columns and rows are basic (a valid basis has one per row).
    public var basicCount: Int {
        columnStatus.filter { $0 == .basic }.count + rowStatus.filter { $0 == .basic }.count
    }

    public var jsonFields: [String: JSONValue] {
        func named(_ names: [String], _ statuses: [BasisStatus]) -> JSONValue {
            var object: [String: JSONValue] = [:]
            for (name, status) in zip(names, statuses) { object[name] = .string(status.rawValue) }
            return .object(object)
        }
        return ["basis": .object(["columns": named(columnNames, columnStatus), "rows": named(rowNames, rowStatus)])]
    }

    public var summaryLines: [String] {
        ["basis: \(columnStatus.filter { $0 == .basic }.count) basic columns, \(rowStatus.filter { $0 == .basic }.count) basic rows"]
    }
}
