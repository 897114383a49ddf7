import Foundation
import LagrangeCore

/// An SVG drawing of a flow network and its minimum cut.
///
/// Up to ``fullGraphNodeLimit`` nodes the whole network is drawn, layered: nodes in columns
/// by breadth-first distance from the source (source left, sink right, nodes the source
/// cannot reach just before the sink), ordered within a column to reduce crossings
/// (barycentre sweeps, as in Sugiyama's layered drawing). An arc that would pass through
/// another node bends around it where a bend within reach clears it. Source-side nodes are
/// shaded, cut arcs are drawn thick and red, and each arc is labelled `flow/capacity` (or
/// just the capacity when the result kept no arc flows) at a place beside its line that
/// touches no node, no other line and no other label; a label with no such place is left
/// out (a cut arc's never is) and the caption counts them.
///
/// Larger networks are unreadable as a whole, so only the cut is drawn: the cut arcs'
/// tails in the shaded source side, their heads in the sink side, each arc labelled with
/// its capacity.
public enum MaxFlowPicture {
    /// Above this many nodes only the minimum cut is drawn.
    package static let fullGraphNodeLimit = 200
    /// At most this many cut arcs (the largest capacities) are drawn in a cut-only picture.
    package static let cutArcLimit = 120

    /// The SVG text of the network and its minimum cut (the whole network up to ``fullGraphNodeLimit``
    /// nodes, the cut only beyond).
    public static func svg(problem: MaxFlowProblem, details: MaxFlowDetails) -> String {
        problem.nodeCount > fullGraphNodeLimit ? cutOnly(problem, details) : wholeGraph(problem, details)
    }

    // MARK: - The whole network

    static func wholeGraph(_ problem: MaxFlowProblem, _ details: MaxFlowDetails) -> String {
        let n = problem.nodeCount, m = problem.arcCount
        let column = layers(problem)
        let columns = (column.max() ?? 0) + 1
        var neighbours = [Set<Int>](repeating: [], count: n)
        for k in 0..<m where problem.tails[k] != problem.heads[k] {
            neighbours[Int(problem.tails[k])].insert(Int(problem.heads[k]))
            neighbours[Int(problem.heads[k])].insert(Int(problem.tails[k]))
        }
        let order = orderedColumns(column: column, columns: columns, neighbours: neighbours)
        let tallest = order.map(\.count).max() ?? 1
        let dx = 160.0, dy = 80.0, margin = 50.0
        // Circles wide enough for the names (matching problems name their nodes).
        let longest = (0..<n).map { problem.nodeLabel($0).count }.max() ?? 1
        var drawing = Drawing(radius: min(36, max(18, 3.4 * Double(longest) + 6)))
        var inSource = [Bool](repeating: false, count: n)
        for v in details.sourceSide where Int(v) < n { inSource[Int(v)] = true }
        for (c, nodes) in order.enumerated() {
            let offset = Double(tallest - nodes.count) * dy / 2
            for (row, v) in nodes.enumerated() {
                drawing.nodes[v] = Drawing.Node(x: margin + dx * Double(c), y: margin + offset + dy * Double(row),
                                                label: problem.nodeLabel(v), shaded: inSource[v],
                                                terminal: v == problem.source || v == problem.sink)
            }
        }
        let cutSet = Set(details.cutArcs)
        for k in 0..<m {
            let text = details.arcFlows.map { "\($0[k])/\(problem.capacities[k])" } ?? "\(problem.capacities[k])"
            drawing.arcs.append(Drawing.Arc(from: Int(problem.tails[k]), to: Int(problem.heads[k]), label: text, cut: cutSet.contains(k)))
        }
        let caption = "max flow \(details.flowValue) = min cut capacity \(details.cutCapacity) (\(details.cutArcs.count) red arcs; shaded: source side)"
        return drawing.svg(caption: caption)
    }

