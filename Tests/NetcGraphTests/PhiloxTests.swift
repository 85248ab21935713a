import Testing

@testable import NetcGraph

@Suite struct PhiloxTests {
    // Known-answer vectors of Philox4x32-10 from Random123's kat_vectors.
    @Test func matchesRandom123KnownAnswers() {
        let zero = Philox(seed: 0).block((0, 0, 0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Philox(seed: 0xffff_ffff_ffff_ffff).block((0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Philox(seed: 0x299f_31d0_a409_3822).block((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    @Test func uniformNumbersCoverTheUnitIntervalEvenly() {
        let generator = Philox(seed: 42)
        let draws = (0..<20_000).map { generator.uniform(stream: 7, step: 3, index: UInt32($0)) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.01)
        let lowQuarter = draws.filter { $0 < 0.25 }.count
        #expect(abs(lowQuarter - 5_000) < 300)
    }

    @Test func streamsAndStepsAreIndependent() {
        let generator = Philox(seed: 1)
        let a = (0..<64).map { generator.word(stream: 1, step: 0, index: $0) }
        let b = (0..<64).map { generator.word(stream: 2, step: 0, index: $0) }
        let c = (0..<64).map { generator.word(stream: 1, step: 1, index: $0) }
        #expect(a != b && a != c && b != c)
        #expect(a == (0..<64).map { Philox(seed: 1).word(stream: 1, step: 0, index: $0) })
    }
}
