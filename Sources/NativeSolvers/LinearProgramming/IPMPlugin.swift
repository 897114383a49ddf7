import LagrangeCore
import LinearAlgebra

/// A certificate that an LP has no optimum, kept in the result's details.
///
/// - `farkas`: row multipliers y (shadow-price sign convention of the minimization
///   form, normalised so that the dual ray objective is 1) proving infeasibility.
/// - `primalRay`: a direction d with Ad within the row bounds' recession cone, bounds
///   respected and cᵀd < 0 (for the minimization form), proving unboundedness.
public struct LPCertificate: ResultDetails, Equatable {
    public enum Kind: String, Sendable { case farkas, primalRay = "primal_ray" }
    public var kind: Kind
    public var vector: [Double]

    public var jsonFields: [String: JSONValue] {
        ["certificate": .object(["kind": .string(kind.rawValue), "vector": .array(vector.map { .number($0) })])]
    }
    public var summaryLines: [String] { ["certificate: \(kind.rawValue) (\(vector.count) entries)"] }
}

/// `native.ipm`: Lagrange's sparse primal–dual interior-point method for LPs.
///
/// Problem: min (or max) cᵀx + c₀ s.t. l ≤ Ax ≤ u, column bounds (free, ranged and fixed
/// included). Pipeline: negate a maximization → presolve (``LPPresolve``) → standard form
/// with slacks and split free columns (``IPMStandardForm``) → Ruiz equilibration →
/// Mehrotra predictor–corrector (``InteriorPointMethod``) → unscale → postsolve. Duals
/// are shadow prices ∂obj/∂(row bound) in the problem's own sense; reduced costs are
/// c − Aᵀy. No crossover: the primal point is interior-accurate, not a vertex.
public struct NativeInteriorPointSolver: SolverPlugin {
    public init() {}

    public var descriptor: SolverDescriptor {
        SolverDescriptor(id: "native.ipm", kinds: [.lp], options: IPMSettings.optionSpecs,
                         summary: "primal–dual interior point (Mehrotra predictor–corrector, sparse LDLᵀ normal equations)")
    }

    public func solve(_ problem: Problem, context: SolveContext) throws -> SolveResult {
        guard case .linear(let lp) = problem else {
            throw SolverError.unsupported("native.ipm solves LPs; got kind '\(problem.kind.rawValue)'")
        }
        let settings = try IPMSettings(options: context.options)
        return try InteriorPointDriver(lp: lp, settings: settings).solve(control: context.control)
    }
}

/// The LP pipeline around ``InteriorPointMethod``: presolve, scaling, the run, and the
/// mapping of its answer back to the user's problem.
struct InteriorPointDriver {
    let lp: LinearProgram
    let settings: IPMSettings

