import LagrangeTestSupport
import LagrangeCore
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#endif

/// Locations of test fixtures and the project's example problems.
public enum Fixtures {
    /// The package root (two levels above this file).
    public static let packageRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/LagrangeTestSupport/Support.swift
        return parts.joined(separator: "/")
    }()

    /// `Tests/Fixtures/<relative>`: copies of the shared reference data, by family.
    public static func path(_ relative: String) -> String { packageRoot + "/Tests/Fixtures/" + relative }

    /// `problems/<relative>`.
    public static func problem(_ relative: String) -> String { packageRoot + "/problems/" + relative }

    /// A MILP fixture by name: Tests/Fixtures/milp/NAME.mps, or NAME.mps.gz for the large ones.
    public static func milp(_ name: String) -> String {
        let plain = path("milp/\(name).mps")
        return access(plain, F_OK) == 0 ? plain : plain + ".gz"
    }

    /// The whole text of a file.
    public static func text(_ path: String) throws -> String {
        guard let f = fopen(path, "rb") else { throw InputError(file: path, "cannot open") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Rows of a tab-separated file with a header line, as column → value maps.
    public static func tsv(_ path: String) throws -> [[String: String]] {
        let lines = try text(path).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (i, key) in header.enumerated() { row[key] = i < cells.count ? cells[i] : "" }
            return row
        }
    }
}

/// |a − b| ≤ absolute + relative·max(|a|, |b|) (swift-numerics' isApproximatelyEqual form).
public func isClose(_ a: Double, _ b: Double, absolute: Double = 0, relative: Double = 1e-9) -> Bool {
    if a == b { return true }
    guard a.isFinite, b.isFinite else { return false }
    return abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

/// One malformed file and what reading it must report (the Malformed fixture folders).
public struct MalformedCase: Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil for errors about the whole file.
    public var line: Int?
    public var phrase: String

    public init(file: String, line: Int?, phrase: String) {
        self.file = file
        self.line = line
        self.phrase = phrase
    }

    public var description: String { file }

    /// What is wrong with `error` as this case's report for `path`; nil when it names the
    /// file and line and says the phrase.
    public func mismatch(_ error: InputError, path: String) -> String? {
        if error.file != path { return "file \(error.file ?? "nil"), expected \(path)" }
        if error.line != line { return "line \(error.line.map(String.init) ?? "nil"), expected \(line.map(String.init) ?? "nil"): \(error)" }
        if !error.message.contains(phrase) { return "message without '\(phrase)': \(error)" }
        return nil
    }
}

/// Builds an LP from dense rows (zeros are not stored).
public func makeLP(_ sense: ObjectiveSense = .minimize, c: [Double], c0: Double = 0, rows: [[Double]],
            rowLower: [Double], rowUpper: [Double], columnLower: [Double]? = nil,
            columnUpper: [Double]? = nil, integerColumns: [Int] = []) throws -> LinearProgram {
    var triplets: [(row: Int, column: Int, value: Double)] = []
    for (i, row) in rows.enumerated() {
        for (j, v) in row.enumerated() where v != 0 { triplets.append((i, j, v)) }
    }
    let a = try SparseMatrix(rowCount: rows.count, columnCount: c.count, triplets: triplets)
    return try LinearProgram(sense: sense, objective: c, objectiveConstant: c0, constraints: a,
                             rowLower: rowLower, rowUpper: rowUpper, columnLower: columnLower, columnUpper: columnUpper,
                             integerColumns: integerColumns)
}
