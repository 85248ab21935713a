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
        executable = try backend.prepareInference(batch: batchSize, seed: 0) {
            try NetworkModel(model.spec, batchSize: $0, mode: .inference).graph
        }
        for (tensorName, tensor) in model.tensors {
            try executable.setPersistent(named: tensorName, to: tensor)
        }
        self.name = model.name
        self.normalization = model.normalization
        self.batchSize = batchSize
    }

    /// The logits of images `indices` of `data` (every image by default), row after row (`count × classes`
    /// values), averaged over the views of `augmentation` when given.
    public func logits(
        for data: Dataset, indices: [Int]? = nil, augmentation: TestTimeAugmentation? = nil
    ) throws -> [Double] {
        let assembler = BatchAssembler(data: data, batchSize: batchSize, normalization: normalization)
        let indices = indices ?? Array(0..<data.count)
        let views = augmentation?.views ?? 0
        var sum: [Double] = []
        for view in 0...views {
            let logits = try Predictor.logits(of: executable, on: assembler, indices: indices) { image in
                augmentation?.pixels(data, image: image, view: view) ?? data.values(ofImage: image)
            }
            sum = sum.isEmpty ? logits : zip(sum, logits).map(+)
        }
        return views == 0 ? sum : sum.map { $0 / Double(views + 1) }
    }
}
