import Foundation
import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing

private let malformedDirectory = Fixtures.packageRoot + "/Tests/ProblemFormatsTests/Malformed/"

private let malformedCases: [MalformedCase] = [
    .init(file: "empty.mps", line: nil, phrase: "the file is empty"),
    .init(file: "only_comments.mps", line: nil, phrase: "no MPS sections"),
    .init(file: "binary_gzip.mps", line: nil, phrase: "gzip data ends early"),
    .init(file: "binary_nul.mps", line: 9, phrase: "not text"),
    .init(file: "invalid_utf8.mps", line: 4, phrase: "invalid UTF-8"),
    .init(file: "truncated.mps", line: 8, phrase: "without ENDATA"),
    .init(file: "truncated_midline.mps", line: 9, phrase: "truncated"),
    .init(file: "unknown_section.mps", line: 12, phrase: "unknown section 'FOOBAR'"),
    .init(file: "unsupported_sos.mps", line: 14, phrase: "SOS section is not supported"),
    .init(file: "data_before_section.mps", line: 1, phrase: "data line before any section"),
    .init(file: "data_without_indent.mps", line: 8, phrase: "unknown section 'X1'"),
    .init(file: "bad_number.mps", line: 8, phrase: "bad number '1.2.3'"),
    .init(file: "nan_value.mps", line: 9, phrase: "'nan' is not a finite number"),
    .init(file: "inf_rhs.mps", line: 11, phrase: "'inf' is not a finite number"),
    .init(file: "huge_value.mps", line: 7, phrase: "too large"),
    .init(file: "duplicate_column_block.mps", line: 10, phrase: "column 'X1' appears in two separate blocks"),
    .init(file: "duplicate_entry.mps", line: 8, phrase: "row 'R1' appears twice in column 'X1'"),
    .init(file: "unknown_row_entry.mps", line: 8, phrase: "unknown row 'R9'"),
    .init(file: "rhs_unknown_row.mps", line: 11, phrase: "RHS entry for unknown row 'R7'"),
    .init(file: "range_unknown_row.mps", line: 13, phrase: "RANGES entry for unknown row 'R8'"),
    .init(file: "bound_unknown_column.mps", line: 13, phrase: "bound on unknown column 'X9'"),
    .init(file: "unknown_bound_type.mps", line: 13, phrase: "unknown bound type 'XX'"),
    .init(file: "bound_missing_value.mps", line: 13, phrase: "needs a value"),
    .init(file: "unknown_row_type.mps", line: 5, phrase: "unknown row type 'Q'"),
    .init(file: "duplicate_row.mps", line: 5, phrase: "duplicate row name 'R1' (first defined on line 4)"),
    .init(file: "no_objective_row.mps", line: 2, phrase: "no objective (N) row"),
    .init(file: "no_rows.mps", line: 2, phrase: "COLUMNS section comes before any ROWS"),
    .init(file: "no_columns.mps", line: 6, phrase: "no COLUMNS section"),
    .init(file: "endata_only.mps", line: 2, phrase: "no ROWS section"),
    .init(file: "rows_wrong_fields.mps", line: 4, phrase: "expected a row type and a row name"),
    .init(file: "bad_marker.mps", line: 7, phrase: "unknown marker type"),
    .init(file: "intend_without_intorg.mps", line: 9, phrase: "INTEND marker without"),
    .init(file: "bad_objsense.mps", line: 3, phrase: "unknown objective sense 'UPWARDS'"),
    .init(file: "inverted_bounds.mps", line: nil, phrase: "above upper bound"),
    .init(file: "rhs_infinite_on_e_row.mps", line: 11, phrase: "infinity"),
    .init(file: "section_twice.mps", line: 12, phrase: "RHS section appears twice"),
    .init(file: "qmatrix_asymmetric.mps", line: 15, phrase: "not symmetric"),
    .init(file: "quad_unknown_column.mps", line: 15, phrase: "unknown column 'X7'"),
    .init(file: "qsection_constraint.mps", line: 14, phrase: "quadratic constraints are not supported"),
]

@Suite("MPS reader: malformed files")
struct MPSMalformedTests {
    @Test("each malformed file gives an InputError with its line and a plain message", arguments: malformedCases)
    func malformed(_ c: MalformedCase) {
        let path = malformedDirectory + c.file
        let error = #expect(throws: InputError.self) { try MPSReader.read(contentsOf: path) }
        guard let error else { return }
        #expect(error.file == path)
        #expect(error.line == c.line, "\(error)")
        #expect(error.message.contains(c.phrase), "\(error)")
    }

    @Test("explicit fixed and free modes also reject every malformed file", arguments: malformedCases)
    func malformedInEveryFormat(_ c: MalformedCase) throws {
        let bytes = try #require(FileManager.default.contents(atPath: malformedDirectory + c.file))
        for format in [MPSFormat.fixed, .free] {
            #expect(throws: InputError.self) { try MPSReader.read(contentsOf: malformedDirectory + c.file, format: format) }
            // The same text handed over as a String (where it is valid UTF-8) fails the same way.
            if let text = String(bytes: bytes, encoding: .utf8) {
                #expect(throws: InputError.self) { try MPSReader.parse(text, file: c.file, format: format) }
            }
        }
    }

    @Test("every file in Malformed/ has an expectation")
    func corpusCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: malformedDirectory).filter { $0.hasSuffix(".mps") }
        #expect(Set(files) == Set(malformedCases.map(\.file)))
    }

    @Test("mangled fixtures never crash the reader")
    func mangledInputsDoNotCrash() throws {
        let text = try Fixtures.text(Fixtures.path("lp/tiny_objconst.mps"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<400 {
            var mangled = lines
            switch rng.nextIndex(below: 4) {
            case 0: mangled.remove(at: rng.nextIndex(below: mangled.count))
            case 1:  // cut a line short
                let i = rng.nextIndex(below: mangled.count)
                mangled[i] = String(mangled[i].prefix(rng.nextIndex(below: mangled[i].count + 1)))
            case 2: mangled.insert(mangled[rng.nextIndex(below: mangled.count)], at: rng.nextIndex(below: mangled.count))
            default: mangled.swapAt(rng.nextIndex(below: mangled.count), rng.nextIndex(below: mangled.count))
            }
            for format in MPSFormat.allCases {
                // Either outcome is fine; reaching here without a trap is the point.
                _ = try? MPSReader.parse(mangled.joined(separator: "\n"), format: format)
            }
        }
    }
}
