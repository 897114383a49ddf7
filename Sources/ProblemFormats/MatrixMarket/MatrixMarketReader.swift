import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads matrices and vectors in the NIST Matrix Market exchange format
/// (Boisvert, Pozo & Remington, "The Matrix Market Exchange Formats", NIST 1996).
///
/// Supported: `matrix coordinate` and `matrix array`; fields `real`, `double`, `integer`
/// and `pattern` (coordinate only; every listed entry is 1); symmetries `general`,
/// `symmetric` and `skew-symmetric` (only the lower triangle is stored, as the format
/// requires, and the reader mirrors it). `complex` and `hermitian` are rejected.
///
/// Every error is an ``InputError`` with the file and line. Sizes declared in the header are
/// checked against the bytes actually present before anything is allocated, so a header
/// that claims 10¹² entries is refused at once instead of exhausting memory.
package enum MatrixMarket {
    /// The storage layout of a file (`coordinate` or `array`).
    package enum Format: String, Sendable { case coordinate, array }
    /// The value type of a file's entries.
    package enum Field: String, Sendable { case real, integer, pattern }
    /// The stored-triangle convention.
    package enum Symmetry: String, Sendable {
        case general, symmetric
        case skewSymmetric = "skew-symmetric"
    }

    /// The banner and size line.
    package struct Header: Sendable, Equatable {
        package var format: Format
        package var field: Field
        package var symmetry: Symmetry
        package var rows: Int
        package var columns: Int
        /// Entries listed in the file: the coordinate count, or the array's stored count.
        package var storedEntries: Int
    }

    /// How to store a matrix that was read.
    package enum StoragePreference: String, Sendable, CaseIterable {
        /// Sparse (by rows) when at most ``sparseDensityThreshold`` of the entries are
        /// nonzero, dense otherwise.
        case auto, dense, sparse
    }

    /// Densities (nonzeros / (rows·columns)) below this are stored sparsely under `.auto`.
    /// A CSR entry costs 16 bytes against 8 for a dense one, and a dense row streams
    /// without index indirection, so sparse storage pays only well below one half.
    package static let sparseDensityThreshold = 0.25

    // MARK: - Public entry points

    /// Reads a matrix file as a ``SystemMatrix`` (dense row-major, or sparse by rows).
    package static func readMatrix(_ path: String, storage: StoragePreference = .auto) throws(InputError) -> SystemMatrix {
        let parsed = try parse(path)
        return try parsed.systemMatrix(storage: storage, path: path)
    }

    /// Reads a vector: an m×1 or 1×m matrix in either format (absent coordinate entries are 0).
    package static func readVector(_ path: String) throws(InputError) -> [Double] {
        let parsed = try parse(path)
        return try parsed.vector(path: path)
    }

    /// Parses a file into its header and entries.
    package static func parse(_ path: String) throws(InputError) -> ParsedMatrix {
        let data = try TextFile.bytes(path)
        var bytes = [UInt8](data)
        bytes.append(0) // strtod needs a terminator after the last token
        return try parse(bytes: bytes, path: path)
    }

    /// Parses Matrix Market text (for tests and in-memory data).
    package static func parse(text: String, path: String = "<text>") throws(InputError) -> ParsedMatrix {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return try parse(bytes: bytes, path: path)
    }

    /// A parsed file: either dense column-major values or coordinate lists (0-based,
    /// symmetric entries already mirrored, duplicates not yet merged).
    package struct ParsedMatrix: Sendable {
        package var header: Header
        /// `array` files: the full matrix, row-major (converted from the file's column order).
        package var rowMajor: [Double]
        /// `coordinate` files: entry positions and values.
        package var rowIndices: [Int32]
        package var columnIndices: [Int32]
        package var values: [Double]
    }

    // MARK: - Parsing

    static func parse(bytes: [UInt8], path: String) throws(InputError) -> ParsedMatrix {
        var scanner = LineScanner(bytes: bytes)
        // Banner.
        guard let bannerLine = scanner.nextLine() else { throw InputError(file: path, line: 1, "the file is empty") }
        let banner = scanner.tokens(of: bannerLine).map { scanner.string($0).lowercased() }
        guard banner.first == "%%matrixmarket" else {
            throw InputError(file: path, line: 1, "missing the '%%MatrixMarket matrix <format> <field> <symmetry>' banner")
        }
        guard banner.count == 5 else {
            throw InputError(file: path, line: 1, "the banner needs 5 words ('%%MatrixMarket matrix <format> <field> <symmetry>'), found \(banner.count)")
        }
        guard banner[1] == "matrix" else { throw InputError(file: path, line: 1, "object '\(banner[1])' is not supported (only 'matrix')") }
        guard let format = Format(rawValue: banner[2]) else {
            throw InputError(file: path, line: 1, "format '\(banner[2])' is not one of coordinate, array")
        }
        let field: Field
        switch banner[3] {
        case "real", "double": field = .real
        case "integer": field = .integer
        case "pattern": field = .pattern
        case "complex": throw InputError(file: path, line: 1, "complex matrices are not supported")
        default: throw InputError(file: path, line: 1, "field '\(banner[3])' is not one of real, integer, pattern")
        }
        guard let symmetry = Symmetry(rawValue: banner[4]) else {
            if banner[4] == "hermitian" { throw InputError(file: path, line: 1, "hermitian matrices are not supported") }
            throw InputError(file: path, line: 1, "symmetry '\(banner[4])' is not one of general, symmetric, skew-symmetric")
        }
        if field == .pattern && format == .array {
            throw InputError(file: path, line: 1, "'pattern' is only valid with the coordinate format")
        }

        // Size line: the first line that is neither a comment nor blank.
        var sizeLine: LineScanner.Line?
        while let line = scanner.nextLine() {
            if scanner.isBlankOrComment(line) { continue }
            sizeLine = line
            break
        }
        guard let sizeLine else { throw InputError(file: path, line: scanner.lineNumber, "missing the size line ('rows columns [entries]')") }
        let sizeTokens = scanner.tokens(of: sizeLine)
        let expectedSize = format == .coordinate ? 3 : 2
        guard sizeTokens.count == expectedSize else {
            throw InputError(file: path, line: sizeLine.number,
                             "the size line needs \(expectedSize) integers (\(format == .coordinate ? "rows columns entries" : "rows columns")), found \(sizeTokens.count)")
        }
        var sizes: [Int] = []
        for token in sizeTokens {
            guard let v = scanner.integer(token), v >= 0 else {
                throw InputError(file: path, line: sizeLine.number, "size '\(scanner.string(token))' is not a non-negative integer")
            }
            sizes.append(v)
        }
        let rows = sizes[0], columns = sizes[1]
        if symmetry != .general && rows != columns {
            throw InputError(file: path, line: sizeLine.number, "a \(symmetry.rawValue) matrix must be square, header says \(rows)×\(columns)")
        }
        let remainingBytes = bytes.count - scanner.position
        // Index storage for the matrix is O(rows + columns); refuse dimensions that no file
        // of this size could describe meaningfully (a b vector alone needs 2 bytes a row).
        let dimensionLimit = max(1 << 24, 64 * bytes.count)
        guard rows <= dimensionLimit, columns <= dimensionLimit, rows < Int(Int32.max), columns < Int(Int32.max) else {
            throw InputError(file: path, line: sizeLine.number,
                             "dimensions \(rows)×\(columns) are implausibly large for a \(bytes.count - 1)-byte file")
        }
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)

        var stored: Int
        if format == .coordinate {
            stored = sizes[2]
            if !overflow, stored > cells {
                throw InputError(file: path, line: sizeLine.number, "the header declares \(stored) entries but a \(rows)×\(columns) matrix has only \(cells) positions")
            }
        } else {
            guard !overflow else { throw InputError(file: path, line: sizeLine.number, "\(rows)×\(columns) entries overflow") }
            switch symmetry {
            case .general: stored = cells
            case .symmetric: stored = rows * (rows + 1) / 2
            case .skewSymmetric: stored = rows * (rows - 1) / 2
            }
        }
        // The shortest entry line is "1\n" (array) or "1 1\n" / "1 1 1\n" (coordinate).
        let minimumBytesPerEntry = format == .array ? 2 : (field == .pattern ? 4 : 6)
        if stored > remainingBytes / minimumBytesPerEntry + 1 {
            throw InputError(file: path, line: sizeLine.number,
                             "the header declares \(stored) entries, but only \(remainingBytes) bytes follow (each entry needs at least \(minimumBytesPerEntry)): the file is truncated or its header is wrong")
        }
        let header = Header(format: format, field: field, symmetry: symmetry, rows: rows, columns: columns, storedEntries: stored)
        var result = ParsedMatrix(header: header, rowMajor: [], rowIndices: [], columnIndices: [], values: [])

        var lastLine = sizeLine.number
        if format == .array {
            result.rowMajor = Array(repeating: 0, count: cells)
            var count = 0
            // Position of the count-th stored entry, column-major, lower triangle for symmetric.
            var i = symmetry == .skewSymmetric ? 1 : 0, j = 0
            while let line = scanner.nextLine() {
                if scanner.isBlankOrComment(line) { continue }
                lastLine = line.number
                let tokens = scanner.tokens(of: line)
                guard count < stored else {
                    throw InputError(file: path, line: line.number, "more entries than the \(stored) the header declares")
                }
                guard tokens.count == 1 else {
                    throw InputError(file: path, line: line.number, "an array entry line holds one value, found \(tokens.count)")
                }
                let v = try value(tokens[0], field: field, scanner: scanner, path: path, line: line.number)
                result.rowMajor[i * columns + j] = v
                switch symmetry {
                case .general: break
                case .symmetric: result.rowMajor[j * columns + i] = v
                case .skewSymmetric: result.rowMajor[j * columns + i] = -v
                }
                count += 1
                i += 1
                if i == rows {
                    j += 1
                    i = symmetry == .general ? 0 : (symmetry == .symmetric ? j : j + 1)
                }
            }
            guard count == stored else {
                throw InputError(file: path, line: lastLine, "the file ends after \(count) of the \(stored) entries the header declares")
            }
            return result
        }

        let mirrored = symmetry != .general
        let capacity = mirrored ? 2 * stored : stored
        result.rowIndices.reserveCapacity(capacity)
        result.columnIndices.reserveCapacity(capacity)
        result.values.reserveCapacity(capacity)
        let fieldsPerLine = field == .pattern ? 2 : 3
        var count = 0
        while let line = scanner.nextLine() {
            if scanner.isBlankOrComment(line) { continue }
            lastLine = line.number
            guard count < stored else {
                throw InputError(file: path, line: line.number, "more entries than the \(stored) the header declares")
            }
            let tokens = scanner.tokens(of: line)
            guard tokens.count == fieldsPerLine else {
                throw InputError(file: path, line: line.number,
                                 "a \(field.rawValue) coordinate line holds \(fieldsPerLine) fields (\(field == .pattern ? "row column" : "row column value")), found \(tokens.count)")
            }
            guard let i = scanner.integer(tokens[0]), i >= 1, i <= rows else {
                throw InputError(file: path, line: line.number, "row index '\(scanner.string(tokens[0]))' is not an integer in 1…\(rows)")
            }
            guard let j = scanner.integer(tokens[1]), j >= 1, j <= columns else {
                throw InputError(file: path, line: line.number, "column index '\(scanner.string(tokens[1]))' is not an integer in 1…\(columns)")
            }
            let v = field == .pattern ? 1.0 : try value(tokens[2], field: field, scanner: scanner, path: path, line: line.number)
            switch symmetry {
            case .general: break
            case .symmetric:
                guard i >= j else { throw InputError(file: path, line: line.number, "entry (\(i), \(j)) lies above the diagonal; a symmetric file stores only the lower triangle") }
            case .skewSymmetric:
                guard i > j else { throw InputError(file: path, line: line.number, "entry (\(i), \(j)) is not strictly below the diagonal, as a skew-symmetric file requires") }
            }
            result.rowIndices.append(Int32(i - 1))
            result.columnIndices.append(Int32(j - 1))
            result.values.append(v)
            if mirrored && i != j {
                result.rowIndices.append(Int32(j - 1))
                result.columnIndices.append(Int32(i - 1))
                result.values.append(symmetry == .symmetric ? v : -v)
            }
            count += 1
        }
        guard count == stored else {
            throw InputError(file: path, line: lastLine, "the file ends after \(count) of the \(stored) entries the header declares")
        }
        return result
    }

    static func value(_ token: LineScanner.Token, field: Field, scanner: LineScanner, path: String, line: Int) throws(InputError) -> Double {
        guard let v = scanner.double(token), v.isFinite else {
            throw InputError(file: path, line: line, "'\(scanner.string(token))' is not a finite number")
        }
        if field == .integer && v != v.rounded() {
            throw InputError(file: path, line: line, "'\(scanner.string(token))' is not an integer, as the 'integer' field requires")
        }
        return v
    }
}

