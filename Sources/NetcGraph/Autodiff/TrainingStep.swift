/// How a training step updates the parameters.
public enum Optimizer: Hashable, Sendable {
    /// `torch.optim.Adam`, or `torch.optim.AdamW` with decoupled weight decay; state `NAME.exp_avg` and
    /// `NAME.exp_avg_sq` per parameter.
    case adam(AdamAttributes)
    /// `torch.optim.SGD` with momentum; state `NAME.momentum_buffer` per parameter.
    case sgd(SGDAttributes)
}

extension NetworkModel {
    /// One training step as one graph: the forward pass in training mode, the mean softmax cross-entropy against
    /// the `.labels` input (smoothed by `labelSmoothing`), the gradient of every parameter, the optimizer's update
    /// of parameters and moments, the running-statistics updates and, with `averageDecay`, the exponential moving
    /// average of every updated parameter (state `NAME.ema`, PyTorch's `AveragedModel` with
    /// `get_ema_multi_avg_fn(averageDecay)` updated after each optimizer step; the first step copies).
    ///
    /// The learning rate and the 1-based step are runtime inputs, so a schedule needs no recompilation.
    /// Outputs: `loss` and `logits`, plus `NAME.grad` for every parameter when `exposingGradients` is set (for
    /// checks against finite differences and between backends).
    ///
    /// - Precondition: the model was built with `mode: .training`; `labelSmoothing` is in [0, 1] and
    ///   `averageDecay`, when given, in [0, 1).
    public func trainingStep(
        optimizer: Optimizer, labelSmoothing: Double = 0, averageDecay: Double? = nil, exposingGradients: Bool = false
    ) -> Graph {
        precondition(mode == .training, "a training step needs the training-mode forward graph")
        precondition((0...1).contains(labelSmoothing), "label smoothing must be in [0, 1]")
        precondition(averageDecay.map { (0..<1).contains($0) } ?? true, "the average's decay must be in [0, 1)")
        var graph = self.graph
        guard let logits = graph.output(named: "logits") else { preconditionFailure("no logits") }
        let labels = graph.add(.input(.labels), [], type: TensorType(.int32, [batchSize]), name: "labels")
        let loss = graph.add(.softmaxCrossEntropy(labelSmoothing: labelSmoothing), [logits, labels], name: "loss")
        graph.outputs.append(GraphOutput("loss", loss))

        let parameters = graph.parameters
        let gradients = graph.appendGradients(of: loss, withRespectTo: parameters)
        let learningRate =
            graph.add(.input(.learningRate), [], type: .scalar(.float32), name: "learning_rate")
        let step = graph.input(.step) ?? graph.add(.input(.step), [], type: .scalar(.int64), name: "step")
        for parameter in parameters {
            guard let gradient = gradients[parameter] else { continue }
            let name = graph[parameter].name
            if exposingGradients { graph.outputs.append(GraphOutput("\(name).grad", gradient)) }
            let type = graph.type(of: parameter)
            let stateNames = optimizer.stateNames(of: name)
            let updated: ValueID
            switch optimizer {
            case .adam(let adam):
                let m = graph.add(.state(.constant(0)), [], type: type, name: stateNames[0])
                let v = graph.add(.state(.constant(0)), [], type: type, name: stateNames[1])
                let newM = graph.add(.adamFirstMoment(adam), [m, gradient, parameter], name: "\(stateNames[0]).update")
                let newV = graph.add(
                    .adamSecondMoment(adam), [v, gradient, parameter], name: "\(stateNames[1]).update")
                let newP = graph.add(
                    .adamUpdate(adam), [parameter, newM, newV, learningRate, step], name: "\(name).update")
                graph.updates += [
                    StateUpdate(target: m, newValue: newM), StateUpdate(target: v, newValue: newV),
                    StateUpdate(target: parameter, newValue: newP),
                ]
                updated = newP
            case .sgd(let sgd):
                let buffer = graph.add(.state(.constant(0)), [], type: type, name: stateNames[0])
                let newBuffer = graph.add(
                    .sgdMomentum(sgd), [buffer, gradient, parameter], name: "\(stateNames[0]).update")
                let newP = graph.add(.sgdUpdate, [parameter, newBuffer, learningRate], name: "\(name).update")
                graph.updates += [
                    StateUpdate(target: buffer, newValue: newBuffer), StateUpdate(target: parameter, newValue: newP),
                ]
                updated = newP
            }
            if let averageDecay {
                // Initialised from the parameter at step 1, so the state's own start value never matters.
                let average = graph.add(.state(.constant(0)), [], type: type, name: name + TensorName.averageSuffix)
                let newAverage = graph.add(
                    .exponentialMovingAverage(decay: averageDecay), [average, updated, step],
                    name: name + TensorName.averageSuffix + ".update"
                )
                graph.updates.append(StateUpdate(target: average, newValue: newAverage))
            }
        }
        return graph
    }
}
