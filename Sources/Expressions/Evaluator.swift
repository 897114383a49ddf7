/// The forward and reverse sweeps over a tape, generic over the scalar type so one body of
/// derivative rules serves values (`Double`), directional derivatives and Hessian–vector
/// products (`Dual`: the reverse sweep run on dual numbers is forward-over-reverse).
extension ExpressionTape {
    /// Forward sweep: `values[i]` = value of node i; variables read from `inputs`.
    @inline(__always)
    func forward<T: TapeScalar>(inputs: UnsafeBufferPointer<T>, values: UnsafeMutableBufferPointer<T>) {
        operations.withUnsafeBufferPointer { ops in
        first.withUnsafeBufferPointer { fa in
        second.withUnsafeBufferPointer { sa in
        constants.withUnsafeBufferPointer { cs in
            for i in 0..<ops.count {
                let a = Int(fa[i]), b = Int(sa[i])
                let v: T
                switch ops[i] {
                case .constant: v = T(cs[i])
                case .variable: v = inputs[a]
                case .add: v = values[a] + values[b]
                case .subtract: v = values[a] - values[b]
                case .multiply: v = values[a] * values[b]
                case .divide: v = values[a] / values[b]
                case .negate: v = -values[a]
                case .powerConstant: v = T.powConstant(values[a], cs[i])
                case .power: v = T.power(values[a], values[b])
                case .exp: v = T.exponential(values[a])
                case .log: v = T.logarithm(values[a])
                case .sqrt: v = T.squareRootOf(values[a])
                case .sin: v = T.sine(values[a])
                case .cos: v = T.cosine(values[a])
                case .tan: v = T.tangent(values[a])
                case .atan: v = T.arctangent(values[a])
                case .tanh: v = T.hyperbolicTangent(values[a])
                case .sinh: v = T.hyperbolicSine(values[a])
                case .cosh: v = T.hyperbolicCosine(values[a])
                case .abs: v = values[a].primal >= 0 ? values[a] : -values[a]
                case .maximum: v = values[a].primal >= values[b].primal ? values[a] : values[b]
                case .minimum: v = values[a].primal <= values[b].primal ? values[a] : values[b]
                }
                values[i] = v
            }
        }}}}
    }

    /// Reverse sweep after ``forward(inputs:values:)``: accumulates ∂(last node)/∂(variable)
    /// into `gradient` (which the caller zeroes). `adjoints` is scratch of the tape's length.
    @inline(__always)
    func reverse<T: TapeScalar>(values: UnsafeMutableBufferPointer<T>, adjoints: UnsafeMutableBufferPointer<T>,
                                gradient: UnsafeMutableBufferPointer<T>) {
        let n = operations.count
        guard n > 0 else { return }
        let zero = T(0)
        for i in 0..<n { adjoints[i] = zero }
        adjoints[n - 1] = T(1)
        operations.withUnsafeBufferPointer { ops in
        first.withUnsafeBufferPointer { fa in
        second.withUnsafeBufferPointer { sa in
        constants.withUnsafeBufferPointer { cs in
            var i = n - 1
            while i >= 0 {
                defer { i -= 1 }
                let g = adjoints[i]
                if g.isZero { continue }
                let a = Int(fa[i]), b = Int(sa[i])
                switch ops[i] {
                case .constant: break
                case .variable: gradient[a] = gradient[a] + g
                case .add:
                    adjoints[a] = adjoints[a] + g
                    adjoints[b] = adjoints[b] + g
                case .subtract:
                    adjoints[a] = adjoints[a] + g
                    adjoints[b] = adjoints[b] - g
                case .multiply:
                    adjoints[a] = adjoints[a] + g * values[b]
                    adjoints[b] = adjoints[b] + g * values[a]
                case .divide:
                    let q = g / values[b]
                    adjoints[a] = adjoints[a] + q
                    adjoints[b] = adjoints[b] - q * values[i]
                case .negate: adjoints[a] = adjoints[a] - g
                case .powerConstant:
                    let p = cs[i]
                    if p == 2 {
                        adjoints[a] = adjoints[a] + T.scaled(g * values[a], by: 2)
                    } else {
                        adjoints[a] = adjoints[a] + T.scaled(g * T.powConstant(values[a], p - 1), by: p)
                    }
                case .power:
                    let base = values[a], exponent = values[b]
                    adjoints[a] = adjoints[a] + g * exponent * T.power(base, exponent - T(1))
                    // ∂/∂b = a^b log a; skip where it is a 0·log 0 artefact of a zero power.
                    if values[i].primal != 0 {
                        adjoints[b] = adjoints[b] + g * values[i] * T.logarithm(base)
                    }
                case .exp: adjoints[a] = adjoints[a] + g * values[i]
                case .log: adjoints[a] = adjoints[a] + g / values[a]
                case .sqrt: adjoints[a] = adjoints[a] + g / T.scaled(values[i], by: 2)
                case .sin: adjoints[a] = adjoints[a] + g * T.cosine(values[a])
                case .cos: adjoints[a] = adjoints[a] - g * T.sine(values[a])
                case .tan: adjoints[a] = adjoints[a] + g * (T(1) + values[i] * values[i])
                case .atan: adjoints[a] = adjoints[a] + g / (T(1) + values[a] * values[a])
                case .tanh: adjoints[a] = adjoints[a] + g * (T(1) - values[i] * values[i])
                case .sinh: adjoints[a] = adjoints[a] + g * T.hyperbolicCosine(values[a])
                case .cosh: adjoints[a] = adjoints[a] + g * T.hyperbolicSine(values[a])
                case .abs:
                    adjoints[a] = values[a].primal >= 0 ? adjoints[a] + g : adjoints[a] - g
                case .maximum:
                    if values[a].primal >= values[b].primal { adjoints[a] = adjoints[a] + g } else { adjoints[b] = adjoints[b] + g }
                case .minimum:
                    if values[a].primal <= values[b].primal { adjoints[a] = adjoints[a] + g } else { adjoints[b] = adjoints[b] + g }
                }
            }
        }}}}
    }
}
