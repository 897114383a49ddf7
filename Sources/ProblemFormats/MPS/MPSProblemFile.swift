import Foundation
import LagrangeCore

extension MPSReader {
    /// Loads an `.mps` or `.qps` file as a problem definition: an LP, or a QP when the file
    /// has a quadratic objective section. The name is the file's NAME, else its stem.
    @Sendable
    package static func loadDefinition(_ path: String) throws(InputError) -> ProblemDefinition {
        try ProblemFileReader.definition(of: read(contentsOf: path), path: path)
    }
}

extension ProblemFileReader {
    /// The definition of a file read as an ``MPSModel`` (MPS, QPS, CPLEX LP): an LP, or a QP
    /// when Q has entries. The name is the model's, else the file's stem.
    static func definition(of model: MPSModel, path: String) throws(InputError) -> ProblemDefinition {
        let lp = model.linearProgram
        let stem = ProblemFileReader.stem(of: path)
        let name = lp.name.isEmpty ? stem : lp.name
        let problem: Problem
        if let q = model.quadratic, q.nonzeroCount > 0 {
            // No QP solver honours integrality, and it is never dropped silently.
            guard !lp.isMixedInteger else {
                throw InputError(file: path, "integer variables with a quadratic objective (a mixed-integer QP) are not supported")
            }
            problem = .quadratic(try ProblemFileReader.model(path) { () throws(ModelError) in
                try QuadraticProgram(linear: lp, quadratic: q)
            })
        } else {
            problem = .linear(lp)
        }
        return ProblemDefinition(name: name, problem: problem, sourcePath: path, notes: model.notes)
    }
}
