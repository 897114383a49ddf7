import ArgumentParser
import Lagrange

extension ProblemKind: ExpressibleByArgument {}

struct SolversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solvers",
        abstract: "List the registered solvers, their kinds and options."
    )

    @Option(name: .long, help: "Only solvers for this kind (\(ProblemKind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var kind: ProblemKind?

    func run() throws {
        let registry = SolverRegistry.commandLine
        let descriptors = registry.descriptors(for: kind)
        if descriptors.isEmpty {
            Console.out("no solvers\(kind.map { " for kind \($0.rawValue)" } ?? "")\n")
            return
        }
        let width = descriptors.map(\.id.count).max() ?? 0
        for d in descriptors {
            let defaults = d.kinds.filter { registry.defaultID(for: $0) == d.id }.map(\.rawValue)
            let kinds = d.kinds.map(\.rawValue).joined(separator: ",")
            var line = d.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "[\(kinds)] " + d.summary
            if !defaults.isEmpty { line += "  (default for \(defaults.joined(separator: ", ")))" }
            Console.out(line + "\n")
            for o in d.options {
                Console.out("      " + o.name + " = " + o.defaultValue + "  " + o.summary + "\n")
            }
        }
    }
}

import Foundation
