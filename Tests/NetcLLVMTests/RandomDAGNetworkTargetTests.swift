import NetcGraph
import NetcLLVM
import Testing

/// Random DAG networks (residual and concat blocks, grouped, depthwise and dilated convolutions) against the float32
/// interpreter on every fixed target this machine runs (256- and 512-bit vectors, 16 and 32 registers, each with its
/// own register tiles): two training steps with every gradient exposed, then inference, at `netc check`'s tolerance.
/// `RandomDAGNetworkTests` covers the native target with more draws.
@Suite struct RandomDAGNetworkTargetTests {
    static let targets = TargetName.allCases.filter { $0 != .native && $0.featuresMissingOnHost.isEmpty }

    @Test(arguments: targets, 0..<2 as Range<UInt64>)
    func trainingStepMatchesInterpreter(target: TargetName, seed: UInt64) throws {
        let drawn = RandomDAGNetwork(seed: 40 + seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: drawn.optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(reusesMemory: seed % 2 == 0, threads: 2, target: target.target))
        let context = "\(target.rawValue): \(drawn.spec.layers) batch \(drawn.batchSize), \(drawn.optimizer)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
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
