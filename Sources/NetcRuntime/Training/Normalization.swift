/// Per-pixel normalisation `(pixel / 255 − mean) / std`, as torchvision's `ToTensor` then `Normalize`.
public struct Normalization: Hashable, Sendable, Codable {
    /// Mean of the training pixels scaled to [0, 1].
    public var mean: Double
    /// Standard deviation of the training pixels scaled to [0, 1].
    public var std: Double

    /// Creates a normalisation from known statistics.
    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }

    /// The mean and (population) standard deviation of every pixel of `images`, scaled to [0, 1].
    public init(fitting images: [UInt8]) {
        var histogram = [Int](repeating: 0, count: 256)
        for pixel in images { histogram[Int(pixel)] += 1 }
        let count = Double(max(images.count, 1))
        let mean = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * Double($1.element) } / count
        let variance =
            histogram.enumerated().reduce(0.0) { sum, entry in
                let deviation = Double(entry.offset) - mean
                return sum + deviation * deviation * Double(entry.element)
            } / count
        self.init(mean: mean / 255, std: max(variance.squareRoot() / 255, 1e-12))
    }

    /// The normalised value of a pixel given in 0...255.
    public func apply(_ pixel: Double) -> Double {
        (pixel / 255 - mean) / std
    }
}
