import NetcGraph

/// Decides which graph values share a kernel, which are recomputed where they are read, and which are stored.
///
/// Before (graph): `%5 = conv2D(%0, %1, %2)  %6 = relu(%5)  %7 = batchNormTraining(%6, ...)  %8 = maxPool(%7)
/// %9 = dropout(%8, ...)`. After: kernel `conv+relu` stores %6 (%5 is internal); %7 is inlined into the
/// pooling kernel, which stores %9 (%8 is internal). The rules:
/// - an anchor (convolution, product, pooling, reduction) absorbs the chain of elementwise ops that are each
///   the only reader of the previous link (its epilogue);
/// - an elementwise value read only by loops that read each element about once, and cheap or read once, is
///   recomputed there instead of stored;
/// - BatchNorm statistics and their running averages share one pass, as do BatchNorm's three gradients;
/// - a convolution whose stored result feeds BatchNorm statistics sums it per channel as it stores it, so the
///   statistics kernel only adds up those sums (`epilogueStatistics`);
/// - BatchNorm's input gradient pass also sums its stored result per channel when that is a bias gradient, and
///   takes the weight gradient of a first-layer convolution (vectorised over pixels) that reads it, which it then
///   never stores;
/// - every optimizer update runs in one loop over the flat parameter arena when all parameters update alike.
struct FusionPlan {
    let graph: Graph
    /// Each value's placement, by `ValueID.index`.
    private(set) var placements: [Placement]
    /// The kernels' value groups in execution order.
    private(set) var groups: [FusionGroup] = []
    /// The flat optimizer layout, when every parameter's update fits it.
    private(set) var flatOptimizer: FlatOptimizerLayout?
    /// The `batchMoments` value reading each value that a convolution kernel stores and sums per channel as it does.
    private(set) var epilogueStatistics: [ValueID: ValueID] = [:]

    /// Whether `group` sums the value it stores per channel for BatchNorm statistics (`epilogueStatistics`).
    func sumsStatistics(_ group: FusionGroup) -> Bool {
        epilogueStatistics[group.epilogue.last ?? group.root] != nil
    }

    /// Every (node, input position) reading each value, by `ValueID.index`.
    let readers: [[(node: ValueID, position: Int)]]
    /// Values a caller or a later run needs in memory: outputs, state updates, pinned gradients.
    private var mustStore: Set<ValueID>

    init(_ graph: Graph) {
        self.graph = graph
        var readers = Array(repeating: [(node: ValueID, position: Int)](), count: graph.nodes.count)
        for value in graph.values {
            for (position, input) in graph[value].inputs.enumerated() {
                readers[input.index].append((value, position))
            }
        }
        self.readers = readers
        placements = Array(repeating: .stored, count: graph.nodes.count)
        mustStore = Set(graph.outputs.map(\.value) + graph.updates.map(\.newValue))
        flatOptimizer = FlatOptimizerMatcher(graph: graph).layout()
        if let flatOptimizer { mustStore.formUnion(flatOptimizer.gradients) }
        placeSourcesAndAliases()
        formGroups()
        groups = inExecutionOrder(groups)
    }

    /// The value whose buffer holds `value`'s elements: itself, or the root of a chain of reshapes.
    func storageRoot(of value: ValueID) -> ValueID {
        if case .alias(let root) = placements[value.index] { return root }
        return value
    }

    private mutating func placeSourcesAndAliases() {
        for value in graph.values {
            let node = graph[value]
            if node.op.isSource {
                placements[value.index] = .source
            } else if node.op == .reshape {
                let root = storageRoot(of: node.inputs[0])
                placements[value.index] = .alias(root)
                mustStore.insert(root)
            }
        }
    }

    private mutating func formGroups() {
        var assigned = Set<ValueID>()
        func claim(_ group: FusionGroup) {
            for member in group.values { assigned.insert(member) }
            for link in group.epilogue.dropLast() { placements[link.index] = .internal }
            if !group.epilogue.isEmpty { placements[group.root.index] = .internal }
            groups.append(group)
        }
        for group in optimizerGroups() { claim(group) }
        for value in graph.values where !assigned.contains(value) && placements[value.index] == .stored {
            let op = graph[value].op
            if op.isElementwise {
                if canInline(value) {
                    placements[value.index] = .inlined
                } else {
                    claim(FusionGroup(kind: .elementwise, root: value, members: [value]))
                }
                continue
            }
            var group: FusionGroup
            switch op {
            case .batchMoments:
                let averages = readers[value.index].filter {
                    if case .movingAverage = graph[$0.node].op { $0.position == 1 } else { false }
                }.map(\.node)
                group = FusionGroup(kind: .moments, root: value, members: [value] + averages)
                let x = graph[value].inputs[0]
                let producer = groups.first { ($0.epilogue.last ?? $0.root) == x }
                if let producer, producer.kind == .anchor, case .conv2D(let conv) = graph[producer.root].op,
                    !conv.needsGeneralLowering
                {
                    epilogueStatistics[x] = value
                }
            case .batchNormTrainingBackward:
                let siblings = siblings(of: value).filter { !assigned.contains($0) }
                group = FusionGroup(kind: .batchNormBackward, root: value, members: [value] + siblings)
                group.epilogue = epilogue(after: value, excluding: assigned)
                let stored = group.epilogue.last ?? value
                group.outputSums = readers[stored.index].map(\.node).filter {
                    !assigned.contains($0) && !siblings.contains($0) && graph[$0].op == .sumToChannels
                }
                group.weightGradient = pixelWeightGradient(reading: stored, besides: group.outputSums, assigned)
                if group.weightGradient != nil { placements[stored.index] = .internal }
                claim(group)
                continue
            case .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat, .softmaxCrossEntropy,
                .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight,
                .sumToChannels, .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward, .channelSlice,
                .batchNormScaleGradient, .softmaxCrossEntropyBackward:
                group = FusionGroup(kind: .anchor, root: value, members: [value])
            case .input, .parameter, .state, .constant, .reshape, .relu, .activation, .dropout, .batchNormTraining,
                .batchNormInference, .movingAverage, .increment, .reluBackward, .activationBackward, .dropoutBackward,
                .add, .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate,
                .exponentialMovingAverage:
                preconditionFailure("\(graph[value].name): sources, aliases and elementwise ops are placed above")
            }
            group.epilogue = epilogue(after: value, excluding: assigned)
            claim(group)
        }
    }

