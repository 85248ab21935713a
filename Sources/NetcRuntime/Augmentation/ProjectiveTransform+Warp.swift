/// A stored pixel value the warp reads: a byte (0-255) or a float.
public protocol PixelValue: Sendable {
    /// The value as a `Float`, unscaled.
    var floatValue: Float { get }
}

extension UInt8: PixelValue {
    @inline(__always) public var floatValue: Float { Float(self) }
}

extension Float: PixelValue {
    @inline(__always) public var floatValue: Float { self }
}

extension ProjectiveTransform {
    /// Resamples one channel through this transform: output pixel `p` takes the source's value at
    /// `inverse.applied(to: p)`, interpolated bilinearly between the four nearest pixel centres, with zeros
    /// beyond the image's edge (as torchvision's `grid_sample` with zero padding).
    ///
    /// `pixels` holds `imageSize` row-major; `output` receives the same number of values on the same scale as
    /// `Float` (the caller normalises). An integer translation reproduces pixels exactly. A singular transform
    /// has no inverse and produces zeros. Allocates nothing.
    public func warp<Pixel: PixelValue>(
        _ pixels: UnsafeBufferPointer<Pixel>, imageSize: ImageSize, into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(pixels.count == imageSize.pixelCount, "warp needs one \(imageSize) plane")
        precondition(output.count == imageSize.pixelCount, "warp writes one \(imageSize) plane")
        guard let inverse else {
            output.update(repeating: 0)
            return
        }
        inverse.sampleBilinearly(pixels, imageSize: imageSize, into: output)
    }

    /// The plane resampled by ``warp(_:imageSize:into:)``, as a new array.
    public func warped<Pixel: PixelValue>(_ pixels: ArraySlice<Pixel>, imageSize: ImageSize) -> [Float] {
        [Float](unsafeUninitializedCapacity: imageSize.pixelCount) { buffer, count in
            pixels.withUnsafeBufferPointer { warp($0, imageSize: imageSize, into: buffer) }
            count = imageSize.pixelCount
        }
    }

    /// Writes `output[y][x] = source(self.applied(to: (x, y)))`; `self` maps output pixels to source points.
    private func sampleBilinearly<Pixel: PixelValue>(
        _ source: UnsafeBufferPointer<Pixel>, imageSize: ImageSize, into output: UnsafeMutableBufferPointer<Float>
    ) {
        let (width, height) = (imageSize.width, imageSize.height)
        let (widthLimit, heightLimit) = (Double(width), Double(height))
        func pixel(_ x: Int, _ y: Int) -> Float {
            x >= 0 && x < width && y >= 0 && y < height ? source[y * width + x].floatValue : 0
        }
        for y in 0..<height {
            // The y and constant terms of each row are shared by the whole output row.
            let rowY = Double(y)
            let rowX0 = row0.y * rowY + row0.z
            let rowX1 = row1.y * rowY + row1.z
            let rowW = row2.y * rowY + row2.z
            for x in 0..<width {
                let column = Double(x)
                let reciprocal = 1 / (row2.x * column + rowW)
                let sourceX = (row0.x * column + rowX0) * reciprocal
                let sourceY = (row1.x * column + rowX1) * reciprocal
                // Points a whole pixel or more outside have no neighbour inside; NaN fails these tests too.
                guard sourceX > -1, sourceX < widthLimit, sourceY > -1, sourceY < heightLimit else {
                    output[y * width + x] = 0
                    continue
                }
                // floor() by truncation, valid because both coordinates exceed -1 here.
                let left = Int(sourceX + 1) - 1
                let top = Int(sourceY + 1) - 1
                let fractionX = Float(sourceX - Double(left))
                let fractionY = Float(sourceY - Double(top))
                let topLeft: Float
                let topRight: Float
                let bottomLeft: Float
                let bottomRight: Float
                if left >= 0, left + 1 < width, top >= 0, top + 1 < height {
                    let index = top * width + left
                    (topLeft, topRight) = (source[index].floatValue, source[index + 1].floatValue)
                    (bottomLeft, bottomRight) = (source[index + width].floatValue, source[index + width + 1].floatValue)
                } else {
                    (topLeft, topRight) = (pixel(left, top), pixel(left + 1, top))
                    (bottomLeft, bottomRight) = (pixel(left, top + 1), pixel(left + 1, top + 1))
                }
                let upper = topLeft + fractionX * (topRight - topLeft)
                let lower = bottomLeft + fractionX * (bottomRight - bottomLeft)
                output[y * width + x] = upper + fractionY * (lower - upper)
            }
        }
    }
}
