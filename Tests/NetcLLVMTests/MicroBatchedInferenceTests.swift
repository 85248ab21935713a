import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcTestSupport
import Testing

@Suite struct MicroBatchedInferenceTests {
    static func graph(batch: Int) throws -> Graph {
        try NetworkModel(ReferenceNetwork.spec, batchSize: batch, mode: .inference).graph
    }

    /// Running statistics away from their initial 0 and 1, so BatchNorm's inference arithmetic shows.
    static func statistics(of graph: Graph) -> [String: Tensor] {
        let generator = Philox(seed: 31)
        return Dictionary(
            uniqueKeysWithValues: graph.states.enumerated().map { number, id in
                let type = graph[id].type
                let values = (0..<type.elementCount).map { index in
                    let draw = generator.uniform(stream: 0x9100 + UInt32(number), step: 0, index: UInt32(index))
                    return graph[id].name.hasSuffix("running_var") ? 0.5 + draw : draw - 0.5
                }
                return (graph[id].name, Tensor(type, values))
            })
    }

    /// Seven images as micro-batches of three (the last one holding a single image) on two threads: the logits of
    /// every image against the float32 interpreter's for the whole batch, with the same weights and statistics.
    @Test func microBatchesGiveTheWholeBatchsLogits() throws {
        let whole = try Self.graph(batch: 7)
        let inference = try MicroBatchedInference(
            graph: whole, microGraph: Self.graph(batch: 3), options: CompilationOptions(threads: 2), seed: 5)
        let reference = try Interpreter(precision: .float32).prepare(whole, seed: 5)
        for (name, value) in Self.statistics(of: whole) {
            try inference.setPersistent(named: name, to: value)
            try reference.setPersistent(named: name, to: value)
        }
        let images = try #require(ReferenceNetwork.batch(7)[.images])
        let actual = try inference.run([.images: images])
        let expected = try reference.run([.images: images])
        #expect(Set(actual.keys) == Set(expected.keys))
        for (name, value) in expected {
            let comparison = TensorComparison(name: name, actual: try #require(actual[name]), reference: value)
            #expect(comparison.passes, "\(comparison)")
        }
    }

    /// One thread running four micro-batches packs the weights for the first and reuses them for the rest and for
    /// the next run, and packs them again after the weights changed: three runs' logits against the interpreter's.
    @Test func packedWeightsFollowTheParametersFromRunToRun() throws {
        let whole = try Self.graph(batch: 7)
        let inference = try MicroBatchedInference(
            graph: whole, microGraph: Self.graph(batch: 2), options: CompilationOptions(threads: 1), seed: 5)
        try Self.checkThreeRuns(of: inference, graph: whole, seed: 5)
    }

    /// Runs `executable` (compiled from `graph` with `seed`) three times on the same images, the third time after
    /// new weights and statistics were set, and checks each run's outputs against the float32 interpreter's.
    static func checkThreeRuns(of executable: any Executable, graph: Graph, seed: UInt64) throws {
        let reference = try Interpreter(precision: .float32).prepare(graph, seed: seed)
        let images = try #require(ReferenceNetwork.batch(graph[graph.input(.images)!].type.shape[0])[.images])
        for run in 0..<3 {
            if run == 2 {
                for (name, value) in graph.initialValues(seed: 77).merging(
                    Self.statistics(of: graph), uniquingKeysWith: { _, statistic in statistic })
                {
                    try executable.setPersistent(named: name, to: value)
                    try reference.setPersistent(named: name, to: value)
                }
            }
            let actual = try executable.run([.images: images])
            for (name, value) in try reference.run([.images: images]) {
                let comparison = TensorComparison(name: name, actual: try #require(actual[name]), reference: value)
                #expect(comparison.passes, "run \(run): \(comparison)")
            }
        }
    }

    /// Which thread runs which micro-batch changes nothing: one and two threads give the same bits.
    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let images = try #require(ReferenceNetwork.batch(10)[.images])
        let outputs = try [1, 2].map { threads in
            try MicroBatchedInference(
                graph: Self.graph(batch: 10), microGraph: Self.graph(batch: 4),
                options: CompilationOptions(threads: threads), seed: 9
            ).run([.images: images])
        }
        #expect(outputs[0] == outputs[1])
    }

    /// The JIT splits a batch into micro-batches whose largest activation fits the target's L2 (haswell's is
    /// 256 KiB), of 50 to 100 images, one at least per thread, and compiles a batch that is one micro-batch as it is.
    @Test(arguments: [
        (1000, 2, 100_352, 50), (1000, 2, 4_096, 64), (1000, 2, 1_024, 100), (250, 2, 1_024, 100),
        (100, 1, 1_024, 100), (100, 2, 1_024, 50), (7, 2, 100_352, 4),
    ])
    func microBatchSize(batch: Int, threads: Int, imageBytes: Int, expected: Int) throws {
        let haswell = JITBackend(options: CompilationOptions(threads: threads, target: TargetName.haswell.target))
        #expect(haswell.inferenceMicroBatch(for: batch, imageBytes: imageBytes) == expected)
        let executable = try JITBackend(options: CompilationOptions(threads: threads)).prepareInference(
            batch: 7, seed: 1, graph: Self.graph)
        #expect((executable is MicroBatchedInference) == (threads > 1))
    }
}
