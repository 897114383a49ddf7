import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads a matrix from comma-separated text: one row per line, numbers separated by
/// commas (blanks around them are ignored). Blank lines and lines starting with `#` are
/// skipped; a first row made only of non-numeric cells is taken as a header and skipped.
/// Every row must have the same number of cells. Errors name the file and line.
package enum CSVMatrix {
    /// Reads the matrix, stored by density as for Matrix Market files.
    package static func readMatrix(_ path: String, storage: MatrixMarket.StoragePreference = .auto) throws(InputError) -> SystemMatrix {
        let (rows, columns, values) = try parse(path)
        return MatrixStorage.choose(rows: rows, columns: columns, rowMajor: values, storage: storage)
    }

    /// Reads a vector: a single row or a single column.
    package static func readVector(_ path: String) throws(InputError) -> [Double] {
        let (rows, columns, values) = try parse(path)
        guard rows == 1 || columns == 1 else {
            throw InputError(file: path, "expected a vector (one row or one column), found \(rows)×\(columns)")
        }
        return values
    }

    /// Rows, columns and row-major values.
    static func parse(_ path: String) throws(InputError) -> (Int, Int, [Double]) {
        var bytes = [UInt8](try TextFile.bytes(path))
        bytes.append(0)
        return try parse(bytes: bytes, path: path)
    }

    static func parse(bytes: [UInt8], path: String) throws(InputError) -> (Int, Int, [Double]) {
        var scanner = LineScanner(bytes: bytes)
        scanner.separator = UInt8(ascii: ",")
        var values: [Double] = []
        var columns = -1
        var rows = 0
        var sawFirst = false
        while let line = scanner.nextLine() {
            let tokens = scanner.tokens(of: line)
            if tokens.isEmpty { continue }
            if let first = tokens.first, first.end > first.start, bytes[first.start] == UInt8(ascii: "#") { continue }
            if !sawFirst {
                sawFirst = true
                if tokens.allSatisfy({ scanner.double($0) == nil }) { continue } // a header row
            }
            if columns < 0 { columns = tokens.count }
            guard tokens.count == columns else {
                throw InputError(file: path, line: line.number, "row has \(tokens.count) cells but the first row has \(columns)")
            }
            for (k, token) in tokens.enumerated() {
                guard let v = scanner.double(token), v.isFinite else {
                    throw InputError(file: path, line: line.number, "cell \(k + 1) ('\(scanner.string(token))') is not a finite number")
                }
                values.append(v)
            }
            rows += 1
        }
        guard rows > 0 else { throw InputError(file: path, "no numeric rows") }
        return (rows, columns, values)
    }
}
