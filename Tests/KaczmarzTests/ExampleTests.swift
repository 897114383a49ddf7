import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// The example problem files load and solve as their comments say.
@Suite struct KaczmarzExampleTests {
    func load(_ relative: String) throws -> ProblemDefinition { try ProblemFileReader.load(Fixtures.problem(relative)) }

    @Test func tourAndSparseExamplesConverge() throws {
        for file in ["tour/kaczmarz.yaml", "kaczmarz/sparse-tall.yaml"] {
            let definition = try load(file)
            let result = try SolverRegistry.builtIn.solve(definition)
            #expect(result.status == .optimal, "\(file)")
            #expect(result.solverID == "native.kaczmarz")
            let details = try #require(result.details(as: LinearSystemDetails.self))
            #expect(details.relativeError! <= 1e-6, "\(file)")
        }
    }

    @Test func gaussExampleLoadsWithItsOptions() throws {
        let definition = try load("kaczmarz/gauss-100x10.yaml")
        #expect(definition.options.tolerance == 1e-8 && definition.options.maxIterations == 20_000_000)
        guard case .linearSystem(let p) = definition.problem, case .dense = p.matrix else { Issue.record("dense system expected"); return }
        // Its full run is the 1e-8 convergence test; here the direct reference.
        let qr = try SolverRegistry.builtIn.solve(definition, solverID: "gsl.qr")
        #expect(qr.details(as: LinearSystemDetails.self)!.relativeError! <= 1e-10)
    }

    @Test func inlineInconsistentExampleReachesLeastSquares() throws {
        let result = try SolverRegistry.builtIn.solve(try load("kaczmarz/inconsistent-inline.yaml"))
        #expect(result.status == .optimal)
        #expect(isClose(result.primal[0], 67.0 / 60, relative: 1e-9) && isClose(result.primal[1], 113.5 / 60, relative: 1e-9))
    }

    /// Semi-convergence: the error to the phantom has an interior minimum and then grows.
    @Test func tomographyShowsSemiConvergence() throws {
        let definition = try load("kaczmarz/tomography.yaml")
        let result = try SolverRegistry.builtIn.solve(definition, options: SolveOptions(maxIterations: 60_000))
        #expect(result.status == .iterationLimit)
        let errors = result.history.records.compactMap { r in r.value(forKey: "error").map { (r.iteration, $0) } }
        let best = try #require(errors.min { $0.1 < $1.1 })
        #expect(best.0 > 0 && best.0 < 20_000, "minimum at step \(best.0)")
        #expect(errors.last!.1 > 1.05 * best.1, "final error \(errors.last!.1) vs best \(best.1)")
        // The residual keeps falling while the error rises: the iterates fit the noise.
        let residuals = result.history.records.compactMap(\.primalResidual)
        let atBest = result.history.records.first { $0.iteration == best.0 }!.primalResidual!
        #expect(residuals.last! < atBest)
    }
}
