import NetcLLVM
import Testing

/// An inference program packs its weights once and again only after they change.
@Suite struct PreparedWeightsTests {
    /// Three runs of one compiled inference graph on two threads: with the initial weights, again (the packed
    /// weights reused), and after new weights and statistics were set (packed again): each run's logits against
    /// the float32 interpreter's with the same values.
    @Test func packedWeightsFollowSetPersistent() throws {
        let graph = try MicroBatchedInferenceTests.graph(batch: 3)
        let compiled = try JITBackend(options: CompilationOptions(threads: 2)).compile(graph, seed: 5)
        #expect(!compiled.program.parameterOnlyKernels.isEmpty)
        try MicroBatchedInferenceTests.checkThreeRuns(of: compiled, graph: graph, seed: 5)
    }
}
