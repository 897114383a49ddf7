import Foundation
import PackagePlugin

/// `swift package regress [DIR] [--update] [--solver ID …] [--plot-dir DIR]`
///
/// Builds the `lagrange` tool and runs `lagrange regress` on the package's `problems/`
/// folder (or DIR, relative to the package), so a package that depends on Lagrange can
/// regress its own problem files. `--update` rewrites golden files, which needs
/// `swift package --allow-writing-to-package-directory regress --update`.
@main
struct RegressPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "lagrange")
        let root = context.package.directoryURL
        var arguments = arguments
        // A first argument that is not a flag names the folder, relative to the package.
        var folder = root.appendingPathComponent("problems").path
        if let first = arguments.first, !first.hasPrefix("-") {
            folder = first.hasPrefix("/") ? first : root.appendingPathComponent(first).path
            arguments.removeFirst()
        }
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["regress", folder] + arguments
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("lagrange regress exited with status \(process.terminationStatus)")
            throw RegressFailed(status: process.terminationStatus)
        }
    }
}

struct RegressFailed: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "convergence regression failed (exit status \(status))" }
}
