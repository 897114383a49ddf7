import BuiltInSolvers
import CGLPK
import CGLPKShim
import Foundation
import Lagrange
import LagrangeTestSupport
@testable import ProblemFormats
import Testing

/// GLPK as an independent reader and writer of CPLEX LP files.
enum GLPKFiles {
    /// GLPK's optimal objective for an LP file read by `glp_read_lp` (`glp_intopt` when it has
    /// integer columns); nil when GLPK cannot read it or finds no optimum.
    static func objective(ofLPFile path: String) -> Double? {
        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        guard let prob = glp_create_prob() else { return nil }
        let generation = lagrange_glpk_generation()
        defer { if lagrange_glpk_generation() == generation { glp_delete_prob(prob) } }
        var failed: Int32 = 0
        guard lagrange_glp_read_lp_guarded(prob, path, &failed) == 0, failed == 0 else { return nil }
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.presolve = GLP_ON
        guard lagrange_glp_simplex_guarded(prob, &smcp, &failed) == 0, failed == 0, glp_get_status(prob) == GLP_OPT else { return nil }
        guard glp_get_num_int(prob) > 0 else { return glp_get_obj_val(prob) }
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        guard lagrange_glp_intopt_guarded(prob, &iocp, &failed) == 0, failed == 0, glp_mip_status(prob) == GLP_OPT else { return nil }
        return glp_mip_obj_val(prob)
    }

    /// GLPK's own CPLEX LP text for a fixed-format MPS file (`glp_read_mps`, then `glp_write_lp`).
    static func lpText(ofMPSFile path: String) throws -> String? {
        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        guard let prob = glp_create_prob() else { return nil }
        defer { glp_delete_prob(prob) }
        // The shared set is fixed-format MPS (glpsol --mps).
        guard glp_read_mps(prob, GLP_MPS_DECK, nil, path) == 0 else { return nil }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-\(UUID().uuidString).lp").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var failed: Int32 = 0
        guard lagrange_glp_write_lp_guarded(prob, out, &failed) == 0, failed == 0 else { return nil }
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}

private let references = (try? Fixtures.tsv(Fixtures.path("lp/reference.tsv"))) ?? []
private let lpFixtures = references.map { $0["name"] ?? "" }

/// `original` and `back` are the same program up to the column order the LP reader creates
/// (first appearance) and the names the writer had to change.
private func expectSameProgram(_ original: LinearProgram, _ back: LinearProgram, _ label: String,
                               quadratic q1: SparseMatrix? = nil, _ q2: SparseMatrix? = nil) {
    let names = CPLEXLPWriter.uniqueNames(original.variableNames, fallback: "x")
    let rows = CPLEXLPWriter.uniqueNames(original.constraintNames, fallback: "c")
    #expect(back.columnCount == original.columnCount && back.rowCount == original.rowCount, "\(label)")
    guard back.columnCount == original.columnCount, back.rowCount == original.rowCount else { return }
    var where_ = [String: Int]()
    for (j, n) in back.variableNames.enumerated() { where_[n] = j }
    let permutation = names.map { where_[$0] ?? -1 }
    #expect(!permutation.contains(-1), "\(label): a column lost its name")
    guard !permutation.contains(-1) else { return }
    #expect(back.constraintNames == rows, "\(label)")
    #expect(back.sense == original.sense && back.objectiveConstant == original.objectiveConstant, "\(label)")
    #expect(permutation.map { back.objective[$0] } == original.objective, "\(label): objective")
    #expect(permutation.map { back.columnLower[$0] } == original.columnLower, "\(label): column lower bounds")
    #expect(permutation.map { back.columnUpper[$0] } == original.columnUpper, "\(label): column upper bounds")
    #expect(back.rowLower == original.rowLower && back.rowUpper == original.rowUpper, "\(label): row bounds")
    #expect(Set(back.integerColumns) == Set(original.integerColumns.map { permutation[$0] }), "\(label): integers")
    func entries(_ a: SparseMatrix, _ map: (Int) -> Int) -> Set<String> {
        var out = Set<String>()
        for j in 0..<a.columnCount { a.forEachEntry(inColumn: j) { i, v in if v != 0 { out.insert("\(i) \(map(j)) \(v)") } } }
        return out
    }
    #expect(entries(back.constraints, { $0 }) == entries(original.constraints, { permutation[$0] }), "\(label): matrix")
    if let q1 {
        let q2 = q2 ?? .zeros(rows: 0, columns: 0)
        var entriesQ1 = Set<String>()
        for j in 0..<q1.columnCount { q1.forEachEntry(inColumn: j) { i, v in if v != 0 { entriesQ1.insert("\(permutation[i]) \(permutation[j]) \(v)") } } }
        #expect(entries(q2, { $0 }) == entriesQ1, "\(label): Q")
    }
}

@Suite("CPLEX LP format")
struct CPLEXLPTests {
    @Test("every LP of the shared Netlib set, written as .lp and read back, is the same program and reaches the reference optimum", arguments: lpFixtures)
    func roundTrip(_ name: String) throws {
        let model = try MPSReader.read(contentsOf: Fixtures.path("lp/\(name).mps"))
        let text = CPLEXLPWriter.write(model.linearProgram, quadratic: model.quadratic)
        let back = try CPLEXLPReader.parse(text, file: "\(name).lp")
        expectSameProgram(model.linearProgram, back.linearProgram, name)
        // A second trip changes nothing: names and the column order the reader made are kept.
        #expect(try CPLEXLPReader.parse(CPLEXLPWriter.write(back.linearProgram)).linearProgram == back.linearProgram)
        let reference = try #require(references.first { $0["name"] == name })
        let result = try SolverRegistry.builtIn.solve(.linear(back.linearProgram), name: name, solverID: "glpk.simplex")
        #expect(result.status.rawValue == reference["expected_status"], "\(name): \(result.status)")
        // expected_objective: c₀ = −RHS of the objective row, the project's convention.
        if let expected = reference["expected_objective"].flatMap(Double.init) {
            #expect(isClose(result.objective ?? .nan, expected, relative: 1e-9), "\(name): \(result.objective ?? .nan) vs \(expected)")
        }
    }

