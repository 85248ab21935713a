import NetcTestSupport
import Testing

@testable import NetcGraph

@Suite struct TrainingStepTests {
    let step: Graph

    init() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .training)
        step = model.trainingStep(optimizer: .adam(AdamAttributes()), exposingGradients: true)
    }

    func count(_ mnemonic: String) -> Int {
        step.values.filter { step[$0].op.mnemonic == mnemonic }.count
    }

    @Test func everyParameterGetsAGradientAndAnAdamUpdate() {
        let parameters = step.parameters.map { step[$0].name }
        #expect(parameters.count == 22)
        for name in parameters {
            #expect(step.output(named: "\(name).grad") != nil, "no gradient for \(name)")
            #expect(step.updates.contains { step[$0.target].name == name })
            #expect(step.updates.contains { step[$0.target].name == "\(name).exp_avg_sq" })
        }
        #expect(count("adamUpdate") == 22)
        // 22 parameters × 3 (parameter, two moments) + 5 BatchNorms × 3 running statistics.
        #expect(step.updates.count == 22 * 3 + 15)
    }

    @Test func imageGradientIsNeverComputed() {
        // Five convolutions but only four input gradients: the first layer's input is the image.
        #expect(count("conv2D") == 5)
        #expect(count("conv2DBackwardWeight") == 5)
        #expect(count("conv2DBackwardInput") == 4)
        let firstConvolution = step.values.first { step[$0].op.mnemonic == "conv2D" }!
        #expect(!step.values.contains { step[$0].name == "\(step[firstConvolution].name).dx" })
    }

    @Test func backwardOpsMirrorTheForwardOps() {
        #expect(count("reluBackward") == 5)
        #expect(count("batchNormTrainingBackward") == 5)
        #expect(count("batchNormScaleGradient") == 5)
        #expect(count("maxPoolBackward") == 3)
        #expect(count("dropoutBackward") == 3)
        #expect(count("softmaxCrossEntropyBackward") == 1)
        // Biases of 5 convolutions and the linear layer, and 5 BatchNorm betas.
        #expect(count("sumToChannels") == 11)
        // Each value has one consumer in this network, so no gradient needs summing.
        #expect(count("add") == 0)
    }

    @Test func gradientsOfSharedValuesAreSummed() {
        var graph = Graph()
        let x = graph.add(.parameter(.constant(1)), [], type: .float(2, 3), name: "x")
        let doubled = graph.add(.add, [x, x], name: "doubled")
        let labels = graph.add(.input(.labels), [], type: TensorType(.int32, [2]), name: "labels")
        let loss = graph.add(.softmaxCrossEntropy(labelSmoothing: 0), [doubled, labels], name: "loss")
        let gradients = graph.appendGradients(of: loss, withRespectTo: [x])
        let gradient = try! #require(gradients[x])
        #expect(graph[gradient].op == .add)
        #expect(graph[gradient].inputs.allSatisfy { graph[$0].op == .softmaxCrossEntropyBackward(labelSmoothing: 0) })
    }

    @Test func sgdKeepsOneMomentumBufferPerParameter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
        let sgd = model.trainingStep(optimizer: .sgd(SGDAttributes()))
        #expect(sgd.states.filter { sgd[$0].name.hasSuffix(".momentum_buffer") }.count == 22)
        #expect(sgd.input(.learningRate) != nil)
        #expect(sgd.outputs.map(\.name) == ["logits", "loss"])
    }
}

@Suite struct TrainingStepFeatureTests {
    let model: NetworkModel

    init() throws {
        model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
    }

    @Test func labelSmoothingReachesTheLossAndItsGradient() {
        let step = model.trainingStep(optimizer: .adam(AdamAttributes()), labelSmoothing: 0.1)
        let ops = step.values.map { step[$0].op }
        #expect(ops.contains(.softmaxCrossEntropy(labelSmoothing: 0.1)))
        #expect(ops.contains(.softmaxCrossEntropyBackward(labelSmoothing: 0.1)))
        #expect(!ops.contains(.softmaxCrossEntropy(labelSmoothing: 0)))
    }

    /// Each parameter's average reads the parameter as this step's update leaves it, so the average includes the
    /// step (PyTorch calls `update_parameters` after `optimizer.step()`).
    @Test(arguments: [Optimizer.adam(AdamAttributes()), .sgd(SGDAttributes())])
    func everyParameterGetsAnAverageOfItsUpdatedValue(optimizer: Optimizer) throws {
        let step = model.trainingStep(optimizer: optimizer, averageDecay: 0.999)
        for parameter in step.parameters {
            let name = step[parameter].name
            let average = try #require(step.states.first { step[$0].name == "\(name).ema" }, "no average of \(name)")
            let update = try #require(step.updates.first { $0.target == average })
            let node = step[update.newValue]
            #expect(node.op == .exponentialMovingAverage(decay: 0.999))
            let parameterUpdate = try #require(step.updates.first { $0.target == parameter })
            #expect(node.inputs == [average, parameterUpdate.newValue, try #require(step.input(.step))])
        }
    }

    @Test func noAverageUnlessAsked() {
        let step = model.trainingStep(optimizer: .adam(AdamAttributes()))
        #expect(!step.states.contains { step[$0].name.hasSuffix(".ema") })
    }
}
