import Testing

@testable import NetcRuntime

@Suite struct NormalizationTests {
    @Test func fitsPopulationMeanAndStandardDeviationOfScaledPixels() {
        // Pixels 0 and 255 in equal numbers: mean 0.5, population std 0.5.
        let normalization = Normalization(fitting: [0, 255, 0, 255])
        #expect(abs(normalization.mean - 0.5) < 1e-12)
        #expect(abs(normalization.std - 0.5) < 1e-12)
        #expect(normalization.apply(255) == 1)
        #expect(normalization.apply(0) == -1)
    }
}
