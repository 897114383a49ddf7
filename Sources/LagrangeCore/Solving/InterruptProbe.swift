/// Asks the iteration control for a stop (time limit, cancellation) from inside a long
/// inner loop that cannot return a status itself, such as a factorization in LinearAlgebra
/// (which knows nothing of LagrangeCore) or a C library's callback: pass ``shouldStop()``
/// as its `shouldStop` closure, and read ``status`` when it answered true.
package final class InterruptProbe {
    private let check: () -> TerminationStatus?
    /// The stop status once ``shouldStop()`` has answered true.
    package private(set) var status: TerminationStatus?

    package init(_ control: IterationControl) { check = { control.checkInterrupt() } }
    package init(_ check: @escaping () -> TerminationStatus?) { self.check = check }

    /// Whether to stop; once true, true for good (later calls do not read the clock).
    package func shouldStop() -> Bool {
        if status == nil { status = check() }
        return status != nil
    }
}
