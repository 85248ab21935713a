/// The element type of a tensor.
public enum DType: String, Hashable, Sendable {
    /// 32-bit IEEE float: activations, parameters, gradients.
    case float32
    /// 32-bit integer: class labels.
    case int32
    /// 64-bit integer: step counters, seeds, `num_batches_tracked`.
    case int64

    /// Size of one element in bytes.
    public var byteCount: Int {
        switch self {
        case .float32, .int32: 4
        case .int64: 8
        }
    }
}

/// A tensor's static type: element type and dimensions (NCHW for images, `[N, F]` for features, `[]` for
/// scalars).
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    /// The element type.
    public var dtype: DType
    /// The dimensions, outermost first.
    public var shape: [Int]

    /// Creates a tensor type.
    public init(_ dtype: DType = .float32, _ shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// A float32 tensor of the given shape.
    public static func float(_ shape: Int...) -> TensorType { TensorType(.float32, shape) }

    /// A scalar (rank 0) of the given element type.
    public static func scalar(_ dtype: DType) -> TensorType { TensorType(dtype, []) }

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// `f32[100, 32, 28, 28]`.
    public var description: String {
        let name =
            switch dtype {
            case .float32: "f32"
            case .int32: "i32"
            case .int64: "i64"
            }
        return "\(name)[\(shape.map(String.init).joined(separator: ", "))]"
    }
}
