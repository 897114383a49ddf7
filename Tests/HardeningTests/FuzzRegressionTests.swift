import Foundation
import LagrangeCore
import LagrangeTestSupport
import ProblemFormats
import Testing

/// Inputs found by `make fuzz` (docs/hardening.md), kept so the fixes stay fixed.
struct FuzzRegressionTests {
    /// libsvm-timeout-a0c40268: 478 bytes naming feature 5 287 841 made the reader build a
    /// dense 8 × 5 287 841 matrix (340 MB) and scan it; now rejected as too sparse.
    static let hugeFeatureIndex = "MS4xMDE2NzMwODQ5IDUyODc4NDE6MC4yMzY0MzI0OTQwMDUxMzQzMwotMC4zMTEyOTY1MzY5MDY4ODg2MyAxOjUuMDcwMjYyMTczNDk2MTMzCjEuMDAyNjIxNzM0OTYxMzMKMS4wOTI1MDM5NjIwODMwNTA4IDE6MC43NjI4NjYyNjQzODU1NjQ4Ci01MjY4CjAuMjY2MjEwOTM4MTIwMjI1MiAxOi03LjQyNjUzNTc1MzY1NjYxMQowLjAzNzEzMjQwOTg4Mjg4ODQwNiAxOi03LjgwNTMwNjcxOTg2NjA2NQowLjYzMjczMzk4NTYxNTkyMjUgMToxLjUzMzk5MzU0ODc5NTk0NzE2CjAzODkwNzQ1MDUgMTo4LjEwMDA1MTQxNjM2MjU5Ci0wLjAyODU2NzI2NzgxMjM2ODAxMyAxOi0zLjkyOTgyMTQ2ODAwOTc4NgowLjA2MzM5MDY2ODAyMzg2MDYAAAAAAAAAAAotMC4wMjg1NjcyNjc4MTIzNjgwMTMgMTotMy45Mjk4MjE0NjgwMDk3ODYKMC4wNjMzOTA2NjgwMjM4NjA2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2IDE6LTkuNDcwMzA5MDIxOTIwNTUzCg=="

    @Test("a LIBSVM file naming a huge feature index is rejected, not densified")
    func libsvmHugeIndex() throws {
        let data = try #require(Data(base64Encoded: Self.hugeFeatureIndex))
        let text = String(decoding: data, as: UTF8.self)
        let error = #expect(throws: InputError.self) { try RegressionDataReader.parseLIBSVM(text, file: "finding.libsvm") }
        #expect(error?.description.contains("too sparse") == true, "\(String(describing: error))")
    }

    @Test("ordinary sparse LIBSVM data is still read")
    func libsvmSparseStillRead() throws {
        let data = try RegressionDataReader.parseLIBSVM("1 3:0.5\n-1 1:2 7:1\n0.5 2:1\n", file: "small.libsvm")
        #expect(data.features.rows == 3 && data.features.columns == 7)
        #expect(data.features.storage[1 * 7 + 6] == 1)
    }

    /// yaml-crash-da39a3ee (the empty input): LeakSanitizer reported a leak inside
    /// Foundation's FileManager.contents(atPath:) for an empty file; the reader itself
    /// answers with an InputError.
    @Test("an empty YAML problem file is an input error")
    func emptyYAML() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-empty-\(UUID().uuidString).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: InputError.self) { try ProblemFileReader.load(path) }
    }
}
