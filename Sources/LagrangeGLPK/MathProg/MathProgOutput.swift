import LagrangeCore

/// What a MathProg model's `display` and `printf` statements printed for a result
/// (``MathProgReader/postsolve(_:data:result:)``): JSON `model_output`, and the lines in the
/// text summary.
public struct MathProgOutput: ResultDetails, Equatable {
    /// What the model printed, line by line, as glpsol prints it.
    public var text: String

    /// The output `text` of a postsolve.
    public init(text: String) { self.text = text }

    public var jsonFields: [String: JSONValue] { ["model_output": .string(text)] }

    public var summaryLines: [String] {
        text.isEmpty ? [] : ["model output:"] + text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map { "  " + $0 }
    }
}

extension MathProgReader {
    /// `result` with the model's output attached as ``MathProgOutput`` (nothing when the model
    /// printed nothing); a postsolve error (a `check` after `solve;` failing, say) becomes a note.
    public static func attachingOutput(to result: SolveResult, model path: String, data: String? = nil) -> SolveResult {
        var result = result
        do {
            let text = try postsolve(path, data: data, result: result)
            if !text.isEmpty { result.details.append(MathProgOutput(text: text)) }
        } catch {
            result.notes.append("MathProg postsolve: \(error)")
        }
        return result
    }
}