    /// Columns by breadth-first distance from the source over arcs (capacities ignored):
    /// the source in column 0, the sink in the last, nodes the source cannot reach just
    /// before it.
    static func layers(_ problem: MaxFlowProblem) -> [Int] {
        let n = problem.nodeCount
        var adjacency = [[Int]](repeating: [], count: n)
        for k in 0..<problem.arcCount { adjacency[Int(problem.tails[k])].append(Int(problem.heads[k])) }
        var column = [Int](repeating: -1, count: n)
        column[problem.source] = 0
        var queue = [problem.source], front = 0
        while front < queue.count {
            let u = queue[front]; front += 1
            for v in adjacency[u] where column[v] < 0 && v != problem.sink { column[v] = column[u] + 1; queue.append(v) }
        }
        let lastInner = column.max() ?? 0
        let hasUnreached = (0..<n).contains { column[$0] < 0 && $0 != problem.sink }
        for v in 0..<n where column[v] < 0 && v != problem.sink { column[v] = lastInner + 1 }
        column[problem.sink] = lastInner + (hasUnreached ? 2 : 1)
        return column
    }

    /// The nodes of each column, top to bottom: node order first, then barycentre sweeps
    /// (down, up, …) that sort a column by the mean position of its neighbours in the
    /// column before (after) it, which removes most avoidable crossings.
    static func orderedColumns(column: [Int], columns: Int, neighbours: [Set<Int>]) -> [[Int]] {
        var order = [[Int]](repeating: [], count: columns)
        for v in column.indices { order[column[v]].append(v) }
        var position = [Double](repeating: 0, count: column.count)
        func place() {
            for nodes in order { for (row, v) in nodes.enumerated() { position[v] = Double(row) - Double(nodes.count - 1) / 2 } }
        }
        place()
        for sweep in 0..<8 where columns > 2 {
            let down = sweep % 2 == 0
            for c in down ? Array(1..<columns) : Array((0..<(columns - 1)).reversed()) {
                let reference = down ? c - 1 : c + 1
                func barycentre(_ v: Int) -> Double {
                    let near = neighbours[v].filter { column[$0] == reference }
                    let chosen = near.isEmpty ? neighbours[v].filter { column[$0] != c } : near
                    guard !chosen.isEmpty else { return position[v] }
                    return chosen.reduce(0) { $0 + position[$1] } / Double(chosen.count)
                }
                let keys = Dictionary(uniqueKeysWithValues: order[c].map { ($0, barycentre($0)) })
                order[c] = order[c].enumerated().sorted { a, b in
                    let ka = keys[a.element] ?? 0, kb = keys[b.element] ?? 0
                    return ka != kb ? ka < kb : a.offset < b.offset
                }.map(\.element)
                place()
            }
        }
        return order
    }

    // MARK: - Only the cut

