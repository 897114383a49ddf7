import LagrangeCore

/// The learning methods' termination. Full-batch methods are the smooth family's plugins
/// and stop by ``SmoothTermination`` (tolerance 1e-7 unless given,
/// ``FullBatchLearning/defaultTolerance``); the minibatch methods test, after each epoch,
/// the same gradient test on the full objective (recorded as
/// ``SmoothTermination/gradientNorm``), then early stopping on the test loss (`patience`),
/// then the epoch limit (``MinibatchTrainer``).
enum LearningTermination {
    /// ‖∇f‖ ≤ tolerance·max(1, |f|): the smooth family's gradient test, bit for bit.
    static func gradientTest(gradientNorm: Double, f: Double, tolerance: Double) -> Bool {
        Tolerance.mixed(tolerance).accepts(gradientNorm, scale: abs(f))
    }
}
