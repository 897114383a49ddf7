import Foundation

/// What a problem file claims about its solution and about how a method converges: the
/// `expect:` block. ``evaluate(_:ownSolver:)`` checks a ``SolveResult`` against it and
/// returns one ``ExpectationOutcome`` per claim (met or not met, with the measured value).
///
/// Claims about the answer (`status`, `objective`, `solution`) hold for every solver.
/// Claims about the method (`iterations`, `rate`, `monotone`) describe the file's own
/// solver (its `solver:` or the kind's default); other solvers get them only through a
/// `solvers: {ID: {...}}` entry, whose keys replace the top-level ones for that solver.
public struct Expectations: Sendable, Equatable {
    /// Accepted statuses (any of them); empty means no claim.
    package var status: [TerminationStatus] = []
    package var objective: ValueClaim?
    /// Primal values by variable name.
    package var solution: [NamedClaim] = []
    /// Inclusive range for the iteration count.
    package var iterations: ClosedRange<Int>?
    package var rates: [RateClaim] = []
    /// Metrics that must never increase along the history (up to round-off: 1e-10 of the
    /// largest |value| in the history).
    package var monotone: [String] = []
    /// Solvers that regression runs use, in order (empty: the file's solver or the default).
    package var solvers: [String] = []
    /// Per-solver replacements of the method claims (and, when given, the answer claims).
    package var perSolver: [String: Expectations] = [:]
    /// How golden histories of this file are compared, and what regression runs change.
    package var regression = RegressionSettings()

    package init() {}

    /// An absolute tolerance band around a value.
    package struct ValueClaim: Sendable, Equatable {
        package var value: Double
        package var tolerance: Double
        package init(value: Double, tolerance: Double) {
            self.value = value
            self.tolerance = tolerance
        }

        /// Default band: 1e-6·max(1, |value|).
        package static func defaultTolerance(for value: Double) -> Double { 1e-6 * max(1, abs(value)) }

        package func holds(_ x: Double) -> Bool { x.isFinite && abs(x - value) <= tolerance }
    }

    package struct NamedClaim: Sendable, Equatable {
        package var name: String
        package var claim: ValueClaim
        package init(name: String, claim: ValueClaim) {
            self.name = name
            self.claim = claim
        }
    }

    /// A claim about the speed of convergence of one history metric.
    package struct RateClaim: Sendable, Equatable {
        package enum Order: Sendable, Equatable {
            /// Fitted per-iteration contraction factor ρ (least squares of log m against the
            /// iteration number over the window) satisfies atLeast ≤ ρ ≤ atMost.
            case linear(atMost: Double?, atLeast: Double?)
            /// Once m ≤ `close`, every step with m_{k+1} above `floor` has m_{k+1} ≤ C·m_k²,
            /// and at least one such step exists.
            case quadratic(constant: Double, close: Double, floor: Double)
        }
        package var metric: String
        package var order: Order
        /// Iterations (inclusive) the fit uses; nil ends are the history's.
        package var from: Int?
        package var to: Int?

        package init(metric: String, order: Order, from: Int? = nil, to: Int? = nil) {
            self.metric = metric
            self.order = order
            self.from = from
            self.to = to
        }

        package var label: String {
            switch order {
            case .linear(let hi, let lo):
                var parts: [String] = []
                if let lo { parts.append("≥ \(lo)") }
                if let hi { parts.append("≤ \(hi)") }
                return "rate \(metric) linear \(parts.joined(separator: ", "))"
            case .quadratic: return "rate \(metric) quadratic"
            }
        }
    }

    /// The claims that apply to a run of `solverID`, given the file's own solver.
    package func effective(for solverID: String, ownSolver: String?) -> Expectations {
        var e = self
        if let ownSolver, solverID != ownSolver {
            e.iterations = nil
            e.rates = []
            e.monotone = []
        }
        if let specific = perSolver[solverID] {
            if !specific.status.isEmpty { e.status = specific.status }
            if let o = specific.objective { e.objective = o }
            if !specific.solution.isEmpty { e.solution = specific.solution }
            if let i = specific.iterations { e.iterations = i }
            if !specific.rates.isEmpty { e.rates = specific.rates }
            if !specific.monotone.isEmpty { e.monotone = specific.monotone }
        }
        e.perSolver = [:]
        return e
    }

