import LagrangeCore

/// Asks the iteration control for a stop (time limit, cancellation) from inside a long
/// inner loop that cannot return a status itself, such as a factorization in LinearAlgebra
/// (which knows nothing of LagrangeCore): pass ``shouldStop()`` as its `shouldStop`
/// closure, and read ``status`` when it answered true.
final class InterruptProbe {
    private let check: () -> TerminationStatus?
    /// The stop status once ``shouldStop()`` has answered true.
    private(set) var status: TerminationStatus?

    init(_ control: IterationControl) { check = { control.checkInterrupt() } }
    init(_ check: @escaping () -> TerminationStatus?) { self.check = check }

    func shouldStop() -> Bool {
        if status == nil { status = check() }
        return status != nil
    }
}
