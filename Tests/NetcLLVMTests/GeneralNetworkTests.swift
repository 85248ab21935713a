import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

/// The DAG network of every new layer, compiled as training runs it (memory reused, gradients not exposed, two
/// threads) and with every gradient exposed, against the interpreter over several steps.
@Suite struct GeneralNetworkTests {
    /// The step as training compiles it (no gradient outputs, memory reused) and with every gradient exposed.
    @Test(arguments: [false, true])
    func trainingStepsMatchInterpreter(exposingGradients: Bool) throws {
        let model = try NetworkModel(GeneralNetwork.spec, batchSize: 4, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let reference = model.trainingStep(optimizer: optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: model.trainingStep(optimizer: optimizer, exposingGradients: exposingGradients), reference: reference,
            optimizer: optimizer, steps: (1...3).map { GeneralNetwork.batch(4, step: $0) },
            options: CompilationOptions(reusesMemory: !exposingGradients, threads: 2))
        #expect(comparisons.failures.isEmpty, "\(comparisons.failures)")
        #expect(comparisons.allSatisfy { $0.excusedElements.isEmpty }, "no bias feeds a BatchNorm")
    }

    /// Each kernel of the step, run on the loop evaluator and on the JIT from the interpreter's values of its
    /// inputs, stores the interpreter's values.
    @Test func everyKernelAgreesWithTheInterpreter() throws {
        let model = try NetworkModel(GeneralNetwork.spec, batchSize: 3, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let check = try KernelAgreement.check(
            of: graph, inputs: GeneralNetwork.batch(3), options: CompilationOptions(threads: 2))
        #expect(KernelAgreement.failures(of: check).isEmpty, "\(KernelAgreement.failures(of: check))")
        #expect(check.rows.filter { $0.stage == .codeGeneration }.count > 30)
    }

    @Test func inferenceMatchesInterpreter() throws {
        let model = try NetworkModel(GeneralNetwork.spec, batchSize: 3, mode: .inference)
        let failures = try BackendAgreement.comparisons(
            of: model.graph, steps: [[.images: try #require(GeneralNetwork.batch(3)[.images])]],
            options: CompilationOptions(threads: 2)
        ).failures
        #expect(failures.isEmpty, "\(failures)")
    }
}
