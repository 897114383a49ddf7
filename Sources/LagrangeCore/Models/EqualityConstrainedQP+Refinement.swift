import LinearAlgebra

/// What a singular KKT matrix K = [S Cᵀ; C 0] hid, found from a regularized factorization
/// by ``EqualityConstrainedQP/diagnoseStalledRefinement(at:maxSteps:solve:)``.
package enum SingularKKTFinding: Sendable, Equatable {
    /// A Farkas vector: Cᵀy = 0 and bᵀy > 0, so Cx = b has no solution.
    case infeasible(farkas: [Double])
    /// A ray d (Cd = 0, Sd = 0, cᵀd < 0 in the minimization form) and a point x with Cx = b.
    case unbounded(ray: [Double], point: [Double])
    /// Neither certificate held up: why.
    case undetermined(String)
}

/// The refinement and the singular-case diagnosis the KKT backends share. Each backend
/// factors K, or K_ρ = K + ρ·diag(I, −I) (a quasi-definite matrix whatever the rank of C
/// when S is positive semidefinite), and passes its solve as a closure.
extension EqualityConstrainedQP {
    /// [−c; b], the right-hand side of K[x; μ] = [−c; b] with μ = −y.
    package var kktRightHandSide: [Double] { cost.map { -$0 } + rightHandSide }

    /// max |Kᵢⱼ| over S and C (1e-300 when both are zero).
    package var kktMatrixScale: Double {
        var scale = 1e-300
        for v in hessian.values { scale = max(scale, abs(v)) }
        for v in constraints.values { scale = max(scale, abs(v)) }
        return scale
    }

    /// The residual a KKT solve must reach to count as solved: 1e-9·(1 + max(‖c‖∞,
    /// ‖b‖∞))·max(1, max|Kᵢⱼ|), in the ∞-norm of rhs − K[x; μ].
    package var kktResidualTolerance: Double {
        1e-9 * (1 + max(Vector.normInf(cost), Vector.normInf(rightHandSide))) * max(1, kktMatrixScale)
    }

    /// rhs − K v with the unregularized K, for v = [x; μ].
    package func kktResidualVector(_ v: [Double], rhs: [Double]) -> [Double] {
        let n = variableCount
        let x = Array(v[0..<n]), mu = Array(v[n...])
        let sx = hessian.multiply(x), ctm = constraints.transposeMultiply(mu), cx = constraints.multiply(x)
        var r = rhs
        for j in 0..<n { r[j] -= sx[j] + ctm[j] }
        for i in 0..<constraintCount { r[n + i] -= cx[i] }
        return r
    }

    /// Iterative refinement of K v = rhs: v₀ = M⁻¹rhs, then v ← v + M⁻¹(rhs − Kv) while
    /// the residual ‖rhs − Kv‖∞ falls (at most `maxSteps` steps, and not below
    /// 1e-15·(1 + ‖rhs‖∞)). `solve` applies M⁻¹ in place (a factorization of K or K_ρ);
    /// `observe(k, v)` sees the first solve (k = 0) and each accepted step.
    package func refine<E: Error>(rhs: [Double], maxSteps: Int, solve: (inout [Double]) throws(E) -> Void,
                                 observe: (Int, [Double]) -> Void = { _, _ in }) throws(E)
        -> (v: [Double], steps: Int, residual: Double) {
        var v = rhs
        try solve(&v)
        observe(0, v)
        var r = kktResidualVector(v, rhs: rhs)
        var norm = Vector.normInf(r)
        var steps = 0
        while steps < maxSteps && norm > 1e-15 * (1 + Vector.normInf(rhs)) {
            var correction = r
            try solve(&correction)
            let candidate = zip(v, correction).map { $0 + $1 }
            let rc = kktResidualVector(candidate, rhs: rhs)
            let candidateNorm = Vector.normInf(rc)
            guard candidateNorm < norm else { break }
            v = candidate; r = rc; norm = candidateNorm
            steps += 1
            observe(steps, v)
        }
        return (v, steps, norm)
    }

