import ArgumentParser
import Foundation
import NetcGraph
import NetcLLVM
import NetcLoops

/// `netc tune`: times every candidate schedule of the model's convolution kernels on this machine and keeps the
/// fastest in the schedule cache, which every later compilation for this CPU and target reads.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract:
            "Measure the model's convolution and linear kernels under every candidate schedule; cache the fastest.",
        discussion: """
            For each convolution and linear kernel of the training step (forward, input gradient, weight gradient) at \
            --batch-size on --threads threads, and of inference as it runs a batch of --inference-batch images \
            (micro-batches of 50 to 100 images sized to the target's L2, each on one thread), compiles the kernel \
            alone with every schedule of the target's space (vector width, register tile, parallel loop), runs each \
            on random data, and stores the winner in the schedule cache under this CPU's model and the target. \
            Compiling for the same CPU and target then uses the cached schedules; kernels not in the cache get the \
            built-in heuristic's. The candidates' object code goes to the code cache (--code-cache), so tuning \
            again with the same netc on the same CPU mostly times them.
            """)

    @OptionGroup var options: ModelOptions
    @OptionGroup var targetOptions: TargetOptions

    @Option(name: .customLong("batch-size"), help: "Images per training step.")
    var batchSize = 100

    @Option(name: .customLong("inference-batch"), help: "Images per inference run.")
    var inferenceBatch = 1000

    @Option(help: "Threads running each kernel (default: one per core).")
    var threads = Processors.available

    @Option(help: "Tune only the kernels whose signature contains this text (e.g. 'dx 100x32x28x28').")
    var only: String?

    @Flag(
        name: .customLong("allow-winograd-4x4"),
        help: """
            Also time Winograd's F(4×4, 3×3) for 3×3 convolutions at stride 1: faster still where it is chosen, but \
            its rounding error is several times direct convolution's (see README), so it is off unless asked for.
            """)
    var allowsWinograd4x4 = false

    @Flag(help: "Print every candidate's time, not only the winner's.")
    var verbose = false

    func validate() throws {
        for (flag, value) in [
            ("--batch-size", batchSize), ("--inference-batch", inferenceBatch), ("--threads", threads),
        ]
        where value < 1 {
            throw ValidationError("\(flag) must be positive, found \(value)")
        }
        if targetOptions.scheduleCache == "none" {
            throw ValidationError("netc tune writes the schedule cache; give it a file, not 'none'")
        }
    }

    func run() throws {
        try targetOptions.checkRunsHere()
        let training = try options.load(batchSize: batchSize, mode: .training)
        let whole = try options.load(batchSize: inferenceBatch, mode: .inference).graph
        let microBatch = JITBackend(options: CompilationOptions(threads: threads, target: targetOptions.hostTarget))
            .inferenceMicroBatch(for: inferenceBatch, of: whole)
        let inference = try options.load(batchSize: microBatch, mode: .inference)
        let trainingSignatures = KernelSignature.all(in: training.trainingStep(optimizer: .adam(AdamAttributes())))
        var signatures =
            trainingSignatures + KernelSignature.all(in: inference.graph).filter { !trainingSignatures.contains($0) }
        if let only { signatures = signatures.filter { $0.description.contains(only) } }
        let target = targetOptions.hostTarget
        let codeCache = targetOptions.compiledCode
        let algorithms = ScheduleSpace.strictAlgorithms.union(allowsWinograd4x4 ? [.winograd4x4] : [])
        let tuners = (
            training: Tuner(target: target, threads: threads, codeCache: codeCache, algorithms: algorithms),
            inference: Tuner(target: target, threads: 1, codeCache: codeCache, algorithms: algorithms)
        )
        let cpu = HostCPU.current
        Self.say("tuning \(signatures.count) kernels on \(cpu.modelName) for \(target.description.name)")
        let clock = ContinuousClock()
        let start = clock.now
        var winners: [ScheduleCache.Entry] = []
        for (number, signature) in signatures.enumerated() {
            let tuner = trainingSignatures.contains(signature) ? tuners.training : tuners.inference
            let measured = try tuner.measure(signature)
            guard let best = measured.first else { continue }
            if verbose {
                for candidate in measured {
                    Self.say(
                        String(
                            format: "    %@ %.1f µs, %.0f GFLOP/s", candidate.schedule.description,
                            candidate.seconds * 1e6, candidate.gigaflopsPerSecond))
                }
            }
            let heuristic = ScheduleSpace.heuristic(for: signature, on: target.description)
            let baseline = measured.first { $0.schedule == heuristic }?.seconds ?? best.seconds
            Self.say(
                String(
                    format: "[%d/%d] %@: %@ %.1f µs, %.0f GFLOP/s (heuristic %@ %.1f µs), %d candidates", number + 1,
                    signatures.count, signature.description, best.schedule.description, best.seconds * 1e6,
                    best.gigaflopsPerSecond, heuristic.description, baseline * 1e6, measured.count))
            winners.append(
                ScheduleCache.Entry(
                    cpu: cpu.key, target: target.description.name, signature: signature, schedule: best.schedule,
                    microseconds: best.seconds * 1e6))
        }
        try targetOptions.cache.store(winners)
        let elapsed = clock.now - start
        Self.say(
            String(
                format: "%d schedules written to %@ in %.1f s", winners.count, targetOptions.cache.path,
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
    }

    /// Prints a line of progress at once, even into a pipe.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
