import Foundation
import NetcGraph
import NetcLoops

/// A graph compiled to native code, holding its arenas (workspace, parameters, state, inputs) between runs.
public final class JITExecutable: Executable, KernelStepping {
    /// The graph as given.
    public let graph: Graph
    /// The kernels and memory plan it was compiled from.
    public let program: LoopProgram
    /// Wall-clock time from graph to callable code: fusion, lowering, LLVM optimisation and JIT compilation.
    public let compileTime: Duration
    /// The number of modules the kernels were compiled in, and how many of them came from the code cache.
    public let modules: Int, cachedModules: Int

    /// Whether `run` scans each kernel's results and throws `NumericalFault` at the first NaN or infinity.
    public var checksNumerics = false

    /// The number of threads each kernel's parallel range is split over.
    public var threads: Int { pool.threads }

    private let session: JITSession
    /// Each kernel's task, in run order.
    let tasks: [WorkerPool.Task]
    /// Each kernel's parallel range (`Kernel.parallelExtent`, 1 without one), found once: walking a kernel's
    /// statements on every run cost the training loop about 1 % of its time.
    private let extents: [Int]
    let pool: WorkerPool
    let arenas: ArenaSet
    /// The number of classes each label must be below, when the graph reads labels.
    private let classes: Int?
    /// Counts the writes that may change what the parameter-only kernels (`LoopProgram.parameterOnlyKernels`)
    /// compute: a new parameter or state value, a buffer written by hand, a kernel run alone.
    private(set) var persistentGeneration = 0
    /// The `persistentGeneration` whose parameter-only results the workspace holds, if any.
    private var preparedGeneration: Int?

    init(graph: Graph, options: CompilationOptions, seed: UInt64) throws(LLVMError) {
        let clock = ContinuousClock()
        let start = clock.now
        self.graph = graph
        program = options.pipeline.program(for: graph)
        session = try JITSession(target: options.target)
        let compiled = try ParallelCompiler.compile(
            program, into: session, target: options.target, optimization: options.optimization,
            threads: options.threads, cache: options.codeCache)
        (modules, cachedModules) = (compiled.modules, compiled.cachedModules)
        tasks = compiled.addresses.map { unsafeBitCast($0, to: WorkerPool.Task.self) }
        extents = program.kernels.map { $0.parallelExtent ?? 1 }
        compileTime = clock.now - start
        pool = WorkerPool(threads: options.threads)
        arenas = ArenaSet(program.memory)
        classes = graph.labelClasses
        for (name, value) in graph.initialValues(seed: seed) {
            guard let view = program.memory.persistent[name] else { continue }
            arenas.write(value, to: view)
        }
    }

    /// Runs the graph once: writes the inputs, runs the compiled code (which applies the updates in place),
    /// and reads the outputs.
    ///
    /// - Throws: `InputError` for a missing or mistyped input or a label outside the classes; `NumericalFault`
    ///   when checking numerics and a kernel wrote a NaN or an infinity.
    public func run(_ inputs: [InputKind: Tensor]) throws -> [String: Tensor] {
        try writeInputs(inputs)
        if checksNumerics { try runCheckingNumerics() } else { runWrittenInputs() }
        return program.memory.outputs.mapValues { arenas.read($0) }
    }

    /// The current value of a parameter or state tensor, by name.
    public func persistent(named name: String) -> Tensor? {
        program.memory.persistent[name].map { arenas.read($0) }
    }

    /// Replaces a parameter or state tensor's value.
    ///
    /// - Throws: `PersistentTensorError` when the graph has no such tensor or the value's type differs.
    public func setPersistent(named name: String, to value: Tensor) throws {
        guard let view = program.memory.persistent[name] else {
            throw PersistentTensorError(name: name, message: "the graph has no parameter or state of this name")
        }
        guard view.type == value.type else {
            throw PersistentTensorError(name: name, message: "has type \(value.type); the graph expects \(view.type)")
        }
        arenas.write(value, to: view)
        persistentGeneration += 1
    }

