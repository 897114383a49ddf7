import LagrangeCore
import LinearAlgebra

/// Dense LDLᵀ (Cholesky without square roots) with the shift strategy used by ``NewtonMethod`` (and the second-order test, ``SmoothDriver/SecondOrderPolicy``).
enum Cholesky {
    /// LDLᵀ factorization without square roots (unit lower L below the diagonal, D on it,
    /// row-major n×n), or nil when A is not positive definite (some dᵢ ≤ 0). No square roots
    /// keeps one-dimensional Newton steps exactly −g/h. `shouldStop` is asked before each
    /// column (time limit, cancellation); a true answer gives nil too.
    static func factor(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> [Double]? {
        if case .factor(let l) = attempt(a, n: n, shouldStop: shouldStop) { return l }
        return nil
    }

    /// What an LDLᵀ attempt ended with: the factor, the column whose pivot was not positive
    /// (with the partial factor: L's rows hold their entries left of that column), or a stop.
    enum Attempt {
        case factor([Double])
        case failedPivot(column: Int, partial: [Double])
        case stopped
    }

    static func attempt(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> Attempt {
        var l = a
        for j in 0..<n {
            if shouldStop() { return .stopped }
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] * l[k * n + k] }
            guard d > 0, d.isFinite else { return .failedPivot(column: j, partial: l) }
            l[j * n + j] = d
            for i in (j + 1)..<n {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] * l[k * n + k] }
                l[i * n + j] = s / d
            }
            for k in (j + 1)..<n { l[j * n + k] = 0 }
        }
        return .factor(l)
    }

    /// A unit direction of negative curvature of the symmetric A (row-major n×n), d with
    /// dᵀAd ≤ −ε, ε = 1e-6·max(1, max|Aᵢᵢ|), and its curvature dᵀAd; nil when A + εI is
    /// positive definite (A is positive semidefinite within ε) or when `shouldStop` stops it.
    /// From a failed LDLᵀ of A + εI at column j: z = L⁻ᵀeⱼ has zᵀ(A + εI)z = dⱼ ≤ 0 (the
    /// Gill–Murray construction; Nocedal & Wright §3.4).
    static func negativeCurvature(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> (direction: [Double], curvature: Double)? {
        var largestDiagonal = 0.0
        for i in 0..<n { largestDiagonal = max(largestDiagonal, abs(a[i * n + i])) }
        let epsilon = 1e-6 * max(1, largestDiagonal)
        var shifted = a
        for i in 0..<n { shifted[i * n + i] += epsilon }
        guard case .failedPivot(let j, let l) = attempt(shifted, n: n, shouldStop: shouldStop) else { return nil }
        var z = Array(repeating: 0.0, count: n)
        z[j] = 1
        for i in stride(from: j - 1, through: 0, by: -1) {
            var s = 0.0
            for k in (i + 1)...j { s += l[k * n + i] * z[k] }
            z[i] = -s
        }
        let norm = Vector.norm2(z)
        guard norm > 0, norm.isFinite else { return nil }
        for i in 0..<n { z[i] /= norm }
        var curvature = 0.0
        for i in 0..<n {
            var row = 0.0
            for k in 0..<n { row += a[i * n + k] * z[k] }
            curvature += z[i] * row
        }
        // Recomputed from A: rounding in the partial factor must not fake negative curvature.
        return curvature <= -epsilon ? (z, curvature) : nil
    }

    /// Factor of A + τI with the smallest τ of the doubling sequence that works.
    static func shiftedFactor(_ a: [Double], n: Int, shouldStop: () -> Bool = { false }) -> (factor: [Double], shift: Double)? {
        var minimumDiagonal = Double.infinity, maximumDiagonal = 0.0
        for i in 0..<n {
            minimumDiagonal = min(minimumDiagonal, a[i * n + i])
            maximumDiagonal = max(maximumDiagonal, abs(a[i * n + i]))
        }
        let floor = 1e-3 * max(1, maximumDiagonal)
        var shift = minimumDiagonal > 0 ? 0 : -minimumDiagonal + floor
        for _ in 0..<80 {
            var shifted = a
            if shift > 0 { for i in 0..<n { shifted[i * n + i] += shift } }
            if let l = factor(shifted, n: n, shouldStop: shouldStop) { return (l, shift) }
            if shouldStop() { return nil }
            shift = max(2 * shift, floor)
        }
        return nil
    }

    /// Solves LDLᵀx = b.
    static func solve(_ l: [Double], n: Int, rightHandSide b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s
        }
        for i in 0..<n { y[i] /= l[i * n + i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * y[k] }
            y[i] = s
        }
        return y
    }
}
