import LagrangeCore
import LinearAlgebra

/// One iteration's numbers, in the scaled standard form (objectives are invariant under
/// the scaling; the caller adds constants and the sense).
struct IPMIterationInfo {
    var iteration: Int
    var primalObjective: Double
    var dualObjective: Double
    var relativeGap: Double
    var primalResidual: Double
    var dualResidual: Double
    var mu: Double
    var primalStep: Double
    var dualStep: Double
}

/// How an interior-point run ended, in the scaled standard form.
struct IPMOutcome {
    var status: TerminationStatus
    var rawStatus: String
    var x: [Double]
    var y: [Double]
    var iterations: Int
    /// A Farkas ray y (infeasible) or a primal ray x (unbounded), when proved so.
    var certificate: [Double]?
    /// The termination test that fired (``IPMTermination``), nil for limits and stalls.
    var convergedBy: ConvergenceTest? = nil
}

/// Mehrotra's primal–dual predictor–corrector interior-point method for
///
///     min cᵀx + ½xᵀQx   s.t.   Ax = b,   l ≤ x ≤ u      (Q symmetric PSD, or absent)
///
/// Each iteration solves the Newton system of the perturbed KKT conditions
/// c + Qx − Aᵀy − z_l + z_u = 0, (x − l)z_l = σμ, (u − x)z_u = σμ. For an LP it is
/// reduced to the normal equations (AΘAᵀ + δI)Δy = r with
/// Θ = ((X−L)⁻¹Z_l + (U−X)⁻¹Z_u + ρI)⁻¹; for a QP the augmented quasi-definite system
/// [−(Q + Θ⁻¹) Aᵀ; A 0] is solved instead (``IPMAugmentedSystem``, static regularization
/// plus iterative refinement), with equal primal and dual steps. Either is
/// factored once per iteration by sparse LDLᵀ and used for the affine predictor and the corrector
/// with σ = (μ_aff/μ)³ (Mehrotra 1992; Wright, "Primal-Dual Interior-Point Methods",
/// SIAM 1997, ch. 10). x stays strictly inside its bounds, so only Ax = b carries an
/// infeasibility residual.
///
/// Termination: ``IPMTermination`` (non-finite values, the residuals and gap, a Farkas
/// ray — bᵀy + lᵀz_l − uᵀz_u > 0 with ‖Aᵀy + z_l − z_u‖∞ ≤ 1e-8 times it — or a primal
/// ray — −cᵀx > 0 with ‖Ax‖∞ and the bound-direction violations ≤ 1e-8 times it — then
/// the limits, then stalls).
struct InteriorPointMethod {
    let form: IPMStandardForm
    let settings: IPMSettings
    /// The objective constant the form drops (c₀ after presolve). The gap is relative to
    /// the objective *with* it, as the certificate checker and the suites measure it: a
    /// constant that cancels most of cᵀx leaves an objective near 0 whose absolute error
    /// must be small too (HS268, S268).
    var objectiveConstant = 0.0

