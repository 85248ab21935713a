/// An input fed to a backend that does not fit the graph; every backend checks its inputs before running, since
/// compiled code trusts every index it computes.
public enum InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The graph reads an input the caller did not give.
    case missingInput(InputKind, expected: TensorType)
    /// An input of the wrong element type or shape.
    case inputTypeMismatch(InputKind, expected: TensorType, actual: TensorType)
    /// An integer input (labels, step, seed) holding a value that is not an integer of its type.
    case nonIntegerInput(InputKind, index: Int, value: Double)
    /// A class label outside `0..<classes`.
    case labelOutOfRange(index: Int, value: Double, classes: Int)

    public var description: String {
        switch self {
        case .missingInput(let kind, let expected):
            "input '\(kind.rawValue)' is missing; the graph expects \(expected)"
        case .inputTypeMismatch(let kind, let expected, let actual):
            "input '\(kind.rawValue)' has type \(actual); the graph expects \(expected)"
        case .nonIntegerInput(let kind, let index, let value):
            "input '\(kind.rawValue)' element \(index) is \(value), which is not an integer of its type"
        case .labelOutOfRange(let index, let value, let classes):
            "label \(index) is \(value); labels must be class indices in 0..<\(classes)"
        }
    }
}
