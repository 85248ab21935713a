import Foundation
import NetcLoops

/// The time one kernel took in a profiled run.
public struct KernelProfile: Hashable, Sendable {
    /// The kernel's name (`conv1_3_conv_relu_fwd`).
    public var name: String
    /// Its mean wall-clock time per run, in seconds.
    public var seconds: Double
    /// The floating-point operations of one run, counted from its loop nest.
    public var floatingPointOperations: Int

    /// Billions of floating-point operations per second.
    public var gigaflopsPerSecond: Double { seconds > 0 ? Double(floatingPointOperations) / seconds / 1e9 : 0 }
}

extension JITExecutable {
    /// Runs the program `runs` times kernel by kernel (each split over the threads as usual), timing every
    /// kernel on its own, and returns the mean time of each in run order.
    ///
    /// Kernels read the inputs already in memory; a training step updates the parameters on every run.
    public func profile(runs: Int) -> [KernelProfile] {
        precondition(runs > 0, "profiling needs at least one run")
        var totals = [Double](repeating: 0, count: tasks.count)
        let clock = ContinuousClock()
        for _ in 0..<runs {
            for index in tasks.indices {
                let start = clock.now
                runKernel(index)
                totals[index] += (clock.now - start).seconds
            }
        }
        return zip(program.kernels, totals).map { kernel, total in
            KernelProfile(
                name: kernel.name, seconds: total / Double(runs),
                floatingPointOperations: kernel.floatingPointOperations)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
