/// What a graph node computes. Each node has exactly one result; its inputs are listed in the order given here.
///
/// Forward, backward and optimizer ops are all plain cases so that autodiff, fusion and every backend see the
/// same closed vocabulary. The interpreter (`NetcInterpreter`) is the executable definition of each case.
public enum Op: Hashable, Sendable {
    // MARK: Sources (no inputs)

    /// A value fed by the caller at every run: images, labels, learning rate, step, seed.
    case input(InputKind)
    /// A trainable parameter, named as in PyTorch's `state_dict` (the node's name), initialised as given.
    case parameter(Initializer)
    /// Non-trainable persistent state: BatchNorm running statistics, optimizer moments.
    case state(Initializer)
    /// A tensor filled with one value.
    case constant(Double)

    // MARK: Forward

    /// `[x, w]` or `[x, w, b]`: cross-correlation, x `[N, Cin, H, W]`, w `[Cout, Cin / groups, K, K]`, b `[Cout]`.
    case conv2D(ConvolutionAttributes)
    /// `[x, w]` or `[x, w, b]`: x `[N, F]`, w `[O, F]`, b `[O]`; y = x·wᵀ + b.
    case linear
    /// `[x]`: max(x, 0).
    case relu
    /// `[x]`: an activation function of each element, as PyTorch defines it.
    case activation(Activation)
    /// `[x]`: max over each window.
    case maxPool(PoolAttributes)
    /// `[x]`: mean over each window.
    case avgPool(PoolAttributes)
    /// `[x]` `[N, C, H, W]` → `[N, C, 1, 1]`: the mean of each plane (PyTorch's `AdaptiveAvgPool2d(1)`).
    case globalAvgPool
    /// `[x0, x1, ...]`: the inputs joined along axis 1 (channels), in order; every other axis agrees.
    case concat
    /// `[x, seed, step]`: inverted dropout with a counter-based mask.
    case dropout(DropoutAttributes)
    /// `[x]`: the same elements in a new shape (the node's type).
    case reshape
    /// `[x]` NCHW or `[N, C]` → `[2, C]`: per-channel mean (row 0) and biased variance (row 1) over N·H·W.
    case batchMoments
    /// `[x, moments, gamma, beta]`: BatchNorm with the batch's own statistics; `moments` must be
    /// `batchMoments(x)`, and the gradient with respect to x accounts for the statistics' dependence on x.
    case batchNormTraining(epsilon: Double)
    /// `[x, mean, variance, gamma, beta]`: BatchNorm with fixed (running) statistics.
    case batchNormInference(epsilon: Double)
    /// `[logits, labels]` → scalar: mean over the batch of softmax cross-entropy with integer labels, each
    /// label smoothed as PyTorch's `CrossEntropyLoss(label_smoothing: ε)` does: the target puts 1 − ε on the label
    /// and ε/C on every one of the C classes (ε = 0: plain cross-entropy).
    case softmaxCrossEntropy(labelSmoothing: Double)

    // MARK: Statistics and counters

    /// `[running, moments]` → `[C]`: `(1 - momentum)·running + momentum·scale·moments[row]`; `scale` is
    /// `M / (M - 1)` for the variance (PyTorch stores the unbiased variance) and 1 for the mean.
    case movingAverage(momentum: Double, row: Int, scale: Double)
    /// `[count]` → count + 1.
    case increment

    // MARK: Backward

    /// `[x, dy]` → dx = dy where x > 0, else 0.
    case reluBackward
    /// `[x, dy]` → dx = dy · f′(x) of the activation f.
    case activationBackward(Activation)
    /// `[dy, w]` → dx of a convolution (the node's type is x's type).
    case conv2DBackwardInput(ConvolutionAttributes)
    /// `[x, dy]` → dw of a convolution.
    case conv2DBackwardWeight(ConvolutionAttributes)
    /// `[dy, w]` → dx = dy·w of a linear layer.
    case linearBackwardInput
    /// `[x, dy]` → dw = dyᵀ·x of a linear layer.
    case linearBackwardWeight
    /// `[t]` → `[C]`: sum over every axis but axis 1 (bias gradients, BatchNorm's beta gradient).
    case sumToChannels
    /// `[x, dy]` → dx: each window's gradient goes to the first maximum of the window (PyTorch's rule).
    case maxPoolBackward(PoolAttributes)
    /// `[dy]` → dx: each window's gradient spread evenly (the node's type is x's type).
    case avgPoolBackward(PoolAttributes)
    /// `[dy]` → dx: each plane's gradient spread evenly over the plane (the node's type is x's type).
    case globalAvgPoolBackward
    /// `[t]` → channels `start ..< start + count` of t (axis 1): a concatenation's gradient for one input.
    case channelSlice(start: Int, count: Int)
    /// `[dy, seed, step]` → dx: the same mask and scale as the forward dropout.
    case dropoutBackward(DropoutAttributes)
    /// `[x, moments, gamma, dy]` → dx of `batchNormTraining`, through the batch statistics.
    case batchNormTrainingBackward(epsilon: Double)
    /// `[x, moments, dy]` → `[C]`: the gradient of gamma, sum of dy·x̂.
    case batchNormScaleGradient(epsilon: Double)
    /// `[logits, labels, dloss]` → dlogits = (softmax − target) · dloss / N, the target smoothed by ε as in
    /// `softmaxCrossEntropy`.
    case softmaxCrossEntropyBackward(labelSmoothing: Double)
    /// `[a, b]` → a + b: a residual join, and gradient accumulation where a value has several readers.
    case add

