import NetcGraph

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
