import LagrangeCore
import LinearAlgebra

/// One run of a row-action method over a row kernel (and a column kernel for REK).
///
/// Per step it touches one row (REK: one row and one column) through the kernel, draws from
/// the seeded generator, and keeps O(1) scalars for the angle diagnostic; a full pass over
/// A happens only at recorded steps (residual, error), whose spacing ``RecordSchedule``
/// sets. Limits and cancellation are checked every 1024 steps, or more often when steps
/// are long: at least every ``checkEntries`` matrix entries touched (a step of REK on a
/// dense 50 000 × 500 matrix touches 50 500, so 1024 steps took seconds). Where the checks
/// fall does not change the iterates.
struct RowActionRun: LineKernelBody {
    let problem: LinearSystemProblem
    let settings: RowActionSettings
    let context: SolveContext
    let solverID: String

    static let checkInterval = 1024
    /// The running residual estimate averages the last estimateMask + 1 = 256 steps.
    static let estimateMask = 255
    /// Matrix entries touched between two limit checks at most (a millisecond or less).
    static let checkEntries = 1 << 16

    func run<Rows: LineKernel, Columns: LineKernel>(rows: Rows, columns: Columns?) throws -> SolveResult {
        let m = rows.lineCount, n = rows.lineLength
        let control = context.control
        let setup = try IterativeSetup(problem: problem, context: context, defaultTolerance: 1e-8,
                                       defaultIterations: max(1_000_000, 100 * m))
        let schedule = try RecordSchedule(options: context.options, rowCount: m)
        let extended = settings.method == .extended
        let sgd = settings.method == .stochasticGradient

        // The row norms and, for the angle diagnostic, A·x_true (bStar) in one pass over A;
        // they were two, each as long as 2000 steps on a dense 20000 × 200 system.
        let xTrue = problem.knownSolution
        let trackAngle = xTrue != nil && (settings.method == .randomized || settings.method == .cyclic)
        let (rowNorms, products): ([Double], [Double]) = trackAngle
            ? (xTrue ?? []).withUnsafeBufferPointer { rows.normsSquaredAndProducts($0.baseAddress) }
            : (rows.normsSquared(), [])
        let bStar = !trackAngle || products.count == m ? products : problem.matrix.multiply(xTrue ?? [])
        var frobeniusSquared = 0.0
        for v in rowNorms { frobeniusSquared += v }
        let frobenius = frobeniusSquared.squareRoot()
        let b = problem.rightHandSide

        // Kaczmarz and cyclic Kaczmarz solve the consistent system Ax = b. Zero rows of A
        // with weight in b make it unsolvable, and y = b on those rows proves it (Aᵀy = 0,
        // bᵀy > 0); past tol·‖b‖ that weight also keeps the residual rule from ever holding.
        if settings.method == .randomized || settings.method == .cyclic {
            var farkas = Array(repeating: 0.0, count: m)
            var weight = 0.0
            for i in 0..<m where rowNorms[i] == 0 && b[i] != 0 {
                farkas[i] = b[i]
                weight += b[i] * b[i]
            }
            if weight.squareRoot() > setup.tolerance * setup.bNorm {
                let x = Array(repeating: 0.0, count: n)
                let residual = setup.bNorm
                _ = control.record(IterationRecord(iteration: 0, objective: 0.5 * residual * residual, primalResidual: residual))
                var result = linearSystemResult(problem, status: .infeasible, rawStatus: "zero rows of A with b ≠ 0", x: x,
                                                residual: residual, iterations: 0, rowUpdates: 0,
                                                notes: ["Ax = b has no solution: rows of A that are zero have b ≠ 0 (‖b‖ there \(weight.squareRoot())); the certificate is b on those rows. For the least-squares solution use native.kaczmarz-extended, native.cgls, gsl.qr or gsl.svd"])
                result.certificate = Certificate(kind: .farkas, vector: farkas)
                return result
            }
        }
        // A = 0 (b = 0 for the methods above): x = 0 is the minimum-norm least-squares solution.
        guard frobeniusSquared > 0 else {
            let x = Array(repeating: 0.0, count: n)
            let residual = setup.bNorm
            _ = control.record(IterationRecord(iteration: 0, objective: 0.5 * residual * residual, primalResidual: residual))
            return linearSystemResult(problem, status: .optimal, rawStatus: "A is zero", x: x, residual: residual,
                                      iterations: 0, rowUpdates: 0, notes: [LinearSystemProblem.zeroMatrixNote(residual: residual)])
        }

        var rowWeights = rowNorms
        if !settings.normSampling || sgd { for i in 0..<m { rowWeights[i] = rowNorms[i] > 0 ? 1 : 0 } }
        guard let rowSampler = AliasSampler(weights: rowWeights) else {
            throw SolverError.unsupported("cannot build the row sampler (non-finite row norms)")
        }
        var columnNorms: [Double] = []
        var columnSampler: AliasSampler? = nil
        if extended, let columns {
            columnNorms = columns.normsSquared()
            columnSampler = AliasSampler(weights: columnNorms)
        }

        let maxRowNorm = rowNorms.max() ?? 1
        let baseStep = settings.stepSize ?? 1 / maxRowNorm
        let decay = settings.decaySteps ?? Double(m)
        let batch = max(1, settings.batchSize)
        let relaxation = settings.relaxation
        // Steps between limit checks: entries one step touches on average (a row, plus a
        // column for REK; a batch of rows for SGD).
        var entriesPerStep = batch * max(1, rows.entryCount / max(m, 1))
        if extended, let columns { entriesPerStep += max(1, columns.entryCount / max(n, 1)) }
        let checkInterval = max(1, min(RowActionRun.checkInterval, RowActionRun.checkEntries / entriesPerStep))

        // Working vectors: x (n), REK's z (m), a batch buffer (A·x_true for the angle is above).
        var x = Array(repeating: 0.0, count: n)
        var z: [Double] = extended ? b : []
        var batchRows = Array(repeating: 0, count: sgd ? batch : 0)
        var batchResiduals = Array(repeating: 0.0, count: sgd ? batch : 0)
        var normalScratch = Array(repeating: 0.0, count: extended ? n : 0)

        var generator = SeededGenerator(seed: context.options.effectiveSeed)
        var k = 0
        var nextRecord = 0
        var cyclicRow = 0
        var errorSquared = 0.0 // ‖x_k − x_true‖², updated in O(1) per step, reset at records
        var angleSum = 0.0, angleCount = 0
        var finalResidual = 0.0
        var finalNormalResidual: Double? = nil
        var status = TerminationStatus.iterationLimit
        var convergedBy: ConvergenceTest?
        // The running residual estimate of plain and cyclic Kaczmarz: each step sees
        // rᵢ = bᵢ − aᵢᵀx of the row it projects on. Rows drawn with probability ‖aᵢ‖²/‖A‖_F²
        // give E[rᵢ²/‖aᵢ‖²] = ‖r‖²/‖A‖_F²; uniform or cyclic rows E[rᵢ²] = ‖r‖²/m′ (m′ rows
        // with entries). An average over past steps lags behind a falling residual, so
        // only the last n/2 steps count (8 to 256, fewer at the start; across records, with at least one new
        // since the last), summed afresh at each record. (An exponential average kept the
        // squares of old, large residuals and ran 1000× behind.)
        let estimates = settings.method == .randomized || settings.method == .cyclic
        let normWeighted = settings.method == .randomized && settings.normSampling
        let nonzeroRows = Double(rowNorms.filter { $0 > 0 }.count)
        var recent = Array(repeating: 0.0, count: RowActionRun.estimateMask + 1)
        // Kaczmarz contracts the error by at most 1 − 1/κ_F² ≤ 1 − 1/n per step, so over
        // n/2 steps ‖r‖² falls by at most e: the window lags by a factor below √e ≈ 1.65.
        let estimateWindow = min(RowActionRun.estimateMask + 1, max(8, n / 2))
        var windowCount = 0, recentCount = 0
        // Entries of A read by exact residual passes, against 2·(entries per row) per step.
        var exactPassWork = 0.0
        let entriesPerRow = Double(rows.entryCount) / Double(max(m, 1))
        var lastRecordEstimated = false
        func estimatedResidual() -> Double? {
            let count = min(recentCount, estimateWindow)
            guard estimates, windowCount > 0, count >= 1 else { return nil }
            var sum = 0.0
            for back in 1...count { sum += recent[(recentCount - back) & RowActionRun.estimateMask] }
            let mean = sum / Double(count)
            return ((normWeighted ? frobeniusSquared : nonzeroRows) * mean).squareRoot()
        }

        let columnSamplerOrRows = columnSampler ?? rowSampler
        try x.withUnsafeMutableBufferPointer { xBuffer in
        try z.withUnsafeMutableBufferPointer { zBuffer in
        try b.withUnsafeBufferPointer { bBuffer in
        try rowNorms.withUnsafeBufferPointer { normBuffer in
        try columnNorms.withUnsafeBufferPointer { columnNormBuffer in
        try bStar.withUnsafeBufferPointer { bStarBuffer in
        try batchRows.withUnsafeMutableBufferPointer { batchRowBuffer in
        try batchResiduals.withUnsafeMutableBufferPointer { batchResidualBuffer in
        try normalScratch.withUnsafeMutableBufferPointer { scratchBuffer in
        try rowSampler.withTable { rowTable in
        try columnSamplerOrRows.withTable { columnTableOrRows in
            // m, n ≥ 1 is a model invariant, so these buffers are never empty.
            guard let xp = xBuffer.baseAddress, let bp = bBuffer.baseAddress, let norms = normBuffer.baseAddress else {
                throw SolverError.unsupported("A is empty")
            }
            // Optional buffers are empty (no base address) when the method does not use them.
            let zp = zBuffer.baseAddress
            let columnNormsPointer = columnNormBuffer.baseAddress
            let bStarPointer = bStarBuffer.baseAddress
            let columnTable: AliasTable? = columnSampler == nil ? nil : columnTableOrRows

            /// The metrics at step k; returns true when the solve must stop. ‖Ax − b‖ costs a
            /// pass over A (as much as m/2 steps), so a record is exact only while the exact
            /// passes so far stay within 10% of the steps' own work, or when the residual test
            /// could pass, no estimate exists yet, or the run ends here; otherwise it takes
            /// the running estimate (``estimatedResidual()``). Small systems, whose records
            /// are far apart in steps, thus stay exact throughout.
            func recordNow() -> Bool {
                var residual: Double
                var estimated = false
                let affordable = exactPassWork + Double(rows.entryCount) <= 0.1 * 2 * Double(k) * entriesPerRow
                if let estimate = estimatedResidual(), k < setup.maxIterations, !affordable,
                   !(setup.stop == .residual && estimate <= 4 * setup.tolerance * setup.bNorm) {
                    residual = estimate
                    estimated = true
                } else if k == 0 {
                    residual = setup.bNorm  // x₀ = 0: ‖Ax₀ − b‖ = ‖b‖ with no pass over A
                } else {
                    residual = rows.residualNorm(b: bp, x: xp)
                    exactPassWork += Double(rows.entryCount)
                }
                windowCount = 0
                var extras: [Metric] = []
                var error: Double? = nil
                if let xTrue {
                    var s = 0.0
                    for j in 0..<n { let d = xp[j] - xTrue[j]; s += d * d }
                    errorSquared = s
                    error = s.squareRoot()
                    extras.append(Metric("error", s.squareRoot()))
                    if trackAngle && angleCount > 0 { extras.append(Metric("cos2_theta", angleSum / Double(angleCount))) }
                }
                angleSum = 0
                angleCount = 0
                var normalResidual: Double? = nil
                if extended, let scratch = scratchBuffer.baseAddress {
                    rows.normalResidual(b: bp, x: xp, into: scratch)
                    var s = 0.0
                    for j in 0..<n { s += scratch[j] * scratch[j] }
                    normalResidual = s.squareRoot()
                }
                var objective = 0.5 * residual * residual
                if sgd && problem.ridge > 0 {
                    var xx = 0.0
                    for j in 0..<n { xx += xp[j] * xp[j] }
                    objective += 0.5 * problem.ridge * xx
                }
                var record = IterationRecord(iteration: k, objective: objective, primalResidual: residual,
                                             dualResidual: normalResidual, extras: extras)
                finalResidual = residual
                finalNormalResidual = normalResidual
                guard residual.isFinite, error?.isFinite ?? true else {
                    _ = control.record(record, iterationLimit: setup.maxIterations)
                    status = .numericalError
                    return true
                }
                var test = setup.converged(residual: residual, error: error, normalResidual: normalResidual, frobenius: frobenius)
                if estimated, test != nil || control.checkInterrupt() != nil {
                    // The run ends at this record: it and the result get the exact residual.
                    residual = rows.residualNorm(b: bp, x: xp)
                    estimated = false
                    exactPassWork += Double(rows.entryCount)
                    record.primalResidual = residual
                    record.objective = 0.5 * residual * residual
                    finalResidual = residual
                    test = setup.converged(residual: residual, error: error, normalResidual: normalResidual, frobenius: frobenius)
                }
                if estimated { record.extras.append(Metric("residual_estimated", 1)) }
                lastRecordEstimated = estimated
                let stop = control.record(record, iterationLimit: setup.maxIterations)
                if let test { status = .optimal; convergedBy = test; return true }
                if let stop { status = stop; return true }
                return false
            }

            while true {
                if k >= nextRecord || k >= setup.maxIterations {
                    if recordNow() { break }
                    nextRecord = schedule.next(after: k)
                }
                let target = min(nextRecord, setup.maxIterations)
                while k < target {
                    let chunkEnd = min(target, (k / checkInterval + 1) * checkInterval)
                    switch settings.method {
                    case .randomized, .cyclic:
                        for _ in k..<chunkEnd {
                            let i: Int
                            if settings.method == .cyclic {
                                i = cyclicRow
                                cyclicRow += 1
                                if cyclicRow == m { cyclicRow = 0 }
                                if norms[i] == 0 { continue }
                            } else {
                                i = rowTable.sample(&generator)
                            }
                            let ax = rows.dot(i, xp)
                            let r = bp[i] - ax
                            recent[recentCount & RowActionRun.estimateMask] = normWeighted ? r * r / norms[i] : r * r
                            windowCount += 1
                            recentCount += 1
                            let scale = relaxation * r / norms[i]
                            if trackAngle, let bStarPointer {
                                // aᵢᵀ(x − x*) = aᵢᵀx − (A x*)ᵢ; the update adds scale·aᵢ to x − x*.
                                let projection = ax - bStarPointer[i]
                                if errorSquared > 0 {
                                    angleSum += projection * projection / (norms[i] * errorSquared)
                                    angleCount += 1
                                }
                                errorSquared = max(0, errorSquared + scale * (2 * projection + scale * norms[i]))
                            }
                            rows.axpy(i, scale, xp)
                        }
                    case .extended:
                        guard let columns, let columnTable, let zp, let columnNormsPointer else { break }
                        for _ in k..<chunkEnd {
                            let j = columnTable.sample(&generator)
                            let cz = columns.dot(j, zp)
                            columns.axpy(j, -cz / columnNormsPointer[j], zp)
                            let i = rowTable.sample(&generator)
                            let ax = rows.dot(i, xp)
                            rows.axpy(i, relaxation * (bp[i] - zp[i] - ax) / norms[i], xp)
                        }
                    case .stochasticGradient:
                        guard let rowsOfBatch = batchRowBuffer.baseAddress, let residuals = batchResidualBuffer.baseAddress else { break }
                        for step in k..<chunkEnd {
                            let eta: Double
                            switch settings.schedule {
                            case .constant: eta = baseStep
                            case .inverse: eta = baseStep / (1 + Double(step) / decay)
                            case .inverseSqrt: eta = baseStep / (1 + Double(step) / decay).squareRoot()
                            }
                            for t in 0..<batch {
                                let i = rowTable.sample(&generator)
                                rowsOfBatch[t] = i
                                residuals[t] = bp[i] - rows.dot(i, xp)
                            }
                            if problem.ridge > 0 {
                                let shrink = 1 - eta * problem.ridge / Double(m)
                                for j in 0..<n { xp[j] *= shrink }
                            }
                            let scale = eta / Double(batch)
                            for t in 0..<batch { rows.axpy(rowsOfBatch[t], scale * residuals[t], xp) }
                        }
                    }
                    k = chunkEnd
                    if k < target && k % checkInterval == 0, control.checkInterrupt() != nil {
                        nextRecord = k // record now; the record reports the interrupt
                        break
                    }
                }
            }
        }}}}}}}}}}}

        if lastRecordEstimated {
            // Stopped by a limit at a record that took the estimate: the result gets ‖Ax − b‖.
            let ax = problem.matrix.multiply(x)
            var t = 0.0
            for i in 0..<m { let d = b[i] - ax[i]; t += d * d }
            finalResidual = t.squareRoot()
        }
        var notes: [String] = []
        if case .sparse = problem.matrix {
            notes.append("A was given by columns (CSC); rows were built once by transposition (a copy of A)")
        }
        if extended, case .sparseRows = problem.matrix {
            notes.append("extended Kaczmarz needs column access: columns were built once by transposition (a copy of A)")
        }
        if extended, columnNorms.contains(0) {
            notes.append("A has zero columns: their components stay 0")
        }
        return linearSystemResult(problem, status: status, rawStatus: status.rawValue, x: x, residual: finalResidual,
                                  normalResidual: finalNormalResidual, iterations: k, rowUpdates: k,
                                  historyNote: schedule.note, notes: notes, convergedBy: convergedBy)
    }
}

/// Pointer view of an ``AliasSampler`` for hot loops.
struct AliasTable {
    let threshold: UnsafePointer<Double>
    let alias: UnsafePointer<Int32>
    let count: Int

    @inline(__always)
    func sample(_ generator: inout SeededGenerator) -> Int {
        let u = generator.nextUnit() * Double(count)
        var column = Int(u)
        if column >= count { column = count - 1 }
        return u - Double(column) < threshold[column] ? column : Int(alias[column])
    }
}

extension AliasSampler {
    /// Runs `body` with a pointer view of the tables.
    func withTable<T>(_ body: (AliasTable) throws -> T) throws -> T {
        try threshold.withUnsafeBufferPointer { t in
            try alias.withUnsafeBufferPointer { a in
                guard let tb = t.baseAddress, let ab = a.baseAddress else { throw SolverError.unsupported("empty sampler") }
                return try body(AliasTable(threshold: tb, alias: ab, count: t.count))
            }
        }
    }
}
