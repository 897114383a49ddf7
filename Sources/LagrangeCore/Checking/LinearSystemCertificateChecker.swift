import Foundation
import LinearAlgebra

/// The certificate checker for `linear-system`.
///
/// The one claim it can check is `infeasible`, which a solver of the consistent system
/// Ax = b (Kaczmarz, cyclic Kaczmarz) makes when that system has no solution. It needs a
/// ``Certificate/Kind/farkas`` vector y, one entry per row (normalized to ‖y‖∞ = 1):
///
/// - `farkas_column_residual` = ‖Aᵀy‖∞ / maxⱼ Σᵢ|aᵢⱼyᵢ| (0 when every such term is 0),
///   at most the certificate tolerance;
/// - `farkas_margin` = bᵀy / Σᵢ|bᵢyᵢ|, positive beyond rounding (10³ε).
///
/// Together they are the contradiction: any x with Ax = b would give bᵀy = (Aᵀy)ᵀx = 0.
/// A claim that fails becomes `numerical_error`.
///
/// An `optimal` claim is re-tested from the point, with t = max(1e-6, the solver's
/// `--tolerance`), by the first of these that holds (cheapest first):
///
/// - `relative_error` ‖x − x_true‖ / ‖x_true‖ ≤ t, only when the solver stopped on the error
///   (`converged_by: error_norm`, the `stop: error` rule the user chose);
/// - `relative_residual` ‖Ax − b‖ / ‖b‖ ≤ t (a solution of the consistent system; one pass
///   over A), without a ridge;
/// - `normal_residual` ‖Aᵀ(Ax − b) + λx‖ / (‖A‖_F·(‖A‖_F‖x‖ + ‖b‖)) ≤ t: a least-squares
///   (ridge) minimizer to the accuracy a backward-stable method reaches. Every solver's own
///   test implies one of the three.
package struct LinearSystemCertificateChecker: CertificateChecker {
    package var tolerances: CertificateTolerances

    package init(tolerances: CertificateTolerances = .standard) {
        self.tolerances = tolerances
    }

    package func check(_ result: SolveResult, problem: Problem) -> CertificateCheck? {
        guard case .linearSystem(let system) = problem else { return nil }
        if result.status == .optimal { return checkOptimal(result, system) }
        guard result.status == .infeasible else { return nil }
        let m = system.matrix.rowCount
        guard let certificate = result.certificate, certificate.kind == .farkas else {
            return failed("no Farkas vector was returned")
        }
        guard certificate.vector.count == m else {
            return failed("the Farkas vector has \(certificate.vector.count) entries for \(m) rows")
        }
        var norm = 0.0
        for v in certificate.vector {
            guard v.isFinite else { return failed("the Farkas vector is not finite") }
            norm = max(norm, abs(v))
        }
        guard norm > 0 else { return failed("the Farkas vector is zero") }
        let y = certificate.vector.map { $0 / norm }
        let w = system.matrix.transposeMultiply(y)
        let magnitude = Vector.normInf(columnMagnitudes(system.matrix, y))
        var margin = 0.0, terms = 0.0
        for i in 0..<m {
            margin += system.rightHandSide[i] * y[i]
            terms += abs(system.rightHandSide[i] * y[i])
        }
        let measures = [
            CheckMeasure("farkas_column_residual", magnitude > 0 ? Vector.normInf(w) / magnitude : 0,
                         tolerance: tolerances.certificate),
            CheckMeasure("farkas_margin", terms > 0 ? margin / terms : 0, tolerance: 1e3 * Double.ulpOfOne, atLeast: true),
        ]
        let failures = measures.filter { !$0.passes }
        guard failures.isEmpty else {
            let text = failures.map { "\($0.name) \(format($0.value)) \($0.atLeast ? "<" : ">") \(format($0.tolerance))" }
            return CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: measures,
                                    failure: "the Farkas vector does not prove Ax = b inconsistent; " + text.joined(separator: "; "))
        }
        return CertificateCheck(claimed: .infeasible, verdict: .infeasible, measures: measures, failure: nil)
    }

    private func checkOptimal(_ result: SolveResult, _ system: LinearSystemProblem) -> CertificateCheck {
        let t = max(1e-6, tolerances.solverTolerance ?? 0)
        let x = result.primal
        guard x.count == system.matrix.columnCount, x.allSatisfy(\.isFinite) else {
            return CertificateCheck(claimed: .optimal, verdict: .numericalError, measures: [],
                                    failure: "the solution has \(x.count) entries for \(system.matrix.columnCount) columns, or a non-finite one")
        }
        var measures: [CheckMeasure] = []
        func verdict() -> CertificateCheck {
            if measures.last?.passes == true { return CertificateCheck(claimed: .optimal, verdict: .optimal, measures: measures, failure: nil) }
            let text = measures.map { "\($0.name) \(format($0.value)) > \(format($0.tolerance))" }
            return CertificateCheck(claimed: .optimal, verdict: .numericalError, measures: measures,
                                    failure: "x is neither a solution nor a least-squares point; " + text.joined(separator: "; "))
        }
        if result.convergedBy?.rawValue == "error_norm", let error = system.errorNorm(x), let xTrue = system.knownSolution {
            measures.append(CheckMeasure("relative_error", error / max(Vector.norm2(xTrue), .leastNormalMagnitude), tolerance: t))
            if measures[measures.count - 1].passes { return verdict() }
        }
        var r = system.matrix.multiply(x)
        for i in r.indices { r[i] -= system.rightHandSide[i] }
        let rNorm = Vector.norm2(r), bNorm = Vector.norm2(system.rightHandSide)
        // With a ridge a solution of Ax = b is not the minimizer: only the normal equations say.
        if system.ridge == 0 {
            measures.append(CheckMeasure("relative_residual", bNorm > 0 ? rNorm / bNorm : (rNorm == 0 ? 0 : .infinity), tolerance: t))
            if measures[measures.count - 1].passes { return verdict() }
        }
        var g = system.matrix.transposeMultiply(r)
        if system.ridge > 0 { for j in g.indices { g[j] += system.ridge * x[j] } }
        let frobenius = frobeniusNorm(system.matrix)
        let scale = frobenius * (frobenius * Vector.norm2(x) + bNorm)
        let gNorm = Vector.norm2(g)
        measures.append(CheckMeasure("normal_residual", scale > 0 ? gNorm / scale : (gNorm == 0 ? 0 : .infinity), tolerance: t))
        return verdict()
    }

    /// ‖A‖_F.
    private func frobeniusNorm(_ a: SystemMatrix) -> Double {
        switch a {
        case .dense(let d): return Vector.norm2(d.storage)
        case .sparse(let s), .sparseRows(let s): return Vector.norm2(s.values)
        }
    }

    private func failed(_ why: String) -> CertificateCheck {
        CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: [], failure: why)
    }

    /// Σᵢ|aᵢⱼyᵢ| per column j.
    private func columnMagnitudes(_ a: SystemMatrix, _ y: [Double]) -> [Double] {
        var sums = Array(repeating: 0.0, count: a.columnCount)
        switch a {
        case .dense(let d):
            for i in 0..<d.rows where y[i] != 0 {
                for j in 0..<d.columns { sums[j] += abs(d.storage[i * d.columns + j] * y[i]) }
            }
        case .sparse(let s):
            for j in 0..<s.columnCount { s.forEachEntry(inColumn: j) { i, v in sums[j] += abs(v * y[i]) } }
        case .sparseRows(let t):
            // Column i of Aᵀ is row i of A.
            for i in 0..<t.columnCount where y[i] != 0 { t.forEachEntry(inColumn: i) { j, v in sums[j] += abs(v * y[i]) } }
        }
        return sums
    }

    private func format(_ v: Double) -> String { String(format: "%.3g", v) }
}
