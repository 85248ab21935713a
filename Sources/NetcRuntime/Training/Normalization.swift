/// Per-channel normalisation `(value / divisor − mean[c]) / std[c]`, as torchvision's `ToTensor` then
/// `Normalize(mean, std)`: the divisor is 255 for bytes and 1 for float data (``PixelValues/divisor``), so the
/// statistics are those of intensities scaled to [0, 1] for byte images.
///
/// In `run.json` and in checkpoint metadata (`normalization_mean`, `normalization_std`) one channel's
/// statistics are single numbers, as they always were for MNIST; several channels' are lists, one value per
/// channel in channel order (JSON arrays in `run.json`, comma-separated in checkpoint metadata).
public struct Normalization: Hashable, Sendable {
    /// Mean of each channel's scaled values.
    public let mean: [Double]
    /// (Population) standard deviation of each channel's scaled values.
    public let std: [Double]

    /// Creates a normalisation from known per-channel statistics; both lists need one value per channel.
    public init(mean: [Double], std: [Double]) {
        precondition(!mean.isEmpty && mean.count == std.count, "one mean and one std per channel")
        self.mean = mean
        self.std = std
    }

    /// A one-channel normalisation.
    public init(mean: Double, std: Double) {
        self.init(mean: [mean], std: [std])
    }

    /// The per-channel mean and standard deviation of every image of `data`, after dividing by the data's
    /// divisor; a channel that never varies gets a tiny std instead of zero.
    public init(fitting data: Dataset) {
        let channels = data.shape.channels
        let plane = data.shape.height * data.shape.width
        let planes = stride(from: 0, to: data.pixels.count, by: plane).enumerated().map { index, start in
            (channel: index % channels, range: start..<start + plane)
        }
        var sums = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        let count = Double(max(data.pixels.count / channels, 1))
        switch data.pixels {
        case .uint8(let values):
            // Exact: a histogram per channel, then the moments of the histogram about the mean.
            var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: channels)
            for (channel, range) in planes {
                for value in values[range] { histograms[channel][Int(value)] += 1 }
            }
            for (channel, histogram) in histograms.enumerated() {
                sums[channel] = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * Double($1.element) }
                let mean = sums[channel] / count
                squares[channel] = histogram.enumerated().reduce(0.0) { sum, entry in
                    let deviation = Double(entry.offset) - mean
                    return sum + deviation * deviation * Double(entry.element)
                }
            }
        case .float32(let values):
            for (channel, range) in planes {
                sums[channel] += values[range].reduce(0.0) { $0 + Double($1) }
            }
            for (channel, range) in planes {
                let mean = sums[channel] / count
                squares[channel] += values[range].reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
            }
        }
        let divisor = data.pixels.divisor
        self.init(
            mean: sums.map { $0 / count / divisor },
            std: squares.map { max(($0 / count).squareRoot() / divisor, 1e-12) })
    }

    /// The number of channels the statistics are for.
    public var channels: Int { mean.count }

    /// This normalisation for images of `channels` channels: itself, or one channel's statistics repeated
    /// (as `Normalize(0.5, 0.5)` applies to every channel); `nil` for any other mismatch.
    public func broadcast(to channels: Int) -> Normalization? {
        if self.channels == channels { return self }
        guard self.channels == 1 else { return nil }
        return Normalization(
            mean: Array(repeating: mean[0], count: channels), std: Array(repeating: std[0], count: channels))
    }
}
