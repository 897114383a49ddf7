import Expressions
import LagrangeCore
import Yams

/// Reads `kind: smooth` YAML files (docs/problem-files.md):
///
/// ```yaml
/// kind: smooth
/// minimize: "100*(y - x^2)^2 + (1 - x)^2"     # or maximize:
/// variables: [x, y]                            # optional; default: the names used, in natural order
/// start: {x: -1.2, y: 1}                       # or a list in variable order; default all zeros
/// solver: native.bfgs
/// options: {tolerance: 1e-10, line_search: exact}
/// ```
///
/// Expression errors are reported at the line of the expression, with the column inside it
/// and a caret diagram.
enum SmoothFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let (sense, value) = try LPFileReader.objectiveValue(file)
        let text = try value.string()
        var declared: [String]? = nil
        if let v = file.value("variables") { declared = try v.uniqueStrings() }
        let objective = try compile(value, text: text, variables: declared)
        let names = objective.variableNames
        guard !names.isEmpty else { throw value.error("the expression has no variables") }
        let start = try startPoint(file, names: names) ?? Array(repeating: 0.0, count: names.count)
        let problem = try ProblemFileReader.model(file.path, line: value.line) { () throws(ModelError) in
            try SmoothProblem(name: file.name, sense: sense, variableNames: names, start: start, objective: objective, formula: text)
        }
        return file.definition(.smooth(problem))
    }

    /// Compiles `text` (the string of `value`), reporting errors at the expression's line
    /// and column with a caret diagram.
    static func compile(_ value: YAMLValue, text: String, variables: [String]?) throws(InputError) -> CompiledExpression {
        do {
            return try CompiledExpression(text, variables: variables)
        } catch {
            var column: Int? = nil
            if let base = value.column, !text.contains("\n"), case .scalar(let s) = value.node {
                column = base + (s.style == .plain ? 0 : 1) + error.column - 1
            }
            throw InputError(file: value.file, line: value.line, column: column,
                             "\(value.label): \(error.message)\n\(error.caretDiagram)")
        }
    }

    /// The `start:` point: a list in variable order or a mapping by name (unnamed variables
    /// 0); nil when the file has none.
    static func startPoint(_ file: YAMLProblemFile, names: [String]) throws(InputError) -> [Double]? {
        guard let s = file.value("start") else { return nil }
        if s.isSequence {
            let list = try s.numbers()
            guard list.count == names.count else {
                throw s.error("has \(list.count) values for \(names.count) variables (\(names.joined(separator: ", ")))")
            }
            return list
        }
        var start = Array(repeating: 0.0, count: names.count)
        for (name, v) in try s.mapping() {
            guard let j = names.firstIndex(of: name) else {
                throw v.error("'\(name)' is not a variable (\(names.joined(separator: ", ")))")
            }
            start[j] = try v.number()
        }
        return start
    }
}
