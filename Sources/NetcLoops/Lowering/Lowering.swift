import NetcGraph

/// Turns each fusion group into one kernel: creates the buffers of stored values, then builds each group's
/// loop nest, reading values from buffers or recomputing inlined ones where they are read.
///
/// The per-op loop nests live in the `Lowering+*.swift` files, each the compiled counterpart of the
/// interpreter kernel of the same name, with long sums (statistics, gradients over a batch, linear layers across
/// blocks of `f32` products) accumulated in `f64`.
struct Lowering {
    let fusion: FusionPlan
    let arenas: ArenaLayout
    /// The CPU the loops are written for: vector width and register count of every register tile.
    let target: TargetDescription
    /// Tuned schedules of convolution and linear kernels, and the heuristic for the rest.
    let schedules: ScheduleTable
    /// Every buffer created so far; planned ones have `byteOffset` -1 until the memory plan.
    private(set) var buffers: [Buffer] = []
    /// The buffer holding each stored value, source, alias and in-place update.
    private(set) var storage: [ValueID: BufferID] = [:]
    /// The flat parameter, gradient and state blocks of the flat optimizer.
    private(set) var flatBlocks: (parameters: BufferID, gradients: BufferID, states: [BufferID])?
    private var kernelNames = Set<String>()
    /// How many kernels each group was lowered to, by root (preparation kernels come first, the group's own last).
    private var kernelCounts: [ValueID: Int] = [:]
    /// The per-channel sums convolutions accumulate of their stored results, by stored value, for the BatchNorm
    /// statistics that read them.
    var statisticsBuffers: [ValueID: ChannelStatistics] = [:]

    var graph: Graph { fusion.graph }

    init(fusion: FusionPlan, target: TargetDescription, schedules: ScheduleTable) {
        self.fusion = fusion
        self.target = target
        self.schedules = schedules
        arenas = ArenaLayout(graph: fusion.graph, flatOptimizer: fusion.flatOptimizer)
        let targets = Dictionary(uniqueKeysWithValues: graph.updates.map { ($0.newValue, $0.target) })
        for value in graph.values {
            let node = graph[value]
            switch fusion.placements[value.index] {
            case .source:
                if case .constant = node.op { continue }
                storage[value] = fixedBuffer(value)
            case .stored:
                if let target = targets[value] {
                    storage[value] = storage[target]
                } else if arenas.views[value] != nil {
                    storage[value] = fixedBuffer(value)
                } else {
                    storage[value] = newBuffer(node.name, ScalarType(node.type.dtype), node.type.elementCount)
                }
            case .alias(let root):
                storage[value] = storage[root]
            case .inlined, .internal:
                continue
            }
        }
        if let flat = fusion.flatOptimizer {
            let count = arenas.flatCount
            flatBlocks = (
                add(
                    Buffer(
                        name: "parameters", elementType: .float32, count: count,
                        location: MemoryView(arena: .parameters, byteOffset: 0))),
                add(
                    Buffer(
                        name: "gradients", elementType: .float32, count: count,
                        location: MemoryView(arena: .workspace, byteOffset: 0))),
                zip(flat.states, arenas.stateBlocks).map { states, offset in
                    add(
                        Buffer(
                            name: Self.role(of: graph[states[0]].name, parameter: graph[flat.parameters[0]].name),
                            elementType: .float32, count: count, location: MemoryView(arena: .state, byteOffset: offset)
                        ))
                }
            )
        }
    }

    /// The kernels of each fusion group in execution order: the group's own, after any preparation kernels it
    /// needs (a convolution's packed weights).
    mutating func kernels() -> [Kernel] {
        fusion.groups.flatMap { lower($0) }
    }

    /// Which kernel writes each stored graph value, and where, for kernels in `kernels()`'s order.
    func storedValues() -> [StoredValue] {
        var stored: [StoredValue] = []
        var position = -1
        for group in fusion.groups {
            position += kernelCounts[group.root] ?? 1
            for value in group.values
            where fusion.placements[value.index] == .stored {
                guard let buffer = storage[value] else { continue }
                stored.append(StoredValue(value: value, name: graph[value].name, buffer: buffer, kernel: position))
            }
        }
        return stored
    }

    /// Where the named tensors, inputs and outputs live, for the memory plan.
    var layout: ProgramInterface {
        var interface = ProgramInterface(fixedSizes: arenas.sizes)
        for value in graph.parameters + graph.states {
            interface.persistent[graph[value].name] = NamedBuffer(graph.type(of: value), storage[value])
        }
        for value in graph.sources(where: { if case .input = $0 { true } else { false } }) {
            guard case .input(let kind) = graph[value].op else { continue }
            interface.inputs[kind] = NamedBuffer(graph.type(of: value), storage[value])
        }
        for output in graph.outputs {
            interface.outputs[output.name] = NamedBuffer(graph.type(of: output.value), storage[output.value])
        }
        return interface
    }

