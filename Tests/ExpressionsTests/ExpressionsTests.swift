import Foundation
import Testing
import LagrangeCore
import LagrangeTestSupport
@testable import Expressions

@Suite("Expression parsing and evaluation")
struct ParsingTests {
    @Test("precedence: ^ binds tighter than unary minus and is right-associative")
    func precedence() throws {
        let e = try CompiledExpression("-x^2", variables: ["x"])
        #expect(e.value(at: [3]) == -9)
        #expect(try CompiledExpression("2^3^2").value(at: []) == 512)
        #expect(try CompiledExpression("2^-1").value(at: []) == 0.5)
        #expect(try CompiledExpression("8/4/2").value(at: []) == 1)
        #expect(try CompiledExpression("10-4-3").value(at: []) == 3)
        #expect(try CompiledExpression("1.5e2 + 2E-1 + .5").value(at: []) == 150.7)
        #expect(try CompiledExpression("exp(-x2^2*x6)", variables: ["x2", "x6"]).value(at: [2, 0.5]) == exp(-2.0))
        #expect(try CompiledExpression("max(1, 3, 2) - min(4, -1) + abs(-2)").value(at: []) == 6)
        #expect(abs(try CompiledExpression("cos(pi) + log(e)").value(at: [])) < 1e-15)
    }

    @Test("variables: discovered in natural order, declared, indexed x[3] same as x3")
    func variables() throws {
        let e = try CompiledExpression("x10 + 2*x2 + 3*x1")
        #expect(e.variableNames == ["x1", "x2", "x10"])
        #expect(e.value(at: [1, 10, 100]) == 123)
        let indexed = try CompiledExpression("x[1] * x2", variables: ["x1", "x2"])
        #expect(indexed.value(at: [3, 4]) == 12)
        let yx = try CompiledExpression("100*(y - x^2)^2 + (1 - x)^2")
        #expect(yx.variableNames == ["x", "y"])
        #expect(yx.value(at: [1, 1]) == 0)
        // Letters first, a bare prefix before its numbered names, equal numbers by text,
        // 18+ digits as text.
        let mixed = try CompiledExpression("b2 + a10 + a + a9 + a09 + x123456789012345678901 + x5 + _1")
        #expect(mixed.variableNames == ["_1", "a", "a09", "a9", "a10", "b2", "x5", "x123456789012345678901"])
    }

    @Test("errors carry the column and a caret", arguments: [
        ("100*(y - sinn(x))", 10, "unknown function 'sinn'"),
        ("x + * y", 5, "unexpected '*'"),
        ("(x + y", 1, "missing ')'"),
        ("x + y)", 6, "unmatched ')'"),
        ("2x", 2, "write '*'"),
        ("x + z", 5, "unknown variable 'z'"),
        ("1e+", 4, "exponent"),
        ("x +", 4, "before the end"),
        ("", 1, "empty"),
        ("x # y", 3, "unexpected '#'"),
        ("max(x)", 1, "two or more"),
    ])
    func errors(text: String, column: Int, fragment: String) {
        do {
            _ = try CompiledExpression(text, variables: ["x", "y"])
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            let lines = error.caretDiagram.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2)
            #expect(lines[1].count == column + 2 && lines[1].hasSuffix("^"))
        }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func depth() {
        let text = String(repeating: "(", count: 5000) + "x" + String(repeating: ")", count: 5000)
        #expect(throws: ExpressionError.self) { try CompiledExpression(text) }
    }

    @Test("constant folding removes constant subtrees")
    func folding() throws {
        let e = try CompiledExpression("(1/29)*x + 2^3", variables: ["x"])
        #expect(e.tape.count == 5)  // const, x, *, const, +
        #expect(e.value(at: [29]) == 9)
    }
}

@Suite("Automatic differentiation")
struct DifferentiationTests {
    @Test("the seed's example sin((x1+x2)·x2²) at (1, 2)")
    func seedSine() throws {
        let f = try CompiledExpression("sin((x1 + x2)*x2^2)")
        let g = f.gradient(at: [1, 2])
        // ∂f/∂x1 = x2² cos(12) = 4 cos 12, ∂f/∂x2 = (x2² + 2(x1+x2)x2) cos 12 = 16 cos 12.
        #expect(isClose(g[0], 3.375415835, relative: 1e-9))
        #expect(isClose(g[1], 13.501663340, relative: 1e-9))
        #expect(isClose(g[0], 4 * cos(12.0), relative: 1e-15))
        #expect(isClose(g[1], 16 * cos(12.0), relative: 1e-15))
    }

