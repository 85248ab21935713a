import Testing

@testable import NetcGraph
@testable import NetcRuntime

/// A good two-tensor file: `a` is f32[2] at data bytes 0..<8, `b` is an i64 scalar at 8..<16.
private let goodHeader =
    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
    + #""b":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}"#
private let goodData = float32Bytes([1.5, -2]) + littleEndianBytes(7)
private let goodFile = safetensorsBytes(header: goodHeader, data: goodData)
private let headerLength = goodHeader.utf8.count

/// A file whose header is `header` and whose data section is `dataSize` zero bytes.
private func file(_ header: String, dataSize: Int = 16) -> [UInt8] {
    safetensorsBytes(header: header, data: Array(repeating: 0, count: dataSize))
}

/// The first problem in `bytes`, which must be one.
private func problem(in bytes: [UInt8]) -> CheckpointError.Kind? {
    #expect(throws: CheckpointError.Kind.self) { try SafeTensors.decode(bytes) }
}

@Suite("Rejecting corrupt safetensors files")
struct SafeTensorsCorruptionTests {
    @Test("the good file itself reads")
    func goodFileReads() throws {
        let checkpoint = try SafeTensors.decode(goodFile)
        #expect(checkpoint.tensors.map(\.name) == ["a", "b"])
        #expect(checkpoint.tensor(named: "a") == Tensor(.float(2), [1.5, -2]))
    }

    @Test(
        "a file truncated anywhere names what is cut off",
        arguments: [
            (0, CheckpointError.Kind.tooShortForHeaderLength(fileSize: 0)),
            (7, .tooShortForHeaderLength(fileSize: 7)),
            (8, .headerBeyondFile(length: UInt64(headerLength), available: 0)),
            (8 + headerLength - 1, .headerBeyondFile(length: UInt64(headerLength), available: headerLength - 1)),
            (8 + headerLength, .offsetsOutOfBounds(tensor: "a", begin: 0, end: 8, dataSize: 0)),
            (8 + headerLength + 12, .offsetsOutOfBounds(tensor: "b", begin: 8, end: 16, dataSize: 12)),
        ] as [(Int, CheckpointError.Kind)])
    func truncated(length: Int, expected: CheckpointError.Kind) {
        #expect(problem(in: Array(goodFile.prefix(length))) == expected)
    }

