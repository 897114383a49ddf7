import Expressions
import LagrangeCore
import LinearAlgebra

/// Reads `kind: qp` YAML files in three forms (docs/problem-files.md):
///
/// - **standard file:** `file: maros/HS21.qps` (a QPS file; an MPS file gives Q = 0);
/// - **matrix form:** the LP matrix-form keys (`minimize: [c…]`, `A`, `b`/`relations` or
///   `row_lower`/`row_upper`, `lower`, `upper`, `variables`, `constant`) plus either
///   `Q: [[…]]` (the full symmetric n × n matrix; objective ½xᵀQx + cᵀx + c₀) or
///   `Q_upper: [[…]]` (its upper triangle by rows: row i lists Q_ii … Q_in);
/// - **algebraic form:** `minimize: "x^2 + y^2"` (or `maximize:`), `subject_to:` a list
///   of linear constraints `"3*x + 4*y = 5"`, `"x - y <= 2"`, `"1 <= x + y <= 4"` (an
///   item may be a one-key mapping `{name: "…"}` to name the row), and optional
///   `variables:` — a list of names, or a mapping name → bounds (`free`, `[lo, hi]`,
///   `{lower:, upper:}`, `nonnegative`, …). Variables are free unless bounded there.
///
/// The algebraic objective must be at most quadratic and each constraint linear; this is
/// decided and the coefficients extracted exactly by ``PolynomialForm`` (no finite
/// differences). Errors carry the file and line (and the column inside an expression).
enum QPFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        if let ref = file.value("file") {
            let definition = try ProblemFileReader.loadReferenced(ref, from: file)
            switch definition.problem {
            case .quadratic: return file.definition(definition.problem, notes: definition.notes)
            case .linear(let lp):
                let zero = SparseMatrix.zeros(rows: lp.columnCount, columns: lp.columnCount)
                let qp = try ProblemFileReader.model(file.path) { () throws(ModelError) in
                    try QuadraticProgram(linear: lp, quadratic: zero)
                }
                return file.definition(.quadratic(qp), notes: definition.notes)
            default: throw ref.error("does not hold an LP or QP")
            }
        }
        let (sense, objective) = try LPFileReader.objectiveValue(file)
        if objective.isSequence {
            return file.definition(.quadratic(try matrixForm(file, sense: sense, objective: objective)))
        }
        guard objective.isScalar else {
            throw objective.error("expected a list of linear coefficients (matrix form) or an expression such as \"x^2 + y^2\"")
        }
        return file.definition(.quadratic(try algebraicForm(file, sense: sense, objective: objective)))
    }

    // MARK: Matrix form

    static func matrixForm(_ file: YAMLProblemFile, sense: ObjectiveSense, objective: YAMLValue) throws(InputError) -> QuadraticProgram {
        let lp = try LPFileReader.matrixForm(file, sense: sense, objective: objective)
        let n = lp.columnCount
        var triplets: [(row: Int, column: Int, value: Double)] = []
        switch (file.value("Q"), file.value("Q_upper")) {
        case (let q?, nil):
            let rows = try q.matrixRows()
            guard rows.count == n, rows.allSatisfy({ $0.count == n }) else {
                throw q.error("must be \(n)×\(n) (one row per variable), got \(rows.count) rows")
            }
            for i in 0..<n {
                for j in 0..<n where rows[i][j] != 0 {
                    guard abs(rows[i][j] - rows[j][i]) <= 1e-12 * max(1, abs(rows[i][j])) else {
                        throw q.error("is not symmetric: Q[\(i + 1)][\(j + 1)] = \(rows[i][j]) but Q[\(j + 1)][\(i + 1)] = \(rows[j][i]) (give Q_upper for a triangle)")
                    }
                    triplets.append((i, j, rows[i][j]))
                }
            }
        case (nil, let q?):
            let items = try q.array()
            guard items.count == n else { throw q.error("has \(items.count) rows, expected \(n) (row i lists Q_ii … Q_in)") }
            for (i, item) in items.enumerated() {
                let row = try item.numbers()
                guard row.count == n - i else { throw item.error("row \(i + 1) of Q_upper has \(row.count) entries, expected \(n - i) (Q_ii … Q_in)") }
                for (k, v) in row.enumerated() where v != 0 {
                    triplets.append((i, i + k, v))
                    if k > 0 { triplets.append((i + k, i, v)) }
                }
            }
        case (_?, let q?):
            throw q.error("give either 'Q:' or 'Q_upper:', not both")
        case (nil, nil):
            break  // Q = 0: an LP read as a QP
        }
        return try build(file, lp: lp, triplets: triplets)
    }

    // MARK: Algebraic form

    static func algebraicForm(_ file: YAMLProblemFile, sense: ObjectiveSense, objective: YAMLValue) throws(InputError) -> QuadraticProgram {
        var names: [String] = []
        var declared = Set<String>()  // an array search per name made 10⁶ names take hours
        var lower: [Double] = [], upper: [Double] = []
        func declare(_ name: String) {
            guard declared.insert(name).inserted else { return }
            names.append(name); lower.append(-.infinity); upper.append(.infinity)
        }
        if let vars = file.value("variables") {
            if vars.isSequence {
                for name in try vars.uniqueStrings() { declare(name) }
            } else {
                for (name, spec) in try vars.mapping() {
                    declare(name)
                    if !spec.isNull { (lower[names.count - 1], upper[names.count - 1]) = try LPFileReader.bounds(spec) }
                }
            }
        }
        // Constraint items: (name, text, value).
        var items: [(String?, String, YAMLValue)] = []
        if let list = file.value("subject_to") {
            for item in try list.array() {
                if item.isMapping {
                    let pairs = try item.mapping()
                    guard pairs.count == 1, let pair = pairs.first else { throw item.error("a named constraint is a one-key mapping {name: \"expression\"}") }
                    items.append((pair.key, try pair.value.string(), pair.value))
                } else {
                    items.append((nil, try item.string(), item))
                }
            }
        }
        // Discover names (declared first, then the objective's, then the constraints').
        let objectiveText = try objective.string()
        for name in try compile(objectiveText, at: objective, file: file, variables: nil).variableNames { declare(name) }
        var sides: [(parts: [String], relations: [String], value: YAMLValue)] = []
        for (_, text, value) in items {
            let (parts, relations) = try splitRelations(text, at: value)
            for part in parts { for name in try compile(part, at: value, file: file, variables: nil).variableNames { declare(name) } }
            sides.append((parts, relations, value))
        }
        guard !names.isEmpty else { throw objective.error("the objective and constraints have no variables") }
        let n = names.count

        // Objective: exact coefficients, degree ≤ 2.
        let f = try compile(objectiveText, at: objective, file: file, variables: names).polynomial
        guard !f.expansionLimitExceeded else {
            throw objective.error("the objective multiplies sums that expand into more than \(PolynomialForm.expansionLimit) products; give Q in matrix form (Q: or Q_upper:)")
        }
        guard f.degree <= .quadratic else {
            throw objective.error("the objective is not a quadratic polynomial (a QP objective may use +, −, *, / by constants and ^2); use kind: smooth for general functions")
        }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (i, j, v) in f.quadratic {
            triplets.append((i, j, v))
            if i != j { triplets.append((j, i, v)) }
        }

        // Constraints: Σ aⱼxⱼ + k (relation) 0 for each adjacent pair of sides.
        var rowNames: [String] = [], rowLower: [Double] = [], rowUpper: [Double] = []
        var rows: [(row: Int, column: Int, value: Double)] = []
        for (index, side) in sides.enumerated() {
            let polys = try side.parts.map { (part: String) throws(InputError) -> PolynomialForm in
                let p = try compile(part, at: side.value, file: file, variables: names).polynomial
                guard p.degree <= .linear else { throw side.value.error("constraint '\(part)' is not linear") }
                return p
            }
            let name = items[index].0 ?? "c\(index + 1)"
            var lo = -Double.infinity, hi = Double.infinity
            var coefficients = Array(repeating: 0.0, count: n)
            if polys.count == 2 {
                // left (rel) right  ⇔  left − right (rel) 0.
                for j in 0..<n { coefficients[j] = polys[0].linear[j] - polys[1].linear[j] }
                let rhs = polys[1].constant - polys[0].constant
                switch side.relations[0] {
                case "<=": hi = rhs
                case ">=": lo = rhs
                default: lo = rhs; hi = rhs
                }
            } else {
                // lo ≤ middle ≤ hi (or ≥ ≥): the outer sides must be constants.
                guard polys[0].degree == .constant, polys[2].degree == .constant, side.relations[0] == side.relations[1],
                      side.relations[0] != "=" else {
                    throw side.value.error("a two-sided constraint reads 'lower <= expression <= upper' (or with >=) with constant bounds")
                }
                coefficients = polys[1].linear
                let a = polys[0].constant - polys[1].constant, b = polys[2].constant - polys[1].constant
                (lo, hi) = side.relations[0] == "<=" ? (a, b) : (b, a)
            }
            guard coefficients.contains(where: { $0 != 0 }) else {
                throw side.value.error("constraint '\(items[index].1)' has no variables")
            }
            for j in 0..<n where coefficients[j] != 0 { rows.append((rowNames.count, j, coefficients[j])) }
            rowNames.append(name); rowLower.append(lo); rowUpper.append(hi)
        }
        let lp = try ProblemFormats.buildLP(file: file, sense: sense, c: f.linear, constant: f.constant, m: rowNames.count,
                                            triplets: rows, rowLower: rowLower, rowUpper: rowUpper, colLower: lower,
                                            colUpper: upper, names: names, rowNames: rowNames)
        return try build(file, lp: lp, triplets: triplets)
    }

    /// Splits "a <= b", "a = b", "lo <= a <= hi" at their relations (`<=`, `>=`, `=`,
    /// `==`, `≤`, `≥`), normalised to "<=", ">=", "=".
    static func splitRelations(_ text: String, at value: YAMLValue) throws(InputError) -> ([String], [String]) {
        var parts: [String] = [], relations: [String] = []
        var current = ""
        var characters = Array(text)
        characters.append(" ")
        var i = 0
        while i < characters.count - 1 {
            let c = characters[i], next = characters[i + 1]
            var relation: String? = nil, width = 1
            switch c {
            case "<" where next == "=": relation = "<="; width = 2
            case ">" where next == "=": relation = ">="; width = 2
            case "=" where next == "=": relation = "="; width = 2
            case "=": relation = "="
            case "≤": relation = "<="
            case "≥": relation = ">="
            case "<", ">":
                throw value.error("strict inequalities are not allowed in '\(text)': use <= or >=")
            default: break
            }
            if let relation {
                parts.append(current); relations.append(relation); current = ""
                i += width
            } else {
                current.append(c)
                i += 1
            }
        }
        parts.append(current)
        guard relations.count == 1 || relations.count == 2 else {
            throw value.error("'\(text)' needs a relation (=, <=, >=) between two sides, or 'lower <= expression <= upper'")
        }
        for part in parts where part.allSatisfy(\.isWhitespace) { throw value.error("'\(text)' has an empty side") }
        return (parts, relations)
    }

    static func compile(_ text: String, at value: YAMLValue, file: YAMLProblemFile, variables: [String]?) throws(InputError) -> CompiledExpression {
        do {
            return try CompiledExpression(text, variables: variables)
        } catch {
            throw InputError(file: file.path, line: value.line, "\(value.label): \(error.message)\n\(error.caretDiagram)")
        }
    }

    static func build(_ file: YAMLProblemFile, lp: LinearProgram, triplets: [(row: Int, column: Int, value: Double)]) throws(InputError) -> QuadraticProgram {
        let n = lp.columnCount
        let q: SparseMatrix
        do { q = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets) }
        catch { throw file.error("Q: \(error)") }
        return try ProblemFileReader.model(file.path) { () throws(ModelError) in
            try QuadraticProgram(linear: lp, quadratic: q)
        }
    }
}
