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
    /// ‖line ℓ‖² for every line and, when `v` is given, ⟨line ℓ, v⟩ for every line, in one
    /// pass over the matrix (Kaczmarz needs both before its first step: the norms for the
    /// sampler and the step, A·x_true for the angle diagnostic). Each line's two sums run
    /// over its entries in order from 0, as ``normSquared(_:)`` and the matrix's own A·v
    /// do, so the values are theirs bit for bit; only the passes are fused.
    func normsSquaredAndProducts(_ v: UnsafePointer<Double>?) -> (norms: [Double], products: [Double])
    /// Entries stored (what one pass over the matrix touches).
    var entryCount: Int { get }
    /// ‖b − A x‖ with `self` the rows of A (one pass).
    func residualNorm(b: UnsafePointer<Double>, x: UnsafeMutablePointer<Double>) -> Double
}

extension LineKernel {
    func normsSquared() -> [Double] {
        var norms = Array(repeating: 0.0, count: lineCount)
        for i in 0..<lineCount { norms[i] = normSquared(i) }
        return norms
    }

    /// The norms alone: a kernel that can fuse the products overrides this; callers
    /// that get no products (an empty array) compute them themselves.
    func normsSquaredAndProducts(_ v: UnsafePointer<Double>?) -> (norms: [Double], products: [Double]) {
        (normsSquared(), [])
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

    /// Four rows at a time: each row's norm (and product with `v`) is still one sum in
    /// entry order, the sum of ``normSquared(_:)`` (and of `DenseMatrix.multiply`), but the
    /// four rows' sums are independent chains that the core overlaps, where one row at a
    /// time waited on each add (a pass over a 20000 × 200 matrix took 4–6 ms, twice).
    func normsSquaredAndProducts(_ v: UnsafePointer<Double>?) -> (norms: [Double], products: [Double]) {
        let m = lineCount, n = lineLength
        var norms = Array(repeating: 0.0, count: m)
        var products = Array(repeating: 0.0, count: v == nil ? 0 : m)
        norms.withUnsafeMutableBufferPointer { normBuffer in
        products.withUnsafeMutableBufferPointer { productBuffer in
            guard let out = normBuffer.baseAddress else { return }
            var i = 0
            if let v, let dots = productBuffer.baseAddress {
                while i + 4 <= m {
                    let a0 = entries + i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var d0 = 0.0, d1 = 0.0, d2 = 0.0, d3 = 0.0
                    for j in 0..<n {
                        let x = v[j]
                        s0 += a0[j] * a0[j]; d0 += a0[j] * x
                        s1 += a1[j] * a1[j]; d1 += a1[j] * x
                        s2 += a2[j] * a2[j]; d2 += a2[j] * x
                        s3 += a3[j] * a3[j]; d3 += a3[j] * x
                    }
                    out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3
                    dots[i] = d0; dots[i + 1] = d1; dots[i + 2] = d2; dots[i + 3] = d3
                    i += 4
                }
                while i < m {
                    let a = entries + i * n
                    var s = 0.0, d = 0.0
                    for j in 0..<n { s += a[j] * a[j]; d += a[j] * v[j] }
                    out[i] = s; dots[i] = d
                    i += 1
                }
            } else {
                while i + 4 <= m {
                    let a0 = entries + i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    for j in 0..<n {
                        s0 += a0[j] * a0[j]; s1 += a1[j] * a1[j]; s2 += a2[j] * a2[j]; s3 += a3[j] * a3[j]
                    }
                    out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3
                    i += 4
                }
                while i < m { out[i] = normSquared(i); i += 1 }
            }
        }}
        return (norms, products)
    }

    /// ‖b − A x‖, four rows at a time: each row's dot is ``dot(_:_:)`` (the same partial
    /// sums in the same order) and the squares are added in row order, so the value is the
    /// generic ``LineKernel/residualNorm(b:x:)``'s bit for bit; the four dots overlap.
    func residualNorm(b: UnsafePointer<Double>, x: UnsafeMutablePointer<Double>) -> Double {
        let m = lineCount
        var s = 0.0
        var i = 0
        while i + 4 <= m {
            let r0 = b[i] - dot(i, x), r1 = b[i + 1] - dot(i + 1, x)
            let r2 = b[i + 2] - dot(i + 2, x), r3 = b[i + 3] - dot(i + 3, x)
            s += r0 * r0; s += r1 * r1; s += r2 * r2; s += r3 * r3
            i += 4
        }
        while i < m { let r = b[i] - dot(i, x); s += r * r; i += 1 }
        return s.squareRoot()
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

    /// One pass: each line's norm and its product with `v`, both summed in stored order
    /// (the order of ``normSquared(_:)`` and of the sparse A·v).
    func normsSquaredAndProducts(_ v: UnsafePointer<Double>?) -> (norms: [Double], products: [Double]) {
        guard let v else { return (normsSquared(), []) }
        var norms = Array(repeating: 0.0, count: lineCount)
        var products = Array(repeating: 0.0, count: lineCount)
        for line in 0..<lineCount {
            var s = 0.0, d = 0.0
            for k in starts[line]..<starts[line + 1] { s += values[k] * values[k]; d += values[k] * v[indices[k]] }
            norms[line] = s
            products[line] = d
        }
        return (norms, products)
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
