import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
@testable import ProblemFormats
import Testing

@Suite("MPS writer")
struct MPSWriterTests {
    @Test("every fixture round-trips to an equal LinearProgram")
    func fixturesRoundTrip() throws {
        #expect(!lpReference.isEmpty)
        for row in lpReference {
            let name = row["name"] ?? ""
            let lp = try MPSReader.read(contentsOf: Fixtures.path("lp/\(name).mps")).linearProgram
            let text = MPSWriter.write(lp)
            for format in [MPSFormat.automatic, .free] {
                let back = try MPSReader.parse(text, file: name, format: format).linearProgram
                #expect(back == lp, "\(name) (\(format))")
            }
            // Writing is a fixed point after one round trip.
            #expect(MPSWriter.write(try MPSReader.parse(text).linearProgram) == text, "\(name)")
        }
    }

    @Test("sense, c0, integers, explicit zeros, empty columns, free and ranged rows round-trip")
    func everythingRoundTrips() throws {
        let a = try SparseMatrix(rowCount: 4, columnCount: 5, triplets: [
            (0, 0, 1), (1, 0, 0.1), (0, 1, 0), (2, 1, -3e-17), (3, 3, 1e20), (1, 3, 0.30000000000000004),
        ])
        let lp = try LinearProgram(
            name: "mixed problem", sense: .maximize, objective: [1, -0.1, 0, 2.5, 0],
            objectiveConstant: -123.456, constraints: a,
            rowLower: [-.infinity, 0.1, -1e20, 7], rowUpper: [.infinity, 0.3, 1, 7],
            columnLower: [-.infinity, 0, -5, 1.5, -.infinity], columnUpper: [-1, 1, 5, 1.5, .infinity],
            variableNames: ["x", "y", "z", "w", "empty"], constraintNames: ["free", "ranged", "wide", "eq"],
            integerColumns: [1, 2, 4], objectiveName: "profit")
        let text = MPSWriter.write(lp)
        let model = try MPSReader.parse(text)
        #expect(model.linearProgram == lp)
        #expect(model.linearProgram.constraints.nonzeroCount == 6)  // explicit zero kept
        #expect(model.notes.contains("3 integer columns"))
    }

    @Test("quadratic objective round-trips through QUADOBJ")
    func quadraticRoundTrip() throws {
        let lp = try LinearProgram(objective: [1, 2, 3], constraints: try SparseMatrix(rowCount: 1, columnCount: 3, triplets: [(0, 0, 1), (0, 2, 1)]),
                                   rowLower: [1], rowUpper: [.infinity])
        let q = try SparseMatrix(rowCount: 3, columnCount: 3, triplets: [
            (0, 0, 2), (1, 0, -0.5), (0, 1, -0.5), (1, 1, 1), (2, 2, 1e-3),
        ])
        let model = try MPSReader.parse(MPSWriter.write(lp, quadratic: q))
        #expect(model.linearProgram == lp)
        #expect(model.quadratic == q)
    }

    /// The reader's bounds for a written ranged row.
    private func readBack(_ r: (type: Character, rhs: Double, range: Double)) -> (Double, Double) {
        r.type == "G" ? (r.rhs, r.rhs + abs(r.range)) : (r.rhs - abs(r.range), r.rhs)
    }

    @Test("ranged rows: rhs and range reproduce the bounds exactly")
    func exactRanges() {
        var rng = SeededGenerator(seed: 7)
        func draw() -> Double {
            let v = (rng.nextUnit() * 2 - 1) * pow10(Double(rng.nextIndex(below: 40)) - 20)
            return rng.nextIndex(below: 8) == 0 ? (v * 1000).rounded() / 1000 : v
        }
        var misses = 0, trials = 0, fromRangeFailures = 0, worstMiss = 0.0
        for _ in 0..<20_000 {
            var lo = draw(), hi = draw()
            if lo > hi { swap(&lo, &hi) }
            guard lo < hi else { continue }
            trials += 1
            let back = readBack(MPSWriter.rangeFor(lower: lo, upper: hi))
            if back != (lo, hi) {
                // Some pairs admit no exact double R (hi − lo needs more bits than a double):
                // the written row is then off by at most one ulp of one bound.
                misses += 1
                worstMiss = max(worstMiss, abs(back.0 - lo) / lo.ulp, abs(back.1 - hi) / hi.ulp)
            }
            // Bounds that some MPS file produced (rhs ± R) always come back exactly.
            let rhs = draw(), width = abs(draw())
            guard width > 0 else { continue }
            for pair in [(rhs, rhs + width), (rhs - width, rhs)] where pair.0 < pair.1 {
                if readBack(MPSWriter.rangeFor(lower: pair.0, upper: pair.1)) != pair { fromRangeFailures += 1 }
            }
        }
        #expect(fromRangeFailures == 0)
        #expect(worstMiss <= 1)
        #expect(misses * 100 < 3 * trials, "\(misses) of \(trials) random pairs not exact")
        for (lo, hi) in [(0.1, 0.3), (-1e20, 1), (1e-20, 1), (-2, 3), (1, 1 + 0x1p-52)] {
            #expect(readBack(MPSWriter.rangeFor(lower: lo, upper: hi)) == (lo, hi), "[\(lo), \(hi)]")
        }
    }

    @Test("names with spaces are written with underscores; an objective name clash is avoided")
    func sanitizedNames() throws {
        let lp = try LinearProgram(name: "p", objective: [1], constraints: try SparseMatrix(rowCount: 1, columnCount: 1, triplets: [(0, 0, 1)]),
                                   rowLower: [0], rowUpper: [1], variableNames: ["my x"], constraintNames: ["obj"], objectiveName: "obj")
        let back = try MPSReader.parse(MPSWriter.write(lp)).linearProgram
        #expect(back.variableNames == ["my_x"])
        #expect(back.constraintNames == ["obj"])
        #expect(back.objectiveName == "obj_1")
        #expect(back.rowLower == [0] && back.rowUpper == [1])
    }

    @Test("numbers are written in shortest round-trip form")
    func numberFormat() {
        #expect(MPSWriter.number(1) == "1")
        #expect(MPSWriter.number(0.1) == "0.1")
        #expect(MPSWriter.number(-2.5e-7) == "-2.5e-07")
        #expect(MPSWriter.number(1e30) == "1e+30")
        for v in [0.1 + 0.2, 1.0 / 3, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -0.0] {
            #expect(Double(MPSWriter.number(v)) == v)
        }
    }
}

private func pow10(_ e: Double) -> Double {
    var r = 1.0
    let n = Int(abs(e))
    for _ in 0..<n { r *= 10 }
    return e < 0 ? 1 / r : r
}
