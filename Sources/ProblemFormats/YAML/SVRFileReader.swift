import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads `kind: svr` YAML files (docs/problem-files.md):
///
/// ```yaml
/// kind: svr
/// train: diabetes.train.libsvm      # LIBSVM, or .csv with `target:` (name or number; default last column)
/// test: diabetes.test.libsvm        # optional: predictions and test MSE in the result
/// kernel: {type: rbf, gamma: 0.05}  # linear | polynomial {degree, gamma, coef0} | rbf {gamma}; γ defaults to 1/d
/// C: 10                             # or lambda: λ, giving C = 1/(2nλ)
/// epsilon: 5
/// bias: true                        # false: the bias-free dual
/// scaling: standardize              # none | standardize | min-max, fitted on the training data
/// ```
enum SVRFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let trainValue = try file.required("train", "a LIBSVM or CSV file of training data")
        var target = RegressionDataReader.TargetColumn.last
        let targetSource = file.value("target")
        if let t = targetSource {
            if let k = try? t.integer() { target = .number(k) } else { target = .name(try t.string()) }
        }
        let trainPath = file.resolve(try trainValue.string())
        var training = try RegressionDataReader.read(trainPath, target: target, targetSource: targetSource)
        var test: RegressionData? = nil
        if let testValue = file.value("test") {
            test = try RegressionDataReader.read(file.resolve(try testValue.string()), featureCount: training.features.columns, target: target,
                                              targetSource: targetSource)
        }
        let d = training.features.columns, n = training.targets.count
        let kernel = try readKernel(file.value("kernel"), featureCount: d)

        let cValue = file.value("C"), lambdaValue = file.value("lambda")
        let box: Double
        switch (cValue, lambdaValue) {
        case (let v?, nil):
            box = try v.number()
            guard box > 0 else { throw v.error("must be > 0") }
        case (nil, let v?):
            let lambda = try v.number()
            guard lambda > 0 else { throw v.error("must be > 0") }
            box = try ProblemFileReader.model(file.path, line: v.line) { () throws(ModelError) in try SVRProblem.boxConstraint(lambda: lambda, sampleCount: n) }
        case (_?, let v?): throw v.error("give either 'C:' or 'lambda:' (C = 1/(2nλ)), not both")
        case (nil, nil): box = 1
        }
        var epsilon = 0.1
        if let v = file.value("epsilon") {
            epsilon = try v.number()
            guard epsilon >= 0 else { throw v.error("must be ≥ 0") }
        }
        let bias = try file.value("bias")?.bool() ?? true

        var scaling: FeatureScaling? = nil
        if let v = file.value("scaling") {
            let text = try v.string()
            switch text {
            case "none": break
            case "standardize": scaling = FeatureScaling.fit(.standardize, to: training.features)
            case "min-max", "minmax", "min_max": scaling = FeatureScaling.fit(.minMax, to: training.features)
            default: throw v.error("expected none, standardize or min-max, found '\(text)'")
            }
        }
        if let scaling {
            training = try ProblemFileReader.model(trainPath) { () throws(ModelError) in try training.scaled(by: scaling) }
            if let t = test { test = try ProblemFileReader.model(file.path) { () throws(ModelError) in try t.scaled(by: scaling) } }
        }
        var problem = try ProblemFileReader.model(file.path) { () throws(ModelError) in
            try SVRProblem(name: file.name, training: training, test: test, kernel: kernel, boxConstraint: box, epsilon: epsilon, bias: bias)
        }
        problem.scaling = scaling
        return file.definition(.supportVectorRegression(problem))
    }

    /// `kernel: {type: rbf, gamma: 0.05}` or just `kernel: linear`. Defaults as in libsvm:
    /// γ = 1/d, degree 3, coef0 0.
    static func readKernel(_ value: YAMLValue?, featureCount d: Int) throws(InputError) -> Kernel {
        guard let value else { return .rbf(gamma: 1 / Double(max(d, 1))) }
        var type: String
        var entries: [(key: String, value: YAMLValue)] = []
        if value.isScalar {
            type = try value.string()
        } else {
            entries = try value.mapping()
            guard let t = entries.first(where: { $0.key == "type" })?.value else { throw value.error("needs 'type:' (linear, polynomial or rbf)") }
            type = try t.string()
        }
        func number(_ key: String) throws(InputError) -> Double? {
            guard let v = entries.first(where: { $0.key == key })?.value else { return nil }
            return try v.number()
        }
        let allowed: [String]
        let kernel: Kernel
        switch type {
        case "linear":
            allowed = ["type"]
            kernel = .linear
        case "polynomial", "poly":
            allowed = ["type", "degree", "gamma", "coef0"]
            let degreeValue = try number("degree") ?? 3
            guard degreeValue == degreeValue.rounded(), degreeValue >= 1, degreeValue <= 100 else { throw value.error("degree must be an integer from 1 to 100") }
            let gamma = try number("gamma") ?? 1 / Double(max(d, 1))
            guard gamma > 0 else { throw value.error("gamma must be > 0") }
            kernel = .polynomial(degree: Int(degreeValue), gamma: gamma, coef0: try number("coef0") ?? 0)
        case "rbf", "gaussian":
            allowed = ["type", "gamma"]
            let gamma = try number("gamma") ?? 1 / Double(max(d, 1))
            guard gamma > 0 else { throw value.error("gamma must be > 0") }
            kernel = .rbf(gamma: gamma)
        default:
            throw value.error("unknown kernel type '\(type)'; expected linear, polynomial or rbf")
        }
        for (key, v) in entries where !allowed.contains(key) {
            throw v.error("unknown kernel key '\(key)' for a \(type) kernel (allowed: \(allowed.joined(separator: ", ")))")
        }
        return kernel
    }
}

/// A bare LIBSVM data file given to `lagrange solve`: ε-SVR with libsvm's defaults
/// (rbf kernel with γ = 1/d, C = 1, ε = 0.1, with intercept). Use a `kind: svr` file to
/// choose other settings.
enum LIBSVMProblemReader {
    static func read(_ path: String) throws(InputError) -> ProblemDefinition {
        let data = try RegressionDataReader.read(path)
        let d = data.features.columns
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let problem = try ProblemFileReader.model(path) { () throws(ModelError) in
            try SVRProblem(name: name, training: data, kernel: .rbf(gamma: 1 / Double(max(d, 1))), boxConstraint: 1, epsilon: 0.1)
        }
        return ProblemDefinition(name: name, problem: .supportVectorRegression(problem), sourcePath: path,
                                 notes: ["LIBSVM data file: libsvm's defaults (rbf, gamma = 1/d, C = 1, epsilon = 0.1) unless options set kernel, C, epsilon, gamma, degree, coef0"])
    }
}
