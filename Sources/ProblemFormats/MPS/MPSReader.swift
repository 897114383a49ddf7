import LagrangeCore
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to split MPS data lines into fields.
package enum MPSFormat: String, Sendable, CaseIterable {
    /// Guess from the file: fixed when some line only makes sense in fixed columns (a name
    /// with a space in it), free otherwise. Files that are valid both ways read the same.
    case automatic
    /// Fixed columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61. Names may contain spaces. A line
    /// with a tab in it is split at whitespace instead, since tabs make columns meaningless.
    case fixed
    /// Whitespace-separated fields; names cannot contain spaces. The set name in RHS, RANGES
    /// and BOUNDS lines may be omitted.
    case free
}

/// What an MPS or QPS file held.
package struct MPSModel: Sendable, Equatable {
    /// The linear part: objective, constraints, bounds, names and integer markers.
    package var linearProgram: LinearProgram
    /// Symmetric Q (both triangles stored) when the file has a QUADOBJ, QMATRIX or QSECTION
    /// section, else nil. The objective is then ½xᵀQx + cᵀx + c₀.
    package var quadratic: SparseMatrix?
    /// Human-readable notes on what was ignored or interpreted, e.g.
    /// "3 integer columns", "free row FREE1 ignored".
    package var notes: [String]

    package init(linearProgram: LinearProgram, quadratic: SparseMatrix? = nil, notes: [String] = []) {
        self.linearProgram = linearProgram
        self.quadratic = quadratic
        self.notes = notes
    }
}

