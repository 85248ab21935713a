import NetcGraph
import NetcInterpreter
import Testing

@testable import NetcRuntime

/// `netc predict --tta N`: a model's logits averaged over each image and N seeded mild warps of it.
@Suite struct TestTimeAugmentationTests {
    /// 6 random 8×8 images with values in [0, 1] (float32, so a warped copy is a dataset of the same scale).
    static let data: Dataset = {
        let generator = Philox(seed: 5)
        let pixels = (0..<6 * 64).map { Float(generator.uniform(stream: 0, step: 0, index: UInt32($0))) }
        return Dataset(shape: ImageShape(channels: 1, height: 8, width: 8), pixels: .float32(pixels), labels: nil)
    }()

    /// The tiny network of `KFoldRunTests` with its initial weights, on the interpreter, in batches of 4.
    static func model() throws -> FoldModel {
        let graph = try NetworkModel(KFoldRunTests.spec, batchSize: 1, mode: .inference).graph
        let trained = TrainedModel(
            name: "tiny", spec: KFoldRunTests.spec, tensors: graph.initialValues(seed: 9),
            normalization: Normalization(mean: 0.5, std: 0.25))
        return try FoldModel(trained, backend: Interpreter(precision: .float32), batchSize: 4)
    }

    /// The reference: each view predicted on its own as a dataset of its own (view 0 the images themselves, view v
    /// the test-time policy's warp for key (seed 0, fold 0, epoch v − 1, image)), then the mean of the views' logits.
    @Test(arguments: [1, 3])
    func logitsAreTheMeanOverTheImageAndItsWarps(views: Int) throws {
        let model = try Self.model()
        let augmenter = Augmenter(policy: .testTime, seed: 0, imageSize: Self.data.imageSize)
        var viewLogits = [try model.logits(for: Self.data)]
        for view in 1...views {
            let warped = (0..<Self.data.count).flatMap {
                augmenter.augmented(Self.data, image: $0, fold: 0, epoch: view - 1)
            }
            let viewData = Dataset(shape: Self.data.shape, pixels: .float32(warped), labels: nil)
            viewLogits.append(try model.logits(for: viewData))
        }
        let expected = (0..<viewLogits[0].count).map { index in
            viewLogits.map { $0[index] }.reduce(0, +) / Double(views + 1)
        }
        let augmentation = TestTimeAugmentation(views: views, imageSize: Self.data.imageSize)
        let actual = try model.logits(for: Self.data, augmentation: augmentation)
        let error = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(actual.count == expected.count && error < 1e-9, "largest difference \(error)")
        // The warps must change the logits, or the comparison above would not see a view dropped or repeated.
        let change = zip(viewLogits[0], viewLogits[1]).map { abs($0 - $1) }.max() ?? 0
        #expect(change > 1e-3, "the first warp moves the logits by only \(change)")
        // Asked for a subset of the images, the same rows come back.
        let subset = try model.logits(for: Self.data, indices: [4, 1], augmentation: augmentation)
        let classes = KFoldRunTests.spec.classes
        let rows = Array(actual[4 * classes..<5 * classes] + actual[classes..<2 * classes])
        #expect(zip(subset, rows).allSatisfy { abs($0 - $1) < 1e-9 } && subset.count == rows.count)
    }
}
