import LagrangeCore

// `native.branch-and-bound`'s termination: the search ends when every open node is pruned,
// and a node is pruned when its (effective) bound reaches the cutoff set by the incumbent
// and the gap tolerances (`mip_gap`, `mip_gap_abs`); otherwise a limit stops it with the
// incumbent, the best bound and the gap (``BranchAndBoundSearch/run()``).

extension BranchAndBoundSearch {
    /// What an LP bound proves about the integer points below it: itself, or rounded up
    /// to the next attainable value when the objective is integral.
    func effectiveBound(_ bound: Double) -> Double {
        guard objectiveIsIntegral, bound.isFinite else { return bound }
        let c0 = root.objectiveConstant
        return (bound - c0 - 1e-6 * max(1, abs(bound))).rounded(.up) + c0
    }

    /// The prune threshold: a node whose bound is at or above it cannot improve the
    /// incumbent by more than the gap tolerances.
    var cutoff: Double {
        guard incumbent.isFinite else { return .infinity }
        return incumbent - max(settings.absoluteGap, settings.relativeGap * max(1, abs(incumbent)))
    }
}
