import LagrangeCore
import LagrangeTestSupport
import LinearAlgebra
import Testing

/// Strictly-lower nonzeros of L for `matrix` under `permutation`.
private func fill(_ matrix: SparseMatrix, _ permutation: [Int]) throws -> Int {
    try SparseLDLTSymbolic(pattern: matrix, permutation: permutation, denseTrailingDensity: nil).factorNonzeros
}

/// Lower-triangle pattern (diagonal included) from off-diagonal edges.
private func symmetricPattern(order n: Int, edges: [(Int, Int)]) throws -> SparseMatrix {
    var triplets: [(row: Int, column: Int, value: Double)] = (0..<n).map { ($0, $0, 1) }
    var seen = Set<Int>()
    for (a, b) in edges where a != b {
        let (i, j) = (max(a, b), min(a, b))
        if seen.insert(i * n + j).inserted { triplets.append((i, j, 1)) }
    }
    return try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
}

/// 5-point Laplacian pattern on a side × side grid.
private func gridEdges(side: Int) -> [(Int, Int)] {
    var edges: [(Int, Int)] = []
    for r in 0..<side { for c in 0..<side {
        let v = r * side + c
        if c + 1 < side { edges.append((v, v + 1)) }
        if r + 1 < side { edges.append((v, v + side)) }
    } }
    return edges
}

