import NetcGraph

/// A trained network: its description, a checkpoint's weights and running statistics (checked against it), and
/// the pixel normalisation it was trained with. `FoldModel` runs one; `netc export` writes one as ONNX.
public struct TrainedModel: Sendable {
    /// A short name for reports: `fold 3` or the checkpoint's file name.
    public let name: String
    /// The network.
    public let spec: NetworkSpec
    /// Every parameter and state tensor of the network's inference graph, by `state_dict` name.
    public let tensors: [String: Tensor]
    /// Pixel normalisation the model was trained with.
    public let normalization: Normalization

    /// Loads the checkpoint at `path` for `spec`, checking every tensor's name, dtype and shape; optimizer state
    /// in the file is ignored.
    ///
    /// - Parameter normalization: overrides the normalisation stored in the checkpoint's metadata; required
    ///   when the file has none (a PyTorch export).
    /// - Throws: `ModelError` for a network that does not build, ``CheckpointError`` for a file that does not
    ///   fit it, ``PredictionError`` for a missing normalisation or one for another number of channels.
    public init(name: String, checkpoint path: String, spec: NetworkSpec, normalization: Normalization? = nil) throws {
        let graph = try NetworkModel(spec, batchSize: 1, mode: .inference).graph
        let expected = graph.values.filter { graph[$0].op.isSource && graph[$0].op != .input(.images) }
            .map { (name: graph[$0].name, type: graph.type(of: $0)) }
        let checkpoint = try Checkpoint.load(
            from: path, expecting: expected,
            ignoringExtraSuffixes: [".exp_avg", ".exp_avg_sq", ".momentum_buffer", TensorName.averageSuffix])
        guard let chosen = normalization ?? Normalization(metadata: checkpoint.metadata) else {
            throw PredictionError.missingNormalization(path: path)
        }
        guard chosen.broadcast(to: spec.input.channels) != nil else {
            throw PredictionError.normalizationChannels(path: path, found: chosen.channels, channels: spec.input.channels)
        }
        self.init(
            name: name, spec: spec, tensors: Dictionary(uniqueKeysWithValues: checkpoint.tensors),
            normalization: chosen)
    }

    /// A model from tensors already in memory, named as in the network's `state_dict`.
    public init(name: String, spec: NetworkSpec, tensors: [String: Tensor], normalization: Normalization) {
        self.name = name
        self.spec = spec
        self.tensors = tensors
        self.normalization = normalization
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
