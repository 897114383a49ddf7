/// `native.kkt`'s one test: a direct solve counts as solved when its KKT residual
/// ‖rhs − K[x; μ]‖∞ is finite and within the tolerance
/// (``EqualityConstrainedQP/kktResidualTolerance``); otherwise the singular-case diagnosis
/// decides (``KKTMethod``).
enum KKTTermination {
    static func solved(residual: Double, tolerance: Double) -> Bool {
        residual.isFinite && residual <= tolerance
    }
}
