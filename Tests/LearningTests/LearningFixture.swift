import Lagrange
import LagrangeTestSupport

/// The copies of ../shared/data/learning in Tests/Fixtures/learning, and their reference
/// values (reference.tsv: f* from SciPy's L-BFGS-B refined by Newton, the scikit-learn SGD
/// reference after 20 epochs, accuracies at the optimum).
enum LearningFixture {
    struct Reference {
        var problem: String
        var model: String
        var trainCount: Int
        var featureCount: Int
        var classes: Int?
        var lambda: Double
        var fStar: Double
        var sgd20: Double
        var testAccuracy: Double?
        var testMSE: Double?
    }

    static func references() throws -> [String: Reference] {
        var out: [String: Reference] = [:]
        for row in try Fixtures.tsv(Fixtures.path("learning/reference.tsv")) {
            guard let name = row["problem"], let fStar = Double(row["f_star"] ?? ""), let sgd = Double(row["sgd_20_epochs_objective"] ?? ""),
                  let n = Int(row["n_train"] ?? ""), let d = Int(row["d"] ?? ""), let lambda = Double(row["lambda"] ?? "") else { continue }
            out[name] = Reference(problem: name, model: row["model"] ?? "", trainCount: n, featureCount: d, classes: Int(row["classes"] ?? ""),
                                  lambda: lambda, fStar: fStar, sgd20: sgd, testAccuracy: Double(row["test_accuracy"] ?? ""),
                                  testMSE: Double(row["test_mse"] ?? ""))
        }
        return out
    }

    static func reference(_ name: String) throws -> Reference {
        guard let r = try references()[name] else { throw InputError(file: "reference.tsv", "no row for \(name)") }
        return r
    }

    /// The problem files copied into the project (all but digits and synth_linear, which
    /// are too large for debug-build tests; the benchmark reads those from the shared folder).
    static let smallProblems = [
        "breast_cancer_logistic_l2_1e-2", "breast_cancer_logistic_l2_1e-4", "breast_cancer_hinge_l2_1e-2",
        "diabetes_linear_l2_1e-2", "diabetes_linear_l2_1e-4", "wine_softmax_l2_1e-2",
        "iris_softmax_l2_1e-2", "iris_softmax_l2_1e-4",
    ]

    static func load(_ name: String) throws -> ProblemDefinition {
        try ProblemFileReader.load(Fixtures.path("learning/\(name).yaml"))
    }

    static func learning(_ name: String) throws -> LearningProblem {
        guard case .learning(let p) = try load(name).problem else { throw InputError(file: name, "not a learning problem") }
        return p
    }

    /// |f − f*| ≤ 1e-6·max(1, |f*|), the full-batch tolerance.
    static func reachesOptimum(_ f: Double, _ fStar: Double) -> Bool { abs(f - fStar) <= 1e-6 * max(1, abs(fStar)) }

    static func options(_ pairs: [String: OptionValue], epochs: Int? = nil, seed: UInt64? = nil) -> SolveOptions {
        var o = SolveOptions()
        o.parameters = pairs
        o.maxIterations = epochs
        o.seed = seed
        return o
    }

    /// The error `body` throws, or nil.
    static func caught(_ body: () throws -> Void) -> (any Error)? {
        do { try body() } catch { return error }
        return nil
    }
}
