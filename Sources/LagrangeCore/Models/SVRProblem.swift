import LinearAlgebra

/// A kernel k(u, v) for support vector regression.
public enum Kernel: Sendable, Equatable {
    case linear
    /// (γ uᵀv + coef0)^degree
    case polynomial(degree: Int, gamma: Double, coef0: Double)
    /// exp(−γ ‖u − v‖²)
    case rbf(gamma: Double)
}

/// A regression data set: n samples of d features (dense rows) and targets.
public struct RegressionData: Sendable, Equatable {
    public private(set) var features: DenseMatrix
    public private(set) var targets: [Double]

    public init(features: DenseMatrix, targets: [Double]) throws(ModelError) {
        guard features.rows > 0 else { throw ModelError("the data set has no samples") }
        guard targets.count == features.rows else {
            throw ModelError("\(targets.count) targets for \(features.rows) samples")
        }
        if let bad = features.storage.firstIndex(where: { !$0.isFinite }) {
            throw ModelError("feature \(bad % max(1, features.columns) + 1) of sample \(bad / max(1, features.columns) + 1) is not finite")
        }
        if let bad = targets.firstIndex(where: { !$0.isFinite }) { throw ModelError("target of sample \(bad + 1) is not finite") }
        self.features = features
        self.targets = targets
    }
}

/// ε-support vector regression (`kind: svr`).
///
/// With `bias == true` it is libsvm's form (intercept b, Σβ = 0, 0 ≤ α, α* ≤ C); with
/// `bias == false` the bias-free dual min ½βᵀKβ − βᵀy + ε‖β‖₁, |βᵢ| ≤ C.
public struct SVRProblem: Sendable, Equatable {
    public var name: String
    public private(set) var training: RegressionData
    public private(set) var test: RegressionData?
    public private(set) var kernel: Kernel
    public private(set) var boxConstraint: Double
    public private(set) var epsilon: Double
    public private(set) var bias: Bool
    /// The feature scaling already applied to `training` and `test` (fitted on the
    /// training data); a trained model stores it so it can predict from raw features.
    public var scaling: FeatureScaling? = nil

    public init(name: String = "", training: RegressionData, test: RegressionData? = nil, kernel: Kernel,
                boxConstraint: Double, epsilon: Double, bias: Bool = true) throws(ModelError) {
        guard boxConstraint.isFinite, boxConstraint > 0 else { throw ModelError("C must be finite and > 0, got \(boxConstraint)") }
        guard epsilon.isFinite, epsilon >= 0 else { throw ModelError("epsilon must be finite and ≥ 0, got \(epsilon)") }
        if let test, test.features.columns != training.features.columns {
            throw ModelError("test data has \(test.features.columns) features, training data \(training.features.columns)")
        }
        switch kernel {
        case .linear: break
        case let .polynomial(degree, gamma, coef0):
            guard degree >= 1, gamma.isFinite, gamma > 0, coef0.isFinite else { throw ModelError("polynomial kernel needs degree ≥ 1, γ > 0, finite coef0") }
        case let .rbf(gamma):
            guard gamma.isFinite, gamma > 0 else { throw ModelError("rbf kernel needs γ > 0, got \(gamma)") }
        }
        self.name = name
        self.training = training
        self.test = test
        self.kernel = kernel
        self.boxConstraint = boxConstraint
        self.epsilon = epsilon
        self.bias = bias
    }
}

extension SVRProblem {
    /// The box bound C of the λ-parametrization |βᵢ| ≤ 1/(2nλ) for n training samples.
    public static func boxConstraint(lambda: Double, sampleCount: Int) throws(ModelError) -> Double {
        guard lambda.isFinite, lambda > 0 else { throw ModelError("lambda must be finite and > 0, got \(lambda)") }
        guard sampleCount > 0 else { throw ModelError("the data set has no samples") }
        return 1 / (2 * Double(sampleCount) * lambda)
    }
}
