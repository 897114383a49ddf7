import Foundation
import LagrangeCore
import LinearAlgebra

/// Minibatch training on a learning problem: epochs of `batch_size` samples (shuffled
/// without replacement each epoch, or drawn with replacement), the method's update on the
/// minibatch gradient (1/B) Σ x̃ᵢrᵢᵀ + λW, optional Polyak–Ruppert averaging of the
/// iterates, and early stopping on the test loss. One iteration is one epoch; each
/// epoch's record holds the training objective f, ‖∇f‖ and the test loss / accuracy
/// (or MSE) at the reported point (the average when averaging). Randomness comes only
/// from ``SeededGenerator``, so a seed gives a bit-identical history.
enum MinibatchTrainer {
    static let defaultEpochs = 20

    /// The default η₀: for the plain and momentum methods 1/L̄, with L̄ = c·mean‖x̃ᵢ‖² the
    /// mean curvature of one sample's loss along its own row (c = 1 square and hinge, ¼
    /// logistic, ½ softmax), so the step does not depend on how the data are scaled; the
    /// adaptive methods normalize the gradient themselves and start from a fixed η₀.
    static func automaticRate(_ problem: LearningProblem, method: MinibatchMethod) -> Double {
        switch method {
        case .adagrad, .rmsprop, .adam, .adamw: return method.defaultLearningRate
        case .sgd, .momentum, .nesterov: break
        }
        let data = problem.training
        var sum = 0.0
        for v in data.values { sum += v * v }
        let meanSquare = sum / Double(data.sampleCount) + (problem.intercept ? 1 : 0)
        let c: Double
        switch problem.model {
        case .linear, .hinge: c = 1
        case .logistic: c = 0.25
        case .softmax: c = 0.5
        }
        let rate = 1 / (c * meanSquare)
        return rate.isFinite && rate > 0 ? rate : method.defaultLearningRate
    }

