import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Kernel evaluation and coding

extension Kernel {
    /// k(u, v) for two feature vectors of the same length (libsvm's definitions):
    /// linear uᵀv, polynomial (γ uᵀv + coef0)^degree, rbf exp(−γ‖u − v‖²).
    /// Inlinable: SMO's kernel cache calls it for every entry it fills.
    @inlinable
    package func value(_ u: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>) -> Double {
        let d = min(u.count, v.count)
        switch self {
        case .linear:
            var s = 0.0
            for k in 0..<d { s += u[k] * v[k] }
            return s
        case let .polynomial(degree, gamma, coef0):
            var s = 0.0
            for k in 0..<d { s += u[k] * v[k] }
            return Kernel.power(gamma * s + coef0, degree)
        case let .rbf(gamma):
            var s = 0.0
            for k in 0..<d { let t = u[k] - v[k]; s += t * t }
            return exp(-gamma * s)
        }
    }

    /// k(u, v) for two arrays.
    package func value(_ u: [Double], _ v: [Double]) -> Double {
        u.withUnsafeBufferPointer { a in v.withUnsafeBufferPointer { b in value(a, b) } }
    }

    /// xⁿ by repeated squaring (libsvm's powi), exact for the small degrees used here.
    @inlinable
    package static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0, b = base, e = exponent
        while e > 0 {
            if e & 1 == 1 { result *= b }
            b *= b
            e >>= 1
        }
        return result
    }

    /// The kernel's name in files: `linear`, `polynomial`, `rbf`.
    public var typeName: String {
        switch self {
        case .linear: return "linear"
        case .polynomial: return "polynomial"
        case .rbf: return "rbf"
        }
    }
}

extension Kernel: Codable {
    private enum CodingKeys: String, CodingKey { case type, degree, gamma, coef0 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "linear": self = .linear
        case "polynomial", "poly":
            self = .polynomial(degree: try c.decode(Int.self, forKey: .degree), gamma: try c.decode(Double.self, forKey: .gamma),
                               coef0: try c.decode(Double.self, forKey: .coef0))
        case "rbf": self = .rbf(gamma: try c.decode(Double.self, forKey: .gamma))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown kernel type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(typeName, forKey: .type)
        switch self {
        case .linear: break
        case let .polynomial(degree, gamma, coef0):
            try c.encode(degree, forKey: .degree)
            try c.encode(gamma, forKey: .gamma)
            try c.encode(coef0, forKey: .coef0)
        case let .rbf(gamma):
            try c.encode(gamma, forKey: .gamma)
        }
    }
}

// MARK: - Trained model

/// A trained ε-SVR model: f(x) = Σᵢ βᵢ k(xᵢ, s(x)) + b over the support vectors xᵢ, where
/// s is the feature scaling fitted on the training data (identity without one).
///
/// Support vectors are stored already scaled; ``predict(_:)`` takes raw features. For a
/// linear kernel the weights w = Σ βᵢ xᵢ may be stored instead of (or besides) the support
/// vectors, and are then used: f(x) = wᵀs(x) + b. Codable as JSON (snake_case keys) by
/// `SVRModelFile` in ProblemFormats.
public struct SVRModel: Sendable, Equatable, Codable {
    /// Format tag written to model files.
    package static let formatName = "lagrange-svr-model"
    package static let formatVersion = 1

    /// Format tag, always `lagrange-svr-model`.
    public var format: String = SVRModel.formatName
    /// File format version; 1 is the only one written and read.
    public var version: Int = SVRModel.formatVersion
    /// The kernel k(u, v) the model was trained with; prediction uses the same one.
    public var kernel: Kernel
    /// Number of features the model expects.
    public var featureCount: Int
    /// b (libsvm's −ρ); 0 for the bias-free form.
    public var intercept: Double
    /// Whether the model was trained with an intercept (libsvm's form).
    public var bias: Bool
    /// Support vectors (scaled), one row each, `featureCount` entries per row.
    public var supportVectors: [[Double]]
    /// βᵢ = αᵢ − αᵢ* of each support vector (scikit-learn's `dual_coef_`).
    public var dualCoefficients: [Double]
    /// w = Σ βᵢ xᵢ for linear models (used for prediction when present).
    public var linearWeights: [Double]?
    /// The feature scaling fitted on the training data, applied to raw features before
    /// prediction; nil: features are used as given.
    public var scaling: FeatureScaling?

