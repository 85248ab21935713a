import NetcGraph

extension DType {
    /// The element types netc reads and writes, in safetensors spelling, for error messages.
    static let safetensorsNames = "F32, I32 and I64"

    /// The safetensors spelling of this element type: `F32`, `I32` or `I64`.
    var safetensorsName: String {
        switch self {
        case .float32: "F32"
        case .int32: "I32"
        case .int64: "I64"
        }
    }

    /// The element type spelled `name` in a safetensors header, if netc supports it.
    init?(safetensorsName name: String) {
        switch name {
        case "F32": self = .float32
        case "I32": self = .int32
        case "I64": self = .int64
        default: return nil
        }
    }
}
