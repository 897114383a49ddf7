import LagrangeCore
import LinearAlgebra

/// The names of the `linear-system` termination tests, as `converged_by` spells them.
enum LinearSystemTermination {
    /// ‖Ax − b‖ ≤ tol·‖b‖.
    static let residual = ConvergenceTest(rawValue: "residual_norm")
    /// ‖Aᵀ(Ax − b) + λx‖ ≤ tol·‖A‖_F·‖Ax − b‖: a least-squares point.
    static let normalEquations = ConvergenceTest(rawValue: "normal_residual_norm")
    /// ‖x − x_true‖ ≤ tol·‖x_true‖.
    static let error = ConvergenceTest(rawValue: "error_norm")
    /// A direct method's factorization ended (no tolerance is involved).
    static let factorization = ConvergenceTest(rawValue: "factorization")
}

extension IterativeSetup {
    /// The test that the stopping rule passes now, or nil. `normalResidual` is
    /// ‖Aᵀr + λx‖ for methods that converge to the least-squares solution (nil otherwise),
    /// `frobenius` is ‖A‖_F.
    func converged(residual: Double, error: Double?, normalResidual: Double?, frobenius: Double) -> ConvergenceTest? {
        switch stop {
        case .iterations: return nil
        case .error:
            guard let error, let xTrueNorm else { return nil }
            return error <= tolerance * max(xTrueNorm, Double.leastNormalMagnitude) ? LinearSystemTermination.error : nil
        case .residual:
            if residual <= tolerance * bNorm { return LinearSystemTermination.residual }
            if let normalResidual, normalResidual <= tolerance * frobenius * residual { return LinearSystemTermination.normalEquations }
            return nil
        }
    }
}
