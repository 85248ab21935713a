import NetcGraph

/// A convolution or linear layer with the inference BatchNorm that reads it merged into one layer, as PyTorch's
/// `fuse_conv_bn_eval` does.
///
///     y = conv(x, w) + b;  z = (y − μ)·γ/√(σ² + ε) + β
///     ⇒  z = conv(x, w·a) + (b − μ)·a + β,   a = γ/√(σ² + ε) per output channel
///
/// Exact for any γ, because the BatchNorm is an affine map of each output channel; it is used only when the
/// layer's result feeds nothing but the BatchNorm. Computed in float64, rounded to float32 once when written.
struct BatchNormFolding {
    /// The folded weight: the layer's weight, output channels first, each channel's values scaled.
    let weight: Tensor
    /// The folded bias, one per output channel.
    let bias: Tensor

    /// Folds the BatchNorm statistics and affine parameters into `weight` (`[Cout, ...]`) and `bias` (`[Cout]`,
    /// or `nil` for a layer without one).
    init(
        weight: Tensor, bias: Tensor?, mean: Tensor, variance: Tensor, scale: Tensor, shift: Tensor,
        epsilon: Double
    ) {
        let channels = weight.shape[0]
        let perChannel = weight.type.elementCount / channels
        let factors = (0..<channels).map { scale.scalars[$0] / (variance.scalars[$0] + epsilon).squareRoot() }
        var scaled = weight.scalars
        for index in scaled.indices { scaled[index] *= factors[index / perChannel] }
        self.weight = Tensor(weight.type, scaled)
        let biases = bias?.scalars ?? Array(repeating: 0, count: channels)
        self.bias = Tensor(
            .float(channels),
            (0..<channels).map { channel -> Double in
                (biases[channel] - mean.scalars[channel]) * factors[channel] + shift.scalars[channel]
            })
    }
}
