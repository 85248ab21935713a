import Testing

@testable import NetcGraph
@testable import NetcRuntime

@Suite("Checkpoint error messages")
struct CheckpointErrorTests {
    @Test(
        "errors read as diagnostics naming the file, the tensor, what was found and what was expected",
        arguments: [
            (
                CheckpointError.Kind.wrongTensorType(
                    name: "conv1.0.weight", found: .float(32, 1, 5, 5), expected: .float(32, 1, 3, 3)),
                "tensor 'conv1.0.weight' has shape [32, 1, 5, 5], the model expects [32, 1, 3, 3]"
            ),
            (
                .offsetsOutOfBounds(tensor: "b", begin: 8, end: 16, dataSize: 12),
                "tensor 'b' has data_offsets [8, 16], past the end of the 12-byte data section (is the file truncated?)"
            ),
            (
                .invalidJSON(.unexpectedEnd(expected: "a value"), byteOffset: 13),
                "the header is not valid JSON: the header ends where a value was expected (at byte 13)"
            ),
            (
                .byteCountMismatch(tensor: "fc.bias", type: .float(10), expected: 40, found: 36),
                "tensor 'fc.bias' is f32[10], which needs 40 bytes, but its data_offsets span 36"
            ),
            (
                .unwritable(step: .replaceTarget, reason: "Is a directory"),
                "cannot write the file: renaming the temporary file over the target failed: Is a directory; "
                    + "the file was left as it was"
            ),
            (
                .unwritable(step: .syncDirectory, reason: "Input/output error"),
                "the new contents are in place, but flushing the directory to disk failed: Input/output error; "
                    + "they may not survive a crash"
            ),
        ] as [(CheckpointError.Kind, String)])
    func message(kind: CheckpointError.Kind, message: String) {
        let error = CheckpointError(path: "runs/x.safetensors", kind: kind)
        #expect(error.description == "runs/x.safetensors: error: " + message)
    }
}