    // MARK: Optimizers

    /// `[m, g, p]` → β₁·m + (1 − β₁)·(g + λ·p).
    case adamFirstMoment(AdamAttributes)
    /// `[v, g, p]` → β₂·v + (1 − β₂)·(g + λ·p)².
    case adamSecondMoment(AdamAttributes)
    /// `[p, m, v, learningRate, step]` → p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε), with the new moments and
    /// t the 1-based step; with decoupled weight decay (AdamW) p is first scaled by 1 − lr·λ.
    case adamUpdate(AdamAttributes)
    /// `[buffer, g, p]` → μ·buffer + (g + λ·p).
    case sgdMomentum(SGDAttributes)
    /// `[p, buffer, learningRate]` → p − lr·buffer, with the new buffer.
    case sgdUpdate
    /// `[average, p, step]` → p at step 1, else average + (1 − decay)·(p − average), with p the updated
    /// parameter: PyTorch's `AveragedModel` with `get_ema_multi_avg_fn(decay)`, updated after every step.
    case exponentialMovingAverage(decay: Double)
}

/// The values a caller feeds a graph at every run.
public enum InputKind: String, Hashable, Sendable, CaseIterable {
    /// Normalised images, f32 `[N, C, H, W]`.
    case images
    /// Class labels, i32 `[N]`.
    case labels
    /// The learning rate of this step, f32 scalar.
    case learningRate
    /// The 1-based optimizer step, i64 scalar; also keys the dropout masks.
    case step
    /// The run's seed, i64 scalar; keys the dropout masks.
    case seed
}

/// How a parameter or state tensor starts: data, so every backend and checkpoint tool can see it.
public enum Initializer: Hashable, Sendable {
    /// Uniform in [−bound, bound] from the seeded counter-based generator (PyTorch's Kaiming-uniform with
    /// a = √5 and its bias rule both reduce to bound = 1/√fan_in).
    case uniform(bound: Double)
    /// Every element equal to the value.
    case constant(Double)
}

extension Op {
    /// Whether the op is a source (has no inputs).
    public var isSource: Bool {
        switch self {
        case .input, .parameter, .state, .constant: true
        case .conv2D, .linear, .relu, .activation, .maxPool, .avgPool, .globalAvgPool, .concat, .dropout, .reshape,
            .batchMoments, .batchNormTraining, .batchNormInference, .softmaxCrossEntropy, .movingAverage, .increment,
            .reluBackward, .activationBackward, .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput,
            .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward,
            .channelSlice, .dropoutBackward, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward, .add, .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum,
            .sgdUpdate, .exponentialMovingAverage:
            false
        }
    }

    /// Whether the result branches on the sign of each element of the first input (ReLU and LeakyReLU, and their
    /// gradients). Where compiled code and the interpreter round such an element near zero to opposite sides, they
    /// take different branches: `netc check` then lets the reference follow the compiled code's side.
    public var branchesOnSign: Bool {
        switch self {
        case .relu, .reluBackward: true
        case .activation(let activation), .activationBackward(let activation): activation.branchesOnSign
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .dropout, .reshape, .batchMoments, .batchNormTraining, .batchNormInference, .softmaxCrossEntropy,
            .movingAverage, .increment, .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput,
            .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward,
            .channelSlice, .dropoutBackward, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward, .add, .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum,
            .sgdUpdate, .exponentialMovingAverage:
            false
        }
    }

    /// How a persistent source starts: the initializer of a `.parameter` or `.state`, nil for any other op.
    public var initializer: Initializer? {
        if case .parameter(let initializer) = self { return initializer }
        if case .state(let initializer) = self { return initializer }
        return nil
    }

    /// The op's name in printed graphs: `conv2D`, `batchNormTraining`, ...
    public var mnemonic: String {
        let text = String(describing: self)
        return String(text.prefix { $0 != "(" })
    }
}
