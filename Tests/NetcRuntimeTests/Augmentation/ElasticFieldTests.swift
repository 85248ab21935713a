import Foundation
import NetcGraph
import NetcTestSupport
import Testing

@testable import NetcRuntime

/// The elastic distortion: torchvision's kernel, reflection and scaling checked by hand, its warp by exact pixel
/// shifts, and the whole against torchvision's own functions when torchvision is installed.
@Suite struct ElasticFieldTests {
    @Test func kernelIsTorchvisionsGaussian() throws {
        // int(8σ + 1) taps, made odd.
        #expect([0.5, 0.6, 0.7, 4, 5].map { ElasticField.gaussianKernel(sigma: $0).count } == [5, 5, 7, 33, 41])
        #expect(ElasticField.gaussianKernel(sigma: 0).isEmpty)
        // σ = 0.5: exp(−2x²) at x = −2...2, normalised.
        let weights = [exp(-8.0), exp(-2.0), 1, exp(-2.0), exp(-8.0)]
        let expected = weights.map { $0 / weights.reduce(0, +) }
        let kernel = ElasticField.gaussianKernel(sigma: 0.5)
        for (value, wanted) in zip(kernel, expected) { #expect(abs(Double(value) - wanted) <= 1e-7) }
    }

    @Test func reflectionSkipsTheEdgeAndRepeats() {
        // A line of 5: … 2 1 | 0 1 2 3 4 | 3 2 1 0 1 …
        let indices = [-5, -4, -1, 0, 4, 5, 8, 9, 12]
        #expect(indices.map { ElasticField.reflected($0, count: 5) } == [3, 4, 1, 0, 4, 3, 0, 1, 4])
        #expect(ElasticField.reflected(-3, count: 1) == 0)
    }

    /// An unsmoothed field is the noise times alpha / 2; a constant one stays constant under smoothing; a single
    /// spike away from the edges becomes the kernel's outer product.
    @Test func smoothingAndScalingByHand() throws {
        let size = ImageSize(height: 12, width: 12)
        let plane = size.pixelCount
        func field(_ distortion: ElasticDistortion, noise: [Float]) -> [Float] {
            let maker = ElasticField(distortion, imageSize: size)
            var scratch = noise + [Float](repeating: .nan, count: maker.scratchCount - noise.count)
            scratch.withUnsafeMutableBufferPointer { maker.smoothAndScale($0) }
            return Array(scratch[..<(2 * plane)])
        }
        let noise = (0..<2 * plane).map { Float($0 % 7) / 7 - 0.5 }
        #expect(field(ElasticDistortion(alpha: 3, sigma: 0), noise: noise) == noise.map { $0 * 1.5 })

        let constant = field(ElasticDistortion(alpha: 2, sigma: 1), noise: [Float](repeating: 0.25, count: 2 * plane))
        #expect(constant.allSatisfy { abs($0 - 0.25) <= 1e-6 })

        var spike = [Float](repeating: 0, count: 2 * plane)
        spike[6 * 12 + 5] = 1  // x field, row 6, column 5
        let smoothed = field(ElasticDistortion(alpha: 2, sigma: 0.5), noise: spike)
        let kernel = ElasticField.gaussianKernel(sigma: 0.5)
        for y in 0..<12 {
            for x in 0..<12 {
                let (dy, dx) = (y - 6, x - 5)
                let expected = abs(dy) <= 2 && abs(dx) <= 2 ? kernel[dy + 2] * kernel[dx + 2] : 0
                #expect(abs(smoothed[y * 12 + x] - expected) <= 1e-7, "(\(x), \(y))")
            }
        }
        #expect(smoothed[plane...].allSatisfy { $0 == 0 }, "the y field stays zero")
    }

    /// A displacement of one whole pixel reproduces the shifted image exactly, zeros coming in at the edge; no
    /// displacement at all gives the undisplaced warp bit for bit.
    @Test func wholePixelDisplacementsShiftExactly() {
        let size = ImageSize(height: 6, width: 7)
        let plane = size.pixelCount
        let pixels = scrambledPixels(count: plane)
        func warped(_ transform: ProjectiveTransform, _ displacement: [Float]?) -> [Float] {
            [Float](unsafeUninitializedCapacity: plane) { output, count in
                pixels.withUnsafeBufferPointer { source in
                    if let displacement {
                        displacement.withUnsafeBufferPointer {
                            transform.warp(source, imageSize: size, displacement: $0, into: output)
                        }
                    } else {
                        transform.warp(source, imageSize: size, into: output)
                    }
                }
                count = plane
            }
        }
        // x + 1 everywhere: output (x, y) is the source's (x + 1, y).
        let right = warped(.identity, [Float](repeating: 1, count: plane) + [Float](repeating: 0, count: plane))
        // y − 1 everywhere: output (x, y) is the source's (x, y − 1).
        let up = warped(.identity, [Float](repeating: 0, count: plane) + [Float](repeating: -1, count: plane))
        for y in 0..<6 {
            for x in 0..<7 {
                #expect(right[y * 7 + x] == (x + 1 < 7 ? Float(pixels[y * 7 + x + 1]) : 0))
                #expect(up[y * 7 + x] == (y >= 1 ? Float(pixels[(y - 1) * 7 + x]) : 0))
            }
        }
        let transform = Augmenter(seed: 9, imageSize: size).transform(fold: 0, epoch: 0, image: 3)
        #expect(warped(transform, [Float](repeating: 0, count: 2 * plane)) == warped(transform, nil))
    }

    /// The same key gives the same distortion; another image or epoch another; alpha 0 is no elastic step.
    @Test func fieldsAreKeyedLikeTheRestOfTheAugmentation() {
        let policy = AugmentationPolicy(elastic: ElasticDistortion(alpha: 34, sigma: 4))
        let data = copies(of: scrambledPixels(count: 784), count: 4)
        let augmenter = Augmenter(policy: policy, seed: 7, imageSize: .mnist)
        let plain = Augmenter(seed: 7, imageSize: .mnist)
        let first = augmenter.augmented(data, image: 1, fold: 2, epoch: 3)
        #expect(
            first == Augmenter(policy: policy, seed: 7, imageSize: .mnist).augmented(data, image: 1, fold: 2, epoch: 3))
        #expect(first != augmenter.augmented(data, image: 2, fold: 2, epoch: 3))
        #expect(first != augmenter.augmented(data, image: 1, fold: 2, epoch: 4))
        #expect(first != plain.augmented(data, image: 1, fold: 2, epoch: 3))
        #expect(AugmentationPolicy(elastic: ElasticDistortion(alpha: 0, sigma: 4)).elastic == nil)
        let noise = augmenter.elasticNoise(fold: 2, epoch: 3, image: 1)
        #expect(noise.count == 2 * 784 && noise.allSatisfy { (-1..<1).contains($0) })
        #expect(abs(noise.reduce(0, +) / Float(noise.count)) < 0.05, "uniform in −1..<1, mean near 0")
    }

