import Foundation
import LagrangeTestSupport
import Testing

/// The public API stays small on purpose (issue #23, item 5): what only the package's own
/// modules share is `package`, not `public`. This counts public declarations the way
/// scripts/public-api.sh does (a line whose first word after any attributes is `public` or
/// `open`, over Sources/**/*.swift) and fails when the total exceeds the budget, so the API
/// cannot grow unnoticed.
struct PublicAPIBudgetTests {
    /// The total when the API was cut down (1 648 before, issue #23). Raise it deliberately,
    /// in the commit that adds public API, after asking whether `package` would do.
    static let budget = 814

    /// Whether `line` declares something public: after leading blanks and attributes
    /// (`@inlinable`, `@available(macOS 15, *)`), the first word is `public` or `open`.
    static func declaresPublic(_ line: Substring) -> Bool {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        while rest.first == "@" {
            rest = rest.dropFirst().drop { $0.isLetter || $0.isNumber || $0 == "_" }
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return false }
                rest = rest[rest.index(after: close)...]
            }
            let blanks = rest.prefix { $0 == " " || $0 == "\t" }
            if blanks.isEmpty { return false }
            rest = rest.dropFirst(blanks.count)
        }
        for word in ["public", "open"] where rest.hasPrefix(word) {
            let next = rest.dropFirst(word.count).first
            if next == nil || !(next!.isLetter || next!.isNumber || next == "_" || next == "(") { return true }
        }
        return false
    }

    /// Public declarations per module (the folder under Sources/).
    static func counts() throws -> [String: Int] {
        let sources = URL(fileURLWithPath: Fixtures.packageRoot + "/Sources")
        var counts: [String: Int] = [:]
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let module = file.pathComponents[sources.pathComponents.count]
            let text = try String(contentsOf: file, encoding: .utf8)
            counts[module, default: 0] += text.split(separator: "\n", omittingEmptySubsequences: false).count { declaresPublic($0) }
        }
        return counts
    }

    @Test func theCountMatchesTheScriptsPattern() {
        #expect(Self.declaresPublic("public struct A {"))
        #expect(Self.declaresPublic("    @inlinable public func f() {}"))
        #expect(Self.declaresPublic("@available(macOS 15, *) @discardableResult public static func g()"))
        #expect(Self.declaresPublic("open class B {}"))
        #expect(Self.declaresPublic("    public private(set) var x: Int"))
        #expect(!Self.declaresPublic("package struct C {}"))
        #expect(!Self.declaresPublic("    private(set) var publicity = 1"))
        #expect(!Self.declaresPublic("/// public API"))
        #expect(!Self.declaresPublic("    let opened = true"))
    }

    @Test func publicDeclarationsStayWithinBudget() throws {
        let counts = try Self.counts()
        let total = counts.values.reduce(0, +)
        let perModule = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        #expect(total > 0)
        #expect(total <= Self.budget, """
            \(total) public declarations (\(perModule)) exceed the budget of \(Self.budget). \
            Make what only the package's modules share `package`; if the new API is meant for \
            library users, raise PublicAPIBudgetTests.budget deliberately in the same commit \
            (scripts/public-api.sh counts the same way).
            """)
    }
}
