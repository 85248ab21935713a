import NetcGraph
import Testing

@testable import NetcONNX

/// Folding a BatchNorm into the layer before it, checked against values worked out by hand.
@Suite struct BatchNormFoldingTests {
    /// Two output channels of two weights each. Channel 0: a = 3/√(3 + 1) = 1.5, so w·1.5 and
    /// (1 − 2)·1.5 + 0.5 = −1; channel 1 has a negative scale: a = −2/√(0 + 1) = −2, so w·(−2) and
    /// (−1 − (−1))·(−2) + 4 = 4.
    @Test func scalesEachOutputChannelAndShiftsItsBias() {
        let folding = BatchNormFolding(
            weight: Tensor(.float(2, 2), [1, 2, 3, 4]), bias: Tensor(.float(2), [1, -1]),
            mean: Tensor(.float(2), [2, -1]), variance: Tensor(.float(2), [3, 0]), scale: Tensor(.float(2), [3, -2]),
            shift: Tensor(.float(2), [0.5, 4]), epsilon: 1)
        #expect(folding.weight == Tensor(.float(2, 2), [1.5, 3, -6, -8]))
        #expect(folding.bias == Tensor(.float(2), [-1, 4]))
    }

    /// Without a bias the layer's bias counts as zero: channel 0 gives (0 − 2)·1.5 + 0.5 = −2.5.
    @Test func aLayerWithoutBiasGetsOne() {
        let folding = BatchNormFolding(
            weight: Tensor(.float(1, 1, 1, 1), [2]), bias: nil, mean: Tensor(.float(1), [2]),
            variance: Tensor(.float(1), [3]), scale: Tensor(.float(1), [3]), shift: Tensor(.float(1), [0.5]),
            epsilon: 1)
        #expect(folding.weight == Tensor(.float(1, 1, 1, 1), [3]))
        #expect(folding.bias == Tensor(.float(1), [-2.5]))
    }
}
