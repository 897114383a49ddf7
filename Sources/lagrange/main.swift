import ArgumentParser
import Foundation
import Lagrange
import LagrangeGLPK

// The CLI reads every format, GLPK MathProg (`.mod`) included.
ProblemFileReader.registerMathProg()

// A hand-written entry point: swift-argument-parser exits 64 on usage errors, but the
// CLI contract (DESIGN.md) is 0 / 1 / 2.
do {
    var command = try LagrangeCommand.parseAsRoot()
    try command.run()
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
