// Timing driver for docs/benchmarks-maxflow.md (not a user CLI).
//
//   maxflow-bench FILE.max [SOLVER ...]     read once, then solve with each solver (3 runs, median)
//   maxflow-bench --read-only FILE.max      read only (for peak-memory measurements of the reader)
//   maxflow-bench --svg FILE OUT.svg        solve with the default solver and draw the cut
import Foundation
import Lagrange

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: maxflow-bench FILE.max [SOLVER ...]     read once, then solve with each solver (3 runs, median)
           maxflow-bench --read-only FILE.max      read only (peak memory of the reader)
           maxflow-bench --svg FILE OUT.svg        solve with the default solver and draw the cut
    """)
    exit(0)
}

func now() -> Double { IterationControl.now() }

var arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--svg", arguments.count == 3 {
        let definition = try ProblemFileReader.load(arguments[1])
        guard case .maxFlow(let problem) = definition.problem else { throw InputError("not a max-flow problem") }
        let result = try SolverRegistry.standard.solve(definition)
        guard let details = result.details(as: MaxFlowDetails.self) else { throw InputError("no max-flow details") }
        try MaxFlowPicture.svg(problem: problem, details: details).write(toFile: arguments[2], atomically: true, encoding: .utf8)
        print("wrote \(arguments[2]): flow \(details.flowValue)")
        exit(0)
    }
    let readOnly = arguments.first == "--read-only"
    if readOnly { arguments.removeFirst() }
    guard let path = arguments.first else {
        print("usage: maxflow-bench [--read-only] FILE.max [SOLVER ...] | --svg FILE OUT.svg")
        exit(2)
    }
    let start = now()
    let definition = try ProblemFileReader.load(path)
    let readSeconds = now() - start
    guard case .maxFlow(let problem) = definition.problem else { throw InputError("not a max-flow problem") }
    print("read \(path): \(problem.nodeCount) nodes, \(problem.arcCount) arcs in \(String(format: "%.3f", readSeconds)) s")
    if readOnly { exit(0) }
    let solvers = arguments.count > 1 ? Array(arguments.dropFirst()) : ["native.push-relabel", "native.dinic"]
    let repeats = Int(ProcessInfo.processInfo.environment["REPEATS"] ?? "3") ?? 3
    for id in solvers {
        var times: [Double] = []
        var value: Int64 = -1
        var iterations = 0
        for _ in 0..<repeats {
            var options = SolveOptions(historyStorage: .off, parameters: ["arc_flows": .bool(false)])
            // PARAMS="name=value,..." passes solver options (numbers) for tuning runs.
            for pair in (ProcessInfo.processInfo.environment["PARAMS"] ?? "").split(separator: ",") {
                let kv = pair.split(separator: "=")
                if kv.count == 2, let v = Double(kv[1]) { options.parameters[String(kv[0])] = .number(v) }
            }
            let result = try SolverRegistry.standard.solve(definition, solverID: id, options: options)
            times.append(result.seconds)
            value = result.details(as: MaxFlowDetails.self)?.flowValue ?? -1
            iterations = result.iterations
            if result.status != .optimal { print("  \(id): status \(result.status.rawValue)") }
        }
        times.sort()
        print("  \(id): flow \(value), median \(String(format: "%.3f", times[times.count / 2])) s (min \(String(format: "%.3f", times[0])), \(iterations) iterations)")
    }
} catch {
    print("error: \(error)")
    exit(2)
}
