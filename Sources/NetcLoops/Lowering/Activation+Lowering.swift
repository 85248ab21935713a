import NetcGraph

/// The activation functions as loop-IR expressions over an `f64` operand: the compiled counterparts of the
/// interpreter's `Activation.value(at:)` and `derivative(at:)`, with the same operations in the same order so
/// that the `f32` results agree with it (the code generator's `exp`, `tanh` and `erf` are within 2 units in the last
/// place of the C library's, which the interpreter calls).
extension Activation {
    /// f(x) in `f64`; `x` must be cheap to repeat (a local or a constant).
    func value(at x: Expr, _ builder: inout KernelBuilder) -> Expr {
        switch self {
        case .leakyReLU(let slope):
            return .select(.compare(.greater, x, .f64(0)), then: x, otherwise: .binary(.multiply, x, .f64(slope)))
        case .sigmoid:
            return logistic(x)
        case .tanh:
            return .unary(.tanh, x)
        case .gelu:
            return .binary(.multiply, .binary(.multiply, x, .f64(0.5)), normalCumulative(x))
        case .silu:
            return .binary(.divide, x, .binary(.add, .f64(1), .unary(.exp, .unary(.negate, x))))
        }
    }

    /// f′(x) in `f64`; `x` must be cheap to repeat.
    func derivative(at x: Expr, _ builder: inout KernelBuilder) -> Expr {
        switch self {
        case .leakyReLU(let slope):
            return .select(.compare(.greater, x, .f64(0)), then: .f64(1), otherwise: .f64(slope))
        case .sigmoid:
            let y = builder.bind(logistic(x), .float64)
            return .binary(.multiply, .binary(.subtract, .f64(1), y), y)
        case .tanh:
            let y = builder.bind(.unary(.tanh, x), .float64)
            return .binary(.subtract, .f64(1), .binary(.multiply, y, y))
        case .gelu:
            let cumulative = Expr.binary(.multiply, .f64(0.5), normalCumulative(x))
            let exponent = Expr.binary(.multiply, .binary(.multiply, x, x), .f64(-0.5))
            let density = Expr.binary(.multiply, .f64(Self.normalDensityScale), .unary(.exp, exponent))
            return .binary(.add, cumulative, .binary(.multiply, x, density))
        case .silu:
            let sigmoid = builder.bind(logistic(x), .float64)
            let slope = Expr.binary(.add, .f64(1), .binary(.multiply, x, .binary(.subtract, .f64(1), sigmoid)))
            return .binary(.multiply, sigmoid, slope)
        }
    }

    /// 1 / (1 + e^−x).
    private func logistic(_ x: Expr) -> Expr {
        .binary(.divide, .f64(1), .binary(.add, .f64(1), .unary(.exp, .unary(.negate, x))))
    }

    /// 1 + erf(x/√2), twice the standard normal distribution function at x.
    private func normalCumulative(_ x: Expr) -> Expr {
        .binary(.add, .f64(1), .unary(.erf, .binary(.multiply, x, .f64(Self.inverseSquareRootOfTwo))))
    }
}