    /// The elementwise chain that can run in the kernel producing `value`: each link the only reader of the
    /// previous one, reading it at its own index, and not yet in another kernel (where gradients of a value read
    /// several times are summed, each sum reads two values that each have it as only reader: the first kernel
    /// to claim the sum computes it).
    private func epilogue(after value: ValueID, excluding assigned: Set<ValueID>) -> [ValueID] {
        var chain: [ValueID] = []
        var current = value
        while !mustStore.contains(current), readers[current.index].count == 1 {
            let (next, position) = readers[current.index][0]
            let op = graph[next].op
            guard !assigned.contains(next), op.isEpilogue, op.elementwiseOperands.contains(position),
                graph.type(of: next).elementCount == graph.type(of: current).elementCount
            else { break }
            chain.append(next)
            current = next
        }
        return chain
    }

    /// The convolution weight gradient vectorised over pixels that is the only reader of `stored` besides the bias
    /// gradients `sums`, reading it as its output gradient, when `stored` need not be kept and the weight gradient
    /// is stored as it is computed (no epilogue): a BatchNorm backward pass can then sum it instead of storing `stored`.
    private func pixelWeightGradient(
        reading stored: ValueID, besides sums: [ValueID], _ assigned: Set<ValueID>
    ) -> ValueID? {
        let others = readers[stored.index].filter { !sums.contains($0.node) }
        guard !mustStore.contains(stored), others.count == 1, others[0].position == 1 else { return nil }
        let weightGradient = others[0].node
        guard case .conv2DBackwardWeight(let conv) = graph[weightGradient].op, !conv.needsGeneralLowering,
            !assigned.contains(weightGradient), epilogue(after: weightGradient, excluding: assigned).isEmpty
        else { return nil }
        let inChannels = graph.type(of: graph[weightGradient].inputs[0]).shape[1]
        return Lowering.vectorisesOverPixels(inChannels: inChannels, stride: conv.stride) ? weightGradient : nil
    }

    /// The gamma and beta gradients computed from the same input, statistics and output gradient as a BatchNorm
    /// input gradient `value`.
    private func siblings(of value: ValueID) -> [ValueID] {
        let inputs = graph[value].inputs
        let (x, moments, dy) = (inputs[0], inputs[1], inputs[3])
        return readers[dy.index].map(\.node).filter { reader in
            guard reader > value else { return false }
            if case .batchNormScaleGradient = graph[reader].op { return graph[reader].inputs == [x, moments, dy] }
            return graph[reader].op == .sumToChannels
        }
    }

    /// Whether `value` may be recomputed in each of its readers instead of stored.
    private func canInline(_ value: ValueID) -> Bool {
        let op = graph[value].op
        guard op.isEpilogue, !mustStore.contains(value) else { return false }
        let reads = readers[value.index].map { graph[$0.node].op.readsPerElement(ofInput: $0.position) }
        guard !reads.isEmpty, !reads.contains(nil) else { return false }
        return op.isCheapToRecompute || (reads.count == 1 && reads[0] == 1)
    }

    /// One group updating every parameter through the flat arenas, or one group per parameter.
    private func optimizerGroups() -> [FusionGroup] {
        let updates = graph.updates.map(\.newValue).filter { graph[$0].op.isOptimizerStep }.sorted()
        guard !updates.isEmpty else { return [] }
        if flatOptimizer != nil {
            return [FusionGroup(kind: .flatOptimizer, root: updates[0], members: updates)]
        }
        let byParameter = Dictionary(grouping: updates) { FlatOptimizerMatcher.parameter(updatedBy: $0, in: graph) }
        return byParameter.values.map { members in
            FusionGroup(kind: .elementwise, root: members[0], members: members.sorted())
        }
    }
}
