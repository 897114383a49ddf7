import LagrangeCore
import LinearAlgebra

/// Conjugate gradients on the normal equations (`native.cgls`): CGLS as in Björck,
/// "Numerical Methods for Least Squares Problems" (SIAM 1996, Alg. 7.4.1), with damping.
///
/// Solves min ‖Ax − b‖² + λ‖x‖² through (AᵀA + λI)x = Aᵀb without forming AᵀA: from
/// x₀ = 0, r = b, s = Aᵀr, p = s, each iteration does one product with A and one with Aᵀ:
/// q = Ap, α = ‖s‖²/(‖q‖² + λ‖p‖²), x += αp, r −= αq, s = Aᵀr − λx, β = ‖s_new‖²/‖s‖²,
/// p = s + βp. In exact arithmetic it ends in at most n iterations; the error in the
/// AᵀA-norm contracts like ((κ − 1)/(κ + 1))^k with κ = κ₂(A).
///
/// Termination (every iteration): `stop: residual` (default) ‖r‖ ≤ tol·‖b‖ or
/// ‖s‖ ≤ tol·‖A‖_F·‖r‖ (a least-squares point); `stop: error` ‖x − x_true‖ ≤ tol·‖x_true‖;
/// `stop: iterations`. Default tolerance 1e-10, default limit 10·n + 100. A is streamed
/// in its own storage (rows for dense / CSR, columns for CSC), never copied; vectors x, s,
/// p (n) and r, q (m) are the only workspace.
package struct CGLSSolver: SolverPlugin {
    package init() {}

    package var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.cgls", kinds: [.linearSystem], options: [StoppingRule.option],
                         summary: "CGLS: conjugate gradients on the normal equations (with ridge)")
    }

    package func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        let p = try LinearSystemProblem.from(problem, solver: descriptor.id)
        switch p.matrix {
        case .sparse(let csc):
            // Seen as the CSC form of a transpose, A's columns become the kernel's lines.
            return try withLineKernels(.sparseRows(transpose: csc), needColumns: false, CGLSRun(problem: p, context: context, linesAreColumns: true))
        default:
            return try withLineKernels(p.matrix, needColumns: false, CGLSRun(problem: p, context: context, linesAreColumns: false))
        }
    }
}

struct CGLSRun: LineKernelBody {
    let problem: LinearSystemProblem
    let context: SolveContext
    /// Whether the kernel's lines are A's columns (CSC input) rather than its rows.
    let linesAreColumns: Bool

    func run<Lines: LineKernel, Unused: LineKernel>(rows lines: Lines, columns _: Unused?) throws -> SolveResult {
        let m = problem.matrix.rowCount, n = problem.matrix.columnCount
        let control = context.control
        let setup = try IterativeSetup(problem: problem, context: context, defaultTolerance: 1e-10, defaultIterations: 10 * n + 100)
        let lambda = problem.ridge
        var frobeniusSquared = 0.0
        for l in 0..<lines.lineCount { frobeniusSquared += lines.normSquared(l) }
        let frobenius = frobeniusSquared.squareRoot()

        var x = Array(repeating: 0.0, count: n)
        var r = problem.rightHandSide
        var s = Array(repeating: 0.0, count: n)
        var direction = Array(repeating: 0.0, count: n)
        var q = Array(repeating: 0.0, count: m)
        var status = TerminationStatus.iterationLimit
        var convergedBy: ConvergenceTest?
        var k = 0
        var residual = setup.bNorm
        var normalResidual = 0.0

        try x.withUnsafeMutableBufferPointer { xb in
        try r.withUnsafeMutableBufferPointer { rb in
        try s.withUnsafeMutableBufferPointer { sb in
        try direction.withUnsafeMutableBufferPointer { pb in
        try q.withUnsafeMutableBufferPointer { qb in
            guard let xp = xb.baseAddress, let rp = rb.baseAddress, let sp = sb.baseAddress,
                  let pp = pb.baseAddress, let qp = qb.baseAddress else { throw SolverError.unsupported("A is empty") }
            /// out (m) = A v (n).
            func applyA(_ v: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
                if linesAreColumns {
                    for i in 0..<m { out[i] = 0 }
                    for j in 0..<n where v[j] != 0 { lines.axpy(j, v[j], out) }
                } else {
                    for i in 0..<m { out[i] = lines.dot(i, v) }
                }
            }
            /// out (n) = Aᵀ w (m).
            func applyAT(_ w: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
                if linesAreColumns {
                    for j in 0..<n { out[j] = lines.dot(j, w) }
                } else {
                    for j in 0..<n { out[j] = 0 }
                    for i in 0..<m where w[i] != 0 { lines.axpy(i, w[i], out) }
                }
            }
            func norm2(_ v: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
                var t = 0.0
                for i in 0..<count { t += v[i] * v[i] }
                return t
            }
            func error() -> Double? {
                guard let xs = problem.knownSolution else { return nil }
                var t = 0.0
                for j in 0..<n { let d = xp[j] - xs[j]; t += d * d }
                return t.squareRoot()
            }
            /// Records iteration k; true when the solve must stop.
            func recordNow() -> Bool {
                let e = error()
                let record = IterationRecord(iteration: k, objective: 0.5 * residual * residual + 0.5 * lambda * norm2(xp, n),
                                             primalResidual: residual, dualResidual: normalResidual,
                                             extras: e.map { [Metric("error", $0)] } ?? [])
                guard residual.isFinite, normalResidual.isFinite else {
                    _ = control.record(record, iterationLimit: setup.maxIterations)
                    status = .numericalError
                    return true
                }
                let test = setup.converged(residual: residual, error: e, normalResidual: normalResidual, frobenius: frobenius)
                let stop = control.record(record, iterationLimit: setup.maxIterations)
                if let test { status = .optimal; convergedBy = test; return true }
                if let stop { status = stop; return true }
                return false
            }

            applyAT(rp, sp)
            var gamma = norm2(sp, n)
            normalResidual = gamma.squareRoot()
            for j in 0..<n { pp[j] = sp[j] }
            if recordNow() { return }
            while true {
                applyA(pp, qp)
                let delta = norm2(qp, m) + lambda * norm2(pp, n)
                if !(delta > 0) {
                    // p = 0 only when s = 0: x is already a least-squares point.
                    status = gamma == 0 ? .optimal : .numericalError
                    convergedBy = LinearSystemTermination.normalEquations
                    return
                }
                let alpha = gamma / delta
                for j in 0..<n { xp[j] += alpha * pp[j] }
                for i in 0..<m { rp[i] -= alpha * qp[i] }
                applyAT(rp, sp)
                if lambda > 0 { for j in 0..<n { sp[j] -= lambda * xp[j] } }
                let gammaNew = norm2(sp, n)
                k += 1
                residual = norm2(rp, m).squareRoot()
                normalResidual = gammaNew.squareRoot()
                if recordNow() { return }
                let beta = gammaNew / gamma
                gamma = gammaNew
                for j in 0..<n { pp[j] = sp[j] + beta * pp[j] }
            }
        }}}}}

        // The recurrence for r drifts from b − Ax over many iterations; report the true one.
        let exact = problem.matrix.multiply(x)
        var t = 0.0
        for i in 0..<m { let d = problem.rightHandSide[i] - exact[i]; t += d * d }
        return linearSystemResult(problem, status: status, rawStatus: status.rawValue, x: x, residual: t.squareRoot(),
                                  normalResidual: normalResidual, iterations: k,
                                  notes: frobenius == 0 ? [LinearSystemProblem.zeroMatrixNote(residual: t.squareRoot())] : [],
                                  convergedBy: convergedBy)
    }
}
