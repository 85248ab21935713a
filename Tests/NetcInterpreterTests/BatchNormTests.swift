import NetcGraph
import NetcInterpreter
import Testing

@Suite("BatchNorm")
struct BatchNormTests {
    /// The gradients of training-mode BatchNorm with respect to x (through the batch statistics), gamma and beta,
    /// for NCHW and `[N, C]` inputs.
    @Test(arguments: [[4, 3, 2, 2], [5, 3], [2, 2, 3, 1]])
    func trainingGradients(shape: [Int]) throws {
        let epsilon = 1e-5
        let channels = shape[1]
        var problem = GradientProblem()
        let x = problem.variable("x", shape)
        let gamma = problem.variable("gamma", [channels])
        let beta = problem.variable("beta", [channels])
        let moments = problem.graph.add(.batchMoments, [x], name: "moments")
        let y = problem.graph.add(.batchNormTraining(epsilon: epsilon), [x, moments, gamma, beta], name: "y")
        let dy = problem.lossWeights(for: y)
        let dx = problem.graph.add(.batchNormTrainingBackward(epsilon: epsilon), [x, moments, gamma, dy], name: "dx")
        let dgamma = problem.graph.add(.batchNormScaleGradient(epsilon: epsilon), [x, moments, dy], name: "dgamma")
        problem.expectGradient(of: "x", at: dx)
        problem.expectGradient(of: "gamma", at: dgamma)
        problem.expectGradient(of: "beta", at: problem.graph.add(.sumToChannels, [dy], name: "dbeta"))
        try problem.check()
    }

    /// Channel 0 holds 1, 2, 3, 6 and channel 1 holds 0, 0, 4, 4 over a batch of 2 images of 1×2 pixels.
    /// Channel 0: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5. Channel 1: mean 2, variance 4.
    @Test func momentsByHand() throws {
        var fixture = GraphFixture()
        // [N=2, C=2, H=1, W=2]: image 0 is (ch0: 1, 2; ch1: 0, 0), image 1 is (ch0: 3, 6; ch1: 4, 4).
        let x = fixture.tensor("x", [2, 2, 1, 2], [1, 2, 0, 0, 3, 6, 4, 4])
        let moments = fixture.graph.add(.batchMoments, [x], name: "moments")
        #expect(try fixture.evaluate(moments) == [3, 2, 3.5, 4])
    }

    /// One training step of `BatchNorm()` (momentum 0.1) on a batch of one 2×2 image holding 1, 2, 3, 6:
    /// mean 3, biased variance 3.5, unbiased variance 14/3. The output is (x − 3)/√(3.5 + 1e-5); the running
    /// mean becomes 0.9·0 + 0.1·3 = 0.3, the running variance 0.9·1 + 0.1·14/3 = 1.3666…, the count 1.
    @Test func runningStatisticsAfterOneStep() throws {
        let spec = NetworkSpec(
            name: "bn", input: ImageShape(channels: 1, height: 2, width: 2), classes: 4,
            layers: [LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.flatten)])
        let model = try NetworkModel(spec, batchSize: 1, mode: .training)
        let executable = try Interpreter(precision: .float64).prepare(model.graph, seed: 1)
        let images = Tensor(.float(1, 1, 2, 2), [1, 2, 3, 6])
        let outputs = try executable.run([.images: images])

        let logits = try #require(outputs["logits"]).scalars
        let expected = [1.0, 2, 3, 6].map { ($0 - 3) / (3.5 + 1e-5).squareRoot() }
        #expect(zip(logits, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let mean = try #require(executable.persistent(named: "0.running_mean")).scalars[0]
        #expect(abs(mean - 0.3) < 1e-12)
        let variance = try #require(executable.persistent(named: "0.running_var")).scalars[0]
        #expect(abs(variance - (0.9 + 0.1 * 14 / 3)) < 1e-12)
        #expect(try #require(executable.persistent(named: "0.num_batches_tracked")).scalars == [1])
    }

    /// Inference mode uses the given statistics: (x − mean)/√(variance + ε)·γ + β with mean 1, variance 4 − ε,
    /// γ 2, β 0.5 maps x = 3 to (3 − 1)/2·2 + 0.5 = 2.5.
    @Test func inferenceByHand() throws {
        let epsilon = 1e-5
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 1, 1, 2], [3, -1])
        let mean = fixture.tensor("mean", [1], [1])
        let variance = fixture.tensor("variance", [1], [4 - epsilon])
        let gamma = fixture.tensor("gamma", [1], [2])
        let beta = fixture.tensor("beta", [1], [0.5])
        let y = fixture.graph.add(.batchNormInference(epsilon: epsilon), [x, mean, variance, gamma, beta], name: "y")
        let values = try fixture.evaluate(y)
        #expect(abs(values[0] - 2.5) < 1e-12 && abs(values[1] - -1.5) < 1e-12)
    }
}
