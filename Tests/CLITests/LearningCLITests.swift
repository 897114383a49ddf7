import Foundation
import LagrangeTestSupport
import Testing

/// `kind: learning` through the command line: `--model`, `lagrange predict` (labels and
/// the accuracy the reference reports at the optimum), and bad input exiting 2.
@Suite struct LearningCLITests {
    @Test func learningModelRoundTripsThroughPredict() throws {
        let dir = try CLI.temporaryDirectory()
        let solve = try CLI.run(["solve", "problems/learning/iris_softmax.yaml", "--model", dir + "/iris.json", "--format", "json"])
        #expect(solve.exitCode == 0, "\(solve.stderr)")
        #expect(solve.json?["kind"] as? String == "learning")
        // reference.tsv: test accuracy 0.9666666666666667 at the optimum (29 of 30); the
        // printed text is exact, Foundation's JSON parser may be off by an ulp.
        #expect(solve.stdout.contains("\"test_accuracy\":0.9666666666666667"))
        let predict = try CLI.run(["predict", dir + "/iris.json", "problems/learning/data/iris.test.txt"])
        #expect(predict.exitCode == 0, "\(predict.stderr)")
        let labels = predict.stdout.split(separator: "\n").compactMap { Int($0) }
        #expect(labels.count == 30 && labels.allSatisfy { (0...2).contains($0) })
        #expect(predict.stderr.contains("accuracy 0.9666666666666667 (29 of 30 samples)"))

        // A damaged model (one weight too few) and data wider than the model: exit 2, file named.
        var text = try String(contentsOfFile: dir + "/iris.json", encoding: .utf8)
        if let range = text.range(of: "\"weights\":[") {
            let rest = text[range.upperBound...]
            if let comma = rest.firstIndex(of: ",") { text.removeSubrange(range.upperBound...comma) }
        }
        try text.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["predict", dir + "/bad.json", "problems/learning/data/iris.test.txt"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("bad.json") && bad.stderr.contains("weights"))
        try "0 1:1 9:2\n".write(toFile: dir + "/wide.libsvm", atomically: true, encoding: .utf8)
        let wide = try CLI.run(["predict", dir + "/iris.json", dir + "/wide.libsvm"])
        #expect(wide.exitCode == 2)
        #expect(wide.stderr.contains("wide.libsvm:1"))
    }
}
