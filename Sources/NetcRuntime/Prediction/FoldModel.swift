import NetcGraph

/// One trained model ready to predict: its inference graph on a backend with the model's weights.
public struct FoldModel {
    /// A short name for reports: `fold 3` or the checkpoint's file name.
    public let name: String
    /// Pixel normalisation the model was trained with.
    public let normalization: Normalization
    private let executable: any Executable
    private let batchSize: Int

    /// Prepares `model`'s inference graph for batches of `batchSize` images on `backend`.
    public init(_ model: TrainedModel, backend: any Backend, batchSize: Int) throws {
        let graph = try NetworkModel(model.spec, batchSize: batchSize, mode: .inference).graph
        executable = try backend.prepare(graph, seed: 0)
        for (tensorName, tensor) in model.tensors {
            try executable.setPersistent(named: tensorName, to: tensor)
        }
        self.name = model.name
        self.normalization = model.normalization
        self.batchSize = batchSize
    }

    /// The logits of every image of `data`, row after row (`data.count × classes` values).
    public func logits(for data: Dataset) throws -> [Double] {
        let assembler = BatchAssembler(data: data, batchSize: batchSize, normalization: normalization)
        return try Predictor.logits(of: executable, on: assembler, indices: Array(0..<data.count))
    }
}
