/// Whether two index expressions differ by a constant, whatever the values of the variables and locals they read.
extension Expr {
    /// `self − other` when it is the same constant for every value of the variables and locals both read, nil when
    /// that cannot be shown: both are read as sums of constant multiples of terms (any subexpression that is not an
    /// addition, a subtraction, a multiplication by a constant or a constant counts as a term of its own, compared
    /// as written), and must have the same terms with the same multiples.
    ///
    /// `((n · 32 + c) · 28 + y) · 28 + x · 2 + 3` and `((n · 32 + c) · 28 + y) · 28 + x · 2` differ by 3; `x / 2 + 1`
    /// and `x / 2` by 1; `x · 2` and `x` by nothing constant.
    public func constantOffset(from other: Expr) -> Int? {
        let (a, b) = (affineTerms(), other.affineTerms())
        return a.terms == b.terms ? a.constant - b.constant : nil
    }

    /// The expression as `Σ multiple · term + constant`, terms with a multiple of 0 left out.
    private func affineTerms() -> (terms: [Expr: Int], constant: Int) {
        func combined(_ a: Expr, _ b: Expr, sign: Int) -> (terms: [Expr: Int], constant: Int) {
            let (x, y) = (a.affineTerms(), b.affineTerms())
            let terms = x.terms.merging(y.terms.mapValues { sign * $0 }, uniquingKeysWith: +).filter { $0.value != 0 }
            return (terms, x.constant + sign * y.constant)
        }
        func scaled(_ form: (terms: [Expr: Int], constant: Int), by factor: Int) -> (terms: [Expr: Int], constant: Int)
        {
            (form.terms.mapValues { factor * $0 }.filter { $0.value != 0 }, factor * form.constant)
        }
        switch self {
        case .integer(let value): return ([:], value)
        case .binary(.add, let a, let b): return combined(a, b, sign: 1)
        case .binary(.subtract, let a, let b): return combined(a, b, sign: -1)
        case .binary(.multiply, let a, let b):
            let (x, y) = (a.affineTerms(), b.affineTerms())
            if x.terms.isEmpty { return scaled(y, by: x.constant) }
            if y.terms.isEmpty { return scaled(x, by: y.constant) }
            return ([self: 1], 0)
        case .real, .variable, .local, .load, .unary, .binary, .multiplyAdd, .compare, .select, .convert, .philox:
            return ([self: 1], 0)
        }
    }
}

/// What an index is known to be a multiple of.
extension Expr {
    /// The largest power of two, up to `limit` (itself a power of two), that divides the value for every value of the
    /// variables and locals it reads: a constant's own (`limit` for 0), the smaller of a sum's or difference's two,
    /// the product of a product's; anything else may be odd.
    ///
    /// `((n · 32 + c) · 28 + y) · 28 + 24` is a multiple of 4 (28 = 4 · 7, 24 = 8 · 3); `x · 8 + 2` of 2.
    public func powerOfTwoFactor(upTo limit: Int) -> Int {
        switch self {
        case .integer(let value): value == 0 ? limit : min(limit, 1 << value.trailingZeroBitCount)
        case .binary(.add, let a, let b), .binary(.subtract, let a, let b):
            min(a.powerOfTwoFactor(upTo: limit), b.powerOfTwoFactor(upTo: limit))
        case .binary(.multiply, let a, let b):
            min(limit, a.powerOfTwoFactor(upTo: limit) * b.powerOfTwoFactor(upTo: limit))
        case .real, .variable, .local, .load, .unary, .binary, .multiplyAdd, .compare, .select, .convert, .philox: 1
        }
    }
}
