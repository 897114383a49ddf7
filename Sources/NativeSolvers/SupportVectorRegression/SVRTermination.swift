/// The SVR methods' termination: each stops with `optimal` when the maximal KKT violation
/// of its dual is below `tolerance` (default 1e-3, libsvm's `-e`). With bias
/// (``PairwiseSMO``) that is the maximal violating pair's gap m(α) − M(α), measured in its
/// working-set selection; without bias (``BiasFreeCoordinateDescent``,
/// ``LinearSVRDualCoordinateDescent``) the largest minimal-norm subgradient entry below.
enum SVRTermination {
    /// The minimal-norm element of the subdifferential (projected onto the box's normal
    /// cone) of the objective in coordinate i: 0 exactly at a KKT point.
    @inline(__always)
    static func violation(beta: Double, residual r: Double, epsilon: Double, box c: Double) -> Double {
        if beta == 0 { return max(0, abs(r) - epsilon) }
        if beta >= c { return max(0, r + epsilon) }
        if beta <= -c { return max(0, -(r - epsilon)) }
        return beta > 0 ? abs(r + epsilon) : abs(r - epsilon)
    }

    /// Whether the bias-free methods' largest violation has fallen below the tolerance.
    static func converged(maxViolation: Double, tolerance: Double) -> Bool {
        maxViolation < tolerance
    }
}
