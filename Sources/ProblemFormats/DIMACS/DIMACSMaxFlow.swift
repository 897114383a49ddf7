import Foundation
import LagrangeCore

/// Reads and writes DIMACS max-flow files (`.max`), the format of the First DIMACS
/// Implementation Challenge (1990–91):
///
/// ```
/// c comment (anywhere)
/// p max NODES ARCS
/// n ID s          the source
/// n ID t          the sink
/// a U V CAP       one line per arc: 1-based node ids, integer capacity ≥ 0
/// ```
///
/// The reader scans bytes (no per-line strings) straight into the arc arrays of a
/// ``MaxFlowProblem``. It reports, with the line number: a missing or repeated `p` line,
/// a problem type other than `max`, a missing or repeated source or sink, the same node
/// as both, node ids outside 1…NODES, negative or non-integer capacities, numbers that do
/// not fit 64 bits, extra or missing fields, and an arc count that differs from the `p`
/// line. Nothing is allocated from the declared sizes beyond what the file's length can
/// hold, and a node count beyond ``maximumNodes(fileBytes:)`` is refused.
package enum DIMACSMaxFlow {
    /// The largest node count accepted for a file of `fileBytes` bytes: 2²⁴ or 4 per byte,
    /// whichever is larger (isolated nodes are legal, so the count may exceed the arcs), and
    /// never above 2³¹ − 2. Solvers allocate about 40 bytes per node.
    package static func maximumNodes(fileBytes: Int) -> Int {
        min(Int(Int32.max) - 1, max(1 << 24, 4 * fileBytes))
    }

    /// Reads a `.max` file.
    package static func read(path: String) throws(InputError) -> ProblemDefinition {
        let data = try TextFile.bytes(path)
        let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        // withUnsafeBytes rethrows untyped errors, so the typed error travels in a Result.
        let outcome = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<MaxFlowProblem, InputError> in
            do throws(InputError) { return .success(try parse(raw.bindMemory(to: UInt8.self), file: path, name: fallbackName)) }
            catch { return .failure(error) }
        }
        let problem = try outcome.get()
        return ProblemDefinition(name: fallbackName, problem: .maxFlow(problem), sourcePath: path)
    }

    /// Parses DIMACS text (for tests and in-memory use).
    package static func parse(text: String, file: String = "<text>", name: String = "") throws(InputError) -> MaxFlowProblem {
        var copy = text
        let outcome = copy.withUTF8 { (buffer: UnsafeBufferPointer<UInt8>) -> Result<MaxFlowProblem, InputError> in
            do throws(InputError) { return .success(try parse(buffer, file: file, name: name)) }
            catch { return .failure(error) }
        }
        return try outcome.get()
    }

    // MARK: Parsing

    /// Scanner state over one buffer. Kept as a struct of plain integers so the hot loop
    /// stays in registers.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String
        var position = 0
        var line = 1

        @inline(__always) var atLineEnd: Bool { position >= bytes.count || bytes[position] == 10 }

        @inline(__always) mutating func skipBlanks() {
            while position < bytes.count {
                let b = bytes[position]
                guard b == 32 || b == 9 || b == 13 else { return }
                position += 1
            }
        }

        mutating func skipLine() {
            while position < bytes.count && bytes[position] != 10 { position += 1 }
        }

        func error(_ message: String) -> InputError { InputError(file: file, line: line, message) }

        /// The text of the current token (for messages only).
        func tokenText() -> String {
            var end = position
            while end < bytes.count, !(bytes[end] == 32 || bytes[end] == 9 || bytes[end] == 13 || bytes[end] == 10) { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<min(end, position + 40)]), as: UTF8.self)
        }

        /// A signed decimal integer field; `what` names it in messages.
        @inline(__always) mutating func integer(_ what: String) throws(InputError) -> Int64 {
            skipBlanks()
            guard !atLineEnd else { throw error("missing \(what)") }
            let tokenStart = position
            var negative = false
            if bytes[position] == 45 || bytes[position] == 43 { negative = bytes[position] == 45; position += 1 }
            let start = position
            var value: Int64 = 0
            while position < bytes.count {
                let digit = bytes[position] &- 48
                guard digit < 10 else { break }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
                if o1 || o2 {
                    position = tokenStart
                    throw error("\(what) '\(tokenText())' does not fit in a 64-bit integer")
                }
                value = sum
                position += 1
            }
            if position == start || !(atLineEnd || bytes[position] == 32 || bytes[position] == 9 || bytes[position] == 13) {
                position = tokenStart
                throw error("\(what) must be an integer, found '\(tokenText())'")
            }
            return negative ? -value : value
        }

        /// A word field (letters), for `p max` and `n ID s|t`.
        mutating func word(_ what: String) throws(InputError) -> String {
            skipBlanks()
            guard !atLineEnd else { throw error("missing \(what)") }
            let text = tokenText()
            while !atLineEnd, !(bytes[position] == 32 || bytes[position] == 9 || bytes[position] == 13) { position += 1 }
            return text
        }

        mutating func expectLineEnd(_ form: String) throws(InputError) {
            skipBlanks()
            guard atLineEnd else { throw error("unexpected '\(tokenText())' after the fields of \(form)") }
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, name: String) throws(InputError) -> MaxFlowProblem {
        var scan = Scanner(bytes: bytes, file: file)
        var nodeCount = -1, declaredArcs = 0, problemLine = 0
        var source = -1, sink = -1, sourceLine = 0, sinkLine = 0
        var tails: [Int32] = [], heads: [Int32] = [], capacities: [Int64] = []
        let arcForm = "an arc line 'a U V CAP'"
        while scan.position < bytes.count {
            scan.skipBlanks()
            guard scan.position < bytes.count else { break }
            let tag = bytes[scan.position]
            switch tag {
            case 10: // empty line
                break
            case 99: // c
                scan.skipLine()
            case 97: // a
                guard nodeCount >= 0 else { throw scan.error("arc line before the 'p max NODES ARCS' line") }
                scan.position += 1
                let u = try scan.integer("tail node id")
                let v = try scan.integer("head node id")
                let cap = try scan.integer("capacity")
                guard u >= 1, u <= nodeCount else { throw scan.error("arc tail \(u) is not a node (ids run 1…\(nodeCount))") }
                guard v >= 1, v <= nodeCount else { throw scan.error("arc head \(v) is not a node (ids run 1…\(nodeCount))") }
                guard cap >= 0 else { throw scan.error("arc \(u) → \(v) has negative capacity \(cap)") }
                scan.skipBlanks()
                if !scan.atLineEnd {
                    throw scan.error("unexpected '\(scan.tokenText())' after the fields of \(arcForm) (a min-cost 'a U V LOW CAP COST' line?)")
                }
                guard tails.count < Int(Int32.max) / 2 else { throw scan.error("more than \(Int32.max / 2) arcs") }
                tails.append(Int32(truncatingIfNeeded: u - 1))
                heads.append(Int32(truncatingIfNeeded: v - 1))
                capacities.append(cap)
            case 110: // n
                guard nodeCount >= 0 else { throw scan.error("node line before the 'p max NODES ARCS' line") }
                scan.position += 1
                let id = try scan.integer("node id")
                guard id >= 1, id <= nodeCount else { throw scan.error("node \(id) is not a node (ids run 1…\(nodeCount))") }
                let role = try scan.word("'s' or 't' after the node id")
                try scan.expectLineEnd("a node line 'n ID s|t'")
                switch role {
                case "s":
                    guard source < 0 else { throw scan.error("a second source (node \(id)); the source is node \(source + 1) (line \(sourceLine))") }
                    guard sink != Int(id - 1) else { throw scan.error("node \(id) is already the sink (line \(sinkLine)); source and sink must differ") }
                    source = Int(id - 1); sourceLine = scan.line
                case "t":
                    guard sink < 0 else { throw scan.error("a second sink (node \(id)); the sink is node \(sink + 1) (line \(sinkLine))") }
                    guard source != Int(id - 1) else { throw scan.error("node \(id) is already the source (line \(sourceLine)); source and sink must differ") }
                    sink = Int(id - 1); sinkLine = scan.line
                default:
                    throw scan.error("node role must be 's' (source) or 't' (sink), found '\(role)'")
                }
            case 112: // p
                guard nodeCount < 0 else { throw scan.error("a second 'p' line (the first is line \(problemLine))") }
                scan.position += 1
                let type = try scan.word("problem type 'max'")
                guard type == "max" else {
                    throw scan.error("problem type is '\(type)'; a max-flow file says 'p max NODES ARCS'")
                }
                let n = try scan.integer("node count")
                let m = try scan.integer("arc count")
                try scan.expectLineEnd("the problem line 'p max NODES ARCS'")
                let limit = maximumNodes(fileBytes: bytes.count)
                guard n >= 2 else { throw scan.error("a flow network needs at least 2 nodes, the 'p' line declares \(n)") }
                guard n <= limit else { throw scan.error("the 'p' line declares \(n) nodes; at most \(limit) are accepted for a file of this size") }
                guard m >= 0 else { throw scan.error("negative arc count \(m)") }
                nodeCount = Int(n)
                declaredArcs = Int(clamping: m)
                problemLine = scan.line
                // An arc line takes at least 8 bytes ("a 1 2 3\n"): never reserve more than
                // the file can hold, whatever the header claims.
                let reserve = min(declaredArcs, bytes.count / 8 + 1)
                tails.reserveCapacity(reserve)
                heads.reserveCapacity(reserve)
                capacities.reserveCapacity(reserve)
            default:
                throw scan.error("unknown line type '\(scan.tokenText())'; DIMACS lines start with c, p, n or a")
            }
            scan.skipLine()
            if scan.position < bytes.count { scan.position += 1; scan.line += 1 }
        }
        guard nodeCount >= 0 else { throw InputError(file: file, "no 'p max NODES ARCS' line") }
        guard source >= 0 else { throw InputError(file: file, "no source: expected a line 'n ID s'") }
        guard sink >= 0 else { throw InputError(file: file, "no sink: expected a line 'n ID t'") }
        guard tails.count == declaredArcs else {
            throw InputError(file: file, line: problemLine, "the 'p' line declares \(declaredArcs) arcs but the file has \(tails.count) arc lines")
        }
        return try ProblemFileReader.model(file) { () throws(ModelError) in
            try MaxFlowProblem(name: name, nodeCount: nodeCount, source: source, sink: sink,
                               tails: tails, heads: heads, capacities: capacities)
        }
    }

    // MARK: Writing

    /// The problem as DIMACS text (1-based ids, arcs in order). Node names, if any, go into
    /// comment lines so that a round trip keeps the network exactly.
    package static func text(_ problem: MaxFlowProblem) -> String {
        var out = ""
        out.reserveCapacity(32 + problem.arcCount * 20)
        if !problem.name.isEmpty { out += "c \(problem.name.replacingOccurrences(of: "\n", with: " "))\n" }
        if let names = problem.nodeNames {
            for (v, name) in names.enumerated() { out += "c node \(v + 1) \(name.replacingOccurrences(of: "\n", with: " "))\n" }
        }
        out += "p max \(problem.nodeCount) \(problem.arcCount)\n"
        out += "n \(problem.source + 1) s\n"
        out += "n \(problem.sink + 1) t\n"
        for k in 0..<problem.arcCount {
            out += "a \(problem.tails[k] + 1) \(problem.heads[k] + 1) \(problem.capacities[k])\n"
        }
        return out
    }

    /// Writes the problem to a file.
    package static func write(_ problem: MaxFlowProblem, to path: String) throws(InputError) {
        do { try text(problem).write(toFile: path, atomically: true, encoding: .utf8) }
        catch { throw InputError(file: path, "cannot write: \(error.localizedDescription)") }
    }
}
