import Testing

@testable import NetcRuntime

@Suite struct LearningRateScheduleTests {
    @Test func constantNeverChanges() {
        let schedule = LearningRateSchedule(.constant, peak: 1e-4, totalSteps: 100)
        #expect((1...100).allSatisfy { schedule.rate(atStep: $0) == 1e-4 })
    }

    @Test func cosineStartsAtPeakPassesHalfAtTheMiddleAndEndsNearZero() {
        let schedule = LearningRateSchedule(.cosine, peak: 2, totalSteps: 100)
        #expect(schedule.rate(atStep: 1) == 2)
        #expect(abs(schedule.rate(atStep: 51) - 1) < 1e-12)  // 50 of 100 steps done: (1 + cos(π/2)) / 2 · 2
        #expect(schedule.rate(atStep: 100) < 0.001)
    }

    @Test func oneCycleMatchesPyTorchsOneCycleLR() {
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=1, total_steps=10): pct_start 0.3 puts the peak at step
        // index 2 (= 0.3·10 − 1); div_factor 25 starts at 0.04; final_div_factor 1e4 ends at 4e-6.
        let schedule = LearningRateSchedule(.onecycle, peak: 1, totalSteps: 10)
        #expect(abs(schedule.rate(atStep: 1) - 0.04) < 1e-12)
        #expect(abs(schedule.rate(atStep: 2) - 0.52) < 1e-12)  // halfway up: 0.04 + 0.96 · (1 + cos(π/2)) / 2
        #expect(abs(schedule.rate(atStep: 3) - 1) < 1e-12)
        #expect(abs(schedule.rate(atStep: 10) - 4e-6) < 1e-15)
        let rates = (3...10).map { schedule.rate(atStep: $0) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
    }
}
