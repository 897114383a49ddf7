import LagrangeCore

// Byte-level lexing for MPS: lines, whitespace tokens, fixed-format fields and numbers.
// The reader works on byte offsets into one `[UInt8]` buffer and only makes `String`s for
// names it looks up, so large files read without per-line regexes or allocations.

/// One physical line: its 1-based number and the byte range without the line ending.
struct MPSLine {
    var number: Int
    var start: Int
    var end: Int
}

/// The sections the reader knows.
enum MPSSection: Equatable {
    case name, objsense, rows, columns, rhs, ranges, bounds, quadobj, qmatrix, qsection, endata

    var title: String {
        switch self {
        case .name: "NAME"
        case .objsense: "OBJSENSE"
        case .rows: "ROWS"
        case .columns: "COLUMNS"
        case .rhs: "RHS"
        case .ranges: "RANGES"
        case .bounds: "BOUNDS"
        case .quadobj: "QUADOBJ"
        case .qmatrix: "QMATRIX"
        case .qsection: "QSECTION"
        case .endata: "ENDATA"
        }
    }

    static func named(_ keyword: String) -> MPSSection? {
        switch keyword {
        case "NAME": .name
        case "OBJSENSE": .objsense
        case "ROWS": .rows
        case "COLUMNS": .columns
        case "RHS": .rhs
        case "RANGES": .ranges
        case "BOUNDS": .bounds
        case "QUADOBJ": .quadobj
        case "QMATRIX": .qmatrix
        case "QSECTION": .qsection
        case "ENDATA": .endata
        default: nil
        }
    }

    /// Sections of MPS dialects (CPLEX, Gurobi, conic MPS) that this reader recognises but
    /// does not support, so the error can say "not supported" instead of "unknown".
    static let unsupported: Set<String> = [
        "SOS", "SETS", "CSECTION", "QCMATRIX", "INDICATORS", "OBJNAME", "OBJSENS", "LAZYCONS",
        "USERCUTS", "GENCONS", "PWLOBJ", "PWLNAM", "BRANCH", "DECOMP",
    ]
}

/// The six classic MPS fields of a data line. A field is `nil` when blank or absent.
///
/// Fixed format takes them from columns 2–3, 5–12, 15–22, 25–36, 40–47 and 50–61; free
/// format assigns whitespace-separated tokens to them by section (see `MPSParser`).
struct MPSFields {
    /// Field 1: row type or bound type.
    var code: Range<Int>?
    /// Field 2: row name, column name, or RHS / RANGES / BOUNDS set name.
    var name1: Range<Int>?
    /// Field 3: row or column name.
    var name2: Range<Int>?
    /// Field 4: first value.
    var value1: Range<Int>?
    /// Field 5: second row name.
    var name3: Range<Int>?
    /// Field 6: second value.
    var value2: Range<Int>?
}

enum MPSLexer {
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Splits the buffer into lines (LF or CRLF), rejecting bytes that never occur in text.
    ///
    /// Control characters other than tab, CR, VT and FF, DEL, and invalid UTF-8 all mean the
    /// input is not an MPS text file; the error names the first such line.
    static func lines(of bytes: [UInt8], file: String) throws(InputError) -> [MPSLine] {
        var result: [MPSLine] = []
        result.reserveCapacity(bytes.count / 40 + 1)
        var start = 0
        // A UTF-8 byte order mark is text, not garbage.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var number = 1
        var highBit = false
        var i = start
        let n = bytes.count
        while i <= n {
            let atEnd = i == n
            let c: UInt8 = atEnd ? 0x0A : bytes[i]
            if c == 0x0A {
                if atEnd && start == n { break }  // no text after the final newline
                var end = i
                if end > start && bytes[end - 1] == 0x0D { end -= 1 }
                if highBit && String(validating: bytes[start..<end], as: UTF8.self) == nil {
                    throw InputError(file: file, line: number,
                                     "the file is not text (invalid UTF-8); is it a binary or compressed file?")
                }
                result.append(MPSLine(number: number, start: start, end: end))
                number += 1
                start = i + 1
                highBit = false
            } else if c < 0x20 {
                if c != 0x09 && c != 0x0D && c != 0x0B && c != 0x0C {
                    throw binary(c, line: number, column: i - start + 1, file: file)
                }
            } else if c == 0x7F {
                throw binary(c, line: number, column: i - start + 1, file: file)
            } else if c >= 0x80 {
                highBit = true
            }
            i += 1
        }
        return result
    }

    private static func binary(_ byte: UInt8, line: Int, column: Int, file: String) -> InputError {
        let hex = String(byte, radix: 16, uppercase: true)
        return InputError(file: file, line: line, column: column,
                          "the file is not text (control byte 0x\(hex.count == 1 ? "0" + hex : hex)); is it a binary or compressed file?")
    }

