import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

/// Grouped and dilated convolutions computed over zero-bordered plane copies (`PaddedPlane`) against the float32
/// interpreter, in two training steps on two threads with every gradient exposed, on every target this machine runs.
/// The cases cover the layouts' arithmetic: stride-2 and stride-3 phase planes, dilation with and without a stride,
/// a padding wider than the kernel reaches (the spread gradient's border is then zero), several input channels per
/// group (the forward pass adds planes) and several output channels per group (the input gradient adds planes),
/// plane widths the vector lanes do not divide, and a BatchNorm and ReLU the forward pass applies as it copies.
@Suite struct PaddedPlaneConvolutionTests {
    static let targets = TargetName.allCases.filter { $0.featuresMissingOnHost.isEmpty }

    /// (channels into the grouped convolution, its layer) on a 9×9 image behind a 1×1 convolution, BatchNorm and ReLU.
    static let cases: [(Int, LayerKind)] = [
        (8, .conv2D(outChannels: 8, kernel: 3, stride: 2, padding: 1, groups: 8, bias: false)),  // MobileNet's
        (8, .conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 8, bias: false)),
        (6, .conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, groups: 2, bias: true)),  // 3 in, 2 out a group
        (4, .conv2D(outChannels: 4, kernel: 5, stride: 3, padding: 2, groups: 4, bias: true)),
        (4, .conv2D(outChannels: 8, kernel: 2, stride: 2, padding: 1, dilation: 3, groups: 2, bias: false)),
        (3, .conv2D(outChannels: 3, kernel: 3, stride: 1, padding: 3, groups: 3, bias: true)),  // 13×13 out
    ]

    static func model(channels: Int, _ convolution: LayerKind, batch: Int) throws -> NetworkModel {
        let layers: [LayerSpec] = [
            LayerSpec(.conv2D(outChannels: channels, kernel: 1, stride: 1, padding: 0, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu), LayerSpec(convolution),
            LayerSpec(.relu), LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: true)),
        ]
        let spec = NetworkSpec(
            name: "grouped", input: ImageShape(channels: 2, height: 9, width: 9), classes: 3, layers: layers)
        return try NetworkModel(spec, batchSize: batch, mode: .training)
    }

    @Test(arguments: targets, 0..<cases.count)
    func trainingStepMatchesInterpreter(target: TargetName, index: Int) throws {
        let (channels, convolution) = Self.cases[index]
        let model = try Self.model(channels: channels, convolution, batch: 3)
        let optimizer = Optimizer.adam(AdamAttributes())
        let graph = model.trainingStep(optimizer: optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(reusesMemory: true, threads: 2, target: target.target))
        #expect(comparisons.failures.isEmpty, "\(target.rawValue) \(convolution): \(comparisons.failures)")
    }
}
