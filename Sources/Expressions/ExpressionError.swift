/// A syntax or name error in an expression, located at a column of its text.
///
/// `description` is a two-line diagnostic with a caret under the offending column:
///
///     column 11: unknown function 'sinn'
///       100*(y - sinn(x))
///                ^
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// 1-based column (in characters) of the offending token in `source`.
    public var column: Int
    /// The whole expression text.
    public var source: String

    public init(_ message: String, column: Int, source: String) {
        self.message = message
        self.column = column
        self.source = source
    }

    /// The source line with a caret under `column`.
    public var caretDiagram: String {
        // Tabs keep their width by being copied into the padding.
        let prefix = source.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "  \(source)\n  \(prefix)^"
    }

    public var description: String { "column \(column): \(message)\n\(caretDiagram)" }
}
