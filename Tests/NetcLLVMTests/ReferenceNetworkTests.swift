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
    /// float64 interpreter (which runs the same step with its gradients exposed, to tell undetermined updates; see
    /// `BackendAgreement` for why float64). No bias of
    /// this network feeds BatchNorm directly (ReLU comes between), so no parameter's true gradient is zero and
    /// no update may be excused.
    @Test func trainingStepAsTrainingRunsItMatchesInterpreter() throws {
        let batchSize = 100
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let comparisons = try BackendAgreement.comparisons(
            of: model.trainingStep(optimizer: optimizer),
            reference: model.trainingStep(optimizer: optimizer, exposingGradients: true), optimizer: optimizer,
            steps: (1...5).map { ReferenceNetwork.batch(batchSize, step: $0) }, referencePrecision: .float64,
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

@Suite struct TrainingFeatureTests {
    /// Label smoothing, AdamW and the moving average of the weights as `netc train` compiles them (memory reuse on,
    /// no gradients among the outputs, batch 100, two threads) against the float64 interpreter for three steps (the
    /// float32 one itself reorders a max-pool window at step 3 with AdamW 0.5, see `BackendAgreement`): at step 1
    /// the average copies the updated weights, later it moves a tenth of the way towards them. AdamW's decay is
    /// large enough that its shrink (1 − lr·λ = 1 − 5e-4) stands well above the tolerance's 1e-4 relative.
    ///
    /// Smoothing and AdamW 0.5 are checked in separate steps: together they lead this batch to a max-pool window
    /// whose two largest inputs the interpreter and the compiled BatchNorm (scale and shift rounded to f32) order
    /// differently, so the gradient takes another path, a discontinuity no tolerance covers.
    @Test(arguments: [
        (0.1, Optimizer.adam(AdamAttributes())),
        (0.0, Optimizer.adam(AdamAttributes(weightDecay: 0.5, decoupledWeightDecay: true))),
    ])
    func compiledStepMatchesInterpreter(labelSmoothing: Double, optimizer: Optimizer) throws {
        let batchSize = 100
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: .training)
        func step(exposingGradients: Bool) -> Graph {
            model.trainingStep(
                optimizer: optimizer, labelSmoothing: labelSmoothing, averageDecay: 0.9,
                exposingGradients: exposingGradients)
        }
        let comparisons = try BackendAgreement.comparisons(
            of: step(exposingGradients: false), reference: step(exposingGradients: true), optimizer: optimizer,
            steps: (1...3).map { ReferenceNetwork.batch(batchSize, step: $0) }, referencePrecision: .float64,
            options: CompilationOptions(reusesMemory: true, threads: 2))
        #expect(comparisons.failures.isEmpty, "\(comparisons.failures)")
        #expect(comparisons.filter { $0.name.hasSuffix(".ema") }.count == 3 * model.graph.parameters.count)
        // A weight whose true gradient on a batch happens to lie within float32 noise of zero has an undetermined
        // Adam step (at step 1 its sign alone). Such elements are rare: at most one in 10,000 parameter elements
        // over the three steps, each counted once for the weight and once for its average.
        let excused = comparisons.filter { !$0.excusedElements.isEmpty && !$0.name.hasSuffix(".ema") }
        let excusedCount = excused.map(\.excusedElements.count).reduce(0, +)
        let parameterElements = model.graph.parameters.map { model.graph[$0].type.elementCount }.reduce(0, +)
        #expect(
            excusedCount * 10_000 <= parameterElements,
            "updates excused: \(excused.map { ($0.name, $0.excusedElements) }) of \(parameterElements) elements")
    }

    /// All three together, on a small batch with the gradients exposed (memory reuse off), at steps 1 and 3.
    @Test func featuresTogetherMatchInterpreter() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 3, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes(weightDecay: 0.5, decoupledWeightDecay: true))
        let comparisons = try BackendAgreement.comparisons(
            of: model.trainingStep(
                optimizer: optimizer, labelSmoothing: 0.1, averageDecay: 0.9, exposingGradients: true),
            optimizer: optimizer, steps: [ReferenceNetwork.batch(3, step: 1), ReferenceNetwork.batch(3, step: 3)])
        #expect(comparisons.failures.isEmpty, "\(comparisons.failures)")
    }
}
