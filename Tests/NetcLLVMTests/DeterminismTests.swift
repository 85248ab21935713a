import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

/// Compiled training is reproducible: kernels split their parallel ranges into slices whose iterations write
/// disjoint memory and sum in a fixed order, so the bits depend on neither the run nor the thread count.
@Suite struct DeterminismTests {
    /// Every parameter and state tensor after three steps of the reference network on `threads` threads.
    static func trainedState(threads: Int) throws -> [String: [Double]] {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 5, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let executable = try JITBackend(options: CompilationOptions(threads: threads)).compile(graph, seed: 3)
        for step in 1...3 { _ = try executable.run(ReferenceNetwork.batch(5, step: step)) }
        var state: [String: [Double]] = [:]
        for value in graph.parameters + graph.states {
            let name = graph[value].name
            state[name] = try #require(executable.persistent(named: name)).scalars
        }
        return state
    }

    @Test func sameSeedAndThreadsGiveIdenticalBits() throws {
        let (first, second) = (try Self.trainedState(threads: 2), try Self.trainedState(threads: 2))
        #expect(first.count == second.count && !first.isEmpty)
        for (name, values) in first {
            #expect(values.map(\.bitPattern) == second[name]?.map(\.bitPattern), "\(name)")
        }
    }

    @Test(arguments: [1, 3])
    func threadCountDoesNotChangeTheBits(threads: Int) throws {
        let (reference, other) = (try Self.trainedState(threads: 2), try Self.trainedState(threads: threads))
        for (name, values) in reference {
            #expect(values.map(\.bitPattern) == other[name]?.map(\.bitPattern), "\(name)")
        }
    }
}