    /// Runs the method: the initial point, then per iteration the measures, termination
    /// (``IPMTermination``), the Newton matrix, the predictor, the corrector and the step
    /// (Clarabel's `solve()` phases). `report` receives each iteration and returns a stop
    /// status from the iteration control (limits, observers) or nil. `interrupt` is asked
    /// inside each factorization (time limit, cancellation); a non-nil answer ends the run
    /// with that status and the current iterate.
    func run(interrupt: @escaping () -> TerminationStatus?,
             report: (IPMIterationInfo) -> TerminationStatus?) throws -> IPMOutcome {
        let m = form.rowCount, n = form.columnCount
        let a = form.matrix
        let quadratic = form.quadratic?.matrix
        // LP: normal equations. QP: the augmented system (normal is then an empty stub).
        let probe = InterruptProbe(interrupt)
        let normal: NormalEquationsMatrix
        do { normal = try NormalEquationsMatrix(quadratic == nil ? a : .zeros(rows: 0, columns: 0), shouldStop: probe.shouldStop) } catch {
            guard error == .interrupted else { throw error }
            return IPMOutcome(status: probe.status ?? .interrupted, rawStatus: "stopped while analyzing the normal equations",
                              x: Array(repeating: 0, count: n), y: Array(repeating: 0, count: m), iterations: 0, certificate: nil)
        }
        var factorization = SparseLDLT(symbolic: normal.symbolic,
                                       policy: PivotPolicy(staticRegularization: settings.dualRegularization))
        var augmented: IPMAugmentedSystem? = nil
        if let quadratic {
            do {
                augmented = try IPMAugmentedSystem(a: a, q: quadratic, regularization: settings.augmentedRegularization,
                                                   shouldStop: probe.shouldStop)
            } catch {
                guard error == .interrupted else { throw error }
                return IPMOutcome(status: probe.status ?? .interrupted, rawStatus: "stopped while analyzing the augmented system",
                                  x: Array(repeating: 0, count: n), y: Array(repeating: 0, count: m), iterations: 0, certificate: nil)
            }
        }
        var w = IPMWorkspace(rows: m, columns: n, lower: form.lower, upper: form.upper, normalNonzeros: normal.symbolic.upperNonzeros,
                             quadratic: quadratic != nil)
        let scales = (b: Vector.normInf(form.rightHandSide), c: Vector.normInf(form.cost))
        let pairCount = max(1, w.hasLower.filter { $0 }.count + w.hasUpper.filter { $0 }.count)
        let tolerance = settings.tolerance
        // Gondzio's rule: spend extra solves on centrality only where a factorization is
        // expensive next to a solve. A corrector is ≈ two triangular solves (2 nnz(L)
        // each way), A and Aᵀ products and a few passes over n; LPs only (the QP's
        // augmented system has its own refinement loop and no such estimate).
        let correctorSolveOperations = 4 * Double(normal.symbolic.factorNonzeros) + 6 * Double(a.nonzeroCount) + 20 * Double(n)
        let centralityCorrectors = quadratic == nil
            && normal.symbolic.factorizationOperations >= Self.correctorCostRatio * correctorSolveOperations
            ? settings.centralityCorrectors : 0

        // MARK: Initial point
        if let stopped = try initialPoint(&w, normal: normal, factorization: &factorization, augmented: &augmented,
                                          scales: scales, probe: probe) {
            return stopped
        }

        // MARK: Main loop
        var primalStep = 0.0, dualStep = 0.0
        var progress = IPMTermination.Progress()
        var iteration = 0
        var primalRegularization = settings.primalRegularization
        while true {
            // Residuals, objectives, μ.
            let info = measure(&w, iteration: iteration, scales: scales, pairCount: pairCount,
                               primalStep: primalStep, dualStep: dualStep)
            let mu = info.mu

            // Termination, in the documented order (IPMTermination).
            let x = w.x, y = w.y, count = iteration
            func outcome(_ verdict: IPMVerdict) -> IPMOutcome {
                IPMOutcome(status: verdict.verdict.status, rawStatus: verdict.rawStatus, x: x, y: y, iterations: count,
                           certificate: verdict.certificate, convergedBy: verdict.verdict.test)
            }
            func outcome(_ status: TerminationStatus, _ raw: String) -> IPMOutcome { outcome(IPMVerdict(status, by: nil, raw)) }
            if let verdict = IPMTermination.check(info, tolerance: tolerance, farkasRay: { farkasRay(&w) },
                                                  primalRay: quadratic == nil ? { primalRay(&w) } : nil) {
                _ = report(info)
                return outcome(verdict)
            }
            if let stop = report(info) { return outcome(stop, "stopped by iteration control") }
            if iteration >= settings.maxIterations { return outcome(.iterationLimit, "iteration limit") }
            progress.update(info, iteration: iteration)
            if progress.regularizationStalled(info, iteration: iteration, tolerance: tolerance)
                && primalRegularization > IPMTermination.minimumPrimalRegularization {
                primalRegularization /= IPMTermination.regularizationDecrease
                progress.restartWindows(at: iteration)
            }
            if let verdict = progress.stall(info, iteration: iteration, tolerance: tolerance) { return outcome(verdict) }

            // Newton matrix: Θ and the normal equations (LP), or D = Θ⁻¹ and the augmented
            // system (QP). A factorization that breaks down (a non-finite pivot: an iterate
            // on its bound, an ill-conditioned late system) ends the run on the current
            // iterate, classified by its residuals, instead of throwing it away (the plugin
            // then diagnoses it).
            do {
                try factorNewtonMatrix(&w, normal: normal, factorization: &factorization, augmented: &augmented,
                                       primalRegularization: primalRegularization, probe: probe)
            } catch {
                guard error != .interrupted else { return outcome(probe.status ?? .interrupted, "stopped during a factorization") }
                return outcome(IPMTermination.afterBreakdown(info, error: error, iteration: count))
            }

            // Predictor (σ = 0), then σ = (μ_aff/μ)³.
            let sigma = predictor(&w, factorization: factorization, augmented: &augmented, mu: mu, pairCount: pairCount)

            // Corrector: σμ centring plus Mehrotra's second-order term, then Gondzio's
            // centrality correctors.
            let target = sigma * mu
            var (alphaPrimal, alphaDual) = corrector(&w, factorization: factorization, augmented: &augmented, target: target)
            if centralityCorrectors > 0 {
                (alphaPrimal, alphaDual) = applyCentralityCorrectors(&w, count: centralityCorrectors, target: target,
                                                                     alphaPrimal: alphaPrimal, alphaDual: alphaDual,
                                                                     equalSteps: quadratic != nil,
                                                                     factorization: factorization, augmented: &augmented)
            }

            // Step.
            (primalStep, dualStep) = takeStep(&w, alphaPrimal: alphaPrimal, alphaDual: alphaDual, mu: mu)
            iteration += 1
        }
    }

