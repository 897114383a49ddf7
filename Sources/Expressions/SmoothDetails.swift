import LagrangeCore

/// Result fields of smooth solves, shared by the native and GSL backends (they live here, in
/// the module both depend on, because backends do not import each other).
public struct SmoothDetails: ResultDetails {
    /// ‖∇f‖₂ at the returned point.
    public var gradientNorm: Double
    /// Evaluations of f.
    public var functionEvaluations: Int
    /// Evaluations of ∇f.
    public var gradientEvaluations: Int
    /// Evaluations of the Hessian.
    public var hessianEvaluations: Int

    package init(gradientNorm: Double, functionEvaluations: Int, gradientEvaluations: Int, hessianEvaluations: Int) {
        self.gradientNorm = gradientNorm
        self.functionEvaluations = functionEvaluations
        self.gradientEvaluations = gradientEvaluations
        self.hessianEvaluations = hessianEvaluations
    }

    public var jsonFields: [String: JSONValue] {
        ["gradient_norm": .number(gradientNorm), "function_evaluations": .number(Double(functionEvaluations)),
         "gradient_evaluations": .number(Double(gradientEvaluations)), "hessian_evaluations": .number(Double(hessianEvaluations))]
    }

    public var summaryLines: [String] {
        ["gradient norm: \(gradientNorm)",
         "evaluations: \(functionEvaluations) f, \(gradientEvaluations) gradient, \(hessianEvaluations) Hessian"]
    }
}

