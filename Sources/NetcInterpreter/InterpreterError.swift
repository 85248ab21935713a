import NetcGraph

/// An input fed to the interpreter that does not fit the graph.
public enum InterpreterError: Error, Hashable, Sendable, CustomStringConvertible {
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

extension PersistentTensorError {
    /// A name that is no parameter or state of the graph.
    static func unknown(name: String) -> PersistentTensorError {
        PersistentTensorError(name: name, message: "the graph has no parameter or state of this name")
    }

    /// A parameter or state the caller did not give.
    static func missing(name: String, expected: TensorType) -> PersistentTensorError {
        PersistentTensorError(name: name, message: "missing; the graph expects \(expected)")
    }

    /// A value whose type differs from the source's.
    static func typeMismatch(name: String, expected: TensorType, actual: TensorType) -> PersistentTensorError {
        PersistentTensorError(name: name, message: "has type \(actual); the graph expects \(expected)")
    }
}
