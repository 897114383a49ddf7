/// Blocked right-looking LDLᵀ of a dense symmetric matrix without pivoting, the kernel
/// behind the dense trailing block of ``SparseLDLT``.
///
/// The matrix (order s, row-major, lower triangle) is processed in panels of
/// ``panelWidth`` columns: a panel is factored column by column (pivot policy applied to
/// each pivot as in the sparse rows), its unscaled columns D·Lᵀ are packed contiguously,
/// and the trailing lower triangle receives one rank-`panelWidth` update per row, a
/// contiguous loop the compiler vectorizes. Work s³/6 multiply–adds, memory traffic
/// 1/`panelWidth` of a rank-1 sweep.
enum DenseLDLTKernel {
    static let panelWidth = 8
    typealias Pair = SIMD2<Double>

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Double>) -> Pair {
        UnsafeRawPointer(p).loadUnaligned(as: Pair.self)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> Pair {
        UnsafeRawPointer(p).loadUnaligned(as: Pair.self)
    }

    @inline(__always) static func store(_ v: Pair, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Pair.self)
    }

    struct Outcome {
        var replaced = 0
        var failed = false
        /// `shouldStop` answered true before a panel: the factorization is incomplete.
        var stopped = false
    }

    /// Factors in place: on return the strictly lower part of `matrix` holds L and
    /// `pivots[pivotOffset + t]` the pivot of row t. `originalDiagonal[t]` is the
    /// unmodified diagonal entry of row t (pivot threshold); `signs` (by original index,
    /// through `permutation[pivotOffset + t]`) the expected pivot signs. `panel` has
    /// `panelWidth · s` entries. `shouldStop` is asked before each panel (one panel's
    /// trailing update is s²·panelWidth/2 multiply–adds).
    static func factor(order s: Int, matrix: inout [Double], originalDiagonal: [Double], pivots: inout [Double],
                       pivotOffset k0: Int, panel: inout [Double], signs: [Double]?, permutation: [Int],
                       policy: PivotPolicy, shouldStop: (() -> Bool)? = nil) -> Outcome {
        var outcome = Outcome()
        let width = panelWidth
        matrix.withUnsafeMutableBufferPointer { matrixBuffer in
        pivots.withUnsafeMutableBufferPointer { d in
        panel.withUnsafeMutableBufferPointer { panelBuffer in
        originalDiagonal.withUnsafeBufferPointer { original in
            guard let a = matrixBuffer.baseAddress, let w = panelBuffer.baseAddress else { return }
            var p = 0
            while p < s {
                if let shouldStop, shouldStop() { outcome.stopped = true; return }
                let pe = min(p + width, s)
                // Panel columns j = p..<pe: pivot, pack the unscaled column j (rows > j)
                // into panel row j − p, scale it into L, update the later panel columns.
                for j in p..<pe {
                    let sign = signs?[permutation[k0 + j]] ?? 1
                    var dj = a[j * s + j] + sign * policy.staticRegularization
                    if !dj.isFinite { outcome.failed = true; dj = sign * policy.replacement }
                    if sign * dj <= policy.pivotTolerance * max(abs(original[j]), 1e-300) {
                        dj = sign * policy.replacement
                        outcome.replaced += 1
                    }
                    d[k0 + j] = dj
                    let packed = w + (j - p) * s
                    for i in (j + 1)..<max(j + 1, s) {
                        let value = a[i * s + j]
                        packed[i] = value
                        let lij = value / dj
                        a[i * s + j] = lij
                        let end = min(i + 1, pe)
                        var c = j + 1
                        while c < end {
                            a[i * s + c] -= lij * packed[c]
                            c += 1
                        }
                    }
                }
                // Trailing update: row i, columns pe...i, minus Σ_t L[i][p+t]·(D·Lᵀ)[p+t][c].
                if pe - p == width {
                    let w0 = w, w1 = w + s, w2 = w + 2 * s, w3 = w + 3 * s
                    let w4 = w + 4 * s, w5 = w + 5 * s, w6 = w + 6 * s, w7 = w + 7 * s
                    // Two rows at a time share the panel loads; column i + 1 of the second row
                    // is finished separately.
                    var i = pe
                    while i < s {
                        let row = a + i * s
                        let l0 = row[p], l1 = row[p + 1], l2 = row[p + 2], l3 = row[p + 3]
                        let l4 = row[p + 4], l5 = row[p + 5], l6 = row[p + 6], l7 = row[p + 7]
                        // Rows whose panel part of L is zero (sparsity inside the block) need no update.
                        let rowIsZero = l0 == 0 && l1 == 0 && l2 == 0 && l3 == 0 && l4 == 0 && l5 == 0 && l6 == 0 && l7 == 0
                        if rowIsZero { i += 1; continue }
                        let next = row + s
                        let nextIsZero = i + 1 >= s || (next[p] == 0 && next[p + 1] == 0 && next[p + 2] == 0
                            && next[p + 3] == 0 && next[p + 4] == 0 && next[p + 5] == 0 && next[p + 6] == 0 && next[p + 7] == 0)
                        if !nextIsZero {
                            let m0 = next[p], m1 = next[p + 1], m2 = next[p + 2], m3 = next[p + 3]
                            let m4 = next[p + 4], m5 = next[p + 5], m6 = next[p + 6], m7 = next[p + 7]
                            // Explicit 2-wide vectors (SSE2 is the baseline target), two rows per
                            // panel load.
                            let lv0 = Pair(repeating: l0), lv1 = Pair(repeating: l1), lv2 = Pair(repeating: l2), lv3 = Pair(repeating: l3)
                            let lv4 = Pair(repeating: l4), lv5 = Pair(repeating: l5), lv6 = Pair(repeating: l6), lv7 = Pair(repeating: l7)
                            let mv0 = Pair(repeating: m0), mv1 = Pair(repeating: m1), mv2 = Pair(repeating: m2), mv3 = Pair(repeating: m3)
                            let mv4 = Pair(repeating: m4), mv5 = Pair(repeating: m5), mv6 = Pair(repeating: m6), mv7 = Pair(repeating: m7)
                            var c = pe
                            while c + 1 <= i {
                                let v0 = load(w0 + c), v1 = load(w1 + c), v2 = load(w2 + c), v3 = load(w3 + c)
                                let v4 = load(w4 + c), v5 = load(w5 + c), v6 = load(w6 + c), v7 = load(w7 + c)
                                let r = load(row + c) - (((lv0 * v0 + lv1 * v1) + (lv2 * v2 + lv3 * v3))
                                    + ((lv4 * v4 + lv5 * v5) + (lv6 * v6 + lv7 * v7)))
                                let q = load(next + c) - (((mv0 * v0 + mv1 * v1) + (mv2 * v2 + mv3 * v3))
                                    + ((mv4 * v4 + mv5 * v5) + (mv6 * v6 + mv7 * v7)))
                                store(r, row + c)
                                store(q, next + c)
                                c += 2
                            }
                            while c <= i + 1 {
                                let v0 = w0[c], v1 = w1[c], v2 = w2[c], v3 = w3[c]
                                let v4 = w4[c], v5 = w5[c], v6 = w6[c], v7 = w7[c]
                                if c <= i {
                                    row[c] -= ((l0 * v0 + l1 * v1) + (l2 * v2 + l3 * v3)) + ((l4 * v4 + l5 * v5) + (l6 * v6 + l7 * v7))
                                }
                                next[c] -= ((m0 * v0 + m1 * v1) + (m2 * v2 + m3 * v3)) + ((m4 * v4 + m5 * v5) + (m6 * v6 + m7 * v7))
                                c += 1
                            }
                            i += 2
                        } else {
                            let lv0 = Pair(repeating: l0), lv1 = Pair(repeating: l1), lv2 = Pair(repeating: l2), lv3 = Pair(repeating: l3)
                            let lv4 = Pair(repeating: l4), lv5 = Pair(repeating: l5), lv6 = Pair(repeating: l6), lv7 = Pair(repeating: l7)
                            var c = pe
                            while c + 1 <= i {
                                let r = load(row + c) - (((lv0 * load(w0 + c) + lv1 * load(w1 + c)) + (lv2 * load(w2 + c) + lv3 * load(w3 + c)))
                                    + ((lv4 * load(w4 + c) + lv5 * load(w5 + c)) + (lv6 * load(w6 + c) + lv7 * load(w7 + c))))
                                store(r, row + c)
                                c += 2
                            }
                            while c <= i {
                                row[c] -= ((l0 * w0[c] + l1 * w1[c]) + (l2 * w2[c] + l3 * w3[c]))
                                    + ((l4 * w4[c] + l5 * w5[c]) + (l6 * w6[c] + l7 * w7[c]))
                                c += 1
                            }
                            i += 1
                        }
                    }
                } else {
                    for i in pe..<max(pe, s) {
                        let row = a + i * s
                        for t in 0..<(pe - p) {
                            let lit = row[p + t]
                            if lit == 0 { continue }
                            let packed = w + t * s
                            var c = pe
                            while c <= i { row[c] -= lit * packed[c]; c += 1 }
                        }
                    }
                }
                p = pe
            }
        }}}}
        return outcome
    }
}
