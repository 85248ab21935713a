import NetcGraph
import NetcLLVM
import Testing

/// Every op, forward and backward, against the float32 interpreter: small networks drawn from a seeded
/// generator (`RandomNetwork`), two training steps with every gradient exposed, compared at `netc check`'s
/// tolerance, on one to three threads with memory reuse on and off.
@Suite struct RandomNetworkTests {
    /// Random images, labels cycling through the classes, learning rate 0.01, the given step and seed 11.
    static func inputs(for model: NetworkModel, step: Int = 1) -> [InputKind: Tensor] {
        let imageType = model.graph.type(of: model.graph.input(.images) ?? ValueID(0))
        return [
            .images: Tensor(imageType, RandomValues.uniform(count: imageType.elementCount, stream: 5)),
            .labels: Tensor(TensorType(.int32, [model.batchSize]), (0..<model.batchSize).map { Double($0 % 3) }),
            .learningRate: .scalar(0.01),
            .step: .scalar(Double(step), .int64),
            .seed: .scalar(11, .int64),
        ]
    }

    @Test(arguments: 0..<24 as Range<UInt64>)
    func trainingStepMatchesInterpreter(seed: UInt64) throws {
        let drawn = RandomNetwork(seed: seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: drawn.optimizer, steps: [1, 2].map { Self.inputs(for: model, step: $0) },
            options: CompilationOptions(reusesMemory: seed % 2 == 0, threads: 1 + Int(seed % 3)))
        let context = "\(drawn.spec.layers) batch \(drawn.batchSize), \(drawn.optimizer)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
        let excused = comparisons.filter { !$0.excusedElements.isEmpty }
        #expect(
            excused.allSatisfy { drawn.zeroGradientParameters.contains($0.name) },
            "\(context): updates excused outside the biases that feed BatchNorm: \(excused)")
    }

    /// The same networks compiled for each fixed CPU this machine can run (its vector widths and register counts
    /// give other tiles), a few seeds each.
    @Test(
        arguments: TargetName.allCases.filter { $0 != .native && $0.featuresMissingOnHost.isEmpty },
        0..<4 as Range<UInt64>)
    func trainingStepMatchesInterpreterOnEveryTarget(target: TargetName, seed: UInt64) throws {
        let drawn = RandomNetwork(seed: seed * 5 + 1)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: drawn.optimizer, steps: [1, 2].map { Self.inputs(for: model, step: $0) },
            options: CompilationOptions(threads: 2, target: target.target))
        let context = "\(target.rawValue): \(drawn.spec.layers) batch \(drawn.batchSize), \(drawn.optimizer)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func inferenceMatchesInterpreter(seed: UInt64) throws {
        let drawn = RandomNetwork(seed: seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .inference)
        let failures = try BackendAgreement.comparisons(
            of: model.graph, steps: [[.images: Self.inputs(for: model)[.images]!]]
        ).failures
        #expect(failures.isEmpty, "\(drawn.spec.layers): \(failures)")
    }

    /// The draws cover what the generator promises, so a narrowing of it shows here.
    @Test func drawsCoverTheShapesTheGeneratorPromises() {
        let networks = (0..<24 as Range<UInt64>).map(RandomNetwork.init(seed:))
        func some(_ predicate: (LayerKind) -> Bool) -> Bool {
            networks.contains { $0.layers.contains(where: predicate) }
        }
        #expect(networks.count { $0.batchSize > 1 } >= 18, "most batches have several images")
        #expect(some { if case .conv2D(_, let kernel, _, _, _, _, _) = $0 { kernel > 3 } else { false } })
        #expect(some { if case .maxPool(let size, _, _) = $0 { size != 2 } else { false } })
        #expect(some { if case .avgPool(let size, _, _) = $0 { size != 2 } else { false } })
        let tilingMaxPools = networks.count { network in
            network.poolingTilesItsInput && network.layers.contains { if case .maxPool = $0 { true } else { false } }
        }
        #expect(tilingMaxPools >= 2, "max poolings whose windows tile the input, which have a lowering of their own")
        #expect(some { if case .dropout(let probability) = $0 { probability != 0.3 } else { false } })
        #expect(networks.contains { !$0.zeroGradientParameters.isEmpty }, "a bias feeds BatchNorm somewhere")
        #expect(networks.contains { if case .sgd = $0.optimizer { true } else { false } })
        #expect(
            networks.contains { network in
                let flatten = network.layers.firstIndex(of: .flatten) ?? network.layers.endIndex
                return network.layers[flatten...].contains { if case .batchNorm = $0 { true } else { false } }
            }, "some have a hidden Linear layer followed by BatchNorm on [N, C]")
    }
}
