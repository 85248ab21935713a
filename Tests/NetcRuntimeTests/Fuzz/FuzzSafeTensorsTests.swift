import NetcGraph
import Testing

@testable import NetcRuntime

/// Thousands of seeded random corruptions of a small valid safetensors file: each must read, and then write
/// back, or be rejected with an error naming a tensor, a byte offset or the header part at fault.
@Suite struct FuzzSafeTensorsTests {
    /// Words that place a problem: a quoted tensor name, a byte offset, the header or the data section.
    static let placeWords = ["'", "byte", "header", "data"]

    @Test func corruptSafetensorsIsReadOrRejectedWithAPlace() throws {
        let original = Checkpoint(
            tensors: [
                ("conv1.weight", Tensor(TensorType(.float32, [2, 1, 2]), [0.5, -1, 2, 3.25])),
                ("bn.num_batches_tracked", Tensor(TensorType(.int64, []), [7])),
            ],
            metadata: ["epoch": "3"])
        let seed = try SafeTensors.encode(original.tensors, metadata: original.metadata)
        var mutator = Mutator(seed: 5)
        for iteration in 0..<3000 {
            let bytes = mutator.mutated(seed)
            let checkpoint: Checkpoint
            do {
                checkpoint = try SafeTensors.decode(bytes)
            } catch {
                let message = CheckpointError(path: "fuzz.safetensors", kind: error).message
                #expect(Self.placeWords.contains(where: message.contains), "iteration \(iteration): \(message)")
                continue
            }
            let written = try SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata)
            #expect(try SafeTensors.decode(written).tensors.map(\.name) == checkpoint.tensors.map(\.name))
        }
    }
}
