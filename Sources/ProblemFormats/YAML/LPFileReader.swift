import LagrangeCore
import LinearAlgebra

/// Reads `kind: lp` YAML files in three forms (docs/problem-files.md):
///
/// - **standard file:** `file: netlib/afiro.mps` (optionally `sense: maximize` is not
///   allowed: the file says its own sense);
/// - **matrix form:** `minimize: [c…]` (or `maximize:`), `A: [[…]]`, and either
///   `b:` with `relations:` (`<=`, `>=`, `=`; default `=`) or `row_lower:`/`row_upper:`;
///   optional `variables: [names]`, `lower:`/`upper:` (a number or a list), `constant:`;
/// - **named form:** `minimize: {x: 1, y: 2}`, `variables: {x: {lower: 0, upper: 4}, y: free}`,
///   `constraints: [{name: c1, coefficients: {x: 1, y: 2}, "<=": 14}, …]`.
///
/// Both written forms take `integer: [x, y]` and `binary: [z]` (integer, bounds ∩ [0, 1]):
/// a mixed-integer program, routed to a solver that honours integers.
enum LPFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        if let ref = file.value("file") {
            let definition = try ProblemFileReader.loadReferenced(ref, from: file)
            guard case .linear = definition.problem else { throw ref.error("does not hold an LP") }
            return file.definition(definition.problem, notes: definition.notes)
        }
        let (sense, objective) = try objectiveValue(file)
        if objective.isSequence || file.has("A") {
            return file.definition(.linear(try matrixForm(file, sense: sense, objective: objective)))
        }
        return file.definition(.linear(try namedForm(file, sense: sense, objective: objective)))
    }

    static func objectiveValue(_ file: YAMLProblemFile) throws(InputError) -> (ObjectiveSense, YAMLValue) {
        let minimize = file.value("minimize"), maximize = file.value("maximize")
        switch (minimize, maximize) {
        case (let m?, nil): return (.minimize, m)
        case (nil, let m?): return (.maximize, m)
        case (_?, let m?): throw m.error("give either 'minimize:' or 'maximize:', not both")
        case (nil, nil): throw file.missing(["minimize", "maximize"], "missing 'minimize:' or 'maximize:' (or 'file:' naming an MPS file)")
        }
    }

    // MARK: Matrix form

    static func matrixForm(_ file: YAMLProblemFile, sense: ObjectiveSense, objective: YAMLValue) throws(InputError) -> LinearProgram {
        let c = try objective.numbers()
        let n = c.count
        guard n > 0 else { throw objective.error("the objective has no coefficients") }
        var rows: [[Double]] = []
        var m = 0
        let aValue = file.value("A")
        if let aValue {
            rows = try aValue.matrixRows()
            m = rows.count
            if let first = rows.first, first.count != n {
                throw aValue.error("rows have \(first.count) entries but the objective has \(n) coefficients")
            }
        }
        var lower = Array(repeating: -Double.infinity, count: m)
        var upper = Array(repeating: Double.infinity, count: m)
        if let b = file.value("b") {
            let rhs = try b.numbers(broadcastTo: m)
            var relations = Array(repeating: "=", count: m)
            if let r = file.value("relations") {
                relations = r.isScalar ? Array(repeating: try r.string(), count: m) : try r.strings()
                guard relations.count == m else { throw r.error("has \(relations.count) entries, expected \(m) (one per row of A)") }
            }
            for i in 0..<m {
                switch relations[i] {
                case "=", "==": lower[i] = rhs[i]; upper[i] = rhs[i]
                case "<=", "≤": upper[i] = rhs[i]
                case ">=", "≥": lower[i] = rhs[i]
                default: throw (file.value("relations") ?? b).error("relation '\(relations[i])' of row \(i + 1) is not one of <=, >=, =")
                }
            }
            if file.has("row_lower") || file.has("row_upper") {
                throw b.error("give 'b:' (with 'relations:') or 'row_lower:'/'row_upper:', not both")
            }
        } else if m > 0 {
            guard file.has("row_lower") || file.has("row_upper") else {
                throw file.error("A has \(m) rows but there is no 'b:' or 'row_lower:'/'row_upper:'")
            }
            if let v = file.value("row_lower") { lower = try v.numbers(broadcastTo: m, allowInfinite: true) }
            if let v = file.value("row_upper") { upper = try v.numbers(broadcastTo: m, allowInfinite: true) }
        }
        var colLower = try file.value("lower")?.numbers(broadcastTo: n, allowInfinite: true) ?? Array(repeating: 0, count: n)
        var colUpper = try file.value("upper")?.numbers(broadcastTo: n, allowInfinite: true) ?? Array(repeating: .infinity, count: n)
        var names: [String]? = nil
        if let v = file.value("variables") {
            let list = try v.uniqueStrings()
            guard list.count == n else { throw v.error("has \(list.count) names for \(n) variables") }
            names = list
        }
        var rowNames: [String]? = nil
        if let v = file.value("constraint_names") {
            let list = try v.uniqueStrings()
            guard list.count == m else { throw v.error("has \(list.count) names for \(m) rows") }
            rowNames = list
        }
        let constant = try file.value("constant")?.number() ?? 0
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (i, r) in rows.enumerated() { for (j, v) in r.enumerated() where v != 0 { triplets.append((i, j, v)) } }
        let integers = try integerColumns(file, names: names ?? (1...n).map { "x\($0)" }, lower: &colLower, upper: &colUpper)
        let boundsLine = [file.value("lower")?.line, file.value("upper")?.line].compactMap { $0 }.max()
        let rowBoundsLine = [file.value("row_lower")?.line, file.value("row_upper")?.line].compactMap { $0 }.max()
        return try ProblemFormats.buildLP(file: file, sense: sense, c: c, constant: constant, m: m, triplets: triplets,
                                          rowLower: lower, rowUpper: upper, colLower: colLower, colUpper: colUpper,
                                          names: names, rowNames: rowNames,
                                          columnBoundLines: Array(repeating: boundsLine, count: n),
                                          rowBoundLines: Array(repeating: rowBoundsLine, count: m), integerColumns: integers)
    }

    // MARK: Named form

    static func namedForm(_ file: YAMLProblemFile, sense: ObjectiveSense, objective: YAMLValue) throws(InputError) -> LinearProgram {
        var names: [String] = []
        var index: [String: Int] = [:]
        var colLower: [Double] = []
        var colUpper: [Double] = []
        var boundLines: [Int?] = []
        func declare(_ name: String, at v: YAMLValue) throws(InputError) -> Int {
            if let j = index[name] { return j }
            guard isIdentifier(name) else { throw v.error("'\(name)' is not a valid variable name (letters, digits, _ . [ ])") }
            index[name] = names.count
            names.append(name)
            colLower.append(0)
            colUpper.append(.infinity)
            boundLines.append(nil)
            return names.count - 1
        }
        // Declared variables first, so their order is the file's order.
        if let vars = file.value("variables") {
            if vars.isSequence {
                for item in try vars.array() { _ = try declare(try item.string(), at: item) }
            } else {
                for (name, spec) in try vars.mapping() {
                    let j = try declare(name, at: spec)
                    (colLower[j], colUpper[j]) = try bounds(spec)
                    boundLines[j] = spec.line
                }
            }
        }
        guard objective.isMapping else { throw objective.error("expected coefficients by variable name, e.g. {x: 1, y: 2}, or a list") }
        var c: [String: Double] = [:]
        for (name, v) in try objective.mapping() {
            _ = try declare(name, at: v)
            c[name] = try v.number()
        }
        let constant = try file.value("constant")?.number() ?? 0
        var rowNames: [String] = []
        var rowLower: [Double] = []
        var rowUpper: [Double] = []
        var rowLines: [Int?] = []
        var triplets: [(row: Int, column: Int, value: Double)] = []
        if let cons = file.value("constraints") {
            for (i, item) in try cons.array().enumerated() {
                var rowName = "c\(i + 1)"
                var lo = -Double.infinity, hi = Double.infinity
                var sawBound = false
                var coefficients: [(String, Double, YAMLValue)] = []
                for (key, v) in try item.mapping() {
                    switch key {
                    case "name": rowName = try v.string()
                    case "coefficients":
                        for (name, cv) in try v.mapping() { coefficients.append((name, try cv.number(), cv)) }
                    case "<=", "≤", "upper": hi = min(hi, try v.number(allowInfinite: true)); sawBound = true
                    case ">=", "≥", "lower": lo = max(lo, try v.number(allowInfinite: true)); sawBound = true
                    case "=", "==":
                        let e = try v.number()
                        lo = e; hi = e; sawBound = true
                    default: throw v.error("unknown constraint key '\(key)' (name, coefficients, <=, >=, =, lower, upper)")
                    }
                }
                guard !coefficients.isEmpty else { throw item.error("constraint '\(rowName)' has no coefficients") }
                guard sawBound else { throw item.error("constraint '\(rowName)' has no bound (<=, >=, = , lower or upper)") }
                let row = rowNames.count
                for (name, value, at) in coefficients {
                    let j = try declare(name, at: at)
                    triplets.append((row, j, value))
                }
                rowNames.append(rowName)
                rowLower.append(lo)
                rowUpper.append(hi)
                rowLines.append(item.line)
            }
        }
        let cVector = names.map { c[$0] ?? 0 }
        let integers = try integerColumns(file, names: names, lower: &colLower, upper: &colUpper)
        return try ProblemFormats.buildLP(file: file, sense: sense, c: cVector, constant: constant, m: rowNames.count,
                                          triplets: triplets, rowLower: rowLower, rowUpper: rowUpper,
                                          colLower: colLower, colUpper: colUpper, names: names, rowNames: rowNames,
                                          columnBoundLines: boundLines, rowBoundLines: rowLines, integerColumns: integers)
    }

    /// Column bounds: `{lower: a, upper: b}`, `free`, `fixed: v`, or `[a, b]`.
    static func bounds(_ spec: YAMLValue) throws(InputError) -> (Double, Double) {
        if spec.isNull { return (0, .infinity) }
        if spec.isScalar {
            let s = try spec.string()
            switch s {
            case "free": return (-.infinity, .infinity)
            case "nonnegative": return (0, .infinity)
            case "nonpositive": return (-.infinity, 0)
            default: throw spec.error("expected free, nonnegative, nonpositive, [lower, upper] or {lower:, upper:}")
            }
        }
        if spec.isSequence {
            let v = try spec.numbers(allowInfinite: true)
            guard v.count == 2 else { throw spec.error("expected [lower, upper]") }
            return (v[0], v[1])
        }
        var lo = 0.0, hi = Double.infinity
        for (key, v) in try spec.mapping() {
            switch key {
            case "lower": lo = try v.number(allowInfinite: true)
            case "upper": hi = try v.number(allowInfinite: true)
            case "fixed": lo = try v.number(); hi = lo
            default: throw v.error("unknown bound key '\(key)' (lower, upper, fixed)")
            }
        }
        return (lo, hi)
    }

    /// The columns named by `integer: [x, y]` and `binary: [z]` (integer with bounds
    /// intersected with [0, 1]), as sorted indices; a name that is not a variable, or one
    /// given twice, is an error at its line.
    static func integerColumns(_ file: YAMLProblemFile, names: [String], lower: inout [Double], upper: inout [Double]) throws(InputError) -> [Int] {
        var index: [String: Int] = [:]
        for (j, name) in names.enumerated() { index[name] = j }
        var marked = Set<Int>()
        for key in ["integer", "binary"] {
            guard let list = file.value(key) else { continue }
            let items = list.isSequence ? try list.array() : [list]
            for item in items {
                let name = try item.string()
                guard let j = index[name] else { throw item.error("'\(name)' is not a variable (variables: \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))") }
                guard marked.insert(j).inserted else { throw item.error("'\(name)' is already marked integer or binary") }
                if key == "binary" {
                    lower[j] = max(lower[j], 0)
                    upper[j] = min(upper[j], 1)
                }
            }
        }
        return marked.sorted()
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.[]".unicodeScalars.contains($0) }
    }
}

