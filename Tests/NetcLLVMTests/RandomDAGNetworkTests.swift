import NetcGraph
import NetcInterpreter
import NetcLLVM
import Testing

/// Random DAG networks (`RandomDAGNetwork`) against the float32 interpreter: residual and concat blocks, grouped,
/// depthwise and dilated convolutions, padded pooling, every activation, global average pooling and BatchNorm after
/// Linear, at batch 2 to 4 on two threads; two training steps with every gradient exposed at `netc check`'s
/// tolerance, then each kernel on the loop evaluator and the JIT.
@Suite struct RandomDAGNetworkTests {
    @Test(arguments: 0..<16 as Range<UInt64>)
    func trainingStepMatchesInterpreter(seed: UInt64) throws {
        let drawn = RandomDAGNetwork(seed: seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let steps = [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) }
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: drawn.optimizer, steps: steps,
            options: CompilationOptions(reusesMemory: seed % 2 == 0, threads: 2))
        let context = "\(drawn.spec.layers) batch \(drawn.batchSize)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
        let excused = comparisons.filter { !$0.excusedElements.isEmpty }.map(\.name)
        let zero = try Self.parametersWithZeroGradient(graph, inputs: steps[0])
        #expect(excused.allSatisfy(zero.contains), "\(context): excused \(excused), zero gradients \(zero)")
        let check = try KernelAgreement.check(
            of: graph, inputs: steps[0], options: CompilationOptions(reusesMemory: seed % 2 == 1, threads: 2))
        #expect(KernelAgreement.failures(of: check).isEmpty, "\(context): \(KernelAgreement.failures(of: check))")
    }

    /// The parameters whose gradient the float64 interpreter finds zero (below 1e-9 everywhere) at the initial
    /// values: biases whose effect a BatchNorm cancels. Only their updates may be excused.
    static func parametersWithZeroGradient(_ graph: Graph, inputs: [InputKind: Tensor]) throws -> Set<String> {
        let executable = try #require(
            try Interpreter(precision: .float64).prepare(graph, seed: 7) as? InterpreterExecutable)
        let values = try executable.values(for: inputs)
        return Set(
            graph.parameters.map { graph[$0].name }.filter { name in
                guard let gradient = graph.output(named: "\(name).grad") else { return false }
                return values[gradient.index].scalars.allSatisfy { abs($0) < 1e-9 }
            })
    }

    @Test(arguments: 0..<6 as Range<UInt64>)
    func inferenceMatchesInterpreter(seed: UInt64) throws {
        let drawn = RandomDAGNetwork(seed: 100 + seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .inference)
        let images = try #require(RandomNetworkTests.inputs(for: model)[.images])
        let failures = try BackendAgreement.comparisons(
            of: model.graph, steps: [[.images: images]], options: CompilationOptions(threads: 2)
        ).failures
        #expect(failures.isEmpty, "\(drawn.spec.layers): \(failures)")
    }

    /// The draws cover every new layer and join, so a narrowing of the generator shows here.
    @Test func drawsCoverEveryNewLayer() {
        let networks = (0..<16 as Range<UInt64>).map(RandomDAGNetwork.init(seed:))
        var kinds: [LayerKind] = []
        func collect(_ layers: [LayerSpec]) {
            for layer in layers {
                kinds.append(layer.kind)
                collect(layer.kind.children)
            }
        }
        for network in networks { collect(network.spec.layers) }
        func some(_ predicate: (LayerKind) -> Bool) -> Bool { kinds.contains(where: predicate) }
        #expect(networks.allSatisfy { $0.batchSize >= 2 })
        #expect(some { if case .residual(_, _, let shortcut) = $0 { shortcut.isEmpty } else { false } })
        #expect(some { if case .residual(_, _, let shortcut) = $0 { !shortcut.isEmpty } else { false } })
        #expect(some { if case .concat(_, let branches) = $0 { branches.contains([]) } else { false } })
        #expect(some { if case .conv2D(_, _, _, _, let dilation, _, _) = $0 { dilation > 1 } else { false } })
        #expect(some { if case .conv2D(_, _, _, _, _, let groups, _) = $0 { groups > 1 } else { false } })
        #expect(some { if case .maxPool(_, _, let padding) = $0 { padding > 0 } else { false } })
        #expect(some { if case .avgPool(_, _, let padding) = $0 { padding > 0 } else { false } })
        #expect(some { $0 == .globalAvgPool })
        for activation: Activation in [.leakyReLU(slope: 0.1), .sigmoid, .tanh, .gelu, .silu] {
            #expect(some { $0 == .activation(activation) }, "\(activation)")
        }
        #expect(
            networks.contains { network in
                let layers = network.spec.layers.map(\.kind)
                let flatten = layers.firstIndex(of: .flatten) ?? layers.endIndex
                return layers[flatten...].contains { if case .batchNorm = $0 { true } else { false } }
            }, "BatchNorm after a Linear layer")
    }
}
