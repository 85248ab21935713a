import NetcGraph
import NetcTestSupport
import Testing

/// Finite differences check the gradients of the whole reference network (every parameter tensor, through
/// dropout, BatchNorm in training mode, max-pooling and the loss), the way each op is checked on its own.
@Suite struct ReferenceNetworkGradientTests {
    @Test func everyParameterGradientMatchesCentralDifferences() throws {
        let gradients = try NetworkGradientSamples(
            spec: ReferenceNetwork.spec, batchSize: 2, inputs: ReferenceNetwork.batch(2), seed: 11)
        let analytic = gradients.samples.flatMap(\.analytic)
        let comparison = GradientComparison(analytic: analytic, numeric: gradients.samples.flatMap(\.numeric))
        #expect(comparison.relativeError < 1e-6, "\(comparison)")
        #expect(analytic.filter { $0 != 0 }.count > analytic.count / 2, "gradients are mostly zero")
    }
}