    @Test("GLPK reads our .lp output to the same optimum, and we read GLPK's .lp output to the same optimum", arguments: lpFixtures)
    func agreesWithGLPK(_ name: String) throws {
        let path = Fixtures.path("lp/\(name).mps")
        let lp = try MPSReader.read(contentsOf: path).linearProgram
        let reference = try #require(references.first { $0["name"] == name })
        guard reference["expected_status"] == "optimal", let expected = reference["expected_objective"].flatMap(Double.init) else { return }
        // Ours → GLPK, where GLPK's reader knows every construct we wrote (no ranges, no c₀).
        let ranged = zip(lp.rowLower, lp.rowUpper).contains { $0.isFinite && $1.isFinite && $0 != $1 }
        if !ranged && lp.objectiveConstant == 0 {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).lp").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try CPLEXLPWriter.write(lp).write(toFile: file, atomically: true, encoding: .utf8)
            let glpk = try #require(GLPKFiles.objective(ofLPFile: file), "GLPK could not read our \(name).lp")
            #expect(isClose(glpk, expected, relative: 1e-9), "\(name): GLPK on our file \(glpk) vs \(expected)")
        }
        // GLPK → ours: glp_write_lp's text (ranges as slack columns; GLPK's MPS reader takes c₀
        // with the other sign and its LP writer drops it, so compare without c₀).
        let text = try #require(try GLPKFiles.lpText(ofMPSFile: path))
        let theirs = try CPLEXLPReader.parse(text, file: "glpk-\(name).lp").linearProgram
        let result = try SolverRegistry.builtIn.solve(.linear(theirs), name: name, solverID: "glpk.simplex")
        #expect(isClose((result.objective ?? .nan) + lp.objectiveConstant, expected, relative: 1e-9), "\(name) through GLPK's .lp")
    }

