import ArgumentParser
import Foundation
import Lagrange

/// `-` among the problem files: the problem on standard input.
///
/// The parent reads standard input once, under the files' 1 GiB cap, and saves it in a
/// private folder (mode 0700) as `stdin.FORMAT`: the child process that solves each file
/// (process isolation) then reads it like any file, and the extension picks the reader.
/// Results and messages name it `<stdin>`; the folder is removed when the command ends.
struct StandardInputFile {
    static let argument = "-"
    static let displayName = "<stdin>"

    /// The private copy.
    let path: String
    private let folder: String

    /// The `--input-format` values: the extensions the readers know.
    static var formats: [String] { ProblemFileReader.supportedExtensions }

    /// The usage rules: `-` at most once, `--input-format` only with `-`, a known format.
    static func validate(files: [String], inputFormat: String?) throws {
        let count = files.filter { $0 == argument }.count
        if count > 1 { throw ValidationError("'-' (standard input) may be given once") }
        if let format = inputFormat {
            if count == 0 { throw ValidationError("--input-format applies to standard input ('-'); files are read by their extension") }
            if !formats.contains(format.lowercased()) {
                throw ValidationError("unknown --input-format '\(format)'; expected one of \(formats.joined(separator: ", "))")
            }
        }
    }

    /// Reads standard input and saves it. Without `format`, a YAML/JSON problem is told by
    /// its top-level `kind:`; anything else needs `--input-format` (an MPS and an LP file
    /// cannot be told apart reliably from their text).
    static func read(format: String?) throws(InputError) -> StandardInputFile {
        let data = try TextFile.standardInput(name: displayName)
        let ext: String
        if let format {
            ext = format.lowercased()
        } else if DirectoryScan.hasKind(String(decoding: data.prefix(1 << 20), as: UTF8.self)) {
            ext = "yaml"
        } else {
            throw InputError(file: displayName, "cannot tell the format of standard input (no top-level 'kind:'); give --input-format, one of \(formats.joined(separator: ", "))")
        }
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("lagrange-stdin.XXXXXX")
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw InputError(file: displayName, "cannot make a temporary folder for it (\(String(cString: strerror(errno))))")
        }
        let folder = String(cString: made)
        let path = (folder as NSString).appendingPathComponent("stdin." + ext)
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw InputError(file: displayName, "cannot save it to \(path): \(error.localizedDescription)")
        }
        return StandardInputFile(path: path, folder: folder)
    }

    /// Removes the private folder.
    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// `files` with `-` replaced by the private copy.
    func substituted(in files: [String]) -> [String] {
        files.map { $0 == Self.argument ? path : $0 }
    }
}

extension StandardInputFile {
    /// Standard input saved to its private copy when `files` names `-`, else nil. A failed
    /// read is printed and ends the command with exit 2 (solve and check share this).
    static func readIfNamed(in files: [String], format: String?) throws -> StandardInputFile? {
        guard files.contains(argument) else { return nil }
        do { return try read(format: format) } catch {
            Console.err(Console.message(for: error, file: nil) + "\n")
            throw CommandExit(status: .badInput)
        }
    }
}
