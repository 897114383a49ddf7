import LagrangeCore
import LinearAlgebra

/// Reads regression data: the LIBSVM sparse text format and CSV with a target column.
///
/// **LIBSVM:** one sample per line, `label index:value index:value …`, with 1-based
/// feature indices in strictly increasing order; omitted features are 0. Text after `#`
/// is a comment, and blank lines are skipped. The data become dense rows whose width is
/// the largest index seen (or `featureCount` when given, e.g. the training width for a
/// test file). Every defect is an ``InputError`` with the line and column.
///
/// **CSV:** comma-separated numbers, one sample per line, with an optional header row
/// (detected when a cell of the first row is not a number); the target is a column given
/// by header name or 1-based number, by default the last one. Every other column is a
/// feature.
package enum RegressionDataReader {
    /// Dense data larger than this many entries (2²⁷ doubles, 1 GiB) is refused.
    package static let maximumEntries = 1 << 27

    /// Which column of a CSV file holds the target.
    package enum TargetColumn: Sendable, Equatable {
        case last
        /// 1-based column number.
        case number(Int)
        /// Header name.
        case name(String)
    }

    /// Reads a file by its extension: `.csv` as CSV, anything else as LIBSVM. A target
    /// that does not fit the file is reported at `targetSource` (the problem file's
    /// `target:` value) when given.
    package static func read(_ path: String, featureCount: Int? = nil, target: TargetColumn = .last,
                            targetSource: YAMLValue? = nil) throws(InputError) -> RegressionData {
        let text = try TextFile.read(path)
        if path.lowercased().hasSuffix(".csv") {
            return try parseCSV(text, file: path, featureCount: featureCount, target: target, targetSource: targetSource)
        }
        return try parseLIBSVM(text, file: path, featureCount: featureCount)
    }

    // MARK: LIBSVM

    /// Parses LIBSVM text. `file` is used in messages only.
    package static func parseLIBSVM(_ text: String, file: String, featureCount: Int? = nil) throws(InputError) -> RegressionData {
        let rows = try parseLIBSVMRows(text, file: file, featureCount: featureCount)
        let (labels, rowStarts, indices, values) = (rows.labels, rows.rowStarts, rows.indices, rows.values)
        let d = rows.featureCount
        guard labels.count.multipliedReportingOverflow(by: max(d, 1)).overflow == false, labels.count * max(d, 1) <= maximumEntries else {
            throw InputError(file: file, "\(labels.count) samples × \(d) features is too large for dense data")
        }
        // Features are stored densely: a few bytes naming a huge feature index must not
        // make a gigabyte matrix (found by fuzzing). Beyond 2¹⁶ entries the dense matrix
        // may be at most 256 times the entries the file gives (dense data gives them all).
        let denseEntries = labels.count * max(d, 1)
        guard denseEntries <= 1 << 16 || denseEntries <= 256 * max(values.count, labels.count) else {
            throw InputError(file: file, "\(labels.count) samples × \(d) features (\(denseEntries) dense entries) for only \(values.count) "
                             + "given values: too sparse for dense storage")
        }
        var features = DenseMatrix(rows: labels.count, columns: d)
        for i in 0..<labels.count {
            for k in rowStarts[i]..<rowStarts[i + 1] { features.storage[i * d + indices[k]] = values[k] }
        }
        return try ProblemFileReader.model(file) { () throws(ModelError) in try RegressionData(features: features, targets: labels) }
    }

    /// LIBSVM samples as sparse rows: labels, row starts into the 0-based feature
    /// `indices` and `values`, and the width (`featureCount` when given, else the largest
    /// index).
    package struct SparseRows: Sendable {
        package var labels: [Double] = []
        package var rowStarts: [Int] = [0]
        package var indices: [Int] = []
        package var values: [Double] = []
        package var featureCount = 0
        /// The 1-based line of each sample, for messages about its label.
        package var lines: [Int] = []
    }

    /// Parses LIBSVM text into sparse rows, checking every token (line and column in errors).
    package static func parseLIBSVMRows(_ text: String, file: String, featureCount: Int? = nil) throws(InputError) -> SparseRows {
        var labels: [Double] = []
        var lines: [Int] = []
        var rowStarts: [Int] = [0]
        var indices: [Int] = []
        var values: [Double] = []
        var width = 0
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) { // "\r\n" is one Character
            lineNumber += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            // Tokens with their 1-based columns (bytes from the line start).
            var tokens: [(text: Substring, column: Int)] = []
            var start: Substring.Index? = nil
            var column = 0, startColumn = 0
            for i in line.indices {
                column += 1
                let c = line[i]
                if c == " " || c == "\t" || c == "\r" {
                    if let s = start { tokens.append((line[s..<i], startColumn)); start = nil }
                } else if start == nil {
                    start = i
                    startColumn = column
                }
            }
            if let s = start { tokens.append((line[s...], startColumn)) }
            guard let first = tokens.first else { continue }
            guard let label = Double(first.text), label.isFinite else {
                throw InputError(file: file, line: lineNumber, column: first.column, "the label '\(first.text)' is not a finite number")
            }
            var previous = 0
            for token in tokens.dropFirst() {
                guard let colon = token.text.firstIndex(of: ":") else {
                    throw InputError(file: file, line: lineNumber, column: token.column, "'\(token.text)' is not index:value")
                }
                let indexText = token.text[..<colon], valueText = token.text[token.text.index(after: colon)...]
                guard let index = Int(indexText) else {
                    throw InputError(file: file, line: lineNumber, column: token.column, "feature index '\(indexText)' is not an integer")
                }
                guard index >= 1 else {
                    throw InputError(file: file, line: lineNumber, column: token.column, "feature index \(index): indices start at 1")
                }
                guard index > previous else {
                    throw InputError(file: file, line: lineNumber, column: token.column,
                                     "feature index \(index) after \(previous): indices must be strictly increasing")
                }
                if let featureCount, index > featureCount {
                    throw InputError(file: file, line: lineNumber, column: token.column,
                                     "feature index \(index) exceeds the \(featureCount) features of the training data / model")
                }
                guard index <= maximumEntries else {
                    throw InputError(file: file, line: lineNumber, column: token.column, "feature index \(index) is too large for dense data")
                }
                guard let value = Double(valueText), value.isFinite else {
                    throw InputError(file: file, line: lineNumber, column: token.column, "value '\(valueText)' of feature \(index) is not a finite number")
                }
                previous = index
                indices.append(index - 1)
                values.append(value)
            }
            width = max(width, previous)
            labels.append(label)
            lines.append(lineNumber)
            rowStarts.append(indices.count)
        }
        guard !labels.isEmpty else { throw InputError(file: file, "no samples (every line is blank or a comment)") }
        return SparseRows(labels: labels, rowStarts: rowStarts, indices: indices, values: values, featureCount: featureCount ?? width, lines: lines)
    }

    // MARK: CSV

    /// Parses CSV text with a target column.
    package static func parseCSV(_ text: String, file: String, featureCount: Int? = nil, target: TargetColumn = .last,
                                targetSource: YAMLValue? = nil) throws(InputError) -> RegressionData {
        func targetError(_ message: String) -> InputError {
            targetSource.map { $0.error("\(message) in \(file)") } ?? InputError(file: file, message)
        }
        var rows: [[Double]] = []
        var header: [String]? = nil
        var columns = -1
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) { // "\r\n" is one Character
            lineNumber += 1
            let line = rawLine.trimmed(" \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmed(" \t\"") }
            if columns < 0 {
                columns = cells.count
                if cells.contains(where: { Double($0) == nil }) {
                    if let duplicate = LinearProgram.firstDuplicate(cells) {
                        throw InputError(file: file, line: lineNumber, "column name '\(duplicate)' appears twice in the header; names must be unique")
                    }
                    header = cells
                    continue
                }
            }
            guard cells.count == columns else {
                throw InputError(file: file, line: lineNumber, "has \(cells.count) cells, expected \(columns)")
            }
            var row: [Double] = []
            row.reserveCapacity(columns)
            for (j, cell) in cells.enumerated() {
                guard let v = Double(cell), v.isFinite else {
                    throw InputError(file: file, line: lineNumber, "cell \(j + 1) '\(cell)' is not a finite number")
                }
                row.append(v)
            }
            rows.append(row)
            guard rows.count * columns <= maximumEntries else { throw InputError(file: file, line: lineNumber, "too large for dense data") }
        }
        guard !rows.isEmpty else { throw InputError(file: file, "no samples") }
        guard columns >= 2 else { throw InputError(file: file, "needs at least two columns (features and a target)") }
        let targetIndex: Int
        switch target {
        case .last: targetIndex = columns - 1
        case .number(let k):
            guard k >= 1, k <= columns else { throw targetError("target column \(k) does not exist (the file has \(columns) columns)") }
            targetIndex = k - 1
        case .name(let name):
            guard let header else { throw targetError("target column '\(name)' is named, but there is no header row") }
            guard let k = header.firstIndex(of: name) else {
                throw targetError("no column named '\(name)' (columns: \(header.joined(separator: ", ")))")
            }
            targetIndex = k
        }
        let d = columns - 1
        if let featureCount, featureCount != d {
            throw InputError(file: file, "has \(d) feature columns, expected \(featureCount)")
        }
        var features = DenseMatrix(rows: rows.count, columns: d)
        var targets: [Double] = []
        targets.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            var j = 0
            for (k, v) in row.enumerated() {
                if k == targetIndex { targets.append(v) } else { features.storage[i * d + j] = v; j += 1 }
            }
        }
        return try ProblemFileReader.model(file) { () throws(ModelError) in try RegressionData(features: features, targets: targets) }
    }
}

extension Substring {
    /// The text without leading and trailing characters from `characters`.
    fileprivate func trimmed(_ characters: String) -> String {
        var s = self[...]
        while let f = s.first, characters.contains(f) { s = s.dropFirst() }
        while let l = s.last, characters.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
