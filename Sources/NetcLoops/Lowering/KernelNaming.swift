import NetcGraph

/// Names kernels in the user's terms: the layer path, then the role of each op the kernel computes, e.g.
/// `conv1_0_conv_relu_fwd`, `conv2_3_conv_dw`, `conv1_2_bn_stats`, `adam_update`, so LLVM IR, assembly and
/// profiles read like the model.
struct KernelNaming {
    let graph: Graph

    /// The kernel name of a group (before making it unique).
    func name(for group: FusionGroup) -> String {
        let root = graph[group.root]
        switch group.kind {
        case .flatOptimizer:
            return root.op.mnemonic.hasPrefix("adam") ? "adam_update" : "sgd_update"
        case .moments:
            return symbol(layerPath(of: root.name)) + "_bn_stats"
        case .batchNormBackward:
            return symbol(layerPath(of: root.name)) + "_"
                + (["bn_bwd"] + group.epilogue.map(role) + (group.weightGradient.map { [role($0)] } ?? []))
                .joined(separator: "_")
        case .elementwise where root.op.isOptimizerStep:
            let parameter = graph[FlatOptimizerMatcher.parameter(updatedBy: group.root, in: graph)].name
            return symbol(parameter) + (root.op.mnemonic.hasPrefix("adam") ? "_adam" : "_sgd")
        case .anchor, .elementwise:
            let roles = ([group.root] + group.members.dropFirst() + group.epilogue).map(role)
            let suffix = root.op.isForward ? "_fwd" : ""
            return symbol(layerPath(of: root.name)) + "_" + roles.joined(separator: "_") + suffix
        }
    }

    /// The short role of an op in a kernel name.
    private func role(_ value: ValueID) -> String {
        let node = graph[value]
        switch node.op {
        case .conv2D: return "conv"
        case .linear: return "linear"
        case .relu: return "relu"
        case .activation(let activation): return activation.layerName.lowercased()
        case .activationBackward(let activation): return activation.layerName.lowercased() + "_dx"
        case .globalAvgPool: return "global_avgpool"
        case .globalAvgPoolBackward: return "global_avgpool_dx"
        case .concat: return "concat"
        case .channelSlice: return "concat_dx"
        case .add: return "add"
        case .maxPool: return "maxpool"
        case .avgPool: return "avgpool"
        case .dropout: return "dropout"
        case .batchNormTraining, .batchNormInference: return "bn"
        case .softmaxCrossEntropy: return "softmax_ce"
        case .movingAverage: return "running_stats"
        case .increment: return "count"
        case .reluBackward: return "relu_dx"
        case .conv2DBackwardInput: return "conv_dx"
        case .conv2DBackwardWeight: return "conv_dw"
        case .linearBackwardInput: return "linear_dx"
        case .linearBackwardWeight: return "linear_dw"
        case .maxPoolBackward: return "maxpool_dx"
        case .avgPoolBackward: return "avgpool_dx"
        case .dropoutBackward: return "dropout_dx"
        case .softmaxCrossEntropyBackward: return "softmax_ce_dx"
        case .batchNormScaleGradient: return "bn_dgamma"
        case .sumToChannels: return node.name.split(separator: ".").last.map(String.init) ?? "sum"
        case .input, .parameter, .state, .constant, .reshape, .batchMoments, .batchNormTrainingBackward,
            .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            return node.op.mnemonic
        }
    }

    /// `conv1.0` for `conv1.0.weight.update`, `conv1.2.moments` or `conv1.0`: the name up to its last numeric
    /// component (the layer's index in its group), or its first component when none is numeric.
    private func layerPath(of name: String) -> String {
        TensorName.layerPath(of: name) ?? String(name.split(separator: ".").first ?? "kernel")
    }

    /// A C identifier for a dotted name: `conv1.0` → `conv1_0`.
    private func symbol(_ name: String) -> String {
        let characters = name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let text = String(characters)
        return text.first?.isNumber == true ? "k" + text : text
    }
}
