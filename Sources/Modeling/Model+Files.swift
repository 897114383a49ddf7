import Foundation
import LagrangeCore
import LinearAlgebra
import ProblemFormats

extension Model {
    /// Writes the model as CPLEX LP (`.lp`) or MPS (`.mps`, QPS sections for a quadratic
    /// objective), chosen by the file's extension. Throws what ``problem`` throws, a
    /// ``LagrangeCore/ModelError`` for another extension, and the file system's errors.
    public func write(to url: URL) throws {
        let text: String
        switch url.pathExtension.lowercased() {
        case "lp": text = try fileText(CPLEXLPWriter.write)
        case "mps", "qps": text = try fileText(MPSWriter.write)
        default: throw ModelError("cannot write '\(url.lastPathComponent)': use a .lp or .mps file name")
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func fileText(_ writer: (LinearProgram, SparseMatrix?) -> String) throws(ModelError) -> String {
        switch try problem {
        case .linear(let lp): return writer(lp, nil)
        case .quadratic(let qp): return writer(qp.linear, qp.quadratic)
        default: throw ModelError("a model builds only LPs and QPs")
        }
    }
}
