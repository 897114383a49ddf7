import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// The code of the DocC articles (Sources/Lagrange/Lagrange.docc), compiled and run here.
/// `articlesShowOnlyTestedCode` checks that every ```swift block of every article is one of
/// the blocks between `// DOCC-BEGIN` and `// DOCC-END` below (indentation removed), and
/// `articleProblemFilesSolveAsTheyExpect` loads and solves every ```yaml problem file.
@Suite struct DocCExampleTests {
    /// The examples print; the tests keep the output quiet.
    func print(_ items: Any...) {}

    @Test func gettingStarted() throws {
        // DOCC-BEGIN
        let definition = try ProblemFileReader.load("problems/smooth/rosenbrock.yaml")
        let result = try SolverRegistry.standard.solve(definition)
        print(result.status, result.objective ?? .nan, result.iterations)   // locally_optimal ~4e-27 39
        print(result.value(of: "x") ?? .nan, result.value(of: "y") ?? .nan) // 1.0 1.0
        // DOCC-END
        #expect(result.status == .locallyOptimal)
        #expect(isClose(result.value(of: "x") ?? .nan, 1, absolute: 1e-8))
    }

    @Test func buildAProblemInCode() throws {
        // DOCC-BEGIN
        // minimize (x − 3)² + 10·(y + 1)² from (0, 0), by Newton's method
        let f = try CompiledExpression("(x - 3)^2 + 10*(y + 1)^2", variables: ["x", "y"])
        let problem = try SmoothProblem(name: "bowl", variableNames: ["x", "y"], start: [0, 0], objective: f)
        let result = try SolverRegistry.standard.solve(.smooth(problem), solverID: "native.newton")
        print(result.status, result.value(of: "x") ?? .nan, result.value(of: "y") ?? .nan)   // optimal 3.0 -1.0
        // DOCC-END
        #expect(result.status.isDefinitive)
        #expect(isClose(result.value(of: "x") ?? .nan, 3, absolute: 1e-8))
        #expect(isClose(result.value(of: "y") ?? .nan, -1, absolute: 1e-8))
    }

    @Test func observeTheHistory() throws {
        let definition = try ProblemFileReader.load(Fixtures.problem("smooth/zigzag.yaml"))
        // DOCC-BEGIN
        // Watch every iteration; stop once f < 1e-6 (the result then says `interrupted`).
        var seen: [Double] = []
        let watcher = ClosureObserver { record in
            seen.append(record.objective ?? .nan)
            return (record.objective ?? 0) >= 1e-6
        }
        let stopped = try SolverRegistry.standard.solve(definition, observers: [watcher])
        print(stopped.status, stopped.iterations, seen.count)   // interrupted, a few hundred iterations

        // Or keep the whole history and read it afterwards: one record per iteration.
        let full = try SolverRegistry.standard.solve(definition, options: SolveOptions(historyStorage: .all))
        for record in full.history.records.prefix(3) {
            print(record.iteration, record.objective ?? .nan, record.gradientNorm ?? .nan, record.value(forKey: "f_evals") ?? .nan)
        }
        let svg = ConvergencePlot.svg([.init(label: "steepest descent", history: full.history)], title: "zigzag")
        // DOCC-END
        #expect(stopped.status == .interrupted)
        #expect(seen.last.map { $0 < 1e-6 } == true)
        #expect(full.history.records.count == full.iterations + 1)
        #expect(svg.contains("zigzag") && svg.contains("<polyline"))
    }

