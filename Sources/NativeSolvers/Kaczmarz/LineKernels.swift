import LagrangeCore
import LinearAlgebra

/// Access to the lines (rows or columns) of a matrix through raw pointers, for the hot
/// loops of row-action methods. A kernel is valid only inside the closure that made it
/// (``withLineKernels(_:needColumns:_:)``); it never copies the matrix.
protocol LineKernel {
    /// Number of lines (rows for a row kernel, columns for a column kernel).
    var lineCount: Int { get }
    /// Length of each line.
    var lineLength: Int { get }
    /// ⟨line ℓ, v⟩ where v has `lineLength` entries.
    func dot(_ line: Int, _ v: UnsafeMutablePointer<Double>) -> Double
    /// v += α · line ℓ.
    func axpy(_ line: Int, _ alpha: Double, _ v: UnsafeMutablePointer<Double>)
    /// ‖line ℓ‖².
    func normSquared(_ line: Int) -> Double
    /// ‖line ℓ‖² for every line.
    func normsSquared() -> [Double]
    /// Entries stored (what one pass over the matrix touches).
    var entryCount: Int { get }
}

extension LineKernel {
    func normsSquared() -> [Double] {
        var norms = Array(repeating: 0.0, count: lineCount)
        for i in 0..<lineCount { norms[i] = normSquared(i) }
        return norms
    }
}

/// Rows of a dense row-major matrix: contiguous, unit stride.
struct DenseRowKernel: LineKernel {
    let entries: UnsafePointer<Double>
    let lineCount: Int
    let lineLength: Int