/// Reads MPS (and QPS) files into a ``MPSModel``.
///
/// Conventions, matching HiGHS, CPLEX and the project's reference data:
/// - The first N row is the objective; further N rows are free rows and are ignored (noted).
/// - An RHS entry on the objective row gives the constant c₀ = −RHS.
/// - RANGES R: E row R > 0 → [rhs, rhs+|R|], R < 0 → [rhs−|R|, rhs]; L row [rhs−|R|, rhs];
///   G row [rhs, rhs+|R|]. Ranges on N rows are ignored (noted).
/// - Column bounds default to [0, +∞). UP LO FX FR MI PL BV LI UI are understood; BV, LI
///   and UI, like MARKER INTORG/INTEND blocks, also mark the column integer.
/// - UP with a negative value on a column whose lower bound is still the default 0 sets the
///   lower bound to −∞ (as CPLEX and HiGHS do), with a note, instead of making [0, negative].
///   A later LO / MI / FX on the same column still overrides it.
/// - In RHS, RANGES and BOUNDS a value with |v| ≥ 1e30 means infinity. Matrix, objective and
///   Q values must be finite; `inf` and `nan` are never accepted as numbers.
/// - Only the first RHS, RANGES and BOUNDS set is used; lines of other sets are ignored
///   (noted). A line without a set name (free format) belongs to the first set.
/// - OBJSENSE MAX / MIN (on the next line, or on the same line) sets the sense.
/// - Comments (`*` in column 1), blank lines, CRLF line endings and tabs are accepted.
/// - A file must end with ENDATA: a missing ENDATA is an error, because a file cut at a
///   line boundary would otherwise read as a different, valid problem. Text after ENDATA is
///   ignored.
/// - Duplicate row names, a column whose entries are split into separate blocks, a row
///   given twice in one column, and a second RHS / RANGES entry for one row are errors.
///
/// Errors are ``InputError``s with the file, the 1-based line (and the column where it
/// helps) and a plain description. Errors found by ``LinearProgram``'s validation carry the
/// file only.
package enum MPSReader {
    /// Reads an MPS file. Errors carry file, line and a plain description.
    package static func read(contentsOf path: String, format: MPSFormat = .automatic) throws(InputError) -> MPSModel {
        var bytes = [UInt8](try TextFile.bytes(path))
        if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, file: path) }
        return try parse(bytes: bytes, file: path, format: format)
    }

    /// Parses MPS text; `file` names it in errors.
    package static func parse(_ text: String, file: String = "<input>", format: MPSFormat = .automatic) throws(InputError) -> MPSModel {
        try parse(bytes: Array(text.utf8), file: file, format: format)
    }

    /// Parses MPS bytes (the file as read, not yet known to be text).
    static func parse(bytes: [UInt8], file: String, format: MPSFormat) throws(InputError) -> MPSModel {
        guard !bytes.isEmpty else { throw InputError(file: file, "the file is empty") }
        let lines = try MPSLexer.lines(of: bytes, file: file)
        let resolved = format == .automatic ? guessFormat(bytes, lines) : format
        var parser = MPSParser(bytes: bytes, file: file, fixed: resolved == .fixed)
        return try parser.run(lines)
    }

    /// Picks fixed or free for `.automatic`.
    ///
    /// Each data line is checked against both layouts: fixed needs blank gap columns, no tabs
    /// and the section's fields in their columns; free needs the section's token count with
    /// numbers where numbers go. A line valid in fixed only (a name with a space, say) votes
    /// fixed; a line valid in free only (a long name, a tab, shifted columns) votes free.
    /// The majority wins and ties go to free: a file valid both ways reads the same either way.
    static func guessFormat(_ bytes: [UInt8], _ lines: [MPSLine]) -> MPSFormat {
        var section: MPSSection?
        var tokens: [Range<Int>] = []
        var fixedOnly = 0, freeOnly = 0
        for line in lines where line.end > line.start {
            let first = bytes[line.start]
            if first == 0x2A { continue }  // comment
            MPSLexer.tokenize(bytes, line, into: &tokens)
            guard let head = tokens.first else { continue }
            if !MPSLexer.isSpace(first) {
                section = MPSSection.named(MPSLexer.upper(bytes, head))
                if section == .endata { break }
                continue
            }
            guard let section else { continue }
            let free = freeLayoutValid(bytes, tokens, section)
            let fixed = fixedLayoutValid(bytes, line, section)
            switch (fixed.valid, free) {
            case (true, false): fixedOnly += 1
            case (false, true): freeOnly += 1
            case (true, true) where fixed.innerSpace: fixedOnly += 1
            default: break
            }
        }
        return fixedOnly > freeOnly ? .fixed : .free
    }

    private static func freeLayoutValid(_ b: [UInt8], _ t: [Range<Int>], _ section: MPSSection) -> Bool {
        func num(_ k: Int) -> Bool { MPSLexer.looksNumeric(b, t[k]) }
        switch section {
        case .rows: return t.count == 2
        case .columns:
            if t.count == 3 && MPSLexer.matches(b, t[1], "'MARKER'") { return true }
            return (t.count == 3 && num(2)) || (t.count == 5 && num(2) && num(4))
        case .rhs, .ranges:
            switch t.count {
            case 2: return num(1)
            case 3: return num(2)
            case 4: return num(1) && num(3)
            case 5: return num(2) && num(4)
            default: return false
            }
        case .bounds: return (2...4).contains(t.count)
        case .quadobj, .qmatrix, .qsection: return t.count == 3 && num(2)
        case .name, .objsense, .endata: return true
        }
    }

    private static func fixedLayoutValid(_ b: [UInt8], _ line: MPSLine, _ section: MPSSection) -> (valid: Bool, innerSpace: Bool) {
        if MPSLexer.hasTab(b, line) || MPSLexer.fixedGapViolation(b, line) != nil { return (false, false) }
        let f = MPSLexer.fixedFields(b, line)
        func num(_ r: Range<Int>?) -> Bool { r.map { MPSLexer.looksNumeric(b, $0) } ?? false }
        let pairOK = (f.name3 == nil && f.value2 == nil) || (f.name3 != nil && num(f.value2))
        let valid: Bool
        switch section {
        case .rows: valid = f.code != nil && f.name1 != nil && f.name2 == nil && f.value1 == nil
        case .columns:
            if let r = f.name2, MPSLexer.matches(b, r, "'MARKER'") { return (true, false) }
            valid = f.code == nil && f.name1 != nil && f.name2 != nil && num(f.value1) && pairOK
        case .rhs, .ranges: valid = f.code == nil && f.name2 != nil && num(f.value1) && pairOK
        case .bounds: valid = f.code != nil && f.name2 != nil && (f.value1 == nil || num(f.value1)) && f.name3 == nil
        case .quadobj, .qmatrix, .qsection:
            valid = f.code == nil && f.name1 != nil && f.name2 != nil && num(f.value1) && f.name3 == nil
        case .name, .objsense, .endata: return (true, false)
        }
        let inner = MPSLexer.hasInnerSpace(b, f.name1) || MPSLexer.hasInnerSpace(b, f.name2) || MPSLexer.hasInnerSpace(b, f.name3)
        return (valid, inner)
    }
}

/// The state of one MPS read. Rows and columns are looked up by name in dictionaries; matrix
/// entries go into triplet arrays that become a CSC matrix at the end.
struct MPSParser {
    private enum RowRef {
        case objective
        case free(Int)
        case constraint(Int)
    }

    let bytes: [UInt8]
    let file: String
    let fixed: Bool

    private var tokens: [Range<Int>] = []
    private var section: MPSSection?
    private var seen: [MPSSection: Int] = [:]  // section → header line
    private var sawEndata = false