    /// Whitespace-separated tokens of `line`, appended to `tokens` (which is cleared first).
    static func tokenize(_ bytes: [UInt8], _ line: MPSLine, into tokens: inout [Range<Int>]) {
        tokens.removeAll(keepingCapacity: true)
        var i = line.start
        let end = line.end
        while i < end {
            while i < end && isSpace(bytes[i]) { i += 1 }
            if i == end { break }
            let s = i
            while i < end && !isSpace(bytes[i]) { i += 1 }
            tokens.append(s..<i)
        }
    }

    /// Whether the line holds a tab (fixed columns are meaningless then).
    static func hasTab(_ bytes: [UInt8], _ line: MPSLine) -> Bool {
        var i = line.start
        while i < line.end {
            if bytes[i] == 0x09 { return true }
            i += 1
        }
        return false
    }

    /// 0-based positions that must be blank between the fixed-format fields.
    static let fixedGaps = [0, 3, 12, 13, 22, 23, 36, 37, 38]

    /// The first non-blank gap position (0-based, relative to the line), if any.
    static func fixedGapViolation(_ bytes: [UInt8], _ line: MPSLine) -> Int? {
        let length = line.end - line.start
        for p in fixedGaps where p < length && bytes[line.start + p] != 0x20 { return p }
        return nil
    }

    /// Fields at the fixed-format columns, trimmed; text past column 61 is ignored (classic
    /// files carry sequence numbers there).
    static func fixedFields(_ bytes: [UInt8], _ line: MPSLine) -> MPSFields {
        func slot(_ a: Int, _ b: Int) -> Range<Int>? {
            var lo = line.start + a
            var hi = min(line.start + b, line.end)
            while lo < hi && isSpace(bytes[lo]) { lo += 1 }
            while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
            return lo < hi ? lo..<hi : nil
        }
        return MPSFields(code: slot(1, 3), name1: slot(4, 12), name2: slot(14, 22),
                         value1: slot(24, 36), name3: slot(39, 47), value2: slot(49, 61))
    }

    /// Whether the range contains an inner blank (a fixed-format name with a space).
    static func hasInnerSpace(_ bytes: [UInt8], _ r: Range<Int>?) -> Bool {
        guard let r else { return false }
        for k in r where isSpace(bytes[k]) { return true }
        return false
    }

    /// Whether the bytes have the shape of a decimal number: sign, digits with an optional
    /// point, optional exponent (`e`, `E`, or Fortran's `d`, `D`). `inf` and `nan` are not.
    static func looksNumeric(_ bytes: [UInt8], _ r: Range<Int>) -> Bool {
        numberShape(bytes, r) != nil
    }

    /// nil if not a number; otherwise whether the exponent letter is Fortran's `d`/`D`.
    private static func numberShape(_ bytes: [UInt8], _ r: Range<Int>) -> Bool? {
        var i = r.lowerBound
        let e = r.upperBound
        if i < e && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
        var digits = 0
        while i < e && isDigit(bytes[i]) { i += 1; digits += 1 }
        if i < e && bytes[i] == 0x2E {
            i += 1
            while i < e && isDigit(bytes[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        var fortran = false
        if i < e {
            let c = bytes[i]
            guard c == 0x65 || c == 0x45 || c == 0x64 || c == 0x44 else { return nil }
            fortran = c == 0x64 || c == 0x44
            i += 1
            if i < e && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
            var exponentDigits = 0
            while i < e && isDigit(bytes[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        return i == e ? fortran : nil
    }

    /// The value of a decimal number token, correctly rounded; `nil` when the token is not a
    /// decimal number. Overflow gives ±infinity (callers decide whether that is allowed).
    static func number(_ bytes: [UInt8], _ r: Range<Int>) -> Double? {
        guard let fortran = numberShape(bytes, r) else { return nil }
        var text = String(decoding: bytes[r], as: UTF8.self)
        if fortran {
            text = String(text.map { $0 == "d" || $0 == "D" ? "e" : $0 })
        }
        if let v = Double(text) { return v }
        // The shape is valid, so a failed conversion can only be an out-of-range exponent.
        return bytes[r.lowerBound] == 0x2D ? -.infinity : .infinity
    }

    /// Upper-cased ASCII copy of a token (keywords are matched case-insensitively).
    static func upper(_ bytes: [UInt8], _ r: Range<Int>) -> String {
        String(decoding: bytes[r].map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether two byte ranges hold the same bytes.
    @inline(__always)
    static func equal(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.lowerBound, j = b.lowerBound
        while i < a.upperBound {
            if bytes[i] != bytes[j] { return false }
            i += 1
            j += 1
        }
        return true
    }
}
