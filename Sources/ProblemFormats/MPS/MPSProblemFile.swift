import Foundation
import LagrangeCore

extension MPSReader {
    /// Loads an `.mps` or `.qps` file as a problem definition: an LP, or a QP when the file
    /// has a quadratic objective section. The name is the file's NAME, else its stem.
    @Sendable
    public static func loadDefinition(_ path: String) throws(InputError) -> ProblemDefinition {
        let model = try read(contentsOf: path)
        let lp = model.linearProgram
        let stem = ProblemFileReader.stem(of: path)
        let name = lp.name.isEmpty ? stem : lp.name
        let problem: Problem
        if let q = model.quadratic, q.nonzeroCount > 0 {
            problem = .quadratic(try ProblemFileReader.model(path) { () throws(ModelError) in
                try QuadraticProgram(linear: lp, quadratic: q)
            })
        } else {
            problem = .linear(lp)
        }
        return ProblemDefinition(name: name, problem: problem, sourcePath: path, notes: model.notes)
    }
}
