import ArgumentParser
import Foundation
import NetcGraph
import NetcLLVM
import NetcRuntime

/// `netc bench`: compile time, training and inference throughput, peak memory and a per-kernel profile of
/// the JIT-compiled model, as one JSON object.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the compiled model's speed and print it as one JSON object.",
        discussion: """
            Training runs Adam steps on a synthetic dataset (random images of the model's shape): "step" times the \
            compiled step alone, "pipeline" adds what training does per batch (the reference augmentation of \
            every image, normalisation, writing the batch into the compiled code's input memory) and "batch_assembly" \
            times that preparation alone, on the threads that run the step. Inference runs \
            the batch as micro-batches ("inference_micro_batch" images), each on one thread from start to end. \
            The profiles time each kernel on its own: of the training step on --threads, of one inference \
            micro-batch on one thread; GFLOP/s count the arithmetic the \
            loop nests execute (not the padding they skip). "fma_peak_gflops" is this machine's multiply-add peak, \
            measured by a JIT-compiled loop with 256- and 512-bit vectors on one thread and on --threads; \
            "fraction_of_peak" divides the step's and inference's GFLOP/s by the best of those on --threads. With \
            --data, "data" gives how long reading that data takes (checked against the model, best of 3 reads).
            """)

    @OptionGroup var options: ModelOptions
    @OptionGroup(title: "Code generation") var target: TargetOptions

    @Option(help: "Images per training step.")
    var batch = 100

    @Option(name: .customLong("inference-batch"), help: "Images per inference run.")
    var inferenceBatch = 1000

    @Option(help: "Threads running each kernel (default: one per core).")
    var threads = Processors.available

    @Option(help: "Training steps measured (after one warm-up step); inference runs a tenth as many batches.")
    var steps = 30

    @Option(help: "Also time reading this data (a file, or a folder holding train.*), checked against the model.")
    var data: String?

    func validate() throws {
        for (flag, value) in [
            ("--batch", batch), ("--inference-batch", inferenceBatch), ("--threads", threads), ("--steps", steps),
        ]
        where value < 1 {
            throw ValidationError("\(flag) must be positive, found \(value)")
        }
    }

    func run() throws {
        let compilation = try target.compilation(threads: threads)
        let training = try options.load(batchSize: batch, mode: .training)
        let dataLoad = try data.map {
            try Self.dataLoadReport($0, expecting: DataExpectation(training.spec, modelPath: options.model))
        }
        let step = try JITBackend(options: compilation).compile(
            training.trainingStep(optimizer: .adam(AdamAttributes())), seed: 1)
        let pipeline = SyntheticPipeline(step: step, batch: batch, spec: training.spec)
        pipeline.assemble(batchNumber: 0)
        step.runWrittenInputs()
        let stepSeconds = Self.seconds { for _ in 0..<steps { step.runWrittenInputs() } }
        let pipelineSeconds = Self.seconds {
            for number in 1...steps {
                pipeline.assemble(batchNumber: number)
                step.runWrittenInputs()
            }
        }
        let assemblySeconds = Self.seconds { for number in 1...steps { pipeline.assemble(batchNumber: number) } }
        let profile = step.profile(runs: max(1, steps / 3))
        let whole = try options.load(batchSize: inferenceBatch, mode: .inference).graph
        let microBatch = JITBackend(options: compilation).inferenceMicroBatch(for: inferenceBatch, of: whole)
        let inference = try MicroBatchedInference(
            graph: whole, microGraph: options.load(batchSize: microBatch, mode: .inference).graph,
            options: compilation, seed: 1)
        inference.runWrittenInputs()
        let inferenceRuns = max(1, steps / 10)
        let inferenceSeconds = Self.seconds { for _ in 0..<inferenceRuns { inference.runWrittenInputs() } }
        let inferenceProfile = inference.compiled.profile(runs: inferenceRuns)
        let microBatches = (inferenceBatch + microBatch - 1) / microBatch
        let peaks = try Self.fmaPeaks(threads: threads)
        let peak = peaks.values.compactMap { $0["\(threads)"] }.max() ?? .infinity
        let stepRate =
            Double(step.program.kernels.reduce(0) { $0 + $1.floatingPointOperations }) * Double(steps)
            / stepSeconds / 1e9
        let inferenceRate =
            Double(inference.compiled.program.kernels.reduce(0) { $0 + $1.floatingPointOperations })
            * Double(microBatches * inferenceRuns) / inferenceSeconds / 1e9
        let machine = compilation.target
        let report: [String: Any] = [
            "model": options.model, "batch": batch, "inference_batch": inferenceBatch, "threads": step.threads,
            "inference_micro_batch": microBatch,
            "cpu": HostCPU.current.modelName, "cpu_id": HostCPU.current.key,
            "target": [
                "name": machine.description.name, "llvm_cpu": machine.cpuName,
                "vector_bits": machine.description.vectorBits,
                "widest_vector_bits": machine.description.widestVectorBits,
                "vector_registers": machine.description.vectorRegisters,
                "tuned_schedules": compilation.schedules.tuned.count,
            ],
            "fma_peak_gflops": peaks,
            "gflops_per_second": ["step": stepRate, "inference": inferenceRate],
            "fraction_of_peak": ["step": stepRate / peak, "inference": inferenceRate / peak],
            "kernels": step.program.kernels.count,
            "modules_from_code_cache": [
                "training_step": "\(step.cachedModules) of \(step.modules)",
                "inference": "\(inference.compiled.cachedModules) of \(inference.compiled.modules)",
            ],
            "compile_seconds": [
                "training_step": step.compileTime.seconds, "inference": inference.compiled.compileTime.seconds,
            ],
            "training_images_per_second": [
                "step": Double(steps * batch) / stepSeconds, "pipeline": Double(steps * batch) / pipelineSeconds,
                "batch_assembly": Double(steps * batch) / assemblySeconds,
            ],
            "inference_images_per_second": Double(inferenceRuns * inferenceBatch) / inferenceSeconds,
            "peak_rss_megabytes": Self.peakResidentMegabytes(),
            "profile": Self.report(profile),
            "inference_profile": Self.report(inferenceProfile),
        ]
        let json = try JSONSerialization.data(
            withJSONObject: report.merging(dataLoad.map { ["data": $0] } ?? [:]) { $1 },
            options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// The kernels from slowest to fastest, each with its time, share of the total and GFLOP/s.
    private static func report(_ profile: [KernelProfile]) -> [[String: Any]] {
        let total = profile.reduce(0) { $0 + $1.seconds }
        return profile.sorted { $0.seconds > $1.seconds }.map {
            [
                "kernel": $0.name, "milliseconds": $0.seconds * 1e3, "share": $0.seconds / total,
                "gflops_per_second": $0.gigaflopsPerSecond,
            ]
        }
    }

    /// The multiply-add peak in GFLOP/s by vector width (`"256"`, `"512"`) and thread count (1 and `threads`).
    private static func fmaPeaks(threads: Int) throws -> [String: [String: Double]] {
        var peaks: [String: [String: Double]] = [:]
        for bits in [256, 512] {
            for count in Set([1, threads]).sorted() {
                if let rate = try FMAPeak.measure(vectorBits: bits, threads: count) {
                    peaks["\(bits)", default: [:]]["\(count)"] = rate
                }
            }
        }
        return peaks
    }

    private static func seconds(_ work: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The process's peak resident memory so far (`getrusage`; Linux reports kilobytes).
    private static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// What the trainer does for each batch, on synthetic data: augment each image (the reference policy),
/// normalise it, and write it and its label straight into the step's input memory.
private struct SyntheticPipeline {
    let step: JITExecutable
    let batch: Int
    let dataset: Dataset
    let augmenter: Augmenter
    let normalization = Normalization(mean: 0.1307, std: 0.3081)

    /// A pipeline feeding `step` batches of `batch` random images of the shape `spec` takes, labelled with its
    /// classes in turn.
    init(step: JITExecutable, batch: Int, spec: NetworkSpec) {
        self.step = step
        self.batch = batch
        let generator = Philox(seed: 3)
        let count = 4 * batch
        let pixels = (0..<count * spec.input.elementCount).map {
            UInt8(truncatingIfNeeded: generator.word(stream: 1, step: 0, index: UInt32($0)))
        }
        dataset = Dataset(shape: spec.input, pixels: .uint8(pixels), labels: (0..<count).map { $0 % spec.classes })
        augmenter = Augmenter(seed: 1, imageSize: spec.input.plane)
    }

    /// Writes batch `number` (images cycling through the dataset) and the step's scalar inputs.
    func assemble(batchNumber number: Int) {
        guard let images = step.inputAddress(.images), let labelMemory = step.inputAddress(.labels) else {
            preconditionFailure("a training step reads images and labels")
        }
        let size = dataset.shape.elementCount
        nonisolated(unsafe) let output = images.bindMemory(to: Float.self, capacity: batch * size)
        nonisolated(unsafe) let labels = labelMemory
        let (scale, shift) = (
            Float(1 / (255 * normalization.std[0])), Float(normalization.mean[0] / normalization.std[0])
        )
        let (batch, dataset, augmenter) = (batch, dataset, augmenter)
        // The images of a batch are prepared on the threads that run the step, each chunk its own slots.
        step.runOnThreads(count: batch) { slots in
            for slot in slots {
                let index = (number * batch + slot) % dataset.count
                let image = UnsafeMutableBufferPointer(start: output + slot * size, count: size)
                augmenter.augment(dataset, image: index, fold: 0, epoch: number, into: image)
                for offset in 0..<size { image[offset] = image[offset] * scale - shift }
                labels.storeBytes(of: Int32(dataset.labels?[index] ?? 0), toByteOffset: slot * 4, as: Int32.self)
            }
        }
        step.inputAddress(.learningRate)?.storeBytes(of: Float(1e-4), as: Float.self)
        step.inputAddress(.step)?.storeBytes(of: Int64(number + 1), as: Int64.self)
        step.inputAddress(.seed)?.storeBytes(of: Int64(1), as: Int64.self)
    }
}