    private mutating func lower(_ group: FusionGroup) -> [Kernel] {
        var builder = KernelBuilder()
        let root = graph[group.root]
        let name = uniqueName(for: group)
        var preparation: [Kernel] = []
        switch group.kind {
        case .elementwise: lowerElementwise(group, &builder)
        case .flatOptimizer: lowerFlatOptimizer(group, &builder)
        case .moments: lowerMoments(group, &builder)
        case .batchNormBackward: preparation = lowerBatchNormBackward(group, name: name, &builder)
        case .anchor:
            switch root.op {
            case .conv2D(let conv) where conv.needsGeneralLowering:
                lowerGeneralConvolution(group, conv, &builder)
            case .conv2D(let conv): preparation = lowerConvolution(group, conv, name: name, &builder)
            case .conv2DBackwardInput(let conv) where conv.needsGeneralLowering:
                lowerGeneralConvolutionInputGradient(group, conv, &builder)
            case .conv2DBackwardInput(let conv):
                preparation = lowerConvolutionInputGradient(group, conv, name: name, &builder)
            case .conv2DBackwardWeight(let conv) where conv.needsGeneralLowering:
                lowerGeneralConvolutionWeightGradient(group, conv, &builder)
            case .conv2DBackwardWeight(let conv):
                preparation = lowerConvolutionWeightGradient(group, conv, name: name, &builder)
            case .linear: preparation = lowerLinear(group, &builder)
            case .linearBackwardInput: lowerLinearInputGradient(group, &builder)
            case .linearBackwardWeight: lowerLinearWeightGradient(group, &builder)
            case .maxPool(let pool), .avgPool(let pool): lowerPooling(group, pool, &builder)
            case .maxPoolBackward(let pool), .avgPoolBackward(let pool): lowerPoolingGradient(group, pool, &builder)
            case .globalAvgPool: lowerGlobalAvgPool(group, &builder)
            case .globalAvgPoolBackward: lowerGlobalAvgPoolGradient(group, &builder)
            case .concat: lowerConcat(group, &builder)
            case .channelSlice(let start, let count): lowerChannelSlice(group, start: start, count: count, &builder)
            case .sumToChannels, .batchNormScaleGradient: lowerChannelSums(group, &builder)
            case .softmaxCrossEntropy(let smoothing): lowerLoss(group, labelSmoothing: smoothing, &builder)
            case .softmaxCrossEntropyBackward(let smoothing):
                lowerLossGradient(group, labelSmoothing: smoothing, &builder)
            case .input, .parameter, .state, .constant, .relu, .activation, .dropout, .reshape, .batchMoments,
                .batchNormTraining, .batchNormInference, .movingAverage, .increment, .reluBackward,
                .activationBackward, .dropoutBackward, .batchNormTrainingBackward, .add, .adamFirstMoment,
                .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
                preconditionFailure("no anchor loop nest for \(root.op.mnemonic)")
            }
        }
        let computes = group.values.map { graph[$0].name }
        kernelCounts[group.root] = preparation.count + 1
        return preparation + [builder.kernel(name: name, computes: computes)]
    }

    // MARK: Reading values

    /// The expression for element `access` of `value`: a load, a literal, a value computed earlier in this
    /// iteration, or the value recomputed from its own operands.
    func element(_ value: ValueID, _ access: Access, _ builder: inout KernelBuilder) -> Expr {
        if let known = builder.computed[value] { return known }
        let node = graph[value]
        let index: Expr = node.type.rank == 0 ? 0 : access.flat
        switch fusion.placements[value.index] {
        case .source:
            if case .constant(let constant) = node.op { return literal(constant, node.type.dtype) }
            return .load(buffer(value), index: index)
        case .stored, .alias:
            return .load(buffer(value), index: index)
        case .inlined:
            return elementwise(value, access, &builder)
        case .internal:
            preconditionFailure("\(node.name) is only available inside its own kernel")
        }
    }

    /// The buffer of a stored value, source or alias.
    func buffer(_ value: ValueID) -> BufferID {
        guard let buffer = storage[value] else { preconditionFailure("\(graph[value].name) has no buffer") }
        return buffer
    }

