import NetcGraph
import NetcInterpreter
import NetcLoopEvaluator
import NetcLoops
import NetcTestSupport
import Testing

/// The lowering checked without LLVM: every kernel of a program, evaluated in Swift, against the interpreter's
/// values of the nodes it stores.
@Suite struct LoweringCheckTests {
    /// Each kernel of the training step (memory reused as training runs it) of the DAG network of every new
    /// layer stores what the interpreter computes.
    @Test func generalNetworkTrainingStep() throws {
        try expectAgreement(GeneralNetwork.spec, inputs: GeneralNetwork.batch(3))
    }

    /// The same at batch 6, whose grouped and dilated weight gradients sum a pass of four images' chains and then
    /// the two images left (batch 3 has only the latter).
    @Test func generalNetworkTrainingStepAtBatchSix() throws {
        try expectAgreement(GeneralNetwork.spec, inputs: GeneralNetwork.batch(6))
    }

    /// BatchNorm over 23×25 planes: 71 vectors of 8 (the haswell target's lanes) and 7 elements left, so each
    /// channel's sums add a full run of `f32` sums, a shorter one and the tail. The first BatchNorm's statistics
    /// come from the convolution's epilogue, the second's from its own sums over x.
    @Test func batchNormOverPlanesLongerThanOneRunOfSums() throws {
        let spec = NetworkSpec(
            name: "long-planes", input: ImageShape(channels: 1, height: 23, width: 25), classes: 3,
            layers: [
                LayerSpec(.conv2D(outChannels: 3, kernel: 3, stride: 1, padding: 1, bias: true)),
                LayerSpec(.relu),
                LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                LayerSpec(.activation(.leakyReLU(slope: 0.1))),
                LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                LayerSpec(.flatten),
                LayerSpec(.linear(outFeatures: 3, bias: true)),
            ])
        try expectAgreement(spec, inputs: randomBatch(2, for: spec), comparisons: 10)
    }

    private func expectAgreement(_ spec: NetworkSpec, inputs: [InputKind: Tensor], comparisons: Int = 30) throws {
        let model = try NetworkModel(spec, batchSize: inputs[.labels]?.type.elementCount ?? 1, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let check = try Self.check(graph, inputs: inputs)
        #expect(check.fault == nil, "\(String(describing: check.fault))")
        #expect(check.firstDivergence == nil, "\(String(describing: check.firstDivergence))")
        #expect(check.rows.count > comparisons)
    }

    /// The interpreter's values and the evaluator's kernel-by-kernel comparison with them, both from seed 5.
    static func check(_ graph: Graph, inputs: [InputKind: Tensor], reusesMemory: Bool = true) throws -> KernelCheck {
        let interpreter = try Interpreter(precision: .float32).prepare(graph, seed: 5)
        let reference = try #require(interpreter as? InterpreterExecutable).values(for: inputs)
        let evaluator = LoopExecutable(
            graph: graph, pipeline: LoopPipeline(reusesMemory: reusesMemory, target: .haswell), seed: 5)
        return try KernelCheck(engines: [evaluator], inputs: inputs, reference: reference)
    }
}
