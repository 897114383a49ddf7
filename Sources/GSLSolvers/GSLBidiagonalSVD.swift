import CGSL
import LagrangeCore
#if canImport(Glibc)
import Glibc
#endif

/// The implicit-shift QR phase of GSL's Golub–Reinsch SVD (`gsl_linalg_SV_decomp`,
/// linalg/svd.c and svdstep.c of GSL 2.7: `chop_small_elements`, `trailing_eigenvalue`,
/// `create_schur`, `svd2`, the zero chases and `qrstep`), ported step for step so that it
/// can stop between rotations.
///
/// It diagonalizes the upper bidiagonal B = (diagonal `s`, superdiagonal `f`) by Givens
/// rotations. GSL applies the right rotations to the columns of V and the left ones to the
/// columns of U; least squares needs only Uᵀd, so the left rotations act on the vector
/// `u` (= Uᵀd, updated exactly as U's columns would be), and V is kept transposed in `vt`
/// so that each right rotation is one `gsl_blas_drot` on two contiguous rows.
struct BidiagonalSVD {
    var s: [Double]
    var f: [Double]
    var u: [Double]
    let vt: gsl_matrix
    let clock: StepClock

    /// Runs GSL's reduction loop to a diagonal: at most 100·n QR steps (GSL's cap, then
    /// `GSL_EMAXITER`), with a limit check after each step and every 16 rotations inside.
    mutating func diagonalize() throws(StepStop) {
        let n = s.count
        guard n > 1 else { return }
        chopSmallElements(0, n)
        var b = n - 1
        var iterations = 0
        while b > 0 {
            let fbm1 = f[b - 1]
            if fbm1 == 0 || fbm1.isNaN { b -= 1; continue }
            var a = b - 1
            while a > 0 {
                let fam1 = f[a - 1]
                if fam1 == 0 || fam1.isNaN { break }
                a -= 1
            }
            iterations += 1
            if iterations > 100 * n { throw .gsl("SVD decomposition failed to converge (GSL_EMAXITER after \(iterations - 1) QR steps)") }
            let blockSize = b - a + 1
            try qrStep(a, blockSize)
            chopSmallElements(a, blockSize)
            try clock.check()
        }
    }

    /// Makes the singular values non-negative (negating the matching row of Vᵀ).
    mutating func makeNonNegative() {
        for j in 0..<s.count where s[j] < 0 {
            s[j] = -s[j]
            var row = rowSegment(vt, j, from: 0, count: vt.size2)
            gsl_blas_dscal(-1, &row)
        }
    }

    // MARK: svdstep.c

    private mutating func chopSmallElements(_ a: Int, _ n: Int) {
        guard n > 1 else { return }
        var di = s[a]
        for i in 0..<(n - 1) {
            let fi = f[a + i], dip1 = s[a + i + 1]
            if abs(fi) < Double.ulpOfOne * (abs(di) + abs(dip1)) { f[a + i] = 0 }
            di = dip1
        }
    }

    /// V ← V G on block columns p, q (rows a+p, a+q of Vᵀ): p' = c·p − s·q, q' = s·p + c·q.
    private func rotateV(_ p: Int, _ q: Int, _ c: Double, _ sn: Double) {
        var x = rowSegment(vt, p, from: 0, count: vt.size2), y = rowSegment(vt, q, from: 0, count: vt.size2)
        gsl_blas_drot(&x, &y, c, -sn)
    }

    /// U ← U G on columns p, q, applied to Uᵀd.
    private mutating func rotateU(_ p: Int, _ q: Int, _ c: Double, _ sn: Double) {
        let up = u[p], uq = u[q]
        u[p] = c * up - sn * uq
        u[q] = sn * up + c * uq
    }

    private func trailingEigenvalue(_ a: Int, _ n: Int) -> Double {
        let da = s[a + n - 2], db = s[a + n - 1]
        let fa = n > 2 ? f[a + n - 3] : 0.0, fb = f[a + n - 2]
        let ta = da * da + fa * fa, tb = db * db + fb * fb, tab = da * fb
        let dt = (ta - tb) / 2.0
        if dt >= 0 { return tb - (tab * tab) / (dt + hypot(dt, tab)) }
        return tb + (tab * tab) / ((-dt) + hypot(dt, tab))
    }

    private mutating func svd2(_ a: Int) {
        let d0 = s[a], f0 = f[a], d1 = s[a + 1]
        if d0 == 0 {
            let (c, sn) = createGivens(f0, d1)
            s[a] = c * f0 - sn * d1
            f[a] = sn * f0 + c * d1
            s[a + 1] = 0
            rotateU(a, a + 1, c, sn)
            var x = vt
            gsl_matrix_swap_rows(&x, a, a + 1)
            return
        }
        if d1 == 0 {
            let (c, sn) = createGivens(d0, f0)
            s[a] = d0 * c - f0 * sn
            f[a] = 0
            rotateV(a, a + 1, c, sn)
            return
        }
        var (c, sn) = createSchur(d0, f0, d1)
        var a11 = c * d0 - sn * f0, a21 = -sn * d1
        var a12 = sn * d0 + c * f0, a22 = c * d1
        rotateV(a, a + 1, c, sn)
        if hypot(a11, a21) < hypot(a12, a22) {
            swap(&a11, &a12)
            swap(&a21, &a22)
            var x = vt
            gsl_matrix_swap_rows(&x, a, a + 1)
        }
        (c, sn) = createGivens(a11, a21)
        s[a] = c * a11 - sn * a21
        f[a] = c * a12 - sn * a22
        s[a + 1] = sn * a12 + c * a22
        rotateU(a, a + 1, c, sn)
    }

