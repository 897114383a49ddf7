import Foundation
import LagrangeCore

/// Reads the `expect:` block of a problem file (every kind; docs/regression.md):
///
/// ```yaml
/// expect:
///   status: optimal                  # or a list of accepted statuses
///   objective: -464.7531428571       # or {value: V, tolerance: T}; default T = 1e-6·max(1, |V|)
///   solution: {x1: 0, x3: 2}         # values by name (same forms)
///   tolerance: 1e-6                  # default absolute band for objective and solution
///   iterations: [5, 12]              # inclusive range, or {min: 5, max: 12}, or one number (exact)
///   rate: {metric: gradient_norm, linear_at_most: 0.67, from: 10, to: 200}   # or `quadratic`, or a list
///   monotone: error                  # or a list of metrics
///   solvers: [native.newton, native.bfgs]       # or {native.newton: {rate: quadratic}, ...}
///   regression: {metrics: [objective], relative: 1e-6, absolute: 1e-9, options: {max_iterations: 100}, skip: "why"}
/// ```
package enum ExpectationsReader {
    /// Parses the value of an `expect:` key.
    package static func parse(_ block: YAMLValue) throws(InputError) -> Expectations {
        try parse(block, allowSolvers: true)
    }

    /// Reads a sidecar `expected/NAME.expect.yaml` (a mapping with one `expect:` key), the
    /// way standard files (MPS, DIMACS, …) carry expectations.
    package static func readSidecar(_ path: String) throws(InputError) -> Expectations {
        let top = try YAMLProblemFile.document(text: try TextFile.read(path), path: path, label: "expectations file")
        var expect: Expectations?
        for (key, value) in try top.mapping() {
            guard key == "expect" else { throw value.error("unknown key '\(key)' (an expectations file holds one 'expect:' block)") }
            expect = try parse(value)
        }
        guard let expect else { throw InputError(file: path, line: 1, "missing 'expect:'") }
        return expect
    }

    /// Where a standard file's sidecar lives: `DIR/expected/BASENAME.expect.yaml`.
    package static func sidecarPath(for problemPath: String) -> String {
        let directory = (problemPath as NSString).deletingLastPathComponent
        let base = ((problemPath as NSString).lastPathComponent as NSString).deletingPathExtension
        return (directory.isEmpty ? "" : directory + "/") + "expected/" + base + ".expect.yaml"
    }

    static func parse(_ block: YAMLValue, allowSolvers: Bool) throws(InputError) -> Expectations {
        var e = Expectations()
        let entries = try block.mapping()
        var defaultTolerance: Double?
        if let t = entries.first(where: { $0.key == "tolerance" })?.value {
            let v = try t.number()
            guard v >= 0 else { throw t.error("must be ≥ 0") }
            defaultTolerance = v
        }
        func claim(_ v: YAMLValue) throws(InputError) -> Expectations.ValueClaim {
            if v.isMapping {
                var value: Double?, tolerance: Double?
                for (key, item) in try v.mapping() {
                    switch key {
                    case "value": value = try item.number()
                    case "tolerance":
                        tolerance = try item.number()
                        guard tolerance! >= 0 else { throw item.error("must be ≥ 0") }
                    default: throw item.error("unknown key '\(key)' (expected value, tolerance)")
                    }
                }
                guard let value else { throw v.error("missing 'value:'") }
                return .init(value: value, tolerance: tolerance ?? defaultTolerance ?? Expectations.ValueClaim.defaultTolerance(for: value))
            }
            let value = try v.number()
            return .init(value: value, tolerance: defaultTolerance ?? Expectations.ValueClaim.defaultTolerance(for: value))
        }
        for (key, v) in entries {
            switch key {
            case "tolerance": break
            case "status":
                let names = v.isSequence ? try v.strings() : [try v.string()]
                for name in names {
                    guard let s = TerminationStatus(rawValue: name) else {
                        throw v.error("unknown status '\(name)'; expected one of \(TerminationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    e.status.append(s)
                }
            case "objective": e.objective = try claim(v)
            case "solution":
                for (name, item) in try v.mapping() { e.solution.append(.init(name: name, claim: try claim(item))) }
            case "iterations": e.iterations = try iterationRange(v)
            case "rate":
                let items = v.isSequence ? try v.array() : [v]
                for item in items { e.rates.append(try rate(item)) }
            case "monotone": e.monotone = v.isSequence ? try v.strings() : [try v.string()]
            case "solvers" where allowSolvers:
                if v.isMapping {
                    for (id, item) in try v.mapping() {
                        e.solvers.append(id)
                        if !item.isNull { e.perSolver[id] = try parse(item, allowSolvers: false) }
                    }
                } else {
                    e.solvers = v.isSequence ? try v.strings() : [try v.string()]
                }
            case "regression" where allowSolvers: e.regression = try regression(v)
            default:
                throw v.error("unknown expectation '\(key)' (expected status, objective, solution, tolerance, iterations, rate, monotone\(allowSolvers ? ", solvers, regression" : ""))")
            }
        }
        return e
    }

    static func iterationRange(_ v: YAMLValue) throws(InputError) -> ClosedRange<Int> {
        var low = 0, high = Int.max
        if v.isSequence {
            let items = try v.array()
            guard items.count == 2 else { throw v.error("expected [min, max]") }
            low = try items[0].integer(); high = try items[1].integer()
        } else if v.isMapping {
            for (key, item) in try v.mapping() {
                switch key {
                case "min": low = try item.integer()
                case "max": high = try item.integer()
                default: throw item.error("unknown key '\(key)' (expected min, max)")
                }
            }
        } else {
            low = try v.integer(); high = low
        }
        guard low >= 0, low <= high else { throw v.error("needs 0 ≤ min ≤ max") }
        return low...high
    }

    static func rate(_ v: YAMLValue) throws(InputError) -> Expectations.RateClaim {
        if v.isScalar {
            let word = try v.string()
            guard word == "quadratic" else { throw v.error("expected 'quadratic' or a mapping {metric, linear_at_most, …}") }
            return .init(metric: "gradient_norm", order: .quadratic(constant: 10, close: 1e-2, floor: 1e-13))
        }
        var metric = "gradient_norm"
        var atMost: Double?, atLeast: Double?, quadratic = false
        var constant = 10.0, close = 1e-2, floor = 1e-13
        var from: Int?, to: Int?
        for (key, item) in try v.mapping() {
            switch key {
            case "metric": metric = try item.string()
            case "linear_at_most": atMost = try item.number()
            case "linear_at_least": atLeast = try item.number()
            case "quadratic": quadratic = try item.bool()
            case "constant": constant = try item.number()
            case "close": close = try item.number()
            case "floor": floor = try item.number()
            case "from": from = try item.integer()
            case "to": to = try item.integer()
            default:
                throw item.error("unknown key '\(key)' (expected metric, linear_at_most, linear_at_least, quadratic, constant, close, floor, from, to)")
            }
        }
        if quadratic {
            guard atMost == nil, atLeast == nil else { throw v.error("a rate is either quadratic or linear") }
            return .init(metric: metric, order: .quadratic(constant: constant, close: close, floor: floor), from: from, to: to)
        }
        guard atMost != nil || atLeast != nil else { throw v.error("needs linear_at_most, linear_at_least or quadratic: true") }
        for bound in [atMost, atLeast].compactMap({ $0 }) where !(bound > 0) {
            throw v.error("contraction factors must be > 0")
        }
        return .init(metric: metric, order: .linear(atMost: atMost, atLeast: atLeast), from: from, to: to)
    }

    static func regression(_ v: YAMLValue) throws(InputError) -> RegressionSettings {
        var s = RegressionSettings()
        func nonNegative(_ item: YAMLValue) throws(InputError) -> Double {
            let x = try item.number()
            guard x >= 0 else { throw item.error("must be ≥ 0") }
            return x
        }
        for (key, item) in try v.mapping() {
            switch key {
            case "metrics": s.metrics = item.isSequence ? try item.strings() : [try item.string()]
            case "relative": s.relative = try nonNegative(item)
            case "absolute": s.absolute = try nonNegative(item)
            case "iterations_relative": s.iterationsRelative = try nonNegative(item)
            case "iterations_absolute": s.iterationsAbsolute = try item.integer()
            case "final_relative": s.finalRelative = try nonNegative(item)
            case "final_absolute": s.finalAbsolute = try nonNegative(item)
            case "options": s.options = try YAMLProblemFile.parseOptions(item)
            case "skip": s.skip = try item.string()
            default:
                throw item.error("unknown key '\(key)' (expected metrics, relative, absolute, iterations_relative, iterations_absolute, final_relative, final_absolute, options, skip)")
            }
        }
        return s
    }
}
