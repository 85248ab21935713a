import Dispatch
import NetcGraph
import NetcLoops
import Synchronization

/// Inference over a large batch as independent micro-batches, each run start to finish by one thread.
///
/// Inference treats every image on its own, so a batch of N images can run as N / m passes of the graph compiled
/// for m images. Each thread takes the next micro-batch, copies its images into its own workspace, runs every
/// kernel over it and copies its outputs out: the activations of m images stay in the core's caches from one
/// layer to the next, where a whole-batch pass streams every activation through memory between layers, and the
/// threads never wait for each other between kernels. One compiled program serves every thread; they share its
/// parameters and state, which inference only reads.
///
/// Each thread prepares the parameters (packs the weights: `LoopProgram.parameterOnlyKernels`) in its own workspace
/// once, and again after they change.
///
/// A last micro-batch with fewer than m images runs with the rest of its inputs zeroed. Each image's outputs are
/// computed by the same code whatever thread runs it and whichever micro-batch holds it, so results do not depend
/// on the thread count.
public final class MicroBatchedInference: Executable {
    /// The whole-batch graph this executable stands for.
    public let graph: Graph
    /// The images per micro-batch.
    public let microBatch: Int
    /// The micro-batch graph's compiled code, which also holds the parameters and state every thread reads.
    public let compiled: JITExecutable
    /// The number of threads taking micro-batches.
    public let threads: Int

    /// Whether `run` checks every kernel's results (micro-batch by micro-batch, on one thread) and throws
    /// `NumericalFault` at the first NaN or infinity.
    public var checksNumerics = false

    private let batch: Int
    /// The workspace and inputs and outputs of each thread after the first, which uses `compiled`'s own.
    private let replicas: [ArenaSet]
    private let imageView: TensorView
    private let outputViews: [(name: String, view: TensorView)]
    /// The whole batch's images and outputs, as float32 elements.
    private let images: UnsafeMutableBufferPointer<Float>
    private let outputs: [String: UnsafeMutableBufferPointer<Float>]
    /// For each thread, the parameters' generation (`JITExecutable.persistentGeneration`) its workspace holds the
    /// packed weights of, or −1.
    private let preparedGenerations: UnsafeMutableBufferPointer<Int>

    /// Compiles `microGraph`, the inference graph of `graph`'s network for `microBatch` images, to run `graph`'s
    /// batch on `options.threads` threads.
    ///
    /// - Precondition: both graphs read images only, update nothing, and every output of the micro-batch graph
    ///   has the micro-batch as its first dimension and float32 elements.
    public init(graph: Graph, microGraph: Graph, options: CompilationOptions, seed: UInt64) throws(LLVMError) {
        var singleThread = options
        singleThread.threads = 1
        compiled = try JITExecutable(graph: microGraph, options: singleThread, seed: seed)
        let plan = compiled.program.memory
        guard let imageView = plan.inputs[.images], plan.inputs.count == 1,
            let wholeImages = graph.input(.images).map({ graph[$0].type.shape }), let batch = wholeImages.first,
            let microBatch = imageView.type.shape.first
        else { preconditionFailure("micro-batched inference reads images and nothing else") }
        precondition(wholeImages.dropFirst() == imageView.type.shape.dropFirst(), "the same image shape")
        self.graph = graph
        self.batch = batch
        self.microBatch = microBatch
        self.imageView = imageView
        self.threads = max(1, min(options.threads, (batch + microBatch - 1) / microBatch))
        replicas = (1..<threads).map { _ in ArenaSet(plan) }
        outputViews = plan.outputs.sorted { $0.key < $1.key }.map { (name: $0.key, view: $0.value) }
        for (name, view) in outputViews {
            precondition(
                view.type.dtype == .float32 && view.type.shape.first == microBatch,
                "output \(name) has one float32 row per image")
        }
        preparedGenerations = .allocate(capacity: threads)
        preparedGenerations.initialize(repeating: -1)
        images = .allocate(capacity: batch * (imageView.type.elementCount / microBatch))
        images.initialize(repeating: 0)
        outputs = Dictionary(
            uniqueKeysWithValues: outputViews.map { name, view in
                let rows = UnsafeMutableBufferPointer<Float>.allocate(
                    capacity: batch * view.type.elementCount / microBatch)
                rows.initialize(repeating: 0)
                return (name, rows)
            })
    }

