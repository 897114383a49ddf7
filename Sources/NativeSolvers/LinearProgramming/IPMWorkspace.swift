import LinearAlgebra

/// Preallocated state and scratch of one interior-point solve. Owned by one solve on one
/// thread; nothing here is public and no result aliases these buffers. A struct held in
/// a local variable, so array accesses need no dynamic exclusivity checks.
struct IPMWorkspace {
    let m: Int
    let n: Int
    // Iterate.
    var x: [Double]
    var y: [Double]
    var zLower: [Double]
    var zUpper: [Double]
    // Direction (combined) and predictor direction.
    var dx: [Double]
    var dy: [Double]
    var dzLower: [Double]
    var dzUpper: [Double]
    var dxAffine: [Double]
    var dzLowerAffine: [Double]
    var dzUpperAffine: [Double]
    /// Δy of the last accepted direction while a centrality corrector is tried.
    var dySaved: [Double]
    // Residuals: rb = b − Ax, rc = c + Qx − Aᵀy − z_l + z_u.
    var primalResidual: [Double]
    var dualResidual: [Double]
    // Complementarity right-hand sides.
    var lowerTarget: [Double]
    var upperTarget: [Double]
    // Newton system scratch.
    var theta: [Double]
    var h: [Double]
    var scratchN: [Double]
    var scratchM: [Double]
    var scratchM2: [Double]
    var solveScratch: [Double]
    var normalValues: [Double]
    /// Qx (QP only) and the augmented system's right-hand side / solution [Δx; Δy].
    var qx: [Double]
    var augmented: [Double]
    /// 1 where a finite lower (upper) bound exists, else 0.
    let hasLower: [Bool]
    let hasUpper: [Bool]

    init(rows m: Int, columns n: Int, lower: [Double], upper: [Double], normalNonzeros: Int, quadratic: Bool = false) {
        self.m = m
        self.n = n
        func zeros(_ k: Int) -> [Double] { Array(repeating: 0, count: k) }
        x = zeros(n); y = zeros(m); zLower = zeros(n); zUpper = zeros(n)
        dx = zeros(n); dy = zeros(m); dzLower = zeros(n); dzUpper = zeros(n)
        dxAffine = zeros(n); dzLowerAffine = zeros(n); dzUpperAffine = zeros(n); dySaved = zeros(m)
        primalResidual = zeros(m); dualResidual = zeros(n)
        lowerTarget = zeros(n); upperTarget = zeros(n)
        theta = zeros(n); h = zeros(n); scratchN = zeros(n); scratchM = zeros(m); scratchM2 = zeros(m)
        solveScratch = zeros(m)
        normalValues = zeros(normalNonzeros)
        qx = zeros(quadratic ? n : 0)
        augmented = zeros(quadratic ? n + m : 0)
        hasLower = lower.map { $0.isFinite }
        hasUpper = upper.map { $0.isFinite }
    }
}