    // MARK: Fast path

    /// The memory of an input, to fill in place before `runWrittenInputs()` (floats for images and the
    /// learning rate, `Int32` labels, `Int64` step and seed); nil when the graph does not read it.
    ///
    /// Labels written here are not checked: each must be in `0..<classes`.
    public func inputAddress(_ kind: InputKind) -> UnsafeMutableRawPointer? {
        program.memory.inputs[kind].map { arenas.address(of: $0) }
    }

    /// The memory of a named output after a run (floats); nil when the graph has no such output.
    public func outputAddress(_ name: String) -> UnsafeRawPointer? {
        program.memory.outputs[name].map { UnsafeRawPointer(arenas.address(of: $0)) }
    }

    /// Runs the compiled code on the inputs already in memory: each kernel in order, its parallel range split
    /// over the threads. An inference program packs its weights (`LoopProgram.parameterOnlyKernels`) on the first
    /// run and again only after a parameter or state tensor changed (`setPersistent(named:to:)`).
    public func runWrittenInputs() {
        let prepared = preparedGeneration == persistentGeneration
        for index in tasks.indices where !(prepared && program.parameterOnlyKernels.contains(index)) {
            runKernel(index)
        }
        preparedGeneration = persistentGeneration
        pool.rest()
    }

    /// Runs `body` over `0..<count` in chunks on the threads that run the kernels (the caller's among them) and
    /// returns when all are done: Swift work between runs, such as preparing the next batch, without waking other
    /// threads while this executable's workers sit idle. Chunks may run in any order on any of the threads.
    public func runOnThreads(count: Int, _ body: (Range<Int>) -> Void) {
        pool.run(extent: count, body)
    }

    /// Runs every kernel in order, the parameter-only ones too even when their results are current: what timing the
    /// whole program needs (`Tuner` times kernels whose every source is state, so all of them are parameter-only).
    public func runEveryKernel() {
        for index in tasks.indices { runKernel(index) }
        preparedGeneration = persistentGeneration
    }

    // MARK: Kernel by kernel

    /// Writes the inputs after checking them, ready for `runKernel(at:)`.
    public func writeInputs(_ inputs: [InputKind: Tensor]) throws {
        try arenas.writeInputs(inputs, of: program.memory, classes: classes)
    }

    /// Runs kernel number `index` alone, on the worker threads.
    public func runKernel(at index: Int) {
        persistentGeneration += 1
        runKernel(index)
    }

    /// A buffer's current elements.
    public func contents(of buffer: BufferID) -> [Double] {
        arenas.read(program.buffers[buffer.index])
    }

    /// Replaces a buffer's elements.
    public func setContents(of buffer: BufferID, to scalars: [Double]) {
        arenas.write(scalars, to: program.buffers[buffer.index])
        persistentGeneration += 1
    }

    /// Runs every kernel in order on the calling thread, over its whole parallel range, with the workspace and
    /// inputs and outputs of `replica` and this executable's parameters and state (which the kernels only read
    /// when the graph updates nothing, as inference does).
    ///
    /// With `reusingPreparation`, the parameter-only kernels (`LoopProgram.parameterOnlyKernels`) do not run: what
    /// they wrote to `replica` in an earlier call is still there, and no parameter or state tensor changed since.
    func runSerially(on replica: ArenaSet, reusingPreparation: Bool) {
        let arenas = (
            replica.base(.workspace), self.arenas.base(.parameters), self.arenas.base(.state), replica.base(.io)
        )
        for (index, (task, extent)) in zip(tasks, extents).enumerated()
        where !(reusingPreparation && program.parameterOnlyKernels.contains(index)) {
            task(arenas.0, arenas.1, arenas.2, arenas.3, 0, Int64(extent))
        }
    }

    /// Runs kernel number `index` alone.
    func runKernel(_ index: Int) {
        let arenas = (arenas.base(.workspace), arenas.base(.parameters), arenas.base(.state), arenas.base(.io))
        pool.run(tasks[index], arenas: arenas, extent: extents[index])
    }
}