    @Test("a file with every construct GLPK's reader knows: parsed as written, and solved to GLPK's objective")
    func syntaxFile() throws {
        let path = Fixtures.path("modeling/syntax.lp")
        let definition = try ProblemFileReader.load(path)
        guard case .linear(let lp) = definition.problem else {
            Issue.record("not an LP")
            return
        }
        #expect(definition.name == "syntax")
        #expect(lp.sense == .maximize && lp.objectiveName == "profit")
        #expect(lp.variableNames == ["x1", "x2", "x3", "b", "x4"])
        #expect(lp.objective == [3, 2, -0.5, 4, -1])
        #expect(lp.constraintNames == ["c_a", "c_b", "c3", "c_d", "c_e", "c_f"])
        #expect(lp.rowLower == [-.infinity, -2, 9, -.infinity, -3, -.infinity])
        #expect(lp.rowUpper == [10, .infinity, 9, 5.5, .infinity, 42])
        #expect(lp.constraints[5, 0] == 10 && lp.constraints[5, 1] == 0.25)
        #expect(lp.columnLower == [0, -.infinity, 1, 0, -.infinity])
        #expect(lp.columnUpper == [4, 6, .infinity, 1, .infinity])
        #expect(lp.integerColumns == [1, 3])
        let glpk = try #require(GLPKFiles.objective(ofLPFile: path))
        #expect(glpk == 20.5)
        let result = try SolverRegistry.builtIn.solve(definition)
        #expect(result.solverID == "glpk.mip")
        #expect(result.objective == glpk)
    }

    @Test("ranges, a quadratic objective and a constant: parsed to the hand-derived Q, bounds and c₀, and written back identically")
    func rangedQuadratic() throws {
        let path = Fixtures.path("modeling/ranged_qp.lp")
        let model = try CPLEXLPReader.read(contentsOf: path)
        let lp = model.linearProgram
        #expect(lp.name == "ranged_qp" && lp.sense == .minimize && lp.objectiveConstant == -3)
        #expect(lp.rowLower == [-1, 1] && lp.rowUpper == [2, .infinity])
        #expect(lp.columnLower == [-5, -.infinity] && lp.columnUpper == [.infinity, 3])
        // [2x² + 2xy + 4y²]/2 = ½xᵀQx with Q = [[2, 1], [1, 4]].
        let q = try #require(model.quadratic)
        #expect(q.dense() == (try DenseMatrix(rowArrays: [[2, 1], [1, 4]])))
        let again = try CPLEXLPReader.parse(CPLEXLPWriter.write(lp, quadratic: q))
        expectSameProgram(lp, again.linearProgram, "ranged_qp", quadratic: q, again.quadratic)
        // min x² + xy + 2y² + x + 2y − 3: the free minimum (−2/7, −3/7) has x + y < 1, so x + y = 1
        // holds; with y = 1 − x the objective is 2x² − 4x + 1, least at x = 1: −1, and
        // x − y = 1 lies inside the band.
        let result = try SolverRegistry.builtIn.solve(ProblemFileReader.load(path))
        #expect(result.status == .optimal)
        #expect(isClose(result.objective ?? .nan, -1, relative: 1e-7))
        #expect(isClose(result.value(of: "x") ?? .nan, 1, absolute: 1e-6))
        #expect(abs(result.value(of: "y") ?? .nan) < 1e-6)
    }

    @Test("names the format cannot carry are rewritten, kept unique, and read back")
    func names() throws {
        var model = Model(name: "names")
        let a = model.addVariable("end", lowerBound: 0)
        let b = model.addVariable("2nd", lowerBound: 0)
        let c = model.addVariable("e1", lowerBound: 0)
        let d = model.addVariable("x y", lowerBound: 0)
        let e = model.addVariable("x_y", lowerBound: 0)
        let f = model.addVariables("z", count: 2, lowerBound: 0)
        model.addConstraint(a + b + c + d + e + f.sum() >= 1, name: "free")
        model.minimize(a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f[0] + 7 * f[1])
        guard case .linear(let lp) = try model.problem else { return }
        let back = try CPLEXLPReader.parse(CPLEXLPWriter.write(lp)).linearProgram
        #expect(back.variableNames == ["_end", "_2nd", "_e1", "x_y", "x_y_2", "z(0)", "z(1)"])
        #expect(back.constraintNames == ["_free"])
        expectSameProgram(lp, back, "names")
    }
}
