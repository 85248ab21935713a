import Foundation
import NetcRuntime
import Testing

/// An all-black image of `shape` with one pixel of `value` at column `x`, row `y`.
private func singlePixel(_ value: UInt8, x: Int, y: Int, shape: ImageSize) -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: shape.pixelCount)
    pixels[y * shape.width + x] = value
    return pixels
}

/// Output pixel (x, y) of `source` warped by `transform` (each displaced by `displacement`, when given) as the
/// definition reads: the source point `transform.inverse.applied(to: p)`, its four neighbouring pixel centres
/// weighted bilinearly in doubles, a neighbour outside the image counting as zero.
private func referenceWarp(
    _ source: [UInt8], shape: ImageSize, transform: ProjectiveTransform, displacement: [Float]? = nil
) throws -> [Float] {
    let inverse = try #require(transform.inverse)
    func pixel(_ x: Int, _ y: Int) -> Double {
        (0..<shape.width).contains(x) && (0..<shape.height).contains(y) ? Double(source[y * shape.width + x]) : 0
    }
    return (0..<shape.pixelCount).map { index in
        var point = SIMD2(Double(index % shape.width), Double(index / shape.width))
        if let displacement {
            point += SIMD2(Double(displacement[index]), Double(displacement[shape.pixelCount + index]))
        }
        let sourcePoint = inverse.applied(to: point)
        let (left, top) = (Int(floor(sourcePoint.x)), Int(floor(sourcePoint.y)))
        let (fractionX, fractionY) = (sourcePoint.x - Double(left), sourcePoint.y - Double(top))
        let upper = pixel(left, top) * (1 - fractionX) + pixel(left + 1, top) * fractionX
        let lower = pixel(left, top + 1) * (1 - fractionX) + pixel(left + 1, top + 1) * fractionX
        return Float(upper * (1 - fractionY) + lower * fractionY)
    }
}

@Suite("Bilinear warping")
struct WarpTests {
    @Test("the identity reproduces every pixel exactly", arguments: [ImageSize.mnist, ImageSize(height: 3, width: 7)])
    func identity(shape: ImageSize) {
        let pixels = scrambledPixels(count: shape.pixelCount)
        #expect(ProjectiveTransform.identity.warped(pixels[...], imageSize: shape) == pixels.map(Float.init))
    }

    @Test(
        "a whole-pixel translation shifts exactly and fills with zeros",
        arguments: [(3, -2), (-1, 4), (0, 0), (9, 0)])
    func integerTranslation(dx: Int, dy: Int) {
        let shape = ImageSize(height: 5, width: 6)
        let pixels = scrambledPixels(count: shape.pixelCount, seed: 7)
        let output = ProjectiveTransform.translation([Double(dx), Double(dy)]).warped(pixels[...], imageSize: shape)
        for y in 0..<shape.height {
            for x in 0..<shape.width {
                let (sourceX, sourceY) = (x - dx, y - dy)
                let inside = (0..<shape.width).contains(sourceX) && (0..<shape.height).contains(sourceY)
                let expected = inside ? Float(pixels[sourceY * shape.width + sourceX]) : 0
                #expect(output[y * shape.width + x] == expected, "pixel (\(x), \(y))")
            }
        }
    }

    @Test("a quarter turn moves the pixel right of the centre to above it")
    func quarterTurn() {
        let shape = ImageSize(height: 5, width: 5)
        let pixels = singlePixel(200, x: 4, y: 2, shape: shape)
        let output = ProjectiveTransform.rotation(degrees: 90, about: [2, 2]).warped(pixels[...], imageSize: shape)
        for index in output.indices {
            #expect(abs(output[index] - (index == 0 * 5 + 2 ? 200 : 0)) < 1e-3, "pixel \(index)")
        }
    }

    @Test("a 30° turn spreads a pixel with the bilinear weights worked by hand")
    func thirtyDegrees() throws {
        // Centre (4, 4); the pixel at (8, 4) goes to (4 + 4·cos 30°, 4 − 4·sin 30°) ≈ (7.46, 2). Output pixel
        // (7, 2) is (3, −2) from the centre; turning that back 30° gives (3c + 2s, 3s − 2c) with c = √3/2,
        // s = 1/2, so it samples the source at (7 + (1.5√3 − 2), 3 + (2.5 − √3)): weight of (8, 4) = fx · fy.
        let shape = ImageSize(height: 9, width: 9)
        let pixels = singlePixel(200, x: 8, y: 4, shape: shape)
        let output = ProjectiveTransform.rotation(degrees: 30, about: [4, 4]).warped(pixels[...], imageSize: shape)
        let root3 = 3.0.squareRoot()
        let expected = Float(200 * (1.5 * root3 - 2) * (2.5 - root3))
        #expect(abs(output[2 * 9 + 7] - expected) < 1e-3)
        #expect(output.firstIndex(of: try #require(output.max())) == 2 * 9 + 7)
    }

    @Test("a singular transform gives a black image")
    func singular() {
        let shape = ImageSize(height: 4, width: 4)
        let flattening = ProjectiveTransform.scale(0, about: [1, 1])
        let output = flattening.warped(scrambledPixels(count: 16)[...], imageSize: shape)
        #expect(output == [Float](repeating: 0, count: 16))
    }

    @Test(
        "a homography samples as the definition does, at the edges and in widths that are not a multiple of 4",
        arguments: [ImageSize.mnist, ImageSize(height: 5, width: 7), ImageSize(height: 9, width: 1)])
    func homographyAgainstTheDefinition(shape: ImageSize) throws {
        let pixels = scrambledPixels(count: shape.pixelCount, seed: 3)
        // Turned, sheared, shifted by fractions of a pixel and seen in perspective, so that part of the output
        // falls outside the source and the rest between pixel centres.
        let transform = ProjectiveTransform([0.93, 0.21, 0.37], [-0.18, 1.07, -0.61], [0.011, -0.007, 1])
        let expected = try referenceWarp(pixels, shape: shape, transform: transform)
        let output = transform.warped(pixels[...], imageSize: shape)
        #expect(expected.contains(0) && expected.contains { $0 > 0 })
        for index in output.indices {
            #expect(abs(output[index] - expected[index]) <= 1e-3, "pixel \(index)")
        }
    }

    @Test("a displaced homography samples as the definition does")
    func displacedAgainstTheDefinition() throws {
        let shape = ImageSize(height: 6, width: 11)
        let pixels = scrambledPixels(count: shape.pixelCount, seed: 5)
        let transform = ProjectiveTransform([1.1, -0.12, 0.4], [0.09, 0.96, 0.25], [-0.006, 0.009, 1])
        let displacement = scrambledPixels(count: 2 * shape.pixelCount, seed: 9).map { Float($0) / 64 - 2 }
        let expected = try referenceWarp(pixels, shape: shape, transform: transform, displacement: displacement)
        let output = [Float](unsafeUninitializedCapacity: shape.pixelCount) { buffer, count in
            pixels.withUnsafeBufferPointer { pixels in
                displacement.withUnsafeBufferPointer {
                    transform.warp(pixels, imageSize: shape, displacement: $0, into: buffer)
                }
            }
            count = shape.pixelCount
        }
        for index in output.indices {
            #expect(abs(output[index] - expected[index]) <= 1e-3, "pixel \(index)")
        }
    }
}
