import NetcGraph

/// Finds whether every parameter is updated by the same optimizer nodes, so that one loop over the flat
/// parameter arena (with gradients and states laid out alike) can update them all.
struct FlatOptimizerMatcher {
    let graph: Graph

    /// The parameter optimizer node `value` of `graph` updates or keeps a state for.
    static func parameter(updatedBy value: ValueID, in graph: Graph) -> ValueID {
        let node = graph[value]
        switch node.op {
        case .adamUpdate, .sgdUpdate: return node.inputs[0]
        case .adamFirstMoment, .adamSecondMoment, .sgdMomentum: return node.inputs[2]
        case .exponentialMovingAverage: return parameter(updatedBy: node.inputs[1], in: graph)
        case .input, .parameter, .state, .constant, .conv2D, .linear, .relu, .activation, .maxPool, .avgPool,
            .globalAvgPool, .concat, .dropout, .reshape, .batchMoments, .batchNormTraining, .batchNormInference,
            .softmaxCrossEntropy, .movingAverage, .increment, .reluBackward, .activationBackward,
            .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight, .sumToChannels,
            .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward, .channelSlice, .dropoutBackward,
            .batchNormTrainingBackward, .batchNormScaleGradient, .softmaxCrossEntropyBackward, .add:
            preconditionFailure("\(node.op.mnemonic) is no optimizer step")
        }
    }

    /// The layout, or nil when some parameter has no update or updates differently from parameter 0.
    func layout() -> FlatOptimizerLayout? {
        let nodes = graph.updates.map(\.newValue).filter { graph[$0].op.isOptimizerStep }.sorted()
        let byParameter = Dictionary(grouping: nodes) { Self.parameter(updatedBy: $0, in: graph) }
        let parameters = graph.parameters
        guard let first = parameters.first, let template = byParameter[first] else { return nil }
        let targets = Dictionary(uniqueKeysWithValues: graph.updates.map { ($0.newValue, $0.target) })
        var gradients: [ValueID] = []
        var states: [[ValueID]] = []
        for parameter in parameters {
            guard let members = byParameter[parameter],
                let correspondence = match(template, members, parameter: (first, parameter))
            else { return nil }
            let stateTargets = template.compactMap { targets[$0] }.filter { $0 != first }
            if states.isEmpty { states = Array(repeating: [], count: stateTargets.count) }
            for (role, target) in stateTargets.enumerated() {
                guard let mapped = correspondence[target] else { return nil }
                states[role].append(mapped)
            }
            guard
                let gradient = correspondence.first(where: { !graph[$0.key].op.isSource && !template.contains($0.key) })
            else { return nil }
            gradients.append(gradient.value)
        }
        let gradientNodes = gradients.map { graph[$0].op }
        guard Set(gradients).count == gradients.count,
            !gradientNodes.contains(where: { $0.isSource || $0 == .reshape || $0.isOptimizerStep })
        else { return nil }
        return FlatOptimizerLayout(parameters: parameters, gradients: gradients, states: states, template: template)
    }

    /// The value of `members` playing the role of each value of `template`, or nil when the two parameters'
    /// updates differ in ops, attributes or shared operands.
    private func match(
        _ template: [ValueID], _ members: [ValueID], parameter: (ValueID, ValueID)
    )
        -> [ValueID: ValueID]?
    {
        guard template.count == members.count else { return nil }
        var correspondence = [parameter.0: parameter.1]
        for (t, m) in zip(template, members) {
            let (tNode, mNode) = (graph[t], graph[m])
            guard tNode.op == mNode.op, tNode.inputs.count == mNode.inputs.count else { return nil }
            for (tInput, mInput) in zip(tNode.inputs, mNode.inputs) {
                if let known = correspondence[tInput] {
                    guard known == mInput else { return nil }
                } else if graph.type(of: tInput).shape == graph.type(of: parameter.0).shape {
                    // A per-parameter operand: the gradient or an optimizer state.
                    guard graph.type(of: mInput).shape == graph.type(of: parameter.1).shape else { return nil }
                    correspondence[tInput] = mInput
                } else {
                    // A shared scalar: the learning rate or the step.
                    guard tInput == mInput else { return nil }
                }
            }
            correspondence[t] = m
        }
        return correspondence
    }
}
