/// How a 2-D convolution walks its input: square kernel, stride, zero padding on every side, dilation between
/// kernel taps, and channel groups (PyTorch's `Conv2d`: `groups` = input channels is a depthwise convolution).
public struct ConvolutionAttributes: Hashable, Sendable {
    /// Side of the square kernel.
    public var kernel: Int
    /// Step between output positions, in input pixels.
    public var stride: Int
    /// Zero padding added on each side.
    public var padding: Int
    /// Distance between neighbouring kernel taps, in input pixels (1: adjacent).
    public var dilation: Int
    /// Number of channel groups: output channel `co` reads only the input channels of its group, so the weight
    /// is `[Cout, Cin / groups, K, K]`.
    public var groups: Int

    /// Creates convolution attributes.
    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// The input pixels one kernel row (or column) spans: `dilation·(kernel − 1) + 1`.
    public var span: Int { dilation * (kernel - 1) + 1 }

    /// Output length along one spatial axis of the given input length; may be ≤ 0 when the kernel does not fit.
    public func outputLength(_ input: Int) -> Int {
        (input + 2 * padding - span) / stride + 1
    }

    /// The output positions along an axis of length `inputLength` whose input `o·stride − padding +
    /// offset·dilation`, at kernel offset `offset`, lies inside the image rather than in the padding: loops over
    /// this range need no padding test.
    public func outputRange(kernelOffset offset: Int, inputLength: Int) -> Range<Int> {
        let shift = offset * dilation
        let first = shift >= padding ? 0 : (padding - shift + stride - 1) / stride
        let lastInput = inputLength - 1 + padding - shift
        guard lastInput >= 0 else { return 0..<0 }
        let end = min(outputLength(inputLength), lastInput / stride + 1)
        return first..<max(first, end)
    }
}

/// A pooling window: square `size`, with `stride` and `padding` on every side (PyTorch's `MaxPool2d` and
/// `AvgPool2d` in floor mode; max pooling pads with −∞, average pooling with zeros that count in the mean,
/// PyTorch's default `count_include_pad=True`).
public struct PoolAttributes: Hashable, Sendable {
    /// Side of the square window.
    public var size: Int
    /// Step between windows.
    public var stride: Int
    /// Padding added on each side, at most half the window (as PyTorch requires).
    public var padding: Int

    /// Creates pooling attributes.
    public init(size: Int, stride: Int, padding: Int = 0) {
        self.size = size
        self.stride = stride
        self.padding = padding
    }

    /// Output length along one spatial axis of the given input length.
    public func outputLength(_ input: Int) -> Int {
        input + 2 * padding < size ? 0 : (input + 2 * padding - size) / stride + 1
    }
}

/// Inverted dropout: in training each element is kept with probability `1 - probability` and scaled by
/// `1 / (1 - probability)`.
///
/// The mask is drawn from the counter-based generator keyed by (seed, step, `stream`, element index), so every
/// backend and every loop order draws the same mask; `stream` tells the dropout layers of one network apart.
public struct DropoutAttributes: Hashable, Sendable {
    /// Probability of zeroing an element, in [0, 1).
    public var probability: Double
    /// Which random stream this layer draws from (unique per dropout layer of a network).
    public var stream: UInt64

    /// Creates dropout attributes.
    public init(probability: Double, stream: UInt64) {
        self.probability = probability
        self.stream = stream
    }
}

/// Adam's hyper-parameters: PyTorch's `torch.optim.Adam` (L2 `weightDecay` added to the gradient) or, with
/// `decoupledWeightDecay`, `torch.optim.AdamW` (the parameter scaled by 1 − lr·λ before the Adam step, the
/// moments seeing the bare gradient).
public struct AdamAttributes: Hashable, Sendable {
    /// Decay of the first moment.
    public var beta1: Double
    /// Decay of the second moment.
    public var beta2: Double
    /// Added to the denominator for stability.
    public var epsilon: Double
    /// The weight decay λ: an L2 penalty folded into the gradient (Adam), or decoupled from it (AdamW).
    public var weightDecay: Double
    /// Whether the weight decay is AdamW's decoupled decay rather than Adam's L2 penalty.
    public var decoupledWeightDecay: Bool

    /// Creates Adam settings with PyTorch's defaults.
    public init(
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
        decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// The weight decay folded into the gradient the moments see: λ for Adam, 0 for AdamW.
    public var gradientWeightDecay: Double { decoupledWeightDecay ? 0 : weightDecay }

    /// The weight decay applied to the parameter directly: λ for AdamW, 0 for Adam.
    public var decoupledDecay: Double { decoupledWeightDecay ? weightDecay : 0 }
}

/// SGD with momentum, PyTorch's `torch.optim.SGD(momentum:, weight_decay:)` (no dampening, no Nesterov).
public struct SGDAttributes: Hashable, Sendable {
    /// Momentum factor.
    public var momentum: Double
    /// L2 penalty folded into the gradient.
    public var weightDecay: Double

    /// Creates SGD settings.
    public init(momentum: Double = 0.9, weightDecay: Double = 0) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }
}