    private var name = ""
    private var sense: ObjectiveSense = .minimize
    private var notes: [String] = []

    // ROWS
    private var rowLookup: [String: RowRef] = [:]
    private var rowLine: [String: Int] = [:]
    private var objectiveName: String?
    private var freeRows: [String] = []
    private var constraintNames: [String] = []
    private var rowTypes: [UInt8] = []  // ASCII E, L or G

    // COLUMNS
    private var columnLookup: [String: Int] = [:]
    private var columnNames: [String] = []
    private var columnLine: [Int] = []
    private var objective: [Double] = []
    private var isInteger: [Bool] = []
    private var triplets: [(row: Int, column: Int, value: Double)] = []
    private var lastColumnInRow: [Int] = []
    private var objectiveSeen = false
    private var currentColumn = -1
    private var currentColumnBytes: Range<Int>?
    private var integerBlockLine: Int?

    // RHS, RANGES, BOUNDS
    private var rhs: [Double] = []
    private var rhsLine: [Int] = []  // 0: not given
    private var objectiveRHS: Double?
    private var range: [Double] = []
    private var rangeLine: [Int] = []
    private var lower: [Double] = []
    private var upper: [Double] = []
    private var lowerGiven: [Bool] = []
    private var setNames: [MPSSection: String] = [:]
    private var ignoredSets: [String] = []
    private var negativeUpper: [String] = []
    private var rangesOnNRows: [String] = []

    // QUADOBJ / QMATRIX / QSECTION
    private var quadraticSection: MPSSection?
    private var quadratic: [(i: Int, j: Int, value: Double, line: Int)] = []

    init(bytes: [UInt8], file: String, fixed: Bool) {
        self.bytes = bytes
        self.file = file
        self.fixed = fixed
    }

    // MARK: - Driver

    mutating func run(_ lines: [MPSLine]) throws(InputError) -> MPSModel {
        var lastLine = 0
        for line in lines {
            lastLine = line.number
            guard line.end > line.start else { continue }
            let first = bytes[line.start]
            if first == 0x2A { continue }  // '*' comment
            if MPSLexer.isSpace(first) {
                MPSLexer.tokenize(bytes, line, into: &tokens)
                if tokens.isEmpty { continue }  // blank line
                do {
                    try dataLine(line)
                } catch {
                    // A bad last line with no ENDATA after it is most likely a cut-off file.
                    guard line.number == lines.last?.number else { throw error }
                    var hinted = error
                    hinted.message += "; the file ends here without ENDATA (is it truncated?)"
                    throw hinted
                }
            } else {
                try header(line)
                if sawEndata { break }
            }
        }
        if seen.isEmpty { throw InputError(file: file, "the file has no MPS sections (only comments or blank lines)") }
        guard sawEndata else {
            throw InputError(file: file, line: lastLine, "the file ends without ENDATA (is it truncated?)")
        }
        let endLine = seen[.endata] ?? lastLine
        guard seen[.rows] != nil else { throw error(endLine, "the file has no ROWS section") }
        guard seen[.columns] != nil else { throw error(endLine, "the file has no COLUMNS section") }
        return try assemble()
    }

    private func error(_ line: Int, column: Int? = nil, _ message: String) -> InputError {
        InputError(file: file, line: line, column: column, message)
    }

