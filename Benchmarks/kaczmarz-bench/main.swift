// kaczmarz-bench: the measurements behind docs/benchmarks-kaczmarz.md.
//
//   kaczmarz-bench bandwidth                     read bandwidth of this machine (STREAM-like sum)
//   kaczmarz-bench throughput dense|sparse STEPS row updates per second of native.kaczmarz
//   kaczmarz-bench tall                          time to relative error 1e-6 as κ grows
//   kaczmarz-bench memory dense|sparse SOLVER|none   one solve, for /usr/bin/time -v
//   kaczmarz-bench file PROBLEM.yaml [REPEATS]   the file's solve REPEATS times (read once):
//                                                wall and CPU seconds of each solve
//
// Instances are generated in memory from fixed seeds (nothing is written to disk); only
// the solve is timed (SolveResult.seconds).
import Foundation
import Lagrange
import LagrangeGSL

/// The native solvers and GSL's (the comparison needs gsl.*).
let registry = SolverRegistry.standard.registeringGSL()

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: kaczmarz-bench bandwidth                         read bandwidth of this machine
           kaczmarz-bench throughput dense|sparse STEPS      row updates per second of native.kaczmarz
           kaczmarz-bench tall                              time to relative error 1e-6 as κ grows
           kaczmarz-bench memory dense|sparse SOLVER|none   one solve, for /usr/bin/time -v
           kaczmarz-bench file PROBLEM.yaml [REPEATS]        the file's own solve, REPEATS times (default 5):
                                                            wall and CPU seconds of each
    """)
    exit(0)
}

func now() -> Double { IterationControl.now() }

/// CPU seconds of this process (user + system): robust to other processes sharing the cores.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}
nonisolated(unsafe) var lastCPU = 0.0

/// Dense m×n Gaussian system, b = A x_true.
func denseSystem(m: Int, n: Int, seed: UInt64) throws -> LinearSystemProblem {
    var g = SeededGenerator(seed: seed)
    var a = DenseMatrix(rows: m, columns: n)
    for i in 0..<(m * n) { a.storage[i] = g.nextGaussian() }
    let x = (0..<n).map { _ in g.nextGaussian() }
    return try LinearSystemProblem(matrix: .dense(a), rightHandSide: a.multiply(x), knownSolution: x)
}

/// Sparse m×n system with `perRow` distinct random columns per row, stored by rows.
func sparseSystem(m: Int, n: Int, perRow: Int, seed: UInt64) throws -> LinearSystemProblem {
    var g = SeededGenerator(seed: seed)
    var starts = [0]
    var columns: [Int] = []
    var values: [Double] = []
    starts.reserveCapacity(m + 1)
    columns.reserveCapacity(m * perRow)
    values.reserveCapacity(m * perRow)
    var row: [Int] = []
    for _ in 0..<m {
        row.removeAll(keepingCapacity: true)
        while row.count < perRow {
            let j = g.nextIndex(below: n)
            if !row.contains(j) { row.append(j) }
        }
        row.sort()
        for j in row { columns.append(j); values.append(g.nextGaussian()) }
        starts.append(columns.count)
    }
    let transpose = try SparseMatrix(rowCount: n, columnCount: m, columnStarts: starts, rowIndices: columns, values: values)
    let matrix = SystemMatrix.sparseRows(transpose: transpose)
    let x = (0..<n).map { _ in g.nextGaussian() }
    return try LinearSystemProblem(matrix: matrix, rightHandSide: matrix.multiply(x), knownSolution: x)
}

/// Orthonormal columns by modified Gram–Schmidt (twice, for accuracy).
func orthonormalColumns(_ a: inout DenseMatrix) {
    for _ in 0..<2 {
        for j in 0..<a.columns {
            for k in 0..<j {
                var d = 0.0
                for i in 0..<a.rows { d += a[i, k] * a[i, j] }
                for i in 0..<a.rows { a[i, j] -= d * a[i, k] }
            }
            var s = 0.0
            for i in 0..<a.rows { s += a[i, j] * a[i, j] }
            let inv = 1 / s.squareRoot()
            for i in 0..<a.rows { a[i, j] *= inv }
        }
    }
}

/// A = U diag(s) Vᵀ with s geometric from 1 to 1/κ: condition number exactly κ.
func conditionedSystem(m: Int, n: Int, kappa: Double, seed: UInt64) throws -> LinearSystemProblem {
    var g = SeededGenerator(seed: seed)
    var u = DenseMatrix(rows: m, columns: n)
    var v = DenseMatrix(rows: n, columns: n)
    for i in 0..<(m * n) { u.storage[i] = g.nextGaussian() }
    for i in 0..<(n * n) { v.storage[i] = g.nextGaussian() }
    orthonormalColumns(&u)
    orthonormalColumns(&v)
    var a = DenseMatrix(rows: m, columns: n)
    for k in 0..<n {
        let s = pow(kappa, -Double(k) / Double(n - 1))
        for i in 0..<m {
            let uik = u[i, k] * s
            for j in 0..<n { a[i, j] += uik * v[j, k] }
        }
    }
    let x = (0..<n).map { _ in g.nextGaussian() }
    return try LinearSystemProblem(matrix: .dense(a), rightHandSide: a.multiply(x), knownSolution: x)
}

func solve(_ p: LinearSystemProblem, _ solver: String, _ parameters: [String: OptionValue], maxIterations: Int? = nil,
           tolerance: Double? = nil, timeLimit: Double? = nil) throws -> SolveResult {
    let c0 = cpuSeconds()
    let r = try registry.solve(.linearSystem(p), solverID: solver,
                                              options: SolveOptions(maxIterations: maxIterations, timeLimit: timeLimit, tolerance: tolerance,
                                                                    seed: 1, historyStorage: .bounded(200), parameters: parameters))
    lastCPU = cpuSeconds() - c0
    return r
}

func bandwidth() -> Double {
    let count = 64 << 20 / 8 * 4 // 256 MiB of doubles
    let data = [Double](repeating: 1.0, count: count)
    var best = 0.0
    for _ in 0..<5 {
        let t = now()
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        data.withUnsafeBufferPointer { p in
            var i = 0
            while i + 4 <= count { s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3]; i += 4 }
        }
        let dt = now() - t
        if s0 + s1 + s2 + s3 != Double(count) { print("checksum") }
        best = max(best, Double(count * 8) / dt)
    }
    return best
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { print("usage: see the header of main.swift"); exit(2) }
switch arguments[1] {
case "bandwidth":
    print(String(format: "read bandwidth: %.2f GB/s", bandwidth() / 1e9))
case "throughput":
    let dense = arguments.count > 2 && arguments[2] == "dense"
    let steps = arguments.count > 3 ? Int(arguments[3]) ?? 2_000_000 : 2_000_000
    let p = dense ? try denseSystem(m: 20_000, n: 200, seed: 1) : try sparseSystem(m: 200_000, n: 1_000, perRow: 10, seed: 1)
    let entries = p.matrix.storedCount
    for sampling in ["norm", "uniform"] {
        let r = try solve(p, "native.kaczmarz", ["stop": .string("iterations"), "sampling": .string(sampling),
                                                 "record_every": .number(Double(steps))], maxIterations: steps)
        let perRow = Double(entries) / Double(p.matrix.rowCount)
        // Bytes a step must read from A: values (8 B) and, for sparse rows, indices (8 B).
        let bytesPerRow = dense ? 8 * perRow : 16 * perRow + 8
        print(String(format: "%@ %dx%d nnz/row %.0f sampling %@: %d steps in %.3f s wall, %.3f s CPU = %.3g row updates per CPU s (%.0f B/row → %.2f GB/s of A)",
                     dense ? "dense" : "sparse", p.matrix.rowCount, p.matrix.columnCount, perRow, sampling, r.iterations, r.seconds, lastCPU,
                     Double(r.iterations) / lastCPU, bytesPerRow, Double(r.iterations) * bytesPerRow / lastCPU / 1e9))
    }
case "tall":
    let m = 4000, n = 100
    print("m=\(m) n=\(n); time to ‖x − x_true‖ ≤ 1e-6·‖x_true‖ (60 s cap)")
    for kappa in [2.0, 10, 100, 1000] {
        let p = try conditionedSystem(m: m, n: n, kappa: kappa, seed: 5)
        for solver in ["native.kaczmarz", "native.cgls", "gsl.qr"] {
            let iterative = solver != "gsl.qr"
            let r = try solve(p, solver, iterative ? ["stop": .string("error")] : [:], maxIterations: iterative ? 2_000_000_000 : nil,
                              tolerance: 1e-6, timeLimit: 60)
            let rel = r.details(as: LinearSystemDetails.self)?.relativeError ?? .nan
            print(String(format: "kappa %6.0f %-16@ %-15@ %8.3f s wall %8.3f s CPU  iterations %10d  relative error %.2e",
                         kappa, solver, r.status.rawValue, r.seconds, lastCPU, r.iterations, rel))
        }
    }
case "memory":
    let dense = arguments.count > 2 && arguments[2] == "dense"
    let solver = arguments.count > 3 ? arguments[3] : "none"
    let p = dense ? try denseSystem(m: 20_000, n: 200, seed: 1) : try sparseSystem(m: 200_000, n: 1_000, perRow: 10, seed: 1)
    if solver != "none" {
        let iterative = !solver.hasPrefix("gsl")
        // 200 000 row steps (REK: 2 000, each also a column of m entries), 50 CGLS iterations.
        let steps = solver == "native.cgls" ? 50 : (solver == "native.kaczmarz-extended" ? 2_000 : 200_000)
        let r = try solve(p, solver, iterative ? ["stop": .string("iterations")] : [:], maxIterations: iterative ? steps : nil)
        print("\(solver): \(r.status.rawValue) in \(r.seconds) s")
    }
    let bytes: Int
    switch p.matrix {
    case .dense(let a): bytes = a.storage.count * 8
    case .sparse(let s), .sparseRows(let s): bytes = s.nonzeroCount * 16 + (s.columnCount + 1) * 8
    }
    print(String(format: "A storage: %.1f MiB", Double(bytes) / 1048576))
case "file":
    // The file's solver and options, as `lagrange solve` would run them (Kaczmarz
    // benchmarks: docs/benchmarks-kaczmarz.md §5); the reading is not timed.
    guard arguments.count > 2 else { print("usage: kaczmarz-bench file PROBLEM.yaml [REPEATS]"); exit(2) }
    let definition = try ProblemFileReader.load(arguments[2])
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
    let solverID = definition.solverID ?? "native.kaczmarz"
    for _ in 0..<repeats {
        let c0 = cpuSeconds()
        let r = try registry.solve(definition.problem, solverID: solverID, options: definition.options)
        let cpu = cpuSeconds() - c0
        let rel = r.details(as: LinearSystemDetails.self)?.relativeError ?? .nan
        print(String(format: "%@ %@ %d steps: %.5f s wall %.5f s CPU relative error %.17g",
                     solverID, r.status.rawValue, r.iterations, r.seconds, cpu, rel))
    }
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}
