// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lagrange",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Lagrange", targets: ["Lagrange"]),
        .executable(name: "lagrange", targets: ["lagrange"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: - Public API
        .target(name: "LinearAlgebra"),
        .target(name: "LagrangeCore", dependencies: ["LinearAlgebra"]),
        .target(name: "ProblemFormats", dependencies: ["LagrangeCore", "LinearAlgebra", "Yams"]),
        .target(name: "NativeSolvers", dependencies: ["LagrangeCore", "LinearAlgebra"]),
        .target(name: "GLPKSolvers", dependencies: ["LagrangeCore", "LinearAlgebra", "CGLPK"]),
        .target(name: "GSLSolvers", dependencies: ["LagrangeCore", "LinearAlgebra", "CGSL"]),
        .target(
            name: "Lagrange",
            dependencies: ["LinearAlgebra", "LagrangeCore", "ProblemFormats", "NativeSolvers", "GLPKSolvers", "GSLSolvers"]
        ),
        .executableTarget(
            name: "lagrange",
            dependencies: ["Lagrange", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: - C libraries
        // Debian ships no glpk.pc, so CGLPK links through its modulemap (`link "glpk"`).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),

        // MARK: - Tests
        .target(name: "LagrangeTestSupport", dependencies: ["LagrangeCore"], path: "Tests/LagrangeTestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "LagrangeTestSupport"]),
        .testTarget(name: "LagrangeCoreTests", dependencies: ["LagrangeCore", "LagrangeTestSupport"]),
        .testTarget(name: "ProblemFormatsTests", dependencies: ["ProblemFormats", "LagrangeTestSupport"], exclude: ["Malformed"]),
        .testTarget(name: "GLPKSolversTests", dependencies: ["GLPKSolvers", "ProblemFormats", "LagrangeTestSupport"]),
        .testTarget(name: "LagrangeTests", dependencies: ["Lagrange", "LagrangeTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["LagrangeTestSupport"]),
        .testTarget(name: "MatrixGameTests", dependencies: ["Lagrange", "GLPKSolvers", "NativeSolvers", "LagrangeTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
