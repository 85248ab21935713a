import NetcLoops

/// One value of a kernel while it is evaluated, with the scalar type the loop IR gives it.
enum Scalar: Equatable {
    case float32(Float)
    case float64(Double)
    case int32(Int32)
    case int64(Int64)
    case bool(Bool)

    /// The loop-IR type of the value.
    var type: ScalarType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int32: .int32
        case .int64: .int64
        case .bool: .bool
        }
    }

    /// The value of an integer, for indices and loop bounds.
    var integer: Int64? {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        case .float32, .float64, .bool: nil
        }
    }

    /// The value as a `Double`, for buffers' contents (a `bool` is 0 or 1).
    var double: Double {
        switch self {
        case .float32(let value): Double(value)
        case .float64(let value): value
        case .int32(let value): Double(value)
        case .int64(let value): Double(value)
        case .bool(let value): value ? 1 : 0
        }
    }

    /// The value converted to `target` as the code generator converts it: float widths round to nearest, floats
    /// to integers truncate toward zero, integer widths sign-extend or wrap, a `bool` becomes 0 or 1.
    func converted(to target: ScalarType) -> Scalar? {
        switch (self, target) {
        case (.float32(let x), .float32): .float32(x)
        case (.float32(let x), .float64): .float64(Double(x))
        case (.float64(let x), .float32): .float32(Float(x))
        case (.float64(let x), .float64): .float64(x)
        case (.float32(let x), .int32): Int32(exactly: x.rounded(.towardZero)).map { .int32($0) }
        case (.float32(let x), .int64): Int64(exactly: x.rounded(.towardZero)).map { .int64($0) }
        case (.float64(let x), .int32): Int32(exactly: x.rounded(.towardZero)).map { .int32($0) }
        case (.float64(let x), .int64): Int64(exactly: x.rounded(.towardZero)).map { .int64($0) }
        case (.int32(let x), .float32): .float32(Float(x))
        case (.int32(let x), .float64): .float64(Double(x))
        case (.int64(let x), .float32): .float32(Float(x))
        case (.int64(let x), .float64): .float64(Double(x))
        case (.int32(let x), .int32): .int32(x)
        case (.int32(let x), .int64): .int64(Int64(x))
        case (.int64(let x), .int32): .int32(Int32(truncatingIfNeeded: x))
        case (.int64(let x), .int64): .int64(x)
        case (.bool(let x), .int32): .int32(x ? 1 : 0)
        case (.bool(let x), .int64): .int64(x ? 1 : 0)
        case (.bool(let x), .bool): .bool(x)
        case (.bool, .float32), (.bool, .float64), (.float32, .bool), (.float64, .bool), (.int32, .bool),
            (.int64, .bool):
            nil
        }
    }
}
