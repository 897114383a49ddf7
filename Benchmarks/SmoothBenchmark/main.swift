// Smooth-family benchmark (release build): reverse-mode gradient cost versus one function
// evaluation on the extended Rosenbrock function, and native BFGS versus GSL BFGS2 total
// function evaluations on the shared MGH set. Usage: smooth-benchmark [functions.tsv]
import Foundation
import Lagrange
import LagrangeGSL

/// The native solvers and GSL's (the comparison needs gsl.*).
let registry = SolverRegistry.standard.registeringGSL()

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: smooth-benchmark [functions.tsv]
           reverse-mode gradient cost on extended Rosenbrock, then native.bfgs against gsl.bfgs2
           evaluation counts on the test functions (default Tests/Fixtures/smooth/functions.tsv)
    """)
    exit(0)
}

func seconds(_ repeats: Int, _ body: () -> Void) -> Double {
    let start = IterationControl.now()
    for _ in 0..<repeats { body() }
    return (IterationControl.now() - start) / Double(repeats)
}

let n = 1000
let text = (0..<(n / 2)).map { i in "100*(x\(2 * i + 2) - x\(2 * i + 1)^2)^2 + (1 - x\(2 * i + 1))^2" }.joined(separator: " + ")
let f = try CompiledExpression(text, variables: (1...n).map { "x\($0)" })
let x = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
var gradient = Array(repeating: 0.0, count: n)
var sink = 0.0
for _ in 0..<50 { sink += f.value(at: x); sink += f.valueAndGradient(at: x, gradient: &gradient) }
let repeats = 2000
var best = (value: Double.infinity, gradient: Double.infinity)
for _ in 0..<5 {
    best.value = min(best.value, seconds(repeats) { sink += f.value(at: x) })
    best.gradient = min(best.gradient, seconds(repeats) { sink += f.valueAndGradient(at: x, gradient: &gradient) })
}
print("extended Rosenbrock n = \(n): tape \(f.tape.count) nodes")
print(String(format: "  f: %.2f µs   f + gradient (reverse mode): %.2f µs   ratio %.2f", best.value * 1e6, best.gradient * 1e6, best.gradient / best.value))

let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Tests/Fixtures/smooth/functions.tsv"
guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
    FileHandle.standardError.write(Data("smooth-benchmark: cannot read \(path) (see --help)\n".utf8))
    exit(2)
}
let lines = contents.split(separator: "\n").map(String.init)
let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
var totals: [String: Int] = [:]
print("\nfunction evaluations (tolerance 1e-10, max 20000 iterations):")
print("name\tnative.bfgs\tgsl.bfgs2\tnative f\tgsl f")
for line in lines.dropFirst() {
    let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    var row: [String: String] = [:]
    for (i, key) in header.enumerated() where i < cells.count { row[key] = cells[i] }
    let dimension = Int(row["n"]!)!
    let objective = try CompiledExpression(row["expression"]!, variables: (1...dimension).map { "x\($0)" })
    let start = row["x0"]!.split(separator: ",").compactMap { Double($0) }
    let problem = Problem.smooth(try SmoothProblem(start: start, objective: objective))
    var cellsOut = [row["name"]!]
    var values: [String] = []
    for id in ["native.bfgs", "gsl.bfgs2"] {
        let r = try registry.solve(problem, solverID: id, options: SolveOptions(maxIterations: 20_000, tolerance: 1e-10))
        let evaluations = r.details(as: SmoothDetails.self)?.functionEvaluations ?? 0
        totals[id, default: 0] += evaluations
        cellsOut.append("\(evaluations)")
        values.append(String(format: "%.10g", r.objective ?? .nan))
    }
    print((cellsOut + values).joined(separator: "\t"))
}
print("total\t\(totals["native.bfgs"] ?? 0)\t\(totals["gsl.bfgs2"] ?? 0)")
if sink == 42 { print("") }
