/// The certificate checker for nonlinear programs (kind `nlp`), recomputing everything from
/// the problem's own functions at the returned point:
///
/// - `optimal` / `locally_optimal`: the KKT conditions with the returned multipliers, read
///   back from shadow prices (ŷ = −sign·dual, z = sign·reduced cost, sign = −1 for
///   `maximize`): `primal_infeasibility` (constraint and bound violation relative to
///   max(1, |bound|)), `stationarity` = ‖∇F + Jᵀŷ − z‖∞ and `complementarity` (|multiplier| ×
///   distance to its bound, and wrong signs), both relative to max(1, ‖∇F‖∞); each ≤ 1e-6.
///   A failed claim becomes `almost_optimal` within 100× and `numerical_error` beyond.
///   At a point with no active constraint or bound, an exact Hessian and n ≤ 200, the
///   second-order test of ``SmoothCertificateChecker`` applies too: negative curvature makes
///   the claim `stationary_point`.
/// - `infeasible`: the Farkas-like certificate y (one weight per constraint, > 0 on a violated
///   upper side, < 0 on a lower side) must make h(x) = Σ yᵢ(gᵢ(x) − bᵢ) convex (each gᵢ
///   convex where yᵢ > 0, concave where yᵢ < 0, affine for equalities) and its
///   linearization at the returned point positive on the whole box (components of ∇h below
///   1e-7 of its terms count as zero, as the LP checker allows Aᵀy to 1e-7): then no point of
///   the box is feasible. Otherwise `numerical_error`.
/// - `unbounded`: the point must be feasible (1e-6) with F ≤ −1e20; the claim then stands
///   with a caveat (iterates diverging, not a proof).
package struct NonlinearCertificateChecker: CertificateChecker {
    package static let tolerance = 1e-6

    package init() {}

    package func check(_ result: SolveResult, problem: Problem) -> CertificateCheck? {
        guard case .nonlinear(let program) = problem else { return nil }
        let n = program.variableCount
        guard result.primal.count == n, result.primal.allSatisfy(\.isFinite) else {
            switch result.status {
            case .optimal, .locallyOptimal, .infeasible, .unbounded:
                return CertificateCheck(claimed: result.status, verdict: .numericalError, measures: [], failure: "no finite point was returned")
            default: return nil
            }
        }
        let x = result.primal
        let sign: Double = program.sense == .maximize ? -1 : 1
        var values: [Double] = [], rows: [[Double]] = []
        for c in program.constraints {
            var row = Array(repeating: 0.0, count: n)
            values.append(c.function.valueAndGradient(at: x, gradient: &row))
            rows.append(row)
        }
        var violation = 0.0
        for (i, c) in program.constraints.enumerated() {
            violation = max(violation, (values[i] - c.upper) / max(1, abs(c.upper)), (c.lower - values[i]) / max(1, abs(c.lower)))
        }
        for j in 0..<n {
            violation = max(violation, (x[j] - program.upperBounds[j]) / max(1, abs(program.upperBounds[j])),
                            (program.lowerBounds[j] - x[j]) / max(1, abs(program.lowerBounds[j])))
        }
        switch result.status {
        case .optimal, .locallyOptimal:
            return checkOptimal(result, program, x: x, sign: sign, values: values, rows: rows, violation: violation)
        case .infeasible:
            return checkInfeasible(result, program, x: x, values: values, rows: rows)
        case .unbounded:
            var objectiveGradient = Array(repeating: 0.0, count: n)
            let f = sign * program.objective.valueAndGradient(at: x, gradient: &objectiveGradient)
            let measures = [CheckMeasure("primal_infeasibility", violation, tolerance: Self.tolerance),
                            CheckMeasure("objective_minimized", f, tolerance: -1e20)]
            guard measures.allSatisfy(\.passes) else {
                return CertificateCheck(claimed: .unbounded, verdict: .numericalError, measures: measures,
                                        failure: "unbounded needs a feasible point with f beyond 1e20; got violation \(violation), f = \(sign * f)")
            }
            return CertificateCheck(claimed: .unbounded, verdict: .unbounded, measures: measures, failure: nil,
                                    caveat: "unbounded: a feasible point with f beyond 1e20 was found; for a nonlinear program that is evidence, not a proof")
        default:
            return nil
        }
    }

    func checkOptimal(_ result: SolveResult, _ program: NonlinearProgram, x: [Double], sign: Double, values: [Double], rows: [[Double]],
                      violation: Double) -> CertificateCheck {
        let n = x.count
        var gradient = Array(repeating: 0.0, count: n)
        _ = program.objective.valueAndGradient(at: x, gradient: &gradient)
        for j in 0..<n { gradient[j] *= sign }
        let m = program.constraints.count
        let duals = result.duals ?? Array(repeating: 0, count: m)
        let reduced = result.reducedCosts ?? Array(repeating: 0, count: n)
        guard duals.count == m, reduced.count == n else {
            return CertificateCheck(claimed: result.status, verdict: .numericalError, measures: [],
                                    failure: "multipliers missing or of the wrong length")
        }
        let y = duals.map { -sign * $0 }
        let z = reduced.map { sign * $0 }
        let scale = max(1, gradient.map(abs).max() ?? 0)
        var stationarity = 0.0, complementarity = 0.0
        for j in 0..<n {
            var r = gradient[j] - z[j]
            for i in 0..<m { r += y[i] * rows[i][j] }
            stationarity = max(stationarity, abs(r))
            let lo = program.lowerBounds[j], up = program.upperBounds[j]
            if z[j] > 0 { complementarity = max(complementarity, lo == -.infinity ? z[j] : z[j] * abs(x[j] - lo)) }
            if z[j] < 0 { complementarity = max(complementarity, up == .infinity ? -z[j] : -z[j] * abs(up - x[j])) }
        }
        for (i, c) in program.constraints.enumerated() where !c.isEquality {
            if y[i] > 0 { complementarity = max(complementarity, c.upper == .infinity ? y[i] : y[i] * abs(c.upper - values[i])) }
            if y[i] < 0 { complementarity = max(complementarity, c.lower == -.infinity ? -y[i] : -y[i] * abs(values[i] - c.lower)) }
        }
        let measures = [CheckMeasure("primal_infeasibility", violation, tolerance: Self.tolerance),
                        CheckMeasure("stationarity", stationarity / scale, tolerance: Self.tolerance),
                        CheckMeasure("complementarity", complementarity / scale, tolerance: Self.tolerance)]
        let failed = measures.filter { !$0.passes }
        if !failed.isEmpty {
            let almost = measures.allSatisfy { $0.value <= 100 * $0.tolerance }
            return CertificateCheck(claimed: result.status, verdict: almost ? .almostOptimal : .numericalError, measures: measures,
                                    failure: "the KKT conditions do not hold" + failed.map { "; \($0.name) \($0.value) > \($0.tolerance)" }.joined())
        }
        // Second order where nothing is active, not even nearly (a constraint within 1e-6 of
        // its bound may carry a multiplier, and then the Lagrangian's curvature counts, not f's):
        // the smooth problem's test.
        func clear(_ v: Double, _ lo: Double, _ up: Double) -> Bool {
            (lo == -.infinity || v - lo > 1e-6 * max(1, abs(lo))) && (up == .infinity || up - v > 1e-6 * max(1, abs(up)))
        }
        let interior = (0..<n).allSatisfy { clear(x[$0], program.lowerBounds[$0], program.upperBounds[$0]) }
            && program.constraints.enumerated().allSatisfy { i, c in !c.isEquality && clear(values[i], c.lower, c.upper) }
        guard interior, result.status == .locallyOptimal,
              let smooth = try? SmoothProblem(sense: program.sense, variableNames: program.variableNames, start: x, objective: program.objective) else {
            let caveat = result.status == .locallyOptimal && program.objective.hasExactHessian
                ? "second-order conditions were not checked (constraints or bounds are active)" : nil
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: measures, failure: nil, caveat: caveat)
        }
        var asSmooth = result
        asSmooth.kind = .smooth
        guard let second = SmoothCertificateChecker().check(asSmooth, problem: .smooth(smooth)) else {
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: measures, failure: nil)
        }
        return CertificateCheck(claimed: result.status, verdict: second.verdict, measures: measures + second.measures,
                                failure: second.failure, caveat: second.caveat)
    }

    func checkInfeasible(_ result: SolveResult, _ program: NonlinearProgram, x: [Double], values: [Double], rows: [[Double]]) -> CertificateCheck {
        let n = x.count
        guard let certificate = result.certificate, certificate.kind == .farkas, certificate.vector.count == program.constraints.count else {
            return CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: [], failure: "infeasible needs a certificate (one weight per constraint)")
        }
        let y = certificate.vector
        var margin = 0.0, largestTerm = 0.0
        var w = Array(repeating: 0.0, count: n)
        for (i, c) in program.constraints.enumerated() where y[i] != 0 {
            let convexEnough = c.isEquality ? (c.function.isConvex && c.function.isConcave) : (y[i] > 0 ? c.function.isConvex : c.function.isConcave)
            let bound = y[i] > 0 ? c.upper : c.lower
            guard convexEnough, bound.isFinite else {
                return CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: [],
                                        failure: "constraint '\(c.name)' is not known \(y[i] > 0 ? "convex" : "concave") (or has no such side), so the certificate proves nothing")
            }
            margin += y[i] * (values[i] - bound)
            for j in 0..<n {
                w[j] += y[i] * rows[i][j]
                largestTerm = max(largestTerm, abs(y[i] * rows[i][j]))
            }
        }
        var residual = 0.0
        for j in 0..<n where abs(w[j]) > 1e-7 * max(largestTerm, 1e-300) {
            let bound = w[j] > 0 ? program.lowerBounds[j] : program.upperBounds[j]
            if bound.isInfinite { residual = max(residual, abs(w[j]) / max(largestTerm, 1e-300)); continue }
            margin += w[j] * (bound - x[j])
        }
        let measures = [CheckMeasure("linearization_margin", margin, tolerance: 0, atLeast: true),
                        CheckMeasure("unbounded_direction_residual", residual, tolerance: 1e-7)]
        guard measures.allSatisfy(\.passes), margin > 0 else {
            return CertificateCheck(claimed: .infeasible, verdict: .numericalError, measures: measures,
                                    failure: "the certificate does not separate the box from the feasible set (margin \(margin), residual \(residual))")
        }
        return CertificateCheck(claimed: .infeasible, verdict: .infeasible, measures: measures, failure: nil)
    }
}
