import LagrangeCore

/// Result fields of smooth solves, shared by the native and GSL backends (they live here, in
/// the module both depend on, because backends do not import each other).
public struct SmoothDetails: ResultDetails {
    public var gradientNorm: Double
    public var functionEvaluations: Int
    public var gradientEvaluations: Int
    public var hessianEvaluations: Int

    public init(gradientNorm: Double, functionEvaluations: Int, gradientEvaluations: Int, hessianEvaluations: Int) {
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

