import LagrangeCore
import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Columns K[·, c] of the training kernel matrix, computed on demand and kept in a
/// least-recently-used cache whose size is bounded by a memory budget (libsvm's `Cache`).
///
/// Each slot holds one full column (n doubles), allocated the first time it is used, so
/// memory grows with the columns actually requested and never exceeds the budget (or two
/// columns). Pointers returned by ``column(_:)`` stay valid until that column is evicted;
/// two columns fetched in a row never evict each other, because at least two slots exist.
final class KernelColumnCache {
    let sampleCount: Int
    let featureCount: Int
    let kernel: Kernel
    /// K[i, i] for every sample.
    let diagonal: UnsafeMutablePointer<Double>
    /// Number of column slots.
    let slotCount: Int
    private(set) var hits = 0
    private(set) var misses = 0

    private let features: UnsafeMutablePointer<Double>
    /// The features again, feature-major (d × n), for column computation.
    private let featuresByColumn: UnsafeMutablePointer<Double>
    /// Column storage per slot, allocated on first use.
    private var slots: [UnsafeMutablePointer<Double>] = []
    private var slotOfColumn: [Int32]
    private var columnOfSlot: [Int32]
    // Doubly linked LRU list over slots; `head` is the most recently used.
    private var previous: [Int32]
    private var next: [Int32]
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private var usedSlots = 0

    /// - Parameters:
    ///   - data: n × d training features (row-major).
    ///   - budgetBytes: memory for cached columns; at least two columns are always kept.
    init(features data: DenseMatrix, kernel: Kernel, budgetBytes: Double) {
        sampleCount = data.rows
        featureCount = data.columns
        self.kernel = kernel
        let columnBytes = Double(max(1, sampleCount) * MemoryLayout<Double>.stride)
        let affordable = budgetBytes.isFinite ? Int(max(0, min(budgetBytes / columnBytes, Double(Int32.max)))) : sampleCount
        slotCount = min(sampleCount, max(2, affordable))
        let copy = UnsafeMutablePointer<Double>.allocate(capacity: max(1, data.storage.count))
        data.storage.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { copy.initialize(from: base, count: src.count) }
        }
        features = copy
        let transposed = UnsafeMutablePointer<Double>.allocate(capacity: max(1, data.storage.count))
        for i in 0..<data.rows { for k in 0..<data.columns { transposed[k * data.rows + i] = data.storage[i * data.columns + k] } }
        featuresByColumn = transposed
        diagonal = .allocate(capacity: max(1, sampleCount))
        slotOfColumn = Array(repeating: -1, count: sampleCount)
        columnOfSlot = Array(repeating: -1, count: slotCount)
        previous = Array(repeating: -1, count: slotCount)
        next = Array(repeating: -1, count: slotCount)
        for i in 0..<sampleCount { diagonal[i] = entry(i, i) }
    }

    deinit {
        features.deallocate()
        featuresByColumn.deallocate()
        for slot in slots { slot.deallocate() }
        diagonal.deallocate()
    }

    /// Fraction of column requests served from the cache so far.
    var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }

    /// One kernel entry K[a, b], computed from the features.
    @inline(__always)
    func entry(_ a: Int, _ b: Int) -> Double {
        kernel.value(UnsafeBufferPointer(start: features + a * featureCount, count: featureCount),
                     UnsafeBufferPointer(start: features + b * featureCount, count: featureCount))
    }

    /// The column K[·, c] (n entries), computing it on a miss.
    func column(_ c: Int) -> UnsafePointer<Double> {
        let existing = slotOfColumn[c]
        if existing >= 0 {
            hits += 1
            moveToFront(existing)
            return UnsafePointer(slots[Int(existing)])
        }
        misses += 1
        let slot: Int32
        if usedSlots < slotCount {
            slot = Int32(usedSlots)
            usedSlots += 1
            slots.append(.allocate(capacity: max(1, sampleCount)))
        } else {
            slot = tail
            unlink(slot)
            slotOfColumn[Int(columnOfSlot[Int(slot)])] = -1
        }
        columnOfSlot[Int(slot)] = Int32(c)
        slotOfColumn[c] = slot
        pushFront(slot)
        let out = slots[Int(slot)]
        fill(out, column: c)
        return UnsafePointer(out)
    }

    /// Computes a column from the feature-major copy, so that the inner loop runs over
    /// samples with no reduction and vectorizes; the kernel switch is outside the loops.
    private func fill(_ out: UnsafeMutablePointer<Double>, column c: Int) {
        let n = sampleCount, d = featureCount
        let v = features + c * d
        out.update(repeating: 0, count: n)
        switch kernel {
        case .linear, .polynomial:
            for k in 0..<d {
                let vk = v[k], row = featuresByColumn + k * n
                for r in 0..<n { out[r] += row[r] * vk }
            }
            if case let .polynomial(degree, gamma, coef0) = kernel {
                for r in 0..<n { out[r] = Kernel.power(gamma * out[r] + coef0, degree) }
            }
        case let .rbf(gamma):
            for k in 0..<d {
                let vk = v[k], row = featuresByColumn + k * n
                for r in 0..<n { let t = row[r] - vk; out[r] += t * t }
            }
            for r in 0..<n { out[r] = exp(-gamma * out[r]) }
        }
    }

    private func unlink(_ slot: Int32) {
        let p = previous[Int(slot)], q = next[Int(slot)]
        if p >= 0 { next[Int(p)] = q } else { head = q }
        if q >= 0 { previous[Int(q)] = p } else { tail = p }
        previous[Int(slot)] = -1
        next[Int(slot)] = -1
    }

    private func pushFront(_ slot: Int32) {
        previous[Int(slot)] = -1
        next[Int(slot)] = head
        if head >= 0 { previous[Int(head)] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private func moveToFront(_ slot: Int32) {
        if head == slot { return }
        unlink(slot)
        pushFront(slot)
    }
}
