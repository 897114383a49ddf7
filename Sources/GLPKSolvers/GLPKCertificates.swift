import LagrangeCore

/// Certificates for GLPK's infeasible / unbounded verdicts. GLPK reports the verdict but
/// no Farkas vector, and its unbounded ray (`glp_get_unbnd_ray`) names only the column
/// that moves. So the plugin solves the two auxiliary LPs of ``LinearProgram`` with GLPK's
/// simplex: phase 1 (a positive optimum: infeasible, its duals the Farkas vector; else a
/// feasible point) and the ray LP (a negative optimum: the ray). That also tells
/// `infeasible_or_unbounded` apart. Where they settle nothing, the result is left as it
/// is and the registry's checker downgrades the claim.
enum GLPKCertificates {
    static func certify(_ result: SolveResult, lp: LinearProgram, control: IterationControl) -> SolveResult {
        let claim = result.status
        guard claim == .infeasible || claim == .unbounded || claim == .infeasibleOrUnbounded else { return result }
        var certified = result
        guard let phaseOne = try? lp.phaseOneProgram(), let first = solveQuietly(phaseOne, control: control) else { return result }
        let n = lp.columnCount
        let violation = first.x[n...].reduce(0, +)
        var boundScale = 1.0
        for v in lp.rowLower + lp.rowUpper + lp.columnLower + lp.columnUpper where v.isFinite { boundScale = max(boundScale, abs(v)) }
        if violation > 1e-9 * boundScale {
            if claim == .unbounded { return result } // the two disagree: leave the claim to the checker
            certified.status = .infeasible
            certified.certificate = Certificate(kind: .farkas, vector: first.y)
            if claim != .infeasible { certified.notes.append("GLPK said \(claim.rawValue); its phase-1 LP proves infeasible") }
            return certified
        }
        guard claim != .infeasible else { return result }
        guard let rays = try? lp.rayProgram(), let ray = solveQuietly(rays, control: control) else { return result }
        var slope = 0.0
        let s: Double = lp.sense == .minimize ? 1 : -1
        for j in 0..<n { slope += s * lp.objective[j] * ray.x[j] }
        guard slope < 0 else { return result }
        certified.status = .unbounded
        certified.certificate = Certificate(kind: .primalRay, vector: ray.x)
        if claim == .infeasibleOrUnbounded || result.primal.isEmpty || result.objective == nil {
            // GLPK's own point is not known to be feasible: phase 1's is.
            certified.primal = Array(first.x[..<n])
        }
        if claim != .unbounded { certified.notes.append("GLPK said \(claim.rawValue); phase 1 and the ray LP prove unbounded") }
        return certified
    }

    /// An auxiliary LP solved to optimality by GLPK's primal simplex, quietly, within the
    /// time the caller has left; nil when it does not reach optimal.
    private static func solveQuietly(_ lp: LinearProgram, control: IterationControl) -> (x: [Double], y: [Double])? {
        let remaining = control.secondsRemaining
        guard remaining > 0 else { return nil }
        let options = SolveOptions(timeLimit: remaining.isFinite ? remaining : nil, verbosity: .quiet, historyStorage: .off)
        let inner = IterationControl(options: options, cancellation: control.cancellationFlag)
        var settings = GLPKSimplexSettings()
        settings.chunkIterations = 0
        settings.verbosity = .quiet
        guard let result = try? GLPKSimplexRun(lp: lp, settings: settings, control: inner).run(),
              result.status == .optimal, let y = result.duals else { return nil }
        return (result.primal, y)
    }
}