    @Test func writeASolverPlugin() throws {
        // DOCC-BEGIN
        /// Minimizes a smooth function by gradient steps of a fixed size `step`.
        struct FixedStepDescent: SolverPlugin {
            var descriptor: SolverDescriptor {
                SolverDescriptor(id: "mine.fixed-step", kinds: [.smooth],
                                 options: [OptionSpec("step", default: "0.1", "step size")],
                                 summary: "gradient descent with a fixed step")
            }

            func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
                guard case .smooth(let p) = problem else { throw SolverError.unsupported("smooth problems only") }
                let step = try context.options.number("step", default: 0.1)
                let tolerance = context.options.tolerance ?? 1e-8
                let limit = context.control.iterationLimit(default: 10_000)
                var x = p.start, gradient = [Double](repeating: 0, count: x.count)
                var status = TerminationStatus.iterationLimit
                var k = 0
                while true {
                    let f = p.objective.valueAndGradient(at: x, gradient: &gradient)
                    let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    let converged = norm <= tolerance
                    // Record once per iteration, after our own convergence test; a non-nil
                    // answer (limit, time, observer stop, cancellation) ends the solve.
                    if let stop = context.control.record(IterationRecord(iteration: k, objective: f, gradientNorm: norm,
                                                                         stepSize: step), iterationLimit: limit) {
                        status = converged ? .locallyOptimal : stop
                        break
                    }
                    if converged { status = .locallyOptimal; break }
                    for i in x.indices { x[i] -= step * gradient[i] }
                    k += 1
                }
                return SolveResult(kind: .smooth, status: status, rawStatus: status.rawValue, objective: p.objective.value(at: x),
                                   variableNames: p.variableNames, primal: x, iterations: k)
            }
        }

