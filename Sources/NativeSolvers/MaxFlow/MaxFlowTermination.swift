import LagrangeCore

/// How the max-flow methods end. Both are exact: no tolerance applies (a `--tolerance`
/// is noted as ignored, ``MaxFlowDetails/honouredCommonOptions``).
///
/// - `native.push-relabel`: phase 1 ends when no node that can still reach the sink has
///   excess (``PushRelabelEngine/maximumPreflow(control:)``); phase 2 returns the rest.
/// - `native.dinic`: when no residual s–t path is left: a relabel empties a label below
///   s's (the gap), s's label reaches n, or the BFS from t no longer reaches s.
///
/// Either way the source side of the minimum cut is what s reaches in the final residual
/// graph (``ResidualNetwork/cutSourceSide(for:)``), and a limit returns the current flow's
/// feasible part with the limit's status.
enum MaxFlowTermination {
    /// The raw status of a native max-flow run.
    static func rawStatus(_ status: TerminationStatus) -> String { status == .optimal ? "maximum flow" : "stopped early" }
}
