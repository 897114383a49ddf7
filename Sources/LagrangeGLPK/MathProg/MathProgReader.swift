#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGLPK
import CGLPKShim
import Foundation
import LagrangeCore
import LinearAlgebra
import ProblemFormats

/// GLPK MathProg (GMPL) models (`.mod`, with an optional `.dat` data file), translated by
/// GLPK's own translator into an LP or MILP that any Lagrange solver can take.
///
/// ``load(_:data:)`` runs `glp_mpl_read_model`, `glp_mpl_read_data`, `glp_mpl_generate` and
/// `glp_mpl_build_prob`, and copies the generated problem into a ``LagrangeCore/LinearProgram``
/// (free rows, such as the objective's own row, are left out). ``postsolve(_:data:result:)``
/// translates again, loads a solution into GLPK and runs `glp_mpl_postsolve`: it returns what
/// the model's `display` and `printf` statements print, before and after `solve;`, as glpsol
/// would print it.
///
/// Every call runs on the calling thread from start to end (GLPK keeps per-thread state) with
/// GLPK's terminal captured, so nothing reaches stdout. A translator error becomes an
/// ``LagrangeCore/InputError`` with GLPK's file and line; an internal GLPK error is recovered by
/// the guard in CGLPKShim (the thread's GLPK environment is reset) and reported the same way.
package enum MathProgReader {
    /// Reads a model without a separate data file (``ProblemFileReader`` by extension).
    @Sendable
    package static func loadDefinition(_ path: String) throws(InputError) -> ProblemDefinition {
        try load(path, data: nil)
    }

    /// Translates `path` (with `data`, a `.dat` file, when given: the model's own `data;`
    /// section is then skipped, as glpsol does) into an LP or MILP definition named by the file's stem.
    package static func load(_ path: String, data: String? = nil) throws(InputError) -> ProblemDefinition {
        let (lp, _) = try translate(path, data: data) { _, _, prob throws(InputError) in try linearProgram(prob, path: path) }
        var notes: [String] = []
        if let data { notes.append("data from \(data)") }
        if lp.isMixedInteger { notes.append("\(lp.integerColumns.count) integer column\(lp.integerColumns.count == 1 ? "" : "s")") }
        return ProblemDefinition(name: ProblemFileReader.stem(of: path), problem: .linear(lp), sourcePath: path, notes: notes)
    }

    /// The model's `display`/`printf` output for `result` (a solve of ``load(_:data:)``'s
    /// problem): the translation is repeated, the result's values are loaded into GLPK (an
    /// interior-point solution with duals for an LP, a MIP solution for a MILP), and
    /// `glp_mpl_postsolve` runs. Empty when the result has no complete primal point.
    package static func postsolve(_ path: String, data: String? = nil, result: SolveResult) throws(InputError) -> String {
        let (_, output) = try translate(path, data: data) { session, tran, prob throws(InputError) in
            let n = Int(glp_get_num_cols(prob)), m = Int(glp_get_num_rows(prob))
            guard n > 0, result.primal.count == n, result.primal.allSatisfy(\.isFinite) else { return }
            let kept = keptRows(prob)
            let integer = (1...n).contains { glp_get_col_kind(prob, Int32($0)) != GLP_CV }
            // Row activities from GLPK's own matrix, so the free rows get theirs too.
            var activity = [Double](repeating: 0, count: m + 1)
            var indices = [Int32](repeating: 0, count: m + 1)
            var values = [Double](repeating: 0, count: m + 1)
            for j in 1...n {
                let length = Int(glp_get_mat_col(prob, Int32(j), &indices, &values))
                for k in stride(from: 1, through: length, by: 1) { activity[Int(indices[k])] += values[k] * result.primal[j - 1] }
            }
            var rowDual = [Double](repeating: 0, count: m + 1)
            if let duals = result.duals, duals.count == kept.count {
                for (position, row) in kept.enumerated() { rowDual[row] = duals[position] }
            }
            let reduced = result.reducedCosts.flatMap { $0.count == n ? $0 : nil } ?? Array(repeating: 0, count: n)
            let status = result.status == .optimal ? "o" : "f"
            let objective = result.objective ?? 0
            var text = integer ? "s mip \(m) \(n) \(status) \(number(objective))\n" : "s ipt \(m) \(n) \(status) \(number(objective))\n"
            for i in stride(from: 1, through: m, by: 1) {
                text += integer ? "i \(i) \(number(activity[i]))\n" : "i \(i) \(number(activity[i])) \(number(rowDual[i]))\n"
            }
            for j in 1...n {
                text += integer ? "j \(j) \(number(result.primal[j - 1]))\n" : "j \(j) \(number(result.primal[j - 1])) \(number(reduced[j - 1]))\n"
            }
            text += "e o f\n"
            let solution = temporaryPath("solution")
            defer { unlink(solution) }
            do { try text.write(toFile: solution, atomically: false, encoding: .utf8) } catch {
                throw InputError(file: path, "cannot write a temporary file for GLPK: \(error.localizedDescription)")
            }
            let read = try session.guarded(path) {
                integer ? lagrange_glp_read_mip_guarded(prob, solution, $0) : lagrange_glp_read_ipt_guarded(prob, solution, $0)
            }
            guard read == 0 else { throw InputError(file: path, "GLPK could not load the solution for postsolve") }
            let code = try session.guarded(path) { lagrange_glp_mpl_postsolve_guarded(tran, prob, integer ? GLP_MIP : GLP_IPT, $0) }
            guard code == 0 else { throw session.translatorError(path) }
        }
        return output
    }

    // MARK: Translation

    /// One translation on this thread: GLPK's terminal text, the workspace and the problem.
    private final class Session {
        var terminal = ""
        var tran: OpaquePointer?
        var prob: OpaquePointer?

        /// Runs a guarded call; a recovered GLPK error becomes an InputError with GLPK's message.
        func guarded<T>(_ file: String, _ call: (UnsafeMutablePointer<Int32>) -> T) throws(InputError) -> T {
            var failed: Int32 = 0
            let value = call(&failed)
            guard failed == 0 else {
                tran = nil
                prob = nil  // gone with the environment
                let message = terminal.split(separator: "\n").last(where: { !$0.hasPrefix("Error detected in file") }).map(String.init)
                throw InputError(file: file, "GLPK stopped on an internal error: \(message ?? "no message")")
            }
            return value
        }

        /// GLPK's first `file:line: message`, as an InputError.
        func translatorError(_ fallback: String) -> InputError {
            let lines = terminal.split(separator: "\n").map(String.init)
            for line in lines {
                // "transp.mod:12: syntax error in ..." (the file as GLPK was given it).
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, let number = Int(parts[1]), !parts[0].isEmpty {
                    var message = parts[2].trimmingCharacters(in: .whitespaces)
                    if let context = lines.first(where: { $0.hasPrefix("Context:") }) {
                        message += " (\(context.trimmingCharacters(in: .whitespaces)))"
                    }
                    return InputError(file: String(parts[0]), line: number, message)
                }
            }
            let last = lines.last(where: { !$0.isEmpty && !$0.hasPrefix("Reading") && !$0.hasPrefix("Generating") })
            return InputError(file: fallback, last ?? "translation failed")
        }
    }

    /// Runs GLPK's translator on `path` (and `data`), hands the built problem to `body`, then
    /// frees everything and returns `body`'s value with the model's output (display, printf).
    private static func translate<T>(_ path: String, data: String?,
                                     _ body: (Session, OpaquePointer, OpaquePointer) throws(InputError) -> T) throws(InputError) -> (T, String) {
        for file in [path] + (data.map { [$0] } ?? []) {
            _ = try TextFile.bytes(file)  // a missing, unreadable or binary file, said plainly
        }
        let session = Session()
        let output = temporaryPath("output")
        let generation = lagrange_glpk_generation()
        glp_term_hook({ info, text in
            guard let info, let text else { return 1 }
            Unmanaged<Session>.fromOpaque(info).takeUnretainedValue().terminal += String(cString: text)
            return 1  // non-zero: GLPK prints nothing itself
        }, Unmanaged.passUnretained(session).toOpaque())
        let value: T
        do throws(InputError) {
            defer {
                // After a recovered GLPK error the environment, and these objects with it, are gone.
                if lagrange_glpk_generation() == generation {
                    if let prob = session.prob { glp_delete_prob(prob) }
                    if let tran = session.tran { glp_mpl_free_wksp(tran) }  // closes the output file
                }
                glp_term_hook(nil, nil)
                withExtendedLifetime(session) {}
            }
            guard let tran = glp_mpl_alloc_wksp() else { throw InputError(file: path, "GLPK could not start its translator") }
            session.tran = tran
            guard try session.guarded(path, { lagrange_glp_mpl_read_model_guarded(tran, path, data == nil ? 0 : 1, $0) }) == 0 else {
                throw session.translatorError(path)
            }
            if let data {
                guard try session.guarded(data, { lagrange_glp_mpl_read_data_guarded(tran, data, $0) }) == 0 else {
                    throw session.translatorError(data)
                }
            }
            guard try session.guarded(path, { lagrange_glp_mpl_generate_guarded(tran, output, $0) }) == 0 else {
                throw session.translatorError(path)
            }
            guard let prob = glp_create_prob() else { throw InputError(file: path, "GLPK could not create a problem") }
            session.prob = prob
            try session.guarded(path) { lagrange_glp_mpl_build_prob_guarded(tran, prob, $0) }
            value = try body(session, tran, prob)
        } catch {
            unlink(output)
            throw error
        }
        defer { unlink(output) }
        let text = FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (value, text)
    }

    // MARK: GLPK problem → LinearProgram

    /// Rows with a bound (1-based); free rows, such as each objective's own row, are dropped.
    private static func keptRows(_ prob: OpaquePointer) -> [Int] {
        let m = Int(glp_get_num_rows(prob))
        return m == 0 ? [] : (1...m).filter { glp_get_row_type(prob, Int32($0)) != GLP_FR }
    }

    private static func linearProgram(_ prob: OpaquePointer, path: String) throws(InputError) -> LinearProgram {
        let n = Int(glp_get_num_cols(prob))
        guard n > 0 else { throw InputError(file: path, "the model has no variables") }
        let kept = keptRows(prob)
        var position = [Int](repeating: -1, count: Int(glp_get_num_rows(prob)) + 1)
        for (k, i) in kept.enumerated() { position[i] = k }
        func bounds(_ type: Int32, _ lb: Double, _ ub: Double) -> (Double, Double) {
            switch type {
            case GLP_FR: return (-.infinity, .infinity)
            case GLP_LO: return (lb, .infinity)
            case GLP_UP: return (-.infinity, ub)
            case GLP_FX: return (lb, lb)
            default: return (lb, ub)
            }
        }
        var rowLower: [Double] = [], rowUpper: [Double] = [], rowNames: [String] = []
        for i in kept {
            let r = Int32(i)
            let (lo, hi) = bounds(glp_get_row_type(prob, r), glp_get_row_lb(prob, r), glp_get_row_ub(prob, r))
            rowLower.append(lo); rowUpper.append(hi)
            rowNames.append(glp_get_row_name(prob, r).map { String(cString: $0) } ?? "r\(i)")
        }
        var columnLower: [Double] = [], columnUpper: [Double] = [], columnNames: [String] = [], cost: [Double] = []
        var integers: [Int] = []
        var starts = [0], rows: [Int] = [], values: [Double] = []
        let m = position.count - 1
        var indices = [Int32](repeating: 0, count: m + 1)
        var entries = [Double](repeating: 0, count: m + 1)
        for j in 1...n {
            let c = Int32(j)
            let (lo, hi) = bounds(glp_get_col_type(prob, c), glp_get_col_lb(prob, c), glp_get_col_ub(prob, c))
            columnLower.append(lo); columnUpper.append(hi)
            columnNames.append(glp_get_col_name(prob, c).map { String(cString: $0) } ?? "x\(j)")
            cost.append(glp_get_obj_coef(prob, c))
            if glp_get_col_kind(prob, c) != GLP_CV { integers.append(j - 1) }
            let length = Int(glp_get_mat_col(prob, c, &indices, &entries))
            var column: [(Int, Double)] = []
            for k in stride(from: 1, through: length, by: 1) where position[Int(indices[k])] >= 0 {
                column.append((position[Int(indices[k])], entries[k]))
            }
            column.sort { $0.0 < $1.0 }
            for (i, v) in column { rows.append(i); values.append(v) }
            starts.append(rows.count)
        }
        let a: SparseMatrix
        do {
            a = try SparseMatrix(rowCount: kept.count, columnCount: n, columnStarts: starts, rowIndices: rows, values: values)
        } catch {
            throw InputError(file: path, "the generated matrix is inconsistent: \(error)")
        }
        let sense: ObjectiveSense = glp_get_obj_dir(prob) == GLP_MAX ? .maximize : .minimize
        let objectiveName = glp_get_obj_name(prob).map { String(cString: $0) } ?? "obj"
        return try ProblemFileReader.model(path) { () throws(ModelError) in
            try LinearProgram(name: ProblemFileReader.stem(of: path), sense: sense, objective: cost,
                              objectiveConstant: glp_get_obj_coef(prob, 0), constraints: a, rowLower: rowLower, rowUpper: rowUpper,
                              columnLower: columnLower, columnUpper: columnUpper, variableNames: columnNames,
                              constraintNames: rowNames, integerColumns: integers, objectiveName: objectiveName)
        }
    }

    // MARK: Helpers

    private static func number(_ v: Double) -> String { v == 0 ? "0" : "\(v)" }

    private static func temporaryPath(_ stem: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("lagrange-mathprog-\(stem)-\(UUID().uuidString).txt").path
    }
}
