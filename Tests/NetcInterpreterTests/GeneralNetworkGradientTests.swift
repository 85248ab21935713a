import NetcGraph
import NetcInterpreter
import NetcTestSupport
import Testing

/// Finite differences check the gradients of a DAG network: values read by several layers (a residual block's
/// input, a concatenation's) must receive the sum of their readers' gradients, and every new op's backward
/// must compose with the others'.
@Suite struct GeneralNetworkGradientTests {
    @Test func everyParameterGradientMatchesCentralDifferences() throws {
        let batchSize = 3
        let model = try NetworkModel(GeneralNetwork.spec, batchSize: batchSize, mode: .training)
        let step = model.trainingStep(optimizer: .sgd(SGDAttributes()), exposingGradients: true)
        var lossGraph = model.graph
        let labels = lossGraph.add(.input(.labels), [], type: TensorType(.int32, [batchSize]), name: "labels")
        let logits = try #require(lossGraph.output(named: "logits"))
        let loss = lossGraph.add(.softmaxCrossEntropy, [logits, labels], name: "loss")

        let interpreter = Interpreter(precision: .float64)
        let inputs = GeneralNetwork.batch(batchSize)
        let initial = step.initialValues(seed: 12)
        let values = try interpreter.evaluate(step, inputs: inputs, persistent: initial)
        func lossValue(_ persistent: [String: Tensor]) throws -> Double {
            try interpreter.evaluate(lossGraph, inputs: inputs, persistent: persistent)[loss.index].scalars[0]
        }

        var failures: [String] = []
        var nonzero = 0
        for parameter in step.parameters {
            let name = step[parameter].name
            let gradient = values[try #require(step.output(named: "\(name).grad")).index].scalars
            let positions = Set([0, gradient.count / 2, gradient.count - 1]).sorted()
            var (analytic, numeric): ([Double], [Double]) = ([], [])
            for position in positions {
                var probe = initial
                let derivative = try numericGradient(
                    of: { x in
                        probe[name]?.scalars[position] = x[0]
                        return try lossValue(probe)
                    }, at: [initial[name]?.scalars[position] ?? 0])
                analytic.append(gradient[position])
                numeric.append(derivative[0])
            }
            // Biases feeding BatchNorm (directly or through linear layers) have a true gradient of 0, which both
            // sides give as rounding noise: those are held to an absolute bound instead.
            let comparison = GradientComparison(analytic: analytic, numeric: numeric)
            let largest = zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0
            if comparison.relativeError > 1e-5 && largest > 1e-8 { failures.append("\(name): \(comparison)") }
            nonzero += analytic.filter { abs($0) > 1e-6 }.count
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(nonzero > step.parameters.count, "gradients are mostly zero")
    }
}