// MARK: - Conversions

extension MatrixMarket.ParsedMatrix {
    /// Nonzero entries (after mirroring).
    var nonzeroCount: Int {
        header.format == .array ? rowMajor.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } : values.count
    }

    /// The matrix in the requested storage.
    package func systemMatrix(storage: MatrixMarket.StoragePreference, path: String) throws(InputError) -> SystemMatrix {
        let rows = header.rows, columns = header.columns
        if header.format == .array {
            return MatrixStorage.choose(rows: rows, columns: columns, rowMajor: rowMajor, storage: storage)
        }
        let csr = MatrixStorage.rowCompressed(rows: rows, columns: columns, rowIndices: rowIndices,
                                              columnIndices: columnIndices, values: values)
        return try MatrixStorage.choose(rows: rows, columns: columns, csr: csr, storage: storage, path: path)
    }

    /// The entries of an m×1 or 1×m matrix as a vector.
    package func vector(path: String) throws(InputError) -> [Double] {
        guard header.rows == 1 || header.columns == 1 else {
            throw InputError(file: path, line: 2, "expected a vector (m×1 or 1×m), found a \(header.rows)×\(header.columns) matrix")
        }
        if header.format == .array { return rowMajor }
        var v = Array(repeating: 0.0, count: max(header.rows, header.columns))
        for k in 0..<values.count { v[Int(rowIndices[k]) + Int(columnIndices[k])] += values[k] }
        return v
    }
}

