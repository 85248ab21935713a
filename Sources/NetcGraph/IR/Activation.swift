/// An activation function applied to each element, with PyTorch's definition (ReLU, the most common, is its
/// own op, `Op.relu`, which fusion knows more about).
public enum Activation: Hashable, Sendable {
    /// `LeakyReLU(negative_slope)`: x for x ≥ 0, slope·x otherwise; its gradient is slope where x ≤ 0 (PyTorch's
    /// rule at 0).
    case leakyReLU(slope: Double)
    /// `Sigmoid`: 1 / (1 + e^−x).
    case sigmoid
    /// `Tanh`: (e^x − e^−x) / (e^x + e^−x).
    case tanh
    /// `GELU` in its exact form (PyTorch's default `approximate='none'`): x·Φ(x) = x/2·(1 + erf(x/√2)).
    case gelu
    /// `SiLU` (swish): x·sigmoid(x).
    case silu

    /// 1/√2, GELU's scale of x inside erf.
    public static let inverseSquareRootOfTwo = 0.5.squareRoot()
    /// 1/√(2π), the standard normal density at 0 (in GELU's derivative).
    public static let normalDensityScale = 1 / (2 * Double.pi).squareRoot()

    /// Whether the function, or its derivative, branches on the sign of x (`Op.branchesOnSign`).
    public var branchesOnSign: Bool {
        switch self {
        case .leakyReLU: true
        case .sigmoid, .tanh, .gelu, .silu: false
        }
    }

    /// The layer's name in a `.swift-dsl` file and in kernel names: `LeakyReLU`, `GELU`, ...
    public var layerName: String {
        switch self {
        case .leakyReLU: "LeakyReLU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .gelu: "GELU"
        case .silu: "SiLU"
        }
    }
}