    /// Mehrotra's starting point, adapted to bounds: x̂ and ŷ by two least-squares solves,
    /// then both shifted into the interior and the complementarity products balanced.
    /// Returns the outcome of a stop during its factorization, else nil.
    private func initialPoint(_ w: inout IPMWorkspace, normal: NormalEquationsMatrix, factorization: inout SparseLDLT,
                              augmented: inout IPMAugmentedSystem?, scales: (b: Double, c: Double),
                              probe: InterruptProbe) throws -> IPMOutcome? {
        let m = w.m, n = w.n, a = form.matrix
        let b = form.rightHandSide, c = form.cost, l = form.lower, u = form.upper
        let quadratic = form.quadratic?.matrix
        let bNorm = scales.b, cNorm = scales.c
        for j in 0..<n { w.theta[j] = 1 }
        for j in 0..<n { w.x[j] = min(max(0, l[j]), u[j]) }
        if var system = augmented {
            // The same two least-squares solves through [−I Aᵀ; A 0]: x̂ = x₀ + Aᵀŷ with
            // Ax̂ = b, then ŷ from the gradient c + Qx̂ (ẑ = c + Qx̂ − Aᵀŷ below).
            do { try system.factor(shift: w.theta, withQuadratic: false, shouldStop: probe.shouldStop) } catch {
                guard error == .interrupted else { throw error }
                return IPMOutcome(status: probe.status ?? .interrupted, rawStatus: "stopped during the first factorization",
                                  x: w.x, y: w.y, iterations: 0, certificate: nil)
            }
            for j in 0..<n { w.augmented[j] = -w.x[j] }
            for i in 0..<m { w.augmented[n + i] = b[i] }
            system.solve(&w.augmented)
            for j in 0..<n { w.x[j] = w.augmented[j] }
            quadratic?.multiply(w.x, into: &w.qx)
            for j in 0..<n { w.augmented[j] = c[j] + w.qx[j] }
            for i in 0..<m { w.augmented[n + i] = 0 }
            system.solve(&w.augmented)
            for i in 0..<m { w.y[i] = w.augmented[n + i] }
            a.transposeMultiply(w.y, into: &w.scratchN)
            for j in 0..<n { w.scratchN[j] -= w.qx[j] }
            augmented = system
        } else {
            normal.assemble(theta: w.theta, shift: nil, into: &w.normalValues)
            do { try factorization.factor(internalValues: w.normalValues, shouldStop: probe.shouldStop) } catch {
                guard error == .interrupted else { throw error }
                return IPMOutcome(status: probe.status ?? .interrupted, rawStatus: "stopped during the first factorization",
                                  x: w.x, y: w.y, iterations: 0, certificate: nil)
            }
            // x̂ = x₀ + Aᵀ(AAᵀ)⁻¹(b − Ax₀), x₀ the point of the bounds nearest 0.
            a.multiply(w.x, into: &w.scratchM)
            for i in 0..<m { w.scratchM[i] = b[i] - w.scratchM[i] }
            factorization.solve(&w.scratchM, scratch: &w.solveScratch)
            a.transposeMultiply(w.scratchM, into: &w.scratchN)
            for j in 0..<n { w.x[j] += w.scratchN[j] }
            // ŷ = (AAᵀ)⁻¹Ac, ẑ = c − Aᵀŷ.
            a.multiply(c, into: &w.y)
            factorization.solve(&w.y, scratch: &w.solveScratch)
            a.transposeMultiply(w.y, into: &w.scratchN)
        }
        var minGap = Double.infinity, minZ = Double.infinity
        for j in 0..<n {
            let z = c[j] - w.scratchN[j]
            w.zLower[j] = w.hasLower[j] ? max(z, 0) : 0
            w.zUpper[j] = w.hasUpper[j] ? max(-z, 0) : 0
            if w.hasLower[j] { minGap = min(minGap, w.x[j] - l[j]); minZ = min(minZ, z) }
            if w.hasUpper[j] { minGap = min(minGap, u[j] - w.x[j]); minZ = min(minZ, -z) }
        }
        var shiftX = max(-1.5 * (minGap.isFinite ? minGap : 0), 0)
        var shiftZ = max(-1.5 * (minZ.isFinite ? minZ : 0), 0)
        shiftX = max(shiftX, 1e-2 * max(1, bNorm)) // keep a margin even when x̂ is interior
        shiftZ = max(shiftZ, 1e-2 * max(1, cNorm))
        // Second Mehrotra correction: balance the complementarity products.
        var product = 0.0, sumGap = 0.0, sumZ = 0.0
        for j in 0..<n {
            if w.hasLower[j] {
                let g = max(w.x[j] - l[j], 0) + shiftX, z = w.zLower[j] + shiftZ
                product += g * z; sumGap += g; sumZ += z
            }
            if w.hasUpper[j] {
                let t = max(u[j] - w.x[j], 0) + shiftX, z = w.zUpper[j] + shiftZ
                product += t * z; sumGap += t; sumZ += z
            }
        }
        if sumZ > 0 { shiftX += 0.5 * product / sumZ }
        if sumGap > 0 { shiftZ += 0.5 * product / sumGap }
        for j in 0..<n {
            let lo = w.hasLower[j], hi = w.hasUpper[j]
            if lo && hi {
                let width = u[j] - l[j]
                let margin = min(shiftX, 0.5 * width)
                w.x[j] = min(max(w.x[j], l[j] + margin), u[j] - margin)
                if w.x[j] - l[j] <= 0 || u[j] - w.x[j] <= 0 { w.x[j] = l[j] + 0.5 * width }
            } else if lo {
                w.x[j] = max(w.x[j], l[j]) + shiftX
            } else if hi {
                w.x[j] = min(w.x[j], u[j]) - shiftX
            }
            if lo { w.zLower[j] += shiftZ }
            if hi { w.zUpper[j] += shiftZ }
        }
        return nil
    }

