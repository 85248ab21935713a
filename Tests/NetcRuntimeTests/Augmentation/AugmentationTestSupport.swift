import NetcGraph
import NetcRuntime

extension ImageSize {
    /// MNIST's 28×28.
    static let mnist = ImageSize(height: 28, width: 28)
}

/// A dataset of `count` copies of one single-channel image of `size`, so that an augmenter can key
/// randomness by any image index below `count` while warping the same pixels.
func copies(of pixels: [UInt8], size: ImageSize = .mnist, count: Int) -> Dataset {
    Dataset(
        shape: ImageShape(channels: 1, height: size.height, width: size.width),
        pixels: .uint8(Array((0..<count).map { _ in pixels }.joined())), labels: nil)
}

/// Whether two points agree to `tolerance` in both coordinates.
func isClose(_ a: SIMD2<Double>, _ b: SIMD2<Double>, tolerance: Double = 1e-9) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
}

/// Whether two transforms' matrices agree entry by entry to `tolerance`.
func isClose(_ a: ProjectiveTransform, _ b: ProjectiveTransform, tolerance: Double = 1e-12) -> Bool {
    [(a.row0, b.row0), (a.row1, b.row1), (a.row2, b.row2)].allSatisfy { rowA, rowB in
        (0..<3).allSatisfy { abs(rowA[$0] - rowB[$0]) <= tolerance }
    }
}

/// `count` pixels of a fixed pseudo-random pattern, every value 0-255 likely present.
func scrambledPixels(count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}
