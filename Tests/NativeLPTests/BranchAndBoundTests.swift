import Foundation
import GLPKSolvers
import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import NativeSolvers
import ProblemFormats
import Testing

/// `native.branch-and-bound` (issue #18) against the shared MILP references (HiGHS's proven
/// optima in Tests/Fixtures/milp/reference.tsv), brute-force enumeration and its own
/// bound's validity.
@Suite struct BranchAndBoundTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.path("milp/reference.tsv"))) ?? []

    static func load(_ name: String) throws -> LinearProgram {
        guard case .linear(let lp) = try ProblemFileReader.load(Fixtures.milp(name)).problem else { throw ModelError("not an LP") }
        return lp
    }

    func registry() -> SolverRegistry {
        var r = SolverRegistry()
        r.register(NativeBranchAndBoundSolver())
        return r
    }

    func branchAndBound(_ lp: LinearProgram, _ options: SolveOptions = SolveOptions(timeLimit: 60)) throws -> SolveResult {
        try registry().solve(.linear(lp), solverID: "native.branch-and-bound", options: options)
    }

    /// The quick instances in a debug build (the rest are in the MILP benchmark).
    @Test(arguments: ["knapsack_bv", "infeasible_int", "unbounded_int", "negative_bounds", "objective_constant",
                      "rounding_trap", "flugpl", "misc06", "khb05250", "egout"])
    func referenceInstance(_ name: String) throws {
        let row = try #require(Self.rows.first { $0["name"] == name })
        let lp = try Self.load(name)
        let result = try branchAndBound(lp)
        let expected = row["expected_status"] ?? ""
        #expect(result.status.rawValue == expected, "\(name): \(result.status.rawValue) (\(result.rawStatus)) \(result.notes)")
        if expected == "optimal", let value = Double(row["expected_objective"] ?? "") {
            let objective = try #require(result.objective)
            #expect(abs(objective - value) <= 1e-6 * max(1, abs(value)), "\(name): \(objective) vs \(value)")
            let details = try #require(result.details(as: MILPDetails.self))
            #expect((details.gap ?? 1) <= 1e-6)
            #expect(details.bestBound.map { abs($0 - value) <= 1e-6 * max(1, abs(value)) } == true)
        }
        #expect(result.certificateCheck?.passed == true, "\(String(describing: result.certificateCheck))")
        if expected == "unbounded" { #expect(result.certificate?.kind == .primalRay) }
        if expected == "infeasible", name == "infeasible_int" { #expect(result.certificate == nil, "integer infeasibility: a search proof") }
    }

    /// Stopped by the node limit (5: misc06 takes 13 nodes with the root cut loop of 5 flat
    /// rounds, 20 no longer stopped it), the search reports an incumbent and a bound that bracket
    /// the true optimum, and a gap that says how far apart they are.
    @Test func aNodeLimitLeavesAValidBracket() throws {
        let lp = try Self.load("misc06")
        let optimum = 12850.8607373825
        let result = try branchAndBound(lp, SolveOptions(maxIterations: 5, parameters: ["diving": .bool(false)]))
        #expect(result.status == .iterationLimit)
        let details = try #require(result.details(as: MILPDetails.self))
        let bound = try #require(details.bestBound)
        #expect(bound <= optimum + 1e-6 * optimum)
        if let incumbent = result.objective {
            #expect(incumbent >= optimum - 1e-6 * optimum)
            #expect(isClose(try #require(details.gap), abs(incumbent - bound) / max(1, abs(incumbent)), relative: 1e-12))
        }
        #expect(details.nodes == 5)
    }

    /// A loose gap tolerance stops early with the gap it promised.
    @Test func theGapToleranceIsHonoured() throws {
        let lp = try Self.load("flugpl")
        let optimum = 1201500.0
        let result = try branchAndBound(lp, SolveOptions(tolerance: 0.05))
        #expect(result.status == .optimal)
        let details = try #require(result.details(as: MILPDetails.self))
        #expect(try #require(details.gap) <= 0.05)
        let objective = try #require(result.objective)
        #expect(objective >= optimum - 1e-6 && objective <= optimum * 1.06)
        #expect(try #require(details.bestBound) <= optimum + 1e-6)
    }

    /// Random pure-integer programs in a box, against enumeration of every point; every
    /// branching and node-selection rule.
    @Test(arguments: ["reliability/hybrid", "reliability/best-bound", "pseudocost/hybrid", "most-fractional/best-bound", "pseudocost/depth-first"])
    func randomProgramsAgreeWithEnumeration(_ rules: String) throws {
        let parts = rules.split(separator: "/").map(String.init)
        var random = SeededGenerator(seed: 17)
        for trial in 0..<25 {
            let n = 4, m = 3, top = 3.0
            var rows: [[Double]] = []
            for _ in 0..<m { rows.append((0..<n).map { _ in Double(Int.random(in: -3...6, using: &random)) }) }
            let c = (0..<n).map { _ in Double(Int.random(in: -9...9, using: &random)) + 0.5 }
            let rhs = (0..<m).map { _ in Double(Int.random(in: 2...12, using: &random)) + 0.3 }
            let lp = try makeLP(.maximize, c: c, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: rhs,
                                columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: top, count: n),
                                integerColumns: Array(0..<n))
            var best = -Double.infinity
            for code in 0..<256 {
                let x = (0..<n).map { Double((code >> (2 * $0)) & 3) }
                let feasible = (0..<m).allSatisfy { i in zip(rows[i], x).map(*).reduce(0, +) <= rhs[i] + 1e-9 }
                if feasible { best = max(best, zip(c, x).map(*).reduce(0, +)) }
            }
            let result = try branchAndBound(lp, SolveOptions(parameters: ["branching": .string(parts[0]),
                                                                          "node_selection": .string(parts[1])]))
            if best == -.infinity {
                #expect(result.status == .infeasible, "trial \(trial)")
            } else {
                #expect(result.status == .optimal, "trial \(trial): \(result.rawStatus)")
                #expect(isClose(result.objective ?? .nan, best, absolute: 1e-9), "trial \(trial): \(result.objective ?? .nan) vs \(best)")
            }
        }
    }

    /// A random 10-binary program, maximize cᵀx subject to rows·x ≤ about half each row's
    /// sum, and its optimum by enumerating all 1 024 points (−∞ when none is feasible).
    func randomBinaryProgram(rows m: Int, entries: ClosedRange<Int>, costs: ClosedRange<Int>,
                             using random: inout SeededGenerator) throws -> (lp: LinearProgram, best: Double) {
        let n = 10
        var rows: [[Double]] = []
        for _ in 0..<m { rows.append((0..<n).map { _ in Double(Int.random(in: entries, using: &random)) }) }
        let c = (0..<n).map { _ in Double(Int.random(in: costs, using: &random)) }
        let rhs = rows.map { row in (row.reduce(0, +) / 2).rounded() + 0.5 }
        let lp = try makeLP(.maximize, c: c, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: rhs,
                            columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: 1, count: n),
                            integerColumns: Array(0..<n))
        var best = -Double.infinity
        for code in 0..<(1 << n) {
            let x = (0..<n).map { Double((code >> $0) & 1) }
            let feasible = (0..<m).allSatisfy { i in zip(rows[i], x).map(*).reduce(0, +) <= rhs[i] }
            if feasible { best = max(best, zip(c, x).map(*).reduce(0, +)) }
        }
        return (lp, best)
    }

    /// RENS's and RINS's sub-MIPs fix columns, so an incumbent they return must still be
    /// feasible for the whole problem and the search must still prove the true optimum:
    /// 10-binary programs against enumeration, once with the dives and rounding off so RENS
    /// is the one heuristic at the root, once with RINS from node 2. Each must also have
    /// run on some of them (their notes).
    @Test func subMIPHeuristicsKeepTheOptimumOfRandomBinaryPrograms() throws {
        var random = SeededGenerator(seed: 41)
        var rensRuns = 0, rinsRuns = 0
        for trial in 0..<30 {
            let (lp, best) = try randomBinaryProgram(rows: 4, entries: -2...9, costs: 1...20, using: &random)
            let result = try branchAndBound(lp, SolveOptions(parameters: ["diving": .bool(false), "rounding": .bool(false),
                                                                          "cut_rounds": .number(0), "rens_nodes": .number(3)]))
            if result.notes.contains(where: { $0.hasPrefix("RENS") }) { rensRuns += 1 }
            #expect(result.status == .optimal, "trial \(trial): \(result.rawStatus)")
            #expect(isClose(result.objective ?? .nan, best, absolute: 1e-9), "trial \(trial): \(result.objective ?? .nan) vs \(best)")
            // RINS from the second node on, with the root cuts off so the tree is not trivial.
            let withRINS = try branchAndBound(lp, SolveOptions(parameters: ["rens": .bool(false), "cut_rounds": .number(0),
                                                                            "rins_start": .number(2), "rens_nodes": .number(3)]))
            if withRINS.notes.contains(where: { $0.hasPrefix("RINS") }) { rinsRuns += 1 }
            #expect(withRINS.status == .optimal, "trial \(trial): \(withRINS.rawStatus)")
            #expect(isClose(withRINS.objective ?? .nan, best, absolute: 1e-9), "trial \(trial) with RINS: \(withRINS.objective ?? .nan) vs \(best)")
        }
        #expect(rensRuns >= 10, "RENS ran on only \(rensRuns) of 30")
        #expect(rinsRuns >= 5, "RINS ran on only \(rinsRuns) of 30")
    }

    /// The root-face search's sub-MIP prunes with a cutoff just above the root bound and
    /// fixes columns by the root's reduced costs: a point it returns must be feasible and
    /// optimal, and when it finds none the search must still prove the true optimum. 10-binary
    /// programs with integer costs (a grid of 1) against enumeration, with every other
    /// heuristic and the cuts off; it must find the optimum at the root bound on some.
    @Test func rootFaceSearchKeepsTheOptimumOfRandomBinaryPrograms() throws {
        var random = SeededGenerator(seed: 43)
        var found = 0, empty = 0
        for trial in 0..<40 {
            // Two knapsack rows with small costs: the integer optimum is often the LP
            // bound rounded down, and often below it.
            let (lp, best) = try randomBinaryProgram(rows: 2, entries: 1...9, costs: 1...4, using: &random)
            let result = try branchAndBound(lp, SolveOptions(parameters: ["diving": .bool(false), "rounding": .bool(false),
                                                                          "cut_rounds": .number(0), "rens": .bool(false),
                                                                          "rins": .bool(false)]))
            if result.notes.contains(where: { $0.hasPrefix("root-face search") && $0.hasSuffix("an incumbent at the root bound") }) { found += 1 }
            if result.notes.contains(where: { $0.hasPrefix("root-face search") && $0.hasSuffix("no point at the root bound") }) { empty += 1 }
            #expect(result.status == .optimal, "trial \(trial): \(result.rawStatus)")
            #expect(isClose(result.objective ?? .nan, best, absolute: 1e-9), "trial \(trial): \(result.objective ?? .nan) vs \(best)")
        }
        #expect(found >= 10, "the root-face search found the optimum on only \(found) of 40")
        #expect(empty >= 10, "the root-face search came back empty on only \(empty) of 40")
    }

    /// Random mixed-integer programs (4 integer columns in [0, 3], 2 continuous in [0, 5])
    /// against enumeration of the integer part with GLPK's simplex solving the continuous
    /// rest: Gomory cuts and bound tightening with continuous columns in the rows.
    @Test func randomMixedProgramsAgreeWithEnumeration() throws {
        var random = SeededGenerator(seed: 29)
        var reference = SolverRegistry()
        reference.register(GLPKSimplexSolver())
        for trial in 0..<20 {
            let n = 6, m = 3
            var rows: [[Double]] = []
            for _ in 0..<m { rows.append((0..<n).map { _ in Double(Int.random(in: -4...7, using: &random)) / 2 }) }
            let c = (0..<n).map { _ in Double(Int.random(in: -9...9, using: &random)) + 0.25 }
            let rhs = (0..<m).map { _ in Double(Int.random(in: 3...14, using: &random)) + 0.4 }
            let upper = [3.0, 3, 3, 3, 5, 5]
            let lp = try makeLP(.maximize, c: c, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: rhs,
                                columnLower: Array(repeating: 0, count: n), columnUpper: upper, integerColumns: [0, 1, 2, 3])
            var best = -Double.infinity
            for code in 0..<256 {
                let fixed = (0..<4).map { Double((code >> (2 * $0)) & 3) }
                let part = try makeLP(.maximize, c: c, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: rhs,
                                      columnLower: fixed + [0, 0], columnUpper: fixed + [5, 5])
                let r = try reference.solve(.linear(part), solverID: "glpk.simplex")
                if r.status == .optimal, let value = r.objective { best = max(best, value) }
            }
            let result = try branchAndBound(lp)
            if best == -.infinity {
                #expect(result.status == .infeasible, "trial \(trial)")
            } else {
                #expect(result.status == .optimal, "trial \(trial): \(result.rawStatus)")
                #expect(isClose(result.objective ?? .nan, best, absolute: 1e-7, relative: 1e-9),
                        "trial \(trial): \(result.objective ?? .nan) vs \(best)")
            }
        }
    }

    /// max 8b + a s.t. 4a + b ≤ 2, binaries: the relaxation says 8.25, the answer is 8; the
    /// history carries the MIP fields.
    @Test func theKnapsackGivesEightWithAMIPHistory() throws {
        let lp = try makeLP(.maximize, c: [1, 8], rows: [[4, 1]], rowLower: [-.infinity], rowUpper: [2],
                            columnLower: [0, 0], columnUpper: [1, 1], integerColumns: [0, 1])
        let result = try branchAndBound(lp)
        #expect(result.status == .optimal && result.objective == 8)
        let last = try #require(result.history.records.last)
        #expect(last.objective == 8 && last.value(forKey: "best_bound") == 8 && last.value(forKey: "open_nodes") == 0)
        #expect(last.value(forKey: "nodes") != nil)
    }

    /// The objective's grid: the step every integer point's objective moves by, which node
    /// bounds round up to (vpm2's costs are 0.25 each).
    @Test func theObjectiveGridIsTheCostsCommonStep() {
        let grid = { (c: [Double], integer: [Bool]) in BranchAndBoundSearch.objectiveGranularity(c, isInteger: integer) }
        #expect(grid([0.25, 0.5, 0, 1.25], [true, true, false, true]) == 0.25)
        #expect(grid([2, -4, 6], [true, true, true]) == 2)
        #expect(grid([0.1, 0.3], [true, true]) == 0.1)
        #expect(grid([1.0 / 3, 2.0 / 3], [true, true]).map { abs($0 - 1.0 / 3) < 1e-15 } == true)
        // No grid: a continuous column with a cost, no cost at all, a cost no small scale
        // makes integral, one a hair off an integer.
        #expect(grid([1, 1], [true, false]) == nil)
        #expect(grid([0, 0], [true, true]) == nil)
        #expect(grid([1e-7, 1], [true, true]) == nil)
        #expect(grid([1 + 1e-10, 1], [true, true]) == nil)
        #expect(grid([0.3 + 1e-9, 1], [true, true]) == nil)
    }

    /// Random pure-integer programs whose costs are multiples of 0.25 (and an objective
    /// constant off the grid), against enumeration: node bounds rounded up to the objective's
    /// grid c₀ + 0.25·ℤ must never cut off the optimum (a grid of 0.5 or 1 here does).
    @Test func boundsRoundedToAQuarterGridKeepTheOptimum() throws {
        var random = SeededGenerator(seed: 41)
        for trial in 0..<40 {
            let n = 4, m = 3
            var rows: [[Double]] = []
            for _ in 0..<m { rows.append((0..<n).map { _ in Double(Int.random(in: -3...6, using: &random)) }) }
            let c = (0..<n).map { _ in Double(Int.random(in: -20...20, using: &random)) * 0.25 }
            let rhs = (0..<m).map { _ in Double(Int.random(in: 2...12, using: &random)) + 0.3 }
            let lp = try makeLP(.minimize, c: c, c0: 0.1, rows: rows, rowLower: Array(repeating: -.infinity, count: m), rowUpper: rhs,
                                columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: 3, count: n),
                                integerColumns: Array(0..<n))
            var best = Double.infinity
            for code in 0..<256 {
                let x = (0..<n).map { Double((code >> (2 * $0)) & 3) }
                let feasible = (0..<m).allSatisfy { i in zip(rows[i], x).map(*).reduce(0, +) <= rhs[i] + 1e-9 }
                if feasible { best = min(best, 0.1 + zip(c, x).map(*).reduce(0, +)) }
            }
            let quiet: [String: OptionValue] = ["cut_rounds": .number(0), "diving": .bool(false), "rounding": .bool(false)]
            let result = try branchAndBound(lp, SolveOptions(parameters: quiet))
            // Every bound the search reports, from the root's on, stays at or below the optimum.
            for nodes in [1, 3, 10] {
                let partial = try branchAndBound(lp, SolveOptions(maxIterations: nodes, parameters: quiet))
                if let bound = partial.details(as: MILPDetails.self)?.bestBound, best < .infinity {
                    #expect(bound <= best + 1e-9, "trial \(trial), \(nodes) node(s): bound \(bound) above the optimum \(best)")
                }
            }
            if best == .infinity {
                #expect(result.status == .infeasible, "trial \(trial)")
            } else {
                #expect(result.status == .optimal, "trial \(trial): \(result.rawStatus)")
                #expect(isClose(result.objective ?? .nan, best, absolute: 1e-9), "trial \(trial): \(result.objective ?? .nan) vs \(best)")
            }
        }
    }
}
