import Foundation
import Expressions
import LagrangeCore
import Yams

/// Reads `kind: nlp` YAML files (docs/problem-files.md):
///
/// ```yaml
/// kind: nlp
/// name: hs071
/// minimize: "x1*x4*(x1 + x2 + x3) + x3"          # or maximize
/// variables: {x1: [1, 5], x2: [1, 5], x3: [1, 5], x4: [1, 5]}   # name: [lower, upper]; a plain list = all free
/// start: {x1: 1, x2: 5, x3: 5, x4: 1}
/// subject_to:
///   product: "x1*x2*x3*x4 >= 25"                 # name: "expression (<=|>=|==) expression"
///   sphere:  "x1^2 + x2^2 + x3^2 + x4^2 == 40"
/// ```
///
/// A constraint "lhs op rhs" becomes g = lhs − rhs with bounds (−∞, 0], [0, ∞) or [0, 0];
/// `subject_to` may also be a list of such strings (named c1, c2, …). Without `start:` the
/// start is 0 projected into the bounds.
enum NLPFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let (sense, value) = try LPFileReader.objectiveValue(file)
        let text = try value.string()
        var names: [String]? = nil
        var lower: [Double] = [], upper: [Double] = []
        if let v = file.value("variables") {
            if v.isSequence {
                names = try v.uniqueStrings()
            } else {
                var list: [String] = []
                for (name, bounds) in try v.mapping() {
                    list.append(name)
                    if bounds.isNull {
                        lower.append(-.infinity)
                        upper.append(.infinity)
                        continue
                    }
                    let pair = try bounds.numbers(allowInfinite: true)
                    guard pair.count == 2 else { throw bounds.error("bounds are [lower, upper], got \(pair.count) values") }
                    guard pair[0] <= pair[1], pair[0] < .infinity, pair[1] > -.infinity else {
                        throw bounds.error("bounds [\(pair[0]), \(pair[1])] of '\(name)' are not a non-empty interval")
                    }
                    lower.append(pair[0])
                    upper.append(pair[1])
                }
                names = list
            }
        }
        let objective = try SmoothFileReader.compile(value, text: text, variables: names)
        let variables = objective.variableNames
        guard !variables.isEmpty else { throw value.error("the expression has no variables") }
        if lower.isEmpty {
            lower = Array(repeating: -.infinity, count: variables.count)
            upper = Array(repeating: .infinity, count: variables.count)
        }
        var constraints: [NonlinearConstraint] = []
        if let block = file.value("subject_to") {
            var entries: [(String, YAMLValue)] = []
            if block.isSequence {
                entries = try block.array().enumerated().map { ("c\($0.offset + 1)", $0.element) }
            } else {
                entries = try block.mapping().map { ($0.key, $0.value) }
                if let duplicate = LinearProgram.firstDuplicate(entries.map(\.0)) { throw block.error("constraint '\(duplicate)' is named twice") }
            }
            for (name, entry) in entries {
                constraints.append(try constraint(name: name, entry, variables: variables))
            }
        }
        let start = try SmoothFileReader.startPoint(file, names: variables)
        let problem = try ProblemFileReader.model(file.path, line: value.line) { () throws(ModelError) in
            var program = try NonlinearProgram(name: file.name, sense: sense, variableNames: variables, objective: objective,
                                               lowerBounds: lower, upperBounds: upper, constraints: constraints,
                                               start: start, formula: text)
            if start == nil { program.start = program.projectedStart }
            return program
        }
        return file.definition(.nonlinear(problem))
    }

    /// "lhs (<=|>=|==) rhs" as g = lhs − rhs with its bounds.
    static func constraint(name: String, _ entry: YAMLValue, variables: [String]) throws(InputError) -> NonlinearConstraint {
        let text = try entry.string()
        guard let (lhs, op, rhs) = split(text) else {
            throw entry.error("constraint '\(name)' needs one of <=, >=, == between two expressions, got \"\(text)\"")
        }
        // One expression, so the column of an error inside it still points into the file.
        let function = try SmoothFileReader.compile(entry, text: "(\(lhs)) - (\(rhs))", variables: variables)
        let (lower, upper): (Double, Double) = switch op {
        case "<=": (-.infinity, 0)
        case ">=": (0, .infinity)
        default: (0, 0)
        }
        do {
            return try NonlinearConstraint(name: name, function: function, lower: lower, upper: upper, formula: text)
        } catch {
            throw entry.error(error.message)
        }
    }

    /// The one comparison at parenthesis depth 0: (lhs, operator, rhs), or nil when there is
    /// none or more than one.
    static func split(_ text: String) -> (String, String, String)? {
        let characters = Array(text)
        var depth = 0
        var found: (Int, String)?
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if depth == 0, i + 1 < characters.count, "<>=".contains(c), characters[i + 1] == "=" {
                if found != nil { return nil }
                found = (i, String(characters[i...i + 1]))
                i += 2
                continue
            }
            if depth == 0, c == "<" || c == ">" { return nil }  // strict comparisons are not constraints
            i += 1
        }
        guard let (at, op) = found else { return nil }
        let lhs = String(characters[..<at]).trimmingCharacters(in: .whitespaces)
        let rhs = String(characters[(at + 2)...]).trimmingCharacters(in: .whitespaces)
        guard !lhs.isEmpty, !rhs.isEmpty else { return nil }
        return (lhs, op, rhs)
    }
}