/// Row-compressed arrays (CSR) of a matrix.
struct RowCompressed {
    var rowStarts: [Int]
    var columnIndices: [Int]
    var values: [Double]
}

/// Chooses dense or sparse-by-rows storage and converts between them.
enum MatrixStorage {
    static func choose(rows: Int, columns: Int, rowMajor: [Double], storage: MatrixMarket.StoragePreference) -> SystemMatrix {
        let nonzeros = rowMajor.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let density = rows * columns == 0 ? 1 : Double(nonzeros) / Double(rows * columns)
        let sparse = storage == .sparse || (storage == .auto && density < MatrixMarket.sparseDensityThreshold)
        guard sparse else { return .dense(DenseMatrix(rows: rows, columns: columns, rowMajor: rowMajor)) }
        var starts = [0]
        starts.reserveCapacity(rows + 1)
        var indices: [Int] = []
        var values: [Double] = []
        indices.reserveCapacity(nonzeros)
        values.reserveCapacity(nonzeros)
        for i in 0..<rows {
            for j in 0..<columns where rowMajor[i * columns + j] != 0 {
                indices.append(j)
                values.append(rowMajor[i * columns + j])
            }
            starts.append(indices.count)
        }
        return sparseRows(rows: rows, columns: columns, csr: RowCompressed(rowStarts: starts, columnIndices: indices, values: values))
    }

