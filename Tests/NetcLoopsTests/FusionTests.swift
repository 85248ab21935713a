import NetcGraph
import NetcTestSupport
import Testing

@testable import NetcLoops

/// Kernel counts and names of the reference network, so fusion cannot silently regress.
@Suite struct FusionTests {
    static func program(mode: GraphMode, batchSize: Int = 2) throws -> LoopProgram {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: mode)
        let graph = mode == .training ? model.trainingStep(optimizer: .adam(AdamAttributes())) : model.graph
        return LoopPipeline(target: .haswell).program(for: graph)
    }

    @Test func inferenceIsNineKernelsAndSixPacks() throws {
        let names = try Self.program(mode: .inference).kernels.map(\.name)
        // Each convolution runs its bias, ReLU and (running-statistics) BatchNorm as its epilogue; dropout is
        // the identity in inference. Each convolution and the linear layer is preceded by a copy of its operands
        // laid out for its vector loops: the weights channel-last (feature-major for the linear layer), or for the
        // one-channel first convolution (vectorised over pixels) the image with a zero border.
        let convolutions = names.filter { $0.hasSuffix("_conv_relu_bn_fwd") || $0.hasSuffix("_linear_fwd") }
        let packs = convolutions.map { $0 == "conv1_0_conv_relu_bn_fwd" ? $0 + "_x_pad" : $0 + "_w_pack" }
        #expect(names.filter { $0.hasSuffix("_pack") || $0.hasSuffix("_pad") } == packs)
        for (convolution, pack) in zip(convolutions, packs) {
            #expect(names.firstIndex(of: pack) == names.firstIndex(of: convolution).map { $0 - 1 })
        }
        #expect(
            names.filter { !$0.hasSuffix("_pack") && !$0.hasSuffix("_pad") } == [
                "conv1_0_conv_relu_bn_fwd", "conv1_3_conv_relu_bn_fwd", "conv1_6_maxpool_fwd",
                "conv2_0_conv_relu_bn_fwd", "conv2_3_conv_relu_bn_fwd", "conv2_6_maxpool_fwd",
                "conv3_0_conv_relu_bn_fwd", "conv3_3_maxpool_fwd", "fc_0_linear_fwd",
            ])
    }

    @Test func trainingStepIsFortyThreeKernelsAndFifteenCopies() throws {
        let program = try Self.program(mode: .training)
        let names = program.kernels.map(\.name)
        // Packs: the weights of 4 forward convolutions, of the 4 input gradients (the first convolution has
        // none) and of the linear layer, and the output gradient of 4 weight gradients. The first convolution,
        // vectorised over pixels, copies its image into zero-bordered planes for the forward pass and for its
        // weight gradient, which the first BatchNorm's gradient pass sums.
        #expect(names.filter { $0.hasSuffix("_w_pack") }.count == 9)
        #expect(names.filter { $0.hasSuffix("_dy_pack") }.count == 4)
        #expect(
            names.filter { $0.hasSuffix("_pad") } == [
                "conv1_0_conv_relu_fwd_x_pad", "conv1_2_bn_bwd_relu_dx_conv_dw_x_pad",
            ])
        // Each bias gradient is summed by the BatchNorm gradient pass that stores what it sums, except the linear
        // layer's.
        #expect(names.filter { $0.hasSuffix("_db") } == ["fc_0_db"])
        #expect(names.count == 43 + 15)
        #expect(names.last == "adam_update")
        #expect(names.filter { $0.hasSuffix("_conv_relu_fwd") }.count == 5)
        #expect(names.filter { $0.hasSuffix("_bn_stats") }.count == 5)
        #expect(names.filter { $0.hasSuffix("_maxpool_dropout_fwd") }.count == 3)
        #expect(names.filter { $0.hasSuffix("_bn_bwd_relu_dx") }.count == 4)
        #expect(!names.contains { $0.contains("adam") && $0 != "adam_update" })
    }

    @Test func adamUpdatesEveryParameterInOneLoop() throws {
        let program = try Self.program(mode: .training)
        let adam = try #require(program.kernels.first { $0.name == "adam_update" })
        guard case .loop(let loop) = try #require(adam.body.first) else {
            Issue.record("adam_update starts with \(String(describing: adam.body.first))")
            return
        }
        #expect(adam.body.count == 1)
        // 140,778 parameters, each tensor padded to 16 floats, in vectors of 8 (the target is haswell).
        guard case .loop(let lanes) = try #require(loop.body.first), lanes.vectorLanes == 8 else {
            Issue.record("adam_update's parallel loop runs \(String(describing: loop.body.first))")
            return
        }
        let updated = loop.tripCount * lanes.tripCount
        #expect(loop.body.count == 1 && lanes.tripCount == 8)
        #expect(updated >= 140_778 && updated < 140_778 + 16 * 20)
        #expect(updated * 4 == program.memory.arenaSizes[.parameters])
        #expect(
            adam.buffers.map { program.buffers[$0.index].name }.sorted() == [
                "exp_avg", "exp_avg_sq", "gradients", "learning_rate", "parameters", "step",
            ])
    }

    /// AdamW and the moving average of the weights stay in the one loop: the average is a third state laid out
    /// like the parameters, updated from the new parameter value held in a register.
    @Test func movingAverageJoinsTheFlatOptimizerLoop() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
        let adamW = AdamAttributes(weightDecay: 0.01, decoupledWeightDecay: true)
        let program = LoopPipeline(target: .haswell).program(
            for: model.trainingStep(optimizer: .adam(adamW), averageDecay: 0.99))
        let update = try #require(program.kernels.first { $0.name == "adam_update" })
        #expect(!program.kernels.contains { $0.name.contains("adam") && $0.name != "adam_update" })
        #expect(
            update.buffers.map { program.buffers[$0.index].name }.sorted() == [
                "ema", "exp_avg", "exp_avg_sq", "gradients", "learning_rate", "parameters", "step",
            ])
    }

    @Test func batchStatisticsAreOnePassWithTheRunningAverages() throws {
        let program = try Self.program(mode: .training)
        let stats = try #require(program.kernels.first { $0.name == "conv1_2_bn_stats" })
        #expect(
            stats.computes == [
                "conv1.2.moments", "conv1.2.running_mean.update", "conv1.2.running_var.update",
            ])
    }

    @Test(arguments: ["conv1_2", "conv1_5", "conv2_2", "conv2_5", "conv3_2"])
    func batchStatisticsReadTheConvolutionsSumsNotTheActivations(layer: String) throws {
        let program = try Self.program(mode: .training)
        let stats = try #require(program.kernels.first { $0.name == "\(layer)_bn_stats" })
        let read = stats.buffers.map { program.buffers[$0.index].name }
        #expect(read.contains { $0.hasSuffix(".channel_sums") }, "\(read)")
        #expect(!read.contains { $0.hasSuffix(".1") || $0.hasSuffix(".4") }, "\(read)")
    }

    @Test func batchNormGradientPassesSumTheBiasGradients() throws {
        let program = try Self.program(mode: .training)
        let pass = try #require(program.kernels.first { $0.name == "conv1_5_bn_bwd_relu_dx" })
        #expect(pass.computes.last == "conv1.3.db")
    }

    /// The first convolution's output gradient (through its ReLU) is read only by its weight and bias gradients, so
    /// the first BatchNorm's gradient pass sums both and never writes it.
    @Test func firstBatchNormGradientPassSumsTheFirstWeightGradient() throws {
        let program = try Self.program(mode: .training)
        let pass = try #require(program.kernels.first { $0.name == "conv1_2_bn_bwd_relu_dx_conv_dw" })
        #expect(Array(pass.computes.suffix(3)) == ["conv1.1.dx", "conv1.0.db", "conv1.0.dw"])
        #expect(!program.buffers.contains { $0.name == "conv1.1.dx" })
        #expect(!program.kernels.contains { $0.name == "conv1_0_conv_dw" })
    }
}