/// The constraint-matrix pattern of an MPS file (objective rows left out): enough for
/// the normal equations A Aᵀ, without depending on the MPS reader.
private func mpsPattern(_ path: String) throws -> SparseMatrix {
    var rowIndex: [String: Int] = [:]
    var freeRows = Set<String>()
    var columnIndex: [String: Int] = [:]
    var triplets: [(row: Int, column: Int, value: Double)] = []
    var section = ""
    for line in try Fixtures.text(path).split(separator: "\n", omittingEmptySubsequences: true) {
        if let first = line.first, first != " ", first != "\t" {
            section = String(line.split(separator: " ").first ?? "")
            continue
        }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if section == "ROWS", fields.count >= 2 {
            if fields[0] == "N" { freeRows.insert(fields[1]) } else { rowIndex[fields[1]] = rowIndex.count }
        } else if section == "COLUMNS", fields.count >= 3, !line.contains("MARKER") {
            let column = columnIndex[fields[0]] ?? columnIndex.count
            columnIndex[fields[0]] = column
            var k = 1
            while k + 1 < fields.count {
                if let row = rowIndex[fields[k]] { triplets.append((row, column, 1)) }
                else { #expect(freeRows.contains(fields[k]), "unknown row \(fields[k]) in \(path)") }
                k += 2
            }
        }
    }
    return try SparseMatrix(rowCount: rowIndex.count, columnCount: columnIndex.count, triplets: triplets)
}

@Suite struct OrderingTests {
    /// AMD may lose a little to exact minimum degree, not more than this factor.
    static let fillTolerance = 1.2

    private func expectFillClose(_ m: SparseMatrix, _ label: String) throws {
        let amd = MinimumDegreeOrdering.order(m)
        #expect(amd.sorted() == Array(0..<m.columnCount), "\(label): not a permutation")
        let exact = ExplicitMinimumDegree.order(m)
        let amdFill = try fill(m, amd), exactFill = try fill(m, exact)
        #expect(Double(amdFill) <= Self.fillTolerance * Double(exactFill),
                "\(label): AMD fill \(amdFill) vs exact minimum degree \(exactFill)")
    }

    @Test func gridLaplacianFillIsCloseToExactMinimumDegree() throws {
        let side = 40
        let m = try symmetricPattern(order: side * side, edges: gridEdges(side: side))
        try expectFillClose(m, "grid \(side)×\(side)")
        // And far below the natural (banded) order's n·side.
        #expect(try fill(m, MinimumDegreeOrdering.order(m)) < side * side * side / 2)
    }

    @Test func arrowWithDenseRowFillIsCloseToExactMinimumDegree() throws {
        // A tridiagonal band plus a hub (index 5) joined to every node: the hub's degree
        // (n − 1) exceeds 10√n, so it is a dense row.
        let n = 900
        var edges = (0..<(n - 1)).map { ($0, $0 + 1) }
        edges += (0..<n).map { (5, $0) }
        let m = try symmetricPattern(order: n, edges: edges)
        try expectFillClose(m, "arrow")
        let order = MinimumDegreeOrdering.order(m)
        #expect(order.last == 5)
        // Without the hub the band is two paths (0…4, 6…899), eliminated with no fill:
        // n − 3 entries, plus the hub's row of n − 1.
        let amdFill = try fill(m, order)
        #expect(amdFill == 2 * n - 4, "fill \(amdFill)")
    }

    @Test func denseRowsAreOrderedLast() throws {
        // Grid of 30×30 (n = 900, threshold 10√n = 300) with two hubs of degree 400 and
        // one of degree 250 (not dense): exactly the two dense ones end the order, in
        // index order.
        let side = 30, n = side * side
        var edges = gridEdges(side: side)
        var rng = SeededGenerator(seed: 7)
        for hub in [700, 12] { for _ in 0..<400 { edges.append((hub, rng.nextIndex(below: n))) } }
        for _ in 0..<200 { edges.append((400, rng.nextIndex(below: n))) }
        let m = try symmetricPattern(order: n, edges: edges)
        let order = MinimumDegreeOrdering.order(m)
        #expect(order.sorted() == Array(0..<n))
        #expect(Array(order.suffix(2)) == [12, 700])
        #expect(!order.suffix(3).dropLast(2).contains(400))
    }

    @Test(arguments: ["afiro", "israel", "agg", "capri", "ship08s", "degen2", "25fv47", "scsd1", "stocfor1", "bandm"])
    func normalEquationsFillIsCloseToExactMinimumDegree(name: String) throws {
        let a = try mpsPattern(Fixtures.path("lp/\(name).mps"))
        #expect(a.rowCount > 0 && a.nonzeroCount > 0)
        let normal = try NormalEquationsMatrix(a)
        try expectFillClose(normal.pattern, name)
    }

    @Test func randomPatternsGiveValidOrderings() throws {
        // Assorted densities and sizes, both triangles stored (duplicated edges), to
        // exercise supervariables, absorption and workspace compaction.
        for seed in UInt64(1)...24 {
            var rng = SeededGenerator(seed: seed)
            let n = 20 + rng.nextIndex(below: 400)
            let perNode = 1 + rng.nextIndex(below: 12)
            var triplets: [(row: Int, column: Int, value: Double)] = (0..<n).map { ($0, $0, 1) }
            var seen = Set<Int>()
            for i in 0..<n {
                for _ in 0..<perNode {
                    let j = rng.nextIndex(below: n)
                    if i != j && seen.insert(i * n + j).inserted && seen.insert(j * n + i).inserted {
                        triplets.append((i, j, 1))
                        triplets.append((j, i, 1))
                    }
                }
            }
            let m = try SparseMatrix(rowCount: n, columnCount: n, triplets: triplets)
            let order = MinimumDegreeOrdering.order(m)
            #expect(order.sorted() == Array(0..<n), "seed \(seed)")
            let exactFill = try fill(m, ExplicitMinimumDegree.order(m))
            #expect(Double(try fill(m, order)) <= 1.5 * Double(exactFill) + 10, "seed \(seed)")
        }
    }

    @Test func orderingStopsWhenAsked() throws {
        let m = try symmetricPattern(order: 400, edges: gridEdges(side: 20))
        var calls = 0
        #expect(throws: LinearAlgebraError.interrupted) {
            _ = try MinimumDegreeOrdering.order(m, shouldStop: { calls += 1; return calls > 2 })
        }
    }

    @Test func tinyAndEmptyPatterns() throws {
        #expect(MinimumDegreeOrdering.order(try symmetricPattern(order: 0, edges: [])) == [])
        #expect(MinimumDegreeOrdering.order(try symmetricPattern(order: 1, edges: [])) == [0])
        #expect(MinimumDegreeOrdering.order(try symmetricPattern(order: 3, edges: [])) == [0, 1, 2])
        let pair = MinimumDegreeOrdering.order(try symmetricPattern(order: 2, edges: [(0, 1)]))
        #expect(pair.sorted() == [0, 1])
    }
}
