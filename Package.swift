// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lagrange",
    platforms: [.macOS(.v15)],
    products: [
        // Native solvers and every format but GLPK MathProg: no C library beyond zlib.
        .library(name: "Lagrange", targets: ["Lagrange"]),
        // GLPK's solvers and its MathProg reader (`registerGLPK()`); links libglpk.
        .library(name: "LagrangeGLPK", targets: ["LagrangeGLPK"]),
        // GSL's solvers (`registerGSL()`); links libgsl.
        .library(name: "LagrangeGSL", targets: ["LagrangeGSL"]),
        .executable(name: "lagrange", targets: ["lagrange"]),
        .plugin(name: "RegressPlugin", targets: ["RegressPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: - Public API
        .target(name: "LinearAlgebra"),
        .target(name: "LagrangeCore", dependencies: ["LinearAlgebra", "CLearningKernels"]),
        .target(name: "Expressions", dependencies: ["LagrangeCore", "LinearAlgebra"]),
        .target(name: "ProblemFormats", dependencies: ["LagrangeCore", "LinearAlgebra", "Expressions", "CZlib", "Yams"]),
        .target(name: "NativeSolvers", dependencies: ["LagrangeCore", "LinearAlgebra", "Expressions"]),
        .target(name: "GLPKSolvers", dependencies: ["LagrangeCore", "LinearAlgebra", "CGLPK", "CGLPKShim"]),
        .target(name: "GSLSolvers", dependencies: ["LagrangeCore", "LinearAlgebra", "Expressions", "CGSL"]),
        .target(name: "Regression", dependencies: ["LagrangeCore", "ProblemFormats"]),
        // Models stated in Swift (variables, expressions, named constraints) → LP / MILP / QP.
        .target(name: "Modeling", dependencies: ["LagrangeCore", "LinearAlgebra", "ProblemFormats"]),
        .target(
            name: "Lagrange",
            dependencies: ["LinearAlgebra", "LagrangeCore", "Expressions", "ProblemFormats", "NativeSolvers", "Regression", "Modeling"]
        ),
        // The C-library plugins, each its own product so that `Lagrange` alone links neither.
        .target(name: "LagrangeGLPK", dependencies: ["Lagrange", "LagrangeCore", "LinearAlgebra", "ProblemFormats", "NativeSolvers", "GLPKSolvers", "CGLPK", "CGLPKShim"]),
        .target(name: "LagrangeGSL", dependencies: ["Lagrange", "LagrangeCore", "GSLSolvers"]),
        .executableTarget(
            name: "lagrange",
            dependencies: ["Lagrange", "LagrangeGLPK", "LagrangeGSL", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `swift package regress [--update]`: convergence regression run over the package's problems/.
        .plugin(
            name: "RegressPlugin",
            capability: .command(intent: .custom(verb: "regress", description: "Run the convergence regression suite over problems/ (lagrange regress)")),
            dependencies: ["lagrange"]
        ),

        // MARK: - Benchmarks
        .executableTarget(name: "maxflow-bench", dependencies: ["Lagrange"], path: "Benchmarks/maxflow-bench"),
        .executableTarget(name: "kaczmarz-bench", dependencies: ["Lagrange", "LagrangeGSL"], path: "Benchmarks/kaczmarz-bench",
                          exclude: ["dense_vs_lsqr.py"]),
        .executableTarget(name: "smooth-benchmark", dependencies: ["Lagrange", "LagrangeGSL"], path: "Benchmarks/SmoothBenchmark"),
        .executableTarget(name: "svr-bench", dependencies: ["Lagrange", "NativeSolvers"], path: "Benchmarks/SVRBench"),
        .executableTarget(name: "lp-bench", dependencies: ["Lagrange", "NativeSolvers", "GLPKSolvers"], path: "Benchmarks/lp-bench"),
        .executableTarget(name: "qp-bench", dependencies: ["Lagrange"], path: "Benchmarks/qp-bench"),
        .executableTarget(name: "model-bench", dependencies: ["Lagrange"], path: "Benchmarks/model-bench"),
        .executableTarget(name: "games-bench", dependencies: ["Lagrange", "LagrangeGLPK"], path: "Benchmarks/games-bench"),

        // MARK: - C libraries
        // Debian ships no glpk.pc, so CGLPK links through its modulemap (`link "glpk"`).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        // C halves of two GLPK plugins: glp_interior with a stop at each log line (setjmp/longjmp
        // must stay in C) and the per-arc loops of a budgeted Ford-Fulkerson round.
        .target(name: "CGLPKShim", dependencies: ["CGLPK"]),
        // The blocked dense loops of the learning objective, compiled for baseline x86-64 and
        // for AVX2 with a cpuid choice at run time (Swift has no per-function target).
        .target(name: "CLearningKernels"),
        // zlib, for gzip-compressed problem files (`.mps.gz`, `.qps.gz`).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),

        // MARK: - Tests
        .target(name: "LagrangeTestSupport", dependencies: ["LagrangeCore", "LinearAlgebra"], path: "Tests/LagrangeTestSupport"),
        // `SolverRegistry.builtIn`: the CLI's solvers (native, GLPK, GSL), for the tests that use them.
        .target(name: "BuiltInSolvers", dependencies: ["Lagrange", "LagrangeGLPK", "LagrangeGSL"], path: "Tests/BuiltInSolvers"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "LagrangeTestSupport"]),
        .testTarget(name: "LagrangeCoreTests", dependencies: ["LagrangeCore", "LagrangeTestSupport"]),
        .testTarget(name: "ProblemFormatsTests", dependencies: ["ProblemFormats", "LagrangeTestSupport"], exclude: ["Malformed"]),
        .testTarget(name: "GLPKSolversTests", dependencies: ["GLPKSolvers", "ProblemFormats", "LagrangeTestSupport"]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "LagrangeTestSupport"]),
        .testTarget(name: "SmoothSolversTests", dependencies: ["Lagrange", "Expressions", "NativeSolvers", "GSLSolvers", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "NativeLPTests", dependencies: ["NativeSolvers", "GLPKSolvers", "ProblemFormats", "LagrangeTestSupport"]),
        .testTarget(name: "LagrangeTests", dependencies: ["Lagrange", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["LagrangeTestSupport", "lagrange"]),
        .testTarget(name: "MaxFlowTests", dependencies: ["Lagrange", "GLPKSolvers", "BuiltInSolvers", "LagrangeTestSupport"], exclude: ["Malformed"]),
        .testTarget(name: "KaczmarzTests", dependencies: ["Lagrange", "NativeSolvers", "ProblemFormats", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "SVRTests", dependencies: ["Lagrange", "NativeSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "LearningTests", dependencies: ["Lagrange", "LagrangeTestSupport"]),
        .testTarget(name: "QuadraticProgrammingTests", dependencies: ["Lagrange", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "MatrixGameTests", dependencies: ["Lagrange", "GLPKSolvers", "NativeSolvers", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "RegressionTests", dependencies: ["Lagrange", "Regression", "BuiltInSolvers", "LagrangeTestSupport"]),
        .testTarget(name: "ModelingTests", dependencies: ["Lagrange", "CGLPK", "CGLPKShim", "BuiltInSolvers", "LagrangeTestSupport"], exclude: ["Malformed"]),
        .testTarget(name: "HardeningTests", dependencies: ["Lagrange", "ProblemFormats", "Expressions", "BuiltInSolvers", "LagrangeTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Documentation: `make docs` (scripts/docs.sh) builds a DocC archive for every library module
// and merges them into .build/docs/Lagrange.doccarchive, with the toolchain's own `docc`.
// swift-docc-plugin is deliberately not a dependency: as one, every `swift build` of a fresh
// clone (and `make test` in CI) would fetch it and swift-docc-symbolkit, for a command that
// only `make docs` needs; the plugin's `--target Lagrange` would also document the umbrella
// alone, whose modules are re-exported.
