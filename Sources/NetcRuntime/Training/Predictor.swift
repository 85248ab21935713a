import NetcGraph

/// Runs an inference executable over many images, one static-size batch at a time.
enum Predictor {
    /// The logits of every image in `indices`, row after row, with `pixels` giving each image's values (its
    /// stored values by default).
    static func logits(
        of executable: any Executable, on assembler: BatchAssembler, indices: [Int],
        pixels: (@Sendable (Int) -> [Float])? = nil
    ) throws
        -> [Double]
    {
        let batch = assembler.batchSize
        var logits: [Double] = []
        var start = 0
        while start < indices.count {
            let slice = indices[start..<min(start + batch, indices.count)]
            let outputs = try executable.run([
                .images: assembler.images(slice, on: executable, pixels: pixels ?? assembler.rawPixels)
            ])
            guard let batchLogits = outputs["logits"] else { preconditionFailure("inference graph without logits") }
            let classes = batchLogits.shape[1]
            logits += batchLogits.scalars.prefix(slice.count * classes)
            start += batch
        }
        return logits
    }

    /// Loss and accuracy of the executable's predictions for the labelled images in `indices`.
    static func metrics(
        of executable: any Executable, on assembler: BatchAssembler, indices: [Int]
    ) throws
        -> ClassificationMetrics
    {
        guard let labels = assembler.data.labels else { preconditionFailure("metrics need labels") }
        let logits = try Self.logits(of: executable, on: assembler, indices: indices)
        var metrics = ClassificationMetrics()
        let classes = indices.isEmpty ? 1 : logits.count / indices.count
        metrics.add(logits: logits[...], classes: classes, labels: ArraySlice(indices.map { labels[$0] }))
        return metrics
    }
}
