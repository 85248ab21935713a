import Foundation
import NetcGraph

/// The learning rate at each optimizer step of one fold's training.
public struct LearningRateSchedule: Hashable, Sendable {
    /// The shape of the schedule.
    public var kind: ScheduleKind
    /// The base (constant, cosine start) or peak (one-cycle) learning rate.
    public var peak: Double
    /// Optimizer steps in the whole run of one fold.
    public var totalSteps: Int

    /// Creates a schedule.
    public init(_ kind: ScheduleKind, peak: Double, totalSteps: Int) {
        self.kind = kind
        self.peak = peak
        self.totalSteps = max(1, totalSteps)
    }

    /// The learning rate of the 1-based optimizer `step`.
    ///
    /// - constant: `peak` throughout.
    /// - cosine: `peak · (1 + cos(π·t)) / 2` with t the fraction of steps done before this one.
    /// - onecycle: PyTorch's `OneCycleLR` (cosine annealing, `pct_start` 0.3, `div_factor` 25,
    ///   `final_div_factor` 10⁴): from peak/25 up to peak over the first 30 % of steps, then down to peak/2.5·10⁵.
    public func rate(atStep step: Int) -> Double {
        let done = Double(min(max(step - 1, 0), totalSteps - 1))
        switch kind {
        case .constant:
            return peak
        case .cosine:
            return peak * (1 + cos(Double.pi * done / Double(totalSteps))) / 2
        case .onecycle:
            let initial = peak / 25
            let final = initial / 1e4
            let warmupEnd = 0.3 * Double(totalSteps) - 1
            if done <= warmupEnd {
                return Self.cosineAnnealing(from: initial, to: peak, fraction: warmupEnd > 0 ? done / warmupEnd : 1)
            }
            let remaining = Double(totalSteps) - 1 - warmupEnd
            return Self.cosineAnnealing(from: peak, to: final, fraction: (done - warmupEnd) / remaining)
        }
    }

    private static func cosineAnnealing(from start: Double, to end: Double, fraction: Double) -> Double {
        end + (start - end) / 2 * (1 + cos(Double.pi * fraction))
    }
}
