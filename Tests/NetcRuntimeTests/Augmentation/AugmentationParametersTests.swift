import NetcRuntime
import Testing

@Suite("Augmentation parameters")
struct AugmentationParametersTests {
    @Test("default parameters give the identity")
    func identity() {
        #expect(isClose(AugmentationParameters().transform(for: .mnist), .identity))
    }

    @Test("the rotation comes first, then the affine rotation and scale about the centre, then the shift")
    func stepOrder() {
        // 5×5 image, centre (2, 2). The point (3, 2), one pixel right of the centre, by hand:
        // rotate 90° counter-clockwise on screen → (2, 1); affine −90° → back to (3, 2); scale 2 → (4, 2);
        // shift (1, −1) → (5, 1). Shifting before scaling would give (6, 0) instead.
        let parameters = AugmentationParameters(
            rotationDegrees: 90, affineRotationDegrees: -90, scale: 2, translation: [1, -1])
        let transform = parameters.transform(for: ImageSize(height: 5, width: 5))
        #expect(isClose(transform.applied(to: [3, 2]), [5, 1]))
        // The centre only moves by the shift.
        #expect(isClose(transform.applied(to: [2, 2]), [3, 1]))
    }

    @Test("the perspective step comes last and sends the corner pixels to the drawn corners")
    func perspectiveLast() {
        let shape = ImageSize.mnist
        let corners = Quadrilateral(
            topLeft: [1, 0.5], topRight: [26, 1], bottomRight: [26.5, 26], bottomLeft: [0.2, 27])
        let shifted = AugmentationParameters(translation: [2, 0], perspectiveCorners: corners).transform(for: shape)
        // The shift moves the top-left corner pixel's centre to (2, 0), which is no corner, so the perspective
        // must come after the shift: the corner centres a shift of (−2, 0) away land on the drawn corners.
        #expect(isClose(shifted.applied(to: [-2, 0]), corners.topLeft))
        #expect(isClose(shifted.applied(to: [25, 27]), corners.bottomRight))
    }

    @Test("mirroring comes first and sends column x to width − 1 − x")
    func mirrorFirst() {
        let mirrored = AugmentationParameters(isMirrored: true).transform(for: ImageSize(height: 5, width: 7))
        #expect(isClose(mirrored.applied(to: [0, 2]), [6, 2]))
        #expect(isClose(mirrored.applied(to: [1, 4]), [5, 4]))
        // Then the shift: (1, 4) mirrors to (5, 4), then moves by (1, -1).
        let shifted = AugmentationParameters(translation: [1, -1], isMirrored: true).transform(
            for: ImageSize(height: 5, width: 7))
        #expect(isClose(shifted.applied(to: [1, 4]), [6, 3]))
    }
}