    private mutating func chaseOutIntermediateZero(_ a: Int, _ n: Int, _ k0: Int) throws(StepStop) {
        var x = f[a + k0], y = s[a + k0 + 1]
        for k in k0..<(n - 1) {
            let (c, sn) = createGivens(y, -x)
            rotateU(a + k0, a + k + 1, c, sn)
            s[a + k + 1] = sn * x + c * y
            if k == k0 { f[a + k] = c * x - sn * y }
            if k < n - 2 {
                let z = f[a + k + 1]
                f[a + k + 1] = c * z
                x = -sn * z
                y = s[a + k + 2]
            }
        }
    }

    private mutating func chaseOutTrailingZero(_ a: Int, _ n: Int) throws(StepStop) {
        var x = s[a + n - 2], y = f[a + n - 2]
        var k = n - 1
        while k > 0 {
            k -= 1
            let (c, sn) = createGivens(x, y)
            rotateV(a + k, a + n - 1, c, sn)
            s[a + k] = c * x - sn * y
            if k == n - 2 { f[a + k] = sn * x + c * y }
            if k > 0 {
                let z = f[a + k - 1]
                f[a + k - 1] = c * z
                x = s[a + k - 1]
                y = sn * z
            }
            if k % 16 == 0 { try clock.check() }
        }
    }

    private mutating func qrStep(_ a: Int, _ n: Int) throws(StepStop) {
        if n == 1 { return }
        if n == 2 { svd2(a); return }
        for i in 0..<(n - 1) where s[a + i] == 0 {
            try chaseOutIntermediateZero(a, n, i)
            return
        }
        if s[a + n - 1] == 0 {
            try chaseOutTrailingZero(a, n)
            return
        }
        let d0 = s[a], f0 = f[a], d1 = s[a + 1]
        let mu = trailingEigenvalue(a, n)
        var y = d0 * d0 - mu, z = d0 * f0
        var ak = 0.0, bk = 0.0, zk = 0.0
        var ap = d0, bp = f0, aq = d1
        for k in 0..<(n - 1) {
            var (c, sn) = createGivens(y, z)
            rotateV(a + k, a + k + 1, c, sn)
            do {
                let bk1 = c * bk - sn * z
                let ap1 = c * ap - sn * bp
                let bp1 = sn * ap + c * bp
                let zp1 = -sn * aq
                let aq1 = c * aq
                if k > 0 { f[a + k - 1] = bk1 }
                ak = ap1
                bk = bp1
                zk = zp1
                ap = aq1
                bp = k < n - 2 ? f[a + k + 1] : 0.0
                y = ak
                z = zk
            }
            (c, sn) = createGivens(y, z)
            rotateU(a + k, a + k + 1, c, sn)
            do {
                let ak1 = c * ak - sn * zk
                let bk1 = c * bk - sn * ap
                let zk1 = -sn * bp
                let ap1 = sn * bk + c * ap
                let bp1 = c * bp
                s[a + k] = ak1
                ak = ak1
                bk = bk1
                zk = zk1
                ap = ap1
                bp = bp1
                aq = k < n - 2 ? s[a + k + 2] : 0.0
                y = bk
                z = zk
            }
            if k % 16 == 15 { try clock.check() }
        }
        f[a + n - 2] = bk
        s[a + n - 1] = ap
    }
}

/// GSL's `create_givens` (linalg/givens.c): (c, s) taking (a, b) to (±|v|, 0).
@inline(__always)
func createGivens(_ a: Double, _ b: Double) -> (Double, Double) {
    if b == 0 { return (1, 0) }
    if abs(b) > abs(a) {
        let t = -a / b
        let s1 = 1.0 / (1 + t * t).squareRoot()
        return (s1 * t, s1)
    }
    let t = -b / a
    let c1 = 1.0 / (1 + t * t).squareRoot()
    return (c1, c1 * t)
}

/// GSL's `create_schur` (svdstep.c): the rotation that makes the columns of [d0 f0; 0 d1]
/// orthogonal, rescaled by a power of two when the entries are near under/overflow.
func createSchur(_ d0In: Double, _ f0In: Double, _ d1In: Double) -> (Double, Double) {
    var d0 = d0In, f0 = f0In, d1 = d1In
    var apq = 2.0 * d0 * f0
    if d0 == 0 || f0 == 0 { return (1, 0) }
    let small = Double.leastNormalMagnitude.squareRoot(), large = Double.greatestFiniteMagnitude.squareRoot()
    if abs(d0) < small || abs(d0) > large || abs(f0) < small || abs(f0) > large || abs(d1) < small || abs(d1) > large {
        // frexp's exponent is the IEEE exponent + 1 for a non-zero finite value.
        let d0Exponent = Int(d0.exponent) + 1, f0Exponent = Int(f0.exponent) + 1
        let scale = Double(sign: .plus, exponent: -(d0Exponent + f0Exponent) / 4, significand: 1)
        d0 *= scale
        f0 *= scale
        d1 *= scale
        apq = 2.0 * d0 * f0
    }
    guard apq != 0 else { return (1, 0) }
    let tau = (f0 * f0 + (d1 + d0) * (d1 - d0)) / apq
    let t = tau >= 0 ? 1.0 / (tau + hypot(1.0, tau)) : -1.0 / (-tau + hypot(1.0, tau))
    let c = 1.0 / hypot(1.0, t)
    return (c, t * c)
}
