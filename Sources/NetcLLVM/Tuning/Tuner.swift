import Foundation
import NetcGraph
import NetcLoops

/// Chooses schedules by measurement, as AutoTVM and oneDNN do: for one kernel signature it compiles the kernel with
/// every candidate schedule of the target (`ScheduleSpace.candidates`), runs each on random data on the threads
/// training uses, and ranks them by their best time.
public struct Tuner: Sendable {
    /// The CPU the code is compiled for (the host must run it).
    public var target: HostTarget
    /// Threads running each kernel, as in training.
    public var threads: Int
    /// Timed runs per candidate (after one warm-up run); the fastest counts.
    public var runs: Int
    /// Where the candidates' object code is kept and looked up, as for every other compilation: most of tuning is
    /// LLVM compiling candidates, so tuning again with the same compiler on the same CPU only times them.
    public var codeCache: CodeCache?

    /// One candidate's result.
    public struct Measurement: Hashable, Sendable {
        /// The schedule.
        public var schedule: Schedule
        /// Its fastest run, in seconds.
        public var seconds: Double
        /// The floating-point operations a run executes (`Kernel.floatingPointOperations` of its kernels).
        public var floatingPointOperations: Int

        /// The executed arithmetic per second of the fastest run, in GFLOP/s.
        public var gigaflopsPerSecond: Double { seconds > 0 ? Double(floatingPointOperations) / seconds / 1e9 : 0 }
    }

    /// The algorithms whose schedules are timed (`ScheduleSpace.strictAlgorithms` unless asked for more).
    public var algorithms: Set<Schedule.Algorithm>

    /// Creates a tuner.
    public init(
        target: HostTarget = .current, threads: Int = Processors.available, runs: Int = 7,
        codeCache: CodeCache? = nil, algorithms: Set<Schedule.Algorithm> = ScheduleSpace.strictAlgorithms
    ) {
        self.target = target
        self.algorithms = algorithms
        self.threads = max(1, threads)
        self.runs = max(1, runs)
        self.codeCache = codeCache
    }

    /// Every candidate of `signature` timed, fastest first, then, where the kernel can stream its output
    /// (`ScheduleSpace.streamingTwin`) and each thread's share of it outgrows the thread's L2 (a smaller share is
    /// still there when the next kernel reads it), the fastest one timed again against its streaming twin in the
    /// same rounds. Only the winner's twin is compiled: that costs a compilation per kernel, and whether bypassing the
    /// caches pays depends on where the output goes, not on the tile (on the Zen 3, every twin of the first
    /// convolution was slower than its cached tile, by 1.2-5.5×).
    public func measure(_ signature: KernelSignature) throws(LLVMError) -> [Measurement] {
        let schedules = ScheduleSpace.candidates(for: signature, on: target.description, algorithms: algorithms)
        let measurements = try time(schedules, of: signature)
        let graph = signature.graph
        let outputBytes =
            graph.outputs.first.map { graph.type(of: $0.value) }.map { $0.elementCount * $0.dtype.byteCount } ?? 0
        guard outputBytes > threads * target.description.cacheBytes.level2, let fastest = measurements.first,
            let twin = ScheduleSpace.streamingTwin(of: fastest.schedule, for: signature)
        else { return measurements }
        return try (time([fastest.schedule, twin], of: signature) + measurements.dropFirst()).sorted {
            $0.seconds < $1.seconds
        }
    }

    /// `schedules` of `signature`'s kernel timed, fastest first. They are compiled on every core at once, then
    /// timed one after another.
    private func time(_ schedules: [Schedule], of signature: KernelSignature) throws(LLVMError) -> [Measurement] {
        let graph = signature.graph
        var compiled = [Result<JITExecutable, LLVMError>?](repeating: nil, count: schedules.count)
        compiled.withUnsafeMutableBufferPointer { slots in
            // Each iteration writes only its own slot.
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: schedules.count) { index in
                let options = CompilationOptions(
                    threads: threads, target: target, schedules: ScheduleTable(tuned: [signature: schedules[index]]),
                    codeCache: codeCache)
                slots[index] = Result { () throws(LLVMError) in try JITBackend(options: options).compile(graph, seed: 1)
                }
            }
        }
        let executables = try compiled.map { slot throws(LLVMError) -> JITExecutable in
            guard let slot else { preconditionFailure("every candidate is compiled") }
            let executable = try slot.get()
            executable.runEveryKernel()
            return executable
        }
        // Rounds over every candidate in turn, keeping each one's fastest run: a burst of load from elsewhere
        // slows whichever candidate it hits in one round only.
        var best = [Double](repeating: .infinity, count: executables.count)
        let clock = ContinuousClock()
        for _ in 0..<runs {
            for (index, executable) in executables.enumerated() {
                let start = clock.now
                executable.runEveryKernel()
                best[index] = min(best[index], (clock.now - start).seconds)
            }
        }
        let measurements = schedules.indices.map { index in
            let kernels = executables[index].program.kernels
            return Measurement(
                schedule: schedules[index], seconds: best[index],
                floatingPointOperations: kernels.reduce(0) { $0 + $1.floatingPointOperations })
        }
        return measurements.sorted { $0.seconds < $1.seconds }
    }
}
