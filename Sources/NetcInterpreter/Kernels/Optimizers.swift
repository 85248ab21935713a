import Foundation
import NetcGraph

extension Kernels {
    /// m' = β₁·m + (1 − β₁)·(g + λ·p), λ Adam's L2 weight decay (0 for AdamW).
    static func adamFirstMoment(
        _ m: Tensor, gradient g: Tensor, parameter p: Tensor, _ adam: AdamAttributes
    )
        -> [Double]
    {
        (0..<m.scalars.count).map { i in
            let decayed = g.scalars[i] + adam.gradientWeightDecay * p.scalars[i]
            return adam.beta1 * m.scalars[i] + (1 - adam.beta1) * decayed
        }
    }

    /// v' = β₂·v + (1 − β₂)·(g + λ·p)², λ Adam's L2 weight decay (0 for AdamW).
    static func adamSecondMoment(
        _ v: Tensor, gradient g: Tensor, parameter p: Tensor, _ adam: AdamAttributes
    )
        -> [Double]
    {
        (0..<v.scalars.count).map { i in
            let decayed = g.scalars[i] + adam.gradientWeightDecay * p.scalars[i]
            return adam.beta2 * v.scalars[i] + (1 - adam.beta2) * decayed * decayed
        }
    }

    /// p' = p·(1 − lr·λ) − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε), t the 1-based step and λ AdamW's decoupled
    /// weight decay (0 for Adam): `torch.optim.Adam`'s and `torch.optim.AdamW`'s update with the new moments m
    /// and v.
    static func adamUpdate(
        _ p: Tensor, firstMoment m: Tensor, secondMoment v: Tensor, learningRate: Tensor, step: Tensor,
        _ adam: AdamAttributes
    ) -> [Double] {
        let t = step.scalars[0]
        let learningRate = learningRate.scalars[0]
        let stepSize = learningRate / (1 - pow(adam.beta1, t))
        let secondCorrection = (1 - pow(adam.beta2, t)).squareRoot()
        let shrink = 1 - learningRate * adam.decoupledDecay
        return (0..<p.scalars.count).map { i in
            let denominator = v.scalars[i].squareRoot() / secondCorrection + adam.epsilon
            return p.scalars[i] * shrink - stepSize * m.scalars[i] / denominator
        }
    }

    /// buffer' = μ·buffer + (g + λ·p).
    static func sgdMomentum(
        _ buffer: Tensor, gradient g: Tensor, parameter p: Tensor, _ sgd: SGDAttributes
    )
        -> [Double]
    {
        (0..<buffer.scalars.count).map { i in
            sgd.momentum * buffer.scalars[i] + (g.scalars[i] + sgd.weightDecay * p.scalars[i])
        }
    }

    /// p' = p − lr·buffer.
    static func sgdUpdate(_ p: Tensor, buffer: Tensor, learningRate: Tensor) -> [Double] {
        zip(p.scalars, buffer.scalars).map { $0 - learningRate.scalars[0] * $1 }
    }

    /// average' = p at step 1 (`AveragedModel`'s first update copies), else average + (1 − decay)·(p − average)
    /// (`get_ema_multi_avg_fn`'s `lerp`), p the parameter after this step's update.
    static func exponentialMovingAverage(
        _ average: Tensor, parameter p: Tensor, step: Tensor, decay: Double
    )
        -> [Double]
    {
        guard step.scalars[0] > 1 else { return p.scalars }
        return zip(average.scalars, p.scalars).map { average, p in average + (1 - decay) * (p - average) }
    }
}