    @Test("the seed's example x²(x+y) at (2, 3)")
    func seedCubic() throws {
        let f = try CompiledExpression("x^2*(x + y)")
        var g = [0.0, 0]
        #expect(f.valueAndGradient(at: [2, 3], gradient: &g) == 20)
        #expect(g == [24, 4])
        // H = [[6x + 2y, 2x], [2x, 0]] = [[18, 4], [4, 0]].
        #expect(f.hessian(at: [2, 3]) == [18, 4, 4, 0])
        let d = f.directionalDerivative(at: [2, 3], direction: [1, -1])
        #expect(d.value == 20 && d.derivative == 20)
    }

    /// Random expression text over n variables (seeded), with functions kept in their domains.
    static func randomExpression(_ g: inout SeededGenerator, depth: Int, n: Int) -> String {
        if depth == 0 || g.nextUnit() < 0.2 {
            return g.nextUnit() < 0.7 ? "x\(g.nextIndex(below: n) + 1)" : String(format: "%.3f", g.nextUnit() * 2 + 0.1)
        }
        let a = randomExpression(&g, depth: depth - 1, n: n), b = randomExpression(&g, depth: depth - 1, n: n)
        switch g.nextIndex(below: 14) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2: return "(\(a) * \(b))"
        case 3: return "(\(a) / (1.5 + sin(\(b))))"
        case 4: return "(\(a))^2"
        case 5: return "(\(a))^3"
        case 6: return "exp(0.3*\(a))"
        case 7: return "log(1 + (\(a))^2)"
        case 8: return "sqrt(2 + cos(\(a)))"
        case 9: return "atan(\(a))"
        case 10: return "tanh(\(a))"
        case 11: return "(1.2 + sin(\(a)))^(0.5*cos(\(b)))"
        case 12: return "sinh(0.5*\(a)) + cosh(0.3*\(b))"
        default: return "-\(a)^2 + tan(0.2*sin(\(b)))"
        }
    }

    @Test("gradients and Hessians agree with finite differences on random expressions")
    func randomExpressions() throws {
        var generator = SeededGenerator(seed: 2024)
        var checked = 0
        for _ in 0..<60 {
            let n = 3
            let text = Self.randomExpression(&generator, depth: 4, n: n)
            let f = try CompiledExpression(text, variables: ["x1", "x2", "x3"])
            let x = (0..<n).map { _ in generator.nextUnit() * 2 - 1 }
            guard f.value(at: x).isFinite, abs(f.value(at: x)) < 1e6 else { continue }
            let g = f.gradient(at: x)
            let fd = FiniteDifferences.gradient(of: f.value(at:), at: x)
            let scale = max(1, g.map(abs).max() ?? 0)
            for i in 0..<n { #expect(abs(g[i] - fd[i]) <= 1e-6 * scale, "\(text) ∂\(i)") }
            let h = try #require(f.hessian(at: x))
            // Central differences of the exact gradient.
            let fdh = FiniteDifferences.hessian(of: f, at: x)
            let hscale = max(1, h.map(abs).max() ?? 0)
            for k in 0..<(n * n) { #expect(abs(h[k] - fdh[k]) <= 1e-5 * hscale, "\(text) H\(k)") }
            // Forward mode agrees with reverse mode.
            let d = [0.3, -0.7, 0.5]
            let dd = f.directionalDerivative(at: x, direction: d)
            #expect(isClose(dd.derivative, zip(g, d).map(*).reduce(0, +), absolute: 1e-12 * scale, relative: 1e-10))
            checked += 1
        }
        #expect(checked >= 40)
    }

    @Test("f(x0) of every shared test function matches the TSV (relative 1e-12)")
    func sharedFunctionValues() throws {
        let rows = try Fixtures.tsv(Fixtures.path("smooth/functions.tsv"))
        #expect(rows.count == 28)
        for row in rows {
            let n = try #require(Int(row["n"] ?? ""))
            let f = try CompiledExpression(row["expression"] ?? "", variables: (1...n).map { "x\($0)" })
            let x0 = (row["x0"] ?? "").split(separator: ",").compactMap { Double($0) }
            let expected = try #require(Double(row["f_x0"] ?? ""))
            #expect(isClose(f.value(at: x0), expected, relative: 1e-12), "\(row["name"] ?? "")")
            // Exact gradient vs central differences of f (relative to the gradient scale).
            let g = f.gradient(at: x0)
            let fd = FiniteDifferences.gradient(of: f.value(at:), at: x0)
            let scale = max(1, g.map(abs).max() ?? 0)
            for i in 0..<n { #expect(abs(g[i] - fd[i]) <= 1e-5 * scale, "\(row["name"] ?? "") ∂\(i)") }
        }
    }
}

@Suite("Degree classification")
struct DegreeTests {
    @Test("constant, linear, quadratic with exact coefficients, general")
    func classify() throws {
        #expect(try CompiledExpression("2*pi + 1").polynomial.degree == .constant)
        let linear = try CompiledExpression("3*x - y/4 + 7", variables: ["x", "y"]).polynomial
        #expect(linear.degree == .linear)
        #expect(linear.linear == [3, -0.25] && linear.constant == 7)
        // f = ½(x² + 0.1 y²) + 2xy - x + 5: Q = [[1, 2], [2, 0.1]], b = (-1, 0), c = 5.
        let q = try CompiledExpression("0.5*(x^2 + 0.1*y^2) + 2*x*y - x + 5", variables: ["x", "y"]).polynomial
        #expect(q.degree == .quadratic)
        #expect(q.constant == 5 && q.linear == [-1, 0])
        #expect(q.denseQuadratic() == [1, 2, 2, 0.1])
        let square = try CompiledExpression("(x - 2*y + 1)^2", variables: ["x", "y"]).polynomial
        #expect(square.denseQuadratic() == [2, -4, -4, 8])
        #expect(square.linear == [2, -4] && square.constant == 1)
        #expect(try CompiledExpression("x^3").polynomial.degree == .general)
        #expect(try CompiledExpression("x*y*z").polynomial.degree == .general)
        #expect(try CompiledExpression("exp(x)").polynomial.degree == .general)
        #expect(try CompiledExpression("1/x").polynomial.degree == .general)
    }

    @Test("convexity of quadratics")
    func convexity() throws {
        #expect(try CompiledExpression("x^2 + y^2 - x*y").isConvex)
        #expect(try !CompiledExpression("x^2 - y^2").isConvex)
        #expect(try CompiledExpression("-(x^2) - y^2").isConcave)
        #expect(try !CompiledExpression("100*(y - x^2)^2 + (1 - x)^2").isConvex)
    }
}

@Suite("Closure objectives and the gradient check")
struct GradientCheckTests {
    @Test("a correct gradient passes with orders ≈ 1 and 2; a wrong one fails")
    func check() throws {
        let f = try CompiledExpression("100*(x2 - x1^2)^2 + (1 - x1)^2")
        let good = GradientCheck.run(objective: f, at: [-1.2, 1])
        #expect(good.passed)
        #expect(abs((good.firstOrder ?? 0) - 1) < 0.2)
        #expect(abs((good.secondOrder ?? 0) - 2) < 0.2)
        #expect(good.description.contains("PASS"))
        let wrong = ClosureObjective(dimension: 2, gradient: { x in
            f.gradient(at: x).map { $0 * 1.01 }
        }, function: { f.value(at: $0) })
        let bad = GradientCheck.run(objective: wrong, at: [-1.2, 1])
        #expect(!bad.passed)
        #expect(abs((bad.secondOrder ?? 0) - 1) < 0.2)
        #expect(bad.description.contains("FAIL"))
    }

    @Test("closure objective: finite-difference gradient and Hessian fallback")
    func closureFallback() {
        let f = ClosureObjective(dimension: 2) { x in x[0] * x[0] * (x[0] + x[1]) }
        var g = [0.0, 0]
        #expect(f.valueAndGradient(at: [2, 3], gradient: &g) == 20)
        #expect(abs(g[0] - 24) < 1e-8 && abs(g[1] - 4) < 1e-8)
        let h = f.hessian(at: [2, 3]) ?? []
        #expect(h.count == 4)
        for (a, b) in zip(h, [18.0, 4, 4, 0]) { #expect(abs(a - b) < 1e-5) }
        #expect(GradientCheck.run(objective: f, at: [2, 3]).passed)
    }
}

@Suite("Classifier memory")
struct ClassifierMemoryTests {
    /// (x1 − 1)² + (x2 − 2)² + … + (xn − n)²: Q = 2I, bᵢ = −2i, c = Σ i².
    static func sumOfSquares(_ n: Int) -> String {
        (1...n).map { "(x\($0) - \($0))^2" }.joined(separator: " + ")
    }

    @Test("a long sum of squares is classified holding O(length) coefficients, with exact coefficients")
    func longSumHoldsLinearMemory() throws {
        // Issue #16 defect 4: every partial sum was kept, n²/2 entries for n squares
        // (12 GB for 20 000). 3000 squares keep the old code's cost at about 9·10⁶ entries.
        let n = 3000
        let f = try CompiledExpression(Self.sumOfSquares(n))
        let p = f.polynomial
        #expect(p.degree == .quadratic)
        #expect(p.peakStoredCoefficients <= 2 * f.tape.count, "peak \(p.peakStoredCoefficients) for \(f.tape.count) tape nodes")
        #expect(p.quadratic.count == n && p.quadratic.allSatisfy { $0.row == $0.column && $0.value == 2 })
        #expect(p.linear.enumerated().allSatisfy { $1 == -2 * Double($0 + 1) })
        #expect(p.constant == (1...n).reduce(0.0) { $0 + Double($1 * $1) })
    }

    @Test("50 000 squares: coefficients held stay linear in the length; the classification takes seconds, not hours")
    func fiftyThousandSquares() throws {
        let n = 50_000
        let text = Self.sumOfSquares(n)
        let clock = ContinuousClock()
        let start = clock.now
        let f = try CompiledExpression(text)
        let elapsed = clock.now - start
        let p = f.polynomial
        #expect(p.peakStoredCoefficients <= 2 * f.tape.count)
        #expect(p.quadratic.count == n && p.linear[n - 1] == -2 * Double(n))
        // Generous: a debug build on a loaded 2-core machine takes about a second; the
        // quadratic version needed ~10⁹ coefficients (tens of GB) here.
        #expect(elapsed < .seconds(60), "\(elapsed)")
    }

    @Test("scaling a long sum many times is O(1) per factor and exact for powers of two")
    func repeatedScaling() throws {
        let n = 2000
        let sum = (1...n).map { "x\($0)" }.joined(separator: " + ")
        let factors = String(repeating: "*2*0.5", count: 5000)
        let f = try CompiledExpression("(\(sum))\(factors) + 3*(x1 - 1)^2")
        let p = f.polynomial
        #expect(p.degree == .quadratic)
        #expect(p.linear[0] == 1 - 6 && p.linear[1...].allSatisfy { $0 == 1 } && p.constant == 3)
        #expect(p.quadratic.count == 1 && p.quadratic[0].value == 6)
        #expect(p.peakStoredCoefficients <= 2 * f.tape.count)
    }

    @Test("mixed scales, cancellation and subtraction give the eager coefficients")
    func mixedScales() throws {
        let p = try CompiledExpression("3*(x - 1)^2 + 2*(y - 2)^2 - (x - y) + x - y + y", variables: ["x", "y"]).polynomial
        #expect(p.denseQuadratic() == [6, 0, 0, 4])
        #expect(p.linear == [-6, -7] && p.constant == 11)
        let cancelled = try CompiledExpression("x*y - y*x + 0*z^2 + 2*(x - x)", variables: ["x", "y", "z"]).polynomial
        #expect(cancelled.degree == .constant && cancelled.quadratic.isEmpty && cancelled.linear == [0, 0, 0])
        let tenth = try CompiledExpression("0.1*(x + 0.3*y)*0.7", variables: ["x", "y"]).polynomial
        #expect(tenth.linear == [0.1 * 0.7, 0.3 * 0.1 * 0.7])
    }

    @Test("a product of long sums that would expand past the limit is general, flagged")
    func expansionLimit() throws {
        let n = 3000  // n(n+1)/2 ≈ 4.5·10⁶ products > 2²² = 4 194 304
        let sum = (1...n).map { "x\($0)" }.joined(separator: " + ")
        let p = try CompiledExpression("(\(sum))^2").polynomial
        #expect(p.degree == .general && p.expansionLimitExceeded)
        let small = try CompiledExpression("(x1 + x2 + x3)^2").polynomial
        #expect(small.degree == .quadratic && !small.expansionLimitExceeded && small.quadratic.count == 6)
    }
}
