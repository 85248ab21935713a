import NetcTestSupport
import Testing

@testable import NetcGraph

@Suite struct NetworkModelTests {
    let model: NetworkModel

    init() throws {
        model = try NetworkModel(ReferenceNetwork.spec, batchSize: 100, mode: .inference)
    }

    @Test func referenceNetworkHasPyTorchsParameterCount() {
        // 320 + 64 + 9,248 + 64 + 18,496 + 128 + 36,928 + 128 + 73,856 + 256 + 1,290, as torch reports.
        #expect(model.parameterCount == 140_778)
    }

    @Test func persistentTensorsFollowStateDictNamesAndOrder() {
        let names = model.graph.values.filter { model.graph[$0].op.isSource }.map { model.graph[$0].name }
        let expectedStart = [
            "input", "conv1.0.weight", "conv1.0.bias", "conv1.2.weight", "conv1.2.bias", "conv1.2.running_mean",
            "conv1.2.running_var", "conv1.2.num_batches_tracked", "conv1.3.weight", "conv1.3.bias",
        ]
        #expect(Array(names.prefix(expectedStart.count)) == expectedStart)
        #expect(names.suffix(2) == ["fc.0.weight", "fc.0.bias"])
        #expect(names.contains("conv3.2.running_var"))
        #expect(names.count == 1 + 2 + 5 + 2 + 5 + 2 + 5 + 2 + 5 + 2 + 5 + 2)
    }

    @Test func layerOutputShapesMatchHandComputation() {
        let shapes = Dictionary(uniqueKeysWithValues: model.layers.map { ($0.path, $0.outputShape) })
        #expect(shapes["conv1.0"] == [32, 28, 28])
        #expect(shapes["conv1.3"] == [32, 14, 14])  // (28 + 2 - 3) / 2 + 1
        #expect(shapes["conv1.6"] == [32, 7, 7])
        #expect(shapes["conv2.3"] == [64, 4, 4])  // (7 + 2 - 3) / 2 + 1
        #expect(shapes["conv2.6"] == [64, 2, 2])
        #expect(shapes["conv3.3"] == [128, 1, 1])
        #expect(shapes["3"] == [128])
        #expect(shapes["fc.0"] == [10])
        #expect(model.graph.type(of: model.graph.output(named: "logits")!).shape == [100, 10])
    }

    @Test func forwardFlopsPerImageCountEveryMultiplyAdd() throws {
        let single = try NetworkModel(ReferenceNetwork.spec, batchSize: 1, mode: .inference)
        // Multiply-adds: 28·28·32·9 + 14·14·32·32·9 + 7·7·64·32·9 + 4·4·64·64·9 + 2·2·128·64·9 + 128·10.
        let multiplyAdds = 225_792 + 1_806_336 + 903_168 + 589_824 + 294_912 + 1_280
        let convolutionFlops = single.graph.values.filter {
            switch single.graph[$0].op {
            case .conv2D, .linear: true
            default: false
            }
        }.map { single.graph.flops(of: $0) }.reduce(0, +)
        let biasAdds = 32 * 784 + 32 * 196 + 64 * 49 + 64 * 16 + 128 * 4 + 10
        #expect(convolutionFlops == 2 * multiplyAdds + biasAdds)
        #expect(single.graph.flops > convolutionFlops)
    }

    @Test func largestActivationIsTheFirstConvolutionsOutput() {
        // conv1.0's output (and its ReLU's, and BatchNorm's): 32 × 28 × 28 floats per image.
        #expect(model.graph.largestActivationBytesPerImage == 32 * 28 * 28 * 4)
    }

    @Test func trainingModeUpdatesRunningStatisticsAndDrawsDropout() throws {
        let training = try NetworkModel(ReferenceNetwork.spec, batchSize: 10, mode: .training)
        let graph = training.graph
        #expect(graph.updates.count == 5 * 3)
        let scales = graph.values.compactMap { value -> Double? in
            if case .movingAverage(_, 1, let scale) = graph[value].op { scale } else { nil }
        }
        // Unbiased variance: M / (M − 1) with M = N·H·W of each BatchNorm's input.
        #expect(scales.first == 7840.0 / 7839.0)
        let streams = graph.values.compactMap { value -> UInt64? in
            if case .dropout(let dropout) = graph[value].op { dropout.stream } else { nil }
        }
        #expect(streams == [0, 1, 2])
        #expect(graph.input(.seed) != nil && graph.input(.step) != nil)
    }

    @Test func inferenceModeHasNoDropoutAndUsesRunningStatistics() {
        let ops = model.graph.values.map { model.graph[$0].op.mnemonic }
        #expect(!ops.contains("dropout"))
        #expect(ops.filter { $0 == "batchNormInference" }.count == 5)
        #expect(model.graph.updates.isEmpty)
    }
}
