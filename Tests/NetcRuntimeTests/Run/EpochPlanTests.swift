import Testing

@testable import NetcRuntime

@Suite struct EpochPlanTests {
    /// 30 minutes, 60 s spent compiling and timing, 10 s per epoch, 5 folds: 97 % of 1800 s is 1746 s, less 60 s
    /// leaves 1686 s, or 168.6 epochs, so 33 per fold (33 × 5 × 10 s = 1650 s, 1710 s in all).
    @Test func fillsTheBudgetLessTheMargin() throws {
        let plan = try #require(EpochPlan(budget: 1800, elapsed: 60, epochSeconds: 10, folds: 5, maximum: 100))
        #expect(plan.epochs == 33)
        #expect(plan.expectedSeconds == 1710)
    }

    @Test func neverExceedsTheMaximum() throws {
        #expect(
            try #require(EpochPlan(budget: 1800, elapsed: 60, epochSeconds: 10, folds: 5, maximum: 20)).epochs == 20)
    }

    /// 100 s left after the margin, 5 folds of 25 s epochs: not one epoch each.
    @Test func tooShortABudgetHasNoPlan() {
        #expect(EpochPlan(budget: 200, elapsed: 94, epochSeconds: 25, folds: 5, maximum: 100) == nil)
    }
}
