/// A greyscale picture, one byte per pixel, 0 black … 255 white (MNIST digits are white ink on black).
public struct GreyImage: Equatable, Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows of pixels.
    public let height: Int
    /// `width * height` pixels, row-major.
    public let pixels: [UInt8]

    /// An image of `width` × `height` `pixels`, row-major; the count must match.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "pixels must fill width × height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image from floating-point pixels on the 0...255 scale, rounded and clamped (NaN becomes 0).
    public init(width: Int, height: Int, pixels: [Float]) {
        self.init(
            width: width, height: height,
            pixels: pixels.map { value in
                value.isNaN ? 0 : UInt8(min(max(value, 0), 255).rounded())
            })
    }

    /// A 28×28 MNIST digit.
    public init(mnist pixels: [UInt8]) {
        self.init(width: 28, height: 28, pixels: pixels)
    }

    /// A 28×28 MNIST digit from floating-point pixels on the 0...255 scale.
    public init(mnist pixels: [Float]) {
        self.init(width: 28, height: 28, pixels: pixels)
    }

}
