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
    ///
    /// With a `displacement` (an ``ElasticField``: the x then the y displacement of every output pixel, in pixels),
    /// output pixel `p` takes the value at `inverse.applied(to: p + displacement(p))`: the elastic distortion of
    /// the transformed image, resampled once.
    public func warp<Pixel: PixelValue>(
        _ pixels: UnsafeBufferPointer<Pixel>, imageSize: ImageSize, displacement: UnsafeBufferPointer<Float>? = nil,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(pixels.count == imageSize.pixelCount, "warp needs one \(imageSize) plane")
        precondition(output.count == imageSize.pixelCount, "warp writes one \(imageSize) plane")
        precondition(displacement.map { $0.count == 2 * imageSize.pixelCount } ?? true, "one x and one y plane")
        guard let inverse else {
            output.update(repeating: 0)
            return
        }
        inverse.sampleBilinearly(pixels, imageSize: imageSize, displacement: displacement, into: output)
    }

    /// The plane resampled by ``warp(_:imageSize:into:)``, as a new array.
    public func warped<Pixel: PixelValue>(_ pixels: ArraySlice<Pixel>, imageSize: ImageSize) -> [Float] {
        [Float](unsafeUninitializedCapacity: imageSize.pixelCount) { buffer, count in
            pixels.withUnsafeBufferPointer { warp($0, imageSize: imageSize, into: buffer) }
            count = imageSize.pixelCount
        }
    }

    /// Writes `output[y][x] = source(self.applied(to: (x, y) + displacement(x, y)))`; `self` maps output pixels
    /// to source points.
    private func sampleBilinearly<Pixel: PixelValue>(
        _ source: UnsafeBufferPointer<Pixel>, imageSize: ImageSize, displacement: UnsafeBufferPointer<Float>?,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        let (width, height) = (imageSize.width, imageSize.height)
        let (widthLimit, heightLimit) = (Double(width), Double(height))
        func pixel(_ x: Int, _ y: Int) -> Float {
            x >= 0 && x < width && y >= 0 && y < height ? source[y * width + x].floatValue : 0
        }
        let plane = imageSize.pixelCount
        for y in 0..<height {
            // Without a displacement, the y and constant terms of each row are shared by the whole output row.
            var rowY = Double(y)
            var rowX0 = row0.y * rowY + row0.z
            var rowX1 = row1.y * rowY + row1.z
            var rowW = row2.y * rowY + row2.z
            for x in 0..<width {
                var column = Double(x)
                if let displacement {
                    column += Double(displacement[y * width + x])
                    rowY = Double(y) + Double(displacement[plane + y * width + x])
                    (rowX0, rowX1, rowW) = (row0.y * rowY + row0.z, row1.y * rowY + row1.z, row2.y * rowY + row2.z)
                }
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
