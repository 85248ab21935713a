import NetcGraph
import Testing

/// `netc check` lets its reference take compiled code's side of a ReLU's kink only where the two agree within the
/// tolerance: a flip must never excuse a real divergence.
@Suite struct SignFlipTests {
    /// Opposite sides within tolerance are flips (zero counts as the non-positive side, as ReLU's gradient has it);
    /// the same side, or opposite sides further apart than the tolerance allows, are not.
    @Test func onlyOppositeSidesWithinToleranceAreFlips() {
        let value = ValueID(7)
        let compiled = Tensor(.float(6), [6.5e-7, 0, 1e-6, -2e-3, 0.5, -4e-6])
        let reference = Tensor(.float(6), [-8.3e-8, 3e-7, 2e-6, 2e-3, 0.5, 4e-6])
        let flips = SignFlip.flips(of: value, compiled: compiled, reference: reference)
        #expect(
            flips == [
                SignFlip(value: value, element: 0, compiled: 6.5e-7, reference: -8.3e-8),
                SignFlip(value: value, element: 1, compiled: 0, reference: 3e-7),
                SignFlip(value: value, element: 5, compiled: -4e-6, reference: 4e-6),
            ])
        // 2e-3 apart: beyond 1e-5 + 1e-4·|x|, a divergence the comparison must report, not a flip to follow.
        #expect(!flips.contains { $0.element == 3 })
        let tight = SignFlip.flips(
            of: value, compiled: compiled, reference: reference, tolerance: Tolerance(absolute: 1e-6, relative: 0))
        #expect(tight.map(\.element) == [0, 1])
    }

    /// The replacements gather each value's flipped elements with the compiled values.
    @Test func replacementsHoldTheCompiledValues() {
        let flips = [
            SignFlip(value: ValueID(3), element: 4, compiled: 1e-7, reference: -1e-7),
            SignFlip(value: ValueID(9), element: 0, compiled: -2e-7, reference: 2e-7),
            SignFlip(value: ValueID(3), element: 11, compiled: 0, reference: 5e-8),
        ]
        #expect(SignFlip.replacements(flips) == [ValueID(3): [4: 1e-7, 11: 0], ValueID(9): [0: -2e-7]])
    }
}
