import NetcGraph
import NetcRuntime
import Testing

/// A 28×28 digit-like blob: a bright disc of radius 7 at the centre fading over 2 pixels.
private let blob: [UInt8] = (0..<28 * 28).map { index in
    let (x, y) = (Double(index % 28) - 13.5, Double(index / 28) - 13.5)
    let distance = (x * x + y * y).squareRoot()
    return UInt8(255 * min(1, max(0, (9 - distance) / 2)))
}

/// The blob as image 0...999 of a dataset.
private let blobs = copies(of: blob, count: 1000)

@Suite("Augmenter")
struct AugmenterTests {
    private let augmenter = Augmenter(seed: 2024, imageSize: .mnist)

    @Test("the `none` policy leaves every image unchanged")
    func nonePolicy() {
        let none = Augmenter(policy: .none, seed: 5, imageSize: .mnist)
        let pixels = scrambledPixels(count: 28 * 28, seed: 3)
        let data = copies(of: pixels, count: 1000)
        for image in [0, 1, 999] {
            #expect(none.augmented(data, image: image, fold: 2, epoch: 7) == pixels.map(Float.init))
        }
    }

    @Test("the same key gives the same image; a different fold, epoch, image or seed a different one")
    func keying() {
        let reference = augmenter.augmented(blobs, image: 42, fold: 1, epoch: 3)
        #expect(augmenter.augmented(blobs, image: 42, fold: 1, epoch: 3) == reference)
        let sameSeed = Augmenter(seed: 2024, imageSize: .mnist)
        #expect(sameSeed.augmented(blobs, image: 42, fold: 1, epoch: 3) == reference)
        #expect(augmenter.augmented(blobs, image: 42, fold: 1, epoch: 4) != reference)
        #expect(augmenter.augmented(blobs, image: 42, fold: 2, epoch: 3) != reference)
        #expect(augmenter.augmented(blobs, image: 43, fold: 1, epoch: 3) != reference)
        let otherSeed = Augmenter(seed: 2025, imageSize: .mnist)
        #expect(otherSeed.augmented(blobs, image: 42, fold: 1, epoch: 3) != reference)
    }

    @Test("augment(into:) writes what augmented(_:) returns")
    func bufferMatchesArray() {
        var output = [Float](repeating: -1, count: 28 * 28)
        output.withUnsafeMutableBufferPointer { augmenter.augment(blobs, image: 9, fold: 0, epoch: 1, into: $0) }
        #expect(output == augmenter.augmented(blobs, image: 9, fold: 0, epoch: 1))
    }

    @Test("drawn parameters stay in the reference ranges, spread across them, and 25% get a perspective")
    func parameterRanges() throws {
        let draws = (0..<4000).map { augmenter.parameters(fold: 0, epoch: 2, image: $0) }
        let rotations = draws.map(\.rotationDegrees)
        let affineRotations = draws.map(\.affineRotationDegrees)
        let shifts = draws.flatMap { [$0.translation.x, $0.translation.y] }
        let scales = draws.map(\.scale)
        let ranges = [(rotations, -5.0...5.0), (affineRotations, -5...5), (shifts, -2.8...2.8), (scales, 0.9...1.1)]
        for (values, limits) in ranges {
            #expect(values.allSatisfy(limits.contains))
            // Uniform over the range: both ends are approached and the mean sits in the middle.
            let width = limits.upperBound - limits.lowerBound
            #expect(try #require(values.min()) < limits.lowerBound + 0.01 * width)
            #expect(try #require(values.max()) > limits.upperBound - 0.01 * width)
            let mean = values.reduce(0, +) / Double(values.count)
            #expect(abs(mean - (limits.lowerBound + limits.upperBound) / 2) < 0.03 * width)
        }

        let perspectives = draws.compactMap(\.perspectiveCorners)
        #expect(abs(Double(perspectives.count) / 4000 - 0.25) <= 0.03)
        // Each corner moves inwards by at most 0.1 · 14 = 1.4 pixels along each axis.
        let start = Quadrilateral.corners(of: .mnist)
        let inwardMoves = perspectives.flatMap { corners -> [SIMD2<Double>] in
            [
                corners.topLeft - start.topLeft, (start.topRight - corners.topRight) * [1, -1],
                start.bottomRight - corners.bottomRight, (corners.bottomLeft - start.bottomLeft) * [1, -1],
            ]
        }
        #expect(inwardMoves.allSatisfy { (0..<1.4).contains($0.x) && (0..<1.4).contains($0.y) })
    }

