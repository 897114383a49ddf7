import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads `kind: matrix-game` problem files (docs/problem-files.md):
///
/// - `payoff:` the matrix as a list of rows, or a path (relative to the problem file) to a
///   CSV file (``PayoffCSVReader``) or a Gambit `.nfg` file (``NFGReader``);
/// - `payoff_to:` `column` (default: A[i][j] is what the row player pays the column
///   player) or `row` (A[i][j] is what the row player receives; the matrix is negated on
///   load so the model keeps the column convention); not allowed with an `.nfg` file,
///   which states each player's payoff itself;
/// - `row_names:`, `column_names:` optional strategy names.
///
/// A `.nfg` file can also be loaded directly (``readNFG(_:)``).
enum MatrixGameFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        let payoffValue = try file.required("payoff", "a list of rows, or a .csv or .nfg file")
        var orientation = "column"
        var orientationValue: YAMLValue? = nil
        if let v = file.value("payoff_to") {
            orientation = try v.string()
            orientationValue = v
            guard orientation == "column" || orientation == "row" else {
                throw v.error("expected 'column' (the row player pays, the default) or 'row' (the row player receives), found '\(orientation)'")
            }
        }
        var matrix: DenseMatrix
        var rowNames: [String]? = nil, columnNames: [String]? = nil
        if payoffValue.isScalar {
            let path = file.resolve(try payoffValue.string())
            let ext = (path as NSString).pathExtension.lowercased()
            switch ext {
            case "csv":
                matrix = try PayoffCSVReader.read(path)
            case "nfg":
                if let orientationValue {
                    throw orientationValue.error("does not apply to an .nfg file, which gives each player's payoff (the matrix is player 2's)")
                }
                let game = try NFGReader.read(path)
                matrix = game.payoff
                rowNames = game.rowNames
                columnNames = game.columnNames
            default:
                throw payoffValue.error("expected a list of rows, or a .csv or .nfg file, found '\(try payoffValue.string())'")
            }
        } else {
            let rows = try payoffValue.matrixRows()
            guard let first = rows.first, !first.isEmpty else { throw payoffValue.error("the payoff matrix is empty") }
            do { matrix = try DenseMatrix(rowArrays: rows) } catch { throw payoffValue.error("\(error)") }
        }
        if orientation == "row" {
            for k in matrix.storage.indices { matrix.storage[k] = -matrix.storage[k] }
        }
        if let v = file.value("row_names") {
            let names = try v.uniqueStrings()
            guard names.count == matrix.rows else { throw v.error("has \(names.count) names for \(matrix.rows) rows") }
            rowNames = names
        }
        if let v = file.value("column_names") {
            let names = try v.uniqueStrings()
            guard names.count == matrix.columns else { throw v.error("has \(names.count) names for \(matrix.columns) columns") }
            columnNames = names
        }
        let payoff = matrix
        let game = try ProblemFileReader.model(file.path) { () throws(ModelError) in
            try MatrixGame(name: file.name, payoff: payoff, rowNames: rowNames, columnNames: columnNames)
        }
        return file.definition(.matrixGame(game))
    }

    /// Loads a Gambit `.nfg` file as a problem (the name is the file name).
    static func readNFG(_ path: String) throws(InputError) -> ProblemDefinition {
        let parsed = try NFGReader.read(path)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let game = try ProblemFileReader.model(path) { () throws(ModelError) in
            try MatrixGame(name: name, payoff: parsed.payoff, rowNames: parsed.rowNames, columnNames: parsed.columnNames)
        }
        var notes: [String] = []
        if parsed.constantSum != 0 {
            notes.append("constant-sum game (u1 + u2 = \(parsed.constantSum)): the matrix is player 2's payoff; player 1 receives \(parsed.constantSum) − A[i][j]")
        }
        return ProblemDefinition(name: name, problem: .matrixGame(game), sourcePath: path, notes: notes)
    }
}
