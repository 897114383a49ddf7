// Building a model with 10⁶ nonzeros through the modelling layer against building the same
// matrix with SparseMatrix(triplets:) (issue #19: at most 2×). Run in release:
//   swift run -c release model-bench [rows] [columns] [per-row]
import Foundation
import Lagrange

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("""
    usage: model-bench [rows] [columns] [per-row]
           builds a model through the modelling layer and the same matrix with SparseMatrix(triplets:)
    """)
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rows = arguments.count > 0 ? arguments[0] : 1000
let columns = arguments.count > 1 ? arguments[1] : 10_000
let perRow = arguments.count > 2 ? arguments[2] : 1000
let repeats = 7

/// Row i's k-th entry: column (7i + 13k) mod n (distinct in a row while n and 13 are coprime
/// and perRow ≤ n) and a small integer coefficient.
@inline(__always) func entry(_ i: Int, _ k: Int) -> (column: Int, value: Double) {
    ((7 * i + 13 * k) % columns, Double(1 + (i + k) % 17))
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func best(_ values: [Double]) -> Double { values.min() ?? .nan }

var tripletTimes: [Double] = [], modelTimes: [Double] = [], checksum = 0.0
for _ in 0..<repeats {
    tripletTimes.append(try seconds {
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(rows * perRow)
        for i in 0..<rows {
            for k in 0..<perRow {
                let (j, v) = entry(i, k)
                triplets.append((i, j, v))
            }
        }
        let a = try SparseMatrix(rowCount: rows, columnCount: columns, triplets: triplets)
        checksum += Double(a.nonzeroCount)
    })
    modelTimes.append(try seconds {
        var model = Model(name: "bench")
        let x = model.addVariables("x", count: columns, lowerBound: 0)
        var coefficients = [Double](repeating: 0, count: perRow)
        var variables = [Variable](repeating: x[0], count: perRow)
        for i in 0..<rows {
            for k in 0..<perRow {
                let (j, v) = entry(i, k)
                coefficients[k] = v
                variables[k] = x[j]
            }
            model.addConstraint(dot(coefficients, variables) <= 1)
        }
        model.minimize(x.sum())
        if case .linear(let lp) = try model.problem { checksum += Double(lp.constraints.nonzeroCount) }
    })
}
if ProcessInfo.processInfo.environment["MODEL_BENCH_PHASES"] != nil {
    var model = Model(name: "bench")
    var t = DispatchTime.now().uptimeNanoseconds
    func lap(_ label: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        print(label, Double(now - t) / 1e9)
        t = now
    }
    let x = model.addVariables("x", count: columns, lowerBound: 0)
    lap("variables")
    var coefficients = [Double](repeating: 0, count: perRow)
    var variables = [Variable](repeating: x[0], count: perRow)
    var expressions: [LinearExpression] = []
    for i in 0..<rows {
        for k in 0..<perRow {
            let (j, v) = entry(i, k)
            coefficients[k] = v
            variables[k] = x[j]
        }
        expressions.append(dot(coefficients, variables))
    }
    lap("expressions")
    var constraints: [LinearConstraint] = []
    for e in expressions { constraints.append(e <= 1) }
    lap("comparisons")
    for c in constraints { model.addConstraint(c) }
    lap("addConstraint")
    _ = try model.problem
    lap("problem")
}
if ProcessInfo.processInfo.environment["MODEL_BENCH_PLUS"] != nil {
    // `e = e + x` in a loop: linear when the optimizer moves `e` into the consuming `+`.
    var model = Model()
    let v = model.addVariables("v", count: 100)
    for n in [50_000, 100_000, 200_000] {
        let time = seconds {
            var e = LinearExpression()
            for k in 0..<n { e = e + v[k % 100] }
            checksum += Double(e.termCount)
        }
        print(String(format: "e = e + x, %d terms: %.4f s", n, time))
    }
}
print("\(rows) rows × \(columns) columns, \(rows * perRow) nonzeros, \(repeats) runs (median, best)")
print(String(format: "SparseMatrix(triplets:)          %.3f s  %.3f s", median(tripletTimes), best(tripletTimes)))
print(String(format: "Model (variables, rows, problem) %.3f s  %.3f s", median(modelTimes), best(modelTimes)))
print(String(format: "ratio %.2f (median)  %.2f (best)  (checksum %.0f)", median(modelTimes) / median(tripletTimes),
             best(modelTimes) / best(tripletTimes), checksum))
