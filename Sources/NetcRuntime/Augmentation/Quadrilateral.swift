/// Four points in pixel coordinates, in the order torchvision lists perspective corners.
///
/// ``ProjectiveTransform/init(mapping:to:)`` solves for the homography taking one quadrilateral to another.
public struct Quadrilateral: Hashable, Sendable {
    /// The first corner.
    public var topLeft: SIMD2<Double>
    /// The second corner.
    public var topRight: SIMD2<Double>
    /// The third corner.
    public var bottomRight: SIMD2<Double>
    /// The fourth corner.
    public var bottomLeft: SIMD2<Double>

    /// Creates a quadrilateral from its corners in order.
    public init(
        topLeft: SIMD2<Double>, topRight: SIMD2<Double>, bottomRight: SIMD2<Double>, bottomLeft: SIMD2<Double>
    ) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomRight = bottomRight
        self.bottomLeft = bottomLeft
    }

    /// The centres of the four corner pixels of an image, torchvision's perspective start points.
    public static func corners(of shape: ImageSize) -> Quadrilateral {
        let (right, bottom) = (Double(shape.width - 1), Double(shape.height - 1))
        return Quadrilateral(
            topLeft: [0, 0], topRight: [right, 0], bottomRight: [right, bottom], bottomLeft: [0, bottom])
    }

    /// Corner `index`, 0-3, in the order top left, top right, bottom right, bottom left.
    subscript(index: Int) -> SIMD2<Double> {
        switch index {
        case 0: topLeft
        case 1: topRight
        case 2: bottomRight
        default: bottomLeft
        }
    }
}