    /// Whether any claim is made.
    public var isEmpty: Bool {
        status.isEmpty && objective == nil && solution.isEmpty && iterations == nil && rates.isEmpty && monotone.isEmpty
            && perSolver.values.allSatisfy(\.isEmpty)
    }

    /// Checks a result. `ownSolver` is the file's solver (or the kind's default).
    public func evaluate(_ result: SolveResult, ownSolver: String?) -> [ExpectationOutcome] {
        let e = effective(for: result.solverID, ownSolver: ownSolver)
        var out: [ExpectationOutcome] = []
        if !e.status.isEmpty {
            let names = e.status.map(\.rawValue).joined(separator: " or ")
            out.append(ExpectationOutcome(name: "status \(names)", met: e.status.contains(result.status), detail: result.status.rawValue))
        }
        if let o = e.objective {
            let got = result.objective
            out.append(ExpectationOutcome(name: "objective \(format(o.value)) ± \(format(o.tolerance))", met: got.map(o.holds) ?? false,
                                          detail: got.map { "\(format($0)) (off by \(format(abs($0 - o.value))))" } ?? "no objective"))
        }
        for s in e.solution {
            let got = result.value(of: s.name)
            out.append(ExpectationOutcome(name: "\(s.name) = \(format(s.claim.value)) ± \(format(s.claim.tolerance))",
                                          met: got.map(s.claim.holds) ?? false,
                                          detail: got.map { format($0) } ?? "no variable '\(s.name)' in the result"))
        }
        if let range = e.iterations {
            out.append(ExpectationOutcome(name: "iterations in \(range.lowerBound)...\(range.upperBound)",
                                          met: range.contains(result.iterations), detail: "\(result.iterations)"))
        }
        let records = result.history.records
        for rate in e.rates { out.append(Expectations.check(rate, records)) }
        for metric in e.monotone { out.append(Expectations.checkMonotone(metric, records)) }
        return out
    }

    // MARK: - Rate checks

    /// Points (iteration, value) of a metric in a window, finite and positive.
    static func series(_ metric: String, _ records: [IterationRecord], from: Int? = nil, to: Int? = nil) -> [(Int, Double)] {
        records.compactMap { r in
            guard let v = r.value(forKey: metric), v.isFinite, v > 0 else { return nil }
            if let from, r.iteration < from { return nil }
            if let to, r.iteration > to { return nil }
            return (r.iteration, v)
        }
    }