    /// The residuals r_b = b − Ax and r_c = c + Qx − Aᵀy − z_l + z_u (left in `w`), the
    /// objectives, μ and the relative measures the termination tests read.
    private func measure(_ w: inout IPMWorkspace, iteration: Int, scales: (b: Double, c: Double), pairCount: Int,
                         primalStep: Double, dualStep: Double) -> IPMIterationInfo {
        let m = w.m, n = w.n, a = form.matrix
        let b = form.rightHandSide, c = form.cost, l = form.lower, u = form.upper
        let quadratic = form.quadratic?.matrix
        a.multiply(w.x, into: &w.primalResidual)
        for i in 0..<m { w.primalResidual[i] = b[i] - w.primalResidual[i] }
        a.transposeMultiply(w.y, into: &w.dualResidual)
        quadratic?.multiply(w.x, into: &w.qx)
        var primalObjective = 0.0, dualObjective = 0.0, quadraticTerm = 0.0, complementarity = 0.0
        for i in 0..<m { dualObjective += b[i] * w.y[i] }
        for j in 0..<n {
            let qx = quadratic == nil ? 0 : w.qx[j]
            quadraticTerm += 0.5 * qx * w.x[j]
            primalObjective += c[j] * w.x[j]
            w.dualResidual[j] = c[j] + qx - w.dualResidual[j] - w.zLower[j] + w.zUpper[j]
            if w.hasLower[j] { dualObjective += l[j] * w.zLower[j]; complementarity += (w.x[j] - l[j]) * w.zLower[j] }
            if w.hasUpper[j] { dualObjective -= u[j] * w.zUpper[j]; complementarity += (u[j] - w.x[j]) * w.zUpper[j] }
        }
        primalObjective += quadraticTerm
        dualObjective -= quadraticTerm
        let mu = complementarity / Double(pairCount)
        let relativePrimal = Vector.normInf(w.primalResidual) / (1 + scales.b)
        let relativeDual = Vector.normInf(w.dualResidual) / (1 + scales.c)
        let relativeGap = abs(primalObjective - dualObjective)
            / (1 + abs(primalObjective + objectiveConstant))
        return IPMIterationInfo(iteration: iteration, primalObjective: primalObjective, dualObjective: dualObjective,
                                relativeGap: relativeGap, primalResidual: relativePrimal, dualResidual: relativeDual,
                                mu: mu, primalStep: primalStep, dualStep: dualStep)
    }

