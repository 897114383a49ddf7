import LagrangeCore
import LinearAlgebra

/// Reads a payoff matrix from CSV: comma-separated numbers, one matrix row per line, no
/// header. Blank lines and lines starting with `#` are skipped; spaces around numbers are
/// allowed; `\r\n` line ends and a UTF-8 byte-order mark are accepted. Every entry must be a
/// finite number and every row must have as many entries as the first. Errors name the
/// line and the column (1-based character position) of the offending entry.
package enum PayoffCSVReader {
    /// Parses CSV text; `path` is used in messages.
    package static func parse(_ text: String, path: String) throws(InputError) -> DenseMatrix {
        var values: [Double] = []
        var rowCount = 0
        var width: Int? = nil
        var widthLine = 0
        var lineNumber = 0
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // "\r\n" is one Character in Swift, so both line ends are separators.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var entries = 0
            var column = 1
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                let leading = field.prefix { $0 == " " || $0 == "\t" }.count
                let cell = field.trimmingCharacters(in: " \t")
                if cell.isEmpty {
                    throw InputError(file: path, line: lineNumber, column: column, "empty entry \(entries + 1) (expected a number)")
                }
                guard let v = Double(cell) else {
                    throw InputError(file: path, line: lineNumber, column: column + leading, "entry \(entries + 1) is '\(cell)', not a number")
                }
                guard v.isFinite else {
                    throw InputError(file: path, line: lineNumber, column: column + leading, "entry \(entries + 1) is '\(cell)', not a finite number")
                }
                values.append(v)
                entries += 1
                column += field.count + 1
            }
            if let width, entries != width {
                throw InputError(file: path, line: lineNumber, "has \(entries) entries but line \(widthLine) has \(width); every row needs the same number")
            }
            if width == nil { width = entries; widthLine = lineNumber }
            rowCount += 1
        }
        guard let width, rowCount > 0 else { throw InputError(file: path, "no payoff rows (the file is empty)") }
        var matrix = DenseMatrix(rows: rowCount, columns: width)
        matrix.storage = values
        return matrix
    }

    /// Reads a CSV file.
    package static func read(_ path: String) throws(InputError) -> DenseMatrix {
        try parse(try TextFile.read(path), path: path)
    }
}

extension Substring {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> Substring {
        let start = firstIndex { !set.contains($0) } ?? endIndex
        let end = lastIndex { !set.contains($0) }.map { index(after: $0) } ?? start
        return start < end ? self[start..<end] : self[start..<start]
    }
}
