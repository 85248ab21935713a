import Foundation
import Testing

@testable import NetcGraph
@testable import NetcRuntime

/// Float32 values that are easy to get wrong: signed zero, subnormals, the edges of the normal range,
/// infinities and NaN, as IEEE bit patterns.
private let awkwardFloatBits: [UInt32] = [
    0x0000_0000, 0x8000_0000,  // +0, -0
    0x0000_0001, 0x8000_0001, 0x007F_FFFF,  // smallest subnormals, largest subnormal
    0x0080_0000, 0x006C_E3EE,  // smallest normal, 1e-38 (a subnormal)
    0x7F7F_FFFF, 0xFF7F_FFFF,  // ±largest finite
    0x7F80_0000, 0xFF80_0000,  // ±infinity
    0x7FC0_0000, 0x3DCC_CCCD,  // quiet NaN, 0.1
]

@Suite("Writing safetensors files")
struct SafeTensorsRoundTripTests {
    @Test("the writer produces exactly the bytes the format prescribes")
    func exactBytes() throws {
        let checkpoint = Checkpoint(
            tensors: [("w", Tensor(.float(2), [1, -2])), ("n", Tensor(.scalar(.int64), [3]))],
            metadata: ["a": "b"])
        let header =
            #"{"__metadata__":{"a":"b"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""n":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}"#
        #expect(header.utf8.count == 132)
        let expected =
            littleEndianBytes(136) + Array(header.utf8) + Array(repeating: 0x20, count: 4)
            + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0] + [3, 0, 0, 0, 0, 0, 0, 0]
        #expect(try SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata) == expected)
    }

    @Test("awkward float32 values, integer extremes and a scalar survive a save and load bit for bit")
    func roundTrip() throws {
        let floats = awkwardFloatBits.map { Double(Float(bitPattern: $0)) }
        let original = Checkpoint(
            tensors: [
                ("conv1.weight", Tensor(TensorType(.float32, [awkwardFloatBits.count, 1, 1, 1]), floats)),
                ("bn1.num_batches_tracked", Tensor(.scalar(.int64), [1_234_567_890_123])),
                (
                    "int64.extremes",
                    Tensor(TensorType(.int64, [3]), [-9_223_372_036_854_775_808, -1, 4_611_686_018_427_387_904])
                ),
                ("int32.extremes", Tensor(TensorType(.int32, [2]), [-2_147_483_648, 2_147_483_647])),
            ],
            metadata: ["epoch": "3", "quote\"back\\slash": "ünïcødé 😀 \"x\"\n\t\u{01}"])
        let directory = try FixtureDirectory()
        let path = directory.path + "/model.safetensors"
        try original.save(to: path)
        let loaded = try Checkpoint.load(from: path)

        #expect(loaded.tensors.map(\.name) == original.tensors.map(\.name))
        #expect(loaded.metadata == original.metadata)
        let weights = try #require(loaded.tensor(named: "conv1.weight"))
        #expect(weights.type == TensorType(.float32, [awkwardFloatBits.count, 1, 1, 1]))
        #expect(weights.scalars.map { Float($0).bitPattern } == awkwardFloatBits)
        for name in ["bn1.num_batches_tracked", "int64.extremes", "int32.extremes"] {
            #expect(loaded.tensor(named: name) == original.tensor(named: name))
        }
    }

    @Test("the header is JSON an independent parser reads, with escaped names, padded to 8 bytes")
    func headerIsStandardJSON() throws {
        let name = "a \"quoted\\\" név\n\u{1F}"
        let bytes = try SafeTensors.encode([(name, Tensor(.float(1), [0.5]))], metadata: ["k\"": "v\\"])
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 4)
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        #expect(Set(json.keys) == [name, "__metadata__"])
        #expect(json["__metadata__"] as? [String: String] == ["k\"": "v\\"])
        let entry = try #require(json[name] as? [String: Any])
        #expect(entry["dtype"] as? String == "F32")
        #expect(entry["shape"] as? [Int] == [1])
        #expect(entry["data_offsets"] as? [Int] == [0, 4])
    }

    @Test(
        "the writer refuses what the format or the dtype cannot hold",
        arguments: [
            ([("a", Tensor.scalar(1)), ("a", Tensor.scalar(2))], CheckpointError.Kind.duplicateName("a")),
            ([("__metadata__", Tensor.scalar(1))], .reservedName("__metadata__")),
            (
                [("n", Tensor(TensorType(.int64, [2]), [1, 2.5]))],
                .valueNotRepresentable(tensor: "n", index: 1, value: 2.5, dtype: .int64)
            ),
            (
                [("n", Tensor(TensorType(.int32, [1]), [2_147_483_648]))],
                .valueNotRepresentable(tensor: "n", index: 0, value: 2_147_483_648, dtype: .int32)
            ),
            (
                [("n", Tensor(TensorType(.int64, [1]), [9_223_372_036_854_775_808]))],
                .valueNotRepresentable(tensor: "n", index: 0, value: 9_223_372_036_854_775_808, dtype: .int64)
            ),
        ] as [([(String, Tensor)], CheckpointError.Kind)])
    func writerErrors(tensors: [(String, Tensor)], expected: CheckpointError.Kind) throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("old.safetensors", text: "old contents")
        let error = #expect(throws: CheckpointError.self) {
            try Checkpoint(tensors: tensors.map { (name: $0.0, tensor: $0.1) }).save(to: path)
        }
        #expect(error == CheckpointError(path: path, kind: expected))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents")
    }

    @Test("a NaN in an integer tensor is refused, not trapped on")
    func nanInIntegerTensor() {
        #expect(throws: CheckpointError.Kind.self) {
            try SafeTensors.encode([("n", Tensor(TensorType(.int64, [1]), [.nan]))], metadata: [:])
        }
    }
}
