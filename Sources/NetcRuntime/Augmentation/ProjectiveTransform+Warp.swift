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
    /// has no inverse and produces zeros. Allocates only a zero-bordered copy of the plane, on the stack when it is
    /// small.
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
        let bordered = ImageSize(height: imageSize.height + 2, width: imageSize.width + 2)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: bordered.pixelCount) { source in
            source.initialize(repeating: 0)
            for y in 0..<imageSize.height {
                let (from, to) = (y * imageSize.width, (y + 1) * bordered.width + 1)
                for x in 0..<imageSize.width { source[to &+ x] = pixels[from &+ x].floatValue }
            }
            inverse.sampleBilinearly(
                UnsafeBufferPointer(source), imageSize: imageSize, displacement: displacement, into: output)
        }
    }

    /// The plane resampled by ``warp(_:imageSize:into:)``, as a new array.
    public func warped<Pixel: PixelValue>(_ pixels: ArraySlice<Pixel>, imageSize: ImageSize) -> [Float] {
        [Float](unsafeUninitializedCapacity: imageSize.pixelCount) { buffer, count in
            pixels.withUnsafeBufferPointer { warp($0, imageSize: imageSize, into: buffer) }
            count = imageSize.pixelCount
        }
    }

    /// Writes `output[y][x] = source(self.applied(to: (x, y) + displacement(x, y)))`; `self` maps output pixels
    /// to source points, and `bordered` holds the source plane of `imageSize` with a border of one zero pixel on
    /// every side, so that a point less than a pixel outside the image reads zeros where it has no neighbour.
    ///
    /// Four output pixels at a time, without a branch on their points: a point a pixel or more outside (or NaN)
    /// reads the border's corner with weights 0, which is the same zero.
    private func sampleBilinearly(
        _ bordered: UnsafeBufferPointer<Float>, imageSize: ImageSize, displacement: UnsafeBufferPointer<Float>?,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        typealias Lanes = SIMD4<Double>
        let (width, height, plane) = (imageSize.width, imageSize.height, imageSize.pixelCount)
        let (widthLimit, heightLimit) = (Lanes(repeating: Double(width)), Lanes(repeating: Double(height)))
        let rowStride = width + 2
        var values = SIMD16<Float>()
        for y in 0..<height {
            for x in stride(from: 0, to: width, by: Lanes.scalarCount) {
                let lanes = min(Lanes.scalarCount, width - x)
                var column = Lanes(Double(x), Double(x + 1), Double(x + 2), Double(x + 3))
                var row = Lanes(repeating: Double(y))
                if let displacement {
                    for lane in 0..<lanes {
                        column[lane] += Double(displacement[y * width + x + lane])
                        row[lane] += Double(displacement[plane + y * width + x + lane])
                    }
                }
                // The terms in the order of one point at a time: x term + (y term + constant).
                let reciprocal = 1 / (row2.x * column + (row2.y * row + row2.z))
                var sourceX = (row0.x * column + (row0.y * row + row0.z)) * reciprocal
                var sourceY = (row1.x * column + (row1.y * row + row1.z)) * reciprocal
                // Points a whole pixel or more outside have no neighbour inside; NaN fails these tests too.
                let inside = (sourceX .> -1) .& (sourceX .< widthLimit) .& (sourceY .> -1) .& (sourceY .< heightLimit)
                sourceX.replace(with: -1, where: .!inside)
                sourceY.replace(with: -1, where: .!inside)
                let (left, fractionX) = Self.floorAndFraction(sourceX)
                let (top, fractionY) = Self.floorAndFraction(sourceY)
                // Whole numbers below 2³¹, exact in a double; 1.5 · 2⁵² added leaves each in its low 32 bits.
                let index = unsafeBitCast(
                    (top + 1) * Lanes(repeating: Double(rowStride)) + (left + 1) + Lanes(repeating: 0x1.8p52),
                    to: SIMD4<UInt64>.self)
                for lane in 0..<Lanes.scalarCount {
                    let index = Int(UInt32(truncatingIfNeeded: index[lane]))
                    values[4 &* lane] = bordered[index]
                    values[4 &* lane &+ 1] = bordered[index &+ 1]
                    values[4 &* lane &+ 2] = bordered[index &+ rowStride]
                    values[4 &* lane &+ 3] = bordered[index &+ rowStride &+ 1]
                }
                let topLeft = values.evenHalf.evenHalf
                let topRight = values.oddHalf.evenHalf
                let bottomLeft = values.evenHalf.oddHalf
                let bottomRight = values.oddHalf.oddHalf
                let upper = topLeft + fractionX * (topRight - topLeft)
                let lower = bottomLeft + fractionX * (bottomRight - bottomLeft)
                let sampled = upper + fractionY * (lower - upper)
                for lane in 0..<lanes { output[y &* width &+ x &+ lane] = sampled[lane] }
            }
        }
    }

    /// `floor(value)` and `value − floor(value)` of each lane, for values in `-1 ..< 2⁵¹`, without a branch:
    /// adding and taking away 1.5 · 2⁵² rounds to the nearest whole number, and one rounded up is taken back.
    @inline(__always)
    private static func floorAndFraction(_ value: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Float>) {
        let magic = SIMD4<Double>(repeating: 0x1.8p52)
        let nearest = (value + magic) - magic
        let floor = nearest - SIMD4<Double>(repeating: 1).replacing(with: 0, where: nearest .<= value)
        return (floor, SIMD4<Float>(value - floor))
    }
}