    static func choose(rows: Int, columns: Int, csr: RowCompressed, storage: MatrixMarket.StoragePreference, path: String) throws(InputError) -> SystemMatrix {
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        let density = overflow ? 0 : (cells == 0 ? 1 : Double(csr.values.count) / Double(cells))
        let dense = storage == .dense || (storage == .auto && density >= MatrixMarket.sparseDensityThreshold)
        guard dense else { return sparseRows(rows: rows, columns: columns, csr: csr) }
        // Dense storage of a sparse file costs rows·columns doubles: allowed only when the
        // density makes that at most a fixed multiple of the file's own entries.
        guard !overflow, cells <= max(1 << 20, 64 * csr.values.count) else {
            throw InputError(file: path, "dense storage of a \(rows)×\(columns) matrix with \(csr.values.count) entries would need \(rows)·\(columns) doubles; use storage: sparse")
        }
        var rowMajor = Array(repeating: 0.0, count: cells)
        for i in 0..<rows {
            for k in csr.rowStarts[i]..<csr.rowStarts[i + 1] { rowMajor[i * columns + csr.columnIndices[k]] = csr.values[k] }
        }
        return .dense(DenseMatrix(rows: rows, columns: columns, rowMajor: rowMajor))
    }

    static func sparseRows(rows: Int, columns: Int, csr: RowCompressed) -> SystemMatrix {
        // CSR of A is CSC of Aᵀ (columns × rows), already sorted and merged.
        let transpose: SparseMatrix
        do {
            transpose = try SparseMatrix(rowCount: columns, columnCount: rows, columnStarts: csr.rowStarts,
                                         rowIndices: csr.columnIndices, values: csr.values)
        } catch {
            // Unreachable: rowCompressed produces sorted, in-range, merged rows.
            transpose = SparseMatrix.zeros(rows: columns, columns: rows)
        }
        return .sparseRows(transpose: transpose)
    }

