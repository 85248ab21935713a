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

    /// A max-pool gradient on its own, on an input full of ties (the training steps above never show which of equal
    /// values takes the gradient: their ties are ReLU's zeros, whose gradient ReLU discards): the first maximum of
    /// each window in row-major order takes it, as in the interpreter, on every target.
    @Test(arguments: targets, [(3, 2, 1), (3, 1, 1), (3, 2, 0)])
    func tiesGoToTheFirstMaximum(target: TargetName, window: (size: Int, stride: Int, padding: Int)) throws {
        let pool = PoolAttributes(size: window.size, stride: window.stride, padding: window.padding)
        let shape = TensorType.float(2, 3, 7, 7)
        var graph = Graph()
        let x = graph.add(.input(.images), [], type: shape, name: "x")
        let y = graph.add(.maxPool(pool), [x], name: "y")
        let gradient = graph.add(.parameter(.constant(1)), [], type: graph.type(of: y), name: "dy")
        let dx = graph.add(.maxPoolBackward(pool), [x, gradient], type: shape, name: "dx")
        graph.outputs = [GraphOutput("dx", dx)]
        // Three values in a repeating pattern, so that most windows hold their maximum more than once.
        let images = Tensor(shape, (0..<shape.elementCount).map { Double(($0 * 7) % 3) })
        let comparisons = try BackendAgreement.comparisons(
            of: graph, steps: [[.images: images]], options: CompilationOptions(threads: 2, target: target.target))
        #expect(comparisons.failures.isEmpty, "\(target.rawValue) \(window): \(comparisons.failures)")
    }
}