    /// The channel (axis 1) of element `access` of a value of `shape`.
    func channel(_ access: Access, shape: [Int]) -> Expr {
        if let channel = access.channel { return channel }
        switch shape.count {
        case 0: return 0
        case 1: return access.flat
        default: return (access.flat / .integer(shape.dropFirst(2).reduce(1, *))) % .integer(shape[1])
        }
    }

    /// Stores a group's result for element `access`: runs the root's `value` through the epilogue and writes
    /// the last link; returns the value written.
    @discardableResult
    func storeResult(_ group: FusionGroup, _ value: Expr, _ access: Access, _ builder: inout KernelBuilder) -> Expr {
        let target = buffer(group.epilogue.last ?? group.root)
        let stored = builder.bind(epilogueResult(group, value, access, &builder), buffers[target.index].elementType)
        builder.store(target, access.flat, stored)
        return stored
    }

    /// Has the kernel being built write the group's result with non-temporal stores when `schedule` says so.
    func streamResult(of group: FusionGroup, _ schedule: Schedule, _ builder: inout KernelBuilder) {
        if schedule.streamsOutput { builder.streamedBuffers.insert(buffer(group.epilogue.last ?? group.root)) }
    }

    /// A group's result for element `access`: the root's `value` run through the epilogue, not stored.
    func epilogueResult(_ group: FusionGroup, _ value: Expr, _ access: Access, _ builder: inout KernelBuilder) -> Expr {
        var current = value
        var producer = group.root
        for link in group.epilogue {
            builder.computed[producer] = builder.bind(current, .float32)
            current = elementwise(link, access, &builder)
            builder.computed[producer] = nil
            producer = link
        }
        return current
    }

    /// Calls `body` for every element of a tensor of `shape`, with loops over batch, channel and plane for ranks
    /// of 2 and more so the channel is a loop variable; the outermost loop is parallel.
    func forEachElement(_ shape: [Int], _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Access) -> Void) {
        guard shape.count >= 2 else {
            builder.parallelLoop(shape.reduce(1, *)) { builder, i in body(&builder, Access(i, channel: i)) }
            return
        }
        let (channels, plane) = (shape[1], shape.dropFirst(2).reduce(1, *))
        builder.parallelLoop(shape[0]) { builder, n in
            builder.loop(0..<channels) { builder, c in
                planeLoop(plane, &builder) { builder, p in
                    body(&builder, Access((n * .integer(channels) + c) * .integer(plane) + p, channel: c))
                }
            }
        }
    }

    /// Runs `body` for each position of a plane of `plane` elements, whose iterations are independent: in vectors of
    /// the target's lanes, then one at a time for what is left. (Left to LLVM, a plane that is not a whole number of
    /// vectors, such as 14×14 or 7×7, is vectorised in a kernel compiled for size with every load and store masked.)
    func planeLoop(_ plane: Int, _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Expr) -> Void) {
        let lanes = target.lanes()
        let vectorised = plane / lanes * lanes
        builder.vectorLoop(0..<vectorised, lanes: lanes, body)
        builder.loop(vectorised..<plane, body)
    }

    /// A constant of a tensor element type.
    func literal(_ value: Double, _ dtype: DType) -> Expr {
        dtype == .float32 ? .f32(value) : .integer(Int(value))
    }

    // MARK: Buffers

    /// A new planned workspace buffer (a stored value or a kernel's scratch).
    mutating func newBuffer(_ name: String, _ type: ScalarType, _ count: Int) -> BufferID {
        add(
            Buffer(name: name, elementType: type, count: count, location: MemoryView(arena: .workspace, byteOffset: -1))
        )
    }

    private mutating func fixedBuffer(_ value: ValueID) -> BufferID {
        let node = graph[value]
        guard let view = arenas.views[value] else { preconditionFailure("\(node.name) has no fixed place") }
        return add(
            Buffer(
                name: node.name, elementType: ScalarType(node.type.dtype), count: node.type.elementCount,
                location: view))
    }

    private mutating func add(_ buffer: Buffer) -> BufferID {
        buffers.append(buffer)
        return BufferID(buffers.count - 1)
    }

    /// `exp_avg` for state `conv1.0.weight.exp_avg` of parameter `conv1.0.weight`.
    private static func role(of state: String, parameter: String) -> String {
        state.hasPrefix(parameter + ".") ? String(state.dropFirst(parameter.count + 1)) : state
    }

    private mutating func uniqueName(for group: FusionGroup) -> String {
        let base = KernelNaming(graph: graph).name(for: group)
        var name = base
        var number = 2
        while kernelNames.contains(name) {
            name = "\(base)_\(number)"
            number += 1
        }
        kernelNames.insert(name)
        return name
    }
}
