/// An objective f: ℝⁿ → ℝ with derivatives, for `kind: smooth`.
///
/// Library users conform a type (or use a closure-backed one); the Expressions module
/// provides one compiled from a formula. Implementations must be safe to call from the
/// solving thread (they are `Sendable` and should hold no shared mutable state).
public protocol SmoothObjective: Sendable {
    /// Number of variables.
    var dimension: Int { get }
    /// f(x).
    func value(at x: [Double]) -> Double
    /// ∇f(x), written into `gradient` (count == dimension); returns f(x).
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double
    /// The Hessian ∇²f(x) as a dense row-major n×n array, or nil if unavailable.
    func hessian(at x: [Double]) -> [Double]?
    /// The same, giving up with nil as soon as `shouldStop` answers true (the caller's time
    /// limit or cancellation), for objectives whose Hessian takes long to form: an
    /// expression's is n Hessian–vector products, about a second for n = 3000. The default
    /// forms it in one piece with ``hessian(at:)``.
    func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]?
    /// ∇²f(x)·v, or nil if unavailable (the default multiplies the dense Hessian when there is one).
    func hessianVectorProduct(at x: [Double], direction v: [Double]) -> [Double]?
    /// Whether f is known to be convex (e.g. a quadratic with a positive semidefinite Hessian).
    /// Solvers report `optimal` rather than `locally_optimal` for a stationary point of a
    /// known-convex objective. Default false (unknown).
    var isConvex: Bool { get }
    /// Whether f is known to be concave (the same, for maximization). Default false.
    var isConcave: Bool { get }
    /// Whether ``hessian(at:)`` is exact (automatic differentiation or a user-supplied
    /// Hessian) rather than finite differences. Second-order conditions at a stationary point
    /// are checked only with an exact Hessian. Default false.
    var hasExactHessian: Bool { get }
}

extension SmoothObjective {
    /// No Hessian unless the objective provides one.
    public func hessian(at x: [Double]) -> [Double]? { nil }
    /// The Hessian, for objectives that cannot stop early: ignores `shouldStop`.
    public func hessian(at x: [Double], shouldStop: () -> Bool) -> [Double]? { hessian(at: x) }
    /// False unless the objective knows it is convex.
    public var isConvex: Bool { false }
    /// False unless the objective knows it is concave.
    public var isConcave: Bool { false }
    /// False unless the objective provides an exact Hessian.
    public var hasExactHessian: Bool { false }
    /// H v from the Hessian when there is one, else nil.
    public func hessianVectorProduct(at x: [Double], direction v: [Double]) -> [Double]? {
        guard let h = hessian(at: x) else { return nil }
        let n = dimension
        guard h.count == n * n, v.count == n else { return nil }
        var result = Array(repeating: 0.0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += h[i * n + j] * v[j] }
            result[i] = s
        }
        return result
    }
}

/// Minimize (or maximize) a smooth objective from a start point.
public struct SmoothProblem: Sendable {
    /// The problem's name, used in results and messages.
    public var name: String
    /// Whether the objective is minimized or maximized.
    public var sense: ObjectiveSense
    /// One name per variable (x1, x2, … by default).
    public var variableNames: [String]
    /// The starting point, one value per variable.
    public var start: [Double]
    /// f, with its gradient (and Hessian where it has one).
    public var objective: any SmoothObjective
    /// The formula, when the objective came from one (for output only).
    public var formula: String?

    /// An unconstrained problem: optimize `objective` from `start`; throws when their dimensions disagree.
    public init(name: String = "", sense: ObjectiveSense = .minimize, variableNames: [String]? = nil,
                start: [Double], objective: any SmoothObjective, formula: String? = nil) throws(ModelError) {
        let n = objective.dimension
        guard n > 0 else { throw ModelError("the objective has no variables") }
        guard start.count == n else { throw ModelError("start point has \(start.count) entries but the objective has \(n) variables") }
        for (i, v) in start.enumerated() where !v.isFinite { throw ModelError("start value \(i + 1) is not finite") }
        let names = variableNames ?? (0..<n).map { "x\($0 + 1)" }
        guard names.count == n else { throw ModelError("\(names.count) variable names for \(n) variables") }
        if let duplicate = LinearProgram.firstDuplicate(names) { throw ModelError("duplicate variable name '\(duplicate)'") }
        self.name = name
        self.sense = sense
        self.variableNames = names
        self.start = start
        self.objective = objective
        self.formula = formula
    }
}
