import NetcGraph

/// Distorts training images on the fly, reproducibly: the same (seed, fold, epoch, image) always gives the
/// same augmentation, on any thread and in any order.
///
/// Every random number is a pure function of that key through the counter-based ``Philox`` generator:
/// key = `seed`, stream = ``RandomStream/augmentation``, step = `fold << 32 | epoch`, and
/// index = `image · 16 + slot`, where the slots are 0 the rotation, 1 the affine rotation, 2 and 3 the shift in
/// x and y, 4 the scale, 5 whether to distort the perspective, and 6-13 the inward moves of the corners
/// (x then y of top left, top right, bottom right, bottom left). `fold` and `epoch` must fit in 32 bits and
/// `image` below 2²⁸.
///
/// Differences from torchvision, on purpose: shifts and corner moves are drawn continuously rather than
/// rounded to whole pixels (the resampling is bilinear anyway), the three steps are composed and resampled
/// once instead of three times, and the perspective start points are the corner pixels' centres.
public struct Augmenter: Sendable {
    /// The ranges parameters are drawn from.
    public let policy: AugmentationPolicy
    /// The shape of every image this augmenter handles.
    public let imageSize: ImageSize
    private let generator: Philox

    /// Creates an augmenter for images of `imageSize` drawing from `policy` with the run's `seed`.
    public init(policy: AugmentationPolicy = .reference, seed: UInt64, imageSize: ImageSize) {
        self.policy = policy
        self.imageSize = imageSize
        generator = Philox(seed: seed)
    }

    /// The random choices for image `image` (its index in the dataset) in epoch `epoch` of fold `fold`.
    public func parameters(fold: Int, epoch: Int, image: Int) -> AugmentationParameters {
        precondition(fold >= 0 && fold <= Int(UInt32.max), "fold \(fold) does not fit in 32 bits")
        precondition(epoch >= 0 && epoch <= Int(UInt32.max), "epoch \(epoch) does not fit in 32 bits")
        precondition(image >= 0 && image < 1 << 28, "image index \(image) must be below 2^28")
        let step = UInt64(fold) << 32 | UInt64(epoch)
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

    /// Writes the augmented image `image` (its index in the dataset, which keys the randomness) for epoch
    /// `epoch` of fold `fold` into `output`, pixel values in 0...255 as `Float`; the caller normalises.
    ///
    /// `pixels` and `output` hold one image of ``imageSize`` each. Allocates nothing.
    public func augment(
        _ pixels: ArraySlice<UInt8>, fold: Int, epoch: Int, image: Int, into output: UnsafeMutableBufferPointer<Float>
    ) {
        transform(fold: fold, epoch: epoch, image: image).warp(pixels, imageSize: imageSize, into: output)
    }

    /// The augmented image, as ``augment(_:fold:epoch:image:into:)`` writes it, as a new array.
    public func augmented(_ pixels: ArraySlice<UInt8>, fold: Int, epoch: Int, image: Int) -> [Float] {
        transform(fold: fold, epoch: epoch, image: image).warped(pixels, imageSize: imageSize)
    }
}
