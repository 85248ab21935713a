import NetcGraph

/// The type of one value in a kernel: a buffer element, a local, or an expression's result.
public enum ScalarType: String, Hashable, Sendable {
    /// 32-bit float: what tensors store.
    case float32 = "f32"
    /// 64-bit float: what long reductions accumulate in.
    case float64 = "f64"
    /// 32-bit integer: class labels.
    case int32 = "i32"
    /// 64-bit integer: indices, seeds, steps, counters.
    case int64 = "i64"
    /// A truth value: comparisons and conditions.
    case bool = "i1"

    /// The element type of a tensor of `dtype`.
    public init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .int32: self = .int32
        case .int64: self = .int64
        }
    }

    /// True for `float32` and `float64`.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Size of one element in memory, in bytes (a `bool` is never stored).
    public var byteCount: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        }
    }
}
