import Foundation
import LagrangeCore
import LinearAlgebra

/// Reads `kind: linear-system` YAML files (docs/problem-files.md):
///
/// ```yaml
/// kind: linear-system
/// A: a.mtx            # Matrix Market or .csv file, or inline rows [[1, 2], [3, 4]]
/// b: b.mtx            # file (m×1 or 1×m) or inline list
/// x_true: x.mtx       # optional: known solution, enables error tracking
/// ridge: 0.01         # optional λ ≥ 0: minimize ‖Ax − b‖² + λ‖x‖²
/// storage: auto       # optional: auto (by density) | dense | sparse
/// ```
enum LinearSystemFileReader {
    static func read(_ file: YAMLProblemFile) throws(InputError) -> ProblemDefinition {
        var storage = MatrixMarket.StoragePreference.auto
        if let v = file.value("storage") {
            let text = try v.string()
            guard let s = MatrixMarket.StoragePreference(rawValue: text) else { throw v.error("expected auto, dense or sparse") }
            storage = s
        }
        let aValue = try file.required("A", "a Matrix Market or CSV file, or inline rows")
        let matrix = try readMatrix(aValue, file: file, storage: storage)
        let bValue = try file.required("b", "the right-hand side")
        let b = try readVector(bValue, file: file)
        guard b.count == matrix.rowCount else {
            throw bValue.error("has \(b.count) entries but A has \(matrix.rowCount) rows")
        }
        var xTrue: [Double]? = nil
        if let v = file.value("x_true") {
            let x = try readVector(v, file: file)
            guard x.count == matrix.columnCount else { throw v.error("has \(x.count) entries but A has \(matrix.columnCount) columns") }
            xTrue = x
        }
        var ridge = 0.0
        if let v = file.value("ridge") {
            ridge = try v.number()
            guard ridge >= 0 else { throw v.error("must be ≥ 0") }
        }
        let problem = try ProblemFileReader.model(file.path) { () throws(ModelError) in
            try LinearSystemProblem(name: file.name, matrix: matrix, rightHandSide: b, knownSolution: xTrue, ridge: ridge)
        }
        return file.definition(.linearSystem(problem))
    }

    static func readMatrix(_ v: YAMLValue, file: YAMLProblemFile, storage: MatrixMarket.StoragePreference) throws(InputError) -> SystemMatrix {
        if v.isScalar {
            let path = file.resolve(try v.string())
            switch (path as NSString).pathExtension.lowercased() {
            case "mtx": return try MatrixMarket.readMatrix(path, storage: storage)
            case "csv": return try CSVMatrix.readMatrix(path, storage: storage)
            default: throw v.error("'\(try v.string())' is not a .mtx or .csv file")
            }
        }
        let rows = try v.matrixRows()
        guard let first = rows.first, !first.isEmpty else { throw v.error("A has no entries") }
        return MatrixStorage.choose(rows: rows.count, columns: first.count, rowMajor: rows.flatMap { $0 }, storage: storage)
    }

    static func readVector(_ v: YAMLValue, file: YAMLProblemFile) throws(InputError) -> [Double] {
        if v.isScalar {
            let path = file.resolve(try v.string())
            switch (path as NSString).pathExtension.lowercased() {
            case "mtx": return try MatrixMarket.readVector(path)
            case "csv": return try CSVMatrix.readVector(path)
            default: throw v.error("'\(try v.string())' is not a .mtx or .csv file, nor a list of numbers")
            }
        }
        return try v.numbers()
    }
}
