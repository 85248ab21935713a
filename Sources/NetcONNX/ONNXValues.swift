import Foundation
import ONNXProto

/// One dimension of a tensor in an ONNX graph's signature.
enum ONNXDimension: Hashable {
    /// The batch dimension, named `N`, any size at run time.
    case batch
    /// A fixed size.
    case fixed(Int)
}

extension Onnx_TensorProto {
    /// A float32 initialiser holding `values` (rounded to `Float`) in row-major order, stored as little-endian
    /// raw bytes.
    init(name: String, float32 values: [Double], shape: [Int]) {
        self.init()
        self.name = name
        dims = shape.map(Int64.init)
        dataType = Int32(DataType.float.rawValue)
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes += $0 }
        }
        rawData = Data(bytes)
    }

    /// An int64 initialiser (shapes for `Reshape`).
    init(name: String, int64 values: [Int], shape: [Int]) {
        self.init()
        self.name = name
        dims = shape.map(Int64.init)
        dataType = Int32(DataType.int64.rawValue)
        int64Data = values.map(Int64.init)
    }
}

extension Onnx_ValueInfoProto {
    /// A float32 tensor of the given dimensions, for a graph's inputs and outputs.
    init(name: String, float32 dimensions: [ONNXDimension]) {
        self.init()
        self.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape.dim = dimensions.map { dimension in
            var proto = Onnx_TensorShapeProto.Dimension()
            switch dimension {
            case .batch: proto.dimParam = "N"
            case .fixed(let size): proto.dimValue = Int64(size)
            }
            return proto
        }
        type.tensorType = tensor
    }
}

extension Onnx_AttributeProto {
    /// An `INTS` attribute.
    static func ints(_ name: String, _ values: [Int]) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    /// An `INT` attribute.
    static func int(_ name: String, _ value: Int) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    /// A `FLOAT` attribute (rounded to `Float`).
    static func float(_ name: String, _ value: Double) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .float
        attribute.f = Float(value)
        return attribute
    }
}
