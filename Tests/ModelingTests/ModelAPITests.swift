import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

@Suite("Models in Swift code")
struct ModelAPITests {
    /// README.md's model example, verbatim between the markers (`readmeShowsTheseExamples`
    /// checks that the README holds this text).
    @Test("the README's model example compiles, runs and gets the closed-form answer")
    func readmeExample() throws {
        // MODEL-EXAMPLE-BEGIN
        var model = Model(name: "example")
        let x = model.addVariable("x", lowerBound: 0)                     // continuous, [0, +∞)
        let y = model.addVariable("y", lowerBound: 0, upperBound: 10)
        let z = model.addVariables("z", count: 3, lowerBound: 0)          // z[0], z[1], z[2]
        let cap = model.addConstraint(x + 2 * y <= 14, name: "cap")       // a ConstraintRef
        model.addConstraint(3 * x - y >= 0, name: "ratio")
        model.addConstraint(z.sum() == 1 + x)                             // unnamed: c1
        model.maximize(3 * x + 4 * y - 2 * z[1])

        let result = try model.solve()                                    // an LP: native.ipm
        print(result.status, result.objective ?? .nan)                    // optimal 42
        print(result.value(x) ?? .nan, result.value(y) ?? .nan)           // 14 0
        print(result.dual(cap) ?? .nan)                                   // 3: ∂(optimum)/∂(14)
        print(result.reducedCost(y) ?? .nan)                              // -2: y's bound prices at 4 − 2·3

        let other = try model.solve(with: "native.simplex")               // any registered solver
        print(other.objective ?? .nan)                                    // 42
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("example.lp")
        try model.write(to: file)                                         // .lp or .mps by extension
        // MODEL-EXAMPLE-END

        // max 3x + 4y with x + 2y ≤ 14, y ≤ 3x: the vertex (14, 0); z[1] = 0.
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, 42, relative: 1e-7))
        #expect(isClose(result.value(x) ?? .nan, 14, absolute: 1e-6))
        #expect(abs(result.value(y) ?? .nan) < 1e-6)
        #expect(abs(result.value(z[1]) ?? .nan) < 1e-6)
        #expect(isClose(result.dual(cap) ?? .nan, 3, relative: 1e-6))
        #expect(isClose(result.reducedCost(y) ?? .nan, -2, relative: 1e-6))
        #expect(result.solverID == "native.ipm")
        #expect(other.solverID == "native.simplex")
        #expect(isClose(other.objective ?? .nan, 42, relative: 1e-12))
        #expect(isClose(other.dual(cap) ?? .nan, 3, relative: 1e-12))
        #expect(other.constraintNames == ["cap", "ratio", "c1"])
        // The written file reads back to the same optimum through GLPK.
        let back = try SolverRegistry.builtIn.solve(ProblemFileReader.load(file.path), solverID: "glpk.simplex")
        #expect(isClose(back.objective ?? .nan, 42, relative: 1e-12))
    }

    @Test("the README's MILP and QP examples get the answers its comments state")
    func readmeKinds() throws {
        // MODEL-KINDS-BEGIN
        // A MILP: integer variables route the model to native.branch-and-bound
        // (to glpk.mip in a registry with GLPK's solvers: registerGLPK()).
        var knapsack = Model(name: "knapsack")
        let take = knapsack.addVariables("take", count: 4, lowerBound: 0, upperBound: 1, integer: true)
        knapsack.addConstraint(dot([5, 7, 4, 3], take) <= 14, name: "weight")
        knapsack.maximize(dot([8, 11, 6, 4], take))
        let packed = try knapsack.solve()
        print(packed.solverID, packed.objective ?? .nan)  // native.branch-and-bound 21 (the LP relaxation: 22)

        // A QP: products of variables make the objective quadratic.
        var fit = Model(name: "projection")
        let u = fit.addVariable("u"), v = fit.addVariable("v")
        let budget = fit.addConstraint(u + v <= 2, name: "budget")
        fit.minimize(u * u + v * v - 2 * u - 4 * v)       // (u − 1)² + (v − 2)² − 5
        let nearest = try fit.solve()                      // native.ipm
        print(nearest.value(u) ?? .nan, nearest.value(v) ?? .nan, nearest.dual(budget) ?? .nan)  // 0.5 1.5 -1
        // MODEL-KINDS-END
        #expect(packed.solverID == "native.branch-and-bound" && packed.objective == 21)
        #expect(isClose(nearest.value(u) ?? .nan, 0.5, absolute: 1e-6) && isClose(nearest.value(v) ?? .nan, 1.5, absolute: 1e-6))
        #expect(isClose(nearest.dual(budget) ?? .nan, -1, relative: 1e-6))
    }

    @Test("README.md holds both model examples as tested here")
    func readmeShowsTheseExamples() throws {
        let source = try Fixtures.text(Fixtures.packageRoot + "/Tests/ModelingTests/ModelAPITests.swift")
        let readme = try Fixtures.text(Fixtures.packageRoot + "/README.md")
        for (marker, prefix) in [("MODEL-EXAMPLE", "import Foundation  // URL\nimport Lagrange\n\n"), ("MODEL-KINDS", "")] {
            let lines = source.components(separatedBy: "// \(marker)-BEGIN\n").last?.components(separatedBy: "        // \(marker)-END").first
            let block = lines?.split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(8) }.joined(separator: "\n") ?? "missing"
            #expect(readme.contains("```swift\n" + prefix + block + "```"), "README's \(marker) block differs from the tested copy")
        }
    }

    @Test("a MILP: integer variables route to native.branch-and-bound, or glpk.mip with GLPK registered; a 0/1 knapsack whose LP relaxation is fractional")
    func integerKnapsack() throws {
        var model = Model(name: "knapsack")
        let value = [8.0, 11, 6, 4], weight = [5.0, 7, 4, 3]
        let take = model.addVariables("take", count: 4, lowerBound: 0, upperBound: 1, integer: true)
        model.addConstraint(dot(weight, take) <= 14, name: "weight")
        model.maximize(dot(value, take))
        let result = try model.solve(registry: .builtIn)
        // Every 0/1 choice, enumerated: the best is items 1, 2, 3 (weight 14, value 21).
        var best = 0.0
        for mask in 0..<16 {
            let chosen = (0..<4).filter { mask & (1 << $0) != 0 }
            if chosen.map({ weight[$0] }).reduce(0, +) <= 14 { best = max(best, chosen.map { value[$0] }.reduce(0, +)) }
        }
        #expect(best == 21)
        #expect(result.solverID == "glpk.mip")
        #expect(try model.solve().solverID == "native.branch-and-bound")
        #expect(result.status == .optimal)
        #expect(result.objective == best)
        #expect(take.map { result.value($0) ?? .nan } == [0, 1, 1, 1])
        // The relaxation is fractional (22), so integrality was honoured.
        var relaxed = SolveOptions()
        relaxed.parameters["relax"] = .bool(true)
        let lp = try model.solve(with: "glpk.simplex", options: relaxed, registry: .builtIn)
        #expect(isClose(lp.objective ?? .nan, 22, relative: 1e-12))
    }

    @Test("a QP: x * x and x * y make the objective quadratic; the projection's closed form and its dual")
    func quadraticObjective() throws {
        var model = Model(name: "projection")
        let x = model.addVariable("x"), y = model.addVariable("y")
        let budget = model.addConstraint(x + y <= 2, name: "budget")
        // (x − 1)² + (y − 2)² − 5, expanded; its minimum over x + y ≤ 2 is at (0.5, 1.5).
        model.minimize(x * x + y * y - 2 * x - 4 * y)
        guard case .quadratic(let qp) = try model.problem else {
            Issue.record("not a QP")
            return
        }
        #expect(qp.quadratic.dense() == (try DenseMatrix(rowArrays: [[2, 0], [0, 2]])))
        let result = try model.solve()
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, -4.5, relative: 1e-7))
        #expect(isClose(result.value(x) ?? .nan, 0.5, absolute: 1e-6))
        #expect(isClose(result.value(y) ?? .nan, 1.5, absolute: 1e-6))
        // ∂(optimum)/∂(2): the KKT multiplier is 1, so one more unit of budget lowers the optimum by 1.
        #expect(isClose(result.dual(budget) ?? .nan, -1, relative: 1e-6))
        // x·y terms: Q gets them on both sides (½xᵀQx = x·y).
        var cross = Model()
        let a = cross.addVariable("a"), b = cross.addVariable("b")
        cross.minimize(a * b + 3 * a * a)
        guard case .quadratic(let q2) = try cross.problem else {
            Issue.record("not a QP")
            return
        }
        #expect(q2.quadratic.dense() == (try DenseMatrix(rowArrays: [[6, 1], [1, 0]])))
    }

    @Test("expressions: duplicates merge once, constants move to the bounds, ranges, sums, dot, scaling")
    func expressions() throws {
        var model = Model()
        let x = model.addVariable("x"), y = model.addVariable("y")
        let v = model.addVariables("v", count: 3)
        var e = LinearExpression()
        for _ in 0..<4 { e += x }           // four terms, merged into one coefficient
        e -= 2 * y
        e += 5
        model.addConstraint(e - x <= 11 + y, name: "merged")
        model.addConstraint(x + y, in: 2...5, name: "range")
        model.addConstraint(-(x - 3 * y) / 2 >= -1)
        model.addConstraint(dot([1, 2, 3], v) == zip([1.0, 2, 3], v).map { $0 * $1 }.sum() + 4 * v[0])
        model.addConstraint(x - x == 0, name: "cancels")
        guard case .linear(let lp) = try model.problem else {
            Issue.record("not an LP")
            return
        }
        let dense = lp.constraints.dense()
        let a = (0..<dense.rows).map { dense.row($0) }
        // 4x − 2y + 5 − x ≤ 11 + y → 3x − 3y ≤ 6.
        #expect(a[0] == [3, -3, 0, 0, 0])
        #expect(lp.rowLower[0] == -.infinity && lp.rowUpper[0] == 6)
        #expect(a[1] == [1, 1, 0, 0, 0] && lp.rowLower[1] == 2 && lp.rowUpper[1] == 5)
        #expect(a[2] == [-0.5, 1.5, 0, 0, 0] && lp.rowLower[2] == -1)
        #expect(a[3] == [0, 0, -4, 0, 0] && lp.rowLower[3] == 0 && lp.rowUpper[3] == 0)
        #expect(a[4] == [0, 0, 0, 0, 0])
        #expect(lp.constraintNames == ["merged", "range", "c1", "c2", "cancels"])
        #expect(lp.variableNames == ["x", "y", "v[0]", "v[1]", "v[2]"])
        #expect(lp.columnLower.allSatisfy { $0 == -.infinity })
    }

    @Test("bounds change after creation; integrality can be set and cleared")
    func changingBounds() throws {
        var model = Model(name: "bounds")
        let x = model.addVariable("x", lowerBound: 0, upperBound: 4)
        model.maximize(x)
        #expect(try model.solve(with: "glpk.simplex", registry: .builtIn).objective == 4)
        try model.setBounds(of: x, lower: 1, upper: 2.5)
        #expect(try model.bounds(of: x) == (1, 2.5))
        #expect(try model.solve(with: "glpk.simplex", registry: .builtIn).objective == 2.5)
        try model.setInteger(x)
        #expect(try model.solve().objective == 2)
        try model.setInteger(x, false)
        #expect(try model.solve(with: "glpk.simplex", registry: .builtIn).objective == 2.5)
        #expect(throws: ModelError.self) { try model.setBounds(of: x, lower: 3, upper: 1) }
    }

    @Test("mistakes are thrown with messages that name the constraint or variable, never trapped", arguments: [
        ("another model", "uses a variable of another model"),
        ("a copy's variable", "uses a variable this model does not have"),
        ("NaN coefficient", "coefficient of 'x' is nan"),
        ("NaN bound", "constraint 'c1': a constant term or bound is nan"),
        ("quadratic constraint", "only the objective may be quadratic"),
        ("empty model", "is empty"),
        ("inverted bounds", "lower bound 2.0 is above upper bound 1.0"),
        ("duplicate names", "duplicate constraint name 'c1'"),
        ("integer QP", "no registered solver handles mixed-integer QPs"),
        ("unknown solver", "unknown"),
        ("bad extension", "use a .lp or .mps file name"),
    ])
    func errors(_ situation: String, _ phrase: String) throws {
        var model = Model(name: "faulty")
        var other = Model(name: "other")
        let x = model.addVariable("x", lowerBound: 0)
        let foreign = other.addVariable("w")
        switch situation {
        case "another model": model.addConstraint(x + foreign <= 1, name: "mixed")
        case "a copy's variable":
            var copy = model
            let later = copy.addVariable("later")
            model.addConstraint(x + later <= 1)
        case "NaN coefficient": model.addConstraint(Double.nan * x >= 0)
        case "NaN bound": model.addConstraint(x <= .nan)
        case "quadratic constraint": model.addConstraint(x * x <= 4, name: "disc")
        case "empty model": model = Model(name: "nothing")
        case "inverted bounds": _ = model.addVariable("y", lowerBound: 2, upperBound: 1)
        case "duplicate names":
            model.addConstraint(x <= 1)
            model.addConstraint(x <= 2, name: "c1")
        case "integer QP":
            try model.setInteger(x)
            model.minimize(x * x)
        default: break
        }
        let thrown: any Error
        do {
            switch situation {
            case "unknown solver": _ = try model.solve(with: "no.such-solver")
            case "bad extension": try model.write(to: URL(fileURLWithPath: "/tmp/model.txt"))
            default: _ = try model.solve()
            }
            Issue.record("no error for \(situation)")
            return
        } catch {
            thrown = error
        }
        #expect("\(thrown)".lowercased().contains(phrase.lowercased()), "\(thrown)")
        if situation == "another model" { #expect("\(thrown)".contains("constraint 'mixed'")) }
    }

    @Test("10⁴ terms through += and sum() build in linear time (a quadratic build would take seconds)")
    func linearTimeBuilding() throws {
        var model = Model()
        let v = model.addVariables("v", count: 100)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            var e = LinearExpression()
            for k in 0..<20_000 { e += Double(k % 7) * v[k % 100] }
            model.addConstraint(e <= 1)
            model.addConstraint((0..<20_000).map { v[$0 % 100] }.sum() >= 0)
        }
        guard case .linear(let lp) = try model.problem else { return }
        // Merged: one entry per variable and row; coefficient of v[0] in row 0 is Σ over k ≡ 0 (mod 100) of k mod 7.
        #expect(lp.constraints.nonzeroCount == 200)
        let expected = stride(from: 0, to: 20_000, by: 100).map { Double($0 % 7) }.reduce(0, +)
        #expect(lp.constraints[0, 0] == expected)
        #expect(lp.constraints[1, 0] == 200)
        #expect(elapsed < .seconds(2))
    }
}
