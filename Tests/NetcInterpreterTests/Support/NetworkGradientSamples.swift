import NetcGraph
import NetcInterpreter
import Testing

/// A whole network's parameter gradients next to central differences of its loss, both from the float64
/// interpreter: for each parameter tensor, the training step's gradient and the numeric derivative at its first,
/// middle and last elements.
struct NetworkGradientSamples {
    /// Per parameter tensor, in declaration order: the analytic and numeric derivatives at the sampled elements.
    var samples: [(name: String, analytic: [Double], numeric: [Double])] = []

    init(spec: NetworkSpec, batchSize: Int, inputs: [InputKind: Tensor], seed: UInt64) throws {
        let model = try NetworkModel(spec, batchSize: batchSize, mode: .training)
        let step = model.trainingStep(optimizer: .sgd(SGDAttributes()), exposingGradients: true)
        var lossGraph = model.graph
        let labels = lossGraph.add(.input(.labels), [], type: TensorType(.int32, [batchSize]), name: "labels")
        let logits = try #require(lossGraph.output(named: "logits"))
        let loss = lossGraph.add(.softmaxCrossEntropy(labelSmoothing: 0), [logits, labels], name: "loss")

        let interpreter = Interpreter(precision: .float64)
        let initial = step.initialValues(seed: seed)
        let values = try interpreter.evaluate(step, inputs: inputs, persistent: initial)
        func lossValue(_ persistent: [String: Tensor]) throws -> Double {
            try interpreter.evaluate(lossGraph, inputs: inputs, persistent: persistent)[loss.index].scalars[0]
        }
        for parameter in step.parameters {
            let name = step[parameter].name
            let gradient = values[try #require(step.output(named: "\(name).grad")).index].scalars
            let point = try #require(initial[name]).scalars
            var (analytic, numeric): ([Double], [Double]) = ([], [])
            for position in Set([0, gradient.count / 2, gradient.count - 1]).sorted() {
                var probe = initial
                let derivative = try numericGradient(
                    of: { x in
                        probe[name]?.scalars[position] = x[0]
                        return try lossValue(probe)
                    }, at: [point[position]])
                analytic.append(gradient[position])
                numeric.append(derivative[0])
            }
            samples.append((name, analytic, numeric))
        }
    }
}
