import Foundation
import NetcGraph

extension Kernels {
    /// y = f(x) for each element, with PyTorch's formulas.
    static func activation(_ x: Tensor, _ activation: Activation) -> [Double] {
        x.scalars.map { activation.value(at: $0) }
    }

    /// dx = dy · f′(x) for each element, with PyTorch's formulas.
    static func activationBackward(_ x: Tensor, gradient dy: Tensor, _ activation: Activation) -> [Double] {
        zip(x.scalars, dy.scalars).map { x, dy in dy * activation.derivative(at: x) }
    }
}

extension Activation {
    /// f(x), written as PyTorch's CPU kernels compute it.
    func value(at x: Double) -> Double {
        switch self {
        case .leakyReLU(let slope): x > 0 ? x : x * slope
        case .sigmoid: 1 / (1 + exp(-x))
        case .tanh: Foundation.tanh(x)
        case .gelu: x * 0.5 * (1 + erf(x * Self.inverseSquareRootOfTwo))
        case .silu: x / (1 + exp(-x))
        }
    }

    /// f′(x), written as PyTorch's backward kernels compute it; at 0 LeakyReLU takes the slope's side.
    func derivative(at x: Double) -> Double {
        switch self {
        case .leakyReLU(let slope):
            return x > 0 ? 1 : slope
        case .sigmoid:
            let y = 1 / (1 + exp(-x))
            return (1 - y) * y
        case .tanh:
            let y = Foundation.tanh(x)
            return 1 - y * y
        case .gelu:
            let cumulative = 0.5 * (1 + erf(x * Self.inverseSquareRootOfTwo))
            let density = Self.normalDensityScale * exp(x * x * -0.5)
            return cumulative + x * density
        case .silu:
            let sigmoid = 1 / (1 + exp(-x))
            return sigmoid * (1 + x * (1 - sigmoid))
        }
    }
}
