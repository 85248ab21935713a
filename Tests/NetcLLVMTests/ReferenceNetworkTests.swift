import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

@Suite struct ReferenceNetworkTests {
    @Test func trainingStepMatchesInterpreter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 3, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()), exposingGradients: true)
        let failures = try BackendAgreement.failures(
            of: graph, inputs: ReferenceNetwork.batch(3), runs: 2,
            stepBound: BackendAgreement.adamStepBound(learningRate: 1e-3))
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func inferenceMatchesInterpreter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 3, mode: .inference)
        let failures = try BackendAgreement.failures(
            of: model.graph, inputs: [.images: ReferenceNetwork.batch(3)[.images]!])
        #expect(failures.isEmpty, "\(failures)")
    }
}