    static func solve(_ problem: LearningProblem, method: MinibatchMethod, solverID: String, context: SolveContext) throws -> SolveResult {
        let s = try MinibatchSettings(context.options, method: method, lambda: problem.lambda, automaticRate: automaticRate(problem, method: method))
        let objective = problem.objective
        let control = context.control
        let n = problem.training.sampleCount, p = problem.parameterCount
        let weightCount = problem.featureCount * problem.outputCount
        let lambda = problem.lambda
        let tolerance = context.options.tolerance ?? 1e-8
        let epochs = control.iterationLimit(default: defaultEpochs)
        let batch = min(s.batchSize, n)
        let stepsPerEpoch = (n + batch - 1) / batch
        let totalSteps = epochs * stepsPerEpoch
        var generator = SeededGenerator(seed: context.options.effectiveSeed)

        var theta = Array(repeating: 0.0, count: p)
        var averaged = theta, averagedCount = 0
        var gradient = theta, fullGradient = theta
        var first = method == .sgd ? [] : theta  // velocity, G, E or m
        var second = method == .adam || method == .adamw ? theta : []
        var lookahead = method == .nesterov ? theta : []
        var order = Array(0..<n)
        var rows = Array(repeating: 0, count: batch)
        var power1 = 1.0, power2 = 1.0
        var t = 0, eta = s.rate(step: 1, epoch: 1, totalSteps: totalSteps, lambda: lambda)

        // f, ‖∇f‖ and the test fit at the reported point.
        func measure(_ point: [Double], epoch: Int) -> (f: Double, gradientNorm: Double, test: LearningFit?, record: IterationRecord) {
            let f = objective.valueAndGradient(at: point, gradient: &fullGradient)
            let norm = Vector.norm2(fullGradient)
            let test = problem.test.map { problem.fit(point, on: $0) }
            var extras = [Metric("train_loss", f - objective.regularization(point))]
            if let test {
                extras.append(Metric("test_loss", test.loss))
                if let a = test.accuracy { extras.append(Metric("test_accuracy", a)) }
                if let m = test.meanSquaredError { extras.append(Metric("test_mse", m)) }
            }
            let record = IterationRecord(iteration: epoch, objective: f, gradientNorm: norm, stepSize: epoch == 0 ? nil : eta, extras: extras)
            return (f, norm, test, record)
        }
        /// `point` is a reported point (softmax intercepts centred, as recorded).
        /// `measured`: f at `point` as recorded, so the result repeats the record exactly.
        func finish(_ status: TerminationStatus, _ raw: String, epochs done: Int, at point: [Double], measured: Double? = nil) -> SolveResult {
            let details = LearningDetails(problem: problem, theta: point)
            let f = measured ?? details.training.loss + objective.regularization(point)  // the fit's loss: no second pass
            var result = SolveResult(kind: .learning, status: status, rawStatus: raw, objective: f.isFinite ? f : nil,
                                     variableNames: problem.parameterNames, primal: point, iterations: done)
            result.details = [details]
            if s.average { result.notes.append("iterate averaging from epoch \(s.averageStart + 1): the result is the average of \(averagedCount) iterates") }
            return result
        }

        // (1/B) Σ x̃ᵢrᵢᵀ over the batch, + λW unless the decay is decoupled (AdamW).
        func minibatchGradient(at point: [Double], count: Int) {
            gradient.withUnsafeMutableBufferPointer { g in
                for i in 0..<p { g[i] = 0 }
                point.withUnsafeBufferPointer { th in
                    rows.withUnsafeBufferPointer { rb in
                        _ = objective.meanLoss(problem.training, theta: th, rows: UnsafeBufferPointer(rebasing: rb[0..<count]), gradient: g.baseAddress)
                    }
                }
                if method != .adamw { for i in 0..<weightCount { g[i] += lambda * point[i] } }
            }
        }

        let start = measure(theta, epoch: 0)
        var bestTest = start.test?.loss ?? .infinity, bestPoint = theta, bestF = start.f, sinceBest = 0
        if let stop = control.record(start.record, iterationLimit: epochs) { return finish(stop, stop.rawValue, epochs: 0, at: theta, measured: start.f) }
        var lastFinite = theta, lastF = start.f
        for epoch in 1...max(epochs, 1) {
            if !s.replacement {
                // Fisher–Yates with the project's own index draws (bit-reproducible).
                for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, generator.nextIndex(below: i + 1)) }
            }
            for stepInEpoch in 0..<stepsPerEpoch {
                // An epoch can take seconds: the limits are checked every 256 updates too.
                if stepInEpoch & 255 == 255, let stop = control.checkInterrupt() {
                    return finish(stop, "\(stop.rawValue) in epoch \(epoch)", epochs: epoch - 1,
                                  at: problem.normalized(s.average && averagedCount > 0 ? averaged : theta))
                }
                let lo = stepInEpoch * batch, count = min(batch, n - lo)
                for r in 0..<count { rows[r] = s.replacement ? generator.nextIndex(below: n) : order[lo + r] }
                t += 1
                eta = s.rate(step: t, epoch: epoch, totalSteps: totalSteps, lambda: lambda)
                if method == .nesterov {
                    for i in 0..<p { lookahead[i] = theta[i] + s.beta * first[i] }
                    minibatchGradient(at: lookahead, count: count)
                } else {
                    minibatchGradient(at: theta, count: count)
                }
                switch method {
                case .sgd:
                    for i in 0..<p { theta[i] -= eta * gradient[i] }
                case .momentum:
                    for i in 0..<p { first[i] = s.beta * first[i] + gradient[i]; theta[i] -= eta * first[i] }
                case .nesterov:
                    for i in 0..<p { first[i] = s.beta * first[i] - eta * gradient[i]; theta[i] += first[i] }
                case .adagrad:
                    for i in 0..<p {
                        let g = gradient[i]
                        first[i] += g * g
                        theta[i] -= eta * g / (first[i].squareRoot() + s.epsilon)
                    }
                case .rmsprop:
                    for i in 0..<p {
                        let g = gradient[i]
                        first[i] = s.rho * first[i] + (1 - s.rho) * g * g
                        theta[i] -= eta * g / (first[i].squareRoot() + s.epsilon)
                    }
                case .adam, .adamw:
                    if method == .adamw { for i in 0..<weightCount { theta[i] *= 1 - eta * lambda } }
                    power1 *= s.beta1
                    power2 *= s.beta2
                    for i in 0..<p {
                        let g = gradient[i]
                        first[i] = s.beta1 * first[i] + (1 - s.beta1) * g
                        second[i] = s.beta2 * second[i] + (1 - s.beta2) * g * g
                        let mHat = first[i] / (1 - power1), vHat = second[i] / (1 - power2)
                        theta[i] -= eta * mHat / (vHat.squareRoot() + s.epsilon)
                    }
                }
                if s.average, epoch > s.averageStart {
                    averagedCount += 1
                    let w = 1 / Double(averagedCount)
                    for i in 0..<p { averaged[i] += w * (theta[i] - averaged[i]) }
                }
            }
            let point = problem.normalized(s.average && averagedCount > 0 ? averaged : theta)
            let m = measure(point, epoch: epoch)
            guard m.f.isFinite, m.gradientNorm.isFinite else {
                return finish(.numericalError, "the objective or its gradient became non-finite in epoch \(epoch); returning the last finite point",
                              epochs: epoch - 1, at: lastFinite)
            }
            lastFinite = point
            lastF = m.f
            let stop = control.record(m.record, iterationLimit: epochs)
            // The smooth family's gradient test (tol·max(1, |f|), bit for bit), under its name.
            if LearningTermination.gradientTest(gradientNorm: m.gradientNorm, f: m.f, tolerance: tolerance) {
                var result = finish(.optimal, "gradient norm \(m.gradientNorm) ≤ tolerance·max(1, |f|)", epochs: epoch, at: point, measured: m.f)
                result.convergedBy = SmoothTermination.gradientNorm
                return result
            }
            if s.patience > 0, let test = m.test {
                if test.loss < bestTest {
                    bestTest = test.loss
                    bestPoint = point
                    bestF = m.f
                    sinceBest = 0
                } else {
                    sinceBest += 1
                    if sinceBest >= s.patience {
                        return finish(.slowProgress, "early stopping: no better test loss for \(s.patience) epochs; returning the best (test loss \(bestTest))",
                                      epochs: epoch, at: bestPoint, measured: bestF)
                    }
                }
            }
            if let stop { return finish(stop, stop.rawValue, epochs: epoch, at: point, measured: m.f) }
        }
        return finish(.iterationLimit, "\(epochs) epochs done", epochs: epochs, at: lastFinite, measured: lastF)
    }
}
