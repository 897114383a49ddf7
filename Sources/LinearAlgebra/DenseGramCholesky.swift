/// Dense kernels for interior-point normal equations G·diag(e)·Gᵀ + diag(d) of a dense
/// k×L matrix G (row-major): the weighted Gram matrix and an in-place blocked Cholesky of
/// it, both built on one register-tiled dot-product kernel (4 rows × 2 rows of contiguous
/// storage, two lanes each), so every hot loop reads rows contiguously and no k×L copy of
/// G is made. Work k²L/2 + k³/6 multiply–adds; memory the k×k result plus a
/// ``scratchCount``-double scratch.
///
/// Storage of the k×k matrix: row-major, lower triangle (j ≤ i) meaningful; the strict
/// upper triangle is left as it was (never read).
package enum DenseGramCholesky {
    typealias Pair = SIMD2<Double>

    /// Rows of G scaled at once, and the length of the stretch of a row they are scaled
    /// over: 16 × 256 doubles (32 KiB) stay in the first-level cache while every row of G
    /// streams past them.
    static let rowBlock = 16
    static let lengthBlock = 256
    /// Doubles of scratch the Gram kernel needs (the scaled row block).
    package static let scratchCount = rowBlock * lengthBlock
    /// Columns per panel of the blocked Cholesky.
    static let panelWidth = 32

    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> Pair {
        UnsafeRawPointer(p).loadUnaligned(as: Pair.self)
    }

    /// The eight dot products Σ_t p_a[t]·q_b[t] (a < 4, b < 2) over t < length, in the
    /// order (a0b0, a0b1, a1b0, a1b1, …). Eight two-lane accumulators plus three loads fit
    /// the sixteen vector registers of baseline x86-64.
    @inline(__always)
    static func dotTile(_ p0: UnsafePointer<Double>, _ p1: UnsafePointer<Double>, _ p2: UnsafePointer<Double>,
                        _ p3: UnsafePointer<Double>, _ q0: UnsafePointer<Double>, _ q1: UnsafePointer<Double>,
                        length: Int) -> (Double, Double, Double, Double, Double, Double, Double, Double) {
        var c00 = Pair(), c01 = Pair(), c10 = Pair(), c11 = Pair()
        var c20 = Pair(), c21 = Pair(), c30 = Pair(), c31 = Pair()
        var t = 0
        while t + 2 <= length {
            let b0 = load(q0 + t), b1 = load(q1 + t)
            let a0 = load(p0 + t)
            c00 += a0 * b0; c01 += a0 * b1
            let a1 = load(p1 + t)
            c10 += a1 * b0; c11 += a1 * b1
            let a2 = load(p2 + t)
            c20 += a2 * b0; c21 += a2 * b1
            let a3 = load(p3 + t)
            c30 += a3 * b0; c31 += a3 * b1
            t += 2
        }
        var s = (c00.sum(), c01.sum(), c10.sum(), c11.sum(), c20.sum(), c21.sum(), c30.sum(), c31.sum())
        if t < length {
            let b0 = q0[t], b1 = q1[t]
            s.0 += p0[t] * b0; s.1 += p0[t] * b1
            s.2 += p1[t] * b0; s.3 += p1[t] * b1
            s.4 += p2[t] * b0; s.5 += p2[t] * b1
            s.6 += p3[t] * b0; s.7 += p3[t] * b1
        }
        return s
    }

    /// Writes the lower triangle of G·diag(weights)·Gᵀ + diag(diagonal) into `result`
    /// (k×k, row-major), G being k×L row-major in `g`. `scratch` holds ``scratchCount``
    /// doubles.
    package static func weightedGram(_ g: UnsafeBufferPointer<Double>, rows k: Int, columns l: Int,
                                    weights: UnsafeBufferPointer<Double>, diagonal: UnsafeBufferPointer<Double>,
                                    result: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>) {
        precondition(g.count >= k * l && result.count >= k * k && weights.count >= l && diagonal.count >= k
                     && scratch.count >= scratchCount, "weightedGram: buffer sizes")
        guard k > 0, let gBase = g.baseAddress, let c = result.baseAddress, let sBase = scratch.baseAddress else { return }
        for i in 0..<k {
            let row = c + i * k
            for j in 0...i { row[j] = 0 }
            row[i] = diagonal[i]
        }
        guard l > 0 else { return }
        var i0 = 0
        while i0 < k {
            let i1 = min(i0 + rowBlock, k)
            var t0 = 0
            while t0 < l {
                let length = min(lengthBlock, l - t0)
                // The block's rows, scaled by the weights over this stretch, contiguous.
                for i in i0..<i1 {
                    let source = gBase + i * l + t0, target = sBase + (i - i0) * lengthBlock
                    for t in 0..<length { target[t] = source[t] * weights[t0 + t] }
                }
                // Lower-triangle entries (i, j), i in the block, j ≤ i: pairs of rows j of G.
                var j = 0
                while j < i1 {
                    var i = i0
                    while i < i1 {
                        if i + 3 >= j {
                            // p rows: the scaled block (rows past the block read as its last row,
                            // their sums dropped by `store`); q rows: rows j, j + 1 of G.
                            let last = i1 - 1 - i0, r = i - i0
                            let s = dotTile(sBase + min(r, last) * lengthBlock, sBase + min(r + 1, last) * lengthBlock,
                                            sBase + min(r + 2, last) * lengthBlock, sBase + min(r + 3, last) * lengthBlock,
                                            gBase + j * l + t0, gBase + min(j + 1, k - 1) * l + t0, length: length)
                            store(s, into: c, ldc: k, i: i, j: j, rowEnd: i1, columnEnd: k, sign: 1)
                        }
                        i += 4
                    }
                    j += 2
                }
                t0 += length
            }
            i0 = i1
        }
    }

    @inline(__always)
    static func store(_ s: (Double, Double, Double, Double, Double, Double, Double, Double), into c: UnsafeMutablePointer<Double>,
                      ldc: Int, i: Int, j: Int, rowEnd: Int, columnEnd: Int, sign: Double) {
        @inline(__always) func put(_ a: Int, _ b: Int, _ v: Double) {
            if i + a < rowEnd && j + b < columnEnd && j + b <= i + a { c[(i + a) * ldc + j + b] += sign * v }
        }
        put(0, 0, s.0); put(0, 1, s.1); put(1, 0, s.2); put(1, 1, s.3)
        put(2, 0, s.4); put(2, 1, s.5); put(3, 0, s.6); put(3, 1, s.7)
    }

    /// What ``factor(_:order:pivotFloor:)`` did.
    package struct Outcome: Sendable, Equatable {
        /// Pivots at or below the floor (or not finite) replaced by a huge one, which makes
        /// that unknown's solution component vanish: the usual treatment of a
        /// rank-deficient interior-point system (Wright, "Primal-Dual Interior-Point
        /// Methods", §11.1).
        package var replacedPivots = 0
    }

    /// The replacement for a pivot at or below the floor.
    static let hugePivot = 1e64

    /// Factors the lower triangle of `matrix` (order k, row-major) in place into L with
    /// A = LLᵀ, by blocked left-looking Cholesky: each panel of ``panelWidth`` columns is
    /// first updated by all earlier columns with the dot-product tile (rows contiguous),
    /// then factored column by column. A pivot ≤ `pivotFloor` × its original diagonal entry
    /// is replaced (see ``Outcome/replacedPivots``).
    @discardableResult
    package static func factor(_ matrix: UnsafeMutableBufferPointer<Double>, order k: Int, pivotFloor: Double = 1e-30) -> Outcome {
        precondition(matrix.count >= k * k, "factor: buffer size")
        var outcome = Outcome()
        guard k > 0, let a = matrix.baseAddress else { return outcome }
        var j0 = 0
        while j0 < k {
            let j1 = min(j0 + panelWidth, k)
            // 1. Panel columns j0..<j1, rows i ≥ j0, minus Σ_{t<j0} L[i][t]·L[j][t].
            if j0 > 0 {
                var i = j0
                while i < k {
                    var j = j0
                    while j < j1 {
                        if i + 3 >= j {
                            let lastRow = k - 1, lastColumn = j1 - 1
                            let s = dotTile(a + min(i, lastRow) * k, a + min(i + 1, lastRow) * k, a + min(i + 2, lastRow) * k,
                                            a + min(i + 3, lastRow) * k, a + min(j, lastColumn) * k, a + min(j + 1, lastColumn) * k,
                                            length: j0)
                            store(s, into: a, ldc: k, i: i, j: j, rowEnd: k, columnEnd: j1, sign: -1)
                        }
                        j += 2
                    }
                    i += 4
                }
            }
            // 2. The panel itself, column by column, with the in-panel terms t in j0..<j.
            for j in j0..<j1 {
                let rowJ = a + j * k
                var d = rowJ[j]
                let original = d
                for t in j0..<j { d -= rowJ[t] * rowJ[t] }
                if !(d > pivotFloor * abs(original)) || !d.isFinite || d <= 0 {
                    d = hugePivot * hugePivot
                    outcome.replacedPivots += 1
                }
                let pivot = d.squareRoot()
                rowJ[j] = pivot
                for i in (j + 1)..<max(j + 1, k) {
                    let rowI = a + i * k
                    var s = rowI[j]
                    for t in j0..<j { s -= rowI[t] * rowJ[t] }
                    rowI[j] = s / pivot
                }
            }
            j0 = j1
        }
        return outcome
    }

    /// Solves LLᵀx = b in place in `rhs`, L from ``factor(_:order:pivotFloor:)``.
    package static func solve(_ factor: UnsafeBufferPointer<Double>, order k: Int, rhs: UnsafeMutableBufferPointer<Double>) {
        precondition(factor.count >= k * k && rhs.count >= k, "solve: buffer sizes")
        guard k > 0, let l = factor.baseAddress, let x = rhs.baseAddress else { return }
        // L y = b: row i of L is contiguous.
        for i in 0..<k {
            let row = l + i * k
            var s = x[i]
            for t in 0..<i { s -= row[t] * x[t] }
            x[i] = s / row[i]
        }
        // Lᵀ x = y: once x_i is known, row i of L updates the earlier entries.
        for i in stride(from: k - 1, through: 0, by: -1) {
            let row = l + i * k
            let xi = x[i] / row[i]
            x[i] = xi
            if xi != 0 { for t in 0..<i { x[t] -= row[t] * xi } }
        }
    }
}
