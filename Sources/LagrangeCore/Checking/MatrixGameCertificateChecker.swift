/// The certificate checker for matrix games: an `optimal` claim must come with a strategy
/// pair whose guarantees meet (``GameCertificate``), recomputed here from the strategies
/// against every row and column of the game, not read from the solver's own report.
///
/// Measures: `game_gap` = max_j (xᵀA)_j − min_i (Ay)_i, held to the tolerance the solver
/// reported using (its `certificate.tolerance`, at least 1e-9·max(1, max|A|) for rounding),
/// and `strategy_violation` (negative entries, sums off 1), held to 1e-9. A failed claim
/// becomes `almost_optimal` when the gap is within 100× its tolerance and the strategies are
/// valid, else `numerical_error`. A result without strategies cannot claim `optimal`.
package struct MatrixGameCertificateChecker: CertificateChecker {
    package init() {}

    package func check(_ result: SolveResult, problem: Problem) -> CertificateCheck? {
        guard case .matrixGame(let game) = problem, result.status == .optimal || result.status == .locallyOptimal else { return nil }
        guard let details = result.details(as: MatrixGameDetails.self) else {
            return CertificateCheck(claimed: result.status, verdict: .numericalError, measures: [],
                                    failure: "no strategies were returned, so optimality cannot be verified")
        }
        let tolerance = max(details.certificate.tolerance, 1e-9 * max(1, game.maxAbsolutePayoff))
        let certificate = game.certificate(rowStrategy: details.rowStrategy, columnStrategy: details.columnStrategy,
                                           tolerance: tolerance)
        let measures = [CheckMeasure("game_gap", certificate.gap, tolerance: tolerance),
                        CheckMeasure("strategy_violation", certificate.strategyViolation, tolerance: 1e-9)]
        let failed = measures.filter { !$0.passes }
        if failed.isEmpty { return CertificateCheck(claimed: result.status, verdict: result.status, measures: measures, failure: nil) }
        let almost = certificate.strategyViolation <= 1e-9 && certificate.gap <= 100 * tolerance
        let failure = "the strategies do not prove optimality" + failed.map { "; \($0.name) \($0.value) > \($0.tolerance)" }.joined()
        return CertificateCheck(claimed: result.status, verdict: almost ? .almostOptimal : .numericalError,
                                measures: measures, failure: failure)
    }
}
