import Foundation
import NetcGraph
import NetcLLVM
import NetcLoops
import Testing

/// `netc tune` ranks schedules by how long their kernels take, so each timed run must really run the kernel.
@Suite struct TunerTests {
    /// No candidate is timed faster than one core could possibly compute it. The bound, 5 TFLOP/s on one thread, is
    /// over ten times any x86 core's FMA peak (two 512-bit FMA units at 5 GHz make 320 GFLOP/s); a tuner that times
    /// a run skipping the kernel (every source of a tuning graph is state, so an inference program would treat the
    /// whole kernel as weight packing done once) reports thousands of times more. The executed arithmetic each
    /// GFLOP/s figure divides is, for direct convolution, the nominal count less at most the taps that fall on the
    /// padding (9.3 % of them for a 3×3 kernel over 14 pixels: 1 − (40/42)²), and for Winograd's F(2×2, 3×3) and
    /// F(4×4, 3×3) at least the 16 multiply-adds per 36 or 36 per 144 of their products (the transforms add more).
    @Test func everyCandidateIsTimedRunningItsKernel() throws {
        let (input, outChannels) = ([8, 16, 14, 14], 16)
        let signature = KernelSignature(
            convolution: .forward, input: input, outChannels: outChannels,
            ConvolutionAttributes(kernel: 3, stride: 1, padding: 1))
        let nominal = 2 * input[0] * outChannels * input[2] * input[3] * input[1] * 9
        let measured = try Tuner(threads: 1, runs: 2, algorithms: Set(Schedule.Algorithm.allCases)).measure(signature)
        // Rows of 14 pixels are not tiled across images.
        #expect(
            Set(measured.map(\.schedule.algorithm))
                == Set(Schedule.Algorithm.allCases).subtracting([.directAcrossImages]))
        for candidate in measured {
            let executed = candidate.floatingPointOperations
            let least =
                switch candidate.schedule.algorithm {
                case .direct, .directAcrossImages: nominal * 9 / 10
                case .winograd2x2: nominal * 16 / 36
                case .winograd4x4: nominal * 36 / 144
                }
            #expect(
                (least...nominal).contains(executed),
                "\(candidate.schedule): \(executed) operations, nominally \(nominal)")
            #expect(
                candidate.seconds >= Double(executed) / 5e12,
                "\(candidate.schedule): \(candidate.seconds * 1e6) µs for \(executed) operations")
        }
    }

    /// With a code cache, the tuner's compilations fill it and a second tuning of the same kernel compiles nothing:
    /// every candidate's modules come from the cache, so no object file is added or written again.
    @Test func tuningAgainLoadsEveryCandidateFromTheCodeCache() throws {
        let folder = CodeCacheFolder.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func objects() throws -> [String: Date] {
            try CodeCacheFolder.files(in: folder).filter { $0.key.hasSuffix(".o") }
        }
        let signature = KernelSignature(
            convolution: .inputGradient, input: [4, 8, 9, 9], outChannels: 8,
            ConvolutionAttributes(kernel: 3, stride: 2, padding: 1))
        let tuner = Tuner(threads: 1, runs: 1, codeCache: CodeCache(folder: folder))
        let first = try tuner.measure(signature)
        let filled = try objects()
        #expect(!filled.isEmpty && !first.isEmpty)
        let second = try tuner.measure(signature)
        #expect(Set(second.map(\.schedule)) == Set(first.map(\.schedule)))
        #expect(try objects() == filled, "tuning again compiled some candidate afresh")
    }
}