        var registry = SolverRegistry.standard
        registry.register(FixedStepDescent())
        let bowl = try SmoothProblem(variableNames: ["x", "y"], start: [1, 1],
                                     objective: try CompiledExpression("x^2 + 2*y^2", variables: ["x", "y"]))
        let result = try registry.solve(.smooth(bowl), solverID: "mine.fixed-step")
        print(result.status, result.iterations, result.history.records.last?.gradientNorm ?? .nan)
        // DOCC-END
        #expect(result.status == .locallyOptimal)
        #expect(result.solverID == "mine.fixed-step")
        #expect(isClose(result.value(of: "x") ?? .nan, 0, absolute: 1e-7))
        // Contraction 1 − 2·0.1·λ per step: y shrinks by 0.6, x by 0.8; about 80 steps to 1e-8.
        #expect((70...95).contains(result.iterations), "\(result.iterations)")
    }

    @Test func regressFromATest() throws {
        let folder = Fixtures.problem("smooth")
        // DOCC-BEGIN
        // A convergence regression run from your own tests, with your own registry:
        let report = try RegressionRunner(registry: .standard).run(folder)
        print(report.table())
        #expect(report.regressions.isEmpty, "\(report.details())")
        // DOCC-END
        #expect(report.rows.count >= 8)
    }

    @Test func checkExpectationsInCode() throws {
        // DOCC-BEGIN
        let file = try YAMLProblemFile(text: """
            kind: smooth
            minimize: "x^3/3 - 4*x"
            start: [2.5]
            solver: native.newton
            expect: {status: locally_optimal, solution: {x: 2}, rate: quadratic}
            """, path: "cubic.yaml")
        let definition = try ProblemFileReader.load(file)
        let result = try SolverRegistry.standard.solve(definition)
        for outcome in definition.expectations?.evaluate(result, ownSolver: "native.newton") ?? [] {
            print(outcome.met ? "met" : "NOT MET", outcome.name, outcome.detail)
        }
        // DOCC-END
        let outcomes = definition.expectations?.evaluate(result, ownSolver: "native.newton") ?? []
        #expect(outcomes.count == 3 && outcomes.allSatisfy { $0.met })
    }

    // MARK: - The articles show this code

    static let catalog = Fixtures.packageRoot + "/Sources/Lagrange/Lagrange.docc"

    static func articles() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: catalog).filter { $0.hasSuffix(".md") }.sorted()
        return try names.map { ($0, try Fixtures.text(catalog + "/" + $0)) }
    }

    /// Fenced blocks of a language in a Markdown text.
    static func blocks(_ text: String, language: String) -> [String] {
        var out: [String] = [], current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```" + language { current = []; continue }
            if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" { out.append(current!.joined(separator: "\n")); current = nil; continue }
            current?.append(String(line))
        }
        return out
    }

    /// The DOCC-BEGIN…END blocks of this file, with their common indentation removed.
    static func testedSnippets() throws -> [String] {
        let source = try Fixtures.text(Fixtures.packageRoot + "/Tests/LagrangeTests/DocCExampleTests.swift")
        var out: [String] = [], current: [String]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "// DOCC-BEGIN" { current = []; continue }
            if trimmed == "// DOCC-END", let lines = current {
                let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                    .map { $0.prefix { $0 == " " }.count }.min() ?? 0
                out.append(lines.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(String(line))
        }
        return out
    }

    @Test func buildAModel() throws {
        // DOCC-BEGIN
        var model = Model(name: "example")
        let x = model.addVariable("x", lowerBound: 0)
        let y = model.addVariable("y", lowerBound: 0, upperBound: 10, integer: true)
        let z = model.addVariables("z", count: 3, lowerBound: 0)        // z[0], z[1], z[2]
        let cap = model.addConstraint(x + 2 * y <= 14, name: "cap")      // a ConstraintRef
        model.addConstraint(3 * x - y >= 0, name: "ratio")
        model.addConstraint(z.sum() == 1 + x)                            // unnamed: c1
        model.maximize(3 * x + 4 * y - 2 * z[1])
        let result = try model.solve()                                   // a MILP: native.branch-and-bound
        print(result.solverID, result.objective ?? .nan, result.value(x) ?? .nan)   // native.branch-and-bound 42 14
        let relaxed = try model.solve(with: "native.simplex", options: SolveOptions(parameters: ["relax": .bool(true)]))
        print(relaxed.dual(cap) ?? .nan)                                 // 3 = ∂(optimum)/∂(14)
        // DOCC-END
        #expect(result.solverID == "native.branch-and-bound" && result.objective == 42 && result.value(x) == 14)
        #expect(isClose(relaxed.dual(cap) ?? .nan, 3, relative: 1e-9))
    }

    @Test func cLibrarySolvers() throws {
        // DOCC-BEGIN
        // import LagrangeGLPK, LagrangeGSL (products of the same names)
        var registry = SolverRegistry.standard      // the native solvers
        registry.registerGLPK()                     // glpk.simplex, glpk.interior, glpk.mip, …
        registry.registerGSL()                      // gsl.kkt, gsl.bfgs2, …, gsl.qr, gsl.svd
        ProblemFileReader.registerMathProg()        // GLPK MathProg models (.mod)
        let knapsack = try ProblemFileReader.load("problems/milp/knapsack.mps")
        let result = try registry.solve(knapsack)   // a MILP now goes to glpk.mip
        print(result.solverID, result.objective ?? .nan)                    // glpk.mip 8
        // DOCC-END
        #expect(result.solverID == "glpk.mip" && result.objective == 8)
        #expect(registry.descriptors().map(\.id) == SolverRegistry.builtIn.descriptors().map(\.id))
    }

    @Test func articlesShowOnlyTestedCode() throws {
        let snippets = Set(try Self.testedSnippets())
        #expect(snippets.count == 8)
        var shown = 0
        for (name, text) in try Self.articles() {
            for block in Self.blocks(text, language: "swift") {
                // Package manifests are compiled by SwiftPM, not here.
                if block.hasPrefix("// Package.swift") { continue }
                shown += 1
                #expect(snippets.contains(block), "\(name) shows a Swift block that no test runs:\n\(block)")
            }
        }
        #expect(shown >= 6)
    }

    @Test func articleProblemFilesSolveAsTheyExpect() throws {
        var solved = 0
        for (name, text) in try Self.articles() {
            for block in Self.blocks(text, language: "yaml") where block.hasPrefix("kind:") || block.contains("\nkind:") {
                let file = try YAMLProblemFile(text: block, path: Fixtures.packageRoot + "/problems/smooth/\(name).yaml")
                let definition = try ProblemFileReader.load(file)
                let result = try SolverRegistry.standard.solve(definition)
                let outcomes = definition.expectations?.evaluate(result, ownSolver: definition.solverID) ?? []
                #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.met }, "\(name): \(outcomes)")
                solved += 1
            }
        }
        #expect(solved >= 2)
    }
}