    /// The per-iteration contraction factor: exp of the least-squares slope of log m.
    package static func fittedContraction(_ points: [(Int, Double)]) -> Double? {
        guard points.count >= 3 else { return nil }
        let xs = points.map { Double($0.0) }, ys = points.map { log($0.1) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0, sxx = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx) }
        guard sxx > 0 else { return nil }
        return exp(sxy / sxx)
    }

    static func check(_ rate: RateClaim, _ records: [IterationRecord]) -> ExpectationOutcome {
        let points = series(rate.metric, records, from: rate.from, to: rate.to)
        switch rate.order {
        case .linear(let atMost, let atLeast):
            guard let rho = fittedContraction(points) else {
                return ExpectationOutcome(name: rate.label, met: false, detail: "fewer than 3 positive '\(rate.metric)' records in the window")
            }
            let met = (atMost.map { rho <= $0 } ?? true) && (atLeast.map { rho >= $0 } ?? true)
            return ExpectationOutcome(name: rate.label, met: met,
                                      detail: "fitted factor \(String(format: "%.4f", rho)) per iteration over \(points.count) records (iterations \(points.first!.0)...\(points.last!.0))")
        case .quadratic(let constant, let close, let floor):
            var steps = 0, worst = 0.0
            var violation: String?
            for (a, b) in zip(points, points.dropFirst()) where b.0 == a.0 + 1 && a.1 <= close && b.1 > floor {
                steps += 1
                let ratio = b.1 / (a.1 * a.1)
                worst = max(worst, ratio)
                if ratio > constant, violation == nil {
                    violation = "iteration \(b.0): \(format(b.1)) > \(format(constant))·(\(format(a.1)))²"
                }
            }
            if steps == 0 {
                return ExpectationOutcome(name: rate.label, met: false,
                                          detail: "no consecutive steps with '\(rate.metric)' ≤ \(format(close)) and above \(format(floor))")
            }
            if let violation { return ExpectationOutcome(name: rate.label, met: false, detail: violation) }
            return ExpectationOutcome(name: rate.label, met: true,
                                      detail: "\(steps) step(s) with m_{k+1} ≤ \(String(format: "%.3g", worst))·m_k²")
        }
    }

    static func checkMonotone(_ metric: String, _ records: [IterationRecord]) -> ExpectationOutcome {
        let values = records.compactMap { r in r.value(forKey: metric).map { (r.iteration, $0) } }
        let name = "monotone \(metric)"
        guard values.count >= 2 else {
            return ExpectationOutcome(name: name, met: false, detail: "fewer than 2 '\(metric)' records")
        }
        // Round-off slack: a rise of at most 1e-10 of the largest |value| is not a rise
        // (objectives kept incrementally drift in their last digits).
        let slack = 1e-10 * (values.map { abs($0.1) }.filter(\.isFinite).max() ?? 0)
        for (a, b) in zip(values, values.dropFirst()) where !(b.1 <= a.1 + slack) {
            return ExpectationOutcome(name: name, met: false, detail: "rises at iteration \(b.0): \(format(a.1)) → \(format(b.1))")
        }
        return ExpectationOutcome(name: name, met: true, detail: "non-increasing over \(values.count) records")
    }

    static func format(_ v: Double) -> String { String(format: "%.10g", v) }
    func format(_ v: Double) -> String { Expectations.format(v) }
}

/// How a file's golden histories are compared (`expect: {regression: {...}}`); see
/// docs/regression.md. Every tolerance is |a − b| ≤ absolute·scale + relative·max(|a|, |b|),
/// where scale is the largest |value| of that metric in the golden history (at least 1).
package struct RegressionSettings: Sendable, Equatable {
    /// Metrics compared at aligned iterations; nil: every metric the golden file holds.
    package var metrics: [String]?
    package var relative = 1e-6
    package var absolute = 1e-9
    /// Iteration counts may differ by max(iterationsAbsolute, iterationsRelative·expected).
    package var iterationsRelative = 0.1
    package var iterationsAbsolute = 2
    /// Final objective and solution values.
    package var finalRelative = 1e-8
    package var finalAbsolute = 1e-10
    /// Options merged over the file's for regression runs (e.g. a smaller budget).
    package var options = SolveOptions()
    /// A reason to leave the file out of regression runs.
    package var skip: String?

    package init() {}

    package static func == (a: RegressionSettings, b: RegressionSettings) -> Bool {
        a.metrics == b.metrics && a.relative == b.relative && a.absolute == b.absolute
            && a.iterationsRelative == b.iterationsRelative && a.iterationsAbsolute == b.iterationsAbsolute
            && a.finalRelative == b.finalRelative && a.finalAbsolute == b.finalAbsolute && a.options == b.options && a.skip == b.skip
    }
}

/// One checked claim.
public struct ExpectationOutcome: Sendable, Equatable {
    /// The claim's name (`status`, `objective`, `solution.x`, `rate.gap`, …).
    public var name: String
    /// Whether the result bears the claim out.
    public var met: Bool
    /// What was measured.
    public var detail: String
    package init(name: String, met: Bool, detail: String) {
        self.name = name
        self.met = met
        self.detail = detail
    }
}
