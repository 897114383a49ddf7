/// One named solver-specific metric in an ``IterationRecord``.
public struct Metric: Sendable, Equatable, Codable {
    /// The metric's snake_case key in JSON and CSV output (a column of the history CSV).
    public var name: String
    /// The metric's value at this iteration.
    public var value: Double
    /// A metric named `name` (snake_case) with value `value`.
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// What a solver reports about one iteration (or one reported step, for backends that
/// only log some). Field names map to snake_case keys in JSON and CSV output.
public struct IterationRecord: Sendable, Equatable, Codable {
    /// The solver's iteration counter (JSON/CSV `iteration`); the registry's iteration limit compares against it.
    public var iteration: Int
    /// Seconds since the solve started; stamped by ``IterationControl``.
    public var seconds: Double
    /// Objective at the iterate, in the problem's own sense (`objective`); nil when not computed.
    public var objective: Double?
    /// Primal infeasibility (constraint violation) at the iterate (`primal_residual`); nil when not reported.
    public var primalResidual: Double?
    /// Dual infeasibility (stationarity violation) at the iterate (`dual_residual`); nil when not reported.
    public var dualResidual: Double?
    /// The solver's optimality gap, e.g. a duality gap or branch-and-bound's incumbent–bound gap
    /// (`gap`); nil when not reported.
    public var gap: Double?
    /// ‖∇f‖ at the iterate (`gradient_norm`); nil when not reported.
    public var gradientNorm: Double?
    /// Length of the step just taken, or the line-search / learning-rate factor (`step_size`); nil when not reported.
    public var stepSize: Double?
    /// Solver-specific metrics, in the order the solver declares them.
    public var extras: [Metric]

    /// A record; `seconds` is overwritten by ``IterationControl/record(_:iterationLimit:)``.
    public init(iteration: Int, seconds: Double = 0, objective: Double? = nil, primalResidual: Double? = nil,
                dualResidual: Double? = nil, gap: Double? = nil, gradientNorm: Double? = nil,
                stepSize: Double? = nil, extras: [Metric] = []) {
        self.iteration = iteration
        self.seconds = seconds
        self.objective = objective
        self.primalResidual = primalResidual
        self.dualResidual = dualResidual
        self.gap = gap
        self.gradientNorm = gradientNorm
        self.stepSize = stepSize
        self.extras = extras
    }

    /// The standard metric keys, in output order.
    package static let standardKeys = ["objective", "primal_residual", "dual_residual", "gap", "gradient_norm", "step_size"]

    /// Value of a metric by its snake_case key (standard or extra).
    package func value(forKey key: String) -> Double? {
        switch key {
        case "iteration": return Double(iteration)
        case "seconds": return seconds
        case "objective": return objective
        case "primal_residual": return primalResidual
        case "dual_residual": return dualResidual
        case "gap": return gap
        case "gradient_norm": return gradientNorm
        case "step_size": return stepSize
        default: return extras.first { $0.name == key }?.value
        }
    }
}

/// The recorded iterations of one solve.
public struct ConvergenceHistory: Sendable, Equatable {
    /// The kept records in iteration order (all, or thinned by `storage`; the last one always kept).
    public private(set) var records: [IterationRecord] = []
    /// The policy that decides which records are kept.
    public let storage: HistoryStorage
    /// How many records the solver produced (kept or not).
    public private(set) var reportedCount = 0
    /// Current stride under `.bounded` thinning.
    private var stride = 1
    /// The latest record, kept aside so the last one survives thinning.
    private var pendingLast: IterationRecord?

    /// An empty history with the given storage policy (default ``HistoryStorage/standard``).
    public init(storage: HistoryStorage = .standard) { self.storage = storage }

    /// Whether records were dropped by thinning.
    public var isThinned: Bool { reportedCount > records.count && storage != .off }

    /// Adds a record according to the storage policy.
    package mutating func append(_ record: IterationRecord) {
        let index = reportedCount
        reportedCount += 1
        switch storage {
        case .off:
            return
        case .all:
            records.append(record)
        case .every(let n):
            if index % n == 0 { records.append(record); pendingLast = nil } else { pendingLast = record }
        case .bounded(let limit):
            if index % stride == 0 {
                records.append(record)
                pendingLast = nil
                if records.count >= limit {
                    // Keep records at even positions (always the first); double the stride.
                    records = records.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                    stride *= 2
                }
            } else {
                pendingLast = record
            }
        }
    }

    /// Flushes the last record if thinning skipped it. Called once when the solve ends.
    package mutating func finish() {
        if let last = pendingLast {
            records.append(last)
            pendingLast = nil
        }
    }

    /// The names of extra metrics in first-seen order.
    package var extraKeys: [String] {
        var keys: [String] = []
        for r in records { for m in r.extras where !keys.contains(m.name) { keys.append(m.name) } }
        return keys
    }

    /// Standard keys that at least one record has.
    package var presentStandardKeys: [String] {
        IterationRecord.standardKeys.filter { key in records.contains { $0.value(forKey: key) != nil } }
    }
}
