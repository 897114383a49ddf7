import BuiltInSolvers
import Foundation
import Lagrange
import LagrangeTestSupport
import Testing

/// The docs say what the code does (issue #21): every relative link in README.md and
/// docs/ resolves, and every solver id they mention is registered.
struct DocsConsistencyTests {
    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot + "/docs")) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    static func text(_ document: String) -> String {
        (try? String(contentsOfFile: Fixtures.packageRoot + "/" + document, encoding: .utf8)) ?? ""
    }

    @Test func thereAreDocuments() { #expect(Self.documents.count >= 10) }

    @Test("relative links resolve", arguments: documents)
    func relativeLinksResolve(document: String) throws {
        let text = Self.text(document)
        let regex = try NSRegularExpression(pattern: #"\]\(([^)\s#]+)(#[^)]*)?\)"#)
        let base = (Fixtures.packageRoot + "/" + document as NSString).deletingLastPathComponent
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let target = String(text[range])
            if target.contains("://") || target.hasPrefix("mailto:") { continue }
            #expect(FileManager.default.fileExists(atPath: base + "/" + target), "\(document): broken link \(target)")
        }
    }

    @Test("documents named in prose (docs/x.md) exist", arguments: documents)
    func namedDocumentsExist(document: String) throws {
        let text = Self.text(document)
        let regex = try NSRegularExpression(pattern: #"(?<![\w/.])docs/[A-Za-z0-9_-]+\.md"#)
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            let named = String(text[range])
            #expect(FileManager.default.fileExists(atPath: Fixtures.packageRoot + "/" + named), "\(document): names \(named), which does not exist")
        }
    }

    @Test("solver ids named in the docs are registered", arguments: documents)
    func solverIDsExist(document: String) throws {
        let text = Self.text(document)
        let regex = try NSRegularExpression(pattern: #"`((?:native|glpk|gsl)\.[a-z0-9-]+)`"#)
        let registered = Set(SolverRegistry.builtIn.descriptors().map(\.id))
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let id = String(text[range])
            #expect(registered.contains(id), "\(document): `\(id)` is not a registered solver")
        }
    }
}
