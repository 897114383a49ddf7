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

    /// An error at 1-based `column` of `source`.
    public init(_ message: String, column: Int, source: String) {
        self.message = message
        self.column = column
        self.source = source
    }

    /// Characters of context shown on each side of the column when the source is long.
    static let contextWidth = 60

    /// The source line with a caret under `column`; a long source (a generated sum of
    /// thousands of terms) is cut to a window around the column, marked with "…".
    package var caretDiagram: String {
        let characters = Array(source)
        let at = min(max(0, column - 1), characters.count)
        let start = max(0, at - Self.contextWidth), end = min(characters.count, at + Self.contextWidth)
        let shown = (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
        // Tabs keep their width by being copied into the padding.
        let prefix = (start > 0 ? " " : "") + characters[start..<at].map { $0 == "\t" ? "\t" : " " }.joined()
        return "  \(shown)\n  \(prefix)^"
    }

    public var description: String { "column \(column): \(message)\n\(caretDiagram)" }
}