    @Test("a bogus header length is refused before anything is allocated")
    func bogusHeaderLength() {
        let huge = littleEndianBytes(.max) + goodFile.dropFirst(8)
        #expect(problem(in: huge) == .headerTooLarge(length: .max, limit: 100_000_000))
        let justOverLimit = littleEndianBytes(100_000_001) + goodFile.dropFirst(8)
        #expect(problem(in: justOverLimit) == .headerTooLarge(length: 100_000_001, limit: 100_000_000))
        let pastEnd = littleEndianBytes(UInt64(goodFile.count)) + goodFile.dropFirst(8)
        #expect(
            problem(in: pastEnd) == .headerBeyondFile(length: UInt64(goodFile.count), available: goodFile.count - 8))
    }

    @Test("one extra byte at the end is data that belongs to no tensor")
    func trailingByte() {
        #expect(problem(in: goodFile + [0]) == .trailingBytes(after: "b", count: 1))
        #expect(problem(in: file("{}", dataSize: 3)) == .trailingBytes(after: nil, count: 3))
    }

    @Test(
        "malformed headers are refused with the problem and its byte offset",
        arguments: [
            // 8 bytes of length come before the header, so header index i is file byte 8 + i.
            (
                #"{"a":{"dtype":"F32",}}"#,
                CheckpointError.Kind.invalidJSON(
                    .unexpectedCharacter(found: "}", expected: "a string key"), byteOffset: 28)
            ),
            (#"{"a":"#, .invalidJSON(.unexpectedEnd(expected: "a value"), byteOffset: 13)),
            (#"{"a" 1}"#, .invalidJSON(.unexpectedCharacter(found: "1", expected: "':'"), byteOffset: 13)),
            (
                #"{"a":1} x"#,
                .invalidJSON(.unexpectedCharacter(found: "x", expected: "the end of the header"), byteOffset: 16)
            ),
            (#"{"a\q":1}"#, .invalidJSON(.invalidEscape, byteOffset: 11)),
            (#"{"\ud800":1}"#, .invalidJSON(.unpairedSurrogate, byteOffset: 16)),
            ("{\"a\tb\":1}", .invalidJSON(.controlCharacterInString, byteOffset: 11)),
            (#"{"a":01}"#, .invalidJSON(.unexpectedCharacter(found: "1", expected: "',' or '}'"), byteOffset: 14)),
            (#"{"a":tru}"#, .invalidJSON(.unexpectedCharacter(found: "}", expected: "'true'"), byteOffset: 16)),
            (String(repeating: "[", count: 1000), .invalidJSON(.nestedTooDeep(limit: 64), byteOffset: 8 + 65)),
            ("[1]", .headerNotObject),
            (#"{"a":[1]}"#, .tensorEntryNotObject(tensor: "a")),
        ] as [(String, CheckpointError.Kind)])
    func badJSON(header: String, expected: CheckpointError.Kind) {
        #expect(problem(in: file(header)) == expected)
    }

    @Test("a header that is not UTF-8 is refused")
    func notUTF8() {
        let bytes = littleEndianBytes(4) + [0x7B, 0x22, 0xFF, 0x7D]
        #expect(problem(in: bytes) == .headerNotUTF8(byteOffset: 10))
    }

    @Test(
        "bad tensor entries name the tensor and what was expected",
        arguments: [
            (
                #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#,
                CheckpointError.Kind.unsupportedDType(tensor: "a", found: "F16")
            ),
            (#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, .missingField(tensor: "a", field: "dtype")),
            (#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, .missingField(tensor: "a", field: "shape")),
            (#"{"a":{"dtype":"F32","shape":[2]}}"#, .missingField(tensor: "a", field: "data_offsets")),
            (
                #"{"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "dtype", expected: "a string such as \"F32\"")
            ),
            (
                #"{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "dtype", expected: "written once")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "shape", expected: "a list of non-negative integers")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "shape", expected: "a list of non-negative integers")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "shape", expected: "a list of non-negative integers")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,8]}}"#,
                .malformedField(tensor: "a", field: "shape", expected: "a list of non-negative integers")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#,
                .malformedField(
                    tensor: "a", field: "data_offsets",
                    expected: "a pair [BEGIN, END] of byte offsets with BEGIN <= END")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,16]}}"#,
                .malformedField(
                    tensor: "a", field: "data_offsets",
                    expected: "a pair [BEGIN, END] of byte offsets with BEGIN <= END")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#,
                .tensorTooLarge(tensor: "a", shape: [4_611_686_018_427_387_904, 4])
            ),
            (
                #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                .byteCountMismatch(tensor: "a", type: .float(3), expected: 12, found: 8)
            ),
            (
                #"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}"#,
                .byteCountMismatch(tensor: "a", type: TensorType(.int64, [2]), expected: 16, found: 8)
            ),
        ] as [(String, CheckpointError.Kind)])
    func badEntry(header: String, expected: CheckpointError.Kind) {
        #expect(problem(in: file(header, dataSize: 8)) == expected)
    }

    @Test(
        "tensors must tile the data section: no overlaps, gaps, repeats or out-of-bounds ranges",
        arguments: [
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                16, CheckpointError.Kind.overlappingTensors(tensor: "b", other: "a")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[],"data_offsets":[12,20]}}"#,
                20, .gapBeforeTensor(tensor: "b", gapBegin: 8, gapEnd: 12)
            ),
            (
                #"{"b":{"dtype":"I64","shape":[],"data_offsets":[4,12]}}"#,
                12, .gapBeforeTensor(tensor: "b", gapBegin: 0, gapEnd: 4)
            ),
            (
                #"{"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"a":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}"#,
                16, .duplicateName("a")
            ),
            // Both entries fit the data section alone: one name, two readings (an I64 scalar to Foundation's
            // JSONDecoder, which keeps the first, two I32 values to Hugging Face's safetensors, which keeps the last).
            (
                #"{"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}"#,
                8, .duplicateName("a")
            ),
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[1000000,1000008]}}"#,
                8, .offsetsOutOfBounds(tensor: "a", begin: 1_000_000, end: 1_000_008, dataSize: 8)
            ),
        ] as [(String, Int, CheckpointError.Kind)])
    func badLayout(header: String, dataSize: Int, expected: CheckpointError.Kind) {
        #expect(problem(in: file(header, dataSize: dataSize)) == expected)
    }

    @Test("metadata must be an object of strings")
    func badMetadata() {
        let tensor = #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
        #expect(
            problem(in: file(#"{"__metadata__":{"epoch":3},"# + tensor + "}", dataSize: 8))
                == .metadataValueNotString(key: "epoch"))
        #expect(problem(in: file(#"{"__metadata__":["x"],"# + tensor + "}", dataSize: 8)) == .metadataNotObject)
        #expect(problem(in: file(#"{"__metadata__":{"k":"1","k":"2"}}"#, dataSize: 0)) == .duplicateName("k"))
    }

    @Test("every single-byte corruption and every truncation is an error or a valid file, never a crash")
    func noCrashOnAnyCorruption() {
        for length in 0..<goodFile.count {
            #expect(throws: CheckpointError.Kind.self) { try SafeTensors.decode(Array(goodFile.prefix(length))) }
        }
        for index in goodFile.indices {
            for replacement: UInt8 in [0x00, 0x22, 0x39, 0x5B, 0x7B, 0xFF] {
                var corrupted = goodFile
                corrupted[index] = replacement
                _ = try? SafeTensors.decode(corrupted)
            }
        }
    }
}
