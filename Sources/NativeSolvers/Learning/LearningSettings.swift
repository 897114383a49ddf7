import Foundation
import LagrangeCore

/// The update rule of a minibatch method.
enum MinibatchMethod: Sendable {
    /// θ ← θ − η g.
    case sgd
    /// v ← βv + g, θ ← θ − η v (heavy ball, as PyTorch's SGD with momentum).
    case momentum
    /// v ← βv − η ∇f(θ + βv), θ ← θ + v (Sutskever et al. 2013).
    case nesterov
    /// G ← G + g², θ ← θ − η g/(√G + ε) (Duchi, Hazan & Singer 2011).
    case adagrad
    /// E ← ρE + (1 − ρ)g², θ ← θ − η g/(√E + ε) (Hinton's lecture 6e).
    case rmsprop
    /// Adam with bias corrections (Kingma & Ba 2015).
    case adam
    /// Adam on the loss alone, with W ← (1 − ηλ)W decoupled (Loshchilov & Hutter 2019).
    case adamw

    /// Whether the method scales steps per coordinate by gradient statistics.
    var isAdaptive: Bool { [.adagrad, .rmsprop, .adam, .adamw].contains(self) }

    var defaultLearningRate: Double {
        switch self {
        case .sgd, .momentum, .nesterov: return 0.1
        case .adagrad: return 0.1
        case .rmsprop, .adam, .adamw: return 0.01
        }
    }
}

/// The step-size schedules, η_t for the t-th update (t = 1, 2, …) in epoch e.
enum LearningSchedule: String, CaseIterable {
    /// η₀.
    case constant
    /// η₀/(1 + t/τ): the 1/t schedule.
    case inverse
    /// η₀/√(1 + t/τ): the 1/√t schedule.
    case inverseSqrt = "inverse_sqrt"
    /// η₀/t^power (scikit-learn's `invscaling`).
    case power
    /// η₀·drop^⌊(e − 1)/every⌋: step decay.
    case step
    /// η₀/√T, T the number of updates in the run: the seeds' constant/√T.
    case horizon
    /// 1/(λ(t₀ + t − 1)), t₀ = 1/(η₀λ) (scikit-learn's `optimal`; needs λ > 0).
    case optimal
}

/// The minibatch methods' settings, validated once from the solve options (`batch_size`,
/// `learning_rate`, `schedule` and its constants, `sampling`, averaging, `patience`, and the
/// method's own decay constants), with the step-size schedule they define.
struct MinibatchSettings {
    var batchSize = 1
    var eta0 = 0.1
    var schedule = LearningSchedule.inverseSqrt
    var tau = 1000.0
    var power = 0.5
    var dropFactor = 0.5
    var dropEvery = 10
    var replacement = false
    var average = false
    var averageStart = 0
    var patience = 0
    var beta = 0.9
    var beta1 = 0.9
    var beta2 = 0.999
    var rho = 0.9
    var epsilon = 1e-8