    func solve(control: IterationControl) throws -> SolveResult {
        let sense: Double = lp.sense == .minimize ? 1 : -1
        let presolve = LPPresolve(RowBoundLP(minimizing: lp), enabled: settings.presolve)
        var notes: [String] = []
        if !lp.integerColumns.isEmpty { notes.append("integrality of \(lp.integerColumns.count) columns ignored (LP relaxation)") }
        if case .infeasible(let reason) = presolve.verdict {
            var result = makeResult(status: .infeasible, raw: "presolve: \(reason)", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                    y: nil, d: nil, iterations: 0)
            result.notes = notes
            return result
        }
        let reduced = presolve.reduced
        var x: [Double], y: [Double], status: TerminationStatus, raw: String, iterations: Int
        var certificate: LPCertificate?
        if reduced.columnCount == 0 {
            (x, y, status, raw, iterations) = ([], Array(repeating: 0, count: reduced.rowCount), .optimal, "solved by presolve", 0)
        } else {
            // Presolve, standard form and scaling are linear-time but long on large LPs
            // in debug builds: a limit met there returns the bound point nearest zero.
            if let stop = control.checkInterrupt() {
                return makeResult(status: stop, raw: "stopped after presolve", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                  y: nil, d: nil, iterations: 0)
            }
            let form = IPMStandardForm(reduced)
            let scaling = Equilibration(form.matrix, passes: settings.scalingPasses)
            let scaled = scaling.apply(to: form)
            if let stop = control.checkInterrupt() {
                return makeResult(status: stop, raw: "stopped after scaling", x: lp.columnLower.map { $0.isFinite ? $0 : 0 },
                                  y: nil, d: nil, iterations: 0)
            }
            let constant = reduced.objectiveConstant
            let method = InteriorPointMethod(form: scaled, settings: settings)
            let outcome = try method.run(interrupt: { control.checkInterrupt() }) { info in
                let record = IterationRecord(
                    iteration: info.iteration, objective: sense * (info.primalObjective + constant),
                    primalResidual: info.primalResidual, dualResidual: info.dualResidual, gap: info.relativeGap,
                    stepSize: min(info.primalStep, info.dualStep),
                    extras: [Metric("dual_objective", sense * (info.dualObjective + constant)), Metric("mu", info.mu),
                             Metric("primal_step", info.primalStep), Metric("dual_step", info.dualStep)])
                return control.record(record, iterationLimit: settings.maxIterations)
            }
            let xs = zip(outcome.x, scaling.columnScale).map { $0 * $1 }
            x = form.rowBoundPrimal(xs)
            y = zip(outcome.y, scaling.rowScale).map { $0 * $1 }
            status = outcome.status
            raw = outcome.rawStatus
            iterations = outcome.iterations
            if status == .slowProgress || status == .numericalError || status == .almostOptimal {
                // Stalled: settle feasibility and boundedness with the auxiliary LPs.
                switch try LPDiagnosis.diagnose(reduced, settings: settings) {
                case .infeasible(let farkas)?:
                    status = .infeasible
                    raw = "phase-1 LP has a positive optimum (after: \(raw))"
                    var full = Array(repeating: 0.0, count: lp.rowCount)
                    for (k, i) in presolve.activeRows.enumerated() { full[i] = farkas[k] }
                    certificate = LPCertificate(kind: .farkas, vector: full)
                case .unbounded(let ray)?:
                    status = .unbounded
                    raw = "ray LP has a negative optimum (after: \(raw))"
                    var full = Array(repeating: 0.0, count: lp.columnCount)
                    for (k, j) in presolve.activeColumns.enumerated() { full[j] = ray[k] }
                    certificate = LPCertificate(kind: .primalRay, vector: full)
                case nil:
                    break
                }
            }
            if let ray = outcome.certificate {
                if status == .infeasible {
                    var full = Array(repeating: 0.0, count: lp.rowCount)
                    for (k, i) in presolve.activeRows.enumerated() { full[i] = ray[k] * scaling.rowScale[k] }
                    certificate = LPCertificate(kind: .farkas, vector: full)
                } else {
                    let direction = form.rowBoundPrimal(zip(ray, scaling.columnScale).map { $0 * $1 })
                    var full = Array(repeating: 0.0, count: lp.columnCount)
                    for (k, j) in presolve.activeColumns.enumerated() { full[j] = direction[k] }
                    certificate = LPCertificate(kind: .primalRay, vector: full)
                }
            }
        }
        if status == .optimal, let column = presolve.unboundedColumn {
            status = .unbounded
            raw = "column \(lp.variableNames[column]) has no constraints and its cost pulls it to an infinite bound"
        }
        let (fullX, fullY, fullD) = presolve.postsolve(primal: x, duals: y)
        var result = makeResult(status: status, raw: raw, x: fullX,
                                y: fullY.map { sense * $0 }, d: fullD.map { sense * $0 }, iterations: iterations)
        if let certificate { result.details.append(certificate) }
        result.notes = notes
        return result
    }

    private func makeResult(status: TerminationStatus, raw: String, x: [Double], y: [Double]?, d: [Double]?,
                            iterations: Int) -> SolveResult {
        let hasPoint = status.hasSolution || status == .iterationLimit || status == .timeLimit
            || status == .interrupted || status == .slowProgress
        var result = SolveResult(kind: .lp, status: status, rawStatus: raw,
                                 objective: hasPoint ? lp.objectiveValue(at: x) : nil,
                                 variableNames: lp.variableNames, primal: x, constraintNames: lp.constraintNames,
                                 duals: hasPoint ? y : nil, reducedCosts: hasPoint ? d : nil, iterations: iterations)
        result.kkt = lp.kktResiduals(primal: x, duals: hasPoint ? y : nil, reducedCosts: hasPoint ? d : nil)
        return result
    }
}