    /// netc's smoothed field and warp against torchvision's `gaussian_blur` and `elastic_transform` on the same raw
    /// field (Tests/Python/elastic_reference.py), for MNIST's size and a non-square one (torchvision scales its two
    /// fields by different factors). torch's reflection stops at kernels wider than the image, where netc's repeats.
    @Test(
        .enabled(if: PythonEnvironment.torchvisionPython != nil, "needs a python with torchvision (tools/python-env)"),
        arguments: [(ImageSize.mnist, 34.0, 4.0), (ImageSize(height: 20, width: 32), 50.0, 2.0)])
    func matchesTorchvision(size: ImageSize, alpha: Double, sigma: Double) throws {
        let python = try #require(PythonEnvironment.torchvisionPython)
        let policy = AugmentationPolicy.none.withElastic(ElasticDistortion(alpha: alpha, sigma: sigma))
        let pixels = scrambledPixels(count: size.pixelCount, seed: 4)
        let data = copies(of: pixels, size: size, count: 8)
        let augmenter = Augmenter(policy: policy, seed: 11, imageSize: size)
        let noise = augmenter.elasticNoise(fold: 1, epoch: 2, image: 5)
        let maker = ElasticField(ElasticDistortion(alpha: alpha, sigma: sigma), imageSize: size)
        var scratch = noise + [Float](repeating: 0, count: maker.scratchCount - noise.count)
        scratch.withUnsafeMutableBufferPointer { maker.smoothAndScale($0) }
        let caseJSON: [String: Any] = [
            "height": size.height, "width": size.width, "alpha": alpha, "sigma": sigma, "noise": noise,
            "image": pixels.map(Double.init), "displacement": Array(scratch[..<(2 * size.pixelCount)]),
            "warped": augmenter.augmented(data, image: 5, fold: 1, epoch: 2),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("elastic-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: caseJSON).write(to: file)
        let script = PythonEnvironment.repository.appendingPathComponent("Tests/Python/elastic_reference.py").path
        let result = try TestProcess.run(python, [script, file.path])
        #expect(result.status == 0, "\(result.errors)")
        let differences = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Double])
        // Float32 blurs summed in different orders; pixel values 0-255 interpolated at slightly different points.
        #expect(try #require(differences["field"]) <= 1e-5, "\(differences)")
        #expect(try #require(differences["image"]) <= 2e-3, "\(differences)")
        #expect(try #require(differences["largest_displacement"]) > 0.5, "the field moves pixels: \(differences)")
    }
}

extension AugmentationPolicy {
    /// This policy with `elastic` as its elastic distortion.
    func withElastic(_ elastic: ElasticDistortion) -> AugmentationPolicy {
        applying(AugmentationSettings(elastic: elastic))
    }
}
