import NetcGraph

/// An image to show people: grey or colour, one byte per value, 0 black … 255 full intensity (MNIST digits
/// are white ink on black).
public struct Picture: Equatable, Sendable {
    /// How a pixel's bytes are read.
    public enum Colour: Equatable, Sendable {
        /// One byte per pixel.
        case grey
        /// Three bytes per pixel: red, green, blue.
        case rgb

        /// Bytes per pixel.
        public var bytesPerPixel: Int {
            switch self {
            case .grey: 1
            case .rgb: 3
            }
        }
    }

    /// Pixels per row.
    public let width: Int
    /// Rows of pixels.
    public let height: Int
    /// Grey or colour.
    public let colour: Colour
    /// `width * height` pixels, row-major, each `colour.bytesPerPixel` bytes.
    public let bytes: [UInt8]

    /// A picture of `width` × `height` pixels of `colour`, row-major; the count must match.
    public init(width: Int, height: Int, colour: Colour = .grey, bytes: [UInt8]) {
        precondition(
            width > 0 && height > 0 && bytes.count == width * height * colour.bytesPerPixel,
            "bytes must fill width × height pixels")
        self.width = width
        self.height = height
        self.colour = colour
        self.bytes = bytes
    }

    /// The picture of one image of a dataset: `values` holds its channels one after another (NCHW order) on a
    /// scale where `range` spans black to full intensity. Three channels are shown as red, green and blue; any
    /// other number as grey, the mean of the channels. Values outside `range` are clamped; NaN shows black.
    public init(values: [Float], shape: ImageShape, range: ClosedRange<Float>) {
        let plane = shape.height * shape.width
        precondition(values.count == shape.channels * plane, "values must fill the shape")
        let span = range.upperBound > range.lowerBound ? range.upperBound - range.lowerBound : 1
        func byte(_ value: Float) -> UInt8 {
            value.isNaN ? 0 : UInt8((min(max((value - range.lowerBound) / span, 0), 1) * 255).rounded())
        }
        let bytes: [UInt8]
        if shape.channels == 3 {
            bytes = (0..<plane * 3).map { index in byte(values[(index % 3) * plane + index / 3]) }
        } else {
            bytes = (0..<plane).map { pixel in
                byte(
                    stride(from: pixel, to: values.count, by: plane).reduce(0) { $0 + values[$1] }
                        / Float(shape.channels))
            }
        }
        self.init(width: shape.width, height: shape.height, colour: shape.channels == 3 ? .rgb : .grey, bytes: bytes)
    }
}