    deinit {
        images.deallocate()
        preparedGenerations.deallocate()
        for rows in outputs.values { rows.deallocate() }
    }

    /// Runs the graph on the whole batch: writes the images, runs every micro-batch, reads the outputs.
    ///
    /// - Throws: `InputError` for missing or mistyped images; `NumericalFault` when checking numerics and a kernel
    ///   wrote a NaN or an infinity.
    public func run(_ inputs: [InputKind: Tensor]) throws -> [String: Tensor] {
        let type = graph[graph.input(.images)!].type
        guard let given = inputs[.images] else { throw InputError.missingInput(.images, expected: type) }
        guard given.type == type else {
            throw InputError.inputTypeMismatch(.images, expected: type, actual: given.type)
        }
        for (index, value) in given.scalars.enumerated() { images[index] = Float(value) }
        if checksNumerics { try runCheckingNumerics() } else { runWrittenInputs() }
        return Dictionary(
            uniqueKeysWithValues: outputViews.map { name, view in
                let rows = outputs[name]!
                let shape = [batch] + view.type.shape.dropFirst()
                return (name, Tensor(TensorType(.float32, shape), rows.map(Double.init)))
            })
    }

    /// The whole batch's images, float32 in the graph's layout, to fill in place before `runWrittenInputs()`.
    public var imageAddress: UnsafeMutablePointer<Float> { images.baseAddress! }

    /// The whole batch's rows of a named output after a run; nil when the graph has no such output.
    public func outputAddress(_ name: String) -> UnsafePointer<Float>? {
        outputs[name].map { UnsafePointer($0.baseAddress!) }
    }

    /// Runs every micro-batch of the images already written, the threads taking them in turn.
    public func runWrittenInputs() {
        let next = Atomic<Int>(0)
        let count = (batch + microBatch - 1) / microBatch
        let generation = compiled.persistentGeneration
        // Each thread writes only its own replica, its prepared generation and the rows of the micro-batches it took;
        // the compiled code and the parameters are only read.
        nonisolated(unsafe) let shared = self
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let arenas = thread == 0 ? shared.compiled.arenas : shared.replicas[thread - 1]
            let prepared = shared.preparedGenerations.baseAddress! + thread
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let first = index * shared.microBatch
                let images = min(shared.microBatch, shared.batch - first)
                shared.copyImages(first: first, count: images, into: arenas)
                shared.compiled.runSerially(on: arenas, reusingPreparation: prepared.pointee == generation)
                shared.copyOutputs(first: first, count: images, from: arenas)
                prepared.pointee = generation
            }
        }
    }

    /// Every micro-batch in turn on the calling thread, through the compiled code's numerics check.
    private func runCheckingNumerics() throws {
        for first in stride(from: 0, to: batch, by: microBatch) {
            let images = min(microBatch, batch - first)
            copyImages(first: first, count: images, into: compiled.arenas)
            try compiled.runCheckingNumerics()
            copyOutputs(first: first, count: images, from: compiled.arenas)
        }
    }

    private func copyImages(first: Int, count: Int, into arenas: ArenaSet) {
        let perImage = imageView.type.elementCount / microBatch
        let destination = arenas.address(of: imageView).assumingMemoryBound(to: Float.self)
        destination.update(from: images.baseAddress! + first * perImage, count: count * perImage)
        (destination + count * perImage).update(repeating: 0, count: (microBatch - count) * perImage)
    }

    private func copyOutputs(first: Int, count: Int, from arenas: ArenaSet) {
        for (name, view) in outputViews {
            let perImage = view.type.elementCount / microBatch
            let source = arenas.address(of: view).assumingMemoryBound(to: Float.self)
            (outputs[name]!.baseAddress! + first * perImage).update(from: source, count: count * perImage)
        }
    }

    /// A parameter or state tensor's value, by name.
    public func persistent(named name: String) -> Tensor? { compiled.persistent(named: name) }

    /// Replaces a parameter or state tensor's value for every thread.
    ///
    /// - Throws: `PersistentTensorError` when the graph has no such tensor or the value's type differs.
    public func setPersistent(named name: String, to value: Tensor) throws {
        try compiled.setPersistent(named: name, to: value)
    }
}