    /// CSR from coordinate lists: counting sort by row, sort each row by column, sum duplicates.
    static func rowCompressed(rows: Int, columns: Int, rowIndices: [Int32], columnIndices: [Int32], values: [Double]) -> RowCompressed {
        let count = values.count
        var starts = Array(repeating: 0, count: rows + 1)
        for r in rowIndices { starts[Int(r) + 1] += 1 }
        for i in 0..<rows { starts[i + 1] += starts[i] }
        var next = starts
        var cols = Array(repeating: 0, count: count)
        var vals = Array(repeating: 0.0, count: count)
        for k in 0..<count {
            let r = Int(rowIndices[k])
            cols[next[r]] = Int(columnIndices[k])
            vals[next[r]] = values[k]
            next[r] += 1
        }
        // Sort each row by column (files are usually sorted already) and merge duplicates.
        var outStarts = [0]
        outStarts.reserveCapacity(rows + 1)
        var write = 0
        var order: [Int] = []
        var scratchColumns: [Int] = []
        var scratchValues: [Double] = []
        for i in 0..<rows {
            let lo = starts[i], hi = starts[i + 1]
            var sorted = true
            if hi - lo > 1 { for k in (lo + 1)..<hi where cols[k] <= cols[k - 1] { sorted = false; break } }
            if !sorted {
                order = Array(lo..<hi)
                order.sort { cols[$0] < cols[$1] || (cols[$0] == cols[$1] && $0 < $1) }
                scratchColumns = order.map { cols[$0] }
                scratchValues = order.map { vals[$0] }
                for k in 0..<(hi - lo) { cols[lo + k] = scratchColumns[k]; vals[lo + k] = scratchValues[k] }
            }
            let rowStart = write
            for k in lo..<hi {
                if write > rowStart && cols[write - 1] == cols[k] {
                    vals[write - 1] += vals[k]
                } else {
                    cols[write] = cols[k]
                    vals[write] = vals[k]
                    write += 1
                }
            }
            outStarts.append(write)
        }
        cols.removeLast(count - write)
        vals.removeLast(count - write)
        return RowCompressed(rowStarts: outStarts, columnIndices: cols, values: vals)
    }
}