    private enum CodingKeys: String, CodingKey {
        case format, version, kernel, intercept, bias, scaling
        case featureCount = "feature_count"
        case supportVectors = "support_vectors"
        case dualCoefficients = "dual_coefficients"
        case linearWeights = "linear_weights"
    }

    /// A model from trained parameters; throws when sizes disagree with `featureCount` or a
    /// value is not finite.
    public init(kernel: Kernel, featureCount: Int, intercept: Double, bias: Bool, supportVectors: [[Double]],
                dualCoefficients: [Double], linearWeights: [Double]? = nil, scaling: FeatureScaling? = nil) throws(ModelError) {
        self.kernel = kernel
        self.featureCount = featureCount
        self.intercept = intercept
        self.bias = bias
        self.supportVectors = supportVectors
        self.dualCoefficients = dualCoefficients
        self.linearWeights = linearWeights
        self.scaling = scaling
        try validate()
    }

    /// Checks the invariants a model read from a file must satisfy.
    package func validate() throws(ModelError) {
        guard format == SVRModel.formatName else { throw ModelError("not a Lagrange SVR model (format '\(format)')") }
        guard version == SVRModel.formatVersion else { throw ModelError("model format version \(version) is not supported (expected \(SVRModel.formatVersion))") }
        // A model over no features predicts a constant; a file saying so is broken (and
        // would otherwise be blamed on the data it is applied to).
        guard featureCount >= 1 else { throw ModelError("feature_count must be ≥ 1, found \(featureCount)") }
        guard supportVectors.count == dualCoefficients.count else {
            throw ModelError("\(supportVectors.count) support vectors but \(dualCoefficients.count) dual coefficients")
        }
        if let i = supportVectors.firstIndex(where: { $0.count != featureCount }) {
            throw ModelError("support vector \(i + 1) has \(supportVectors[i].count) features, expected \(featureCount)")
        }
        guard intercept.isFinite, dualCoefficients.allSatisfy(\.isFinite), supportVectors.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw ModelError("the model holds non-finite numbers")
        }
        if let w = linearWeights {
            guard kernel == .linear else { throw ModelError("linear_weights are only valid with a linear kernel") }
            guard w.count == featureCount, w.allSatisfy(\.isFinite) else { throw ModelError("linear_weights must have \(featureCount) finite entries") }
        }
        if let s = scaling, s.offsets.count != featureCount {
            throw ModelError("scaling has \(s.offsets.count) features, the model \(featureCount)")
        }
        switch kernel {
        case .linear: break
        case let .polynomial(degree, gamma, coef0):
            guard degree >= 1, gamma.isFinite, gamma > 0, coef0.isFinite else { throw ModelError("polynomial kernel needs degree ≥ 1, γ > 0, finite coef0") }
        case let .rbf(gamma):
            guard gamma.isFinite, gamma > 0 else { throw ModelError("rbf kernel needs γ > 0") }
        }
    }

    /// f(x) for one sample of raw (unscaled) features.
    public func predict(_ features: [Double]) throws(ModelError) -> Double {
        guard features.count == featureCount else { throw ModelError("sample has \(features.count) features, the model expects \(featureCount)") }
        var row = features
        scaling?.apply(toRow: &row)
        return predict(scaledRow: row)
    }

    /// f(x) for every row of raw (unscaled) features.
    public func predict(_ data: DenseMatrix) throws(ModelError) -> [Double] {
        guard data.columns == featureCount else { throw ModelError("data has \(data.columns) features, the model expects \(featureCount)") }
        let scaled = try scaling.map { s throws(ModelError) in try s.apply(to: data) } ?? data
        return predict(scaledFeatures: scaled)
    }

    /// f(x) for every row of features that are already scaled (the solver's test data).
    package func predict(scaledFeatures data: DenseMatrix) -> [Double] {
        (0..<data.rows).map { predict(scaledRow: data.row($0)) }
    }

    /// f(x) for one already-scaled row.
    package func predict(scaledRow row: [Double]) -> Double {
        if let w = linearWeights {
            var s = intercept
            for k in 0..<min(w.count, row.count) { s += w[k] * row[k] }
            return s
        }
        var s = 0.0
        row.withUnsafeBufferPointer { x in
            for (sv, coefficient) in zip(supportVectors, dualCoefficients) {
                s += coefficient * sv.withUnsafeBufferPointer { kernel.value($0, x) }
            }
        }
        return s + intercept
    }
}
