import NetcGraph

/// One trained model ready to predict: an inference graph on a backend with a checkpoint's weights.
public struct FoldModel {
    /// A short name for reports: `fold 3` or the checkpoint's file name.
    public let name: String
    /// Pixel normalisation the model was trained with.
    public let normalization: Normalization
    private let executable: any Executable
    private let batchSize: Int

    /// Loads the checkpoint at `path` into `spec`'s inference graph, checking every tensor's name, dtype and
    /// shape; optimizer state in the file is ignored.
    ///
    /// - Parameter normalization: overrides the normalisation stored in the checkpoint's metadata; required
    ///   when the file has none (a PyTorch export).
    public init(
        name: String, checkpoint path: String, spec: NetworkSpec, backend: any Backend, batchSize: Int,
        normalization: Normalization? = nil
    ) throws {
        let graph = try NetworkModel(spec, batchSize: batchSize, mode: .inference).graph
        let expected = graph.values.filter { graph[$0].op.isSource && graph[$0].op != .input(.images) }
            .map { (name: graph[$0].name, type: graph.type(of: $0)) }
        let checkpoint = try Checkpoint.load(
            from: path, expecting: expected,
            ignoringExtraSuffixes: [".exp_avg", ".exp_avg_sq", ".momentum_buffer"])
        guard let chosen = normalization ?? Normalization(metadata: checkpoint.metadata) else {
            throw PredictionError.missingNormalization(path: path)
        }
        guard chosen.broadcast(to: spec.input.channels) != nil else {
            throw PredictionError.normalizationChannels(path: path, found: chosen.channels, channels: spec.input.channels)
        }
        executable = try backend.prepare(graph, seed: 0)
        for (tensorName, tensor) in checkpoint.tensors {
            try executable.setPersistent(named: tensorName, to: tensor)
        }
        self.name = name
        self.normalization = chosen
        self.batchSize = batchSize
    }

    /// The logits of every image of `data`, row after row (`data.count × classes` values).
    public func logits(for data: Dataset) throws -> [Double] {
        let assembler = BatchAssembler(data: data, batchSize: batchSize, normalization: normalization)
        return try Predictor.logits(of: executable, on: assembler, indices: Array(0..<data.count))
    }
}

/// Why predictions could not be made.
public enum PredictionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A checkpoint without normalisation metadata and no `--mean/--std`.
    case missingNormalization(path: String)
    /// Normalisation statistics for a number of channels other than the model's (or one, which fits any).
    case normalizationChannels(path: String, found: Int, channels: Int)

    public var description: String {
        switch self {
        case .missingNormalization(let path):
            "\(path): error: the checkpoint does not say how its inputs were normalised (metadata "
                + "normalization_mean/normalization_std); pass --mean and --std"
        case .normalizationChannels(let path, let found, let channels):
            "\(path): error: the normalisation has statistics for \(found) channels, but the model's images have "
                + "\(channels); give one value, or one per channel"
        }
    }
}