    /// Θ = ((X−L)⁻¹Z_l + (U−X)⁻¹Z_u + ρI)⁻¹, then the LP's normal equations AΘAᵀ + δI or
    /// the QP's augmented system with D = Θ⁻¹ (`scratchN` holds D), factored.
    private func factorNewtonMatrix(_ w: inout IPMWorkspace, normal: NormalEquationsMatrix, factorization: inout SparseLDLT,
                                    augmented: inout IPMAugmentedSystem?, primalRegularization: Double,
                                    probe: InterruptProbe) throws(LinearAlgebraError) {
        let l = form.lower, u = form.upper
        for j in 0..<w.n {
            var inverse = primalRegularization
            if w.hasLower[j] { inverse += w.zLower[j] / (w.x[j] - l[j]) }
            if w.hasUpper[j] { inverse += w.zUpper[j] / (u[j] - w.x[j]) }
            // An iterate that rounding put on its bound (x − l = 0 late in a run) would
            // make D infinite: cap it (the variable is then all but fixed).
            if !(inverse <= 1e30) { inverse = 1e30 }
            w.theta[j] = 1 / max(inverse, 1e-300)
            w.scratchN[j] = inverse
        }
        if var system = augmented {
            augmented = nil  // keep the buffers uniquely referenced while factoring
            try system.factor(shift: w.scratchN, shouldStop: probe.shouldStop)
            augmented = system
        } else {
            normal.assemble(theta: w.theta, shift: nil, into: &w.normalValues)
            try factorization.factor(internalValues: w.normalValues, shouldStop: probe.shouldStop)
        }
    }

    /// The affine-scaling direction (σ = 0) and Mehrotra's centering parameter
    /// σ = (μ_aff/μ)³, μ_aff the complementarity after the longest affine step.
    private func predictor(_ w: inout IPMWorkspace, factorization: SparseLDLT, augmented: inout IPMAugmentedSystem?,
                           mu: Double, pairCount: Int) -> Double {
        let n = w.n, l = form.lower, u = form.upper
        for j in 0..<n {
            w.lowerTarget[j] = w.hasLower[j] ? -(w.x[j] - l[j]) * w.zLower[j] : 0
            w.upperTarget[j] = w.hasUpper[j] ? -(u[j] - w.x[j]) * w.zUpper[j] : 0
        }
        solveNewton(&w, factorization: factorization, augmented: &augmented)
        let (alphaPrimal, alphaDual) = stepLengths(w)
        var affineComplementarity = 0.0
        for j in 0..<n {
            if w.hasLower[j] {
                affineComplementarity += (w.x[j] - l[j] + alphaPrimal * w.dx[j]) * (w.zLower[j] + alphaDual * w.dzLower[j])
            }
            if w.hasUpper[j] {
                affineComplementarity += (u[j] - w.x[j] - alphaPrimal * w.dx[j]) * (w.zUpper[j] + alphaDual * w.dzUpper[j])
            }
        }
        let muAffine = affineComplementarity / Double(pairCount)
        let ratio = mu > 0 ? muAffine / mu : 0
        return min(max(ratio * ratio * ratio, 0), 1)
    }

    /// Mehrotra's combined direction: complementarity targets σμ − (x−l)z_l − Δx_affΔz_l,aff
    /// (and the upper-bound analogue), the affine direction kept in the `…Affine` buffers.
    /// Returns the step lengths to the boundary.
    private func corrector(_ w: inout IPMWorkspace, factorization: SparseLDLT, augmented: inout IPMAugmentedSystem?,
                           target: Double) -> (Double, Double) {
        let l = form.lower, u = form.upper
        swap(&w.dx, &w.dxAffine)
        swap(&w.dzLower, &w.dzLowerAffine)
        swap(&w.dzUpper, &w.dzUpperAffine)
        for j in 0..<w.n {
            w.lowerTarget[j] = w.hasLower[j]
                ? target - (w.x[j] - l[j]) * w.zLower[j] - w.dxAffine[j] * w.dzLowerAffine[j] : 0
            w.upperTarget[j] = w.hasUpper[j]
                ? target - (u[j] - w.x[j]) * w.zUpper[j] + w.dxAffine[j] * w.dzUpperAffine[j] : 0
        }
        solveNewton(&w, factorization: factorization, augmented: &augmented)
        return stepLengths(w)
    }

    /// Moves the iterate by a fraction max(step_fraction, 1 − μ) (at most 0.99999, 0.999 for
    /// a QP, whose primal and dual steps are equal) of the steps to the boundary, keeping x
    /// strictly inside its bounds. Returns the steps taken.
    private func takeStep(_ w: inout IPMWorkspace, alphaPrimal: Double, alphaDual: Double, mu: Double) -> (Double, Double) {
        let l = form.lower, u = form.upper
        let quadratic = form.quadratic != nil
        let fraction = min(max(settings.stepFraction, 1 - mu), !quadratic ? 0.99999 : 0.999)
        var alphaPrimal = min(1, fraction * alphaPrimal)
        var alphaDual = min(1, fraction * alphaDual)
        if quadratic { let s = min(alphaPrimal, alphaDual); alphaPrimal = s; alphaDual = s }
        for j in 0..<w.n {
            w.x[j] += alphaPrimal * w.dx[j]
            // A step of 0.99999 toward a bound can round onto it (x = u exactly on
            // QBRANDY at iteration 18): keep the iterate strictly interior.
            if w.hasLower[j] && w.x[j] <= l[j] {
                w.x[j] = l[j] + 1e-14 * max(1, abs(l[j]))
                if w.hasUpper[j] { w.x[j] = min(w.x[j], 0.5 * (l[j] + u[j])) }
            } else if w.hasUpper[j] && w.x[j] >= u[j] {
                w.x[j] = u[j] - 1e-14 * max(1, abs(u[j]))
                if w.hasLower[j] { w.x[j] = max(w.x[j], 0.5 * (l[j] + u[j])) }
            }
            w.zLower[j] += alphaDual * w.dzLower[j]
            w.zUpper[j] += alphaDual * w.dzUpper[j]
        }
        for i in 0..<w.m { w.y[i] += alphaDual * w.dy[i] }
        return (alphaPrimal, alphaDual)
    }