extension ProblemFormats {
    /// Builds a validated LP, reporting model errors against the file; crossed bounds are
    /// reported on the line they were given on (`columnBoundLines`, `rowBoundLines`).
    static func buildLP(file: YAMLProblemFile, sense: ObjectiveSense, c: [Double], constant: Double, m: Int,
                        triplets: [(row: Int, column: Int, value: Double)], rowLower: [Double], rowUpper: [Double],
                        colLower: [Double], colUpper: [Double], names: [String]?, rowNames: [String]?,
                        columnBoundLines: [Int?] = [], rowBoundLines: [Int?] = [], integerColumns: [Int] = []) throws(InputError) -> LinearProgram {
        func crossed(_ lower: [Double], _ upper: [Double], _ lines: [Int?], _ what: String, _ name: (Int) -> String) throws(InputError) {
            guard let k = lower.indices.first(where: { k in k < upper.count && lower[k] > upper[k] }) else { return }
            throw InputError(file: file.path, line: k < lines.count ? lines[k] : nil,
                             "\(what) '\(name(k))' has lower bound \(lower[k]) above upper bound \(upper[k])")
        }
        try crossed(colLower, colUpper, columnBoundLines, "variable") { names?[$0] ?? "x\($0 + 1)" }
        try crossed(rowLower, rowUpper, rowBoundLines, "constraint") { rowNames?[$0] ?? "r\($0 + 1)" }
        let matrix: SparseMatrix
        do { matrix = try SparseMatrix(rowCount: m, columnCount: c.count, triplets: triplets) }
        catch { throw file.error("constraint matrix: \(error)") }
        return try ProblemFileReader.model(file.path) { () throws(ModelError) in
            try LinearProgram(name: file.name, sense: sense, objective: c, objectiveConstant: constant, constraints: matrix,
                              rowLower: rowLower, rowUpper: rowUpper, columnLower: colLower, columnUpper: colUpper,
                              variableNames: names, constraintNames: rowNames, integerColumns: integerColumns)
        }
    }
}

/// Namespace for format helpers shared by readers.
package enum ProblemFormats {}
