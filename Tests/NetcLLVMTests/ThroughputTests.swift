import Foundation
import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

/// Training speed of the reference network's JIT-compiled step at batch 100, one thread; run with
/// `NETC_BENCHMARK=1` in a release build. Prints the compile time and images per second.
@Suite struct ThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NETC_BENCHMARK"] != nil))
    func trainingThroughput() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 100, mode: .training)
        let executable = try JITBackend().compile(model.trainingStep(optimizer: .adam(AdamAttributes())), seed: 1)
        let inputs = ReferenceNetwork.batch(100)
        _ = try executable.run(inputs)
        let steps = 5
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<steps { executable.runWrittenInputs() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print(
            "compile \(executable.compileTime), \(executable.program.kernels.count) kernels, "
                + "\(Double(steps * 100) / seconds) images/s")
    }
}
