import NetcGraph
import NetcLLVM
import NetcLoops
import NetcTestSupport
import Testing

/// Poolings whose windows overlap or reach into the padding, run over bordered plane copies
/// (`Lowering.lowerPaddedPlanePooling`), against the float32 interpreter in two training steps on two threads, every
/// gradient exposed, on every target this machine runs. The pooling reads BatchNorm's output, so the copies hold
/// negative values next to the border a maximum must not pick.
@Suite struct PaddedPlanePoolingTests {
    static let targets = TargetName.allCases.filter { $0.featuresMissingOnHost.isEmpty }

    /// (pooling, channels, batch) on a 2×9×9 input (`PoolingAcrossPlanesTests.model`, no dropout).
    static let cases: [(LayerKind, Int, Int)] = [
        (.maxPool(size: 3, stride: 2, padding: 1), 8, 2),  // a ResNet stem's
        (.maxPool(size: 3, stride: 1, padding: 1), 4, 3),  // an Inception branch's
        (.avgPool(size: 3, stride: 2, padding: 1), 8, 2),
        (.avgPool(size: 3, stride: 1, padding: 1), 4, 2),
        (.maxPool(size: 3, stride: 2), 4, 2),  // overlapping, no padding
        (.avgPool(size: 2, stride: 1), 4, 2),
        (.maxPool(size: 5, stride: 2, padding: 2), 4, 2),
    ]

    @Test(arguments: targets, 0..<cases.count)
    func trainingStepMatchesInterpreter(target: TargetName, index: Int) throws {
        let (pooling, channels, batch) = Self.cases[index]
        try PoolingAcrossPlanesTests.expectAgreement(
            pooling, channels: channels, batch: batch, dropout: false, on: target)
    }

    /// Every case's forward pooling does run over plane copies: its kernel has a vector loop (the window-by-window
    /// loop it replaces has none without dropout), so the comparisons above check the copies.
    @Test(arguments: targets)
    func casesRunOverPlaneCopies(target: TargetName) throws {
        for (pooling, channels, batch) in Self.cases {
            let model = try PoolingAcrossPlanesTests.model(pooling, channels: channels, batch: batch, dropout: false)
            let program = LoopPipeline(target: target.target.description).program(for: model.graph)
            let pool = try #require(program.kernels.first { $0.name.contains("pool") && $0.name.hasSuffix("fwd") })
            #expect(PoolingAcrossPlanesTests.containsVectorLoop(pool.body), "\(target.rawValue) \(pooling)")
        }
    }
}
