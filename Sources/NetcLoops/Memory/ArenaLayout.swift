import NetcGraph

/// Where the tensors with fixed places live: parameters (one flat block), state (optimizer moments laid out
/// like the parameters, then running statistics and counters), inputs, and the gradients of a flat optimizer
/// (at the start of the workspace, laid out like the parameters, never reused).
///
/// Each tensor starts at a multiple of `MemoryPlan.alignment`; the padding between parameters stays zero, so
/// one loop over the padded block updates every parameter without disturbing it.
struct ArenaLayout: Hashable {
    /// The place of every source and pinned gradient.
    private(set) var views: [ValueID: MemoryView] = [:]
    /// The bytes used in each arena (for the workspace: the reserved gradient block).
    private(set) var sizes: [Arena: Int] = [:]
    /// The number of floats of the padded parameter block.
    private(set) var flatCount = 0
    /// The byte offset of each flat optimizer state block in the state arena, by role.
    private(set) var stateBlocks: [Int] = []

    init(graph: Graph, flatOptimizer: FlatOptimizerLayout?) {
        var parameterOffsets: [Int] = []
        for parameter in graph.parameters {
            parameterOffsets.append(append(parameter, to: .parameters, graph: graph))
        }
        flatCount = (sizes[.parameters] ?? 0) / DType.float32.byteCount
        var placedStates = Set<ValueID>()
        if let flatOptimizer {
            for roleStates in flatOptimizer.states {
                let block = sizes[.state, default: 0]
                stateBlocks.append(block)
                for (state, offset) in zip(roleStates, parameterOffsets) {
                    views[state] = MemoryView(arena: .state, byteOffset: block + offset)
                    placedStates.insert(state)
                }
                sizes[.state] = block + flatCount * DType.float32.byteCount
            }
            for (gradient, offset) in zip(flatOptimizer.gradients, parameterOffsets) {
                views[gradient] = MemoryView(arena: .workspace, byteOffset: offset)
            }
            sizes[.workspace] = flatCount * DType.float32.byteCount
        }
        for state in graph.states where !placedStates.contains(state) {
            append(state, to: .state, graph: graph)
        }
        for value in graph.sources(where: { if case .input = $0 { true } else { false } }) {
            append(value, to: .io, graph: graph)
        }
    }

    /// Places `value` at the end of `arena` and returns its byte offset.
    @discardableResult
    private mutating func append(_ value: ValueID, to arena: Arena, graph: Graph) -> Int {
        let offset = sizes[arena, default: 0]
        views[value] = MemoryView(arena: arena, byteOffset: offset)
        let type = graph.type(of: value)
        sizes[arena] = offset + Self.aligned(type.elementCount * type.dtype.byteCount)
        return offset
    }

    /// `bytes` rounded up to a multiple of `MemoryPlan.alignment` (at least one alignment unit).
    static func aligned(_ bytes: Int) -> Int {
        let unit = MemoryPlan.alignment
        return max(unit, (bytes + unit - 1) / unit * unit)
    }
}