    static func cutOnly(_ problem: MaxFlowProblem, _ details: MaxFlowDetails) -> String {
        let n = problem.nodeCount
        let valid = details.cutArcs.filter { $0 >= 0 && $0 < problem.arcCount }
        let drawn = valid.count > cutArcLimit
            ? Array(valid.sorted { problem.capacities[$0] != problem.capacities[$1] ? problem.capacities[$0] > problem.capacities[$1] : $0 < $1 }.prefix(cutArcLimit)).sorted()
            : valid
        var tails: [Int] = [], heads: [Int] = []
        for k in drawn {
            let u = Int(problem.tails[k]), v = Int(problem.heads[k])
            if !tails.contains(u) { tails.append(u) }
            if !heads.contains(v) { heads.append(v) }
        }
        // Heads in the order of their tails' rows, so the cut arcs cross little.
        let tailRow = Dictionary(uniqueKeysWithValues: tails.enumerated().map { ($0.element, Double($0.offset)) })
        let headKey = Dictionary(uniqueKeysWithValues: heads.map { v in
            let rows = drawn.filter { Int(problem.heads[$0]) == v }.compactMap { tailRow[Int(problem.tails[$0])] }
            return (v, rows.reduce(0, +) / Double(max(1, rows.count)))
        })
        heads.sort { (headKey[$0] ?? 0, $0) < (headKey[$1] ?? 0, $1) }
        let dy = 40.0, top = 110.0, leftX = 250.0, rightX = 650.0
        let tallest = max(tails.count, heads.count, 1)
        var drawing = Drawing(radius: 15)
        for (column, nodes) in [(leftX, tails), (rightX, heads)] {
            let offset = Double(tallest - nodes.count) * dy / 2
            for (row, v) in nodes.enumerated() {
                drawing.nodes[v] = Drawing.Node(x: column, y: top + offset + dy * Double(row), label: problem.nodeLabel(v),
                                                shaded: column == leftX, terminal: v == problem.source || v == problem.sink)
            }
        }
        for k in drawn {
            drawing.arcs.append(Drawing.Arc(from: Int(problem.tails[k]), to: Int(problem.heads[k]), label: "\(problem.capacities[k])", cut: true))
        }
        let bottom = top + dy * Double(tallest - 1) + 30
        let sourceCount = details.sourceSide.count
        let side = { (x: Double, title: String, fill: String) -> String in
            "<rect x=\"\(fmt(x - 150))\" y=\"\(fmt(top - 70))\" width=\"300\" height=\"\(fmt(bottom - top + 80))\" rx=\"14\" fill=\"\(fill)\" stroke=\"#1b4f72\" stroke-dasharray=\"6 4\"/>\n"
                + "<text x=\"\(fmt(x))\" y=\"\(fmt(top - 48))\" text-anchor=\"middle\" font-weight=\"bold\">\(PlotAxis.escape(title))</text>\n"
        }
        let background = side(leftX, "source side: \(sourceCount) nodes (source \(problem.nodeLabel(problem.source)))", "#eaf4fb")
            + side(rightX, "sink side: \(n - sourceCount) nodes (sink \(problem.nodeLabel(problem.sink)))", "#ffffff")
        var caption = "max flow \(details.flowValue) = min cut capacity \(details.cutCapacity): the \(valid.count) cut arcs of \(n) nodes and \(problem.arcCount) arcs (only the cut is drawn above \(fullGraphNodeLimit) nodes)"
        if drawn.count < valid.count { caption += "; the \(drawn.count) largest shown" }
        return drawing.svg(caption: caption, background: background, minimumBounds: (leftX - 160, top - 80, rightX + 160, bottom + 20))
    }

    // MARK: - Drawing

    /// Nodes at fixed places, arcs routed around the nodes they would cross, labels placed
    /// where they overlap nothing.
    struct Drawing {
        struct Node {
            var x: Double, y: Double
            var label: String
            var shaded: Bool
            var terminal: Bool
        }
        struct Arc {
            var from: Int, to: Int
            var label: String
            var cut: Bool
        }
        var radius: Double
        var nodes: [Int: Node] = [:]
        var arcs: [Arc] = []

        /// A routed arc: a quadratic Bézier from `start` to `end` with control point `control`.
        struct Curve {
            var start: (Double, Double), control: (Double, Double), end: (Double, Double)
            func point(_ t: Double) -> (Double, Double) {
                let a = (1 - t) * (1 - t), b = 2 * (1 - t) * t, c = t * t
                return (a * start.0 + b * control.0 + c * end.0, a * start.1 + b * control.1 + c * end.1)
            }
            func tangent(_ t: Double) -> (Double, Double) {
                (2 * (1 - t) * (control.0 - start.0) + 2 * t * (end.0 - control.0),
                 2 * (1 - t) * (control.1 - start.1) + 2 * t * (end.1 - control.1))
            }
        }

        /// An axis-aligned box (a label's).
        struct Box {
            var minX: Double, minY: Double, maxX: Double, maxY: Double
            func intersects(_ o: Box) -> Bool { minX < o.maxX && o.minX < maxX && minY < o.maxY && o.minY < maxY }
            func contains(_ p: (Double, Double)) -> Bool { p.0 > minX && p.0 < maxX && p.1 > minY && p.1 < maxY }
            func inflated(by d: Double) -> Box { Box(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d) }
            func distance(to p: (Double, Double)) -> Double {
                let dx = max(minX - p.0, 0, p.0 - maxX), dy = max(minY - p.1, 0, p.1 - maxY)
                return (dx * dx + dy * dy).squareRoot()
            }
        }

