import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

private let directory = Fixtures.packageRoot + "/Tests/ModelingTests/Malformed/"

let malformedModelFiles: [MalformedCase] = [
    // CPLEX LP
    .init(file: "empty.lp", line: nil, phrase: "the file is empty"),
    .init(file: "no_end.lp", line: 4, phrase: "ends without End"),
    .init(file: "no_objective_section.lp", line: 1, phrase: "must start with Minimize or Maximize"),
    .init(file: "text_before_sections.lp", line: 1, phrase: "text before the Minimize or Maximize section"),
    .init(file: "missing_relation.lp", line: 4, phrase: "expected <=, >= or = before the number 3"),
    .init(file: "missing_rhs.lp", line: 4, phrase: "the right-hand side is missing"),
    .init(file: "bad_number.lp", line: 2, phrase: "bad number '1.2.3'"),
    .init(file: "quadratic_constraint.lp", line: 4, phrase: "quadratic constraints are not supported"),
    .init(file: "unclosed_bracket.lp", line: 2, phrase: "'[' without a closing ']'"),
    .init(file: "cube.lp", line: 2, phrase: "only squares (^ 2) are allowed"),
    .init(file: "inverted_bounds.lp", line: 7, phrase: "lower bound 0 above upper bound -1 (the default lower bound is 0"),
    .init(file: "sos_section.lp", line: 5, phrase: "the 'sos' section is not supported"),
    .init(file: "duplicate_row_name.lp", line: 6, phrase: "duplicate constraint name 'c1'"),
    .init(file: "equality_infinite.lp", line: 4, phrase: "an equality with an infinite right-hand side"),
    .init(file: "mixed_range.lp", line: 4, phrase: "a range must read lo <= expr <= hi"),
    .init(file: "empty_range.lp", line: 4, phrase: "the range is empty"),
    .init(file: "bound_without_relation.lp", line: 6, phrase: "expected 'free' or a relation after 'x'"),
    .init(file: "two_objectives.lp", line: 3, phrase: "a second objective section"),
    .init(file: "constant_in_constraint.lp", line: 4, phrase: "a constant term here"),
    .init(file: "no_variables.lp", line: 1, phrase: "the problem has no variables"),
    .init(file: "dangling_sign.lp", line: 4, phrase: "expected a term after '-'"),
    .init(file: "integer_qp.lp", line: 6, phrase: "a mixed-integer QP) are not supported"),
    // GLPK MathProg: GLPK's translator's own messages, with its file and line
    .init(file: "syntax_error.mod", line: 2, phrase: "syntax error in expression"),
    .init(file: "undefined_symbol.mod", line: 2, phrase: "y not defined"),
    .init(file: "missing_data.mod", line: 3, phrase: "no value for a"),
    .init(file: "failed_check.mod", line: 3, phrase: "check failed"),
    .init(file: "division_by_zero.mod", line: 3, phrase: "floating-point zero divide"),
    .init(file: "missing_semicolon.mod", line: 4, phrase: "syntax error in constraint statement"),
    .init(file: "data_section_error.mod", line: 6, phrase: "q not a parameter"),
]

@Suite("Malformed .lp and .mod files")
struct MalformedModelFileTests {
    /// `.mod` files are read through LagrangeGLPK's MathProg reader.
    init() { ProblemFileReader.registerMathProg() }

    @Test("each gives an InputError with its file, line and a plain message", arguments: malformedModelFiles)
    func malformed(_ c: MalformedCase) {
        let path = directory + c.file
        do {
            _ = try ProblemFileReader.load(path)
            Issue.record("\(c.file) was read")
        } catch {
            #expect(c.mismatch(error, path: path) == nil, "\(c.mismatch(error, path: path) ?? "")")
        }
    }

    @Test("every file in the folder is in the table")
    func everyFileListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(Set(files) == Set(malformedModelFiles.map(\.file)))
        #expect(files.count >= 15)
    }
}