    /// Why a refinement with `solve` = K_ρ⁻¹ stalled above ``kktResidualTolerance`` at v.
    ///
    /// For S positive semidefinite, null(K) = {(d, 0): Sd = 0, Cd = 0} ⊕ {(0, μ): Cᵀμ = 0},
    /// and K_ρ maps those vectors to ρ·diag(I, −I) times themselves. The stalled residual
    /// r = rhs − Kv is the part of rhs in null(K) (plus what the refinement left), so
    /// u = K_ρ⁻¹r ≈ (P(−c), −P b)/ρ: its x-part is a descent ray (cᵀd = −‖Pc‖² < 0), and
    /// minus its μ-part a Farkas vector (bᵀy = ‖Pb‖² > 0). Steps of inverse iteration,
    /// u ← K_ρ⁻¹ diag(I, −I) u (until the direction settles, at most 8), shrink what is not
    /// in null(K) by about ρ/σ each, and steps of refinement against K, u ← u − K_ρ⁻¹Ku
    /// (while ‖Ku‖ falls, at most 4), remove the rest to the accuracy of the solve. Each
    /// candidate is then verified here, two orders of magnitude tighter than the registry's
    /// checker (residuals 1e-9 relative to the terms they are made of; a ray's descent
    /// −cᵀd ≥ 1e-6·‖c‖∞‖d‖∞); a ray also needs a feasible point, from refining K v = [0; b]
    /// (no cost, so no component along the ray). Infeasibility is tried first: with no
    /// feasible point a ray proves nothing.
    package func diagnoseStalledRefinement<E: Error>(at v: [Double], maxSteps: Int,
                                                   solve: (inout [Double]) throws(E) -> Void) throws(E) -> SingularKKTFinding {
        let n = variableCount, m = constraintCount
        var u = kktResidualVector(v, rhs: kktRightHandSide)
        try solve(&u)
        for _ in 0..<8 {
            let norm = Vector.normInf(u)
            guard norm.isFinite, norm > 0 else { break }
            var next = u.indices.map { k in (k < n ? u[k] : -u[k]) / norm }
            try solve(&next)
            let nextNorm = Vector.normInf(next)
            guard nextNorm.isFinite, nextNorm > 0 else { break }
            // The direction has settled once a step moves it by less than rounding.
            var change = 0.0
            for k in u.indices { change = max(change, abs(next[k] / nextNorm - u[k] / norm)) }
            u = next
            if change <= 1e-15 { break }
        }
        // Refinement of the null vector against the unregularized K: u ← u − K_ρ⁻¹(Ku)
        // removes what is left outside null(K) to the accuracy of the solve (growth in a
        // factorization of a nearly singular K_ρ makes one solve good to only ~1e-8).
        let norm = Vector.normInf(u)
        if norm.isFinite, norm > 0 {
            u = u.map { $0 / norm }
            let zero = Array(repeating: 0.0, count: n + m)
            var minusKu = kktResidualVector(u, rhs: zero)
            for _ in 0..<4 {
                var step = minusKu
                try solve(&step)
                let candidate = zip(u, step).map { $0 + $1 }
                let candidateResidual = kktResidualVector(candidate, rhs: zero)
                guard Vector.normInf(candidateResidual) < Vector.normInf(minusKu) else { break }
                (u, minusKu) = (candidate, candidateResidual)
            }
        }
        guard u.allSatisfy(\.isFinite) else { return .undetermined("the regularized solve gave a non-finite direction") }
        var reasons: [String] = []
        if m > 0 {
            let y = (0..<m).map { -u[n + $0] }
            switch verifiedFarkas(y) {
            case .success(let farkas): return .infeasible(farkas: farkas)
            case .failure(let reason): reasons.append(reason.text)
            }
        }
        switch verifiedRay(Array(u[0..<n])) {
        case .success(let ray):
            let feasibility = try refine(rhs: Array(repeating: 0, count: n) + rightHandSide, maxSteps: maxSteps, solve: solve)
            let point = Array(feasibility.v[0..<n])
            let violation = primalViolation(point)
            guard violation <= 1e-9 else {
                return .undetermined("a ray with Cd = 0, Sd = 0, cᵀd < 0 was found, but no feasible point (relative violation \(violation))")
            }
            return .unbounded(ray: ray, point: point)
        case .failure(let reason):
            reasons.append(reason.text)
        }
        return .undetermined(reasons.joined(separator: "; "))
    }

    private struct Rejection: Error { let text: String }

    /// v scaled to ‖v‖∞ = 1, with entries below 1e-13 (rounding the inverse iteration
    /// left) set to zero: in a row or column that touches only such entries they would be
    /// all the activity there is, and no relative test could pass.
    private func cleaned(_ v: [Double]) -> [Double]? {
        let norm = Vector.normInf(v)
        guard norm > 0 else { return nil }
        return v.map { abs($0) <= 1e-13 * norm ? 0 : $0 / norm }
    }

    /// y (cleaned) if Cᵀy ≈ 0 and bᵀy > 0.
    private func verifiedFarkas(_ y: [Double]) -> Result<[Double], Rejection> {
        guard let y = cleaned(y) else { return .failure(Rejection(text: "no Farkas vector (the constraints are consistent)")) }
        let w = constraints.transposeMultiply(y)
        var magnitude = 0.0
        for j in 0..<variableCount {
            var s = 0.0
            constraints.forEachEntry(inColumn: j) { i, v in s += abs(v * y[i]) }
            magnitude = max(magnitude, s)
        }
        var margin = 0.0, terms = 0.0
        for i in 0..<constraintCount { margin += rightHandSide[i] * y[i]; terms += abs(rightHandSide[i] * y[i]) }
        let residual = magnitude > 0 ? Vector.normInf(w) / magnitude : 0
        guard residual <= 1e-9, terms > 0, margin > 1e-9 * terms else {
            return .failure(Rejection(text: "no Farkas vector (‖Cᵀy‖ relative \(residual), bᵀy relative \(terms > 0 ? margin / terms : 0))"))
        }
        return .success(y)
    }

