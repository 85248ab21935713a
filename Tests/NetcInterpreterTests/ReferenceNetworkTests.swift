import Foundation
import NetcGraph
import NetcInterpreter
import NetcTestSupport
import Testing

@Suite("Reference network")
struct ReferenceNetworkTests {
    /// The training step of the reference network runs and learns: on one fixed batch of 4 images, Adam with
    /// lr 1e-3 lowers the loss over 4 steps, and the batch statistics are tracked.
    @Test func trainingStepLowersTheLossOnAFixedBatch() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .training)
        #expect(model.parameterCount == 140_778)
        let executable = try Interpreter().prepare(model.trainingStep(optimizer: .adam(AdamAttributes())), seed: 3)
        var losses: [Double] = []
        for step in 1...4 {
            let outputs = try executable.run(ReferenceNetwork.batch(4, step: step))
            losses.append(try #require(outputs["loss"]?.scalars.first))
        }
        #expect(losses.allSatisfy { $0.isFinite })
        let last = try #require(losses.last)
        #expect(last < losses[0], "losses \(losses)")
        #expect(executable.persistent(named: "conv1.2.num_batches_tracked")?.scalars == [4])
    }

    /// Images per second of one training step at batch 100 (float32). Run with `NETC_BENCHMARK=1` in a release
    /// build: `NETC_BENCHMARK=1 swift test -c release --filter ReferenceNetworkTests`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NETC_BENCHMARK"] != nil))
    func trainingThroughput() throws {
        let batchSize = 100
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: .training)
        let executable = try Interpreter().prepare(model.trainingStep(optimizer: .adam(AdamAttributes())), seed: 3)
        let clock = ContinuousClock()
        var durations: [Duration] = []
        for step in 1...3 {
            let inputs = ReferenceNetwork.batch(batchSize, step: step)
            durations.append(try clock.measure { _ = try executable.run(inputs) })
        }
        let fastest = try #require(durations.min())
        let seconds = Double(fastest.components.seconds) + Double(fastest.components.attoseconds) * 1e-18
        print("interpreter training step, batch \(batchSize): \(fastest), \(Double(batchSize) / seconds) img/s")
    }
}