        /// The bend offsets tried, in order, for an arc whose pair of nodes has no other arc.
        static let bends: [Double] = [0, 28, -28, 56, -56, 90, -90, 130, -130, 180, -180, 240, -240]

        func svg(caption: String, background: String = "", minimumBounds: (Double, Double, Double, Double)? = nil) -> String {
            // Route: parallel and opposite arcs of a pair fan out to alternate sides; an arc
            // bends further while its curve would pass through another node.
            var pairTotal: [Int64: Int] = [:]
            for a in arcs where a.from != a.to { pairTotal[Self.pairKey(a.from, a.to), default: 0] += 1 }
            var pairSeen: [Int64: Int] = [:]
            var curves: [Curve?] = []
            for a in arcs {
                guard a.from != a.to, let u = nodes[a.from], let v = nodes[a.to] else { curves.append(nil); continue }
                let key = Self.pairKey(a.from, a.to)
                let index = pairSeen[key, default: 0]
                pairSeen[key] = index + 1
                // Offsets in the pair's own orientation (lower id → higher id), so opposite
                // arcs land on opposite sides.
                let sign: Double = a.from < a.to ? 1 : -1
                let candidates: [Double]
                if pairTotal[key, default: 1] == 1 {
                    candidates = Self.bends
                } else {
                    let side: Double = index % 2 == 0 ? 1 : -1
                    let base = 22.0 * Double(index / 2 + 1)
                    candidates = (0..<8).map { side * (base + 28 * Double($0)) }
                }
                var best: (curve: Curve, hits: Int)?
                for offset in candidates {
                    let curve = route(u, v, offset: offset * sign)
                    let hits = crossings(curve, except: [a.from, a.to])
                    if best == nil || hits < (best?.hits ?? .max) { best = (curve, hits) }
                    if hits == 0 { break }
                }
                curves.append(best?.curve)
            }
            // Everything a label must not touch: nodes, the sampled lines, placed labels.
            var linePoints = PointGrid(cell: 24)
            for (k, curve) in curves.enumerated() {
                guard let curve else { continue }
                for s in 0...24 { linePoints.insert(curve.point(Double(s) / 24), tag: k) }
            }
            for (k, a) in arcs.enumerated() where a.from == a.to {
                guard let u = nodes[a.from] else { continue }
                for s in 0...12 {
                    let angle = Double.pi * (1 + Double(s) / 12)
                    linePoints.insert((u.x + 22 * cos(angle), u.y - radius - 18 + 22 * sin(angle) + 10), tag: k)
                }
            }
            var placed: [Box] = []
            var labels: [(Int, Double, Double)?] = Array(repeating: nil, count: arcs.count)
            var omitted = 0
            // Cut arcs are labelled first, so they get the best places.
            let labelOrder = arcs.indices.sorted { (arcs[$0].cut ? 0 : 1, $0) < (arcs[$1].cut ? 0 : 1, $1) }
            for k in labelOrder {
                let a = arcs[k]
                let w = 6.6 * Double(a.label.count) + 4, h = 14.0
                var candidates: [(Double, Double)] = []
                if let curve = curves[k] {
                    let places = a.cut ? [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85, 0.35, 0.65, 0.45, 0.55]
                        : [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]
                    for t in places {
                        let p = curve.point(t), d = curve.tangent(t)
                        let length = max(1e-9, (d.0 * d.0 + d.1 * d.1).squareRoot())
                        let normal = (-d.1 / length, d.0 / length)
                        let clearance = abs(normal.0) * w / 2 + abs(normal.1) * h / 2 + 3
                        // Above (or left of) the line first, as labels usually are.
                        let sides: [Double] = normal.1 < 0 || (normal.1 == 0 && normal.0 < 0) ? [1, -1] : [-1, 1]
                        for s in sides { candidates.append((p.0 + s * normal.0 * clearance, p.1 + s * normal.1 * clearance)) }
                    }
                } else if let u = nodes[a.from] {
                    candidates = [(u.x, u.y - radius - 40), (u.x + 40, u.y - radius - 30), (u.x - 40, u.y - radius - 30)]
                }
                var best: (center: (Double, Double), conflicts: Int)?
                for c in candidates {
                    let box = Box(minX: c.0 - w / 2, minY: c.1 - h / 2, maxX: c.0 + w / 2, maxY: c.1 + h / 2)
                    // Covering a label or a node is worse than touching a line.
                    var conflicts = 100 * placed.filter { $0.intersects(box) }.count
                    conflicts += 100 * nodes.values.filter { box.distance(to: ($0.x, $0.y)) < radius + 2 }.count
                    // Other lines are kept a few pixels off, so a label reads as its own line's.
                    conflicts += linePoints.count(in: box, tag: k) + linePoints.count(in: box.inflated(by: 5), excludingTag: k)
                    if best == nil || conflicts < (best?.conflicts ?? .max) { best = (c, conflicts) }
                    if conflicts == 0 { break }
                }
                guard let best, best.conflicts == 0 || a.cut else { omitted += 1; continue }
                placed.append(Box(minX: best.center.0 - w / 2, minY: best.center.1 - h / 2, maxX: best.center.0 + w / 2, maxY: best.center.1 + h / 2))
                labels[k] = (k, best.center.0, best.center.1)
            }
            // Bounds of everything drawn.
            var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
            func include(_ x: Double, _ y: Double) { minX = min(minX, x); minY = min(minY, y); maxX = max(maxX, x); maxY = max(maxY, y) }
            for node in nodes.values { include(node.x - radius - 30, node.y - radius - 45); include(node.x + radius + 10, node.y + radius + 10) }
            for curve in curves.compactMap({ $0 }) { for s in 0...8 { let p = curve.point(Double(s) / 8); include(p.0, p.1) } }
            for box in placed { include(box.minX, box.minY); include(box.maxX, box.maxY) }
            if let b = minimumBounds { include(b.0, b.1); include(b.2, b.3) }
            if !minX.isFinite { minX = 0; minY = 0; maxX = 100; maxY = 100 }
            let captionText = omitted == 0 ? caption : caption + "; \(omitted) arc label\(omitted == 1 ? "" : "s") left out (no free place)"
            minX -= 10; minY -= 10; maxX += 10
            let width = max(maxX - minX, 6.2 * Double(captionText.count) + 20), height = maxY - minY + 40

            var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="\(fmt(minX)) \(fmt(minY)) \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker>
            <marker id="arrow-cut" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#c0392b"/></marker></defs>
            <rect x="\(fmt(minX))" y="\(fmt(minY))" width="100%" height="100%" fill="white"/>

            """
            out += background
            // Plain arcs first, cut arcs on top of them.
            for k in arcs.indices.sorted(by: { (arcs[$0].cut ? 1 : 0, $0) < (arcs[$1].cut ? 1 : 0, $1) }) {
                let a = arcs[k]
                let color = a.cut ? "#c0392b" : "#777", stroke = a.cut ? 3.0 : 1.2, marker = a.cut ? "arrow-cut" : "arrow"
                let cls = a.cut ? "arc cut" : "arc"
                if let curve = curves[k] {
                    out += "<path class=\"\(cls)\" d=\"M \(fmt(curve.start.0)) \(fmt(curve.start.1)) Q \(fmt(curve.control.0)) \(fmt(curve.control.1)) \(fmt(curve.end.0)) \(fmt(curve.end.1))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(fmt(stroke))\" marker-end=\"url(#\(marker))\"/>\n"
                } else if let u = nodes[a.from] {
                    out += "<path class=\"\(cls)\" d=\"M \(fmt(u.x - 8)) \(fmt(u.y - radius + 2)) C \(fmt(u.x - 30)) \(fmt(u.y - radius - 40)) \(fmt(u.x + 30)) \(fmt(u.y - radius - 40)) \(fmt(u.x + 8)) \(fmt(u.y - radius + 2))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(fmt(stroke))\" marker-end=\"url(#\(marker))\"/>\n"
                }
            }
            for node in nodes.sorted(by: { $0.key < $1.key }).map(\.value) {
                let fill = node.shaded ? "#aed6f1" : "#ffffff"
                out += "<circle class=\"node\" cx=\"\(fmt(node.x))\" cy=\"\(fmt(node.y))\" r=\"\(fmt(radius))\" fill=\"\(fill)\" stroke=\"#1b4f72\" stroke-width=\"\(node.terminal ? 3 : 1.5)\"/>\n"
                out += "<text class=\"node-label\" x=\"\(fmt(node.x))\" y=\"\(fmt(node.y + 4))\" text-anchor=\"middle\">\(PlotAxis.escape(node.label))</text>\n"
            }
            // Labels last, with a white halo, so nothing is drawn over them.
            for case let (k, x, y)? in labels {
                let color = arcs[k].cut ? "#c0392b" : "#333"
                out += "<text class=\"flow\" x=\"\(fmt(x))\" y=\"\(fmt(y + 4))\" text-anchor=\"middle\" fill=\"\(color)\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\(PlotAxis.escape(arcs[k].label))</text>\n"
            }
            out += "<text x=\"\(fmt(minX + 10))\" y=\"\(fmt(minY + height - 15))\">\(PlotAxis.escape(captionText))</text>\n</svg>\n"
            return out
        }

        static func pairKey(_ u: Int, _ v: Int) -> Int64 { Int64(min(u, v)) << 32 | Int64(max(u, v)) }

        /// The curve from u to v whose control point sits `offset` to the left of the
        /// midpoint, trimmed to the node circles.
        func route(_ u: Node, _ v: Node, offset: Double) -> Curve {
            let length = max(1, ((v.x - u.x) * (v.x - u.x) + (v.y - u.y) * (v.y - u.y)).squareRoot())
            let ux = (v.x - u.x) / length, uy = (v.y - u.y) / length
            let control = ((u.x + v.x) / 2 - uy * offset, (u.y + v.y) / 2 + ux * offset)
            func trimmed(_ node: Node) -> (Double, Double) {
                let dx = control.0 - node.x, dy = control.1 - node.y
                let d = max(1e-9, (dx * dx + dy * dy).squareRoot())
                return (node.x + dx / d * radius, node.y + dy / d * radius)
            }
            return Curve(start: trimmed(u), control: control, end: trimmed(v))
        }

        /// How many nodes other than `except` the curve passes through (or grazes).
        func crossings(_ curve: Curve, except: [Int]) -> Int {
            var hit = Set<Int>()
            let samples = (1..<32).map { curve.point(Double($0) / 32) }
            for (id, node) in nodes where !except.contains(id) {
                if samples.contains(where: { ($0.0 - node.x) * ($0.0 - node.x) + ($0.1 - node.y) * ($0.1 - node.y) < (radius + 5) * (radius + 5) }) {
                    hit.insert(id)
                }
            }
            return hit.count
        }
    }

    /// Points bucketed by square cells, for counting the points inside a box quickly.
    struct PointGrid {
        var cell: Double
        var buckets: [Int64: [(x: Double, y: Double, tag: Int)]] = [:]
        init(cell: Double) { self.cell = cell }
        func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: j))) }
        mutating func insert(_ p: (Double, Double), tag: Int) {
            buckets[key(Int(floor(p.0 / cell)), Int(floor(p.1 / cell))), default: []].append((p.0, p.1, tag))
        }
        /// The points inside `box` with tag `tag` (all but `excludingTag`'s when that is given).
        func count(in box: Drawing.Box, tag: Int? = nil, excludingTag: Int? = nil) -> Int {
            var total = 0
            for i in Int(floor(box.minX / cell))...Int(floor(box.maxX / cell)) {
                for j in Int(floor(box.minY / cell))...Int(floor(box.maxY / cell)) {
                    total += buckets[key(i, j)]?.filter { p in
                        box.contains((p.x, p.y)) && (tag.map { p.tag == $0 } ?? true) && (excludingTag.map { p.tag != $0 } ?? true)
                    }.count ?? 0
                }
            }
            return total
        }
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
