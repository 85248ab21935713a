import NetcGraph

/// How strongly to distort training images: the ranges an ``Augmenter`` draws its parameters from.
///
/// The defaults are the reference torchvision pipeline for MNIST: `RandomRotation(5)`, then
/// `RandomAffine(degrees: 5, translate: (0.1, 0.1), scale: (0.9, 1.1))`, then
/// `RandomPerspective(distortion_scale: 0.1, p: 0.25)`, all filling with zeros, and no horizontal flip (a
/// mirrored digit is another glyph), and no elastic distortion. netc composes the steps (the elastic field after the
/// rest) into one mapping and resamples once, bilinearly.
public struct AugmentationPolicy: Hashable, Sendable, Codable {
    /// The first rotation is drawn uniformly from `-rotationDegrees...rotationDegrees`.
    public let rotationDegrees: Double
    /// The affine step's rotation is drawn uniformly from `-affineDegrees...affineDegrees`.
    public let affineDegrees: Double
    /// The affine step's shift is drawn uniformly up to this fraction of the width (horizontally) and of the
    /// height (vertically), in either direction.
    public let translation: Double
    /// The affine step's scale factor is drawn uniformly from this range.
    public let scale: ClosedRange<Double>
    /// How far, as a fraction of half the width or height, each corner may move inwards in a perspective
    /// distortion; below 1 so the corners stay apart.
    public let perspectiveDistortion: Double
    /// The chance, 0-1, that an image gets a perspective distortion at all.
    public let perspectiveProbability: Double
    /// The chance, 0-1, that an image is mirrored left to right first (`RandomHorizontalFlip`'s `p`).
    public let horizontalFlipProbability: Double
    /// The elastic distortion applied after the other steps, if any (never one of alpha 0); absent from runs started
    /// before it existed.
    public let elastic: ElasticDistortion?

    /// Creates a policy; every argument defaults to the reference pipeline's value.
    ///
    /// Angles, `translation` and `perspectiveDistortion` must not be negative, `scale` must be positive,
    /// `perspectiveDistortion` below 1 and the probabilities within 0...1 (callers taking these from the user
    /// check them first).
    public init(
        rotationDegrees: Double = 5, affineDegrees: Double = 5, translation: Double = 0.1,
        scale: ClosedRange<Double> = 0.9...1.1, perspectiveDistortion: Double = 0.1,
        perspectiveProbability: Double = 0.25, horizontalFlipProbability: Double = 0, elastic: ElasticDistortion? = nil
    ) {
        precondition(rotationDegrees >= 0 && affineDegrees >= 0, "rotation ranges must not be negative")
        precondition(translation >= 0, "the translation range must not be negative")
        precondition(scale.lowerBound > 0, "scale factors must be positive")
        precondition(perspectiveDistortion >= 0 && perspectiveDistortion < 1, "distortion must be in 0..<1")
        precondition(
            (0...1).contains(perspectiveProbability) && (0...1).contains(horizontalFlipProbability),
            "probabilities must be in 0...1")
        self.rotationDegrees = rotationDegrees
        self.affineDegrees = affineDegrees
        self.translation = translation
        self.scale = scale
        self.perspectiveDistortion = perspectiveDistortion
        self.perspectiveProbability = perspectiveProbability
        self.horizontalFlipProbability = horizontalFlipProbability
        self.elastic = elastic.flatMap { $0.alpha > 0 ? $0 : nil }
    }

    /// This policy with every range `settings` sets replaced; `horizontalFlip` mirrors half the images.
    public func applying(_ settings: AugmentationSettings) -> AugmentationPolicy {
        AugmentationPolicy(
            rotationDegrees: settings.rotationDegrees ?? rotationDegrees,
            affineDegrees: settings.affineDegrees ?? affineDegrees,
            translation: settings.translation ?? translation, scale: settings.scale ?? scale,
            perspectiveDistortion: settings.perspectiveDistortion ?? perspectiveDistortion,
            perspectiveProbability: settings.perspectiveProbability ?? perspectiveProbability,
            horizontalFlipProbability: settings.horizontalFlip.map { $0 ? 0.5 : 0 } ?? horizontalFlipProbability,
            elastic: settings.elastic ?? elastic)
    }

    /// The reference torchvision pipeline's ranges (the defaults).
    public static let reference = AugmentationPolicy()

    /// The mild warps of test-time augmentation: an affine rotation of up to 5°, shifts of up to 5 % and scales
    /// of 0.95-1.05, without the training pipeline's extra rotation and perspective, so every view stays a
    /// plausible digit that the model has seen the like of in training.
    public static let testTime = AugmentationPolicy(
        rotationDegrees: 0, affineDegrees: 5, translation: 0.05, scale: 0.95...1.05, perspectiveDistortion: 0,
        perspectiveProbability: 0)

    /// No augmentation: every image comes out unchanged.
    public static let none = AugmentationPolicy(
        rotationDegrees: 0, affineDegrees: 0, translation: 0, scale: 1...1, perspectiveDistortion: 0,
        perspectiveProbability: 0)
}