    @inline(__always)
    func dot(_ line: Int, _ v: UnsafeMutablePointer<Double>) -> Double {
        let a = entries + line * lineLength
        // Four partial sums: breaks the add dependency chain so the loop vectorizes.
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= lineLength {
            s0 += a[j] * v[j]; s1 += a[j + 1] * v[j + 1]; s2 += a[j + 2] * v[j + 2]; s3 += a[j + 3] * v[j + 3]
            j += 4
        }
        while j < lineLength { s0 += a[j] * v[j]; j += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    @inline(__always)
    func axpy(_ line: Int, _ alpha: Double, _ v: UnsafeMutablePointer<Double>) {
        let a = entries + line * lineLength
        for j in 0..<lineLength { v[j] += alpha * a[j] }
    }

    func normSquared(_ line: Int) -> Double {
        let a = entries + line * lineLength
        var s = 0.0
        for j in 0..<lineLength { s += a[j] * a[j] }
        return s
    }

    var entryCount: Int { lineCount * lineLength }
}

/// Columns of a dense row-major matrix: stride = number of columns.
struct DenseColumnKernel: LineKernel {
    let entries: UnsafePointer<Double>
    /// Columns of the matrix.
    let lineCount: Int
    /// Rows of the matrix.
    let lineLength: Int

    @inline(__always)
    func dot(_ line: Int, _ v: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        var p = entries + line
        for i in 0..<lineLength { s += p.pointee * v[i]; p += lineCount }
        return s
    }

    @inline(__always)
    func axpy(_ line: Int, _ alpha: Double, _ v: UnsafeMutablePointer<Double>) {
        var p = entries + line
        for i in 0..<lineLength { v[i] += alpha * p.pointee; p += lineCount }
    }

    func normSquared(_ line: Int) -> Double {
        var s = 0.0
        var p = entries + line
        for _ in 0..<lineLength { s += p.pointee * p.pointee; p += lineCount }
        return s
    }

    /// All column norms in one sweep over the rows: a column at a time would read one
    /// entry per cache line (seconds on a 50 000 × 500 matrix). Each column still sums its
    /// entries in row order, so the norms are those of ``normSquared(_:)`` bit for bit.
    func normsSquared() -> [Double] {
        var norms = Array(repeating: 0.0, count: lineCount)
        norms.withUnsafeMutableBufferPointer { out in
            var row = entries
            for _ in 0..<lineLength {
                for j in 0..<lineCount { out[j] += row[j] * row[j] }
                row += lineCount
            }
        }
        return norms
    }

    var entryCount: Int { lineCount * lineLength }
}

/// Lines of a compressed matrix: CSC columns, or (for the CSC form of Aᵀ) CSR rows of A.
struct CompressedKernel: LineKernel {
    let starts: UnsafePointer<Int>
    let indices: UnsafePointer<Int>
    let values: UnsafePointer<Double>
    let lineCount: Int
    let lineLength: Int

    @inline(__always)
    func dot(_ line: Int, _ v: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        for k in starts[line]..<starts[line + 1] { s += values[k] * v[indices[k]] }
        return s
    }

    @inline(__always)
    func axpy(_ line: Int, _ alpha: Double, _ v: UnsafeMutablePointer<Double>) {
        for k in starts[line]..<starts[line + 1] { v[indices[k]] += alpha * values[k] }
    }

    func normSquared(_ line: Int) -> Double {
        var s = 0.0
        for k in starts[line]..<starts[line + 1] { s += values[k] * values[k] }
        return s
    }

    var entryCount: Int { starts[lineCount] }
}

/// A computation generic over the row kernel (and, for methods that need it, a column
/// kernel), so each storage gets its own specialized loop.
protocol LineKernelBody {
    associatedtype Output
    func run<Rows: LineKernel, Columns: LineKernel>(rows: Rows, columns: Columns?) throws -> Output
}

/// Runs `body` with pointer kernels over `matrix`.
///
/// Dense storage gives rows and (strided) columns of the same buffer. Sparse storage gives
/// the lines it stores without copying; the other orientation, when `needColumns` (or rows
/// of a CSC matrix) asks for it, is built once by transposition, which is the one copy of A
/// a method can cost (documented on the solvers that need it).
func withLineKernels<Body: LineKernelBody>(_ matrix: SystemMatrix, needColumns: Bool, _ body: Body) throws -> Body.Output {
    switch matrix {
    case .dense(let a):
        return try a.storage.withUnsafeBufferPointer { p throws -> Body.Output in
            guard let base = p.baseAddress else { throw SolverError.unsupported("A is empty") }
            let rows = DenseRowKernel(entries: base, lineCount: a.rows, lineLength: a.columns)
            let columns = DenseColumnKernel(entries: base, lineCount: a.columns, lineLength: a.rows)
            return try body.run(rows: rows, columns: needColumns ? columns : nil)
        }
    case .sparseRows(let transpose):
        return try withCompressed(transpose) { rows throws -> Body.Output in
            guard needColumns else { return try body.run(rows: rows, columns: Optional<CompressedKernel>.none) }
            return try withCompressed(transpose.transposed()) { columns throws -> Body.Output in
                try body.run(rows: rows, columns: columns)
            }
        }
    case .sparse(let csc):
        return try withCompressed(csc.transposed()) { rows throws -> Body.Output in
            guard needColumns else { return try body.run(rows: rows, columns: Optional<CompressedKernel>.none) }
            return try withCompressed(csc) { columns throws -> Body.Output in try body.run(rows: rows, columns: columns) }
        }
    }
}

/// A kernel over the columns of a CSC matrix.
private func withCompressed<T>(_ m: SparseMatrix, _ body: (CompressedKernel) throws -> T) throws -> T {
    try m.columnStarts.withUnsafeBufferPointer { s in
        try m.rowIndices.withUnsafeBufferPointer { r in
            try m.values.withUnsafeBufferPointer { v in
                // Empty index arrays have no base address; any valid pointer will do since
                // no line then has entries.
                let dummyIndex = UnsafeMutablePointer<Int>.allocate(capacity: 1)
                let dummyValue = UnsafeMutablePointer<Double>.allocate(capacity: 1)
                defer { dummyIndex.deallocate(); dummyValue.deallocate() }
                let kernel = CompressedKernel(starts: s.baseAddress ?? UnsafePointer(dummyIndex),
                                              indices: r.baseAddress ?? UnsafePointer(dummyIndex),
                                              values: v.baseAddress ?? UnsafePointer(dummyValue),
                                              lineCount: m.columnCount, lineLength: m.rowCount)
                return try body(kernel)
            }
        }
    }
}

/// Whole-matrix products through a row kernel (streaming A by rows, no temporaries).
extension LineKernel {
    /// ‖b − A x‖ with `self` the rows of A.
    func residualNorm(b: UnsafePointer<Double>, x: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<lineCount { let r = b[i] - dot(i, x); s += r * r }
        return s.squareRoot()
    }

    /// out = Aᵀ(b − A x) with `self` the rows of A; `out` has lineLength entries.
    func normalResidual(b: UnsafePointer<Double>, x: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for j in 0..<lineLength { out[j] = 0 }
        for i in 0..<lineCount {
            let r = b[i] - dot(i, x)
            if r != 0 { axpy(i, r, out) }
        }
    }
}
