// qp-bench: solves the shared Maros–Mészáros QP set with native.ipm (and, for the
// equality-constrained problems, native.kkt) and prints the times beside the Clarabel
// and OSQP columns of reference.tsv. Build in release mode:
//
//   swift run -c release qp-bench [DIR] [--solver ID ...] [--runs N] [--only NAME ...] [--tolerance T]
//
// DIR defaults to Tests/Fixtures/qp (copies of ../shared/data/qp). Each file is read once;
// only the solve is timed (median of N runs, default 5), with history storage off.
// The reference columns come from another machine: for same-machine ratios run
// `python3 ../shared/bench/peers.py qp ../shared/data/qp` in the same session.
import Lagrange
#if canImport(Glibc)
import Glibc

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: qp-bench [DIR] [--solver ID ...] [--runs N] [--only NAME ...] [--tolerance T]
           DIR defaults to Tests/Fixtures/qp; only the solve is timed (median of N runs, default 5)
    """)
    exit(0)
}
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
var directory = "Tests/Fixtures/qp"
var solverIDs: [String] = []
var only: [String] = []
var runs = 5
var tolerance: Double?
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--solver": if let v = arguments.first { solverIDs.append(v); arguments.removeFirst() }
    case "--only": if let v = arguments.first { only.append(v); arguments.removeFirst() }
    case "--runs": if let v = arguments.first, let n = Int(v), n >= 1 { runs = n; arguments.removeFirst() }
    case "--tolerance": if let v = arguments.first, let t = Double(v) { tolerance = t; arguments.removeFirst() }
    default: directory = argument
    }
}
if solverIDs.isEmpty { solverIDs = ["native.ipm", "native.kkt"] }
let registry = SolverRegistry.standard

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
func formatted(_ v: Double, _ spec: String) -> String {
    guard v.isFinite else { return "-" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([v]) { vsnprintf(&buffer, 64, spec, $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
func milliseconds(_ v: Double) -> String { formatted(v * 1000, "%.3f") }
func geometricMean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
}

let referencePath = directory + "/reference.tsv"
let referenceText = (try? TextFile.read(referencePath)) ?? ""
let lines = referenceText.split(separator: "\n").map(String.init)
let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) ?? []
let rows: [[String: String]] = lines.dropFirst().map { line in
    var row: [String: String] = [:]
    for (i, cell) in line.split(separator: "\t", omittingEmptySubsequences: false).enumerated() where i < header.count {
        row[header[i]] = String(cell)
    }
    return row
}

var title = pad("problem", 10)
for id in solverIDs { title += " | " + pad(id + " ms", 16) + pad("it", 4) + pad("relerr", 10) }
title += " | " + pad("clarabel ms", 12) + pad("osqp ms", 10)
print(title)
var times: [String: [Double]] = [:]
var clarabel: [Double] = [], osqp: [Double] = []
for row in rows {
    guard let name = row["name"], only.isEmpty || only.contains(name) else { continue }
    let published = Double(row["published_optimal"] ?? "") ?? .nan
    let definition: ProblemDefinition
    do { definition = try ProblemFileReader.load(directory + "/" + name + ".qps") } catch { print("\(name): \(error)"); continue }
    var line = pad(name, 10)
    for id in solverIDs {
        var samples: [Double] = []
        var last: SolveResult?
        var refused = false
        for _ in 0..<runs {
            let options = SolveOptions(tolerance: tolerance, historyStorage: .off)
            let start = IterationControl.now()
            do { last = try registry.solve(definition.problem, name: name, solverID: id, options: options) } catch {
                refused = true
                break
            }
            samples.append(IterationControl.now() - start)
        }
        if refused || samples.isEmpty {
            line += " | " + pad("—", 16) + pad("", 4) + pad("", 10)
            continue
        }
        samples.sort()
        let median = samples[samples.count / 2]
        times[id, default: []].append(median)
        let error = abs((last?.objective ?? .nan) - published) / max(1, abs(published))
        let status = last?.status ?? .numericalError
        let cell = status == .optimal ? formatted(error, "%.1e") : String(status.rawValue.prefix(9))
        line += " | " + pad(milliseconds(median), 16) + pad(String(last?.iterations ?? 0), 4) + pad(cell, 10)
    }
    let c = Double(row["clarabel_seconds"] ?? "") ?? .nan, o = Double(row["osqp_seconds"] ?? "") ?? .nan
    clarabel.append(c); osqp.append(o)
    line += " | " + pad(milliseconds(c), 12) + pad(milliseconds(o), 10)
    print(line)
    fflush(nil)
}
var footer = pad("geo-mean", 10)
for id in solverIDs {
    let t = times[id] ?? []
    footer += " | " + pad(milliseconds(geometricMean(t)), 16) + pad("(\(t.count))", 14)
}
footer += " | " + pad(milliseconds(geometricMean(clarabel)), 12) + pad(milliseconds(geometricMean(osqp)), 10)
print(footer)
