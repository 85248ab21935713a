/// A tensor's value: its type and its elements in row-major (NCHW) order.
///
/// Elements are held as `Double` whatever the type (integers are exact up to 2⁵³), so one value crosses every
/// backend boundary; backends convert to their own storage (float32 for compiled code).
public struct Tensor: Hashable, Sendable {
    /// The static type.
    public var type: TensorType
    /// The elements, `type.elementCount` of them.
    public var scalars: [Double]

    /// Creates a tensor; the number of scalars must match the type.
    public init(_ type: TensorType, _ scalars: [Double]) {
        precondition(scalars.count == type.elementCount, "\(scalars.count) scalars for \(type)")
        self.type = type
        self.scalars = scalars
    }

    /// A tensor of the given type with every element equal to `value`.
    public init(_ type: TensorType, repeating value: Double) {
        self.init(type, Array(repeating: value, count: type.elementCount))
    }

    /// A scalar tensor.
    public static func scalar(_ value: Double, _ dtype: DType = .float32) -> Tensor {
        Tensor(.scalar(dtype), [value])
    }

    /// The dimensions.
    public var shape: [Int] { type.shape }
}