    @Test("augmenting a centred blob keeps its mean intensity roughly")
    func meanIntensity() {
        let originalMean = blob.reduce(0) { $0 + Double($1) } / Double(blob.count)
        let ratios = (0..<200).map { image in
            augmenter.augmented(blobs, image: image, fold: 0, epoch: 0).reduce(0) { $0 + Double($1) }
                / Double(blob.count) / originalMean
        }
        // Scales 0.9-1.1 change the area by 0.81-1.21 (1.003 on average); a perspective moves the corners in
        // by 0.7 of 13.5 pixels on average (up to 1.4), shrinking the area by about 10% (up to 19%) in a
        // quarter of the images; rotation, shift and resampling keep the area. So 0.98 expected on average.
        #expect(ratios.allSatisfy { (0.81 * 0.81 - 0.05...1.21 + 0.05).contains($0) })
        #expect(abs(ratios.reduce(0, +) / Double(ratios.count) - 0.98) < 0.03)
    }

    @Test("every channel of an image goes through the same transform")
    func channelsShareOneWarp() {
        let size = ImageSize(height: 13, width: 17)
        let planes = (0..<3).map { scrambledPixels(count: size.pixelCount, seed: UInt64(10 + $0)) }
        let data = Dataset(
            shape: ImageShape(channels: 3, height: 13, width: 17), pixels: .uint8(Array(planes.joined())), labels: nil)
        let augmenter = Augmenter(seed: 7, imageSize: size)
        let transform = augmenter.transform(fold: 0, epoch: 5, image: 0)
        let expected = planes.flatMap { transform.warped($0[...], imageSize: size) }
        #expect(augmenter.augmented(data, image: 0, fold: 0, epoch: 5) == expected)
        #expect(transform != .identity, "the check needs a transform that moves pixels")
    }

    @Test("float images are warped as bytes are, value for value")
    func floatImages() {
        let bytes = scrambledPixels(count: 28 * 28, seed: 4)
        let floats = Dataset(
            shape: ImageShape(channels: 1, height: 28, width: 28), pixels: .float32(bytes.map(Float.init)), labels: nil)
        #expect(
            augmenter.augmented(floats, image: 0, fold: 3, epoch: 1)
                == augmenter.augmented(copies(of: bytes, count: 1), image: 0, fold: 3, epoch: 1))
    }

    @Test("settings replace the reference's ranges; a horizontal flip mirrors about half the images, never by default")
    func policySettings() {
        let policy = AugmentationPolicy.reference.applying(
            AugmentationSettings(rotationDegrees: 0, scale: 1...1.5, perspectiveProbability: 0, horizontalFlip: true))
        #expect(
            policy
                == AugmentationPolicy(
                    rotationDegrees: 0, scale: 1...1.5, perspectiveProbability: 0, horizontalFlipProbability: 0.5))
        let flipping = Augmenter(policy: policy, seed: 3, imageSize: .mnist)
        let draws = (0..<4000).map { flipping.parameters(fold: 0, epoch: 0, image: $0) }
        #expect(abs(Double(draws.count(where: \.isMirrored)) / 4000 - 0.5) < 0.03)
        #expect(
            draws.allSatisfy { $0.rotationDegrees == 0 && (1...1.5).contains($0.scale) && $0.perspectiveCorners == nil }
        )
        #expect((0..<4000).allSatisfy { !augmenter.parameters(fold: 0, epoch: 0, image: $0).isMirrored })
    }
}
