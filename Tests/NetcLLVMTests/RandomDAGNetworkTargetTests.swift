import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

/// Random DAG networks (residual and concat blocks, grouped, depthwise and dilated convolutions) against the float32
/// interpreter on every fixed target this machine runs (256- and 512-bit vectors, 16 and 32 registers, each with its
/// own register tiles): two training steps with every gradient exposed, then inference, at `netc check`'s tolerance.
/// `RandomDAGNetworkTests` covers the native target with more draws. The random networks are narrow, so the reference
/// network (32 to 128 channels: several vectors per channel loop at either width) is checked on every target too, and
/// so is the network of every layer (`GeneralNetwork`), whose Tanh after a grouped convolution on 5×5 planes once
/// crashed LLVM 14's instruction selection for a Zen 3's native target (`znver3`, AVX2 only).
@Suite struct RandomDAGNetworkTargetTests {
    static let targets = TargetName.allCases.filter { $0 != .native && $0.featuresMissingOnHost.isEmpty }

    @Test(arguments: targets, 0..<2 as Range<UInt64>)
    func trainingStepMatchesInterpreter(target: TargetName, seed: UInt64) throws {
        let drawn = RandomDAGNetwork(seed: 40 + seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: drawn.optimizer,
            steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(reusesMemory: seed % 2 == 0, threads: 2, target: target.target))
        let context = "\(target.rawValue): \(drawn.spec.layers) batch \(drawn.batchSize), \(drawn.optimizer)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
    }

    /// The reference network and the network of every layer, each with its batches (size, step).
    static let networks: [(spec: NetworkSpec, batch: @Sendable (Int, Int) -> [InputKind: Tensor])] = [
        (ReferenceNetwork.spec, { ReferenceNetwork.batch($0, step: $1) }),
        (GeneralNetwork.spec, { GeneralNetwork.batch($0, step: $1) }),
    ]

    @Test(arguments: targets, 0..<networks.count)
    func fixedNetworkMatchesInterpreter(target: TargetName, index: Int) throws {
        let (spec, batch) = Self.networks[index]
        let options = CompilationOptions(reusesMemory: false, threads: 2, target: target.target)
        let training = try NetworkModel(spec, batchSize: 3, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let step = try BackendAgreement.comparisons(
            of: training.trainingStep(optimizer: optimizer, exposingGradients: true), optimizer: optimizer,
            steps: [batch(3, 1), batch(3, 2)], options: options)
        #expect(step.failures.isEmpty, "\(target.rawValue), \(spec.name): \(step.failures)")
        let inference = try NetworkModel(spec, batchSize: 3, mode: .inference)
        let failures = try BackendAgreement.comparisons(
            of: inference.graph, steps: [[.images: try #require(batch(3, 1)[.images])]], options: options
        ).failures
        #expect(failures.isEmpty, "\(target.rawValue), \(spec.name): \(failures)")
    }

    @Test(arguments: targets, 0..<2 as Range<UInt64>)
    func inferenceMatchesInterpreter(target: TargetName, seed: UInt64) throws {
        let drawn = RandomDAGNetwork(seed: 140 + seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .inference)
        let images = try #require(RandomNetworkTests.inputs(for: model)[.images])
        let failures = try BackendAgreement.comparisons(
            of: model.graph, steps: [[.images: images]], options: CompilationOptions(threads: 2, target: target.target)
        ).failures
        #expect(failures.isEmpty, "\(target.rawValue): \(drawn.spec.layers): \(failures)")
    }
}
