import NetcGraph

/// A tensor a caller reads or writes, before the memory plan gives its buffer a place.
struct NamedBuffer: Hashable {
    var type: TensorType
    var buffer: BufferID?

    init(_ type: TensorType, _ buffer: BufferID?) {
        self.type = type
        self.buffer = buffer
    }
}

/// What lowering tells the memory planner: the bytes already used in each arena, and the buffers of the
/// tensors callers see.
struct ProgramInterface: Hashable {
    var fixedSizes: [Arena: Int]
    var persistent: [String: NamedBuffer] = [:]
    var inputs: [InputKind: NamedBuffer] = [:]
    var outputs: [String: NamedBuffer] = [:]
}

/// Gives every workspace buffer an offset from the kernels that touch it: a buffer lives from the first to
/// the last kernel that reads or writes it (outputs to the end of the run), and buffers whose lives do not
/// overlap share memory.
///
/// Before: `b7 conv1.1 @workspace+-1`, `b9 conv1.2 @workspace+-1`, ... After: `b7 conv1.1 @workspace+563712`,
/// `b12 conv1.6.dx @workspace+563712` (b7 died before b12 was born). With reuse off, each buffer gets its own
/// bytes, so every intermediate can be read after a run.
///
/// In a program that updates nothing, what the parameter-only kernels write (weights packed channel-last, say)
/// lives for the whole run and shares no bytes: a caller that runs the program again with the same parameters
/// and state may skip those kernels (`LoopProgram.parameterOnlyKernels`).
struct MemoryPlanner {
    let reusesMemory: Bool

    func program(graph: Graph, buffers: [Buffer], kernels: [Kernel], layout: ProgramInterface) -> LoopProgram {
        var buffers = buffers
        var lifetimes: [BufferID: ClosedRange<Int>] = [:]
        for (position, kernel) in kernels.enumerated() {
            for buffer in kernel.buffers {
                let start = lifetimes[buffer]?.lowerBound ?? position
                lifetimes[buffer] = start...position
            }
        }
        checkInPlaceUpdates(kernels, buffers: buffers)
        let end = kernels.count
        for output in layout.outputs.values {
            guard let buffer = output.buffer, let life = lifetimes[buffer] else { continue }
            lifetimes[buffer] = life.lowerBound...end
        }
        let parameterOnly = graph.updates.isEmpty ? Self.parameterOnlyKernels(kernels, buffers: buffers) : []
        for position in parameterOnly {
            for buffer in kernels[position].writtenBuffers { lifetimes[buffer] = 0...end }
        }
        var placed: [(range: Range<Int>, life: ClosedRange<Int>)] = []
        let reserved = layout.fixedSizes[.workspace] ?? 0
        var workspaceSize = reserved
        let planned = buffers.indices.filter { buffers[$0].location.byteOffset < 0 }.map(BufferID.init)
        for id in planned {
            let size = ArenaLayout.aligned(buffers[id.index].byteCount)
            let life = lifetimes[id] ?? 0...0
            var offset = reserved
            if reusesMemory {
                let conflicts = placed.filter { $0.life.overlaps(life) }.map(\.range).sorted {
                    $0.lowerBound < $1.lowerBound
                }
                for range in conflicts where range.overlaps(offset..<offset + size) {
                    offset = max(offset, range.upperBound)
                }
            } else {
                offset = workspaceSize
            }
            buffers[id.index].location = MemoryView(arena: .workspace, byteOffset: offset)
            placed.append((offset..<offset + size, life))
            workspaceSize = max(workspaceSize, offset + size)
        }
        func view(_ named: NamedBuffer) -> TensorView {
            guard let buffer = named.buffer else { preconditionFailure("a tensor callers see has no buffer") }
            return TensorView(type: named.type, location: buffers[buffer.index].location)
        }
        var sizes = layout.fixedSizes
        sizes[.workspace] = workspaceSize
        for arena in Arena.allCases where sizes[arena] == nil { sizes[arena] = 0 }
        let memory = MemoryPlan(
            arenaSizes: sizes, persistent: layout.persistent.mapValues(view), inputs: layout.inputs.mapValues(view),
            outputs: layout.outputs.mapValues(view),
            parameterCount: graph.parameters.reduce(0) { $0 + graph.type(of: $1).elementCount })
        return LoopProgram(
            entryName: graph.updates.isEmpty ? "forward" : "step", buffers: buffers, kernels: kernels, memory: memory,
            parameterOnlyKernels: parameterOnly)
    }

    /// The kernels that read only parameters, state and what earlier such kernels wrote, and are the only
    /// writers of the workspace buffers they store to: their results follow from the parameters and state alone.
    private static func parameterOnlyKernels(_ kernels: [Kernel], buffers: [Buffer]) -> Set<Int> {
        var writers: [BufferID: Int] = [:]
        for kernel in kernels {
            for buffer in kernel.writtenBuffers { writers[buffer, default: 0] += 1 }
        }
        var derived = Set<BufferID>()
        var found = Set<Int>()
        for (position, kernel) in kernels.enumerated() {
            let written = kernel.writtenBuffers
            let writesOwnWorkspace = written.allSatisfy { buffer in
                let location = buffers[buffer.index].location
                return location.arena == .workspace && location.byteOffset < 0 && writers[buffer] == 1
            }
            let readsPersistentData = kernel.buffers.filter { !written.contains($0) }.allSatisfy { buffer in
                switch buffers[buffer.index].location.arena {
                case .parameters, .state: true
                case .workspace: derived.contains(buffer)
                case .io: false
                }
            }
            guard !written.isEmpty, writesOwnWorkspace, readsPersistentData else { continue }
            found.insert(position)
            derived.formUnion(written)
        }
        return found
    }

    /// Persistent tensors are updated in place, so no kernel may read one after the kernel that rewrites it.
    private func checkInPlaceUpdates(_ kernels: [Kernel], buffers: [Buffer]) {
        var rewritten: [BufferID: Int] = [:]
        for (position, kernel) in kernels.enumerated() {
            for buffer in kernel.buffers {
                if let writer = rewritten[buffer], writer != position {
                    preconditionFailure("\(kernel.name) reads \(buffers[buffer.index].name) after it was updated")
                }
            }
            for buffer in kernel.writtenBuffers where buffers[buffer.index].location.arena != .workspace {
                rewritten[buffer] = position
            }
        }
    }
}
