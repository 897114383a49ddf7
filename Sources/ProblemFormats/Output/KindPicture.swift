import LagrangeCore

/// The picture of a solved problem, for the kinds that have one (`lagrange solve --picture`):
/// max-flow draws the network and its minimum cut, one-feature svr the data, fit and ε-tube.
/// A kind gains a picture here; the command line has no per-kind code.
package enum KindPicture {
    /// The SVG of `result` drawn on `problem` (the problem the result solved); errors name `file`,
    /// the picture's path.
    package static func svg(_ problem: Problem, result: SolveResult, file: String) throws(InputError) -> String {
        switch problem {
        case .maxFlow(let graph):
            guard let details = result.details(as: MaxFlowDetails.self) else { throw InputError(file: file, "the max-flow result has no cut to draw") }
            return MaxFlowPicture.svg(problem: graph, details: details)
        case .supportVectorRegression(let svr):
            guard let details = result.details(as: SVRDetails.self) else { throw InputError(file: file, "the svr result has no model to draw") }
            return try SVRPicture.svg(problem: svr, details: details, title: result.problemName)
        default:
            throw InputError(file: file, "--picture draws max-flow and svr problems; this one is \(problem.kind.rawValue) (use --plot for convergence)")
        }
    }
}
