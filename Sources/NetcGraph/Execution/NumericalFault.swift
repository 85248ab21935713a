/// The first NaN or infinity a run computed, found by checking every kernel's (or node's) results as it ran:
/// what `--check-numerics` reports so a user can see where a model blew up.
public struct NumericalFault: Error, Hashable, Sendable, CustomStringConvertible {
    /// What computed the value: a compiled kernel (`conv1_3_conv_dw`) or an interpreted node (`conv1.3.conv.dw`).
    public var producer: String
    /// The tensor holding it: a graph value (`conv1.3.dw`) or a parameter or state tensor (`conv1.3.weight`).
    public var tensor: String
    /// The element's index in `tensor`.
    public var index: Int
    /// The value: NaN or ±infinity.
    public var value: Double

    /// Creates a fault report.
    public init(producer: String, tensor: String, index: Int, value: Double) {
        self.producer = producer
        self.tensor = tensor
        self.index = index
        self.value = value
    }

    /// The layer path of the tensor (`conv1.3`), or nil for a whole-network value such as `loss`.
    public var layer: String? { TensorName.layerPath(of: tensor) }

    public var description: String {
        "'\(producer)'" + (layer.map { " (layer \($0))" } ?? "") + " wrote \(value) to \(tensor)[\(index)]"
    }
}

/// Reading the names graphs give their tensors: `conv1.3.weight`, `conv1.3.dx`, `fc.0.weight.exp_avg`.
public enum TensorName {
    /// The layer path a tensor name starts with, up to its last numeric component (`conv1.3.weight` → `conv1.3`);
    /// nil when it has none (`loss`, `logits`, `parameters`).
    public static func layerPath(of name: String) -> String? {
        let components = name.split(separator: ".")
        guard let last = components.lastIndex(where: { $0.allSatisfy(\.isNumber) }) else { return nil }
        return components[...last].joined(separator: ".")
    }

    /// The suffix of a parameter's exponential moving average: `conv1.0.weight.ema`.
    public static let averageSuffix = ".ema"
}
