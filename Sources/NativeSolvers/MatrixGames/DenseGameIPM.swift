import LagrangeCore
import LinearAlgebra

/// A primal–dual interior-point method for a zero-sum game, on its dense payoff block.
///
/// **Formulation.** The game is first oriented so that it has no more rows than columns
/// (a game with more rows is replaced by −Aᵀ, which swaps the players), then shifted and
/// scaled to G = (B − min B)/(max B − min B) + 1, every entry in [1, 2], so its value v′ is
/// in [1, 2] and positive. With u = x/v′ and t = y/v′ the two players' problems become the
/// LP pair (Dantzig 1951; k ≤ L the sizes of G)
///
///     P: max 1ᵀu  s.t.  Gᵀu + s = 1,  u, s ≥ 0        (u ∈ ℝᵏ, s ∈ ℝᴸ)
///     D: min 1ᵀw  s.t.  G w − z = 1,  w, z ≥ 0        (w ∈ ℝᴸ, z ∈ ℝᵏ)
///
/// solved by Mehrotra's predictor–corrector (Wright 1997, ch. 10), starting strictly
/// feasible (u = 1/(4k), w = 2/L). Eliminating Δs, Δw and Δz leaves the k×k system
///
///     (G·diag(w/s)·Gᵀ + diag(z/u)) Δu = rd + rz/u − G((rs − w∘rp)/s),
///
/// formed by a blocked dense kernel and factored by a dense Cholesky
/// (``DenseGramCholesky``): k²L/2 + k³/6 multiply–adds an iteration and, besides G
/// itself, a k×k matrix, k ≤ L, so the workspace is at most two copies of the payoff.
///
/// **Termination by certificate.** Every iterate is a pair of strategies: x = u/Σu pays at
/// most max_j (Gᵀx)_j, y = w/Σw receives at least min_i (Gy)_i, and the value lies between.
/// The best of each seen so far is kept, and the method stops as soon as the two
/// guarantees, in the game's own units, are within `targetGap`: what it returns is then
/// a certified answer, not an LP residual test that may stall above it. It stops early
/// (``Ending/stalled``) when the best gap has not shrunk for ``stallWindow`` iterations or
/// the steps collapse, with the best certified bounds at hand.
package struct DenseGameIPM {
    /// Whether the working game is −Aᵀ (the input had more rows than columns).
    package let transposed: Bool
    /// Rows and columns of the working matrix G, `rowCount` ≤ `columnCount`.
    package let rowCount: Int
    package let columnCount: Int
    /// Working-game entry b = (g − 1)·scale + shift.
    let scale: Double
    let shift: Double
    /// G, row-major, `rowCount` × `columnCount`.
    var g: [Double]
    /// Doubles held by the last run's workspace (G, the normal matrix, the kernel scratch
    /// and the vectors): the figure behind the O(mn) memory claim, asserted by tests.
    package private(set) var workspaceDoubles: Int

    /// Iterations without a shrinking best gap after which the method calls itself stalled.
    static let stallWindow = 8
    /// The fraction of the step to the boundary taken.
    static let stepFraction = 0.995

    /// The working matrix of `a` restricted to `rows` × `columns` (indices into `a`).
    package init(payoff a: DenseMatrix, rows: [Int], columns: [Int]) {
        transposed = rows.count > columns.count
        rowCount = min(rows.count, columns.count)
        columnCount = max(rows.count, columns.count)
        var low = Double.infinity, high = -Double.infinity
        for i in rows { for j in columns { let v = a[i, j]; low = min(low, v); high = max(high, v) } }
        if rows.isEmpty || columns.isEmpty { low = 0; high = 0 }
        let range = high > low ? high - low : 1
        scale = range
        // b = A (or −A when transposed); g = (b − min b)/range + 1.
        shift = transposed ? -high : low
        let inverse = 1 / range
        var g = [Double](repeating: 0, count: rowCount * columnCount)
        let l = columnCount
        let transposed = self.transposed
        a.storage.withUnsafeBufferPointer { source in
            g.withUnsafeMutableBufferPointer { target in
                for (p, i) in rows.enumerated() {
                    let rowBase = i * a.columns
                    for (q, j) in columns.enumerated() {
                        let v = source[rowBase + j]
                        if transposed { target[q * l + p] = (high - v) * inverse + 1 } else { target[p * l + q] = (v - low) * inverse + 1 }
                    }
                }
            }
        }
        self.g = g
        workspaceDoubles = g.count
    }

    /// One iteration's standing, in the game's units (not the working game's).
    package struct Progress {
        package var iteration: Int
        /// The best guarantee of the row player (an upper bound on the value) and of the
        /// column player (a lower bound).
        package var upperBound: Double
        package var lowerBound: Double
        package var gap: Double { upperBound - lowerBound }
        /// Average complementarity (uᵀz + sᵀw)/(k + L) of the working LP.
        package var complementarity: Double
        package var primalStep: Double
        package var dualStep: Double
    }

    package enum Ending: Equatable {
        case converged
        case stalled(String)
        case stopped(TerminationStatus)
    }

    package struct Outcome {
        /// The row player's best strategy over the kept rows, the column player's over the
        /// kept columns (each sums to 1).
        package var rowStrategy: [Double]
        package var columnStrategy: [Double]
        package var upperBound: Double
        package var lowerBound: Double
        package var iterations: Int
        package var ending: Ending
        package var replacedPivots: Int
    }

    /// Runs until the best guarantees are within `targetGap` (game units), a stall, or
    /// `report` (called once per iteration, the first time before any step) returns a
    /// status.
    package mutating func run(targetGap: Double, report: (Progress) -> TerminationStatus?) -> Outcome {
        let k = rowCount, l = columnCount
        var allocated = g.count
        func vector(_ count: Int, _ value: Double = 0) -> [Double] {
            allocated += count
            return [Double](repeating: value, count: count)
        }
        var normal = vector(k * k)
        var scratch = vector(DenseGramCholesky.scratchCount)
        // Iterate, strictly feasible: Gᵀu ∈ [1/4, 1/2] and Gw ∈ [2, 4].
        var u = vector(k, 1 / (4 * Double(max(k, 1)))), z = vector(k)
        var w = vector(l, 2 / Double(max(l, 1))), s = vector(l)
        var gu = vector(l), gw = vector(k)
        var rp = vector(l), rd = vector(k)
        var du = vector(k), dz = vector(k), ds = vector(l), dw = vector(l)
        var duAffine = vector(k), dzAffine = vector(k), dsAffine = vector(l), dwAffine = vector(l)
        var rz = vector(k), rs = vector(l), weights = vector(l), diagonal = vector(k), rhs = vector(k), temporary = vector(l)
        var bestU = vector(k), bestW = vector(l)
        workspaceDoubles = allocated

        multiplyTransposed(u, into: &gu)
        multiply(w, into: &gw)
        for j in 0..<l { s[j] = 1 - gu[j] }
        for i in 0..<k { z[i] = gw[i] - 1 }

        var bestUpper = Double.infinity, bestLower = -Double.infinity
        var bestGap = Double.infinity, stalledFor = 0
        var steps = 0, replacedPivots = 0
        var primalStep = 0.0, dualStep = 0.0
        var ending = Ending.converged
        let count = Double(k + l)

        while true {
            // The iterate's strategies and their guarantees (working units).
            if steps > 0 {
                multiplyTransposed(u, into: &gu)
                multiply(w, into: &gw)
            }
            let sumU = u.reduce(0, +), sumW = w.reduce(0, +)
            if sumU > 0, sumU.isFinite, u.allSatisfy({ $0 >= 0 }) {
                let upper = (gu.max() ?? .infinity) / sumU
                if upper < bestUpper { bestUpper = upper; bestU = u }
            }
            if sumW > 0, sumW.isFinite, w.allSatisfy({ $0 >= 0 }) {
                let lower = (gw.min() ?? -.infinity) / sumW
                if lower > bestLower { bestLower = lower; bestW = w }
            }
            var mu = 0.0
            for i in 0..<k { mu += u[i] * z[i] }
            for j in 0..<l { mu += s[j] * w[j] }
            mu /= count
            let bounds = gameBounds(upper: bestUpper, lower: bestLower)
            let gap = bounds.upper - bounds.lower
            let status = report(Progress(iteration: steps, upperBound: bounds.upper, lowerBound: bounds.lower,
                                         complementarity: mu, primalStep: primalStep, dualStep: dualStep))
            if gap <= targetGap { ending = .converged; break }
            if let status { ending = .stopped(status); break }
            if gap < 0.99 * bestGap { bestGap = gap; stalledFor = 0 } else { stalledFor += 1 }
            if stalledFor >= Self.stallWindow {
                ending = .stalled("the certified gap \(gap) has not shrunk for \(Self.stallWindow) iterations")
                break
            }
            if !mu.isFinite || mu <= 0 { ending = .stalled("the complementarity is \(mu)"); break }

            // Residuals of the iterate (kept, so round-off drift is corrected).
            for j in 0..<l { rp[j] = 1 - gu[j] - s[j] }
            for i in 0..<k { rd[i] = 1 - gw[i] + z[i] }
            for j in 0..<l { weights[j] = w[j] / s[j] }
            for i in 0..<k { diagonal[i] = z[i] / u[i] }
            g.withUnsafeBufferPointer { gBuffer in
                weights.withUnsafeBufferPointer { e in
                    diagonal.withUnsafeBufferPointer { d in
                        normal.withUnsafeMutableBufferPointer { c in
                            scratch.withUnsafeMutableBufferPointer { work in
                                DenseGramCholesky.weightedGram(gBuffer, rows: k, columns: l, weights: e, diagonal: d,
                                                               result: c, scratch: work)
                            }
                        }
                    }
                }
            }
            replacedPivots += normal.withUnsafeMutableBufferPointer { DenseGramCholesky.factor($0, order: k).replacedPivots }

            // Predictor (affine scaling): rz = −u∘z, rs = −s∘w.
            for i in 0..<k { rz[i] = -u[i] * z[i] }
            for j in 0..<l { rs[j] = -s[j] * w[j] }
            solveNewton(normal: normal, u: u, z: z, s: s, w: w, rp: rp, rd: rd, rz: rz, rs: rs, rhs: &rhs, temporary: &temporary,
                        du: &duAffine, dz: &dzAffine, ds: &dsAffine, dw: &dwAffine)
            let primalAffine = Self.stepToBoundary(u, duAffine, s, dsAffine)
            let dualAffine = Self.stepToBoundary(z, dzAffine, w, dwAffine)
            var muAffine = 0.0
            for i in 0..<k { muAffine += (u[i] + primalAffine * duAffine[i]) * (z[i] + dualAffine * dzAffine[i]) }
            for j in 0..<l { muAffine += (s[j] + primalAffine * dsAffine[j]) * (w[j] + dualAffine * dwAffine[j]) }
            muAffine /= count
            let ratio = max(0, muAffine / mu)
            let sigma = ratio * ratio * ratio
            // Corrector: centring σμ and the second-order term of the predictor.
            for i in 0..<k { rz[i] = sigma * mu - u[i] * z[i] - duAffine[i] * dzAffine[i] }
            for j in 0..<l { rs[j] = sigma * mu - s[j] * w[j] - dsAffine[j] * dwAffine[j] }
            solveNewton(normal: normal, u: u, z: z, s: s, w: w, rp: rp, rd: rd, rz: rz, rs: rs, rhs: &rhs, temporary: &temporary,
                        du: &du, dz: &dz, ds: &ds, dw: &dw)
            primalStep = min(1, Self.stepFraction * Self.stepToBoundary(u, du, s, ds))
            dualStep = min(1, Self.stepFraction * Self.stepToBoundary(z, dz, w, dw))
            guard primalStep.isFinite, dualStep.isFinite, primalStep > 1e-12 || dualStep > 1e-12 else {
                ending = .stalled("the steps collapsed (primal \(primalStep), dual \(dualStep))")
                break
            }
            for i in 0..<k { u[i] += primalStep * du[i]; z[i] += dualStep * dz[i] }
            for j in 0..<l { s[j] += primalStep * ds[j]; w[j] += dualStep * dw[j] }
            steps += 1
        }

        let bounds = gameBounds(upper: bestUpper, lower: bestLower)
        let working = (x: GameResult.normalized(bestU), y: GameResult.normalized(bestW))
        return Outcome(rowStrategy: transposed ? working.y : working.x, columnStrategy: transposed ? working.x : working.y,
                       upperBound: bounds.upper, lowerBound: bounds.lower, iterations: steps, ending: ending,
                       replacedPivots: replacedPivots)
    }

    /// The working game's guarantees in the game's units: b = (g − 1)·scale + shift, and a
    /// transposed working game is −Aᵀ, whose row player's bound is the column player's.
    func gameBounds(upper: Double, lower: Double) -> (upper: Double, lower: Double) {
        let workingUpper = (upper - 1) * scale + shift, workingLower = (lower - 1) * scale + shift
        return transposed ? (-workingLower, -workingUpper) : (workingUpper, workingLower)
    }

    /// The Newton direction for the right-hand sides (rp, rd, rz, rs), the normal matrix
    /// factored: Δu from the k×k system, then Δs = rp − GᵀΔu, Δw = (rs − w∘Δs)/s,
    /// Δz = (rz − z∘Δu)/u.
    private func solveNewton(normal: [Double], u: [Double], z: [Double], s: [Double], w: [Double], rp: [Double], rd: [Double],
                             rz: [Double], rs: [Double], rhs: inout [Double], temporary: inout [Double],
                             du: inout [Double], dz: inout [Double], ds: inout [Double], dw: inout [Double]) {
        let k = rowCount, l = columnCount
        for j in 0..<l { temporary[j] = (rs[j] - w[j] * rp[j]) / s[j] }
        multiply(temporary, into: &rhs)
        for i in 0..<k { rhs[i] = rd[i] + rz[i] / u[i] - rhs[i] }
        normal.withUnsafeBufferPointer { factor in
            rhs.withUnsafeMutableBufferPointer { DenseGramCholesky.solve(factor, order: k, rhs: $0) }
        }
        for i in 0..<k { du[i] = rhs[i] }
        multiplyTransposed(du, into: &ds)
        for j in 0..<l { ds[j] = rp[j] - ds[j] }
        for j in 0..<l { dw[j] = (rs[j] - w[j] * ds[j]) / s[j] }
        for i in 0..<k { dz[i] = (rz[i] - z[i] * du[i]) / u[i] }
    }

    /// The largest α with a + α·da ≥ 0 and b + α·db ≥ 0 (infinity when nothing decreases).
    static func stepToBoundary(_ a: [Double], _ da: [Double], _ b: [Double], _ db: [Double]) -> Double {
        var alpha = Double.infinity
        for i in a.indices where da[i] < 0 { alpha = min(alpha, -a[i] / da[i]) }
        for j in b.indices where db[j] < 0 { alpha = min(alpha, -b[j] / db[j]) }
        return alpha
    }

    /// y = G v (length `rowCount`).
    func multiply(_ v: [Double], into y: inout [Double]) {
        let k = rowCount, l = columnCount
        g.withUnsafeBufferPointer { gBuffer in
            v.withUnsafeBufferPointer { vBuffer in
                y.withUnsafeMutableBufferPointer { out in
                    for i in 0..<k {
                        let row = i * l
                        var sum = 0.0
                        for j in 0..<l { sum += gBuffer[row + j] * vBuffer[j] }
                        out[i] = sum
                    }
                }
            }
        }
    }

    /// y = Gᵀ v (length `columnCount`), row by row so G is read contiguously.
    func multiplyTransposed(_ v: [Double], into y: inout [Double]) {
        let k = rowCount, l = columnCount
        g.withUnsafeBufferPointer { gBuffer in
            v.withUnsafeBufferPointer { vBuffer in
                y.withUnsafeMutableBufferPointer { out in
                    for j in 0..<l { out[j] = 0 }
                    for i in 0..<k {
                        let row = i * l, vi = vBuffer[i]
                        for j in 0..<l { out[j] += gBuffer[row + j] * vi }
                    }
                }
            }
        }
    }
}
