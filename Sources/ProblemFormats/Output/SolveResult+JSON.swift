import LagrangeCore

extension IterationRecord {
    /// The record as a JSON object with snake_case keys; absent metrics are omitted.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["iteration": .integer(Int64(iteration)), "seconds": .number(seconds)]
        for key in IterationRecord.standardKeys { if let v = value(forKey: key) { o[key] = .number(v) } }
        for m in extras { o[m.name] = .number(m.value) }
        return .object(o)
    }
}

extension SolveResult {
    /// The result as the JSON object of the CLI contract (DESIGN.md): `problem`, `kind`,
    /// `solver`, `status`, `objective`, `iterations`, `seconds`, `seed`, `solution`,
    /// `history`, `converged_by` (when a termination test fired), and by kind `duals`, `reduced_costs` and the details' fields.
    ///
    /// This is the one place a result becomes JSON: the command line hands its own fields
    /// here, `file` (the problem file as the user named it: two problems named AFIRO are
    /// told apart by it) and `expectations` (the file's `expect:` claims checked on this run;
    /// omitted when there are none).
    public func jsonValue(includeHistory: Bool = true, file: String? = nil, expectations: [ExpectationOutcome] = []) -> JSONValue {
        var o: [String: JSONValue] = [
            "problem": .string(problemName),
            "kind": .string(kind.rawValue),
            "solver": .string(solverID),
            "status": .string(status.rawValue),
            "raw_status": .string(rawStatus),
            "objective": .optional(objective),
            "iterations": .integer(Int64(iterations)),
            "seconds": .number(seconds),
            "seed": seed.map { .integer(Int64(bitPattern: $0)) } ?? .null,
            "solution": SolveResult.named(variableNames, primal),
        ]
        if let convergedBy { o["converged_by"] = .string(convergedBy.rawValue) }
        if includeHistory { o["history"] = .array(history.records.map(\.jsonValue)) }
        o["history_records"] = .integer(Int64(history.reportedCount))
        if let duals { o["duals"] = SolveResult.named(constraintNames, duals) }
        if let reducedCosts { o["reduced_costs"] = SolveResult.named(variableNames, reducedCosts) }
        if let kkt {
            o["kkt"] = .object([
                "primal_infeasibility": .number(kkt.primalInfeasibility),
                "dual_infeasibility": .optional(kkt.dualInfeasibility.isNaN ? nil : kkt.dualInfeasibility),
                "complementarity": .optional(kkt.complementarity.isNaN ? nil : kkt.complementarity),
            ])
        }
        if let certificate {
            o["certificate"] = .object(["kind": .string(certificate.kind.rawValue),
                                        "vector": .array(certificate.vector.map { .number($0) })])
        }
        if let check = certificateCheck {
            var measures: [String: JSONValue] = [:]
            for m in check.measures {
                measures[m.name] = .object(["value": .number(m.value), "tolerance": .number(m.tolerance),
                                            "passed": .bool(m.passes)])
            }
            o["check"] = .object([
                "claimed": .string(check.claimed.rawValue), "verdict": .string(check.verdict.rawValue),
                "passed": .bool(check.passed), "measures": .object(measures),
                "failure": check.failure.map { .string($0) } ?? .null,
            ])
        }
        if !notes.isEmpty { o["notes"] = .array(notes.map { .string($0) }) }
        for d in details { o.merge(d.jsonFields) { _, new in new } }
        if let file { o["file"] = .string(file) }
        if !expectations.isEmpty {
            o["expectations"] = .array(expectations.map { e in
                .object(["name": .string(e.name), "met": .bool(e.met), "detail": .string(e.detail)])
            })
        }
        return .object(o)
    }

    static func named(_ names: [String], _ values: [Double]) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for (name, v) in zip(names, values) { o[name] = .number(v) }
        return .object(o)
    }
}

/// The JSON lines of the command line that carry no result, built by the same encoder as
/// results so every line of `--format json` output has one source.
package enum ResultJSON {
    /// A file that gave no result: `status` `error` (with the problem and solver when known)
    /// or `interrupted` (not started).
    package static func fileLine(file: String, status: String, message: String, problem: String? = nil, solver: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = ["file": .string(file), "status": .string(status), "message": .string(message)]
        if let problem { o["problem"] = .string(problem) }
        if let solver { o["solver"] = .string(solver) }
        return .object(o)
    }

    /// One run's history for `--history FILE.json`.
    package static func history(problem: String, file: String, solver: String, seed: UInt64?, records: [IterationRecord]) -> JSONValue {
        .object(["problem": .string(problem), "file": .string(file), "solver": .string(solver),
                 "seed": seed.map { .integer(Int64(bitPattern: $0)) } ?? .null,
                 "history": .array(records.map(\.jsonValue))])
    }
}
