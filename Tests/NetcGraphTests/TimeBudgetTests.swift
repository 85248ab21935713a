import Testing

@testable import NetcGraph

@Suite struct TimeBudgetTests {
    @Test(arguments: [
        ("30m", 1800.0), ("1h30m", 5400), ("90s", 90), ("1.5h", 5400), ("2h 15m", 8100), ("45min", 2700),
        ("1h1m1s", 3661),
    ])
    func reads(text: String, seconds: Double) throws {
        #expect(try #require(TimeBudget(parsing: text)).seconds == seconds)
    }

    @Test(arguments: ["", "30", "m", "30x", "1h1h", "5m 3min", "0m", "-5m", "1.2.3m", "m30"])
    func rejects(text: String) {
        #expect(TimeBudget(parsing: text) == nil)
    }

    @Test func printsWholeUnits() {
        #expect(TimeBudget(seconds: 1800).description == "30m")
        #expect(TimeBudget(seconds: 5461).description == "1h 31m 1s")
        #expect(TimeBudget(seconds: 45).description == "45s")
    }
}
