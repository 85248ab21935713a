import NetcGraph
import NetcLoops

/// A graph lowered to its `LoopProgram` and run by evaluating the kernels in Swift: the loop IR's reference
/// backend, between the graph interpreter and the JIT. Where the JIT disagrees with the interpreter, this tells
/// whether the lowering (this disagrees too) or the code generation (this agrees) is wrong.
public final class LoopExecutable: Executable, KernelStepping {
    /// The graph as given.
    public let graph: Graph
    /// The kernels and memory plan being evaluated (the JIT compiles the same program for the same options).
    public let program: LoopProgram
    /// Whether `run` checks each kernel's results and throws `NumericalFault` at the first NaN or infinity.
    public var checksNumerics = false
    /// Whether each run first fills the workspace with NaN, so a kernel reading a buffer that no earlier kernel
    /// of the run wrote produces NaN instead of a stale value that happens to be right.
    public var poisonsWorkspace = true

    let arenas: ArenaSet
    private let classes: Int?

    /// Lowers `graph` with `pipeline` (the JIT's for the same options: `CompilationOptions.pipeline`), with parameters
    /// and state at their initial values.
    public init(graph: Graph, pipeline: LoopPipeline, seed: UInt64) {
        self.graph = graph
        program = pipeline.program(for: graph)
        arenas = ArenaSet(program.memory)
        classes = graph.labelClasses
        for (name, value) in graph.initialValues(seed: seed) {
            guard let view = program.memory.persistent[name] else { continue }
            arenas.write(value, to: view)
        }
    }

    /// Runs the graph once: writes the inputs, evaluates every kernel in order (which applies the updates in
    /// place), and reads the outputs.
    ///
    /// - Throws: `InputError` for a missing or mistyped input; `LoopFault` when a kernel cannot run as written;
    ///   `NumericalFault` when checking numerics and a kernel wrote a NaN or an infinity.
    public func run(_ inputs: [InputKind: Tensor]) throws -> [String: Tensor] {
        try writeInputs(inputs)
        for index in program.kernels.indices {
            try runKernel(at: index)
            if checksNumerics { try checkNumerics(ofKernelAt: index) }
        }
        return program.memory.outputs.mapValues { arenas.read($0) }
    }

    /// Writes the inputs (and poisons the workspace when asked): the start of a run done kernel by kernel.
    public func writeInputs(_ inputs: [InputKind: Tensor]) throws(InputError) {
        if poisonsWorkspace, let size = program.memory.arenaSizes[.workspace], size > 0 {
            arenas.base(.workspace).initializeMemory(as: Float.self, repeating: .nan, count: size / 4)
        }
        try arenas.writeInputs(inputs, of: program.memory, classes: classes)
    }

    /// Evaluates kernel number `index` over its whole parallel range.
    public func runKernel(at index: Int) throws(LoopFault) {
        let kernel = program.kernels[index]
        var evaluator = KernelEvaluator(kernel, buffers: program.buffers, arenas: arenas)
        try evaluator.run(begin: 0, end: kernel.parallelExtent ?? 1)
    }

    /// A buffer's current elements.
    public func contents(of buffer: BufferID) -> [Double] {
        arenas.read(program.buffers[buffer.index])
    }

    /// Replaces a buffer's elements.
    public func setContents(of buffer: BufferID, to scalars: [Double]) {
        arenas.write(scalars, to: program.buffers[buffer.index])
    }

    public func persistent(named name: String) -> Tensor? {
        program.memory.persistent[name].map { arenas.read($0) }
    }

    public func setPersistent(named name: String, to value: Tensor) throws {
        guard let view = program.memory.persistent[name] else {
            throw PersistentTensorError(name: name, message: "the graph has no parameter or state of this name")
        }
        guard view.type == value.type else {
            throw PersistentTensorError(name: name, message: "has type \(value.type); the graph expects \(view.type)")
        }
        arenas.write(value, to: view)
    }

    /// Throws at the first floating-point element a kernel wrote that is not finite.
    private func checkNumerics(ofKernelAt index: Int) throws(NumericalFault) {
        let kernel = program.kernels[index]
        for id in kernel.writtenBuffers.sorted() {
            let buffer = program.buffers[id.index]
            guard buffer.elementType.isFloatingPoint else { continue }
            if let element = arenas.read(buffer).firstIndex(where: { !$0.isFinite }) {
                throw NumericalFault(
                    producer: kernel.name, tensor: buffer.name, index: element, value: arenas.read(buffer)[element])
            }
        }
    }
}

/// The loop-IR evaluator as a backend: `LoopExecutable`s, lowered as the JIT lowers.
public struct LoopBackend: Backend {
    /// How graphs are lowered, as in the JIT's `CompilationOptions.pipeline`.
    public var pipeline: LoopPipeline

    /// Creates the backend.
    public init(pipeline: LoopPipeline) {
        self.pipeline = pipeline
    }

    /// `loops`.
    public var name: String { "loops" }

    public func prepare(_ graph: Graph, seed: UInt64) throws -> any Executable {
        LoopExecutable(graph: graph, pipeline: pipeline, seed: seed)
    }
}