    /// d (cleaned) if Cd ≈ 0, Sd ≈ 0 and cᵀd < 0 by a clear margin.
    private func verifiedRay(_ d: [Double]) -> Result<[Double], Rejection> {
        guard let d = cleaned(d) else { return .failure(Rejection(text: "no ray (the cost has no part along null(S) ∩ null(C))")) }
        let cd = constraints.multiply(d)
        let rowMagnitude = rowMagnitudes(d).max() ?? 0
        let rowResidual = rowMagnitude > 0 ? Vector.normInf(cd) / rowMagnitude : 0
        var sMax = 0.0
        for v in hessian.values { sMax = max(sMax, abs(v)) }
        let curvature = sMax > 0 ? Vector.normInf(hessian.multiply(d)) / sMax : 0
        var slope = 0.0
        for j in 0..<variableCount { slope += cost[j] * d[j] }
        let cNorm = Vector.normInf(cost)
        let descent = cNorm > 0 ? -slope / cNorm : 0
        guard rowResidual <= 1e-9, curvature <= 1e-9, descent >= 1e-6 else {
            return .failure(Rejection(text: "no ray (‖Cd‖ relative \(rowResidual), ‖Sd‖ relative \(curvature), descent \(descent))"))
        }
        return .success(d)
    }

    /// max over rows of |Cᵢx − bᵢ| / (1 + max(|bᵢ|, Σⱼ|cᵢⱼxⱼ|)).
    private func primalViolation(_ x: [Double]) -> Double {
        let cx = constraints.multiply(x), magnitude = rowMagnitudes(x)
        var worst = 0.0
        for i in 0..<constraintCount {
            worst = max(worst, abs(cx[i] - rightHandSide[i]) / (1 + max(abs(rightHandSide[i]), magnitude[i])))
        }
        return worst
    }

    /// Σⱼ|cᵢⱼxⱼ| per row.
    private func rowMagnitudes(_ x: [Double]) -> [Double] {
        var magnitude = Array(repeating: 0.0, count: constraintCount)
        for j in 0..<variableCount where x[j] != 0 {
            constraints.forEachEntry(inColumn: j) { i, v in magnitude[i] += abs(v * x[j]) }
        }
        return magnitude
    }

    /// The result for a ``SingularKKTFinding``: `infeasible` with the Farkas vector,
    /// `unbounded` with the ray and the feasible point, `numerical_error` otherwise (x
    /// and y where the refinement stalled, and a note saying what was tried). No objective
    /// or duals for a proof of infeasibility or unboundedness.
    package func singularResult(_ finding: SingularKKTFinding, stalledAt v: [Double], residual: Double,
                               details: KKTDetails) -> SolveResult {
        let n = variableCount
        let x = Array(v[0..<n]), y = v[n...].map { -$0 }
        let singular = "the KKT matrix is singular (refinement stalled at residual \(residual))"
        // A proof carries its certificate and a point, no objective and no duals.
        func proved(_ status: TerminationStatus, point: [Double], duals: [Double], raw: String,
                    _ certificate: Certificate, note: String) -> SolveResult {
            var r = result(x: point, y: duals, status: status, rawStatus: "\(singular): \(raw)", details: details)
            r.objective = nil
            r.duals = nil
            r.kkt = original.kktResiduals(primal: point, duals: nil, reducedCosts: nil)
            r.certificate = certificate
            r.notes.append(note)
            return r
        }
        switch finding {
        case .infeasible(let farkas):
            return proved(.infeasible, point: x, duals: y, raw: "Cᵀy = 0 with bᵀy > 0", Certificate(kind: .farkas, vector: farkas),
                          note: "the equality constraints are inconsistent: the certificate y has Cᵀy = 0 and bᵀy > 0")
        case .unbounded(let ray, let point):
            return proved(.unbounded, point: point, duals: Array(repeating: 0, count: constraintCount),
                          raw: "ray with Cd = 0, Sd = 0, cᵀd < 0", Certificate(kind: .primalRay, vector: ray),
                          note: "unbounded: the point is feasible and the objective improves without limit along the certificate's ray")
        case .undetermined(let why):
            var r = result(x: x, y: y, status: .numericalError, rawStatus: singular, details: details)
            r.notes.append("\(singular), and neither infeasibility nor unboundedness could be certified: \(why)")
            return r
        }
    }
}
