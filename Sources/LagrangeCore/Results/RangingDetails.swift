/// Sensitivity ranging of an optimal basic LP solution (`ranging: on`), with GLPK's meanings
/// (`glp_analyze_coef`, `glp_analyze_bound`, `glp_print_ranges`) so that every backend's
/// numbers can be compared.
///
/// - **Objective range of a column** (``objective``): the interval of its cost c_j, in the
///   problem's own sense, over which the current basis stays dual feasible (optimal), all
///   other data fixed. Basic column: the dual ratio test on its row of B⁻¹N
///   (`glp_analyze_coef`'s coef1/coef2); the limiting name is the nonbasic variable whose
///   reduced cost reaches zero first, the one that would enter. Nonbasic column at the bound
///   its reduced cost d_j favours: one side is unbounded and the other ends where d_j reaches
///   zero, at c_j − d_j (the column itself would enter); a nonbasic fixed column's range is
///   (−∞, +∞), a nonbasic free one's [c_j, c_j] (`glp_print_ranges`).
/// - **Right-hand-side range of a row** (``rhs``): nonbasic row (active constraint): the
///   interval of its active bound's value (both bounds together for an equality) over which
///   the basis stays primal feasible (`glp_analyze_bound`'s value1/value2); the limiting
///   name is the basic variable that reaches a bound first, the one that would leave. Basic
///   row (inactive constraint): its activity r does not depend on its bounds, so a bound may
///   move up to r and no further: (−∞, r] for a row with only a lower bound, [r, +∞) with
///   only an upper bound, the interval of the bound nearer r for a row with both (the upper
///   one on a tie), [r, r] for an equality, (−∞, +∞) for a free row; the limiting name at r
///   is the row itself (see ``basicRowRange(activity:lower:upper:)``).
///
/// Unbounded ends are ±infinity (JSON: the project's encoding of non-finite numbers, `null`).
///
/// JSON (docs/cli.md): `"ranging": {"objective": {NAME: [low, high]}, "rhs": {NAME: [low, high]}}`;
/// the limiting names go to the text summary only, one line per column and row, like
/// `glpsol --ranges`.
public struct RangingDetails: ResultDetails, Equatable {
    /// One range: its ends and the limiting variable's name at each finite end.
    public struct Range: Sendable, Equatable {
        /// The lower end of the range; −infinity (JSON `null`) when unbounded below.
        public var low: Double
        /// The upper end of the range; +infinity (JSON `null`) when unbounded above.
        public var high: Double
        /// At `low`: for an objective range the variable that would enter, for a
        /// right-hand-side range the one that would leave; nil at an infinite end.
        public var lowLimit: String?
        /// At `high`: the variable that would enter (objective range) or leave (right-hand-side
        /// range); nil at an infinite end. Text summary only, not in JSON.
        public var highLimit: String?

        /// A range; limiting names default to nil (none known).
        public init(low: Double, high: Double, lowLimit: String? = nil, highLimit: String? = nil) {
            self.low = low
            self.high = high
            self.lowLimit = lowLimit
            self.highLimit = highLimit
        }
    }

    /// One range per column, in the problem's order.
    public var objective: [Range]
    /// One range per row, in the problem's order.
    public var rhs: [Range]
    /// Column names, parallel to `objective`; the keys of the JSON `ranging.objective` object.
    public var columnNames: [String]
    /// Row names, parallel to `rhs`; the keys of the JSON `ranging.rhs` object.
    public var rowNames: [String]

    /// Ranging details from per-column and per-row ranges with their names (parallel arrays).
    public init(objective: [Range], rhs: [Range], columnNames: [String], rowNames: [String]) {
        self.objective = objective
        self.rhs = rhs
        self.columnNames = columnNames
        self.rowNames = rowNames
    }

    public var jsonFields: [String: JSONValue] {
        func named(_ names: [String], _ ranges: [Range]) -> JSONValue {
            var object: [String: JSONValue] = [:]
            for (name, range) in zip(names, ranges) { object[name] = .array([.number(range.low), .number(range.high)]) }
            return .object(object)
        }
        return ["ranging": .object(["objective": named(columnNames, objective), "rhs": named(rowNames, rhs)])]
    }

    public var summaryLines: [String] {
        func number(_ v: Double) -> String { v.isFinite ? "\(v)" : v > 0 ? "+inf" : "-inf" }
        func line(_ what: String, _ name: String, _ range: Range, _ verb: String) -> String {
            var text = "ranging \(what) \(name): [\(number(range.low)), \(number(range.high))]"
            var limits: [String] = []
            if let low = range.lowLimit { limits.append("at low \(low) \(verb)") }
            if let high = range.highLimit { limits.append("at high \(high) \(verb)") }
            if !limits.isEmpty { text += " (" + limits.joined(separator: ", ") + ")" }
            return text
        }
        return zip(columnNames, objective).map { line("objective", $0, $1, "enters") }
            + zip(rowNames, rhs).map { line("rhs", $0, $1, "leaves") }
    }

    // MARK: - Conventions shared by every backend

    /// The right-hand-side range of a basic (inactive) row with activity `activity` and
    /// bounds [`lower`, `upper`]: a basic variable's value does not depend on its own bounds,
    /// so a bound keeps the basis primal feasible until it passes the activity. The limiting
    /// variable at the finite end is the row itself (its slack would leave).
    public static func basicRowRange(activity r: Double, lower: Double, upper: Double, name: String) -> Range {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return Range(low: -.infinity, high: .infinity)
        case (true, false): return Range(low: -.infinity, high: r, highLimit: name)
        case (false, true): return Range(low: r, high: .infinity, lowLimit: name)
        case (true, true):
            if lower == upper { return Range(low: r, high: r, lowLimit: name, highLimit: name) }
            return abs(upper - r) <= abs(r - lower)
                ? Range(low: r, high: .infinity, lowLimit: name)
                : Range(low: -.infinity, high: r, highLimit: name)
        }
    }

    /// The objective range of a nonbasic column with cost `cost` (problem's sense), reduced
    /// cost `reducedCost` (the same sense: ∂objective/∂x_j, as `reduced_costs` reports it)
    /// and basis status `status` (`glp_print_ranges`' rule). A column sitting at the bound
    /// its reduced cost favours stays optimal however far the cost moves in the favouring
    /// direction, and until d_j reaches zero (cost − d_j) in the other; `name` enters there.
    public static func nonbasicColumnRange(cost: Double, reducedCost d: Double, status: BasisStatus,
                                           sense: ObjectiveSense, name: String) -> Range {
        switch status {
        case .fixed: return Range(low: -.infinity, high: .infinity)
        case .free, .basic: return Range(low: cost, high: cost, lowLimit: name, highLimit: name)
        case .atLower, .atUpper:
            // Minimizing at a lower bound (maximizing at an upper one) d_j ≥ 0 is optimal:
            // raising the cost only makes it more so.
            if (status == .atLower) == (sense == .minimize) {
                return Range(low: cost - d, high: .infinity, lowLimit: name)
            }
            return Range(low: -.infinity, high: cost - d, highLimit: name)
        }
    }
}
