import NetcGraph

extension Checkpoint {
    /// Reads the checkpoint at `path` and checks that it holds exactly the tensors a model expects.
    ///
    /// Every expected tensor must be present with the expected dtype and shape, and every tensor in the file
    /// must be expected, except those whose names end with one of `ignoredSuffixes` (for example optimizer
    /// state such as `".exp_avg"` when a training checkpoint is loaded for inference); those are dropped.
    /// - Returns: the checkpoint with its tensors in the order of `expected`, and the file's metadata.
    /// - Throws: ``CheckpointError`` naming the file and the first tensor that is missing, unexpected, or of
    ///   the wrong dtype or shape, with what was found and what the model expects.
    public static func load(
        from path: String, expecting expected: [(name: String, type: TensorType)],
        ignoringExtraSuffixes ignoredSuffixes: Set<String> = []
    ) throws(CheckpointError) -> Checkpoint {
        let checkpoint = try load(from: path)
        do {
            return try checkpoint.matched(to: expected, ignoringExtraSuffixes: ignoredSuffixes)
        } catch {
            throw CheckpointError(path: path, kind: error)
        }
    }

    /// This checkpoint reduced to `expected`, in that order, after checking it as
    /// ``load(from:expecting:ignoringExtraSuffixes:)`` describes.
    func matched(
        to expected: [(name: String, type: TensorType)], ignoringExtraSuffixes ignoredSuffixes: Set<String>
    ) throws(CheckpointError.Kind) -> Checkpoint {
        let found = Dictionary(tensors, uniquingKeysWith: { first, _ in first })
        var matched: [(name: String, tensor: Tensor)] = []
        for (name, type) in expected {
            guard let tensor = found[name] else { throw .missingTensor(name: name, expected: type) }
            guard tensor.type == type else { throw .wrongTensorType(name: name, found: tensor.type, expected: type) }
            matched.append((name, tensor))
        }
        let expectedNames = Set(expected.map(\.name))
        let unexpected = tensors.first { name, _ in
            !expectedNames.contains(name) && !ignoredSuffixes.contains { name.hasSuffix($0) }
        }
        if let (name, tensor) = unexpected { throw .unexpectedTensor(name: name, found: tensor.type) }
        return Checkpoint(tensors: matched, metadata: metadata)
    }
}