    /// Gondzio's centrality box [β_min σμ, β_max σμ] and step-length aspiration
    /// (Gondzio 1996; Colombo & Gondzio, Comput. Optim. Appl. 41, 2008).
    /// δ = 0.3 measured best on Netlib israel, degen2 and 25fv47 among 0.1, 0.3, 0.5, 1.
    static let centralityBoxLow = 0.1, centralityBoxHigh = 10.0
    static let aspirationIncrease = 0.3, acceptanceFactor = 1.01
    /// Correctors run only when one factorization costs at least this many corrector
    /// solves (operation counts): below it the extra solves cost more than the saved
    /// iterations (measured on Netlib: lotfi, e226, boeing2 slower, ratios 1–2).
    static let correctorCostRatio = 5.0

    /// Multiple centrality correctors (Gondzio 1996): from the current direction with
    /// step lengths (αp, αd), aim at longer steps α̃ = min(1, α + δ) and look at the
    /// complementarity products v = (gap + α̃p Δgap)(z + α̃d Δz) there. Products outside
    /// [β_min σμ, β_max σμ] are pushed back to the box (a decrease at most β_max σμ, so
    /// large products cannot dominate); that correction is added to the complementarity
    /// targets and the Newton system is solved again with the same factorization, which
    /// by linearity gives direction + corrector. The corrected direction is kept only if
    /// its step grows by the factor 1.01; otherwise the previous one is restored and the
    /// correction stops. The primal and dual residual parts are unchanged by construction.
    /// Returns the step lengths (to the boundary) of the direction left in `w`.
    private func applyCentralityCorrectors(_ w: inout IPMWorkspace, count: Int, target: Double, alphaPrimal: Double, alphaDual: Double,
                                           equalSteps: Bool, factorization: SparseLDLT,
                                           augmented: inout IPMAugmentedSystem?) -> (Double, Double) {
        let n = w.n, l = form.lower, u = form.upper
        var alphaPrimal = alphaPrimal, alphaDual = alphaDual
        if equalSteps { let s = min(alphaPrimal, alphaDual); alphaPrimal = s; alphaDual = s }
        let low = Self.centralityBoxLow * target, high = Self.centralityBoxHigh * target
        guard target > 0, target.isFinite else { return (alphaPrimal, alphaDual) }
        for _ in 0..<count {
            if alphaPrimal >= 1 && alphaDual >= 1 { break }
            let aimPrimal = min(1, alphaPrimal + Self.aspirationIncrease)
            let aimDual = min(1, alphaDual + Self.aspirationIncrease)
            // Corrections of the products at the aimed-for point: the targets of a
            // corrector-only Newton system (zero primal and dual residuals).
            var anyOutside = false
            for j in 0..<n {
                var lowerCorrection = 0.0, upperCorrection = 0.0
                if w.hasLower[j] {
                    let v = (w.x[j] - l[j] + aimPrimal * w.dx[j]) * (w.zLower[j] + aimDual * w.dzLower[j])
                    if v < low { lowerCorrection = low - v } else if v > high { lowerCorrection = max(high - v, -high) }
                }
                if w.hasUpper[j] {
                    let v = (u[j] - w.x[j] - aimPrimal * w.dx[j]) * (w.zUpper[j] + aimDual * w.dzUpper[j])
                    if v < low { upperCorrection = low - v } else if v > high { upperCorrection = max(high - v, -high) }
                }
                if lowerCorrection != 0 || upperCorrection != 0 { anyOutside = true }
                w.lowerTarget[j] = lowerCorrection
                w.upperTarget[j] = upperCorrection
            }
            if !anyOutside { break }
            // Keep the current direction (the predictor buffers are free by now), solve
            // for the corrector and add the kept direction to it.
            swap(&w.dx, &w.dxAffine)
            swap(&w.dzLower, &w.dzLowerAffine)
            swap(&w.dzUpper, &w.dzUpperAffine)
            swap(&w.dy, &w.dySaved)
            solveNewton(&w, factorization: factorization, augmented: &augmented, withResiduals: false)
            for j in 0..<n {
                w.dx[j] += w.dxAffine[j]
                w.dzLower[j] += w.dzLowerAffine[j]
                w.dzUpper[j] += w.dzUpperAffine[j]
            }
            for i in 0..<w.m { w.dy[i] += w.dySaved[i] }
            var (newPrimal, newDual) = stepLengths(w)
            if equalSteps { let s = min(newPrimal, newDual); newPrimal = s; newDual = s }
            let accepted = newPrimal.isFinite && newDual.isFinite
                && newPrimal + newDual >= Self.acceptanceFactor * (alphaPrimal + alphaDual)
            guard accepted else {
                swap(&w.dx, &w.dxAffine)
                swap(&w.dzLower, &w.dzLowerAffine)
                swap(&w.dzUpper, &w.dzUpperAffine)
                swap(&w.dy, &w.dySaved)
                break
            }
            alphaPrimal = newPrimal
            alphaDual = newDual
        }
        return (alphaPrimal, alphaDual)
    }

