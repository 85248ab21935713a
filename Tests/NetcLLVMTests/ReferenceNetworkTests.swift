import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

@Suite struct ReferenceNetworkTests {
    @Test func trainingStepMatchesInterpreter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 3, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let comparisons = try BackendAgreement.comparisons(
            of: model.trainingStep(optimizer: optimizer, exposingGradients: true), optimizer: optimizer,
            steps: [ReferenceNetwork.batch(3, step: 1), ReferenceNetwork.batch(3, step: 2)])
        #expect(comparisons.failures.isEmpty, "\(comparisons.failures)")
    }

    /// The training step as `netc train` compiles and runs it — memory reuse on, no gradients among the outputs,
    /// batch 100, two threads — for five Adam steps, every parameter, moment and running statistic against the
    /// interpreter (which runs the same step with its gradients exposed, to tell undetermined updates). No bias of
    /// this network feeds BatchNorm directly (ReLU comes between), so no parameter's true gradient is zero and
    /// no update may be excused.
    @Test func trainingStepAsTrainingRunsItMatchesInterpreter() throws {
        let batchSize = 100
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let comparisons = try BackendAgreement.comparisons(
            of: model.trainingStep(optimizer: optimizer),
            reference: model.trainingStep(optimizer: optimizer, exposingGradients: true), optimizer: optimizer,
            steps: (1...5).map { ReferenceNetwork.batch(batchSize, step: $0) },
            options: CompilationOptions(reusesMemory: true, threads: 2))
        #expect(comparisons.failures.isEmpty, "\(comparisons.failures)")
        let persistentCount = model.graph.parameters.count * 3 + model.graph.states.count
        #expect(comparisons.count == 5 * (2 + persistentCount), "loss, logits and every persistent tensor, each step")
        let excused = comparisons.filter { !$0.excusedElements.isEmpty }
        #expect(excused.isEmpty, "updates excused: \(excused.map { ($0.name, $0.excusedElements) })")
    }

    @Test func inferenceMatchesInterpreter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 3, mode: .inference)
        let failures = try BackendAgreement.comparisons(
            of: model.graph, steps: [[.images: ReferenceNetwork.batch(3)[.images]!]]
        ).failures
        #expect(failures.isEmpty, "\(failures)")
    }
}
