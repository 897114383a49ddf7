/// The certificate checker for smooth problems: a `locally_optimal` claim must meet the
/// second-order necessary condition ∇²F(x) ⪰ −εI at the returned point (F = f, or −f for
/// `maximize`), ε = 1e-6·max(1, maxᵢ |∇²Fᵢᵢ|). A point where the gradient vanishes but the
/// Hessian has negative curvature is a saddle point or a maximum; the claim is then refused
/// with the status ``TerminationStatus/stationaryPoint`` and the direction's curvature in
/// the note.
///
/// The test: a Cholesky factorization of ∇²F + εI. Success proves λmin(∇²F) > −ε. A pivot
/// that is not positive at column j gives, from the partial factor, a z with
/// zᵀ(∇²F + εI)z ≤ 0, so zᵀ∇²F z ≤ −ε‖z‖²: a verified direction of negative curvature
/// (its Rayleigh quotient is recomputed from ∇²F and is the measure `hessian_min_eigenvalue_bound`).
///
/// The check needs an exact Hessian (``SmoothObjective/hasExactHessian``: expressions, or a
/// closure given a Hessian) and n ≤ ``maximumDimension``; otherwise the claim stands with a
/// caveat in the result's notes: second-order conditions were not checked. `optimal` claims
/// (known-convex objectives) need no second-order check.
package struct SmoothCertificateChecker: CertificateChecker {
    /// Largest n for which the dense Hessian is formed and factored (n Hessian–vector
    /// products and n³/3 flops: milliseconds at 200).
    package static let maximumDimension = 200
    /// ε relative to max(1, max |∇²Fᵢᵢ|).
    package static let relativeCurvatureTolerance = 1e-6

    package init() {}

    package func check(_ result: SolveResult, problem: Problem) -> CertificateCheck? {
        guard case .smooth(let smooth) = problem, result.status == .locallyOptimal else { return nil }
        let objective = smooth.objective
        let n = objective.dimension
        let caveat = "second-order conditions were not checked"
        guard objective.hasExactHessian, n <= Self.maximumDimension else {
            let why = objective.hasExactHessian ? "n = \(n) > \(Self.maximumDimension)" : "no exact Hessian"
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: [], failure: nil,
                                    caveat: "\(caveat) (\(why)): the point is stationary and may be a saddle point")
        }
        guard result.primal.count == n, result.primal.allSatisfy(\.isFinite),
              var h = objective.hessian(at: result.primal), h.count == n * n, h.allSatisfy(\.isFinite) else {
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: [], failure: nil,
                                    caveat: "\(caveat) (the Hessian could not be evaluated at the point)")
        }
        if smooth.sense == .maximize { for i in h.indices { h[i] = -h[i] } }
        var largestDiagonal = 0.0
        for i in 0..<n { largestDiagonal = max(largestDiagonal, abs(h[i * n + i])) }
        let epsilon = Self.relativeCurvatureTolerance * max(1, largestDiagonal)
        guard let direction = Self.negativeCurvatureWitness(h, n: n, shift: epsilon) else {
            let measure = CheckMeasure("hessian_min_eigenvalue_bound", -epsilon, tolerance: -epsilon, atLeast: true)
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: [measure], failure: nil)
        }
        var zz = 0.0, zhz = 0.0
        for i in 0..<n {
            zz += direction[i] * direction[i]
            var row = 0.0
            for j in 0..<n { row += h[i * n + j] * direction[j] }
            zhz += direction[i] * row
        }
        let curvature = zhz / zz
        let measure = CheckMeasure("hessian_min_eigenvalue_bound", curvature, tolerance: -epsilon, atLeast: true)
        // Rounding in the partial factor could in principle leave a z whose recomputed
        // curvature is not below −ε; then nothing is proved and the claim stands.
        guard !measure.passes else {
            return CertificateCheck(claimed: result.status, verdict: result.status, measures: [measure], failure: nil)
        }
        let what = smooth.sense == .maximize ? "a saddle point or a minimum, not a local maximum" : "a saddle point or a maximum, not a local minimum"
        return CertificateCheck(claimed: result.status, verdict: .stationaryPoint, measures: [measure],
                                failure: "the Hessian has negative curvature zᵀ∇²F z/‖z‖² = \(curvature) < −ε = \(-epsilon) at the point: \(what)")
    }

    /// A z with zᵀ(A + shift·I)z ≤ 0 from the Cholesky factorization of A + shift·I
    /// (row-major n×n), or nil when the factorization succeeds (A + shift·I ≻ 0).
    static func negativeCurvatureWitness(_ a: [Double], n: Int, shift: Double) -> [Double]? {
        // Lower-triangular L with LLᵀ = A + shift·I, column by column.
        var l = Array(repeating: 0.0, count: n * n)
        for j in 0..<n {
            var pivot = a[j * n + j] + shift
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0, pivot.isFinite else {
                // The leading (j+1)×(j+1) block equals L̃D̃L̃ᵀ with unit-diagonal L̃ = L·diag(1/Lₖₖ)
                // on the first j columns and last pivot `pivot`; z = L̃⁻ᵀeⱼ gives zᵀ(A + shift·I)z = pivot ≤ 0.
                var z = Array(repeating: 0.0, count: n)
                z[j] = 1
                for i in stride(from: j - 1, through: 0, by: -1) {
                    var s = 0.0
                    for k in (i + 1)...j { s += l[k * n + i] * z[k] }
                    z[i] = -s / l[i * n + i]
                }
                return z
            }
            let diagonal = pivot.squareRoot()
            l[j * n + j] = diagonal
            for i in (j + 1)..<n {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / diagonal
            }
        }
        return nil
    }
}
