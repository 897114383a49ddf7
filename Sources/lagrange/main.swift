import ArgumentParser
import Foundation
import Lagrange
import LagrangeGLPK

// The CLI reads every format, GLPK MathProg (`.mod`) included.
ProblemFileReader.registerMathProg()

/// Runs a command and exits by the CLI contract (DESIGN.md): 0 / 1 / 2, where
/// swift-argument-parser would exit 64 on usage errors.
func runAndExit(_ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(ExitStatus.definitive.rawValue)
    } catch let done as CommandExit {
        exit(done.status.rawValue)
    } catch {
        let code = LagrangeCommand.exitCode(for: error)
        if code == .success {
            // --help, --version: print as argument-parser would, exit 0.
            LagrangeCommand.exit(withError: error)
        }
        Console.err(LagrangeCommand.fullMessage(for: error) + "\n")
        exit(ExitStatus.badInput.rawValue)
    }
}

// The shapes of a small solve skip argument-parser's start-up (SolveRequest.quickParse).
if let request = SolveRequest.quickParse(Array(CommandLine.arguments.dropFirst())) {
    runAndExit { try request.run() }
}
runAndExit {
    var command = try LagrangeCommand.parseAsRoot()
    try command.run()
}
