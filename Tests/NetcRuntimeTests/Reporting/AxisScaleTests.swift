import Testing

@testable import NetcRuntime

@Suite("Axis scales")
struct AxisScaleTests {
    @Test(
        "nice steps are the next 1, 2 or 5 × 10ⁿ",
        arguments: [
            (0.3, 0.5), (1, 1), (1.01, 2), (4.9, 5), (16.5, 20), (0.0021, 0.005), (70, 100),
        ])
    func niceSteps(minimum: Double, expected: Double) {
        #expect(abs(AxisScale.niceStep(atLeast: minimum) - expected) < expected * 1e-9)
    }

    @Test("linear loss axes start at zero and end on a tick")
    func linearLosses() {
        let scale = AxisScale.forLosses([0.87, 0.15, 0.3])
        #expect(!scale.isLogarithmic)
        #expect(scale.lower == 0 && abs(scale.upper - 1) < 1e-12)
        #expect(scale.ticks.map(scale.label(for:)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test("wide log axes tick only the decades")
    func wideLogarithmicLosses() {
        let scale = AxisScale.forLosses([2.3, 0.003, .nan, 0])
        #expect(scale.isLogarithmic)
        #expect(abs(scale.lower - 0.002) < 1e-12 && abs(scale.upper - 5) < 1e-12)
        #expect(scale.ticks.map(scale.label(for:)) == ["0.01", "0.1", "1"])
        #expect(!scale.canPlace(0) && !scale.canPlace(.infinity) && scale.canPlace(0.5))
    }

    @Test(
        "epoch axes tick whole epochs",
        arguments: [
            (3, [1.0, 2, 3]), (10, [2, 4, 6, 8, 10]), (100, [20, 40, 60, 80, 100]), (0, [1, 2]),
        ])
    func epochs(last: Int, ticks: [Double]) {
        let scale = AxisScale.forEpochs(through: last)
        #expect(scale.ticks == ticks)
        #expect(scale.lower == 1)
        #expect(scale.fraction(of: scale.upper) == 1 && scale.fraction(of: 1) == 0)
    }
}