    private func text(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

    // MARK: - Section headers

    private mutating func header(_ line: MPSLine) throws(InputError) {
        MPSLexer.tokenize(bytes, line, into: &tokens)
        guard let head = tokens.first else { return }
        let keyword = MPSLexer.upper(bytes, head)
        guard let next = MPSSection.named(keyword) else {
            if MPSSection.unsupported.contains(keyword) {
                throw error(line.number, "the \(keyword) section is not supported")
            }
            let hint = section == nil ? "" : " (data lines must start with a space)"
            throw error(line.number, column: 1, "unknown section '\(text(head))'\(hint)")
        }
        if let first = seen[next], next != .objsense {
            throw error(line.number, "the \(next.title) section appears twice (first on line \(first))")
        }
        if section == .rows { try finishRows() }
        if section == .columns { finishColumns() }
        seen[next] = line.number
        section = next

        switch next {
        case .name:
            // The rest of the line, so names with spaces or trailing notes survive.
            var s = head.upperBound
            while s < line.end && MPSLexer.isSpace(bytes[s]) { s += 1 }
            var e = line.end
            while e > s && MPSLexer.isSpace(bytes[e - 1]) { e -= 1 }
            name = text(s..<e)
        case .objsense:
            if tokens.count >= 2 { try setSense(tokens[1], line: line.number) }
        case .rows:
            if seen[.columns] != nil { throw error(line.number, "the ROWS section comes after COLUMNS") }
        case .columns:
            guard seen[.rows] != nil else { throw error(line.number, "the COLUMNS section comes before any ROWS section") }
        case .rhs, .ranges, .bounds:
            guard seen[.columns] != nil else { throw error(line.number, "the \(next.title) section comes before COLUMNS") }
        case .quadobj, .qmatrix, .qsection:
            guard seen[.columns] != nil else { throw error(line.number, "the \(next.title) section comes before COLUMNS") }
            if let other = quadraticSection {
                throw error(line.number, "a second quadratic section (\(next.title) after \(other.title))")
            }
            if next == .qsection, tokens.count >= 2 {
                let row = text(tokens[1])
                if row != objectiveName {
                    throw error(line.number, "QSECTION for row '\(row)': quadratic constraints are not supported")
                }
            }
            quadraticSection = next
        case .endata:
            sawEndata = true
        }
    }

    private mutating func finishRows() throws(InputError) {
        guard objectiveName != nil else {
            throw error(seen[.rows] ?? 0, "the ROWS section has no objective (N) row")
        }
        let m = constraintNames.count
        lastColumnInRow = Array(repeating: -1, count: m)
        rhs = Array(repeating: 0, count: m)
        rhsLine = Array(repeating: 0, count: m)
        range = Array(repeating: 0, count: m)
        rangeLine = Array(repeating: 0, count: m)
    }

    private mutating func finishColumns() {
        let n = columnNames.count
        lower = Array(repeating: 0, count: n)
        upper = Array(repeating: .infinity, count: n)
        lowerGiven = Array(repeating: false, count: n)
        if let open = integerBlockLine {
            notes.append("the INTORG marker on line \(open) has no INTEND; integer columns run to the end of COLUMNS")
            integerBlockLine = nil
        }
    }

    private mutating func setSense(_ token: Range<Int>, line: Int) throws(InputError) {
        switch MPSLexer.upper(bytes, token) {
        case "MAX", "MAXIMIZE", "MAXIMISE": sense = .maximize
        case "MIN", "MINIMIZE", "MINIMISE": sense = .minimize
        default: throw error(line, "unknown objective sense '\(text(token))' (expected MAX or MIN)")
        }
    }

    // MARK: - Data lines

    private mutating func dataLine(_ line: MPSLine) throws(InputError) {
        guard let section else {
            throw error(line.number, "data line before any section (expected NAME or ROWS first)")
        }
        switch section {
        case .name:
            throw error(line.number, "unexpected data line after NAME (section headers start in column 1)")
        case .objsense:
            try setSense(tokens[0], line: line.number)
        case .rows: try rowsLine(line)
        case .columns: try columnsLine(line)
        case .rhs: try rhsLine(line, ranges: false)
        case .ranges: try rhsLine(line, ranges: true)
        case .bounds: try boundsLine(line)
        case .quadobj, .qmatrix, .qsection: try quadraticLine(line)
        case .endata: break
        }
    }

    /// The fields of a data line in the current section. `tokens` holds its free tokens.
    private func fields(_ line: MPSLine) throws(InputError) -> MPSFields {
        if fixed && !MPSLexer.hasTab(bytes, line) {
            if let p = MPSLexer.fixedGapViolation(bytes, line) {
                throw error(line.number, column: p + 1,
                            "text in column \(p + 1), outside the fixed-format fields (long names or shifted fields need free format)")
            }
            return MPSLexer.fixedFields(bytes, line)
        }
        let t = tokens
        var f = MPSFields()
        switch section {
        case .rows:
            guard t.count == 2 else {
                throw error(line.number, "expected a row type and a row name, found \(t.count) fields")
            }
            f.code = t[0]; f.name1 = t[1]
        case .columns, .quadobj, .qmatrix, .qsection:
            let allowed = section == .columns ? [3, 5] : [3]
            guard allowed.contains(t.count) else {
                let what = section == .columns
                    ? "a column name and one or two row name / value pairs" : "two column names and a value"
                throw error(line.number, "expected \(what), found \(t.count) fields")
            }
            f.name1 = t[0]; f.name2 = t[1]; f.value1 = t[2]
            if t.count == 5 { f.name3 = t[3]; f.value2 = t[4] }
        case .rhs, .ranges:
            // An even count means the set name was left out (allowed in free format).
            switch t.count {
            case 2: f.name2 = t[0]; f.value1 = t[1]
            case 3: f.name1 = t[0]; f.name2 = t[1]; f.value1 = t[2]
            case 4: f.name2 = t[0]; f.value1 = t[1]; f.name3 = t[2]; f.value2 = t[3]
            case 5: f.name1 = t[0]; f.name2 = t[1]; f.value1 = t[2]; f.name3 = t[3]; f.value2 = t[4]
            default:
                throw error(line.number, "expected [set name,] row name, value [, row name, value], found \(t.count) fields")
            }
        case .bounds:
            f.code = t[0]
            switch t.count {
            case 2: f.name2 = t[1]
            case 3:
                // [type, column, value] or [type, set, column]: valued types take the first;
                // FR / MI / PL / BV the second unless only the middle token is a column.
                // A valued type with a non-numeric last token is [type, set, column] missing
                // its value, so the error can say so.
                let valued = ["UP", "LO", "FX", "LI", "UI"].contains(MPSLexer.upper(bytes, t[0]))
                let columnFirst = valued
                    ? MPSLexer.looksNumeric(bytes, t[2])
                    : columnLookup[text(t[2])] == nil && columnLookup[text(t[1])] != nil
                if columnFirst {
                    f.name2 = t[1]; f.value1 = t[2]
                } else {
                    f.name1 = t[1]; f.name2 = t[2]
                }
            case 4: f.name1 = t[1]; f.name2 = t[2]; f.value1 = t[3]
            default:
                throw error(line.number, "expected bound type, [set name,] column name [, value], found \(t.count) fields")
            }
        default: break
        }
        return f
    }

    private mutating func rowsLine(_ line: MPSLine) throws(InputError) {
        let f = try fields(line)
        guard let code = f.code else { throw error(line.number, "missing row type") }
        guard let nameRange = f.name1 else { throw error(line.number, "missing row name after type '\(text(code))'") }
        let type = MPSLexer.upper(bytes, code)
        let rowName = text(nameRange)
        if let first = rowLine[rowName] {
            throw error(line.number, "duplicate row name '\(rowName)' (first defined on line \(first))")
        }
        switch type {
        case "N":
            if objectiveName == nil {
                objectiveName = rowName
                rowLookup[rowName] = .objective
            } else {
                rowLookup[rowName] = .free(freeRows.count)
                freeRows.append(rowName)
            }
        case "E", "L", "G":
            rowLookup[rowName] = .constraint(constraintNames.count)
            constraintNames.append(rowName)
            rowTypes.append(bytes[code.lowerBound] & 0xDF)  // upper-case ASCII
        default:
            throw error(line.number, "unknown row type '\(text(code))' (expected N, E, L or G)")
        }
        rowLine[rowName] = line.number
    }

    private mutating func columnsLine(_ line: MPSLine) throws(InputError) {
        // Integer markers: `name 'MARKER' 'INTORG'` … `name 'MARKER' 'INTEND'`, in any layout
        // (in fixed format the marker name may hold spaces; the type is then in field 5).
        var markerType: Range<Int>?
        if tokens.count == 3, MPSLexer.matches(bytes, tokens[1], "'MARKER'") {
            markerType = tokens[2]
        } else if fixed, tokens.count > 3, !MPSLexer.hasTab(bytes, line) {
            let f = MPSLexer.fixedFields(bytes, line)
            if let r = f.name2, MPSLexer.matches(bytes, r, "'MARKER'") {
                guard let type = f.name3 ?? f.value1 else { throw error(line.number, "MARKER line without 'INTORG' or 'INTEND'") }
                markerType = type
            }
        }
        if let markerType {
            switch MPSLexer.upper(bytes, markerType) {
            case "'INTORG'":
                if let open = integerBlockLine {
                    throw error(line.number, "INTORG marker inside the integer block opened on line \(open)")
                }
                integerBlockLine = line.number
            case "'INTEND'":
                guard integerBlockLine != nil else { throw error(line.number, "INTEND marker without a preceding INTORG") }
                integerBlockLine = nil
            default:
                throw error(line.number, "unknown marker type '\(text(markerType))' (expected 'INTORG' or 'INTEND')")
            }
            return
        }
        let f = try fields(line)
        guard let columnRange = f.name1 else { throw error(line.number, "missing column name") }
        if currentColumnBytes.map({ MPSLexer.equal(bytes, $0, columnRange) }) != true {
            let columnName = text(columnRange)
            if let previous = columnLookup[columnName] {
                throw error(line.number, "column '\(columnName)' appears in two separate blocks (first block starts on line \(columnLine[previous])); a column's entries must be contiguous")
            }
            currentColumn = columnNames.count
            columnLookup[columnName] = currentColumn
            columnNames.append(columnName)
            columnLine.append(line.number)
            objective.append(0)
            isInteger.append(integerBlockLine != nil)
            objectiveSeen = false
            currentColumnBytes = columnRange
        }
        guard let row = f.name2 else { throw error(line.number, "missing row name in column '\(columnNames[currentColumn])'") }
        guard let value = f.value1 else { throw error(line.number, "missing value for row '\(text(row))'") }
        try entry(row: row, value: value, line: line.number)
        if let row2 = f.name3 {
            guard let value2 = f.value2 else { throw error(line.number, "missing value for row '\(text(row2))'") }
            try entry(row: row2, value: value2, line: line.number)
        } else if f.value2 != nil {
            throw error(line.number, "a second value without a row name")
        }
    }

    private mutating func entry(row: Range<Int>, value: Range<Int>, line: Int) throws(InputError) {
        let rowName = text(row)
        let v = try finiteNumber(value, line: line)
        let column = currentColumn
        switch rowLookup[rowName] {
        case nil:
            throw error(line, "column '\(columnNames[column])' has an entry on unknown row '\(rowName)'")
        case .objective:
            if objectiveSeen { throw error(line, "row '\(rowName)' appears twice in column '\(columnNames[column])'") }
            objectiveSeen = true
            objective[column] = v
        case .free:
            break  // free rows are ignored (noted once at the end)
        case .constraint(let i):
            if lastColumnInRow[i] == column {
                throw error(line, "row '\(rowName)' appears twice in column '\(columnNames[column])'")
            }
            lastColumnInRow[i] = column
            triplets.append((i, column, v))
        }
    }

    /// Whether a line of set `setRange` (nil: no set name given) belongs to the set in use.
    private mutating func inFirstSet(_ setRange: Range<Int>?) -> Bool {
        guard let setRange, let s = section else { return true }
        let setName = text(setRange)
        guard let first = setNames[s] else {
            setNames[s] = setName
            return true
        }
        if first == setName { return true }
        let note = "\(s.title) set '\(setName)' ignored (only the first set, '\(first)', is used)"
        if !ignoredSets.contains(note) { ignoredSets.append(note) }
        return false
    }

    private mutating func rhsLine(_ line: MPSLine, ranges: Bool) throws(InputError) {
        let f = try fields(line)
        guard let row = f.name2 else { throw error(line.number, "missing row name") }
        guard let value = f.value1 else { throw error(line.number, "missing value for row '\(text(row))'") }
        if f.name3 != nil && f.value2 == nil { throw error(line.number, "missing value for row '\(text(f.name3 ?? row))'") }
        guard inFirstSet(f.name1) else { return }
        try rhsEntry(row: row, value: value, ranges: ranges, line: line.number)
        if let row2 = f.name3, let value2 = f.value2 {
            try rhsEntry(row: row2, value: value2, ranges: ranges, line: line.number)
        }
    }

    private mutating func rhsEntry(row: Range<Int>, value: Range<Int>, ranges: Bool, line: Int) throws(InputError) {
        let rowName = text(row)
        let what = ranges ? "RANGES" : "RHS"
        guard let ref = rowLookup[rowName] else { throw error(line, "\(what) entry for unknown row '\(rowName)'") }
        let v = try boundNumber(value, line: line)
        switch ref {
        case .objective where !ranges:
            guard objectiveRHS == nil else { throw error(line, "a second RHS entry for the objective row '\(rowName)'") }
            guard v.isFinite else { throw error(line, "the RHS of the objective row '\(rowName)' must be finite") }
            objectiveRHS = v
        case .objective, .free:
            if ranges {
                if !rangesOnNRows.contains(rowName) { rangesOnNRows.append(rowName) }
            }
            // An RHS on a free row has no effect; the free row itself is noted.
        case .constraint(let i):
            if ranges {
                if rangeLine[i] != 0 { throw error(line, "a second RANGES entry for row '\(rowName)' (first on line \(rangeLine[i]))") }
                range[i] = v
                rangeLine[i] = line
            } else {
                if rhsLine[i] != 0 { throw error(line, "a second RHS entry for row '\(rowName)' (first on line \(rhsLine[i]))") }
                let type = rowTypes[i]
                if v.isInfinite && (type == 0x45 || (type == 0x4C) == (v < 0)) {
                    throw error(line, "RHS \(v < 0 ? "-" : "+")infinity leaves no feasible value for \(Character(UnicodeScalar(type))) row '\(rowName)'")
                }
                rhs[i] = v
                rhsLine[i] = line
            }
        }
    }

    private mutating func boundsLine(_ line: MPSLine) throws(InputError) {
        let f = try fields(line)
        guard let code = f.code else { throw error(line.number, "missing bound type") }
        guard let columnRange = f.name2 else { throw error(line.number, "missing column name after bound type '\(text(code))'") }
        let type = MPSLexer.upper(bytes, code)
        let known = ["UP", "LO", "FX", "FR", "MI", "PL", "BV", "LI", "UI"]
        guard known.contains(type) else {
            if type == "SC" { throw error(line.number, "bound type SC (semi-continuous) is not supported") }
            throw error(line.number, "unknown bound type '\(text(code))' (expected one of \(known.joined(separator: ", ")))")
        }
        guard inFirstSet(f.name1) else { return }
        let columnName = text(columnRange)
        guard let j = columnLookup[columnName] else {
            throw error(line.number, "bound on unknown column '\(columnName)'")
        }
        func value() throws(InputError) -> Double {
            guard let r = f.value1 else { throw error(line.number, "bound \(type) on column '\(columnName)' needs a value") }
            return try boundNumber(r, line: line.number)
        }
        switch type {
        case "UP", "UI":
            let v = try value()
            upper[j] = v
            // CPLEX / HiGHS rule: a negative upper bound on a column whose lower bound is
            // still the default 0 makes the lower bound −∞ rather than an empty interval.
            if v < 0 && !lowerGiven[j] && lower[j] == 0 {
                lower[j] = -.infinity
                negativeUpper.append(columnName)
            }
            if type == "UI" { isInteger[j] = true }
        case "LO", "LI":
            lower[j] = try value()
            lowerGiven[j] = true
            if type == "LI" { isInteger[j] = true }
        case "FX":
            let v = try value()
            lower[j] = v
            upper[j] = v
            lowerGiven[j] = true
        case "FR":
            lower[j] = -.infinity
            upper[j] = .infinity
            lowerGiven[j] = true
        case "MI":
            lower[j] = -.infinity
            lowerGiven[j] = true
        case "PL":
            upper[j] = .infinity
        default:  // BV: a value, if present, is ignored as in CPLEX.
            lower[j] = 0
            upper[j] = 1
            lowerGiven[j] = true
            isInteger[j] = true
        }
        if lower[j] == .infinity { throw error(line.number, "lower bound of column '\(columnName)' is +infinity") }
        if upper[j] == -.infinity { throw error(line.number, "upper bound of column '\(columnName)' is -infinity") }
    }

    private mutating func quadraticLine(_ line: MPSLine) throws(InputError) {
        let f = try fields(line)
        guard let a = f.name1, let b = f.name2 else { throw error(line.number, "expected two column names and a value") }
        guard let value = f.value1 else { throw error(line.number, "missing value") }
        let nameA = text(a), nameB = text(b)
        guard let i = columnLookup[nameA] else { throw error(line.number, "quadratic entry on unknown column '\(nameA)'") }
        guard let j = columnLookup[nameB] else { throw error(line.number, "quadratic entry on unknown column '\(nameB)'") }
        quadratic.append((i, j, try finiteNumber(value, line: line.number), line.number))
    }

    // MARK: - Numbers

    /// A matrix, objective or Q value: must be a finite decimal number.
    private func finiteNumber(_ r: Range<Int>, line: Int) throws(InputError) -> Double {
        guard let v = MPSLexer.number(bytes, r) else { throw badNumber(r, line: line) }
        guard v.isFinite else { throw error(line, "number '\(text(r))' is too large") }
        return v
    }

    /// An RHS, range or bound value: |v| ≥ 1e30 (or overflow) means infinity.
    private func boundNumber(_ r: Range<Int>, line: Int) throws(InputError) -> Double {
        guard let v = MPSLexer.number(bytes, r) else { throw badNumber(r, line: line) }
        if v >= 1e30 { return .infinity }
        if v <= -1e30 { return -.infinity }
        return v
    }

    private func badNumber(_ r: Range<Int>, line: Int) -> InputError {
        let token = text(r)
        var word = token.lowercased()
        if word.first == "+" || word.first == "-" { word.removeFirst() }
        if ["inf", "infinity", "nan"].contains(word) {
            return error(line, "'\(token)' is not a finite number (write 1e30 for an infinite bound)")
        }
        return error(line, "bad number '\(token)'")
    }

    // MARK: - Result

    private mutating func assemble() throws(InputError) -> MPSModel {
        let m = constraintNames.count, n = columnNames.count
        if seen[.columns] != nil && lower.count != n { finishColumns() }  // COLUMNS was the last section
        var rowLower = [Double](repeating: 0, count: m)
        var rowUpper = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let r = rhs[i]
            var lo = r, hi = r
            switch rowTypes[i] {
            case 0x4C: lo = -.infinity  // L
            case 0x47: hi = .infinity  // G
            default: break  // E
            }
            if rangeLine[i] != 0 {
                let width = abs(range[i])
                switch rowTypes[i] {
                case 0x4C: lo = r - width
                case 0x47: hi = r + width
                default:
                    if range[i] > 0 { hi = r + width } else if range[i] < 0 { lo = r - width }
                }
                if lo.isNaN || hi.isNaN || lo == .infinity || hi == -.infinity {
                    throw error(rangeLine[i], "the range of row '\(constraintNames[i])' with its infinite RHS gives no valid bounds")
                }
            }
            rowLower[i] = lo
            rowUpper[i] = hi
        }

        let matrix: SparseMatrix
        do {
            matrix = try SparseMatrix(rowCount: m, columnCount: n, triplets: triplets)
        } catch {
            throw InputError(file: file, "internal error building the constraint matrix: \(error)")
        }
        let integers = isInteger.indices.filter { isInteger[$0] }
        let objectiveConstant = objectiveRHS.map { $0 == 0 ? 0 : -$0 } ?? 0
        let lp: LinearProgram
        do {
            lp = try LinearProgram(
                name: name, sense: sense, objective: objective, objectiveConstant: objectiveConstant,
                constraints: matrix, rowLower: rowLower, rowUpper: rowUpper,
                columnLower: lower, columnUpper: upper,
                variableNames: columnNames, constraintNames: constraintNames,
                integerColumns: integers, objectiveName: objectiveName ?? "obj")
        } catch {
            throw InputError(file: file, error.message)
        }

        var allNotes = notes
        if let objectiveRHS, let objectiveName {
            allNotes.append("objective constant c0 = \(Self.format(objectiveConstant)) from RHS \(Self.format(objectiveRHS)) on objective row \(objectiveName) (c0 = -RHS)")
        }
        if !freeRows.isEmpty {
            allNotes.append(freeRows.count == 1
                ? "free row \(freeRows[0]) ignored"
                : "\(freeRows.count) free rows ignored: \(Self.list(freeRows))")
        }
        if !integers.isEmpty {
            allNotes.append("\(integers.count) integer column\(integers.count == 1 ? "" : "s")")
        }
        if !negativeUpper.isEmpty {
            allNotes.append("negative UP bound with default lower bound 0 on \(Self.list(negativeUpper)): lower bound set to -infinity (CPLEX/HiGHS rule)")
        }
        if !rangesOnNRows.isEmpty {
            allNotes.append("RANGES on N row\(rangesOnNRows.count == 1 ? "" : "s") \(Self.list(rangesOnNRows)) ignored")
        }
        allNotes += ignoredSets
        return MPSModel(linearProgram: lp, quadratic: try quadraticMatrix(n), notes: allNotes)
    }

