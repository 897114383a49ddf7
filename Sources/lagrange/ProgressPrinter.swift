import Lagrange

/// Prints each iteration record to standard error as a table row (`--progress`).
final class ProgressPrinter: SolveObserver {
    private var keys: [String] = []
    private var rows = 0

    func solveDidStart(problem: String, solverID: String) {
        Console.err("\(problem): solving with \(solverID)\n")
        keys = []
        rows = 0
    }

    func solveDidIterate(_ record: IterationRecord) -> ObserverDecision {
        let present = IterationRecord.standardKeys.filter { record.value(forKey: $0) != nil } + record.extras.map(\.name)
        if present != keys || rows % 40 == 0 {
            keys = present
            Console.err(pad("iter", 8) + pad("seconds", 11) + keys.map { pad($0, 15) }.joined() + "\n")
        }
        rows += 1
        let cells = keys.map { pad(record.value(forKey: $0).map(TextSummary.format) ?? "", 15) }.joined()
        Console.err(pad(String(record.iteration), 8) + pad(TextSummary.format(TextSummary.round4(record.seconds)), 11) + cells + "\n")
        return .proceed
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
