import LagrangeCore

/// `native.smo`'s options, validated once: the KKT tolerance (`tolerance`, libsvm's `-e`),
/// the kernel-column cache budget (`cache_mb`) and shrinking (`shrinking`).
struct SMOSettings {
    var tolerance = SMOSolver.defaultTolerance
    var cacheMegabytes = SMOSolver.defaultCacheMegabytes
    var shrinking = true

    init(options: SolveOptions) throws(SolverError) {
        tolerance = options.tolerance ?? SMOSolver.defaultTolerance
        cacheMegabytes = try options.number("cache_mb", default: SMOSolver.defaultCacheMegabytes)
        guard cacheMegabytes > 0 else { throw .invalidOption(name: "cache_mb", reason: "must be > 0, got \(cacheMegabytes)") }
        shrinking = try options.flag("shrinking", default: true)
    }

    static let optionSpecs = [
        OptionSpec("cache_mb", default: "200", "kernel-column cache budget in MiB (LRU; at least two columns)"),
        OptionSpec("shrinking", default: "true", "libsvm's shrinking heuristic (form with bias)"),
    ]
}

/// `native.linear-svr`'s options, validated once: the KKT tolerance (`tolerance`, default
/// 1e-3) and the value of the constant feature that carries the intercept (`bias_feature`,
/// liblinear's `-B`).
struct LinearSVRSettings {
    var tolerance = SMOSolver.defaultTolerance
    var biasFeature = 1.0

    init(options: SolveOptions) throws(SolverError) {
        tolerance = options.tolerance ?? SMOSolver.defaultTolerance
        biasFeature = try options.number("bias_feature", default: 1)
        guard biasFeature > 0 else { throw .invalidOption(name: "bias_feature", reason: "must be > 0, got \(biasFeature)") }
    }

    static let optionSpecs = [
        OptionSpec("bias_feature", default: "1", "value B of the constant feature that carries the intercept when bias: true (liblinear's -B)"),
    ]
}
