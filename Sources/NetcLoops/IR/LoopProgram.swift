import NetcGraph

/// Where a buffer lives: one of the four memory blocks a compiled program is called with.
public enum Arena: String, Hashable, Sendable, CaseIterable {
    /// Activations, gradients and temporaries of one run, reused as values die.
    case workspace
    /// The trainable parameters, one flat block in declaration order.
    case parameters
    /// Persistent non-trainable state: optimizer moments (laid out like the parameters), running statistics,
    /// counters.
    case state
    /// The run's inputs (images, labels, learning rate, step, seed).
    case io
}

/// A typed window of an arena: a buffer's or a named tensor's place in memory.
public struct MemoryView: Hashable, Sendable {
    /// The arena.
    public var arena: Arena
    /// The offset of element 0 from the arena's start, in bytes (a multiple of `MemoryPlan.alignment`).
    public var byteOffset: Int

    /// Creates a view.
    public init(arena: Arena, byteOffset: Int) {
        self.arena = arena
        self.byteOffset = byteOffset
    }
}

/// A typed array in one arena that kernels read and write.
public struct Buffer: Hashable, Sendable {
    /// A readable name: the value it holds (`conv1.0.weight`, `conv1.1`) or its role (`gradients`).
    public var name: String
    /// The element type.
    public var elementType: ScalarType
    /// The number of elements.
    public var count: Int
    /// Where it lives; set by the memory plan.
    public var location: MemoryView

    /// Creates a buffer.
    public init(name: String, elementType: ScalarType, count: Int, location: MemoryView) {
        self.name = name
        self.elementType = elementType
        self.count = count
        self.location = location
    }

    /// The size in bytes.
    public var byteCount: Int { count * elementType.byteCount }
}

/// A graph compiled to kernels: what the code generator turns into one function per kernel and an entry
/// function that calls them in order with pointers into the four arenas.
public struct LoopProgram: Hashable, Sendable {
    /// The entry function's name: `forward` for inference, `step` for a graph with updates.
    public var entryName: String
    /// Every buffer any kernel touches.
    public var buffers: [Buffer]
    /// The kernels in the order the entry function runs them.
    public var kernels: [Kernel]
    /// Arena sizes and where each named tensor, input and output lives.
    public var memory: MemoryPlan
    /// Every graph value a kernel stores, with its buffer and kernel, in kernel order: what a per-kernel check
    /// compares with the interpreter's values (values recomputed where they are read are not stored).
    public var storedValues: [StoredValue]
    /// In a program that updates nothing, the kernels (indices into `kernels`) whose results follow from the
    /// parameters and state alone, such as weights packed channel-last. Their results keep their memory for the
    /// whole run, so a caller that runs the program again without changing a parameter or state tensor may skip
    /// them. Empty for a training step.
    public var parameterOnlyKernels: Set<Int>

    /// Creates a program.
    public init(
        entryName: String, buffers: [Buffer], kernels: [Kernel], memory: MemoryPlan, storedValues: [StoredValue] = [],
        parameterOnlyKernels: Set<Int> = []
    ) {
        self.entryName = entryName
        self.buffers = buffers
        self.kernels = kernels
        self.memory = memory
        self.storedValues = storedValues
        self.parameterOnlyKernels = parameterOnlyKernels
    }
}

extension LoopProgram {
    /// The entry that runs only the parameter-only kernels (`forward_prepare`), when there are any.
    public var preparationEntryName: String { entryName + "_prepare" }

    /// The entry that runs every kernel but the parameter-only ones (`forward_prepared`), when there are any.
    public var preparedEntryName: String { entryName + "_prepared" }
}

/// A graph value that a kernel of a program writes to a buffer: the buffer holds it from the end of that kernel
/// until a later kernel reuses the memory.
public struct StoredValue: Hashable, Sendable {
    /// The value in the graph the program was compiled from.
    public var value: ValueID
    /// The value's node name.
    public var name: String
    /// Where it is stored.
    public var buffer: BufferID
    /// The index in `LoopProgram.kernels` of the kernel that writes it.
    public var kernel: Int

    /// Creates a record.
    public init(value: ValueID, name: String, buffer: BufferID, kernel: Int) {
        self.value = value
        self.name = name
        self.buffer = buffer
        self.kernel = kernel
    }
}

/// The arenas' sizes and where each tensor a caller reads or writes lives.
public struct MemoryPlan: Hashable, Sendable {
    /// Every buffer and tensor starts at a multiple of this many bytes (a cache line; a 256-bit vector divides it).
    public static let alignment = 64

    /// The size of each arena in bytes.
    public var arenaSizes: [Arena: Int]
    /// Every parameter and state tensor, by its name (`conv1.0.weight`, `conv1.0.weight.exp_avg`).
    public var persistent: [String: TensorView]
    /// Every input the graph reads.
    public var inputs: [InputKind: TensorView]
    /// Every named output of the graph.
    public var outputs: [String: TensorView]
    /// The parameters as one flat array (in declaration order, each padded to the alignment), when laid out so.
    public var parameterCount: Int

    /// Creates a plan.
    public init(
        arenaSizes: [Arena: Int], persistent: [String: TensorView], inputs: [InputKind: TensorView],
        outputs: [String: TensorView], parameterCount: Int
    ) {
        self.arenaSizes = arenaSizes
        self.persistent = persistent
        self.inputs = inputs
        self.outputs = outputs
        self.parameterCount = parameterCount
    }
}

/// A tensor's type and place: how a caller finds a named tensor in the arenas.
public struct TensorView: Hashable, Sendable {
    /// The tensor's type.
    public var type: TensorType
    /// Where its first element lives.
    public var location: MemoryView

    /// Creates a view.
    public init(type: TensorType, location: MemoryView) {
        self.type = type
        self.location = location
    }
}
