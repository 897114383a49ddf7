import LagrangeCore

/// An SVG drawing of a small flow network and its minimum cut.
///
/// Layout: nodes in columns by breadth-first distance from the source (the sink in the
/// last column, nodes the source cannot reach just before it), in arc order within a
/// column. Source-side nodes are shaded, cut arcs are drawn thick and red, and every arc
/// is labelled `flow/capacity` (or just the capacity when the result kept no arc flows).
/// Meant for graphs of up to a few dozen nodes; larger ones are drawn but unreadable.
public enum MaxFlowPicture {
    public static func svg(problem: MaxFlowProblem, details: MaxFlowDetails) -> String {
        let n = problem.nodeCount, m = problem.arcCount
        // Columns by BFS from the source over arcs (capacities ignored).
        var adjacency = [[Int]](repeating: [], count: n)
        for k in 0..<m { adjacency[Int(problem.tails[k])].append(Int(problem.heads[k])) }
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
        let columns = column[problem.sink] + 1
        var rowOf = [Int](repeating: 0, count: n)
        var perColumn = [Int](repeating: 0, count: columns)
        for v in 0..<n { rowOf[v] = perColumn[column[v]]; perColumn[column[v]] += 1 }
        let tallest = perColumn.max() ?? 1
        let dx = 160.0, dy = 90.0, margin = 50.0, radius = 20.0
        let width = margin * 2 + dx * Double(columns - 1)
        let height = margin * 2 + dy * Double(tallest - 1) + 40
        func position(_ v: Int) -> (Double, Double) {
            let offset = Double(tallest - perColumn[column[v]]) * dy / 2
            return (margin + dx * Double(column[v]), margin + offset + dy * Double(rowOf[v]))
        }
        var inSource = [Bool](repeating: false, count: n)
        for v in details.sourceSide { inSource[Int(v)] = true }
        let cutSet = Set(details.cutArcs)

        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="sans-serif" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker>
        <marker id="arrow-cut" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#c0392b"/></marker></defs>
        <rect width="100%" height="100%" fill="white"/>

        """
        // Parallel and opposite arcs between the same pair are bent apart so each stays visible.
        var pairTotal: [Int64: Int] = [:]
        for k in 0..<m where problem.tails[k] != problem.heads[k] {
            pairTotal[Int64(min(problem.tails[k], problem.heads[k])) << 32 | Int64(max(problem.tails[k], problem.heads[k])), default: 0] += 1
        }
        var pairCount: [Int64: Int] = [:]
        for k in 0..<m {
            let u = Int(problem.tails[k]), v = Int(problem.heads[k])
            let (x1, y1) = position(u), (x2, y2) = position(v)
            let isCut = cutSet.contains(k)
            let color = isCut ? "#c0392b" : "#555"
            let stroke = isCut ? 3.0 : 1.2
            let marker = isCut ? "arrow-cut" : "arrow"
            let flowText = details.arcFlows.map { "\($0[k])/\(problem.capacities[k])" } ?? "\(problem.capacities[k])"
            if u == v {
                out += "<path d=\"M \(fmt(x1 - 8)) \(fmt(y1 - radius + 2)) C \(fmt(x1 - 30)) \(fmt(y1 - 60)) \(fmt(x1 + 30)) \(fmt(y1 - 60)) \(fmt(x1 + 8)) \(fmt(y1 - radius + 2))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(fmt(stroke))\" marker-end=\"url(#\(marker))\"/>\n"
                out += "<text x=\"\(fmt(x1))\" y=\"\(fmt(y1 - 50))\" text-anchor=\"middle\" fill=\"\(color)\">\(escape(flowText))</text>\n"
                continue
            }
            let key = Int64(min(u, v)) << 32 | Int64(max(u, v))
            let index = pairCount[key, default: 0]
            pairCount[key] = index + 1
            let length = max(1, ((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1)).squareRoot())
            let ux = (x2 - x1) / length, uy = (y2 - y1) / length
            let sx = x1 + ux * radius, sy = y1 + uy * radius
            let ex = x2 - ux * radius, ey = y2 - uy * radius
            // Bend: copies alternate sides; opposite arcs already bend apart because the
            // perpendicular flips with the direction.
            let amount = pairTotal[key, default: 1] == 1 ? 0.0 : 18.0 * Double(index / 2 + 1) * (index % 2 == 0 ? 1 : -1)
            let cx = (sx + ex) / 2 - uy * amount, cy = (sy + ey) / 2 + ux * amount
            out += "<path d=\"M \(fmt(sx)) \(fmt(sy)) Q \(fmt(cx)) \(fmt(cy)) \(fmt(ex)) \(fmt(ey))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(fmt(stroke))\" marker-end=\"url(#\(marker))\"/>\n"
            let lx = (sx + 2 * cx + ex) / 4 - uy * 8, ly = (sy + 2 * cy + ey) / 4 + ux * 8
            out += "<text x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" text-anchor=\"middle\" fill=\"\(color)\">\(escape(flowText))</text>\n"
        }
        for v in 0..<n {
            let (x, y) = position(v)
            let fill = inSource[v] ? "#aed6f1" : "#ffffff"
            let strokeWidth = v == problem.source || v == problem.sink ? 3 : 1.5
            out += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(radius))\" fill=\"\(fill)\" stroke=\"#1b4f72\" stroke-width=\"\(fmt(strokeWidth))\"/>\n"
            out += "<text x=\"\(fmt(x))\" y=\"\(fmt(y + 4))\" text-anchor=\"middle\">\(escape(problem.nodeLabel(v)))</text>\n"
        }
        let caption = "max flow \(details.flowValue) = min cut capacity \(details.cutCapacity) (\(details.cutArcs.count) red arcs; shaded: source side)"
        out += "<text x=\"\(fmt(margin - 30))\" y=\"\(fmt(height - 15))\">\(escape(caption))</text>\n</svg>\n"
        return out
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
