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

    /// libsvm-timeout-2e2f8b22 (1 146 bytes, found in a 10-minute run): 30 samples naming
    /// feature 99 148 asked for 3 M dense entries from 30 values. Under the old 2²² floor
    /// that was allowed and took seconds in the instrumented build; the floor is now 2¹⁶.
    static let sparseWideFile = "CgoKCgoKCjU0Ci0wLjExOTg0NjIxNDUwOTc1NDIgMTo5LjI3MzQxNzQ1Njg5OTQxNgowLjk3MzU1MzQ4OTAwMjk4MDcgMTotMC4zNTU3NTIyMzYwMTMyNzAxCjAuMDI0MzQ4MzQ1MzUwNTQwMzQgMTotOS41MTAxODY0NTAxMzI3MzYKLTAuMDMxNTIzMzk2NDA2MjgyNiAxOjYuNTM2NTA2NTkxMTM0NDIyNQowLjA2NTY5OTMxMDg0NzY0MDUyIDE6My4yMDcxMDc2MTA0MTA0Njc3CjAuNzM0NTU5Mzg3MTU2MjQ0NiAxOi0xLjU3NjIyMzcxNTQyMDg5NDcKMC4xNDEyMzg0MjYzMjk4Mjc3IDE6LTcuODgxNTc1MjY1ODUzNTExCjAuMjk4NTA5OTQ4MDMzODMwNSAxOi0yLjM5MTUxNDYwMjI2OTM1MzQKLTAuMTcyMjY4NzM1MTE2MTY1MjUgMTotNC44NDM5Mzc2MjAwNjUyNjkKMC4yNjYyMTAyNDA5ODgyODg4NDA2IDE6LTcuODA1MzA2NzE5ODY2MDY1CjAuNjMyNzMzOTg1NjE1OTIyNSAxOjEuNTMzOTk0MzI1MDU5MDQwOQotMC4wNTMwMzQ2NjI3Nzc3ODAxMiAxOjkuNDMzNzk5NTEyMzk1MDk0CjAuMDM3NDY0NDc4MTAzODg1ODEgMTo1LjgyMjY3ODk2MzQ1NjEwNgowLjUyODE5NTc5ODY3MjE1NjUgMToxLjkzOTc1NDYxMDQ3NTEyODkKMS4xNTExNjQ2MjczNDQgOTkxNDg6LTAuMjMxMDE1NDU4Mjg5NTIyOTcKLTAuMDM3MTEzMDUzMDEzMzA4MSAxOjUuNzAxNzA1ODUxOTM5MTgxCjAuMDIwOTMxMzYzODI2MDg3NTYgMTo5LjI5OTM1NDg3OTU5NDcxNgowLjM4OTYwMjA5MTY2MDg5NjI3IDE6LTEuOTY3Mjc1NTIyMjI5NjUwNQowLjE3NjQyOTMxNDY3ODA3NTkzIDE6Ni45Mzk5Njc0MTI2NzQ1OTEKLTAuMzgyMjU1MDYwNjI5NzAyOSAxOjQuNjcxODA5MjIxNDc0MDY3CjAuMDc4MDEyNTA4NzEyNTg2NTEgMTotNi4yNDM1MDUxNDg2OTA2MzQKMC4yOTQyMTM0NTkxOTY3OTMyNiAxOjIuNTA1MjI5Njg4MzAyMTM1CjAuMzQyMzA2ODQ5NjM1NzU4NjQgMTotMi4wODg4NzE1Nzg5NTE0MjU2Ci0wLjA0NjcxMzgzNDg5MzQwNjk1NSAxOi01Ljk3NTkzNTk4NTUwNjcxMQotMC4xMDI5Mjc2OTU2NTE1OTczNiAxOjUuMTY2MTE3MjQwMDc2MzY5CjAuMTUzOTg5Mzk3NDk3ODI2NDIgMToyLjgzMDI3MTc5MDExMjA2NgowLjUwNjUzMDMwOTUyMTY3NDggMTotMi4zNzAxNDEzNDcyMDE1OTkzCjAuODk3NDgwNTI0MDU4MTI5MiAxOi0xLjE0NDIyMgoK"

    @Test("a short LIBSVM file naming feature 99 148 is rejected as too sparse")
    func libsvmWideAndSparse() throws {
        let data = try #require(Data(base64Encoded: Self.sparseWideFile))
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
