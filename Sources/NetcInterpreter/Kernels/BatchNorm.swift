import NetcGraph

extension Kernels {
    /// `[2, C]`: row 0 the mean and row 1 the biased variance of each channel over N·H·W (two passes).
    static func batchMoments(_ x: Tensor) -> [Double] {
        let layout = ChannelLayout(x.shape)
        let count = Double(layout.samplesPerChannel)
        var mean = [Double](repeating: 0, count: layout.channels)
        layout.forEachElement { index, channel in mean[channel] += x.scalars[index] }
        mean = mean.map { $0 / count }
        var variance = [Double](repeating: 0, count: layout.channels)
        layout.forEachElement { index, channel in
            let deviation = x.scalars[index] - mean[channel]
            variance[channel] += deviation * deviation
        }
        return mean + variance.map { $0 / count }
    }

    /// y = γ·x̂ + β with x̂ = (x − mean) / √(variance + ε) per channel, mean and variance the rows of `moments`.
    static func batchNorm(_ x: Tensor, moments: Tensor, gamma: Tensor, beta: Tensor, epsilon: Double) -> [Double] {
        let (mean, variance) = rows(of: moments)
        return batchNorm(x, mean: mean, variance: variance, gamma: gamma, beta: beta, epsilon: epsilon)
    }

    /// y = γ·(x − mean) / √(variance + ε) + β, per channel.
    static func batchNorm(
        _ x: Tensor, mean: [Double], variance: [Double], gamma: Tensor, beta: Tensor, epsilon: Double
    ) -> [Double] {
        let normalized = normalizedInput(x, mean: mean, variance: variance, epsilon: epsilon)
        var y = [Double](repeating: 0, count: x.scalars.count)
        ChannelLayout(x.shape).forEachElement { index, c in
            y[index] = gamma.scalars[c] * normalized.values[index] + beta.scalars[c]
        }
        return y
    }

    /// dx = γ·invstd / M · (M·dy − Σdy − x̂·Σ(dy·x̂)), the gradient through the batch statistics (M = N·H·W, sums
    /// per channel).
    static func batchNormBackward(
        _ x: Tensor, moments: Tensor, gamma: Tensor, gradient dy: Tensor, epsilon: Double
    ) -> [Double] {
        let layout = ChannelLayout(x.shape)
        let (mean, variance) = rows(of: moments)
        let normalized = normalizedInput(x, mean: mean, variance: variance, epsilon: epsilon)
        let gradientSum = sumToChannels(dy)
        let scaleGradient = batchNormScaleGradient(x, moments: moments, gradient: dy, epsilon: epsilon)
        let count = Double(layout.samplesPerChannel)
        var dx = [Double](repeating: 0, count: x.scalars.count)
        layout.forEachElement { index, c in
            let centred = count * dy.scalars[index] - gradientSum[c] - normalized.values[index] * scaleGradient[c]
            dx[index] = gamma.scalars[c] * normalized.inverseDeviation[c] / count * centred
        }
        return dx
    }

    /// dγ[c] = Σ dy·x̂ over the channel.
    static func batchNormScaleGradient(
        _ x: Tensor, moments: Tensor, gradient dy: Tensor, epsilon: Double
    )
        -> [Double]
    {
        let layout = ChannelLayout(x.shape)
        let (mean, variance) = rows(of: moments)
        let normalized = normalizedInput(x, mean: mean, variance: variance, epsilon: epsilon)
        var sums = [Double](repeating: 0, count: layout.channels)
        layout.forEachElement { index, c in sums[c] += dy.scalars[index] * normalized.values[index] }
        return sums
    }

    /// `[C]`: (1 − momentum)·running + momentum·scale·moments[row].
    static func movingAverage(
        _ running: Tensor, moments: Tensor, momentum: Double, row: Int, scale: Double
    )
        -> [Double]
    {
        let channels = running.scalars.count
        return (0..<channels).map { c in
            (1 - momentum) * running.scalars[c] + momentum * scale * moments.scalars[row * channels + c]
        }
    }

    /// The mean (row 0) and variance (row 1) of a `[2, C]` moments tensor.
    private static func rows(of moments: Tensor) -> (mean: [Double], variance: [Double]) {
        let channels = moments.shape[1]
        return (Array(moments.scalars[..<channels]), Array(moments.scalars[channels...]))
    }

    /// x̂ = (x − mean) · invstd for every element, with invstd = 1/√(variance + ε) per channel.
    private static func normalizedInput(
        _ x: Tensor, mean: [Double], variance: [Double], epsilon: Double
    )
        -> (values: [Double], inverseDeviation: [Double])
    {
        let inverseDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var values = [Double](repeating: 0, count: x.scalars.count)
        ChannelLayout(x.shape).forEachElement { index, c in
            values[index] = (x.scalars[index] - mean[c]) * inverseDeviation[c]
        }
        return (values, inverseDeviation)
    }
}
