import Foundation
import NetcGraph
import Testing

/// `Optimizer.updateSpread` against a brute-force search: the largest difference between the update made with
/// any gradient on a fine grid and the update made with the reference gradient, computed with `torch.optim`'s
/// formulas written out here. The spread must cover every one of them and be nearly reached.
@Suite struct OptimizerUpdateSpreadTests {
    /// One Adam step of element p with moments (m, v) before it and gradient g: the parameter's move.
    static func adamMove(
        _ adam: AdamAttributes, p: Double, m: Double, v: Double, g: Double, lr: Double, t: Int
    ) -> Double {
        let u = g + adam.weightDecay * p
        let newM = adam.beta1 * m + (1 - adam.beta1) * u
        let newV = adam.beta2 * v + (1 - adam.beta2) * u * u
        let correctedV = newV / (1 - pow(adam.beta2, Double(t)))
        return lr / (1 - pow(adam.beta1, Double(t))) * newM / (correctedV.squareRoot() + adam.epsilon)
    }

    /// Gradients from −10⁴ to 10⁴, dense near zero, where Adam's step turns.
    static let gradients: [Double] = {
        let magnitudes = (0...4000).map { pow(10, -10 + Double($0) * 14 / 4000) }
        return [0] + magnitudes + magnitudes.map { -$0 }
    }()

    /// Element states (p, m, v) before the step, and step numbers: fresh moments, moments that agree with a
    /// typical gradient, a large first moment on a small second one, weight decay.
    @Test(arguments: [
        (0.0, 0.0, 0.0, 1), (0.3, 0.0, 0.0, 5), (0.1, 1e-3, 1e-6, 2), (0.1, -4e-3, 2e-6, 7),
        (-0.5, 1e-7, 1e-14, 3), (0.2, 2e-2, 1e-6, 40),
    ])
    func adamSpreadCoversEveryGradientAndIsNearlyReached(p: Double, m: Double, v: Double, t: Int) {
        for adam in [AdamAttributes(), AdamAttributes(weightDecay: 1e-2)] {
            let (lr, gradientBound) = (1e-3, 1e-5)
            for reference in [0.0, 3e-6, -9e-6] {
                let spread = Optimizer.adam(adam).updateSpread(
                    parameter: p, state: [m, v], referenceGradient: reference, gradientBound: gradientBound,
                    learningRate: lr, step: t)
                let referenceMove = Self.adamMove(adam, p: p, m: m, v: v, g: reference, lr: lr, t: t)
                let largest =
                    Self.gradients.map {
                        abs(Self.adamMove(adam, p: p, m: m, v: v, g: $0, lr: lr, t: t) - referenceMove)
                    }.max() ?? 0
                #expect(largest <= spread * (1 + 1e-12), "p \(p) m \(m) v \(v) t \(t) g \(reference)")
                #expect(largest >= spread * 0.5, "the spread \(spread) is far above the largest difference \(largest)")
            }
        }
    }

    /// On fresh moments Adam's first step moves every element by at most lr, whatever its gradient.
    @Test func adamFirstStepFromFreshMomentsIsAtMostTheLearningRate() {
        let spread = Optimizer.adam(AdamAttributes()).updateSpread(
            parameter: 1, state: [0, 0], referenceGradient: 0, gradientBound: 1e-5, learningRate: 0.01, step: 1)
        #expect(abs(spread - 0.01) < 1e-15)
    }

    /// SGD moves by lr·g: two gradients within `gradientBound` of zero land within lr·(bound + |g|) of each other,
    /// far inside any tolerance, whatever the momentum buffer holds.
    @Test func sgdSpreadIsTheLearningRateTimesTheGradientNoise() {
        let sgd = Optimizer.sgd(SGDAttributes(momentum: 0.9, weightDecay: 1e-3))
        let spread = sgd.updateSpread(
            parameter: 0.5, state: [3.0], referenceGradient: -4e-6, gradientBound: 1e-5, learningRate: 0.01, step: 9)
        #expect(abs(spread - 0.01 * (1e-5 + 4e-6)) < 1e-18)
    }

    @Test func stateNamesAreTorchOptimsAndTheTrainingStepsOwn() throws {
        #expect(
            Optimizer.adam(AdamAttributes()).stateNames(of: "fc.0.weight") == [
                "fc.0.weight.exp_avg", "fc.0.weight.exp_avg_sq",
            ])
        #expect(Optimizer.sgd(SGDAttributes()).stateNames(of: "fc.0.bias") == ["fc.0.bias.momentum_buffer"])
    }
}