extension DenseMatrix {
    /// Wraps row-major storage already known to have rows·columns entries.
    init(rows: Int, columns: Int, rowMajor: [Double]) {
        do { try self.init(rows: rows, columns: columns, storage: rowMajor) }
        catch { self.init(rows: rows, columns: columns) } // unreachable: sizes match by construction
    }
}

// MARK: - Line scanning

/// Splits a NUL-terminated byte buffer into numbered lines and whitespace-separated tokens
/// without building strings for the numbers (files can hold millions of entries).
struct LineScanner {
    struct Line { var start: Int; var end: Int; var number: Int }
    struct Token { var start: Int; var end: Int }

    let bytes: [UInt8]
    /// Byte offset of the next unread line.
    private(set) var position = 0
    /// Number of the line last returned (1-based).
    private(set) var lineNumber = 0
    /// Extra separator besides blanks (',' for CSV).
    var separator: UInt8 = UInt8(ascii: " ")

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The last byte before the terminator.
    private var limit: Int { bytes.count - 1 }

    mutating func nextLine() -> Line? {
        guard position < limit else { return nil }
        let start = position
        var end = start
        while end < limit && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        position = end < limit ? end + 1 : limit
        lineNumber += 1
        var trimmedEnd = end
        if trimmedEnd > start && bytes[trimmedEnd - 1] == UInt8(ascii: "\r") { trimmedEnd -= 1 }
        return Line(start: start, end: trimmedEnd, number: lineNumber)
    }

    private func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }

    func isBlankOrComment(_ line: Line) -> Bool {
        var p = line.start
        while p < line.end && isBlank(bytes[p]) { p += 1 }
        return p == line.end || bytes[p] == UInt8(ascii: "%")
    }

    func tokens(of line: Line) -> [Token] {
        var out: [Token] = []
        var p = line.start
        while p < line.end {
            while p < line.end && isBlank(bytes[p]) { p += 1 }
            if p == line.end { break }
            let s = p
            while p < line.end && !isBlank(bytes[p]) && bytes[p] != separator { p += 1 }
            out.append(Token(start: s, end: p))
            if p < line.end && bytes[p] == separator && separator != UInt8(ascii: " ") {
                p += 1
                // An empty field between separators ("1,,2") is a token of its own.
                var q = p
                while q < line.end && isBlank(bytes[q]) { q += 1 }
                if q == line.end || bytes[q] == separator { out.append(Token(start: q, end: q)) }
            }
        }
        return out
    }

    func string(_ token: Token) -> String {
        String(decoding: bytes[token.start..<token.end], as: UTF8.self)
    }

    /// A decimal integer with optional sign, or nil.
    func integer(_ token: Token) -> Int? {
        var p = token.start
        var negative = false
        if p < token.end && (bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-")) {
            negative = bytes[p] == UInt8(ascii: "-")
            p += 1
        }
        guard p < token.end else { return nil }
        var v = 0
        while p < token.end {
            let d = Int(bytes[p]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            v = a
            p += 1
        }
        return negative ? -v : v
    }

    /// A decimal floating-point number occupying the whole token, or nil. Uses the C
    /// library's correctly rounded `strtod` directly on the buffer.
    func double(_ token: Token) -> Double? {
        guard token.end > token.start else { return nil }
        // Only decimal syntax: strtod alone would also take hex floats, "inf" and "nan".
        for p in token.start..<token.end {
            switch bytes[p] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            default: return nil
            }
        }
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            let start = UnsafeRawPointer(base + token.start).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(start, &end)
            guard let end, UnsafeRawPointer(end) == UnsafeRawPointer(base + token.end) else { return nil }
            return v
        }
    }
}
