import LagrangeCore
import LinearAlgebra

/// Dense least squares by a complete orthogonal decomposition (`native.qr`), the default
/// `linear-system` solver where a dense factorization is affordable (``isAffordable(_:)``).
///
/// Solves min ‖Ax − b‖² + λ‖x‖² (λ > 0 by factoring the stacked matrix [A; √λ I]) with
/// ``DenseCompleteOrthogonal``: column-pivoted Householder QR, numerical rank r = the count
/// of |R_kk| > rcond·|R₁₁| (option `rcond`, default max(m, n)·ε), and for r < n the
/// reduction of [R₁₁ R₁₂] to [T 0], so x is the **minimum-norm** least-squares solution
/// for any shape and rank: the solution of a consistent square or underdetermined system,
/// the least-squares point of an overdetermined one. Then up to two steps of iterative
/// refinement (x += the same solve applied to the residual), each kept only if it lowers
/// the normal-equations residual ‖Aᵀ(Ax − b) − λx‖: that brings consistent systems to the
/// last bits and never makes a least-squares point worse.
///
/// One history record; status `optimal` (a direct method has no tolerance to meet; the
/// result reports the residual, the normal-equations residual and the rank), `time_limit` /
/// `interrupted` with x = 0 when stopped during the factorization (checked after every
/// column), `numerical_error` if x is not finite. Memory: one dense (m[+n]) × n copy.
package struct DirectLeastSquaresSolver: SolverPlugin {
    package init() {}

    /// Dense storage above 4·10⁶ entries (32 MB) or a factorization above 2·10⁸
    /// multiply-adds (about 0.1–0.2 s here) goes to `native.cgls` instead; documented in
    /// docs/problem-files.md. The stacked ridge rows count.
    package static let maximumEntries = 4_000_000
    package static let maximumWork = 200_000_000.0

    /// Whether `problem` is small enough for this dense factorization to be the default.
    package static func isAffordable(_ problem: LinearSystemProblem) -> Bool {
        let rows = problem.matrix.rowCount + (problem.ridge > 0 ? problem.matrix.columnCount : 0)
        let columns = problem.matrix.columnCount
        let entries = Double(rows) * Double(columns)
        return entries <= Double(maximumEntries) && entries * Double(min(rows, columns)) <= maximumWork
    }

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.qr", kinds: [.linearSystem], options: [
            OptionSpec("rcond", default: "max(m,n)·ε", "relative threshold on |R_kk| for the numerical rank"),
            OptionSpec("stop", default: "—", "accepted for files shared with iterative solvers; unused by a direct solve"),
        ], summary: "dense complete orthogonal decomposition: minimum-norm least squares, any shape and rank (default when dense fits)")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        let control = context.control
        let m = p.matrix.rowCount, n = p.matrix.columnCount
        let rcond = try readRcond(context.options)
        _ = try context.options.string("stop", default: "residual", allowed: StoppingRule.allCases.map(\.rawValue))
        if let status = control.checkInterrupt() { return stopped(p, status) }

        // Ã = [A; √λ I], b̃ = [b; 0], copied column by column with stop checks: a user may
        // name this solver on a system far too large for it, and limits must still hold.
        let rows = p.ridge > 0 ? m + n : m
        var rhs = p.rightHandSide
        if p.ridge > 0 { rhs += Array(repeating: 0.0, count: n) }
        var stopStatus: TerminationStatus?
        let shouldStop = {
            stopStatus = control.checkInterrupt()
            return stopStatus != nil
        }
        let factors: DenseCompleteOrthogonal
        do {
            let stacked = try columnMajorCopy(p, rows: rows, shouldStop: shouldStop)
            factors = try DenseCompleteOrthogonal(columnMajor: stacked, rows: rows, columns: n, rcond: rcond, shouldStop: shouldStop)
        } catch {
            if let stopStatus { return stopped(p, stopStatus) }
            return linearSystemResult(p, status: .numericalError, rawStatus: "\(error)", x: Array(repeating: 0, count: n),
                                      residual: Vector.norm2(p.rightHandSide), iterations: 1)
        }

        var x = try factors.solve(rhs)
        var normal = normalResidual(p, x)
        var refinements = 0
        for _ in 0..<2 {
            let residual = stackedResidual(p, rhs, x)
            let correction = try factors.solve(residual)
            var candidate = x
            for j in 0..<n { candidate[j] += correction[j] }
            let candidateNormal = normalResidual(p, candidate)
            guard candidateNormal.normal < normal.normal else { break }
            x = candidate
            normal = candidateNormal
            refinements += 1
        }

        let finite = x.allSatisfy(\.isFinite)
        var notes: [String] = []
        let shortest = min(m + (p.ridge > 0 ? n : 0), n)
        if factors.rank < shortest {
            notes.append("numerical rank \(factors.rank) of \(shortest) (rcond \(rcond ?? Double(max(rows, n)) * Double.ulpOfOne)): x is the minimum-norm least-squares solution")
        }
        if factors.rank == 0 { notes.append(LinearSystemProblem.zeroMatrixNote(residual: normal.residual)) }
        _ = control.record(IterationRecord(iteration: 1, objective: p.objective(residualNorm: normal.residual, solution: x),
                                           primalResidual: normal.residual, dualResidual: normal.normal,
                                           extras: p.errorNorm(x).map { [Metric("error", $0)] } ?? []))
        return linearSystemResult(p, status: finite ? .optimal : .numericalError,
                                  rawStatus: "COD rank \(factors.rank), \(refinements) refinement step\(refinements == 1 ? "" : "s")",
                                  x: x, residual: normal.residual, normalResidual: normal.normal, rank: factors.rank,
                                  iterations: 1, notes: notes, convergedBy: LinearSystemTermination.factorization)
    }

    private func readRcond(_ options: SolveOptions) throws(SolverError) -> Double? {
        guard options.parameters["rcond"] != nil else { return nil }
        let value = try options.number("rcond", default: 0)
        guard value.isFinite, value >= 0, value < 1 else {
            throw .invalidOption(name: "rcond", reason: "must be in [0, 1), got \(value)")
        }
        return value
    }

    private func stopped(_ p: LinearSystemProblem, _ status: TerminationStatus) -> SolveResult {
        linearSystemResult(p, status: status, rawStatus: status.rawValue, x: Array(repeating: 0, count: p.matrix.columnCount),
                           residual: Vector.norm2(p.rightHandSide), iterations: 0,
                           notes: ["stopped during the factorization: a direct method has no iterate before it ends, so x = 0"])
    }
}

