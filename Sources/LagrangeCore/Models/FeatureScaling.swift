import LinearAlgebra

/// A per-feature affine map x ↦ (x − offset) / scale, fitted on training data and stored
/// in a trained model so that predictions see features scaled exactly as in training.
///
/// - `standardize`: offset = mean, scale = population standard deviation (ddof = 0);
/// - `minMax`: offset = min, scale = max − min, so training features land in [0, 1].
///
/// A constant feature (scale 0) gets scale 1, so it maps to 0 instead of dividing by zero.
public struct FeatureScaling: Sendable, Equatable, Codable {
    /// How the offsets and scales are fitted (see ``FeatureScaling``); the raw value is the
    /// spelling in model files.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Offset = mean, scale = population standard deviation: training features get mean 0, variance 1.
        case standardize
        /// Offset = min, scale = max − min: training features land in [0, 1] (`min-max` in files).
        case minMax = "min-max"
    }

    /// The fitting rule the map came from (informational: applying it uses only offsets and scales).
    public var method: Method
    /// The value subtracted from each feature, one per feature (finite).
    public var offsets: [Double]
    /// The divisor of each feature after the offset, one per feature (finite and > 0).
    public var scales: [Double]

    /// A map from stored offsets and scales (a model file); throws when the counts differ, an
    /// offset is not finite, or a scale is not finite or not > 0.
    public init(method: Method, offsets: [Double], scales: [Double]) throws(ModelError) {
        guard offsets.count == scales.count else { throw ModelError("scaling has \(offsets.count) offsets but \(scales.count) scales") }
        guard offsets.allSatisfy(\.isFinite), scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelError("scaling offsets must be finite and scales finite and > 0")
        }
        self.method = method
        self.offsets = offsets
        self.scales = scales
    }

    /// Fits the map on the rows of `features` (the training data).
    public static func fit(_ method: Method, to features: DenseMatrix) -> FeatureScaling {
        let n = features.rows, d = features.columns
        var offsets = Array(repeating: 0.0, count: d)
        var scales = Array(repeating: 1.0, count: d)
        for j in 0..<d {
            switch method {
            case .standardize:
                var mean = 0.0
                for i in 0..<n { mean += features[i, j] }
                mean /= Double(max(n, 1))
                var variance = 0.0
                for i in 0..<n { let t = features[i, j] - mean; variance += t * t }
                variance /= Double(max(n, 1))
                offsets[j] = mean
                let sd = variance.squareRoot()
                scales[j] = sd > 0 && sd.isFinite ? sd : 1
            case .minMax:
                var low = Double.infinity, high = -Double.infinity
                for i in 0..<n { low = min(low, features[i, j]); high = max(high, features[i, j]) }
                offsets[j] = n > 0 ? low : 0
                let range = high - low
                scales[j] = range > 0 && range.isFinite ? range : 1
            }
        }
        return FeatureScaling(validated: method, offsets: offsets, scales: scales)
    }

    private init(validated method: Method, offsets: [Double], scales: [Double]) {
        self.method = method
        self.offsets = offsets
        self.scales = scales
    }

    /// The scaled copy of a matrix whose columns match this map.
    public func apply(to features: DenseMatrix) throws(ModelError) -> DenseMatrix {
        guard features.columns == offsets.count else {
            throw ModelError("data has \(features.columns) features, the scaling was fitted on \(offsets.count)")
        }
        var out = features
        let d = features.columns
        for i in 0..<features.rows {
            for j in 0..<d { out.storage[i * d + j] = (features.storage[i * d + j] - offsets[j]) / scales[j] }
        }
        return out
    }

    /// Scales one row in place (its count must match).
    public func apply(toRow row: inout [Double]) {
        for j in 0..<min(row.count, offsets.count) { row[j] = (row[j] - offsets[j]) / scales[j] }
    }
}

extension RegressionData {
    /// The data with its features mapped by `scaling`.
    public func scaled(by scaling: FeatureScaling) throws(ModelError) -> RegressionData {
        try RegressionData(features: try scaling.apply(to: features), targets: targets)
    }
}
