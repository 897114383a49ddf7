import LinearAlgebra

/// A kernel k(u, v) for support vector regression.
public enum Kernel: Sendable, Equatable {
    /// uᵀv
    case linear
    /// (γ uᵀv + coef0)^degree
    case polynomial(degree: Int, gamma: Double, coef0: Double)
    /// exp(−γ ‖u − v‖²)
    case rbf(gamma: Double)
}

/// A regression data set: n samples of d features (dense rows) and targets.
public struct RegressionData: Sendable, Equatable {
    /// n × d feature matrix, one sample per row, all finite.
    public private(set) var features: DenseMatrix
    /// The n target values yᵢ, all finite.
    public private(set) var targets: [Double]

    /// Throws when there are no samples, the target count is not the row count, or a value is not finite.
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
    /// The problem's name (the file's `name:`), used in results; may be empty.
    public var name: String
    /// The samples the model is trained on (already scaled when `scaling` is set).
    public private(set) var training: RegressionData
    /// Held-out samples for `test_mse` and `predictions`; nil without `test:`.
    public private(set) var test: RegressionData?
    /// The kernel k(u, v) (`kernel:` in problem files).
    public private(set) var kernel: Kernel
    /// C > 0 (`C:`): the box 0 ≤ αᵢ, αᵢ* ≤ C with bias, |βᵢ| ≤ C without.
    public private(set) var boxConstraint: Double
    /// ε ≥ 0 (`epsilon:`): the half-width of the tube in which errors cost nothing.
    public private(set) var epsilon: Double
    /// Whether the model has an intercept (libsvm's form, `bias: true`, the default) or is the bias-free dual.
    public private(set) var bias: Bool
    /// The feature scaling already applied to `training` and `test` (fitted on the
    /// training data); a trained model stores it so it can predict from raw features.
    public var scaling: FeatureScaling? = nil

    /// Throws unless C > 0, ε ≥ 0, the kernel parameters are valid (degree ≥ 1, γ > 0) and the
    /// test data has the training data's feature count.
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
    package static func boxConstraint(lambda: Double, sampleCount: Int) throws(ModelError) -> Double {
        guard lambda.isFinite, lambda > 0 else { throw ModelError("lambda must be finite and > 0, got \(lambda)") }
        guard sampleCount > 0 else { throw ModelError("the data set has no samples") }
        return 1 / (2 * Double(sampleCount) * lambda)
    }
}

extension SVRProblem {
    /// The model parameters that options may set (`-o kernel=linear -o C=1 -o epsilon=0.2
    /// -o gamma=0.5`, as `svm-train -s 3 -t 0 -c 1 -p 0.2` does): a bare `.libsvm` file has
    /// no other place for them, and in a problem file they override its keys.
    package static let modelOptionNames = ["kernel", "C", "epsilon", "gamma", "degree", "coef0"]

    /// This problem with the model parameters of `options` applied. A kernel named without
    /// its parameters takes libsvm's defaults (γ = 1/d, degree 3, coef0 0), or the current
    /// kernel's where it has them.
    package func overriding(_ options: [String: OptionValue]) throws(SolverError) -> SVRProblem {
        func number(_ name: String) throws(SolverError) -> Double? {
            guard let v = options[name] else { return nil }
            guard let d = v.doubleValue, d.isFinite else { throw .invalidOption(name: name, reason: "expected a number, got '\(v)'") }
            return d
        }
        let d = max(training.features.columns, 1)
        var (type, gamma, degree, coef0): (String, Double, Double, Double)
        switch kernel {
        case .linear: (type, gamma, degree, coef0) = ("linear", 1 / Double(d), 3, 0)
        case let .rbf(g): (type, gamma, degree, coef0) = ("rbf", g, 3, 0)
        case let .polynomial(p, g, c): (type, gamma, degree, coef0) = ("polynomial", g, Double(p), c)
        }
        if let named = options["kernel"]?.description {
            guard ["linear", "rbf", "polynomial"].contains(named) else {
                throw .invalidOption(name: "kernel", reason: "expected linear, rbf or polynomial, got '\(named)'")
            }
            if named != type { (gamma, degree, coef0) = (1 / Double(d), 3, 0) }
            type = named
        }
        gamma = try number("gamma") ?? gamma
        degree = try number("degree") ?? degree
        coef0 = try number("coef0") ?? coef0
        guard degree == degree.rounded(), degree >= 1, degree <= 100 else { throw .invalidOption(name: "degree", reason: "must be an integer from 1 to 100") }
        let newKernel: Kernel = type == "linear" ? .linear : type == "rbf" ? .rbf(gamma: gamma) : .polynomial(degree: Int(degree), gamma: gamma, coef0: coef0)
        let box = try number("C") ?? boxConstraint, tube = try number("epsilon") ?? epsilon
        var copy: SVRProblem
        do {
            copy = try SVRProblem(name: name, training: training, test: test, kernel: newKernel, boxConstraint: box, epsilon: tube, bias: bias)
        } catch {
            throw .invalidOption(name: "kernel", reason: error.message)
        }
        copy.scaling = scaling
        return copy
    }
}
