import NetcGraph
import NetcLLVM
import Testing

@testable import NetcRuntime

@Suite struct BatchAssemblerTests {
    /// 80 images 3×20×24 of scrambled bytes: three channels and a non-square plane, so a slot or channel written
    /// to the wrong place cannot land on equal values, and enough of them that both threads take some.
    static let data = Dataset(
        shape: ImageShape(channels: 3, height: 20, width: 24),
        pixels: .uint8(scrambledPixels(count: 80 * 3 * 20 * 24, seed: 5)), labels: nil)

    /// A compiled program on `threads` threads, whose workers prepare the images (the graph does not matter).
    static func executable(threads: Int) throws -> any Executable {
        var graph = Graph()
        let x = graph.add(.input(.images), [], type: .float(2, 3), name: "x")
        graph.outputs = [GraphOutput("y", graph.add(.relu, [x], name: "y"))]
        return try JITBackend(options: CompilationOptions(threads: threads)).compile(graph, seed: 0)
    }

    /// Training prepares a batch on the training step's threads, each thread augmenting and normalising its own
    /// images (`FoldTrainer`); the batch must hold, slot by slot, each image augmented alone and normalised by
    /// hand. Under the thread sanitizer this is also the check that augmenting images side by side shares
    /// nothing, elastic field included.
    @Test(arguments: [1, 2])
    func augmentedBatchOnTheStepsThreadsHoldsEachImageAugmentedAlone(threads: Int) throws {
        let policy = AugmentationPolicy(elastic: ElasticDistortion(alpha: 8, sigma: 3))
        let augmenter = Augmenter(policy: policy, seed: 11, imageSize: ImageSize(height: 20, width: 24))
        let normalization = Normalization(mean: [0.5, 0.25, 0.125], std: [0.25, 0.5, 2])
        let assembler = BatchAssembler(data: Self.data, batchSize: 72, normalization: normalization)
        let indices = (0..<70).map { ($0 * 37 + 11) % 80 }
        let batch = assembler.images(indices[...], on: try Self.executable(threads: threads)) { image in
            augmenter.augmented(Self.data, image: image, fold: 1, epoch: 3)
        }
        #expect(batch.shape == [72, 3, 20, 24])
        let (size, plane) = (3 * 20 * 24, 20 * 24)
        var expected = [Double](repeating: 0, count: 72 * size)
        for (slot, image) in indices.enumerated() {
            let pixels = augmenter.augmented(Self.data, image: image, fold: 1, epoch: 3)
            for (offset, value) in pixels.enumerated() {
                let channel = offset / plane
                expected[slot * size + offset] =
                    (Double(value) / 255 - normalization.mean[channel]) / normalization.std[channel]
            }
        }
        let firstWrong = expected.indices.first { batch.scalars[$0] != expected[$0] }
        #expect(firstWrong == nil, "the first value that differs is at \(firstWrong ?? 0)")
    }
}