    /// Q with both triangles. QUADOBJ and QSECTION give one triangle (mirrored here); QMATRIX
    /// gives the full matrix, which must be symmetric.
    private func quadraticMatrix(_ n: Int) throws(InputError) -> SparseMatrix? {
        guard let kind = quadraticSection else { return nil }
        var entries: [(row: Int, column: Int, value: Double)] = []
        entries.reserveCapacity(2 * quadratic.count)
        var given: [Int64: (value: Double, line: Int)] = [:]
        func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) * Int64(n) + Int64(j) }
        for q in quadratic {
            let k = kind == .qmatrix ? key(q.i, q.j) : key(min(q.i, q.j), max(q.i, q.j))
            if let first = given[k] {
                let note = kind == .qmatrix ? "" : " (\(kind.title) gives one triangle; the mirror entry is implied)"
                throw error(q.line, "quadratic entry (\(columnNames[q.i]), \(columnNames[q.j])) given twice (first on line \(first.line))\(note)")
            }
            given[k] = (q.value, q.line)
            entries.append((q.i, q.j, q.value))
            if kind != .qmatrix && q.i != q.j { entries.append((q.j, q.i, q.value)) }
        }
        if kind == .qmatrix {
            for q in quadratic where q.i != q.j {
                guard let mirror = given[key(q.j, q.i)], mirror.value == q.value else {
                    throw error(q.line, "QMATRIX is not symmetric: entry (\(columnNames[q.i]), \(columnNames[q.j])) has no equal entry (\(columnNames[q.j]), \(columnNames[q.i]))")
                }
            }
        }
        do {
            return try SparseMatrix(rowCount: n, columnCount: n, triplets: entries)
        } catch {
            throw InputError(file: file, "internal error building Q: \(error)")
        }
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 5 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }

    static func format(_ v: Double) -> String {
        var s = "\(v)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
