import Testing

@testable import NetcGraph
@testable import NetcRuntime

/// What a small model expects: a convolution, its batch norm's statistics and counter.
private let expected: [(name: String, type: TensorType)] = [
    ("conv1.0.weight", .float(32, 1, 3, 3)),
    ("bn1.running_mean", .float(32)),
    ("bn1.num_batches_tracked", .scalar(.int64)),
]

/// Tensors of the given types, each filled with its index in the list.
private func tensors(_ types: [(String, TensorType)]) -> [(name: String, tensor: Tensor)] {
    types.enumerated().map { index, entry in (entry.0, Tensor(entry.1, repeating: Double(index))) }
}

/// Saves `types` as a checkpoint and loads it back against `expected`.
private func load(
    _ types: [(String, TensorType)], ignoring suffixes: Set<String> = []
) throws -> Checkpoint {
    let directory = try FixtureDirectory()
    let path = directory.path + "/x.safetensors"
    try Checkpoint(tensors: tensors(types), metadata: ["fold": "2"]).save(to: path)
    return try Checkpoint.load(from: path, expecting: expected, ignoringExtraSuffixes: suffixes)
}

@Suite("Matching a checkpoint to a model")
struct CheckpointMatchingTests {
    @Test("a matching checkpoint comes back in the model's order with its metadata")
    func match() throws {
        let checkpoint = try load([expected[2], expected[0], expected[1]].map { ($0.name, $0.type) })
        #expect(checkpoint.tensors.map(\.name) == expected.map(\.name))
        #expect(checkpoint.tensor(named: "bn1.num_batches_tracked") == Tensor(.scalar(.int64), [0]))
        #expect(checkpoint.tensor(named: "conv1.0.weight") == Tensor(.float(32, 1, 3, 3), repeating: 1))
        #expect(checkpoint.metadata == ["fold": "2"])
    }

    @Test("extra tensors with an ignored suffix are dropped")
    func ignoredSuffixes() throws {
        let types =
            expected.map { ($0.name, $0.type) } + [
                ("conv1.0.weight.exp_avg", .float(32, 1, 3, 3)), ("step", .scalar(.int64)),
            ]
        let checkpoint = try load(types, ignoring: [".exp_avg", "step"])
        #expect(checkpoint.tensors.map(\.name) == expected.map(\.name))
    }

    @Test(
        "a checkpoint that does not fit the model names the tensor, what was found and what is expected",
        arguments: [
            (
                [0: ("conv1.0.weight", TensorType.float(32, 1, 5, 5))], Set<String>(),
                "tensor 'conv1.0.weight' has shape [32, 1, 5, 5], the model expects [32, 1, 3, 3]"
            ),
            (
                [2: ("bn1.num_batches_tracked", TensorType.scalar(.int32))], [],
                "tensor 'bn1.num_batches_tracked' is i32[], the model expects i64[]"
            ),
            (
                [1: ("bn1.running_var", TensorType.float(32))], [],
                "the model needs tensor 'bn1.running_mean' (f32[32]), but the checkpoint has none by that name"
            ),
            (
                [3: ("fc.weight.exp_avg", TensorType.float(10))], [".exp_avg_sq"],
                "tensor 'fc.weight.exp_avg' (f32[10]) is not part of the model; was the checkpoint made from another model?"
            ),
        ] as [([Int: (String, TensorType)], Set<String>, String)])
    func mismatch(changes: [Int: (String, TensorType)], ignored: Set<String>, message: String) throws {
        var types = expected.map { ($0.name, $0.type) }
        for (index, entry) in changes {
            if index < types.count { types[index] = entry } else { types.append(entry) }
        }
        let error = #expect(throws: CheckpointError.self) { try load(types, ignoring: ignored) }
        #expect(error?.message == message)
        #expect(error?.path.hasSuffix("/x.safetensors") == true)
    }
}