    /// `automaticRate`: the default η₀ (see ``MinibatchTrainer/automaticRate``).
    init(_ o: SolveOptions, method: MinibatchMethod, lambda: Double, automaticRate: Double) throws(SolverError) {
        func positive(_ name: String, _ d: Double) throws(SolverError) -> Double {
            let v = try o.number(name, default: d)
            guard v > 0, v.isFinite else { throw .invalidOption(name: name, reason: "must be finite and > 0, got \(v)") }
            return v
        }
        func whole(_ name: String, _ d: Int, minimum: Int) throws(SolverError) -> Int {
            let v = try o.number(name, default: Double(d))
            guard v >= Double(minimum), v <= 1e9, v == v.rounded() else { throw .invalidOption(name: name, reason: "must be a whole number ≥ \(minimum), got \(v)") }
            return Int(v)
        }
        func fraction(_ name: String, _ d: Double) throws(SolverError) -> Double {
            let v = try o.number(name, default: d)
            guard v >= 0, v < 1 else { throw .invalidOption(name: name, reason: "must be in [0, 1), got \(v)") }
            return v
        }
        batchSize = try whole("batch_size", 1, minimum: 1)
        if o.parameters["learning_rate"]?.description == "auto" {
            eta0 = automaticRate
        } else {
            eta0 = try positive("learning_rate", automaticRate)
        }
        let name = try o.string("schedule", default: "inverse_sqrt", allowed: LearningSchedule.allCases.map(\.rawValue))
        schedule = LearningSchedule(rawValue: name) ?? .inverseSqrt
        if schedule == .optimal, !(lambda > 0) { throw .invalidOption(name: "schedule", reason: "optimal needs l2 > 0") }
        tau = try positive("decay_steps", 1000)
        power = try positive("power_t", 0.5)
        dropFactor = try positive("drop_factor", 0.5)
        dropEvery = try whole("drop_every", 10, minimum: 1)
        replacement = try o.string("sampling", default: "shuffle", allowed: ["shuffle", "replacement"]) == "replacement"
        average = try o.flag("average", default: false)
        averageStart = try whole("average_start", 0, minimum: 0)
        patience = try whole("patience", 0, minimum: 0)
        beta = try fraction("momentum", 0.9)
        beta1 = try fraction("beta1", 0.9)
        beta2 = try fraction("beta2", 0.999)
        rho = try fraction("rho", 0.9)
        epsilon = try positive("epsilon", 1e-8)
    }

    func rate(step t: Int, epoch: Int, totalSteps: Int, lambda: Double) -> Double {
        let tt = Double(t)
        switch schedule {
        case .constant: return eta0
        case .inverse: return eta0 / (1 + tt / tau)
        case .inverseSqrt: return eta0 / (1 + tt / tau).squareRoot()
        case .power: return eta0 / Foundation.pow(tt, power)
        case .step: return eta0 * Foundation.pow(dropFactor, Double((epoch - 1) / dropEvery))
        case .horizon: return eta0 / Double(max(totalSteps, 1)).squareRoot()
        case .optimal: return 1 / (lambda * (1 / (eta0 * lambda) + tt - 1))
        }
    }

    /// The options `lagrange solvers` lists for `method` (the common ones, then the method's own).
    static func optionSpecs(for method: MinibatchMethod) -> [OptionSpec] {
        var o = [
            OptionSpec("batch_size", default: "1", "samples per update"),
            OptionSpec("learning_rate", default: method.isAdaptive ? "\(method.defaultLearningRate)" : "auto", "η₀ (auto: 1/(c·mean‖x̃ᵢ‖²), c the loss's curvature bound)"),
            OptionSpec("schedule", default: "inverse_sqrt", "constant | inverse | inverse_sqrt | power | step | horizon | optimal (learning)"),
            OptionSpec("decay_steps", default: "1000", "τ of the inverse schedules, in updates"),
            OptionSpec("power_t", default: "0.5", "exponent of the power schedule"),
            OptionSpec("drop_factor", default: "0.5", "step decay: factor per drop"),
            OptionSpec("drop_every", default: "10", "step decay: epochs between drops"),
            OptionSpec("sampling", default: "shuffle", "shuffle (without replacement, each epoch) | replacement"),
            OptionSpec("average", default: "false", "Polyak–Ruppert averaging of the iterates"),
            OptionSpec("average_start", default: "0", "epochs before averaging starts"),
            OptionSpec("patience", default: "0", "stop after this many epochs without a better test loss (0: off)"),
        ]
        switch method {
        case .momentum, .nesterov: o.append(OptionSpec("momentum", default: "0.9", "β"))
        case .rmsprop: o += [OptionSpec("rho", default: "0.9", "decay of the squared-gradient mean"), OptionSpec("epsilon", default: "1e-8", "ε")]
        case .adagrad: o.append(OptionSpec("epsilon", default: "1e-8", "ε"))
        case .adam, .adamw:
            o += [OptionSpec("beta1", default: "0.9", "first-moment decay"), OptionSpec("beta2", default: "0.999", "second-moment decay"),
                  OptionSpec("epsilon", default: "1e-8", "ε")]
        case .sgd: break
        }
        return o
    }
}
