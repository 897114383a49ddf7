import Foundation
import LagrangeTestSupport
import Testing

/// The library products and the C libraries they link (README "Library products"): the
/// manifest, as SwiftPM reads it, must keep GLPK and GSL out of the `Lagrange` product.
@Suite struct PackageProductsTests {
    /// The manifest's targets (name → names of the targets it depends on in this package),
    /// its system-library targets and its products (name → targets), from `swift package
    /// dump-package`. A scratch folder of its own keeps it clear of the lock `swift test`
    /// holds on .build; dumping the root manifest resolves no dependency.
    struct Manifest {
        var dependencies: [String: [String]] = [:]
        var systemLibraries: Set<String> = []
        var products: [String: [String]] = [:]

        init() throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lagrange-dump-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "package", "--package-path", Fixtures.packageRoot, "--scratch-path", scratch.path, "dump-package"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "swift package dump-package failed")
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for target in json["targets"] as? [[String: Any]] ?? [] {
                let name = try #require(target["name"] as? String)
                if target["type"] as? String == "system" { systemLibraries.insert(name) }
                // {"byName": [name, condition]} or {"target": [name, condition]}; products of
                // other packages ({"product": …}) hold no target of this one.
                dependencies[name] = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                    ((dependency["byName"] ?? dependency["target"]) as? [Any])?.first as? String
                }
            }
            for product in json["products"] as? [[String: Any]] ?? [] {
                products[product["name"] as? String ?? ""] = product["targets"] as? [String] ?? []
            }
        }

        /// Every target a product's targets depend on, directly or not, themselves included.
        func closure(of product: String) -> Set<String> {
            var seen: Set<String> = [], stack = products[product] ?? []
            while let name = stack.popLast() {
                if seen.insert(name).inserted { stack += dependencies[name] ?? [] }
            }
            return seen
        }
    }

    @Test("the Lagrange product's targets link no C library but zlib; LagrangeGLPK and LagrangeGSL hold GLPK and GSL")
    func cLibrariesAreSeparateProducts() throws {
        let manifest = try Manifest()
        let lagrange = manifest.closure(of: "Lagrange")
        #expect(lagrange.contains("NativeSolvers") && lagrange.contains("ProblemFormats") && lagrange.contains("Modeling"))
        #expect(lagrange.intersection(manifest.systemLibraries) == ["CZlib"])
        #expect(lagrange.isDisjoint(with: ["CGLPK", "CGLPKShim", "GLPKSolvers", "CGSL", "GSLSolvers"]))
        let glpk = manifest.closure(of: "LagrangeGLPK"), gsl = manifest.closure(of: "LagrangeGSL")
        #expect(glpk.intersection(manifest.systemLibraries) == ["CZlib", "CGLPK"])
        #expect(gsl.intersection(manifest.systemLibraries) == ["CZlib", "CGSL"])
        #expect(manifest.closure(of: "lagrange").isSuperset(of: glpk.union(gsl)))
    }
}
