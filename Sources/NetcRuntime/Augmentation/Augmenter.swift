import NetcGraph

/// Distorts training images on the fly, reproducibly: the same (seed, fold, epoch, image) always gives the
/// same augmentation, on any thread and in any order.
///
/// Every random number is a pure function of that key through the counter-based ``Philox`` generator:
/// key = `seed`, stream = ``RandomStream/augmentation``, step = `fold << 32 | epoch`, and
/// index = `image · 16 + slot`, where the slots are 0 the rotation, 1 the affine rotation, 2 and 3 the shift in
/// x and y, 4 the scale, 5 whether to distort the perspective, 6-13 the inward moves of the corners
/// (x then y of top left, top right, bottom right, bottom left) and 14 whether to mirror the image. `fold` and
/// `epoch` must fit in 32 bits and `image` below 2²⁸.
///
/// Differences from torchvision, on purpose: shifts and corner moves are drawn continuously rather than
/// rounded to whole pixels (the resampling is bilinear anyway), the three steps are composed and resampled
/// once instead of three times, and the perspective start points are the corner pixels' centres.
public struct Augmenter: Sendable {
    /// The ranges parameters are drawn from.
    public let policy: AugmentationPolicy
    /// The height and width of every image this augmenter handles, whatever their channels.
    public let imageSize: ImageSize
    private let generator: Philox
    /// The elastic distortion's field maker, when the policy has one.
    private let elasticField: ElasticField?

    /// Creates an augmenter for images of `imageSize` drawing from `policy` with the run's `seed`.
    public init(policy: AugmentationPolicy = .reference, seed: UInt64, imageSize: ImageSize) {
        self.policy = policy
        self.imageSize = imageSize
        generator = Philox(seed: seed)
        elasticField = policy.elastic.map { ElasticField($0, imageSize: imageSize) }
    }

    /// The random choices for image `image` (its index in the dataset) in epoch `epoch` of fold `fold`.
    public func parameters(fold: Int, epoch: Int, image: Int) -> AugmentationParameters {
        precondition(fold >= 0 && fold <= Int(UInt32.max), "fold \(fold) does not fit in 32 bits")
        precondition(epoch >= 0 && epoch <= Int(UInt32.max), "epoch \(epoch) does not fit in 32 bits")
        precondition(image >= 0 && image < 1 << 28, "image index \(image) must be below 2^28")
        let step = Self.step(fold: fold, epoch: epoch)
        func uniform(_ slot: Int) -> Double {
            generator.uniform(stream: RandomStream.augmentation, step: step, index: UInt32(image * 16 + slot))
        }
        func symmetric(_ slot: Int, _ limit: Double) -> Double { (2 * uniform(slot) - 1) * limit }

        let (width, height) = (Double(imageSize.width), Double(imageSize.height))
        var parameters = AugmentationParameters(
            rotationDegrees: symmetric(0, policy.rotationDegrees),
            affineRotationDegrees: symmetric(1, policy.affineDegrees),
            scale: policy.scale.lowerBound + uniform(4) * (policy.scale.upperBound - policy.scale.lowerBound),
            translation: [symmetric(2, policy.translation * width), symmetric(3, policy.translation * height)])
        parameters.isMirrored = uniform(14) < policy.horizontalFlipProbability
        if uniform(5) < policy.perspectiveProbability {
            // torchvision moves corners by up to distortion_scale · (size // 2).
            let halfSize = SIMD2(Double(imageSize.width / 2), Double(imageSize.height / 2))
            func inset(_ corner: Int) -> SIMD2<Double> {
                SIMD2(uniform(6 + 2 * corner), uniform(7 + 2 * corner)) * halfSize * policy.perspectiveDistortion
            }
            let start = Quadrilateral.corners(of: imageSize)
            parameters.perspectiveCorners = Quadrilateral(
                topLeft: start.topLeft + inset(0),
                topRight: start.topRight + SIMD2(-1, 1) * inset(1),
                bottomRight: start.bottomRight - inset(2),
                bottomLeft: start.bottomLeft + SIMD2(1, -1) * inset(3))
        }
        return parameters
    }

    /// The whole augmentation of image `image` in epoch `epoch` of fold `fold`, from source to output pixels.
    public func transform(fold: Int, epoch: Int, image: Int) -> ProjectiveTransform {
        parameters(fold: fold, epoch: epoch, image: image).transform(for: imageSize)
    }

    /// Writes image `image` of `data` (its index, which keys the randomness) as augmented for epoch `epoch` of
    /// fold `fold` into `output`, on the data's stored scale (bytes as 0...255); the caller normalises.
    ///
    /// Every channel goes through the same transform, so colours stay registered. `output` holds one image of
    /// `data.shape`; `data`'s planes must be of ``imageSize``. Allocates nothing.
    public func augment(
        _ data: Dataset, image: Int, fold: Int, epoch: Int, into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(data.imageSize == imageSize, "an augmenter for \(imageSize) images given \(data.imageSize)")
        precondition(output.count == data.shape.elementCount, "augment writes one \(data.shape) image")
        let transform = transform(fold: fold, epoch: epoch, image: image)
        let plane = imageSize.pixelCount
        let first = image * data.shape.elementCount
        func warpChannels<Pixel: PixelValue>(_ values: [Pixel], displacement: UnsafeBufferPointer<Float>?) {
            values.withUnsafeBufferPointer { values in
                for channel in 0..<data.shape.channels {
                    let start = first + channel * plane
                    transform.warp(
                        UnsafeBufferPointer(rebasing: values[start..<start + plane]), imageSize: imageSize,
                        displacement: displacement,
                        into: UnsafeMutableBufferPointer(rebasing: output[channel * plane..<(channel + 1) * plane]))
                }
            }
        }
        func warpChannels(displacement: UnsafeBufferPointer<Float>?) {
            switch data.pixels {
            case .uint8(let values): warpChannels(values, displacement: displacement)
            case .float32(let values): warpChannels(values, displacement: displacement)
            }
        }
        guard let elasticField else { return warpChannels(displacement: nil) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: elasticField.scratchCount) { scratch in
            ElasticField.drawNoise(
                generator, step: Self.step(fold: fold, epoch: epoch), image: image,
                into: UnsafeMutableBufferPointer(rebasing: scratch[..<(2 * plane)]))
            elasticField.smoothAndScale(scratch)
            warpChannels(displacement: UnsafeBufferPointer(rebasing: scratch[..<(2 * plane)]))
        }
    }

    /// The raw elastic field of image `image` in epoch `epoch` of fold `fold` (uniform in −1..<1, before smoothing
    /// and scaling; see ``ElasticField``), for checks against torchvision.
    func elasticNoise(fold: Int, epoch: Int, image: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: 2 * imageSize.pixelCount) { buffer, count in
            ElasticField.drawNoise(generator, step: Self.step(fold: fold, epoch: epoch), image: image, into: buffer)
            count = buffer.count
        }
    }

    /// The Philox step of an epoch of a fold.
    private static func step(fold: Int, epoch: Int) -> UInt64 { UInt64(fold) << 32 | UInt64(epoch) }

    /// The augmented image, as ``augment(_:image:fold:epoch:into:)`` writes it, as a new array.
    public func augmented(_ data: Dataset, image: Int, fold: Int, epoch: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: data.shape.elementCount) { buffer, count in
            augment(data, image: image, fold: fold, epoch: epoch, into: buffer)
            count = data.shape.elementCount
        }
    }
}
