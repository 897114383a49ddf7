import Foundation
import LinearAlgebra

/// The certificate checker for LPs and convex QPs.
///
/// It works on the user's problem exactly as given (never a presolved or scaled copy), in
/// its minimization form: c′ = s·c, Q′ = s·Q, y′ = s·y with s = +1 for a minimization and
/// −1 for a maximization (y are the reported shadow prices, so y′ᵢ > 0 prices a row's
/// lower bound and y′ᵢ < 0 its upper bound). It deliberately shares no code with any
/// solver: every residual is computed here from the model's arrays.
///
/// - `optimal` / `locally_optimal` (needs x and y):
///   - `primal_infeasibility` = maxᵢ violationᵢ / (1 + max(|boundᵢ|, Σⱼ|aᵢⱼxⱼ|)) over rows, and
///     violationⱼ / (1 + |boundⱼ|) over columns;
///   - `dual_infeasibility`: with z = c′ + Q′x − Aᵀy′, a multiplier that prices a bound that
///     does not exist: |y′ᵢ| / (1 + ‖y′‖∞) for rows, |zⱼ| / maxₖ(1 + max(|gₖ|, Σᵢ|aᵢₖy′ᵢ|)) for columns;
///   - `gap` = |P − D| / max(1, |P + c₀′|, |D + c₀′|), P = ½xᵀQ′x + c′ᵀx,
///     D = −½xᵀQ′x + Σ y′ᵢ·(lᵢ or uᵢ) + Σ zⱼ·(loⱼ or upⱼ) (the Lagrangian dual bound; equal to
///     P exactly when x and y′ are optimal);
///   - `objective_error` = |reported − (s·(P + c₀′))| / max(1, |reported|).
/// - `infeasible`: a ``Certificate/Kind/farkas`` vector y (normalized to ‖y‖∞ = 1):
///   `farkas_sign_error` (a yᵢ pricing an infinite bound), `farkas_column_residual`
///   (|wⱼ| for w = Aᵀy pricing an infinite column bound, over maxⱼ Σᵢ|aᵢⱼyᵢ|), and
///   `farkas_margin` = (β − γ) / Σ|terms| > 0, where β = Σ yᵢ·(lᵢ or uᵢ), γ = Σ wⱼ·(upⱼ or loⱼ).
/// - `unbounded`: a ``Certificate/Kind/primalRay`` r (normalized to ‖r‖∞ = 1): `ray_row_residual`
///   (Ar leaving the recession cone of a row, over maxᵢ Σⱼ|aᵢⱼrⱼ|), `ray_column_residual`,
///   `ray_curvature` (‖Q r‖∞ / max|Qᵢⱼ|, QP), `ray_descent` = −c′ᵀr / ‖c′‖∞ > 0, and the
///   primal feasibility of the returned point. A verified ray without a feasible point
///   proves only `infeasible_or_unbounded`.
/// - `infeasible_or_unbounded`: either certificate.
///
/// Downgrades: `optimal` that fails → `almost_optimal` if it meets the tolerances ×
/// ``CertificateTolerances/relaxation``, else `numerical_error`; `infeasible` or
/// `infeasible_or_unbounded` without a valid certificate → `numerical_error`; `unbounded`
/// with a valid ray but no feasible point → `infeasible_or_unbounded`, with neither →
/// `numerical_error`.
package struct LinearCertificateChecker: CertificateChecker {
    package var tolerances: CertificateTolerances

    package init(tolerances: CertificateTolerances = .standard) {
        self.tolerances = tolerances
    }

    package func check(_ result: SolveResult, problem: Problem) -> CertificateCheck? {
        let lp: LinearProgram, quadratic: SparseMatrix?
        switch problem {
        case .linear(let p): (lp, quadratic) = (p, nil)
        case .quadratic(let qp): (lp, quadratic) = (qp.linear, qp.quadratic.nonzeroCount > 0 ? qp.quadratic : nil)
        default: return nil
        }
        let model = CheckedModel(lp: lp, quadratic: quadratic)
        if lp.isMixedInteger { return checkMixedInteger(result, model) }
        switch result.status {
        case .optimal, .locallyOptimal:
            return checkOptimal(result, model)
        case .infeasible:
            return checkInfeasible(result, model)
        case .unbounded:
            return checkUnbounded(result, model)
        case .infeasibleOrUnbounded:
            return checkInfeasibleOrUnbounded(result, model)
        case .almostOptimal:
            // Not a definitive claim, but its residuals tell the user how close it is.
            guard result.primal.count == lp.columnCount else { return nil }
            let measures = optimalityMeasures(result, model)
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: measures, failure: nil)
        default:
            return nil
        }
    }

    // MARK: optimal

    private func checkOptimal(_ result: SolveResult, _ model: CheckedModel) -> CertificateCheck {
        let claimed = result.status
        var result = result
        if result.duals == nil && model.m == 0 { result.duals = [] } // no rows, nothing to price
        guard result.primal.count == model.n, result.primal.allSatisfy(\.isFinite) else {
            return CertificateCheck(claimed: claimed, verdict: .numericalError, measures: [],
                                    failure: "the point has \(result.primal.count) entries for \(model.n) variables or is not finite")
        }
        guard let y = result.duals, y.count == model.m, y.allSatisfy(\.isFinite) else {
            let measures = [CheckMeasure("primal_infeasibility", model.primalInfeasibility(result.primal), tolerance: tolerances.feasibility)]
            let verdict: TerminationStatus = measures[0].passes ? .almostOptimal : .numericalError
            return CertificateCheck(claimed: claimed, verdict: verdict, measures: measures,
                                    failure: "no row duals were returned, so optimality cannot be verified" + describe(measures.filter { !$0.passes }))
        }
        let strict = optimalityMeasures(result, model)
        let failed = strict.filter { !$0.passes }
        if failed.isEmpty { return CertificateCheck(claimed: claimed, verdict: claimed, measures: strict, failure: nil) }
        let relaxed = strict.map { CheckMeasure($0.name, $0.value, tolerance: $0.tolerance * tolerances.relaxation, atLeast: $0.atLeast) }
        let verdict: TerminationStatus = relaxed.allSatisfy(\.passes) ? .almostOptimal : .numericalError
        return CertificateCheck(claimed: claimed, verdict: verdict, measures: strict, failure: describe(failed).trimmingLeadingSeparator)
    }

    /// Primal feasibility, dual feasibility, gap and objective consistency of (x, y).
    private func optimalityMeasures(_ result: SolveResult, _ model: CheckedModel) -> [CheckMeasure] {
        let x = result.primal
        var measures = [CheckMeasure("primal_infeasibility", model.primalInfeasibility(x), tolerance: tolerances.feasibility)]
        guard let reportedDuals = result.duals, reportedDuals.count == model.m else { return measures }
        let s = model.sign
        let y = reportedDuals.map { s * $0 }
        let qx = model.quadratic.map { $0.multiply(x) } ?? Array(repeating: 0, count: model.n)
        // Gradient of the minimization form and reduced costs z = g − Aᵀy′.
        var g = [Double](repeating: 0, count: model.n)
        for j in 0..<model.n { g[j] = s * (model.lp.objective[j] + qx[j]) }
        let a = model.lp.constraints
        var z = g
        var columnDualMagnitude = [Double](repeating: 0, count: model.n)
        for j in 0..<model.n {
            var sum = 0.0, magnitude = 0.0
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let term = a.values[k] * y[a.rowIndices[k]]
                sum += term
                magnitude += abs(term)
            }
            z[j] -= sum
            columnDualMagnitude[j] = magnitude
        }
        // Dual infeasibility: multipliers that price bounds that do not exist.
        var yNorm = 0.0
        for v in y { yNorm = max(yNorm, abs(v)) }
        var dualInfeasibility = 0.0
        var dualObjective = 0.0
        for i in 0..<model.m {
            let v = y[i]
            if v > 0 {
                if model.lp.rowLower[i].isFinite { dualObjective += v * model.lp.rowLower[i] } else { dualInfeasibility = max(dualInfeasibility, v / (1 + yNorm)) }
            } else if v < 0 {
                if model.lp.rowUpper[i].isFinite { dualObjective += v * model.lp.rowUpper[i] } else { dualInfeasibility = max(dualInfeasibility, -v / (1 + yNorm)) }
            }
        }
        // Column residuals are measured against the largest gradient or Aᵀy term anywhere
        // (Clarabel's and OSQP's convention): a per-column scale would hold a column with a
        // tiny cost to an absolute 1e-6 that no interior method reaches on large problems.
        var dualScale = 1.0
        for j in 0..<model.n { dualScale = max(dualScale, 1 + max(abs(g[j]), columnDualMagnitude[j])) }
        for j in 0..<model.n {
            let v = z[j]
            let scaleJ = dualScale
            if v > 0 {
                if model.lp.columnLower[j].isFinite { dualObjective += v * model.lp.columnLower[j] } else { dualInfeasibility = max(dualInfeasibility, v / scaleJ) }
            } else if v < 0 {
                if model.lp.columnUpper[j].isFinite { dualObjective += v * model.lp.columnUpper[j] } else { dualInfeasibility = max(dualInfeasibility, -v / scaleJ) }
            }
        }
        var linear = 0.0, quadraticTerm = 0.0
        for j in 0..<model.n {
            linear += s * model.lp.objective[j] * x[j]
            quadraticTerm += 0.5 * s * x[j] * qx[j]
        }
        let primalObjective = quadraticTerm + linear
        dualObjective -= quadraticTerm
        let constant = s * model.lp.objectiveConstant
        let gapScale = max(1, abs(primalObjective + constant), abs(dualObjective + constant))
        measures.append(CheckMeasure("dual_infeasibility", dualInfeasibility, tolerance: tolerances.dualFeasibility))
        measures.append(CheckMeasure("gap", abs(primalObjective - dualObjective) / gapScale, tolerance: tolerances.gap))
        if let reported = result.objective {
            let recomputed = s * (primalObjective + constant)
            let error = reported.isFinite ? abs(reported - recomputed) / max(1, abs(reported)) : .infinity
            measures.append(CheckMeasure("objective_error", error, tolerance: tolerances.gap))
        }
        return measures
    }

    // MARK: infeasible

    private func checkInfeasible(_ result: SolveResult, _ model: CheckedModel) -> CertificateCheck {
        let (measures, problem) = farkasMeasures(result.certificate, model)
        if let problem {
            return CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: measures, failure: problem)
        }
        return CertificateCheck(claimed: .infeasible, verdict: .infeasible, measures: measures, failure: nil)
    }

    /// The Farkas measures and, if the certificate fails, why.
    private func farkasMeasures(_ certificate: Certificate?, _ model: CheckedModel) -> ([CheckMeasure], String?) {
        let y: [Double]
        switch normalized(certificate, .farkas, count: model.m, what: "Farkas vector", entries: "rows") {
        case .success(let v): y = v
        case .failure(let problem): return ([], problem.reason)
        }
        let lp = model.lp
        var signError = 0.0, beta = 0.0, magnitude = 0.0
        for i in 0..<model.m {
            let v = y[i]
            if v > 0 {
                if lp.rowLower[i].isFinite { beta += v * lp.rowLower[i]; magnitude += abs(v * lp.rowLower[i]) } else { signError = max(signError, v) }
            } else if v < 0 {
                if lp.rowUpper[i].isFinite { beta += v * lp.rowUpper[i]; magnitude += abs(v * lp.rowUpper[i]) } else { signError = max(signError, -v) }
            }
        }
        let a = lp.constraints
        var gamma = 0.0, residual = 0.0, activityScale = 0.0
        for j in 0..<model.n {
            var w = 0.0, scale = 0.0
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let term = a.values[k] * y[a.rowIndices[k]]
                w += term
                scale += abs(term)
            }
            activityScale = max(activityScale, scale)
            if w > 0 {
                if lp.columnUpper[j].isFinite { gamma += w * lp.columnUpper[j]; magnitude += abs(w * lp.columnUpper[j]) } else { residual = max(residual, w) }
            } else if w < 0 {
                if lp.columnLower[j].isFinite { gamma += w * lp.columnLower[j]; magnitude += abs(w * lp.columnLower[j]) } else { residual = max(residual, -w) }
            }
        }
        let columnResidual = activityScale > 0 ? residual / activityScale : 0
        let margin = magnitude > 0 ? (beta - gamma) / magnitude : 0
        let measures = [
            CheckMeasure("farkas_sign_error", signError, tolerance: tolerances.certificate),
            CheckMeasure("farkas_column_residual", columnResidual, tolerance: tolerances.certificate),
            // The margin must be positive beyond rounding: β − γ > 0 is the contradiction.
            CheckMeasure("farkas_margin", margin, tolerance: 1e3 * Double.ulpOfOne, atLeast: true),
        ]
        let failed = measures.filter { !$0.passes }
        return (measures, failed.isEmpty ? nil : "the Farkas vector does not prove infeasibility" + describe(failed))
    }

    // MARK: unbounded

    private func checkUnbounded(_ result: SolveResult, _ model: CheckedModel) -> CertificateCheck {
        let (rayMeasures, rayProblem) = rayMeasures(result.certificate, model)
        var measures = rayMeasures
        if let rayProblem {
            return CertificateCheck(claimed: .unbounded, verdict: .numericalError, measures: measures, failure: rayProblem)
        }
        let point = result.primal
        let feasibility = point.count == model.n && point.allSatisfy(\.isFinite)
            ? model.primalInfeasibility(point) : .infinity
        let pointMeasure = CheckMeasure("primal_infeasibility", feasibility, tolerance: tolerances.feasibility)
        measures.append(pointMeasure)
        if !pointMeasure.passes {
            return CertificateCheck(claimed: .unbounded, verdict: .infeasibleOrUnbounded, measures: measures,
                                    failure: "the ray is valid but the returned point is not feasible" + describe([pointMeasure]))
        }
        return CertificateCheck(claimed: .unbounded, verdict: .unbounded, measures: measures, failure: nil)
    }

    private func rayMeasures(_ certificate: Certificate?, _ model: CheckedModel) -> ([CheckMeasure], String?) {
        let r: [Double]
        switch normalized(certificate, .primalRay, count: model.n, what: "ray", entries: "variables") {
        case .success(let v): r = v
        case .failure(let problem): return ([], problem.reason)
        }
        let lp = model.lp
        var columnResidual = 0.0
        for j in 0..<model.n {
            if lp.columnLower[j].isFinite { columnResidual = max(columnResidual, -r[j]) }
            if lp.columnUpper[j].isFinite { columnResidual = max(columnResidual, r[j]) }
        }
        let (activity, activityMagnitude) = model.rowActivity(r)
        var rowResidual = 0.0, rowScale = 0.0
        for i in 0..<model.m {
            rowScale = max(rowScale, activityMagnitude[i])
            if lp.rowLower[i].isFinite { rowResidual = max(rowResidual, -activity[i]) }
            if lp.rowUpper[i].isFinite { rowResidual = max(rowResidual, activity[i]) }
        }
        var measures = [
            CheckMeasure("ray_row_residual", rowScale > 0 ? rowResidual / rowScale : 0, tolerance: tolerances.certificate),
            CheckMeasure("ray_column_residual", columnResidual, tolerance: tolerances.certificate),
        ]
        if let q = model.quadratic {
            let qr = q.multiply(r)
            var qMax = 0.0
            for v in q.values { qMax = max(qMax, abs(v)) }
            var curvature = 0.0
            for v in qr { curvature = max(curvature, abs(v)) }
            measures.append(CheckMeasure("ray_curvature", qMax > 0 ? curvature / qMax : 0, tolerance: tolerances.certificate))
        }
        var slope = 0.0, cNorm = 0.0
        for j in 0..<model.n {
            slope += model.sign * lp.objective[j] * r[j]
            cNorm = max(cNorm, abs(lp.objective[j]))
        }
        measures.append(CheckMeasure("ray_descent", cNorm > 0 ? -slope / cNorm : 0, tolerance: tolerances.certificate, atLeast: true))
        let failed = measures.filter { !$0.passes }
        return (measures, failed.isEmpty ? nil : "the ray does not prove unboundedness" + describe(failed))
    }

    // MARK: mixed-integer

    /// A mixed-integer claim. `optimal`: the incumbent is feasible (`primal_infeasibility`),
    /// integral (`integrality` = maxⱼ |xⱼ − round(xⱼ)| over integer columns), its objective
    /// is the reported one, and the search's own gap (``MILPDetails``) is within the
    /// solver's tolerance (`mip_gap`, self-reported: a bound cannot be certified after the
    /// fact). `unbounded`: a ray of the relaxation and a feasible integral point (with
    /// rational data that proves it: Meyer 1974). `infeasible`: a Farkas vector when the
    /// relaxation is infeasible; integer infeasibility proved by the search carries none
    /// and passes with the measure `search_proof`.
    private func checkMixedInteger(_ result: SolveResult, _ model: CheckedModel) -> CertificateCheck? {
        let claimed = result.status
        switch claimed {
        case .optimal, .almostOptimal, .unbounded:
            var measures: [CheckMeasure] = []
            var problem: String?
            if claimed == .unbounded {
                let (rayMeasures, rayProblem) = rayMeasures(result.certificate, model)
                measures += rayMeasures
                problem = rayProblem
            }
            let x = result.primal
            guard x.count == model.n, x.allSatisfy(\.isFinite) else {
                return CertificateCheck(claimed: claimed, verdict: .numericalError, measures: measures,
                                        failure: "the point has \(x.count) entries for \(model.n) variables or is not finite")
            }
            var integrality = 0.0
            for j in model.lp.integerColumns { integrality = max(integrality, abs(x[j] - x[j].rounded())) }
            measures.append(CheckMeasure("primal_infeasibility", model.primalInfeasibility(x), tolerance: tolerances.feasibility))
            measures.append(CheckMeasure("integrality", integrality, tolerance: tolerances.feasibility))
            if claimed != .unbounded, let reported = result.objective {
                var value = model.lp.objectiveConstant
                for j in 0..<model.n { value += model.lp.objective[j] * x[j] }
                let error = reported.isFinite ? abs(reported - value) / max(1, abs(reported)) : .infinity
                measures.append(CheckMeasure("objective_error", error, tolerance: tolerances.gap))
            }
            if claimed == .optimal, let details = result.details(as: MILPDetails.self), let gap = details.gap {
                measures.append(CheckMeasure("mip_gap", gap, tolerance: max(details.gapTolerance, tolerances.gap)))
            }
            let failed = measures.filter { !$0.passes }
            if let problem { return CertificateCheck(claimed: claimed, verdict: .numericalError, measures: measures, failure: problem) }
            guard !failed.isEmpty else { return CertificateCheck(claimed: claimed, verdict: claimed, measures: measures, failure: nil) }
            let feasible = failed.allSatisfy { $0.name == "mip_gap" || $0.name == "objective_error" }
            let verdict: TerminationStatus = claimed == .unbounded ? .infeasibleOrUnbounded : feasible ? .almostOptimal : .numericalError
            return CertificateCheck(claimed: claimed, verdict: claimed == .almostOptimal && feasible ? claimed : verdict,
                                    measures: measures, failure: describe(failed).trimmingLeadingSeparator)
        case .infeasible:
            if result.certificate?.kind == .farkas { return checkInfeasible(result, model) }
            return CertificateCheck(claimed: claimed, verdict: claimed, measures: [CheckMeasure("search_proof", 1, tolerance: 1, atLeast: true)],
                                    failure: nil)
        case .infeasibleOrUnbounded:
            return checkInfeasibleOrUnbounded(result, model)
        default:
            return nil
        }
    }

    // MARK: infeasible or unbounded

    private func checkInfeasibleOrUnbounded(_ result: SolveResult, _ model: CheckedModel) -> CertificateCheck {
        let claimed = TerminationStatus.infeasibleOrUnbounded
        switch result.certificate?.kind {
        case .farkas?:
            let (measures, problem) = farkasMeasures(result.certificate, model)
            return CertificateCheck(claimed: claimed, verdict: problem == nil ? claimed : .numericalError, measures: measures, failure: problem)
        case .primalRay?:
            let (measures, problem) = rayMeasures(result.certificate, model)
            return CertificateCheck(claimed: claimed, verdict: problem == nil ? claimed : .numericalError, measures: measures, failure: problem)
        case nil:
            return CertificateCheck(claimed: claimed, verdict: .numericalError, measures: [],
                                    failure: "no Farkas vector or primal ray was returned")
        }
    }

    private struct Unusable: Error { let reason: String }

    /// The certificate's vector scaled to ‖v‖∞ = 1, or why it cannot be one of `kind`.
    private func normalized(_ certificate: Certificate?, _ kind: Certificate.Kind, count: Int, what: String,
                            entries: String) -> Result<[Double], Unusable> {
        guard let certificate, certificate.kind == kind else { return .failure(Unusable(reason: "no \(what) was returned")) }
        guard certificate.vector.count == count else {
            return .failure(Unusable(reason: "the \(what) has \(certificate.vector.count) entries for \(count) \(entries)"))
        }
        var norm = 0.0
        for v in certificate.vector {
            guard v.isFinite else { return .failure(Unusable(reason: "the \(what) is not finite")) }
            norm = max(norm, abs(v))
        }
        guard norm > 0 else { return .failure(Unusable(reason: "the \(what) is zero")) }
        return .success(certificate.vector.map { $0 / norm })
    }

    private func describe(_ failed: [CheckMeasure]) -> String {
        failed.map { "; \($0.name) \(format($0.value)) \($0.atLeast ? "<" : ">") \(format($0.tolerance))" }.joined()
    }

    private func format(_ v: Double) -> String { String(format: "%.3g", v) }
}

