import Foundation
import NetcGraph
import NetcLoops

/// How the JIT compiles a graph.
public struct CompilationOptions: Hashable, Sendable {
    /// LLVM's optimisation level.
    public var optimization: OptimizationLevel
    /// Whether dead buffers are reused; off keeps every intermediate in memory for inspection.
    public var reusesMemory: Bool
    /// How many threads run each kernel (at least 1); results are identical for every count.
    public var threads: Int
    /// The CPU the code is compiled for; the host must be able to run it.
    public var target: HostTarget
    /// Tuned schedules (`netc tune`); kernels without one get the heuristic's.
    public var schedules: ScheduleTable
    /// Where object code compiled before is kept and looked up; nil compiles everything afresh.
    public var codeCache: CodeCache?

    /// Creates options; the defaults are what training uses, with a thread per available processor
    /// (``Processors/available``).
    public init(
        optimization: OptimizationLevel = .aggressive, reusesMemory: Bool = true,
        threads: Int = Processors.available, target: HostTarget = .current,
        schedules: ScheduleTable = ScheduleTable(), codeCache: CodeCache? = nil
    ) {
        self.optimization = optimization
        self.reusesMemory = reusesMemory
        self.threads = max(1, threads)
        self.target = target
        self.schedules = schedules
        self.codeCache = codeCache
    }

    /// The loop pipeline these options compile with.
    public var pipeline: LoopPipeline {
        LoopPipeline(reusesMemory: reusesMemory, target: target.description, schedules: schedules)
    }
}

/// The compiling backend: fuses a graph into loop nests, emits LLVM IR, and JIT-compiles it for the host.
public struct JITBackend: Backend {
    /// How graphs are compiled.
    public var options: CompilationOptions

    /// Creates a JIT backend.
    public init(options: CompilationOptions = CompilationOptions()) {
        self.options = options
    }

    /// `jit`.
    public var name: String { "jit" }

    /// Compiles a graph and returns it ready to run, with parameters and state set to
    /// `graph.initialValues(seed:)`.
    ///
    /// - Throws: `LLVMError` when LLVM cannot compile the module (a compiler bug).
    public func prepare(_ graph: Graph, seed: UInt64) throws -> any Executable {
        try compile(graph, seed: seed)
    }

    /// Prepares an inference graph for `batch` images as micro-batches of `inferenceMicroBatch(for:imageBytes:)`
    /// images (`MicroBatchedInference`), or in one pass when that is the whole batch.
    public func prepareInference(batch: Int, seed: UInt64, graph: (Int) throws -> Graph) throws -> any Executable {
        let whole = try graph(batch)
        let microBatch = inferenceMicroBatch(for: batch, of: whole)
        guard microBatch < batch else { return try compile(whole, seed: seed) }
        return try MicroBatchedInference(graph: whole, microGraph: graph(microBatch), options: options, seed: seed)
    }

    /// The images per micro-batch for inference over `batch` images whose largest activation takes `imageBytes`
    /// per image (`Graph.largestActivationBytesPerImage`): as many as keep that activation within the target's
    /// second-level cache, but at least `fewestImagesPerPass` and at most `mostImagesPerPass`, and few enough that
    /// every thread gets a micro-batch.
    ///
    /// On the 2-core Xeon of the closing notes (2 MiB of L2 per core), one thread infers 15,100 images/s of the
    /// reference network (100 KB per image after its first convolution) in passes of 100 images against 10,700 in
    /// one pass of 1,000; two threads in passes of 50 infer about 8-15 % more than in passes of 100, with 256-bit
    /// and 512-bit code (smaller passes: `fewestImagesPerPass`).
    public func inferenceMicroBatch(for batch: Int, imageBytes: Int) -> Int {
        let fitting = options.target.description.cacheBytes.level2 / max(1, imageBytes)
        let pass = min(Self.mostImagesPerPass, max(Self.fewestImagesPerPass, fitting))
        return min(batch, pass, (batch + options.threads - 1) / options.threads)
    }

    /// The fewest images per inference pass. Each pass reloads every weight and starts every loop nest again; on
    /// the Xeon of the closing notes, with the weights packed once per thread and each size's schedules tuned,
    /// passes of 20 or 32 images (which would fit its L2) were no faster than passes of 50 with 256-bit or 512-bit
    /// code (medians of 5 interleaved rounds: within ±17 %, the rounds themselves a fifth apart).
    public static let fewestImagesPerPass = 50

    /// The most images per inference pass.
    public static let mostImagesPerPass = 100

    /// `inferenceMicroBatch(for:imageBytes:)` for `whole`, an inference graph of `batch` images.
    public func inferenceMicroBatch(for batch: Int, of whole: Graph) -> Int {
        inferenceMicroBatch(for: batch, imageBytes: whole.largestActivationBytesPerImage)
    }

    /// `prepare(_:seed:)` with the concrete type, for callers that want the compile time or the fast path.
    public func compile(_ graph: Graph, seed: UInt64) throws(LLVMError) -> JITExecutable {
        try JITExecutable(graph: graph, options: options, seed: seed)
    }
}
