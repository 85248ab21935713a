import NetcGraph
import NetcLLVM
import NetcLoops
import NetcTestSupport
import Testing

/// Pooling run across planes (one (image, channel) plane per vector lane, `PoolingShape.planesPerVector`) against
/// the float32 interpreter in two training steps on two threads, every gradient exposed, on every target this
/// machine runs: max pooling followed by dropout (whose Philox draws then run as vectors), padded max and average
/// pooling with dropout, and three poolings left to the plane-at-a-time loop (a number of planes the lanes do not
/// divide, 1×1 output planes, no dropout after the pooling).
@Suite struct PoolingAcrossPlanesTests {
    static let targets = TargetName.allCases.filter { $0.featuresMissingOnHost.isEmpty }

    /// (pooling, channels, batch, dropout after it) on a 2×9×9 input behind a 3×3 convolution, ReLU and BatchNorm
    /// (which the pooling applies as it reads, per channel).
    static let cases: [(LayerKind, Int, Int, Bool)] = [
        (.maxPool(size: 2, stride: 2), 16, 2, true),  // 32 planes of 4×4: whole vectors at 256 and 512 bits
        (.maxPool(size: 3, stride: 1, padding: 1), 8, 2, true),
        (.avgPool(size: 3, stride: 2, padding: 1), 16, 3, true),
        (.maxPool(size: 2, stride: 2), 3, 3, true),  // 9 planes: one at a time
        (.maxPool(size: 9, stride: 9), 16, 2, true),  // 1×1 output planes: one at a time
        (.maxPool(size: 3, stride: 3), 16, 2, false),  // no Philox draws to share: one at a time (windows that
        // tile the input: others run over plane copies, `PaddedPlanePoolingTests`)
    ]

    static func model(_ pooling: LayerKind, channels: Int, batch: Int, dropout: Bool) throws -> NetworkModel {
        let layers: [LayerSpec] =
            [
                LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: 1, padding: 1, bias: true)),
                LayerSpec(.relu), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(pooling),
            ] + (dropout ? [LayerSpec(.dropout(probability: 0.25))] : [])
            + [LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: true))]
        let spec = NetworkSpec(
            name: "pooling", input: ImageShape(channels: 2, height: 9, width: 9), classes: 3, layers: layers)
        return try NetworkModel(spec, batchSize: batch, mode: .training)
    }

    @Test(arguments: targets, 0..<cases.count)
    func trainingStepMatchesInterpreter(target: TargetName, index: Int) throws {
        let (pooling, channels, batch, dropout) = Self.cases[index]
        try Self.expectAgreement(pooling, channels: channels, batch: batch, dropout: dropout, on: target)
    }

    /// Expects two training steps of `model(...)` on `target` to give the interpreter's values.
    static func expectAgreement(
        _ pooling: LayerKind, channels: Int, batch: Int, dropout: Bool, on target: TargetName
    ) throws {
        let model = try Self.model(pooling, channels: channels, batch: batch, dropout: dropout)
        let optimizer = Optimizer.adam(AdamAttributes())
        let graph = model.trainingStep(optimizer: optimizer, exposingGradients: true)
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(reusesMemory: true, threads: 2, target: target.target))
        let context = "\(target.rawValue) \(pooling) \(channels) channels, batch \(batch)"
        #expect(comparisons.failures.isEmpty, "\(context): \(comparisons.failures)")
    }

    /// The first three cases do run across planes (a vector loop in the pooling kernel) and the last three do not,
    /// so the comparisons above cover both loops.
    @Test(arguments: targets)
    func casesCoverBothLoops(target: TargetName) throws {
        for (index, (pooling, channels, batch, dropout)) in Self.cases.enumerated() {
            let model = try Self.model(pooling, channels: channels, batch: batch, dropout: dropout)
            let program = LoopPipeline(target: target.target.description).program(for: model.graph)
            let pool = try #require(program.kernels.first { $0.name.contains("pool") && $0.name.hasSuffix("fwd") })
            let runsAcrossPlanes = Self.containsVectorLoop(pool.body)
            #expect(runsAcrossPlanes == (index < 3), "\(target.rawValue) case \(index): \(pool.name)")
        }
    }

    /// Whether any loop among `statements`, at any depth, is a vector loop.
    static func containsVectorLoop(_ statements: [Stmt]) -> Bool {
        statements.contains { statement in
            switch statement {
            case .loop(let loop): loop.vectorLanes != nil || containsVectorLoop(loop.body)
            case .when(_, let body): containsVectorLoop(body)
            case .store, .assign: false
            }
        }
    }
}
