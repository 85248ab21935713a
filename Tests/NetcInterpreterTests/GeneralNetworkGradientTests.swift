import NetcGraph
import NetcTestSupport
import Testing

/// Finite differences check the gradients of a DAG network: values read by several layers (a residual block's
/// input, a concatenation's) must receive the sum of their readers' gradients, and every new op's backward
/// must compose with the others'.
@Suite struct GeneralNetworkGradientTests {
    @Test func everyParameterGradientMatchesCentralDifferences() throws {
        let gradients = try NetworkGradientSamples(
            spec: GeneralNetwork.spec, batchSize: 3, inputs: GeneralNetwork.batch(3), seed: 12)
        var failures: [String] = []
        for (name, analytic, numeric) in gradients.samples {
            // A parameter whose true gradient is 0 gets rounding noise on both sides: an absolute bound holds it.
            let comparison = GradientComparison(analytic: analytic, numeric: numeric)
            let largest = zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0
            if comparison.relativeError > 1e-5 && largest > 1e-8 { failures.append("\(name): \(comparison)") }
        }
        #expect(failures.isEmpty, "\(failures)")
        let nonzero = gradients.samples.flatMap(\.analytic).filter { abs($0) > 1e-6 }
        #expect(nonzero.count > gradients.samples.count, "gradients are mostly zero")
    }
}
