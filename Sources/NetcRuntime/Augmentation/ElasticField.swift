import Foundation
import NetcGraph

/// The displacement field of one image's elastic distortion (``ElasticDistortion``), in pixels: the x field then
/// the y field, each row-major over the image, so output pixel (x, y) is taken from the point
/// (x + field[y·width + x], y + field[width·height + y·width + x]) of the image the other steps produce.
struct ElasticField {
    /// The distortion's parameters.
    let distortion: ElasticDistortion
    /// The images' height and width.
    let imageSize: ImageSize
    /// torchvision's Gaussian kernel for `distortion.sigma` (`_get_gaussian_kernel1d`); empty when sigma is 0.
    let kernel: [Float]
    /// For each value of a row, and of a column, padded by half the kernel on either side: the index it reflects.
    private let reflectedColumns, reflectedRows: [Int]

    /// The field maker for `distortion` of images of `imageSize`.
    init(_ distortion: ElasticDistortion, imageSize: ImageSize) {
        self.distortion = distortion
        self.imageSize = imageSize
        kernel = Self.gaussianKernel(sigma: distortion.sigma)
        let half = kernel.count / 2
        reflectedColumns = (-half..<imageSize.width + half).map { Self.reflected($0, count: imageSize.width) }
        reflectedRows = (-half..<imageSize.height + half).map { Self.reflected($0, count: imageSize.height) }
    }

    /// The values ``smoothAndScale(_:)`` needs: the field itself (2 · height · width), then for the blur a padded
    /// line and a line of sums.
    var scratchCount: Int {
        2 * imageSize.pixelCount + 2 * max(imageSize.width, imageSize.height) + max(kernel.count - 1, 0)
    }

    /// torchvision's kernel: `int(8·sigma + 1)` taps, made odd, at offsets −(taps − 1)/2 ... (taps − 1)/2, of
    /// exp(−offset² / 2sigma²), normalised to sum to 1.
    static func gaussianKernel(sigma: Double) -> [Float] {
        guard sigma > 0 else { return [] }
        var taps = Int(8 * sigma + 1)
        if taps % 2 == 0 { taps += 1 }
        let half = Double(taps - 1) / 2
        let weights = (0..<taps).map { exp(-0.5 * pow((Double($0) - half) / sigma, 2)) }
        let sum = weights.reduce(0, +)
        return weights.map { Float($0 / sum) }
    }

    /// Draws the raw field of image `image` at `step` (fold · 2³² + epoch): 2 · height · width values uniform in
    /// −1..<1 (torch's `rand · 2 − 1`), four from each Philox block.
    static func drawNoise(
        _ generator: Philox, step: UInt64, image: Int, into noise: UnsafeMutableBufferPointer<Float>
    ) {
        let stream = RandomStream.elastic(image: image)
        let (low, high) = (UInt32(truncatingIfNeeded: step), UInt32(truncatingIfNeeded: step >> 32))
        func uniform(_ word: UInt32) -> Float { Float(word >> 8) * 0x1p-23 - 1 }
        for block in 0..<(noise.count + 3) / 4 {
            let words = generator.block((UInt32(block), stream, low, high))
            let first = 4 * block
            noise[first] = uniform(words.0)
            if first + 1 < noise.count { noise[first + 1] = uniform(words.1) }
            if first + 2 < noise.count { noise[first + 2] = uniform(words.2) }
            if first + 3 < noise.count { noise[first + 3] = uniform(words.3) }
        }
    }

    /// Turns the raw field in the front of `scratch` (as ``drawNoise(_:step:image:into:)`` writes it) into pixel
    /// displacements in place: each plane smoothed by the Gaussian with reflected edges (torch's "reflect" padding,
    /// repeated when the kernel is wider than the image) and scaled as torchvision scales it.
    func smoothAndScale(_ scratch: UnsafeMutableBufferPointer<Float>) {
        let (width, height) = (imageSize.width, imageSize.height)
        let plane = imageSize.pixelCount
        let lines = UnsafeMutableBufferPointer(rebasing: scratch[(2 * plane)...])
        for field in 0..<2 {
            let values = UnsafeMutableBufferPointer(rebasing: scratch[field * plane..<(field + 1) * plane])
            if !kernel.isEmpty {
                for y in 0..<height {
                    blur(values, start: y * width, stride: 1, reflecting: reflectedColumns, lines: lines)
                }
                for x in 0..<width { blur(values, start: x, stride: width, reflecting: reflectedRows, lines: lines) }
            }
            // torchvision scales the x field by alpha / height and the y field by alpha / width in grid units
            // (−1...1 across the image); a grid unit is width / 2 pixels in x and height / 2 in y.
            let scale =
                field == 0
                ? Float(distortion.alpha / Double(height) * Double(width) / 2)
                : Float(distortion.alpha / Double(width) * Double(height) / 2)
            for index in 0..<plane { values[index] *= scale }
        }
    }

    /// Convolves the line of `values` at `start`, `start + stride`, ... with the kernel, reading reflected values
    /// past either end (`reflection`: the line's index of each padded position), using `lines` for the padded copy
    /// and the sums.
    ///
    /// Each sum adds its taps in order, tap by tap for the whole line at once, so the additions of neighbouring
    /// positions are independent (vectorised) instead of one long chain per position.
    private func blur(
        _ values: UnsafeMutableBufferPointer<Float>, start: Int, stride: Int, reflecting reflection: [Int],
        lines: UnsafeMutableBufferPointer<Float>
    ) {
        let count = reflection.count - (kernel.count - 1)
        let padded = UnsafeMutableBufferPointer(rebasing: lines[..<reflection.count])
        let sums = UnsafeMutableBufferPointer(rebasing: lines[reflection.count..<(reflection.count + count)])
        reflection.withUnsafeBufferPointer { reflection in
            for index in padded.indices { padded[index] = values[start + stride * reflection[index]] }
        }
        sums.update(repeating: 0)
        guard let sum = sums.baseAddress, let first = padded.baseAddress else { return }
        kernel.withUnsafeBufferPointer { kernel in
            for (tap, weight) in kernel.enumerated() {
                let shifted = first + tap
                for position in 0..<count { sum[position] += weight * shifted[position] }
            }
        }
        for position in 0..<count { values[start + stride * position] = sums[position] }
    }

    /// Index `index` of a line of `count` values reflected at its ends without repeating the edge (… 2 1 | 0 1 2 …
    /// n−1 | n−2 …), as often as needed.
    static func reflected(_ index: Int, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let period = 2 * (count - 1)
        let folded = (index % period + period) % period
        return folded < count ? folded : period - folded
    }
}