    /// Relative ∞-norm residual of the normal equations below which refinement is skipped.
    static let refinementThreshold = 1e-12

    /// Solves the Newton system for the current targets (lowerTarget, upperTarget) and
    /// residuals, using the factored normal equations:
    ///   h = −rc + G⁻¹r_l − T⁻¹r_u,  (AΘAᵀ)Δy = r_b − AΘh,  Δx = Θ(h + AᵀΔy),
    ///   Δz_l = G⁻¹(r_l − Z_lΔx),  Δz_u = T⁻¹(r_u + Z_uΔx).
    /// One step of iterative refinement corrects for the regularization δ and replaced
    /// pivots when the residual exceeds ``refinementThreshold`` relative to the right-hand side.
    /// `withResiduals == false` solves for a centrality corrector: zero primal and dual
    /// residuals (right-hand side −AΘh) and no refinement (the corrector only steers
    /// centrality; an error in it is a rounding-level change of Ax, which the next
    /// iterations' residuals absorb).
    private func solveNewton(_ w: inout IPMWorkspace, factorization: SparseLDLT,
                             augmented: inout IPMAugmentedSystem?, withResiduals: Bool = true) {
        let m = w.m, n = w.n, a = form.matrix, l = form.lower, u = form.upper
        for j in 0..<n {
            var h = withResiduals ? -w.dualResidual[j] : 0
            if w.hasLower[j] { h += w.lowerTarget[j] / (w.x[j] - l[j]) }
            if w.hasUpper[j] { h -= w.upperTarget[j] / (u[j] - w.x[j]) }
            w.h[j] = h
            w.scratchN[j] = w.theta[j] * h
        }
        if var system = augmented {
            // [−(Q + D) Aᵀ; A 0][Δx; Δy] = [−h; r_b].
            augmented = nil
            for j in 0..<n { w.augmented[j] = -w.h[j] }
            for i in 0..<m { w.augmented[n + i] = withResiduals ? w.primalResidual[i] : 0 }
            system.solve(&w.augmented)
            augmented = system
            for i in 0..<m { w.dy[i] = w.augmented[n + i] }
            for j in 0..<n {
                let dx = w.augmented[j]
                w.dx[j] = dx
                w.dzLower[j] = w.hasLower[j] ? (w.lowerTarget[j] - w.zLower[j] * dx) / (w.x[j] - l[j]) : 0
                w.dzUpper[j] = w.hasUpper[j] ? (w.upperTarget[j] + w.zUpper[j] * dx) / (u[j] - w.x[j]) : 0
            }
            return
        }
        a.multiply(w.scratchN, into: &w.scratchM)
        for i in 0..<m { w.scratchM[i] = (withResiduals ? w.primalResidual[i] : 0) - w.scratchM[i]; w.dy[i] = w.scratchM[i] }
        factorization.solve(&w.dy, scratch: &w.solveScratch)
        if withResiduals { refine(&w, factorization: factorization) }
        a.transposeMultiply(w.dy, into: &w.scratchN)
        for j in 0..<n {
            let dx = w.theta[j] * (w.h[j] + w.scratchN[j])
            w.dx[j] = dx
            w.dzLower[j] = w.hasLower[j] ? (w.lowerTarget[j] - w.zLower[j] * dx) / (w.x[j] - l[j]) : 0
            w.dzUpper[j] = w.hasUpper[j] ? (w.upperTarget[j] + w.zUpper[j] * dx) / (u[j] - w.x[j]) : 0
        }
    }