/// The column-major copy of A, with √λ I stacked below when λ > 0, asking `shouldStop`
/// every 2¹⁸ entries written.
private func columnMajorCopy(_ p: LinearSystemProblem, rows: Int, shouldStop: () -> Bool) throws(LinearAlgebraError) -> [Double] {
    let m = p.matrix.rowCount, n = p.matrix.columnCount
    let chunk = 1 << 18
    let total = rows * n
    var a = [Double](unsafeUninitializedCapacity: total) { buffer, count in
        count = 0
        guard let base = buffer.baseAddress else { return }
        // Zero in chunks (dense input overwrites it all, but a stop may come first).
        var start = 0
        while start < total {
            let end = min(total, start + chunk)
            (base + start).initialize(repeating: 0, count: end - start)
            start = end
            count = end
            if shouldStop() { return }
        }
    }
    guard a.count == total else { throw .interrupted }
    var written = 0
    func tick(_ entries: Int) throws(LinearAlgebraError) {
        written += entries
        if written >= chunk {
            written = 0
            if shouldStop() { throw .interrupted }
        }
    }
    switch p.matrix {
    case .dense(let d):
        for i in 0..<m {
            for j in 0..<n { a[j * rows + i] = d.storage[i * n + j] }
            try tick(n)
        }
    case .sparse(let s):
        for j in 0..<n {
            for k in s.columnStarts[j]..<s.columnStarts[j + 1] { a[j * rows + s.rowIndices[k]] = s.values[k] }
            try tick(s.columnStarts[j + 1] - s.columnStarts[j] + 1)
        }
    case .sparseRows(let t):
        // t = Aᵀ in CSC: its column i is row i of A.
        for i in 0..<m {
            for k in t.columnStarts[i]..<t.columnStarts[i + 1] { a[t.rowIndices[k] * rows + i] = t.values[k] }
            try tick(t.columnStarts[i + 1] - t.columnStarts[i] + 1)
        }
    }
    if p.ridge > 0 {
        let root = p.ridge.squareRoot()
        for j in 0..<n { a[j * rows + m + j] = root }
    }
    return a
}

/// b̃ − Ãx, Ã = [A; √λ I].
private func stackedResidual(_ p: LinearSystemProblem, _ b: [Double], _ x: [Double]) -> [Double] {
    let ax = p.matrix.multiply(x)
    var r = b
    for i in 0..<ax.count { r[i] -= ax[i] }
    if p.ridge > 0 {
        let root = p.ridge.squareRoot()
        for j in 0..<x.count { r[ax.count + j] -= root * x[j] }
    }
    return r
}

/// ‖Ax − b‖ and ‖Aᵀ(Ax − b) + λx‖ on the original problem.
private func normalResidual(_ p: LinearSystemProblem, _ x: [Double]) -> (residual: Double, normal: Double) {
    let ax = p.matrix.multiply(x)
    var r = ax
    for i in 0..<r.count { r[i] -= p.rightHandSide[i] }
    var g = p.matrix.transposeMultiply(r)
    if p.ridge > 0 { for j in 0..<g.count { g[j] += p.ridge * x[j] } }
    return (Vector.norm2(r), Vector.norm2(g))
}
