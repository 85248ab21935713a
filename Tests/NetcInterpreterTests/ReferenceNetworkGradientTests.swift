import NetcGraph
import NetcInterpreter
import NetcTestSupport
import Testing

/// Finite differences check the gradients of the whole reference network (every parameter tensor, through
/// dropout, BatchNorm in training mode, max-pooling and the loss), the way each op is checked on its own.
@Suite struct ReferenceNetworkGradientTests {
    /// Coordinates checked per parameter tensor: spread over the tensor, including its first and last element.
    static let samplesPerTensor = 3

    @Test func everyParameterGradientMatchesCentralDifferences() throws {
        let batchSize = 2
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: batchSize, mode: .training)
        let step = model.trainingStep(optimizer: .sgd(SGDAttributes()), exposingGradients: true)
        var lossGraph = model.graph
        let labels = lossGraph.add(.input(.labels), [], type: TensorType(.int32, [batchSize]), name: "labels")
        let loss = lossGraph.add(.softmaxCrossEntropy, [lossGraph.output(named: "logits")!, labels], name: "loss")

        let interpreter = Interpreter(precision: .float64)
        let inputs = ReferenceNetwork.batch(batchSize)
        let initial = step.initialValues(seed: 11)
        let values = try interpreter.evaluate(step, inputs: inputs, persistent: initial)
        func lossValue(_ persistent: [String: Tensor]) throws -> Double {
            try interpreter.evaluate(lossGraph, inputs: inputs, persistent: persistent)[loss.index].scalars[0]
        }

        var analytic: [Double] = []
        var numeric: [Double] = []
        for parameter in step.parameters {
            let name = step[parameter].name
            let gradient = values[try #require(step.output(named: "\(name).grad")).index].scalars
            let count = gradient.count
            let positions = (0..<Self.samplesPerTensor).map { $0 * (count - 1) / (Self.samplesPerTensor - 1) }
            for position in Set(positions).sorted() {
                var probe = initial
                let derivative = try numericGradient(
                    of: { x in
                        probe[name]!.scalars[position] = x[0]
                        return try lossValue(probe)
                    }, at: [initial[name]!.scalars[position]])
                analytic.append(gradient[position])
                numeric.append(derivative[0])
            }
        }
        let comparison = GradientComparison(analytic: analytic, numeric: numeric)
        #expect(comparison.relativeError < 1e-6, "\(comparison)")
        #expect(analytic.filter { $0 != 0 }.count > analytic.count / 2, "gradients are mostly zero")
    }
}