    /// One step of iterative refinement of Δy (in `w.dy`) against the right-hand side in
    /// `w.scratchM`.
    private func refine(_ w: inout IPMWorkspace, factorization: SparseLDLT) {
        let m = w.m, n = w.n, a = form.matrix
        // Refinement: residual of AΘAᵀΔy against the right-hand side. The second solve
        // is skipped when that residual is already at rounding level (most iterations
        // before Θ spreads out): it would change Δy only in its last digits, and the
        // triangular solves are a seventh of an iteration on Netlib agg and israel.
        // Late in a run Θ shrinks and the static δ of the factorization stops being
        // small beside AΘAᵀ: one step then leaves an error that shows as a primal
        // residual stuck near 1e-8 (finnis, dfl001, pilot87). Refine while it falls.
        var previous = Double.infinity
        for _ in 0..<Self.maxRefinementSteps {
            a.transposeMultiply(w.dy, into: &w.scratchN)
            for j in 0..<n { w.scratchN[j] *= w.theta[j] }
            a.multiply(w.scratchN, into: &w.scratchM2)
            var residualNorm = 0.0, rightHandNorm = 0.0
            for i in 0..<m {
                w.scratchM2[i] = w.scratchM[i] - w.scratchM2[i]
                residualNorm = max(residualNorm, abs(w.scratchM2[i]))
                rightHandNorm = max(rightHandNorm, abs(w.scratchM[i]))
            }
            guard residualNorm > Self.refinementThreshold * rightHandNorm, residualNorm < 0.5 * previous else { return }
            previous = residualNorm
            factorization.solve(&w.scratchM2, scratch: &w.solveScratch)
            for i in 0..<m { w.dy[i] += w.scratchM2[i] }
        }
    }

    static let maxRefinementSteps = 4

    /// Largest α ≤ 1 keeping the bound gaps (primal) and multipliers (dual) nonnegative.
    private func stepLengths(_ w: IPMWorkspace) -> (Double, Double) {
        var ap = 1.0, ad = 1.0
        let l = form.lower, u = form.upper
        for j in 0..<w.n {
            let dx = w.dx[j]
            if w.hasLower[j] {
                if dx < 0 { ap = min(ap, -(w.x[j] - l[j]) / dx) }
                if w.dzLower[j] < 0 { ad = min(ad, -w.zLower[j] / w.dzLower[j]) }
            }
            if w.hasUpper[j] {
                if dx > 0 { ap = min(ap, (u[j] - w.x[j]) / dx) }
                if w.dzUpper[j] < 0 { ad = min(ad, -w.zUpper[j] / w.dzUpper[j]) }
            }
        }
        return (ap, ad)
    }

    /// A Farkas certificate of primal infeasibility from the current multipliers:
    /// η = bᵀy + lᵀz_l − uᵀz_u > 0 and ‖Aᵀy + z_l − z_u‖∞ ≤ 1e-8·η.
    private func farkasRay(_ w: inout IPMWorkspace) -> [Double]? {
        var eta = Vector.dot(form.rightHandSide, w.y)
        for j in 0..<w.n {
            if w.hasLower[j] { eta += form.lower[j] * w.zLower[j] }
            if w.hasUpper[j] { eta -= form.upper[j] * w.zUpper[j] }
        }
        guard eta > 0, eta.isFinite else { return nil }
        form.matrix.transposeMultiply(w.y, into: &w.scratchN)
        var residual = 0.0
        for j in 0..<w.n { residual = max(residual, abs(w.scratchN[j] + w.zLower[j] - w.zUpper[j])) }
        // Scale-invariant too: the ray (y, z) itself must dwarf its residual. η alone grows
        // with b (rows near 1e8 made an ordinary first iterate look like a certificate).
        var size = Vector.normInf(w.y)
        for j in 0..<w.n { size = max(size, w.zLower[j], w.zUpper[j]) }
        return residual <= IPMTermination.rayTolerance * eta && residual <= IPMTermination.rayTolerance * size ? w.y.map { $0 / eta } : nil
    }

    /// A primal ray (unboundedness) from the current x: τ = −cᵀx > 0 with ‖Ax‖∞ and
    /// the violations of the bound directions (x ≥ 0 where l is finite, x ≤ 0 where u is
    /// finite) at most 1e-8·τ.
    private func primalRay(_ w: inout IPMWorkspace) -> [Double]? {
        let tau = -Vector.dot(form.cost, w.x)
        guard tau > 0, tau.isFinite else { return nil }
        form.matrix.multiply(w.x, into: &w.scratchM)
        var violation = Vector.normInf(w.scratchM)
        for j in 0..<w.n {
            if w.hasLower[j] { violation = max(violation, -w.x[j]) }
            if w.hasUpper[j] { violation = max(violation, w.x[j]) }
        }
        // As for the Farkas ray: τ grows with c, so x itself must dwarf Ax too.
        return violation <= IPMTermination.rayTolerance * tau && violation <= IPMTermination.rayTolerance * Vector.normInf(w.x) ? w.x.map { $0 / tau } : nil
    }
}
