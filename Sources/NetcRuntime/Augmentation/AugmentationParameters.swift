/// The random choices for one image's augmentation, as an ``Augmenter`` draws them.
///
/// ``transform(for:)`` turns them into the single projective transform the reference pipeline applies in steps:
/// the mirroring when there is one, the rotation, then the affine step (rotation and scale about the centre,
/// then the shift), then the perspective distortion when there is one.
public struct AugmentationParameters: Hashable, Sendable {
    /// The first rotation, degrees, counter-clockwise on screen.
    public var rotationDegrees: Double
    /// The affine step's rotation, degrees, counter-clockwise on screen.
    public var affineRotationDegrees: Double
    /// The affine step's scale factor about the image centre.
    public var scale: Double
    /// The affine step's shift in pixels (positive x right, positive y down).
    public var translation: SIMD2<Double>
    /// Where the perspective step moves the image's corner pixels (see ``Quadrilateral/corners(of:)``), or
    /// `nil` when this image gets no perspective distortion.
    public var perspectiveCorners: Quadrilateral?
    /// Whether the image is mirrored left to right before everything else.
    public var isMirrored: Bool

    /// Creates parameters; the defaults change nothing.
    public init(
        rotationDegrees: Double = 0, affineRotationDegrees: Double = 0, scale: Double = 1,
        translation: SIMD2<Double> = .zero, perspectiveCorners: Quadrilateral? = nil, isMirrored: Bool = false
    ) {
        self.rotationDegrees = rotationDegrees
        self.affineRotationDegrees = affineRotationDegrees
        self.scale = scale
        self.translation = translation
        self.perspectiveCorners = perspectiveCorners
        self.isMirrored = isMirrored
    }

    /// The whole augmentation of an image of `shape` as one transform from source to augmented pixels.
    ///
    /// Rotations and the scale turn about the image centre `((width − 1) / 2, (height − 1) / 2)` in pixel
    /// coordinates: the centre torchvision's tensor path uses (its sampling grid puts pixel `i` at
    /// `i + 0.5 − width / 2` relative to the centre). Corners that no homography can reach (three collinear,
    /// impossible for an ``AugmentationPolicy``'s distortions) leave out the perspective step.
    public func transform(for shape: ImageSize) -> ProjectiveTransform {
        let center = SIMD2(Double(shape.width - 1), Double(shape.height - 1)) / 2
        let affine = ProjectiveTransform.rotation(degrees: affineRotationDegrees, about: center)
            .followed(by: .scale(scale, about: center))
            .followed(by: .translation(translation))
        // Mirroring about the vertical centre line sends column x to width − 1 − x.
        let mirror =
            isMirrored ? ProjectiveTransform([-1, 0, Double(shape.width - 1)], [0, 1, 0], [0, 0, 1]) : .identity
        let rotatedThenAffine = mirror.followed(by: .rotation(degrees: rotationDegrees, about: center))
            .followed(by: affine)
        guard let perspectiveCorners,
            let perspective = ProjectiveTransform(mapping: .corners(of: shape), to: perspectiveCorners)
        else { return rotatedThenAffine }
        return rotatedThenAffine.followed(by: perspective)
    }
}
