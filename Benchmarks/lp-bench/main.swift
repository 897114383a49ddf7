// lp-bench: solves the shared Netlib set with the native and GLPK LP solvers in one
// process and prints a side-by-side table. Build in release mode:
//
//   swift run -c release lp-bench [DIR] [--solver ID ...] [--runs N] [--only NAME ...]
//                                 [--set NAME=VALUE ...]   (solver parameters, e.g. pricing=devex)
//                                 [--set ID:NAME=VALUE ...] (a parameter for solver ID only)
//                                 [--cpu]                   (time solves by thread CPU time)
//
// DIR defaults to Tests/Fixtures/lp (copies of ../shared/data/lp). Each file is read
// once; only the solve is timed (median of N runs, default 3).
import GLPKSolvers
import Lagrange
import NativeSolvers
#if canImport(Glibc)
import Glibc

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: lp-bench [DIR] [--solver ID ...] [--runs N] [--only NAME ...]
                    [--set NAME=VALUE ...] [--set ID:NAME=VALUE ...] [--cpu] [--stats]
           DIR defaults to Tests/Fixtures/lp; only the solve is timed (median of N runs, default 3)
    """)
    exit(0)
}
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
var directory = "Tests/Fixtures/lp"
var solverIDs: [String] = []
var only: [String] = []
var runs = 3
var verbose = false
/// Time solves by this thread's CPU time instead of the wall clock: on a shared machine
/// the wall clock also counts the time other processes hold the core.
var cpuTime = false
@MainActor func solveClock() -> Double {
    guard cpuTime else { return IterationControl.now() }
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + 1e-9 * Double(spec.tv_nsec)
}
var parameters: [String: OptionValue] = [:]
/// Parameters given as ID:NAME=VALUE, passed to solver ID only (so one run can compare
/// a native option against a C solver that would reject it).
var solverParameters: [String: [String: OptionValue]] = [:]
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--solver": if let v = arguments.first { solverIDs.append(v); arguments.removeFirst() }
    case "--only": if let v = arguments.first { only.append(v); arguments.removeFirst() }
    case "--runs": if let v = arguments.first, let n = Int(v), n >= 1 { runs = n; arguments.removeFirst() }
    case "--verbose": verbose = true
    case "--cpu": cpuTime = true
    case "--set":
        if let v = arguments.first, let equals = v.firstIndex(of: "=") {
            let key = String(v[..<equals]), value = OptionValue.string(String(v[v.index(after: equals)...]))
            if let colon = key.lastIndex(of: ":") {
                solverParameters[String(key[..<colon]), default: [:]][String(key[key.index(after: colon)...])] = value
            } else {
                parameters[key] = value
            }
            arguments.removeFirst()
        }
    case "--stats": break
    default: directory = argument
    }
}
if solverIDs.isEmpty { solverIDs = ["native.ipm", "native.simplex", "glpk.simplex", "glpk.interior"] }

var registry = SolverRegistry()
registry.register(NativeInteriorPointSolver())
registry.register(GLPKSimplexSolver())
registry.register(GLPKInteriorSolver())
if let simplex = nativeSimplexPlugin() { registry.register(simplex) }
solverIDs = solverIDs.filter { registry.plugin(id: $0) != nil }

/// Rows of reference.tsv by problem name.
func readReference(_ path: String) -> [[String: String]] {
    guard let f = fopen(path, "rb") else { return [] }
    defer { fclose(f) }
    var text = ""
    var buffer = [CChar](repeating: 0, count: 1 << 16)
    while fgets(&buffer, Int32(buffer.count), f) != nil { text += cString(buffer) }
    let lines = text.split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().map { line in
        let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var row: [String: String] = [:]
        for (i, key) in header.enumerated() where i < cells.count { row[key] = cells[i] }
        return row
    }
}

func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
func format(_ v: Double, _ digits: Int = 2) -> String {
    guard v.isFinite else { return "-" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([v]) { vsnprintf(&buffer, 64, "%.\(digits)e", $0) }
    return cString(buffer)
}
func milliseconds(_ v: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([v * 1000]) { vsnprintf(&buffer, 64, "%.2f", $0) }
    return cString(buffer)
}

let reference = readReference(directory + "/reference.tsv").filter { !$0["name", default: ""].hasPrefix("tiny_") || !only.isEmpty }
var header = pad("problem", 10)
for id in solverIDs { header += " | " + pad(id + " ms", 20) + pad("it", 5) + pad("relerr", 10) }
header += " | " + pad("highs ms", 9) + pad("glpsol ms", 10)
print(header)
var logTimes: [String: [Double]] = [:]
var slowestRatio: (Double, String) = (0, "")
var highsLog: [Double] = []
for row in reference {
    guard let name = row["name"] else { continue }
    if !only.isEmpty && !only.contains(name) { continue }
    let expected = Double(row["expected_objective"] ?? "") ?? .nan
    let model: MPSModel
    do { model = try MPSReader.read(contentsOf: directory + "/" + name + ".mps") } catch {
        print("\(name): \(error)"); continue
    }
    if CommandLine.arguments.contains("--stats") {
        print("\(name): " + NativeInteriorPointSolver.presolveSummary(of: model.linearProgram))
        let a = model.linearProgram.constraints
        let start = IterationControl.now()
        if let normal = try? NormalEquationsMatrix(a) {
            let t = IterationControl.now() - start
            var longest = 0
            for j in 0..<a.columnCount { longest = max(longest, a.columnStarts[j + 1] - a.columnStarts[j]) }
            print("\(name): m \(a.rowCount) n \(a.columnCount) nnz(A) \(a.nonzeroCount) longest column \(longest) nnz(AAᵀ lower) \(normal.pattern.nonzeroCount) nnz(L) \(normal.symbolic.factorNonzeros) dense block \(normal.symbolic.dimension - normal.symbolic.denseStart) analyze \(milliseconds(t)) ms")
        }
    }
    var line = pad(name, 10)
    var timesHere: [String: Double] = [:]
    for id in solverIDs {
        var times: [Double] = []
        var last: SolveResult?
        for _ in 0..<runs {
            let options = SolveOptions(historyStorage: verbose ? .all : .off,
                                       parameters: parameters.merging(solverParameters[id] ?? [:]) { $1 })
            let start = solveClock()
            do {
                last = try registry.solve(.linear(model.linearProgram), name: name, solverID: id, options: options)
            } catch { print("\(name) \(id): \(error)") }
            times.append(solveClock() - start)
        }
        times.sort()
        let median = times[times.count / 2]
        timesHere[id] = median
        logTimes[id, default: []].append(log(median))
        let objective = last?.objective ?? .nan
        let error = abs(objective - expected) / max(1, abs(expected))
        let status = last?.status ?? .numericalError
        let cell = status == .optimal ? format(error) : String(status.rawValue.prefix(9))
        line += " | " + pad(milliseconds(median), 20) + pad(String(last?.iterations ?? 0), 5) + pad(cell, 10)
        if verbose, let last {
            for r in last.history.records {
                print("   \(id) it \(r.iteration) obj \(r.objective ?? .nan) p \(format(r.primalResidual ?? .nan)) d \(format(r.dualResidual ?? .nan)) gap \(format(r.gap ?? .nan)) \(r.extras.map { "\($0.name)=\(format($0.value))" }.joined(separator: " "))")
            }
            if let kkt = last.kkt { print("   kkt p \(kkt.primalInfeasibility) d \(kkt.dualInfeasibility) c \(kkt.complementarity)") }
        }
    }
    if let native = timesHere["native.ipm"], let glpk = timesHere["glpk.simplex"], native / glpk > slowestRatio.0 {
        slowestRatio = (native / glpk, name)
    }
    let highs = Double(row["highs_seconds"] ?? "") ?? .nan
    highsLog.append(log(highs))
    line += " | " + pad(milliseconds(highs), 9) + pad(milliseconds(Double(row["glpk_seconds"] ?? "") ?? .nan), 10)
    print(line)
    fflush(nil)
}
var footer = pad("geo-mean", 10)
for id in solverIDs {
    let logs = logTimes[id] ?? []
    let mean = logs.isEmpty ? Double.nan : exp(logs.reduce(0, +) / Double(logs.count))
    footer += " | " + pad(milliseconds(mean), 20) + pad("", 15)
}
footer += " | " + pad(milliseconds(exp(highsLog.reduce(0, +) / Double(max(1, highsLog.count)))), 9)
print(footer)
if slowestRatio.0 > 0 {
    print("largest native.ipm / glpk.simplex time ratio: \(slowestRatio.0) on \(slowestRatio.1)")
}