/// The arrays of the user's model the checker reads, with the minimization sign.
private struct CheckedModel {
    let lp: LinearProgram
    let quadratic: SparseMatrix?
    var n: Int { lp.columnCount }
    var m: Int { lp.rowCount }
    var sign: Double { lp.sense == .minimize ? 1 : -1 }

    /// (Ax, Σⱼ|aᵢⱼxⱼ|) per row.
    func rowActivity(_ x: [Double]) -> ([Double], [Double]) {
        let a = lp.constraints
        var activity = [Double](repeating: 0, count: m), magnitude = [Double](repeating: 0, count: m)
        for j in 0..<n where x[j] != 0 {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let term = a.values[k] * x[j]
                activity[a.rowIndices[k]] += term
                magnitude[a.rowIndices[k]] += abs(term)
            }
        }
        return (activity, magnitude)
    }

    /// The relative primal infeasibility of x (see ``LinearCertificateChecker``).
    func primalInfeasibility(_ x: [Double]) -> Double {
        let (activity, magnitude) = rowActivity(x)
        var worst = 0.0
        for i in 0..<m {
            let lo = lp.rowLower[i], hi = lp.rowUpper[i], v = activity[i]
            if v < lo { worst = max(worst, (lo - v) / (1 + max(abs(lo), magnitude[i]))) }
            if v > hi { worst = max(worst, (v - hi) / (1 + max(abs(hi), magnitude[i]))) }
        }
        for j in 0..<n {
            let lo = lp.columnLower[j], hi = lp.columnUpper[j], v = x[j]
            if v < lo { worst = max(worst, (lo - v) / (1 + abs(lo))) }
            if v > hi { worst = max(worst, (v - hi) / (1 + abs(hi))) }
        }
        return worst
    }
}

private extension String {
    var trimmingLeadingSeparator: String { hasPrefix("; ") ? String(dropFirst(2)) : self }
}
