import BuiltInSolvers
import Lagrange
import LagrangeTestSupport
import Testing

/// The README's library example, compiled and run. `readmeShowsThisExample` keeps the
/// README and this copy identical.
@Suite struct ReadmeExampleTests {
    @Test func libraryExampleRuns() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // README-BEGIN
        // minimize x1 + x2 + x3  subject to  x1 + x2 + 2 x3 = 4,  x ≥ 0
        let a = try SparseMatrix(rowCount: 1, columnCount: 3, triplets: [(0, 0, 1), (0, 1, 1), (0, 2, 2)])
        let lp = try LinearProgram(objective: [1, 1, 1], constraints: a, rowLower: [4], rowUpper: [4],
                                   variableNames: ["x1", "x2", "x3"], constraintNames: ["budget"])

        // Observers see every iteration and may stop the solve (status `interrupted`).
        let watcher = ClosureObserver { record in
            print("iteration \(record.iteration): objective \(record.objective ?? .nan)")
            return true   // false would stop the solve
        }
        let result = try SolverRegistry.standard.solve(.linear(lp), name: "seed", observers: [watcher])
        print(result.status, result.objective ?? .nan)      // optimal 2.0 (a vertex: the interior point, then its crossover)
        print(result.value(of: "x3") ?? .nan)               // 2.0
        print(result.dual(of: "budget") ?? .nan)            // 0.5 = ∂(optimal cost)/∂(rhs)
        // README-END
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, 2, absolute: 1e-12))
        #expect(isClose(result.value(of: "x3") ?? .nan, 2, absolute: 1e-12))
        #expect(isClose(result.dual(of: "budget") ?? .nan, 0.5, absolute: 1e-12))
        #expect(printed.contains { $0 == "optimal 2.0" }, "the crossover's vertex: \(printed)")
        #expect(printed.contains { $0.hasPrefix("iteration ") })
    }

    @Test func warmStartExampleRuns() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // README-WARM-BEGIN
        // max 3x + 2y  s.t.  x + y ≤ 4,  x + 3y ≤ 6,  0 ≤ x ≤ 3,  y ≥ 0
        let rows = try SparseMatrix(rowCount: 2, columnCount: 2, triplets: [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 3)])
        let plan = try LinearProgram(sense: .maximize, objective: [3, 2], constraints: rows,
                                     rowLower: [-.infinity, -.infinity], rowUpper: [4, 6],
                                     columnLower: [0, 0], columnUpper: [3, .infinity], variableNames: ["x", "y"])
        var session = try SimplexSession(plan)
        let first = try session.solve()                    // dual simplex from the slack basis
        print(first.objective ?? .nan, first.iterations)   // 11.0 1 (a bound flip)
        try session.setColumnBounds(0, lower: 0, upper: 2) // x ≤ 2: the old basis stays dual feasible
        let again = try session.solve()                    // re-solved from the last basis
        print(again.objective ?? .nan, again.iterations)   // 8.666666666666666 0 (still optimal)
        print(session.basis?.columnStatus ?? [])           // [at_upper, basic]
        // README-WARM-END
        #expect(first.objective == 11 && isClose(again.objective ?? .nan, 26.0 / 3, relative: 1e-12))
        #expect(again.iterations < first.iterations)
        #expect(session.basis?.columnStatus == [.atUpper, .basic])
        #expect(printed == ["11.0 1", "8.666666666666666 0", "[at_upper, basic]"])
    }

    @Test func productsExampleRuns() throws {
        // README-PRODUCTS-BEGIN
        var registry = SolverRegistry.standard   // native solvers
        registry.registerGLPK()                  // + GLPK's, listed where `lagrange solvers` lists them
        ProblemFileReader.registerMathProg()     // + GLPK MathProg models (.mod)
        // README-PRODUCTS-END
        #expect(SolverRegistry.standard.descriptors().allSatisfy { $0.id.hasPrefix("native.") })
        #expect(registry.descriptors().filter { !$0.id.hasPrefix("native.") }.map(\.id)
                == ["glpk.simplex", "glpk.interior", "glpk.mip", "glpk.ford-fulkerson", "glpk.game-lp"])
        #expect(ProblemFileReader.supportedExtensions.contains("mod"))
        let readme = try Fixtures.text(Fixtures.packageRoot + "/README.md")
        let block = try #require(try taggedBlock("README-PRODUCTS-BEGIN", "README-PRODUCTS-END"), "markers missing")
        #expect(readme.contains("import Lagrange\nimport LagrangeGLPK\n\n" + block), "README's products example differs from the tested copy")
    }

    /// The lines between `// BEGIN-MARKER` and `        // END-MARKER` in this file, unindented.
    func taggedBlock(_ begin: String, _ end: String) throws -> String? {
        let source = try Fixtures.text(Fixtures.packageRoot + "/Tests/LagrangeTests/ReadmeExampleTests.swift")
        guard let from = source.range(of: "// \(begin)\n"), let to = source.range(of: "        // \(end)") else { return nil }
        return source[from.upperBound..<to.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
    }

    @Test func readmeShowsTheWarmStartExample() throws {
        let readme = try Fixtures.text(Fixtures.packageRoot + "/README.md")
        let block = try #require(try taggedBlock("README-WARM-BEGIN", "README-WARM-END"), "markers missing")
        #expect(readme.contains(block), "README's warm-start example differs from the tested copy")
    }

    @Test func readmeShowsThisExample() throws {
        let readme = try Fixtures.text(Fixtures.packageRoot + "/README.md")
        let block = try #require(try taggedBlock("README-BEGIN", "README-END"), "markers missing")
        #expect(readme.contains("import Lagrange\n\n" + block), "README's library example differs from the tested copy")
    }
}
