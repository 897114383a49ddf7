/// The matrix-game methods' termination test. Every method keeps a lower bound (the
/// guarantee of X's best averaged strategy) and an upper bound (Y's), so their gap bounds
/// the distance of both strategies from the game's value; `optimal` when it is within the
/// tolerance (absolute; defaults: 1e-3 for the learning dynamics, 1e-9·max(1, max|A|) for the
/// LPs, whose gap check is the certificate of ``MatrixGame/certificate(rowStrategy:columnStrategy:tolerance:)``).
enum GameTermination {
    /// Whether the duality gap upper − lower has closed to the tolerance.
    static func gapClosed(_ gap: Double, tolerance: Double) -> Bool {
        gap <= tolerance
    }
}
